"""The shipping use cases on a real SQLite shop: create (queued, encrypted, one job, audit),
double clicks, refusals naming the field, cancel, lists, batches, rates, discards."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.shop import Shop
from local_db.ids import now_iso
from local_db.jobs import job_by_key
from local_db.uow import UnitOfWork
from services.courier_port import CourierReply, Place, Rate, RateRequest
from services.errors import BadInput, Conflict, NotFound, Refused, ShopError
from services.provider_jobs import discard_job
from services.shipping import (
    cancel_shipment,
    compare_rates,
    create_batch,
    create_shipment,
    job_discarded,
    list_shipments,
    sale_for_shipment,
    shipment_detail,
    shipments_of_sale,
    track_now,
)
from services.users import Actor
from tests.helpers import counts, scalar
from tests.services.test_shipping_support import (
    FakeCourier,
    a_sale,
    cipher,
    configure,
    count,
    job_state,
    parcel,
    request,
)


@pytest.fixture(autouse=True)
def _couriers(shop: Shop) -> None:
    configure(shop)


def make(shop: Shop, actor: Actor, **kw: object) -> str:
    c = cipher(shop)
    sale = a_sale(shop)
    with shop.uow() as uow:
        return create_shipment(uow, c, actor, request(sale, **kw)).id


def test_create_queues_one_shipment_one_job_and_an_audit(shop: Shop, cashier: Actor) -> None:
    c = cipher(shop)
    sale = a_sale(shop)
    audits = count(shop, "audit_log")
    with shop.uow() as uow:
        view = create_shipment(uow, c, cashier, request(sale, note="titip tetangga"))
    assert view.status == "queued" and not view.existing
    assert view.volumetric_weight_g == 1000 and view.weight_g == 1200
    job = scalar(shop, "SELECT provider || '/' || kind || '/' || idempotency_key || '/' || "
                 "state FROM provider_job WHERE ref_id = :s", s=view.id)
    assert job == f"biteship/create/ship:{view.id}:create/pending"
    payload = str(scalar(shop, "SELECT payload FROM provider_job WHERE ref_id = :s", s=view.id))
    assert "titip" not in payload and "0813" not in payload and view.id in payload
    assert count(shop, "audit_log") == audits + 1
    raw = scalar(shop, "SELECT recipient_phone_enc || recipient_address_enc FROM shipment")
    assert "0813" not in raw and "+62813" not in raw and "Kenanga" not in raw
    with shop.uow(write=False) as uow:
        detail = shipment_detail(uow, c, view.id)
    assert detail.recipient_phone == "+6281322223333"
    assert detail.recipient_address == "Jl. Kenanga 12, Coblong"
    assert [e.status for e in detail.events] == ["queued"]
    assert detail.parcel is not None and detail.parcel.chargeable_weight_g == 1200
    assert "+62813" not in repr(detail) and "Kenanga" not in repr(detail)
    assert detail.as_dict()["recipient_phone"] == "+6281322223333"


def test_a_double_click_is_one_shipment(shop: Shop, cashier: Actor) -> None:
    c = cipher(shop)
    sale = a_sale(shop)
    with shop.uow() as uow:
        first = create_shipment(uow, c, cashier, request(sale, request_key="dlg-1"))
    with shop.uow() as uow:
        again = create_shipment(uow, c, cashier, request(sale, request_key="dlg-1"))
    assert again.id == first.id and again.existing
    assert count(shop, "shipment") == 1 and count(shop, "provider_job") == 1
    other = a_sale(shop, 1)
    with shop.uow() as uow, pytest.raises(Conflict) as err:
        create_shipment(uow, c, cashier, request(other, request_key="dlg-1"))
    assert err.value.field == "request_key"


@pytest.mark.parametrize(("change", "field"), [
    ({"parcel": parcel(weight_g=0)}, "weight_g"),
    ({"parcel": parcel(length_cm=-1)}, "length_cm"),
    ({"parcel": parcel(declared_value=-5)}, "declared_value"),
    ({"parcel": parcel(description=" ")}, "description"),
    ({"recipient_phone": "12"}, "recipient_phone"),
    ({"recipient_name": ""}, "recipient_name"),
    ({"recipient_address": ""}, "recipient_address"),
    ({"courier": "pos", "courier_company": "pos"}, "courier"),
    ({"courier": "fedex"}, "courier"),
    ({"courier": "jne", "courier_company": "jnt"}, "courier_company"),
    ({"destination_postal_code": None}, "destination_postal_code"),
    ({"destination_postal_code": "4013"}, "destination_postal_code"),
    ({"courier": "jnt", "courier_company": "jnt", "destination_code": None},
     "destination_code"),
    ({"courier": "jne", "courier_company": "jne", "destination_city": None},
     "destination_city"),
    ({"courier": "jne", "courier_company": "jne", "destination_city": "Bandung",
      "recipient_address":
      "Perumahan Griya Asri Blok C3 No. 17 RT 004 RW 011 Kelurahan Sukamaju Kidul "
      "Kecamatan Cibeunying Kaler Kota Bandung"}, "recipient_address"),
    ({"cod_amount": 5000}, "cod_amount"),
    ({"cod": True, "cod_amount": 0}, "cod_amount"),
    ({"quoted_price": -1}, "quoted_price"),
    ({"sale_id": "no-such-sale"}, "sale_id"),
])
def test_bad_input_names_the_field_and_writes_nothing(
        shop: Shop, cashier: Actor, change: dict[str, object], field: str) -> None:
    c = cipher(shop)
    values = {"sale_id": a_sale(shop), **change}
    before = counts(shop), count(shop, "shipment"), count(shop, "provider_job")
    with shop.uow() as uow, pytest.raises(ShopError) as err:
        create_shipment(uow, c, cashier, request(**values))  # type: ignore[arg-type]
    assert err.value.field == field, err.value
    assert (counts(shop), count(shop, "shipment"), count(shop, "provider_job")) == before


def test_a_courier_not_enabled_or_no_origin_is_refused(shop: Shop, cashier: Actor) -> None:
    configure(shop, enabled="biteship")
    with pytest.raises(Refused) as err:
        make(shop, cashier, courier="jnt", courier_company="jnt")
    assert err.value.field == "courier"
    configure(shop, extra={"courier.origin.address": ""})
    with pytest.raises(Refused) as err:
        make(shop, cashier)
    assert err.value.field == "origin"


def test_a_jne_address_that_fits_three_lines_is_taken(shop: Shop, cashier: Actor) -> None:
    sid = make(shop, cashier, courier="jne", courier_company="jne", destination_city="Bandung",
               recipient_address="Jl. Ir. H. Juanda No. 98, Dago, Coblong, Kota Bandung")
    assert sid


def test_cod_defaults_to_what_the_sale_costs(shop: Shop, cashier: Actor) -> None:
    sid = make(shop, cashier, cod=True)
    payable = scalar(shop, "SELECT payable FROM sale WHERE id = :s", s=a_sale(shop))
    with shop.uow(write=False) as uow:
        row = list_shipments(uow)[0]
    assert row.id == sid and row.cod and row.cod_amount == payable > 0


def test_creating_needs_a_signed_in_user(shop: Shop) -> None:
    with pytest.raises(Refused):
        make(shop, Actor("x", "nobody", "cashier"))


def test_cancel_before_sending_is_local_and_neutralises_the_create(
        shop: Shop, cashier: Actor) -> None:
    sid = make(shop, cashier)
    with shop.uow() as uow:
        view = cancel_shipment(uow, cashier, sid, "pembeli batal")
    assert view.status == "cancelled" and view.cancel_reason == "pembeli batal"
    assert job_state(shop, sid, "create") == "succeeded"  # neutralised: nothing to send
    assert job_state(shop, sid, "cancel") is None  # no courier call
    with shop.uow() as uow, pytest.raises(Refused) as err:
        cancel_shipment(uow, cashier, sid, "lagi")
    assert err.value.field == "shipment"


def test_cancel_after_the_courier_took_it_queues_a_cancel_job(shop: Shop,
                                                             cashier: Actor) -> None:
    sid = make(shop, cashier)
    with shop.uow() as uow:
        uow.conn.exec_driver_sql("UPDATE shipment SET status = 'created' WHERE id = ?", (sid,))
        uow.commit()
    with shop.uow() as uow:
        view = cancel_shipment(uow, cashier, sid, "alamat salah")
    assert view.status == "created" and view.cancel_reason == "alamat salah"
    assert job_state(shop, sid, "cancel") == "pending"
    with shop.uow() as uow:  # a double click asks once
        assert cancel_shipment(uow, cashier, sid, "alamat salah").existing
    assert count(shop, "provider_job", "kind = 'cancel'") == 1


def test_cancel_after_pickup_is_refused(shop: Shop, cashier: Actor) -> None:
    sid = make(shop, cashier)
    with shop.uow() as uow:
        uow.conn.exec_driver_sql("UPDATE shipment SET status = 'picked_up' WHERE id = ?",
                                 (sid,))
        uow.commit()
    with shop.uow() as uow, pytest.raises(Refused) as err:
        cancel_shipment(uow, cashier, sid, "terlambat")
    assert err.value.field == "shipment"
    with shop.uow() as uow, pytest.raises(BadInput) as bad:
        cancel_shipment(uow, cashier, sid, " ")
    assert bad.value.field == "reason"


def test_lists_filters_and_the_sale(shop: Shop, cashier: Actor) -> None:
    a = make(shop, cashier)
    b = make(shop, cashier, courier="jnt", courier_company="jnt", recipient_name="Bu Rina")
    c = cipher(shop)
    sale_id = a_sale(shop)
    with shop.uow(write=False) as uow:
        assert {r.id for r in list_shipments(uow)} == {a, b}
        assert [r.id for r in list_shipments(uow, courier="jnt")] == [b]
        assert [r.id for r in list_shipments(uow, courier="jne")] == [a]  # the company
        assert [r.id for r in list_shipments(uow, text="rina")] == [b]
        assert list_shipments(uow, status="delivered") == ()
        assert list_shipments(uow, since="2999-01-01") == ()
        assert len(shipments_of_sale(uow.conn, sale_id)) == 2
        sale = sale_for_shipment(uow, sale_id=sale_id, cipher=c)
        assert len(sale.shipments) == 2 and sale.payable > 0
        by_receipt = sale_for_shipment(uow, receipt_no=sale.receipt_no)
        assert by_receipt.sale_id == sale.sale_id
        with pytest.raises(NotFound) as err:
            sale_for_shipment(uow, receipt_no="NOPE")
        assert err.value.field == "receipt_no"
        with pytest.raises(BadInput):
            list_shipments(uow, limit=0)


def test_track_now_needs_the_courier_to_hold_it(shop: Shop, cashier: Actor) -> None:
    sid = make(shop, cashier)
    with shop.uow() as uow, pytest.raises(Conflict):
        track_now(uow, sid)
    with shop.uow() as uow:
        uow.conn.exec_driver_sql("UPDATE shipment SET status = 'in_transit' WHERE id = ?",
                                 (sid,))
        uow.commit()
    with shop.uow() as uow:
        row = track_now(uow, sid)
    assert row.next_track_at is not None and job_state(shop, sid, "track") == "pending"


def test_a_batch_re_run_creates_nothing_twice(shop: Shop, cashier: Actor) -> None:
    c = cipher(shop)
    sale = a_sale(shop)
    reqs = [request(sale) for _ in range(5)] + [request(sale, parcel=parcel(weight_g=0))]
    first = create_batch(shop.uow, c, cashier, reqs, batch_id="B1")
    assert first.count("created") == 5 and first.count("refused") == 1
    assert first.items[-1].field == "weight_g"
    again = create_batch(shop.uow, c, cashier, reqs, batch_id="B1")
    assert again.count("existing") == 5 and again.shipment_ids == first.shipment_ids
    assert count(shop, "shipment") == 5 and count(shop, "provider_job") == 5


def test_discarding_a_create_job_fails_the_shipment(shop: Shop, cashier: Actor,
                                                    supervisor: Actor) -> None:
    sid = make(shop, cashier)
    with shop.uow(write=False) as uow:
        job = job_by_key(uow.conn, "biteship", "create", f"ship:{sid}:create")
    assert job is not None
    with shop.uow() as uow:
        job_discarded(uow.conn, job, now_iso())
        uow.commit()
    with shop.uow(write=False) as uow:
        row = list_shipments(uow)[0]
    assert row.status == "failed" and "given up" in (row.last_error or "")
    with shop.uow() as uow:  # the supervisor's discard itself still works beside it
        discard_job(uow, supervisor, job.id)


def _rate(courier: str, company: str, price: int, days: int) -> Rate:
    return Rate(courier, company, "reg", "Reguler", price, days - 1, days)


def test_compare_rates_cheapest_fastest_and_failures() -> None:
    place = Place("A", "0812", "Jl. A", postal_code="12120")
    req = RateRequest(place, place, parcel(), ("jne", "jnt"))
    clients = {
        "biteship": FakeCourier("biteship").script("rates", CourierReply("ok", rates=(
            _rate("biteship", "jne", 18_000, 3), _rate("biteship", "sicepat", 15_000, 4)))),
        "jnt": FakeCourier("jnt").script("rates", CourierReply("ok", rates=(
            _rate("jnt", "jnt", 21_000, 1),))),
        "jne": FakeCourier("jne").script("rates", CourierReply("retry", message="jne: 503")),
    }
    got = compare_rates(clients, req)
    assert [r.price for r in got.rates] == [15_000, 18_000, 21_000]
    assert got.cheapest is not None and got.cheapest.courier_company == "sicepat"
    assert got.fastest is not None and got.fastest.courier_company == "jnt"
    assert got.failures == {"jne": "jne: 503"}
    assert compare_rates({}, req).cheapest is None


def test_nothing_personal_in_job_rows_or_logs(shop: Shop, cashier: Actor,
                                              tmp_path: Path) -> None:
    make(shop, cashier, note="rumah pagar hijau")
    with UnitOfWork(shop.db, write=False) as uow:
        text = " ".join(str(v) for r in uow.conn.exec_driver_sql(
            "SELECT payload, idempotency_key FROM provider_job").all() for v in r)
    assert "hijau" not in text and "Kenanga" not in text and "Anton" not in text

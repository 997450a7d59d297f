"""The desktop adapter's shipping and messaging areas on a real SQLite shop: every method is
one call of the services (the same shipment, the same refusal, the same message the CLI
gets), the recipient prefilled from the sale's customer, one shipment per request key, one
message per receipt and recipient, the couriers' rates through the Biteship simulator, the
airway bill on the receipt's reprint, and the sync panel's courier and messaging tabs."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from app.gui import GuiBackend
from app.secrets import cipher_for, ensure_data_key
from app.shop import Shop
from services.cart import Cart
from services.courier_port import Parcel, Place
from services.customers import create_customer
from services.errors import BadInput, NotFound, Refused
from services.receipt_layout import as_text, layout_receipt
from services.receipts import receipt_for
from services.shipping import ShipmentRequest
from services.tender import CASH, TenderInput
from services.users import authenticate
from tests.helpers import scalar
from tests.services.test_shipping_support import configure

INDOMIE = "8991619730698"  # Rp 3.500
#: The shop's sending district as the courier simulators know it (Kebayoran Baru).
SIM_ORIGIN = {"courier.origin.area_id": "IDNP6IDNC148IDND836IDZ12120"}


@pytest.fixture
def backend(shop: Shop) -> Iterator[GuiBackend]:
    b = GuiBackend(shop)
    b.core.login("Sari", "1234")
    yield b


def a_customer(shop: Shop) -> str:
    ensure_data_key(shop)
    with shop.uow() as uow:
        actor = authenticate(uow, "Sari", "1234")
        uow.commit()
    with shop.uow() as uow:
        made = create_customer(uow, cipher_for(shop), actor, name="Ani Lestari",
                               phone="0812-3456-7890", email="ani@contoh.com",
                               address="Jl. Kenanga 12, Coblong, Bandung")
        uow.commit()
    return made.id


def sell(backend: GuiBackend, customer_id: str | None = None) -> tuple[str, str]:
    """Two Indomie for Rp 7.000 cash; (sale id, receipt number)."""
    cart = Cart(customer_id=customer_id).add(backend.core.lookup(INDOMIE), 2000)
    result = backend.money.pay(cart, [TenderInput(CASH, 10_000)])
    return result.id, result.receipt_no


def request(sale_id: str, **kw: object) -> ShipmentRequest:
    values: dict[str, object] = dict(
        sale_id=sale_id, courier="biteship", courier_company="jne", service_code="reg",
        recipient_name="Ani Lestari", recipient_phone="0812-3456-7890",
        recipient_address="Jl. Kenanga 12, Coblong", destination_postal_code="40132",
        destination_area_id=None, destination_code=None,
        parcel=Parcel(1200, 30, 20, 10, 7_000, "Mi instan"), cod=False,
        quoted_price=18_000, request_key="dialog-1", batch_id=None, note=None)
    values.update(kw)
    return ShipmentRequest(**values)  # type: ignore[arg-type]


def count(shop: Shop, sql: str, **params: object) -> int:
    return int(scalar(shop, sql, **params) or 0)


def test_the_sale_prefills_the_recipient_from_its_customer(shop: Shop,
                                                            backend: GuiBackend) -> None:
    customer = a_customer(shop)
    _sale_id, receipt = sell(backend, customer)
    sale = backend.shipping.sale(receipt)
    assert (sale.receipt_no, sale.payable) == (receipt, 7_000)
    assert sale.customer_name == "Ani Lestari"
    assert sale.phone == "+6281234567890"
    assert sale.address == "Jl. Kenanga 12, Coblong, Bandung"
    assert sale.shipments == ()
    assert "0812" not in repr(sale) and "Kenanga" not in repr(sale)  # no personal data
    # A sale with no customer: nothing to prefill, and an unknown number names the field.
    _other, plain = sell(backend)
    assert backend.shipping.sale(plain).customer_name is None
    with pytest.raises(NotFound) as missing:
        backend.shipping.sale("NOPE-1")
    assert missing.value.field == "receipt_no"


def test_one_request_key_is_one_shipment_and_it_shows_on_the_sale(
        shop: Shop, backend: GuiBackend) -> None:
    configure(shop)
    sale_id, receipt = sell(backend)
    first = backend.shipping.create(request(sale_id))
    again = backend.shipping.create(request(sale_id))  # a double click on "kirim"
    assert (first.status, first.existing) == ("queued", False)
    assert (again.id, again.existing) == (first.id, True)
    assert count(shop, "SELECT COUNT(*) FROM shipment WHERE sale_id = :s", s=sale_id) == 1
    assert count(shop, "SELECT COUNT(*) FROM provider_job WHERE ref_id = :s AND "
                 "kind = 'create'", s=first.id) == 1
    assert [r.id for r in backend.shipping.sale(receipt).shipments] == [first.id]
    assert [r.id for r in backend.shipping.of_sale(sale_id)] == [first.id]
    # The services' refusal, with its field, unchanged; nothing written.
    with pytest.raises(BadInput) as bad:
        backend.shipping.create(request(sale_id, request_key="dialog-2",
                                        recipient_phone="12"))
    assert bad.value.field == "recipient_phone"
    assert count(shop, "SELECT COUNT(*) FROM shipment") == 1


def test_list_filters_detail_and_cancel_with_a_reason(shop: Shop, backend: GuiBackend) -> None:
    configure(shop)
    sale_id, receipt = sell(backend)
    made = backend.shipping.create(request(sale_id))
    other = backend.shipping.create(request(sale_id, request_key="dialog-2",
                                            courier="jnt", courier_company="jnt",
                                            service_code="ez", destination_code="BDO10000"))
    rows = backend.shipping.shipments()
    assert {r.id for r in rows} == {made.id, other.id}
    assert [r.id for r in backend.shipping.shipments(courier="jnt")] == [other.id]
    assert [r.id for r in backend.shipping.shipments(text=receipt, courier="jne")] == [made.id]
    assert backend.shipping.shipments(status="delivered") == ()
    assert backend.shipping.shipments(since="2999-01-01T00:00:00Z") == ()
    detail = backend.shipping.detail(made.id)
    assert (detail.weight_g, detail.volumetric_weight_g) == (1200, 1000)
    assert detail.recipient_address == "Jl. Kenanga 12, Coblong"
    assert [e.status for e in detail.events] == ["queued"]
    with pytest.raises(BadInput) as why:
        backend.shipping.cancel(made.id, "  ")
    assert why.value.field == "reason"
    cancelled = backend.shipping.cancel(made.id, "Pembeli batal")
    assert cancelled.status == "cancelled"  # never sent: cancelled here, no courier call
    assert [e.status for e in backend.shipping.detail(made.id).events] == ["queued",
                                                                           "cancelled"]
    with pytest.raises(Refused) as late:
        backend.shipping.cancel(made.id, "lagi")
    assert late.value.field == "shipment"


def test_a_cashier_logged_out_reads_nothing(shop: Shop, backend: GuiBackend) -> None:
    backend.core.logout()
    with pytest.raises(Refused):
        backend.shipping.shipments()
    with pytest.raises(Refused):
        backend.messages.messages()


def test_rates_come_from_the_couriers_on_a_network_thread(shop: Shop,
                                                          backend: GuiBackend) -> None:
    pytest.importorskip("app.courier_wiring")
    from app.secrets import secret_store_for
    from sync.simulators.biteship import DEFAULT_KEY, BiteshipSimulator
    with BiteshipSimulator() as sim:
        url = sim.start()
        configure(shop, enabled="biteship,jne", extra={  # JNE direct has no key here
            "courier.biteship.base_url": url, **SIM_ORIGIN,
            "courier.biteship.companies": "jne,jnt"})
        secret_store_for(shop).set("biteship-api-key", DEFAULT_KEY)
        destination = Place("Ani", "0812-3456-7890", "Jl. Kenanga 12", postal_code="40132")
        comparison = backend.shipping.rates(destination, Parcel(1200, 30, 20, 10, 7_000, "Mi"))
    assert comparison.rates, comparison.failures
    prices = [r.price for r in comparison.rates]
    assert prices == sorted(prices)
    assert comparison.cheapest == comparison.rates[0]
    assert comparison.fastest is not None
    assert {r.courier_company for r in comparison.rates} <= {"jne", "jnt"}
    assert {r.courier for r in comparison.rates} == {"biteship"}
    assert "jne" in comparison.failures  # says why JNE direct gave no price


def test_rates_need_the_shops_sending_address(shop: Shop, backend: GuiBackend) -> None:
    with pytest.raises(Refused) as no_origin:
        backend.shipping.rates(Place("Ani", "0812", "Jl", postal_code="40132"),
                               Parcel(1000, 10, 10, 10, 0, "x"))
    assert no_origin.value.field == "origin"


def test_the_receipt_and_its_reprint_show_the_airway_bill(shop: Shop,
                                                          backend: GuiBackend) -> None:
    configure(shop)
    sale_id, receipt = sell(backend)
    made = backend.shipping.create(request(sale_id))
    with shop.uow(write=False) as uow:
        text = as_text(layout_receipt(receipt_for(uow, shop.config, receipt), 32))
    assert "Dikirim" in text and "JNE REG" in text and "menunggu" in text
    with shop.uow() as uow:  # the courier gave its airway bill, then delivered
        uow.conn.exec_driver_sql("UPDATE shipment SET waybill_id = 'JNE0012345678', "
                                 "status = 'delivered' WHERE id = ?", (made.id,))
        uow.commit()
    with shop.uow(write=False) as uow:
        copy = receipt_for(uow, shop.config, receipt, copy=True)
        lines = as_text(layout_receipt(copy, 32))
        english = as_text(layout_receipt(replace(copy, language="en"), 48))
    assert "No. resi" in lines and "JNE0012345678" in lines and "Diterima" in lines
    assert all(len(line) <= 32 for line in lines.splitlines())
    assert "Airway bill" in english and "Delivered" in english
    # A cancelled parcel is not on the receipt.
    with shop.uow() as uow:
        uow.conn.exec_driver_sql("UPDATE shipment SET status = 'cancelled' WHERE id = ?",
                                 (made.id,))
        uow.commit()
    with shop.uow(write=False) as uow:
        assert receipt_for(uow, shop.config, receipt).shipments == ()


def test_kirim_struk_is_one_message_per_receipt_and_recipient(shop: Shop,
                                                              backend: GuiBackend) -> None:
    customer = a_customer(shop)
    sale_id, receipt = sell(backend, customer)
    target = backend.messages.receipt_target(receipt)
    assert (target.sale_id, target.customer_name) == (sale_id, "Ani Lestari")
    assert target.phone_hint is not None and "7890" in target.phone_hint
    assert "3456" not in target.phone_hint
    assert target.email_hint is not None and target.email_hint.endswith("@contoh.com")
    assert target.email_hint != "ani@contoh.com"
    sent = backend.messages.send_receipt(sale_id, "whatsapp")  # to the sale's customer
    again = backend.messages.send_receipt(sale_id, "whatsapp")
    assert (again.message.id, again.already) == (sent.message.id, True)
    assert sent.message.status == "queued" and sent.message.ref_id == sale_id
    assert count(shop, "SELECT COUNT(*) FROM message WHERE ref_id = :s", s=sale_id) == 1
    assert count(shop, "SELECT COUNT(*) FROM provider_job WHERE provider = 'twilio' AND "
                 "kind = 'whatsapp'") == 1
    typed = backend.messages.send_receipt(sale_id, "email", "budi@contoh.com", "en")
    assert typed.message.channel == "email" and typed.message.locale == "en"
    assert "budi@" not in typed.message.recipient_hint
    assert backend.messages.status(typed.message.id).message.id == typed.message.id
    assert {m.id for m in backend.messages.messages()} == {sent.message.id, typed.message.id}
    with pytest.raises(BadInput) as bad:
        backend.messages.send_receipt(sale_id, "email", "bukan-email")
    assert bad.value.field == "to"
    # A sale with no customer: the till types a number.
    plain_id, plain = sell(backend)
    assert backend.messages.receipt_target(plain).customer_name is None
    with pytest.raises(BadInput) as nobody:
        backend.messages.send_receipt(plain_id, "whatsapp")
    assert nobody.value.field == "to"


def test_the_sync_panel_says_what_each_new_job_is_about(shop: Shop,
                                                        backend: GuiBackend) -> None:
    configure(shop)
    customer = a_customer(shop)
    sale_id, receipt = sell(backend, customer)
    backend.shipping.create(request(sale_id))
    backend.messages.send_receipt(sale_id, "whatsapp")
    backend.messages.send_receipt(sale_id, "email")
    channels = {c.key: c for c in backend.sync.channels()}
    couriers = [i for i in channels["couriers"].items]
    assert len(couriers) == 1
    assert couriers[0].detail == f"{receipt} · JNE REG"
    from ui.sync_panel import item_text
    assert item_text(couriers[0]).startswith("Kirim paket lewat Biteship")
    whatsapp = channels["messaging"].items
    email = channels["email"].items
    assert len(whatsapp) == 1 and len(email) == 1
    for item in (*whatsapp, *email):
        assert item.detail is not None and item.detail.startswith("receipt → ")
        assert "7890" not in item.detail or "****" in item.detail  # masked, never in clear
        assert "ani@contoh.com" not in item.detail
    assert item_text(whatsapp[0]).startswith("WhatsApp lewat Twilio")
    assert item_text(email[0]).startswith("Email lewat SendGrid")


def test_track_now_is_refused_before_the_courier_has_the_parcel(
        shop: Shop, backend: GuiBackend) -> None:
    configure(shop)
    sale_id, _receipt = sell(backend)
    made = backend.shipping.create(request(sale_id))
    from services.errors import Conflict
    with pytest.raises(Conflict) as early:
        backend.shipping.track(made.id)
    assert early.value.field == "shipment"
    assert count(shop, "SELECT COUNT(*) FROM provider_job WHERE kind = 'track'") == 0
    assert [r.id for r in backend.shipping.of_receipt(_receipt)] == [made.id]

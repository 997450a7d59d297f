"""Messaging use cases on a real SQLite shop: receipts, shipment notices, bulk, alerts."""

from __future__ import annotations

import json

import pytest

from app.shop import Shop
from local_db.jobs import job_row
from services.crypto import FieldCipher
from services.errors import BadInput, NotFound, Refused
from services.messaging import (
    Recipient,
    job_discarded,
    list_messages,
    message_status,
    queue_messages,
    queue_owner_alert,
    receipt_sale_id,
    send_receipt,
)
from services.messaging_outgoing import email_out, push_out, text_out
from services.messaging_bulk import EMAIL_CHUNK
from services.messaging_rows import decrypt
from services.users import Actor
from tests.helpers import scalar
from tests.services.test_messaging_helpers import (
    EMAIL,
    PHONE,
    PHONE_E164,
    cipher,
    count,
    customer,
    job_of,
    sale,
    settings,
)


@pytest.fixture
def c(shop: Shop) -> FieldCipher:
    return cipher(shop)


def test_receipt_by_whatsapp_to_the_sales_customer(shop: Shop, c: FieldCipher, cashier: Actor,
                                                   supervisor: Actor) -> None:
    cid = customer(shop, supervisor)
    sale_id, receipt_no = sale(shop, cashier, cid)
    with shop.uow() as uow:
        view = send_receipt(uow, c, cashier, sale_id, channel="whatsapp")
    m = view.message
    assert (m.channel, m.provider, m.purpose, m.template, m.status) == (
        "whatsapp", "twilio", "transactional", "receipt", "queued")
    assert m.recipient_hint == "+62812****890" and m.customer_id == cid
    assert (m.ref_type, m.ref_id) == ("sale", sale_id)
    assert view.job_state == "pending" and not view.already
    job = job_of(shop, m.id)
    assert (job["provider"], job["kind"], job["idempotency_key"], job["ref_id"]) == (
        "twilio", "whatsapp", f"msg:{m.id}", m.id)
    # The job and the row hold no personal data in clear text.
    assert PHONE_E164 not in json.dumps(job["payload"])
    raw = scalar(shop, "SELECT recipient_enc || content_enc FROM message WHERE id = :i", i=m.id)
    assert PHONE_E164 not in raw and receipt_no not in raw
    with shop.uow(write=False) as uow:
        parts = decrypt(uow.conn, c, m.id)
    assert parts.address == PHONE_E164
    assert receipt_no in parts.text and "Rp " in parts.text and "Terima kasih" in parts.text
    assert count(shop, "audit_log", "action = 'message.queue' AND entity_id = :i", i=m.id) == 1


def test_a_double_click_is_one_message(shop: Shop, c: FieldCipher, cashier: Actor, supervisor: Actor) -> None:
    sale_id, _ = sale(shop, cashier, customer(shop, supervisor))
    with shop.uow() as uow:
        first = send_receipt(uow, c, cashier, sale_id, channel="whatsapp")
    with shop.uow() as uow:
        again = send_receipt(uow, c, cashier, sale_id, channel="whatsapp",
                             to="+62 812 3456 7890")  # the same number, typed
    assert again.already and again.id == first.id
    assert count(shop, "message") == 1 and count(shop, "provider_job") == 1
    with shop.uow() as uow:  # another channel or another number is another message
        other = send_receipt(uow, c, cashier, sale_id, channel="whatsapp",
                             to="0813-1111-2222")
    assert not other.already and count(shop, "message") == 2


def test_receipt_by_email_in_english(shop: Shop, c: FieldCipher, cashier: Actor, supervisor: Actor) -> None:
    sale_id, receipt_no = sale(shop, cashier, customer(shop, supervisor))
    with shop.uow() as uow:
        view = send_receipt(uow, c, cashier, sale_id, channel="email", locale="en")
    assert view.message.subject.startswith(f"Receipt {receipt_no} from")
    assert view.message.recipient_hint == "i***@contoh.id"
    settings(shop, messaging__email__from="struk@toko.test")
    with shop.uow(write=False) as uow:
        out = email_out(uow.conn, c, view.message.job_id or "")
    assert not isinstance(out, type(None)) and hasattr(out, "mail")
    mail = out.mail  # type: ignore[union-attr]
    assert [r.email for r in mail.recipients] == [EMAIL]
    assert mail.sender_email == "struk@toko.test" and "attached as a PDF" in mail.text
    assert mail.html is not None and "<pre" in mail.html and receipt_no in mail.html


def test_typed_recipients_are_checked_naming_to(shop: Shop, c: FieldCipher, cashier: Actor) -> None:
    sale_id, _ = sale(shop, cashier)
    for channel, to in (("whatsapp", "021-555-1234"),  # a Jakarta landline
                        ("whatsapp", "hello"), ("email", "nobody@"), ("whatsapp", None)):
        with shop.uow() as uow, pytest.raises(BadInput) as err:
            send_receipt(uow, c, cashier, sale_id, channel=channel, to=to)
        assert err.value.field == "to"
    with shop.uow() as uow, pytest.raises(BadInput) as err:
        send_receipt(uow, c, cashier, sale_id, channel="sms", to=PHONE)
    assert err.value.field == "channel"
    with shop.uow() as uow, pytest.raises(NotFound):
        send_receipt(uow, c, cashier, "no-such-sale", channel="email", to=EMAIL)
    assert count(shop, "message") == 0 and count(shop, "provider_job") == 0


def test_receipt_number_finds_the_sale(shop: Shop, cashier: Actor) -> None:
    sale_id, receipt_no = sale(shop, cashier)
    with shop.uow(write=False) as uow:
        assert receipt_sale_id(uow, receipt_no) == sale_id
        with pytest.raises(NotFound) as err:
            receipt_sale_id(uow, "X-1-000999")
    assert err.value.field == "receipt_no"


def test_whatsapp_uses_the_approved_template_when_configured(
        shop: Shop, c: FieldCipher, cashier: Actor, supervisor: Actor) -> None:
    sale_id, receipt_no = sale(shop, cashier, customer(shop, supervisor))
    with shop.uow() as uow:
        view = send_receipt(uow, c, cashier, sale_id, channel="whatsapp")
    settings(shop, messaging__twilio__whatsapp_from="+14155238886")
    with shop.uow(write=False) as uow:
        free = text_out(uow.conn, c, view.id)
    assert getattr(free, "body", None) and getattr(free, "content_sid", "x") is None
    settings(shop, **{"messaging__twilio__template__receipt__id": "HX" + "0" * 32})
    with shop.uow(write=False) as uow:
        tpl = text_out(uow.conn, c, view.id)
    assert getattr(tpl, "content_sid") == "HX" + "0" * 32 and getattr(tpl, "body") is None
    variables = dict(getattr(tpl, "content_variables"))
    assert variables["2"] == receipt_no and variables["3"].startswith("Rp ")
    assert all("\n" not in v for v in variables.values())


def test_shipment_notice_follows_the_setting(shop: Shop, c: FieldCipher, cashier: Actor, owner: Actor) -> None:
    from services.messaging import queue_shipment_notice
    shipment_id = _shipment(shop, c, cashier)
    with shop.uow() as uow:
        assert queue_shipment_notice(uow.conn, c, shipment_id, "created",
                                     "2026-12-07T10:00:00+00:00") is None  # notify: none
    settings(shop, courier__notify="whatsapp")
    with shop.uow() as uow:
        first = queue_shipment_notice(uow.conn, c, shipment_id, "created",
                                      "2026-12-07T10:00:00+00:00")
        again = queue_shipment_notice(uow.conn, c, shipment_id, "created",
                                      "2026-12-07T10:05:00+00:00")
        skipped = queue_shipment_notice(uow.conn, c, shipment_id, "in_transit",
                                        "2026-12-07T11:00:00+00:00")
        uow.commit()
    assert first is not None and again == first and skipped is None
    with shop.uow(write=False) as uow:
        parts = decrypt(uow.conn, c, first)
        row = message_status(uow, first).message
    assert row.template == "shipment_created" and row.ref_type == "shipment"
    assert parts.address == PHONE_E164 and "JNE" in parts.text and "Ibu Sari" in parts.text


def _shipment(shop: Shop, c: FieldCipher, cashier: Actor) -> str:
    """A shipment row as the couriers' code writes it (phone encrypted: record_id =
    shipment id, field recipient_phone)."""
    from local_db.ids import now_iso, uuid7
    from local_db.models import Shipment
    sale_id, _ = sale(shop, cashier)
    sid = uuid7()
    now = now_iso()
    with shop.uow() as uow:
        uow.session.add(Shipment(
            id=sid, sale_id=sale_id, courier="biteship", courier_company="jne",
            service_code="reg", recipient_name="Ibu Sari",
            recipient_phone_enc=c.encrypt(PHONE_E164, record_id=sid, field="recipient_phone"),
            recipient_address_enc=None, key_id=c.active_key_id, weight_g=500, length_cm=10,
            width_cm=10, height_cm=10, declared_value=20_000, description="Mi",
            cod=False, cod_amount=0, status="created", waybill_id="JNE123", created_by=cashier.id,
            created_at=now, updated_at=now))
        uow.commit()
    return sid


def test_marketing_needs_consent_and_nobody_gets_it_twice(
        shop: Shop, c: FieldCipher, supervisor: Actor, owner: Actor) -> None:
    yes = customer(shop, supervisor, phone="0812-1111-0001", consent=True, name="Ani")
    no = customer(shop, supervisor, phone="0812-1111-0002", consent=False, name="Budi")
    none = customer(shop, supervisor, phone=None, email=None, consent=True, name="Cici")
    people = [Recipient.customer(yes), Recipient.customer(no), Recipient.customer(none),
              Recipient.address("0812-1111-0003")]
    variables = {"store_name": "Warung", "text": "Promo minyak goreng!"}
    with shop.uow() as uow, pytest.raises(Refused):
        queue_messages(uow, c, supervisor, channel="whatsapp", template="promo",
                       purpose="marketing", recipients=people, variables=variables,
                       bulk_id="promo-1")
    with shop.uow() as uow:
        result = queue_messages(uow, c, owner, channel="whatsapp", template="promo",
                                purpose="marketing", recipients=people, variables=variables,
                                bulk_id="promo-1")
    assert (result.queued, result.excluded_no_consent, result.excluded_no_address) == (1, 2, 1)
    with shop.uow(write=False) as uow:
        assert "Halo Ani," in decrypt(uow.conn, c, result.message_ids[0]).text
    with shop.uow() as uow:  # a re-run sends nobody twice
        rerun = queue_messages(uow, c, owner, channel="whatsapp", template="promo",
                               purpose="marketing", recipients=people, variables=variables,
                               bulk_id="promo-1")
    assert (rerun.queued, rerun.already) == (0, 1)
    assert count(shop, "message") == 1 and count(shop, "provider_job") == 1


def test_bulk_email_is_chunked_per_sendgrid_request(shop: Shop, c: FieldCipher, owner: Actor) -> None:
    n = EMAIL_CHUNK + 5
    people = [Recipient.address(f"pelanggan{i}@contoh.id") for i in range(n)]
    with shop.uow() as uow:
        result = queue_messages(uow, c, owner, channel="email",
                                template="low_stock", purpose="alert", recipients=people,
                                variables={"store_name": "W", "count": "2", "items": "a\nb"},
                                bulk_id="stock-7")
    assert result.queued == n and len(result.job_ids) == 2
    keys = [scalar(shop, "SELECT idempotency_key FROM provider_job WHERE id = :i", i=j)
            for j in result.job_ids]
    assert keys == ["mail:stock-7:0", "mail:stock-7:1"]
    assert count(shop, "message", "job_id = :j", j=result.job_ids[0]) == EMAIL_CHUNK
    settings(shop, messaging__email__from="toko@contoh.id")
    with shop.uow(write=False) as uow:
        second = email_out(uow.conn, c, result.job_ids[1])
    assert len(second.mail.recipients) == 5  # type: ignore[union-attr]
    with shop.uow() as uow:  # more recipients later: a new chunk number, nobody twice
        more = queue_messages(uow, c, owner, channel="email", template="low_stock",
                              purpose="alert", recipients=people[:3] + [
                                  Recipient.address("baru@contoh.id")],
                              variables={"store_name": "W", "count": "2", "items": "a\nb"},
                              bulk_id="stock-7")
    assert (more.queued, more.already) == (1, 3)
    assert scalar(shop, "SELECT idempotency_key FROM provider_job WHERE id = :i",
                  i=more.job_ids[0]) == "mail:stock-7:2"


def test_bulk_email_names_each_recipient_by_substitution(shop: Shop, c: FieldCipher, owner: Actor,
                                                         supervisor: Actor) -> None:
    a = customer(shop, supervisor, email="a@contoh.id", phone=None, consent=True, name="Ani")
    b = customer(shop, supervisor, email="b@contoh.id", phone=None, consent=True, name="Bayu")
    with shop.uow() as uow:
        result = queue_messages(uow, c, owner, channel="email", template="promo",
                                purpose="marketing", recipients=[Recipient.customer(a),
                                                                 Recipient.customer(b)],
                                variables={"store_name": "W", "text": "Diskon!"},
                                bulk_id="promo-mail")
    settings(shop, messaging__email__from="toko@contoh.id")
    with shop.uow(write=False) as uow:
        out = email_out(uow.conn, c, result.job_ids[0])
    mail = out.mail  # type: ignore[union-attr]
    assert "Halo -name-," in mail.text
    assert [dict(r.substitutions) for r in mail.recipients] == [
        {"-name-": "Ani"}, {"-name-": "Bayu"}]


def test_template_variables_are_fixed(shop: Shop, c: FieldCipher, owner: Actor) -> None:
    for variables in ({"store_name": "W", "count": "1"},
                      {"store_name": "W", "count": "1", "items": "x", "extra": "y"}):
        with shop.uow() as uow, pytest.raises(BadInput) as err:
            queue_messages(uow, c, owner, channel="sms", template="low_stock",
                           purpose="alert", recipients=[Recipient.address(PHONE)],
                           variables=variables, bulk_id="x")
        assert err.value.field == "variables"
    with shop.uow() as uow, pytest.raises(BadInput) as err:
        queue_messages(uow, c, owner, channel="sms", template="nope",
                       purpose="alert", recipients=[], variables={}, bulk_id="x")
    assert err.value.field == "template"
    assert count(shop, "message") == 0


def test_owner_alert_by_the_owner_channel(shop: Shop, c: FieldCipher) -> None:
    variables = {"store_name": "W", "day": "07-12-2026", "sales_total": "Rp 1.500.000",
                 "sales_count": "42", "change": "+5 %"}
    with shop.uow() as uow:
        assert queue_owner_alert(uow.conn, c, "daily_summary", variables) == ()
    settings(shop, messaging__owner_channel="whatsapp", messaging__owner_to="0812-9999-0000")
    with shop.uow() as uow:
        ids = queue_owner_alert(uow.conn, c, "daily_summary", variables)
        twice = queue_owner_alert(uow.conn, c, "daily_summary", variables)
        uow.commit()
    assert len(ids) == 1 and twice == ()  # the same day's summary is sent once
    with shop.uow(write=False) as uow:
        row = message_status(uow, ids[0]).message
        assert row.purpose == "alert" and row.recipient_hint == "+62812****000"
        assert "Rp 1.500.000" in decrypt(uow.conn, c, ids[0]).text


def test_owner_alert_by_push_goes_to_the_owners_devices(shop: Shop, c: FieldCipher, owner: Actor) -> None:
    from services.device_tokens import register_token
    with shop.uow() as uow:
        token = register_token(uow, owner, owner_type="user", owner_id=owner.id,
                               token="fcm-token-" + "a" * 40, platform="android")
    settings(shop, messaging__owner_channel="push")
    with shop.uow() as uow:
        ids = queue_owner_alert(uow.conn, c, "low_stock",
                                {"store_name": "W", "count": "3", "items": "Beras\nGula\nMinyak"})
        uow.commit()
    assert len(ids) == 1
    with shop.uow(write=False) as uow:
        out = push_out(uow.conn, c, ids[0])
    assert getattr(out, "token") == token.token and getattr(out, "collapse_key") == ids[0]
    assert "3" in getattr(out, "title")


def test_list_status_and_discard(shop: Shop, c: FieldCipher, cashier: Actor, supervisor: Actor) -> None:
    sale_id, _ = sale(shop, cashier, customer(shop, supervisor))
    with shop.uow() as uow:
        wa = send_receipt(uow, c, cashier, sale_id, channel="whatsapp")
    with shop.uow() as uow:
        mail = send_receipt(uow, c, cashier, sale_id, channel="email")
    with shop.uow(write=False) as uow:
        assert [m.id for m in list_messages(uow)] == [mail.id, wa.id]
        assert [m.id for m in list_messages(uow, channel="email")] == [mail.id]
        assert list_messages(uow, status="sent") == ()
        with pytest.raises(BadInput) as err:
            list_messages(uow, channel="fax")
        assert err.value.field == "channel"
        with pytest.raises(NotFound):
            message_status(uow, "nope")
    with shop.uow() as uow:
        job = job_row(uow.conn, wa.message.job_id or "")
        assert job is not None
        job_discarded(uow.conn, job, "2026-12-07T10:00:00+00:00")
        uow.commit()
    with shop.uow(write=False) as uow:
        assert message_status(uow, wa.id).status == "failed"
        assert message_status(uow, mail.id).status == "queued"


def test_every_template_renders_in_both_languages_on_every_channel() -> None:
    from services.message_templates import VARIABLES
    from services.messaging import TEMPLATES, render
    for template in TEMPLATES:
        values = {v: f"<{v}>" for v in VARIABLES[template]}
        for locale in ("id", "en"):
            for channel in ("email", "sms", "whatsapp", "push"):
                out = render(template, locale, channel, values)
                assert out.subject and "{" not in out.text and "{" not in out.subject
                if channel == "email":
                    assert out.html and "<store_name>" not in out.html  # escaped
                    assert "&lt;store_name&gt;" in out.html
    ids = render("receipt", "id", "whatsapp", {v: "x" for v in VARIABLES["receipt"]})
    en = render("receipt", "en", "whatsapp", {v: "x" for v in VARIABLES["receipt"]})
    assert "Terima kasih" in ids.text and "Thank you" in en.text


def test_a_long_receipt_fits_a_whatsapp_message() -> None:
    from services.messaging import render
    from services.messaging_templates import BODY_LIMIT
    values = {"store_name": "Warung", "receipt_no": "W-1-000042", "total": "Rp 1.234.500",
              "when": "07-12-2026 19:37 WIB", "receipt_text": "Mi instan 1 x Rp 3.500\n" * 200}
    wa = render("receipt", "id", "whatsapp", values)
    assert len(wa.text) <= BODY_LIMIT and "W-1-000042" in wa.text and "Rp 1.234.500" in wa.text
    mail = render("receipt", "id", "email", values)
    assert mail.text.count("Mi instan") == 200  # email carries the whole copy

"""Messaging end to end: the use cases queue, the dispatcher runs the real handlers with the
real clients (sync.messaging) against the SendGrid, Twilio and FCM simulators on 127.0.0.1,
wired as the till wires them (app.message_wiring)."""

from __future__ import annotations

import base64
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from app.message_wiring import MessagingSimulators, message_handlers, messaging_simulators
from app.secrets import cipher_for
from app.shop import Shop
from services.courier_port import CourierReply, Parcel
from services.crypto import FieldCipher
from services.device_tokens import list_tokens, register_token
from services.messaging import (
    message_status,
    queue_owner_alert,
    queue_shipment_notice,
    send_receipt,
    shipment_notice_hook,
)
from services.shipping_record import record_created
from services.users import Actor
from sync.jobs.dispatcher import Dispatcher
from sync.jobs.model import JobHandler
from sync.message_jobs import TEMPLATE_NEEDED
from sync.simulators.twilio import template_sid
from tests.services.test_messaging_helpers import (
    EMAIL,
    PHONE,
    PHONE_E164,
    customer,
    sale,
    settings,
)

WHATSAPP_FROM = "+14155238886"


class Clock:
    """The dispatcher's clock, moved forward by the tests (status polls wait minutes)."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> datetime:
        return datetime.now(UTC) + timedelta(seconds=self.offset)


@pytest.fixture
def sims(shop: Shop) -> Iterator[MessagingSimulators]:
    with messaging_simulators(shop, seed=3) as running:
        yield running


@pytest.fixture
def handlers(shop: Shop, sims: MessagingSimulators
             ) -> Iterator[Mapping[tuple[str, str], JobHandler]]:
    with message_handlers(shop, timeout=2.0) as made:
        yield made


@pytest.fixture
def c(shop: Shop) -> FieldCipher:
    return cipher_for(shop)


def drain(shop: Shop, handlers: Mapping[tuple[str, str], JobHandler], clock: Clock, *,
          sims: MessagingSimulators | None = None, rounds: int = 12) -> None:
    """Run the dispatcher until nothing is due, then move time on (polls) and again."""
    d = Dispatcher(shop.db, handlers, clock=clock, base_delay=0.01, max_delay=0.05)
    for _ in range(rounds):
        d.run_once()
        clock.offset += 700  # past the longest poll interval
        if sims is not None:
            sims.twilio.advance(30)


def test_the_wiring_runs_every_configured_provider(handlers: Mapping[tuple[str, str],
                                                                     JobHandler]) -> None:
    assert set(handlers) == {("sendgrid", "email"), ("twilio", "sms"), ("twilio", "whatsapp"),
                             ("fcm", "push")}


def test_receipt_by_whatsapp_goes_as_the_approved_template(
        shop: Shop, c: FieldCipher, cashier: Actor, supervisor: Actor,
        sims: MessagingSimulators, handlers: Mapping[tuple[str, str], JobHandler]) -> None:
    sale_id, receipt_no = sale(shop, cashier, customer(shop, supervisor))
    with shop.uow() as uow:
        view = send_receipt(uow, c, cashier, sale_id, channel="whatsapp")
    # Nobody wrote to the shop in the last 24 hours: only an approved template may go.
    assert not sims.twilio.window_open(WHATSAPP_FROM, PHONE_E164)
    drain(shop, handlers, Clock(), sims=sims)
    (sent,) = sims.twilio.outbox()
    assert sent["to"] == f"whatsapp:{PHONE_E164}"
    assert sent["content_sid"] == template_sid("receipt.id")
    assert receipt_no in sent["body"] and "Rp " in sent["body"]
    with shop.uow(write=False) as uow:
        row = message_status(uow, view.id)
    assert row.message.provider_message_id == sent["sid"]
    assert row.status in ("delivered", "read") and row.job_state == "succeeded"


def test_free_text_outside_the_window_fails_asking_for_a_template(
        shop: Shop, c: FieldCipher, cashier: Actor, supervisor: Actor,
        sims: MessagingSimulators, handlers: Mapping[tuple[str, str], JobHandler]) -> None:
    settings(shop, messaging__twilio__template__receipt__id="")  # no approved template
    sale_id, _ = sale(shop, cashier, customer(shop, supervisor))
    with shop.uow() as uow:
        view = send_receipt(uow, c, cashier, sale_id, channel="whatsapp")
    drain(shop, handlers, Clock(), sims=sims)
    (sent,) = sims.twilio.outbox()
    assert sent["content_sid"] is None and sent["error_code"] == 63016
    with shop.uow(write=False) as uow:
        row = message_status(uow, view.id)
    assert row.status == "failed" and row.message.error == TEMPLATE_NEEDED
    assert row.job_state == "dead"
    # Within the window (the customer wrote to the shop), free text is delivered.
    sims.twilio.inbound(PHONE_E164, WHATSAPP_FROM, "halo")
    with shop.uow() as uow:
        other = send_receipt(uow, c, cashier, sale_id, channel="whatsapp", to="0812-3456-7890 ")
    assert other.already  # the same receipt to the same number: still the one message
    second_sale, _ = sale(shop, cashier)
    with shop.uow() as uow:
        again = send_receipt(uow, c, cashier, second_sale, channel="whatsapp", to=PHONE)
    drain(shop, handlers, Clock(), sims=sims)
    with shop.uow(write=False) as uow:
        assert message_status(uow, again.id).status in ("delivered", "read")


def test_receipt_by_email_with_the_pdf(
        shop: Shop, c: FieldCipher, cashier: Actor, supervisor: Actor,
        sims: MessagingSimulators, handlers: Mapping[tuple[str, str], JobHandler]) -> None:
    sale_id, receipt_no = sale(shop, cashier, customer(shop, supervisor))
    with shop.uow() as uow:
        view = send_receipt(uow, c, cashier, sale_id, channel="email")
    drain(shop, handlers, Clock())
    (mail,) = sims.sendgrid.outbox()
    assert mail["to"] == EMAIL and receipt_no in mail["subject"]
    assert mail["attachments"] == [f"struk-{receipt_no}.pdf"]
    assert mail["custom_args"].get("message_id") == view.id
    (request,) = sims.sendgrid.requests()
    pdf = base64.b64decode(request["body"]["attachments"][0]["content"])
    assert pdf.startswith(b"%PDF") and receipt_no.encode() in pdf
    with shop.uow(write=False) as uow:
        row = message_status(uow, view.id)
    assert row.message.provider_message_id == mail["x_message_id"]
    assert row.status == "queued" and row.job_state == "succeeded"  # accepted, not yet seen


def test_a_dead_push_token_is_deactivated(
        shop: Shop, c: FieldCipher, owner: Actor, sims: MessagingSimulators,
        handlers: Mapping[tuple[str, str], JobHandler]) -> None:
    assert sims.fcm is not None
    alive = sims.fcm.register_device()
    dead = sims.fcm.register_device()
    sims.fcm.kill_device(dead)
    with shop.uow() as uow:
        register_token(uow, owner, owner_type="user", owner_id=owner.id, token=alive,
                       platform="android")
    with shop.uow() as uow:
        register_token(uow, owner, owner_type="user", owner_id=owner.id, token=dead,
                       platform="android")
    settings(shop, messaging__owner_channel="push")
    with shop.uow() as uow:
        ids = queue_owner_alert(uow.conn, c, "low_stock",
                                {"store_name": "Warung", "count": "2", "items": "Gula\nBeras"})
        uow.commit()
    assert len(ids) == 2
    drain(shop, handlers, Clock())
    (pushed,) = sims.fcm.outbox()
    assert pushed["token"] == alive and pushed["collapse_key"] in ids
    with shop.uow(write=False) as uow:
        tokens = {t.token: t for t in list_tokens(uow)}
        statuses = {message_status(uow, i).status for i in ids}
    assert tokens[alive].active and not tokens[dead].active
    assert "UNREGISTERED" in (tokens[dead].deactivated_reason or "")
    assert statuses == {"sent", "rejected"}


def test_a_shipment_event_sends_the_customer_a_whatsapp_notice(
        shop: Shop, c: FieldCipher, cashier: Actor, sims: MessagingSimulators,
        handlers: Mapping[tuple[str, str], JobHandler]) -> None:
    from services.shipping import ShipmentRequest, create_shipment
    settings(shop, courier__enabled="biteship", courier__origin__name="Warung Demo",
             courier__origin__phone="0812-0000-0001", courier__origin__address="Jl. Pasar 1",
             courier__origin__postal_code="40111", courier__notify="whatsapp")
    sale_id, receipt_no = sale(shop, cashier)
    with shop.uow() as uow:
        shipment = create_shipment(uow, c, cashier, ShipmentRequest(
            sale_id=sale_id, courier="biteship", courier_company="jne", service_code="reg",
            recipient_name="Ibu Sari", recipient_phone=PHONE, recipient_address="Jl. Mawar 2",
            destination_postal_code="40115", destination_area_id=None, destination_code=None,
            parcel=Parcel(500, 10, 10, 10, 20_000, "Mi instan")))
    # The courier said "created" with an airway bill: the couriers' code records it and calls
    # the status hook (bound by the app to the notice) in the same transaction.
    with shop.uow() as uow:
        record_created(uow, shipment.id, CourierReply("ok", status="created",
                                                      provider_status="confirmed",
                                                      waybill_id="JNE0042"),
                       hook=shipment_notice_hook(c))
    with shop.uow(write=False) as uow:
        message_id = uow.conn.execute(text(
            "SELECT id FROM message WHERE ref_type = 'shipment' AND ref_id = :i"),
            {"i": shipment.id}).scalar_one()
    with shop.uow() as uow:  # the same status heard again (a poll): still one notice
        assert queue_shipment_notice(uow.conn, c, shipment.id, "created",
                                     datetime.now(UTC).isoformat()) == message_id
        uow.commit()
    drain(shop, handlers, Clock(), sims=sims)
    (sent,) = sims.twilio.outbox()
    assert sent["to"] == f"whatsapp:{PHONE_E164}"
    assert sent["content_sid"] == template_sid("shipment_created.id")
    assert sent["body"] == f"Pesanan {receipt_no} dikirim dengan JNE, resi JNE0042."
    with shop.uow(write=False) as uow:
        assert message_status(uow, message_id).status in ("delivered", "read")


def test_notes_say_what_is_missing_until_set_up(shop: Shop) -> None:
    from app.message_wiring import message_notes
    notes = message_notes(shop)
    assert set(notes) == {"sendgrid", "twilio", "fcm"}
    assert "sendgrid-api-key" in notes["sendgrid"] and "warungin providers" in notes["twilio"]
    with message_handlers(shop) as nothing:
        assert dict(nothing) == {}
    with messaging_simulators(shop):
        assert message_notes(shop) == {}

"""A customer's right to their data on real SQLite files: the export (complete, decrypted,
audited, supervisor or owner only), the erasure (what it clears, what it keeps, the
tombstone and the database's triggers), and the consent log (every change with time,
source and who)."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any, Literal

import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import text

from app.secrets import cipher_for
from app.shop import Shop
from services import device_tokens as dt
from services.consents import CUSTOMER, record_consent
from services.customers import create_customer, erase_customer, update_customer
from services.errors import BadInput, Refused, ShopError
from services.kasbon import repay_kasbon
from services.messaging_queue import queue_one, send_receipt
from services.messaging_templates import Rendered
from services.personal_data import export_customer
from services.selling import LineRequest, PaymentRequest, SaleRequest, complete_sale
from services.users import Actor
from tests.helpers import scalar, trial_balance

# Obviously made-up person (+62 812-0000-xxxx numbers are not handed out).
NAME = "Ibu Contoh Datapribadi"
PHONE_LOCAL, PHONE = "0812-0000-4321", "+6281200004321"
EMAIL = "contoh.datapribadi@contoh.id"
ADDRESS = "Jl. Contoh Nomor 7, Bandung"
PERSONAL = (NAME, "Datapribadi", PHONE, "81200004321", EMAIL, "Contoh Nomor 7")
TOKEN = "fcmTok3n_PDP:APA91bH-" + "y" * 140


@dataclass(frozen=True)
class History:
    customer_id: str
    sale_ids: tuple[str, ...]
    receipts: tuple[str, ...]
    payables: tuple[int, ...]
    receipt_message_id: str
    marketing_message_id: str


def rows(shop: Shop, sql: str, **params: Any) -> list[Any]:
    with shop.uow(write=False) as uow:
        return list(uow.conn.execute(text(sql), params).all())


def scalar_in(uow: Any, sql: str, **params: Any) -> Any:
    return uow.conn.execute(text(sql), params).scalar()


def with_history(shop: Shop, cashier: Actor, supervisor: Actor) -> History:
    """A customer who bought twice (cash, then kasbon, part repaid), was sent a receipt by
    WhatsApp and a marketing message, registered a phone for push, and gave consent."""
    cipher = cipher_for(shop)
    with shop.uow() as uow:
        c = create_customer(uow, cipher, supervisor, name=NAME, phone=PHONE_LOCAL, email=EMAIL,
                            address=ADDRESS, consent_marketing=True, credit_limit=200_000)
    sales = []
    for pay in (PaymentRequest("cash", 20_000), PaymentRequest("kasbon", 7_000)):
        req = SaleRequest((LineRequest("MI-0001", 2000),), (pay,), customer_id=c.id)
        with shop.uow() as uow:
            sales.append(complete_sale(uow, shop.config, cashier, req))
    with shop.uow() as uow:
        repay_kasbon(uow, shop.config, cashier, c.id, 2_000)
    with shop.uow() as uow:
        receipt = send_receipt(uow, cipher, cashier, sales[0].id, channel="whatsapp")
    with shop.uow() as uow:
        promo = queue_one(uow.conn, cipher, channel="email", purpose="marketing",
                          rendered=Rendered("receipt", "id", f"Promo untuk {NAME}",
                                            f"Halo {NAME}"),
                          address=EMAIL, dedupe_key=f"test-promo:{c.id}", variables={},
                          now="2026-12-07T01:00:00.000000+00:00", customer_id=c.id)
        uow.commit()
    with shop.uow() as uow:
        dt.register_token(uow, cashier, token=TOKEN, owner_type="customer", owner_id=c.id,
                          platform="android")
    return History(c.id, tuple(s.id for s in sales), tuple(s.receipt_no for s in sales),
                   tuple(s.payable for s in sales), receipt.message.id, promo.id)


def export(shop: Shop, actor: Actor, customer_id: str, fmt: str = "json") -> Any:
    cipher = cipher_for(shop)
    with shop.uow() as uow:
        return export_customer(uow, cipher, actor, customer_id, fmt=fmt)


# --- export ------------------------------------------------------------------------------------

def test_export_is_complete_decrypted_and_audited(shop: Shop, cashier: Actor,
                                                   supervisor: Actor, owner: Actor) -> None:
    h = with_history(shop, cashier, supervisor)
    with shop.uow() as uow:
        record_consent(uow, CUSTOMER, h.customer_id, False, "stop")
    with pytest.raises(Refused):
        export(shop, cashier, h.customer_id)
    assert scalar(shop, "SELECT COUNT(*) FROM audit_log WHERE action = 'customer.export'") == 0

    data = export(shop, supervisor, h.customer_id)
    out = json.loads(json.dumps(data.as_dict()))  # all of it is JSON
    c = out["customer"]
    assert (c["name"], c["phone"], c["email"], c["address"]) == (NAME, PHONE, EMAIL, ADDRESS)
    assert c["consent_marketing"] is False and c["credit_limit"] == 200_000
    assert [s["receipt_no"] for s in out["sales"]] == list(h.receipts)
    assert [s["payable"] for s in out["sales"]] == list(h.payables)
    assert out["sales_total"] == sum(h.payables)
    assert all(s["lines"] and s["lines"][0]["sku"] == "MI-0001" for s in out["sales"])
    assert [p["method"] for s in out["sales"] for p in s["payments"]] == ["cash", "kasbon"]
    assert [k["kind"] for k in out["kasbon"]] == ["sale", "repayment"]
    assert out["kasbon_balance"] == h.payables[1] - 2_000
    by_id = {m["id"]: m for m in out["messages"]}
    assert by_id[h.receipt_message_id]["address"] == PHONE
    assert by_id[h.receipt_message_id]["channel"] == "whatsapp"
    assert by_id[h.marketing_message_id]["address"] == EMAIL
    assert by_id[h.marketing_message_id]["purpose"] == "marketing"
    assert [d["platform"] for d in out["devices"]] == ["android"]
    assert TOKEN not in json.dumps(out)  # a device token is shown shortened, never whole
    assert [(x["granted"], x["source"], x["actor"]) for x in out["consents"]] == [
        (True, "till", supervisor.id), (False, "stop", "customer")]
    assert dict(data.actor_names)[supervisor.id] == supervisor.name
    points = {p["table"]: p["rows"] for p in out["points"]}
    has_ledger = scalar(shop, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'loyalty_entry'")
    assert ("loyalty_entry" in points) == bool(has_ledger)
    # The export is in the audit chain, with counts only.
    details = scalar(shop, "SELECT details FROM audit_log WHERE action = 'customer.export' "
                           "AND entity_id = :i", i=h.customer_id)
    assert json.loads(details)["sales"] == 2
    assert not any(p in details for p in PERSONAL)
    export(shop, owner, h.customer_id, "pdf")
    assert scalar(shop, "SELECT COUNT(*) FROM audit_log WHERE action = 'customer.export'") == 2
    with pytest.raises(BadInput) as bad:
        export(shop, owner, h.customer_id, "xml")
    assert bad.value.field == "format"


# --- erasure ----------------------------------------------------------------------------------

def test_erasure_clears_everything_and_keeps_the_books(shop: Shop, cashier: Actor,
                                                       supervisor: Actor, owner: Actor) -> None:
    h = with_history(shop, cashier, supervisor)
    cipher = cipher_for(shop)
    with shop.uow() as uow:  # the marketing message failed, with an error text naming them
        uow.conn.execute(text("UPDATE message SET status = 'failed', error = :e WHERE id = :i"),
                         {"e": f"bad address {EMAIL}", "i": h.marketing_message_id})
        # Someone else's email in the same (bulk) job: it must still go.
        job_id = scalar_in(uow, "SELECT job_id FROM message WHERE id = :i",
                           i=h.marketing_message_id)
        other = queue_one(uow.conn, cipher, channel="email", purpose="marketing",
                          rendered=Rendered("receipt", "id", "Promo", "Halo"),
                          address="lain@contoh.id", dedupe_key="test-promo:other",
                          variables={}, now="2026-12-07T01:00:00.000000+00:00", job=False,
                          job_id=job_id)
        uow.commit()
    from services.loyalty import adjust_points
    terminal = str(scalar(shop, "SELECT value FROM setting WHERE key = 'terminal_id'"))
    with shop.uow() as uow:  # an adjustment whose reason names the person
        adjust_points(uow, supervisor, h.customer_id, 50, f"hadiah untuk {NAME}",
                      approver="Budi", pin="5678", terminal_id=terminal)
    tb_before = trial_balance(shop)
    kasbon_before = rows(shop, "SELECT id, amount FROM kasbon_entry WHERE customer_id = :c "
                               "ORDER BY id", c=h.customer_id)
    points_before = rows(shop, "SELECT COUNT(*), COALESCE(SUM(points), 0) FROM loyalty_entry "
                               "WHERE customer_id = :c", c=h.customer_id) if scalar(
        shop, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'loyalty_entry'") else None

    with shop.uow() as uow:
        erase_customer(uow, owner, h.customer_id, allow_outstanding_kasbon=True)

    msgs = rows(shop, "SELECT recipient_enc, recipient_hint, content_enc, subject, key_id, "
                      "error, dedupe_key, status FROM message WHERE customer_id = :c",
                c=h.customer_id)
    assert len(msgs) == 2
    for m in msgs:
        assert (m[0], m[1], m[2], m[3], m[4]) == ("", "", "", None, None)
        assert m[5] in (None, "customer erased") and m[6].startswith("erased:")
    # The queued receipt is not sent any more; its job is dead.
    assert rows(shop, "SELECT m.status, j.state FROM message m JOIN provider_job j "
                      "ON j.id = m.job_id WHERE m.id = :i", i=h.receipt_message_id) == [
        ("rejected", "dead")]
    # The shared bulk job goes on for the other recipient; the person's row is skipped.
    assert rows(shop, "SELECT m.status, j.state FROM message m JOIN provider_job j "
                      "ON j.id = m.job_id WHERE m.id IN (:a, :b) ORDER BY m.id = :b",
                a=h.marketing_message_id, b=other.id) == [("rejected", "pending"),
                                                          ("queued", "pending")]
    # The device token is deactivated, and that goes to central.
    assert rows(shop, "SELECT active, deactivated_reason FROM device_token WHERE owner_id = :c",
                c=h.customer_id) == [(0, "customer erased")]
    # No copy of the profile waits in the outbox.
    upserts = [json.loads(p) for (p,) in rows(
        shop, "SELECT payload FROM outbox WHERE type = 'customer.upserted' "
              "AND aggregate_id = :c", c=h.customer_id)]
    assert upserts and all(u == {"erased": True, "id": h.customer_id} for u in upserts)
    assert rows(shop, "SELECT origin FROM customer_tombstone WHERE customer_id = :c",
                c=h.customer_id) == [("local",)]
    # The consent ends with the person, and the log says so.
    assert rows(shop, "SELECT granted, source, actor FROM consent_event WHERE customer_id = :c "
                      "ORDER BY created_at", c=h.customer_id) == [
        (1, "till", supervisor.id), (0, "erasure", owner.id)]
    # Kept: the sales and their totals, kasbon entries, the books, the points.
    assert [r[0] for r in rows(shop, "SELECT payable FROM sale WHERE customer_id = :c "
                                     "ORDER BY seq", c=h.customer_id)] == list(h.payables)
    assert rows(shop, "SELECT id, amount FROM kasbon_entry WHERE customer_id = :c ORDER BY id",
                c=h.customer_id) == kasbon_before
    assert trial_balance(shop) == tb_before
    assert points_before is not None and points_before[0][1] >= 50
    assert rows(shop, "SELECT COUNT(*), COALESCE(SUM(points), 0) FROM loyalty_entry "
                      "WHERE customer_id = :c", c=h.customer_id) == points_before
    assert rows(shop, "SELECT COUNT(*) FROM loyalty_entry WHERE customer_id = :c "
                      "AND reason IS NOT NULL", c=h.customer_id) == [(0,)]
    details = scalar(shop, "SELECT details FROM audit_log WHERE action = 'customer.erase' "
                           "AND entity_id = :i", i=h.customer_id)
    assert json.loads(details)["messages"] == 2 and json.loads(details)["points_reasons"] == 1
    assert not any(p in details for p in PERSONAL)
    # An export afterwards holds nothing personal.
    after = json.dumps(export(shop, owner, h.customer_id).as_dict())
    assert not any(p in after for p in PERSONAL)


def test_the_database_keeps_an_erased_customer_erased(shop: Shop, cashier: Actor,
                                                      supervisor: Actor, owner: Actor) -> None:
    h = with_history(shop, cashier, supervisor)
    with shop.uow() as uow:
        erase_customer(uow, owner, h.customer_id, allow_outstanding_kasbon=True)
    for sql in ("UPDATE customer SET erased_at = NULL WHERE id = :c",
                "UPDATE customer SET phone_enc = 'v1:x' WHERE id = :c",
                "UPDATE customer SET name = 'Ibu Kembali' WHERE id = :c"):
        with shop.uow() as uow, pytest.raises(sa_exc.DatabaseError,
                                              match="personal data cannot"):
            uow.conn.execute(text(sql), {"c": h.customer_id})
    # An id erased elsewhere cannot be made here (an old pull, a restored backup).
    gone = "01890000-0000-7000-8000-00000000e1a5"
    with shop.uow() as uow:
        uow.conn.execute(text("INSERT INTO customer_tombstone VALUES (:c, 'x', 'central', 'x')"),
                         {"c": gone})
        uow.commit()
    with shop.uow() as uow, pytest.raises(sa_exc.DatabaseError, match="personal data cannot"):
        uow.conn.execute(text(
            "INSERT INTO customer (id, name, consent_marketing, credit_limit, created_at, "
            "updated_at) VALUES (:c, 'Ibu Kembali', 0, 0, 'x', 'x')"), {"c": gone})
    # Every other outbox event stays frozen.
    with shop.uow() as uow, pytest.raises(sa_exc.DatabaseError, match="immutable"):
        uow.conn.execute(text("UPDATE outbox SET payload = '{}' WHERE type = 'sale.completed'"))


# --- consent ----------------------------------------------------------------------------------

def test_every_consent_change_is_logged_with_source_and_who(shop: Shop, cashier: Actor,
                                                            supervisor: Actor) -> None:
    cipher = cipher_for(shop)
    with shop.uow() as uow:
        c = create_customer(uow, cipher, cashier, name="Pak Setuju", consent_marketing=True)
    with shop.uow() as uow:
        update_customer(uow, cipher, supervisor, c.id, consent_marketing=False,
                        consent_source="office")
    with shop.uow() as uow:
        same = record_consent(uow, cashier, c.id, False, "cli")
    assert same.change is None  # already withdrawn: nothing written
    with shop.uow() as uow:
        granted = record_consent(uow, cashier, c.id, True, "import")
    assert granted.change is not None and granted.change.actor == cashier.id
    # The person may only withdraw, and only through their own channels.
    attempts: list[tuple[Actor | Literal["customer"], bool, str, type[ShopError]]] = [
        (CUSTOMER, True, "unsubscribe", Refused),
        (CUSTOMER, False, "till", Refused), (cashier, False, "stop", BadInput),
        (cashier, False, "fax", BadInput)]
    for who, flag, source, error in attempts:
        with shop.uow() as uow, pytest.raises(error) as err:
            record_consent(uow, who, c.id, flag, source)
        assert err.value.field == "source"
    with shop.uow() as uow:
        promo = queue_one(uow.conn, cipher, channel="sms", purpose="marketing",
                          rendered=Rendered("receipt", "id", "", "Promo"),
                          address="+6281200009876", dedupe_key=f"promo:{c.id}", variables={},
                          now="2026-12-07T01:00:00.000000+00:00", customer_id=c.id)
        uow.commit()
    with shop.uow() as uow:
        out = record_consent(uow, CUSTOMER, c.id, False, "unsubscribe")
    assert out.messages_stopped == 1
    assert rows(shop, "SELECT m.status, m.error, j.state FROM message m JOIN provider_job j "
                      "ON j.id = m.job_id WHERE m.id = :i", i=promo.id) == [
        ("rejected", "consent withdrawn", "dead")]
    log = rows(shop, "SELECT granted, source, actor FROM consent_event WHERE customer_id = :c "
                     "ORDER BY created_at, id", c=c.id)
    assert log == [(1, "till", cashier.id), (0, "office", supervisor.id),
                   (1, "import", cashier.id), (0, "unsubscribe", "customer")]
    events = [json.loads(p) for (p,) in rows(
        shop, "SELECT payload FROM outbox WHERE type = 'customer.consent' ORDER BY seq")]
    assert [(e["granted"], e["source"], e["actor"]) for e in events] == [
        (True, "till", cashier.id), (False, "office", supervisor.id),
        (True, "import", cashier.id), (False, "unsubscribe", "customer")]
    assert scalar(shop, "SELECT consent_marketing FROM customer WHERE id = :c", c=c.id) == 0


def test_no_personal_data_in_the_logs(shop: Shop, cashier: Actor, supervisor: Actor,
                                      owner: Actor, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    h = with_history(shop, cashier, supervisor)
    export(shop, owner, h.customer_id)
    with shop.uow() as uow:
        erase_customer(uow, owner, h.customer_id, allow_outstanding_kasbon=True)
    assert "erasure: cleared" in caplog.text  # the log was captured at all
    assert not any(p in caplog.text for p in PERSONAL)
    assert h.customer_id not in caplog.text

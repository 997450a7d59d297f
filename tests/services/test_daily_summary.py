"""The daily summary: its figures are the reports', it is queued once per store, day and
recipient through the real queue, and the misfire rule (send within N hours, else log as
skipped) holds on both sides, also after the PC was off for days."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import text

from app.secrets import cipher_for
from app.shop import Shop
from local_db.ids import seeding_clock
from local_db.store import write_settings
from services.daily_summary import build_summary, render_summary
from services.formatting import zone
from services.payables import store_today
from services.refunds import refund_sale
from services.reports.queries import product_sales, sales_summary
from services.reports.values import Period
from services.schedule_summary import (
    Claim,
    ClaimUnavailable,
    email_log,
    run_due_summaries,
    scheduled_moment,
)
from services.selling import Approval, LineRequest, PaymentRequest, SaleRequest, complete_sale
from services.users import Actor
from tests.helpers import scalar

TZ = "Asia/Jakarta"


def sell(shop: Shop, actor: Actor, sku: str, qty: int, method: str = "cash",
         amount: int = 1_000_000) -> str:
    req = SaleRequest((LineRequest(sku, qty),), (PaymentRequest(method, amount),))
    with shop.uow() as uow:
        return complete_sale(uow, shop.config, actor, req).receipt_no


def settings(shop: Shop, **values: str) -> None:
    with shop.uow() as uow:
        write_settings(uow.conn, values)
        uow.commit()


def closing(day_offset: int, hours_after: float) -> datetime:
    today = datetime.now(UTC).astimezone(zone(TZ)).date()
    return scheduled_moment(today + timedelta(days=day_offset), time(21, 0), TZ) + timedelta(
        hours=hours_after)


@pytest.fixture
def summary_shop(shop: Shop) -> Shop:
    settings(shop, **{"summary.recipients": "pemilik@warung.test, akuntan@warung.test",
                      "summary.time": "21:00", "timezone": TZ,
                      "schedule.since": closing(-30, 0).isoformat()})
    return shop


def test_figures_equal_the_reports(shop: Shop, cashier: Actor, supervisor: Actor) -> None:
    now = datetime.now(UTC)
    with seeding_clock(now - timedelta(days=1)):
        sell(shop, cashier, "MI-0001", 4000)
    with seeding_clock(now - timedelta(days=7)):
        sell(shop, cashier, "MI-0002", 2000)
    sold = sell(shop, cashier, "MI-0001", 3000)
    sell(shop, cashier, "MI-0003", 1000, "edc", 3300)
    with shop.uow() as uow:
        refund_sale(uow, shop.config, supervisor, sold, reason="rusak",
                    approval=Approval("Budi", "5678"))
    with shop.uow(write=False) as uow:
        day = store_today(uow.conn)
        s = build_summary(uow.conn, day)
        report = sales_summary(uow.conn, Period(day - timedelta(days=7),
                                                day + timedelta(days=1)))
        products = product_sales(uow.conn, Period.day(day))
        raw_paid = int(uow.conn.execute(text("SELECT COALESCE(SUM(payable),0) FROM sale")
                                        ).scalar() or 0)
    assert s.today == report.days[-1] and s.yesterday == report.days[-2]
    assert s.last_week == report.days[0]
    assert s.today.net == s.today.sales - s.today.refunds
    assert s.today.sales + s.yesterday.sales + s.last_week.sales == raw_paid
    # Net of the day's refunds: the refunded sale's product sold nothing net.
    assert [r.sku for r in s.top_products] == [r.sku for r in products.rows
                                               if r.qty_milli > 0][:5] == ["MI-0003"]
    assert s.today.refunds_count == 1 and s.today.refunds > 0
    assert dict(s.payment_mix) == {m: a for m, a in s.today.by_method.items() if a}
    rendered = render_summary(s, "Toko Demo", "id")
    assert "Penjualan bersih" in rendered.text and "Kasbon jatuh tempo" in rendered.text
    assert rendered.template == "daily_summary" and rendered.html


def test_once_per_store_day_and_recipient(summary_shop: Shop, cashier: Actor) -> None:
    shop = summary_shop
    sell(shop, cashier, "MI-0001", 1000)
    cipher = cipher_for(shop)
    messages = scalar(shop, "SELECT COUNT(*) FROM message")
    out = run_due_summaries(shop.uow, cipher, None, now=closing(0, 0.5))
    today = [o for o in out if o.day == closing(0, 0).astimezone(zone(TZ)).date()]
    assert [o.status for o in today] == ["queued", "queued"]
    assert scalar(shop, "SELECT COUNT(*) FROM message") == messages + 2
    # Run again, and again later within the window: nothing new.
    for hours in (0.5, 1, 5):
        again = run_due_summaries(shop.uow, cipher, None, now=closing(0, hours))
        assert [o for o in again if o.status == "queued"] == []
    assert scalar(shop, "SELECT COUNT(*) FROM message") == messages + 2
    assert scalar(shop, "SELECT COUNT(*) FROM email_log WHERE status='queued'") == 2
    # The database refuses a second row for the same store, day and recipient.
    with shop.uow() as uow, pytest.raises(Exception, match="UNIQUE"):
        uow.conn.execute(text(
            "INSERT INTO email_log (id, kind, store_id, day, recipient_key, recipient_hint, "
            "scheduled_for, status, created_at, updated_at) SELECT 'x', kind, store_id, day, "
            "recipient_key, 'x', 'x', 'queued', 'x', 'x' FROM email_log LIMIT 1"))
    with shop.uow(write=False) as uow:
        rows = email_log(uow.conn)
    assert {r.message_status for r in rows if r.status == "queued"} == {"queued"}
    assert {r.recipient_hint for r in rows} == {"p***@warung.test", "a***@warung.test"}


def test_misfire_within_the_window_sends_beyond_it_skips(summary_shop: Shop) -> None:
    shop = summary_shop
    cipher = cipher_for(shop)
    settings(shop, **{"schedule.since": closing(-1, -1).isoformat(),
                      "summary.recipients": "pemilik@warung.test"})
    # The PC was off at yesterday's closing and comes back 5 h 59 after it: sent.
    out = run_due_summaries(shop.uow, cipher, None, now=closing(-1, 5.98))
    assert [(o.status) for o in out] == ["queued"]
    # Today's closing is missed by 6 h 1 min: logged as skipped, never sent.
    out = run_due_summaries(shop.uow, cipher, None, now=closing(0, 6.02))
    assert [o.status for o in out] == ["skipped"]
    assert "missed" in (out[0].reason or "")
    assert scalar(shop, "SELECT COUNT(*) FROM email_log WHERE status='skipped'") == 1


def test_restart_after_the_pc_was_off_for_days(summary_shop: Shop) -> None:
    shop = summary_shop
    settings(shop, **{"schedule.since": closing(-3, -2).isoformat(),
                      "summary.recipients": "pemilik@warung.test"})
    cipher = cipher_for(shop)
    # Off since before closing three days ago; on again two hours after today's closing.
    out = run_due_summaries(shop.uow, cipher, None, now=closing(0, 2))
    assert [o.status for o in out] == ["skipped", "skipped", "skipped", "queued"]
    # A second start (the program restarted) changes nothing.
    assert run_due_summaries(shop.uow, cipher, None, now=closing(0, 2.5)) == []
    assert scalar(shop, "SELECT COUNT(*) FROM email_log") == 4


class FakeClaims:
    """The claim port with central's answers chosen by the test (the real one is tried on
    PostgreSQL in tests/central/test_summary_claim.py)."""

    def __init__(self, answer: Claim | None, terminal_id: str = "t-me") -> None:
        self.answer = answer
        self.terminal_id = terminal_id
        self.calls = 0

    def claim(self, store_id: str, day: object, key: str) -> Claim:
        self.calls += 1
        if self.answer is None:
            raise ClaimUnavailable("OperationalError")
        return self.answer


def test_offline_rules(summary_shop: Shop) -> None:
    shop = summary_shop
    cipher = cipher_for(shop)
    settings(shop, **{"schedule.since": closing(0, -1).isoformat(),
                      "summary.recipients": "pemilik@warung.test"})
    # No designated till and central unreachable: wait, send nothing, log nothing.
    out = run_due_summaries(shop.uow, cipher, FakeClaims(None), now=closing(0, 1))
    assert [o.status for o in out] == ["waiting"]
    assert scalar(shop, "SELECT COUNT(*) FROM email_log") == 0
    # Another till won the claim: skipped, naming it.
    out = run_due_summaries(shop.uow, cipher, FakeClaims(Claim(False, "t-other")),
                            now=closing(0, 1.5))
    assert [(o.status, o.reason) for o in out] == [("skipped", "sent by till t-other")]
    assert scalar(shop, "SELECT COUNT(*) FROM message WHERE template='daily_summary'") == 0


def test_designated_till_sends_offline_others_never(summary_shop: Shop) -> None:
    shop = summary_shop
    cipher = cipher_for(shop)
    me = scalar(shop, "SELECT value FROM setting WHERE key='terminal_id'")
    settings(shop, **{"schedule.since": closing(0, -1).isoformat(),
                      "summary.recipients": "pemilik@warung.test", "summary.terminal": "other"})
    out = run_due_summaries(shop.uow, cipher, FakeClaims(Claim(True, me)), now=closing(0, 1))
    assert {o.status for o in out} == {"not_mine"}
    settings(shop, **{"summary.terminal": me})
    out = run_due_summaries(shop.uow, cipher, FakeClaims(None, me), now=closing(0, 1))
    assert [o.status for o in out] == ["queued"]


def test_own_claim_from_a_crashed_run_still_sends(summary_shop: Shop) -> None:
    shop = summary_shop
    settings(shop, **{"schedule.since": closing(0, -1).isoformat(),
                      "summary.recipients": "pemilik@warung.test"})
    # Central says "already claimed" by this very till: its run died before the commit.
    claims = FakeClaims(Claim(False, "t-me"), "t-me")
    out = run_due_summaries(shop.uow, cipher_for(shop), claims, now=closing(0, 1))
    assert [o.status for o in out] == ["queued"] and claims.calls == 1

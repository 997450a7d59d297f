"""Period close: the closing entry, soft and hard locks enforced by the database itself, a
supervisor's permit, late sales, reopening, and closed statements that never change."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from app.shop import Shop
from local_db.ids import uuid7
from local_db.store import post_journal
from services.books import statements as st
from services.books.ageing import receivables_ageing
from services.books.periods import (
    close_period,
    late_postings,
    lock_period,
    period_status,
    permit_posting,
    reopen_period,
)
from services.errors import BadInput, Conflict, Refused
from services.reports.values import Period
from services.users import Actor
from tests.services.test_books_support import at, customer, q, raw_balance, sell, utc_of

JAN = Period(date(2027, 1, 1), date(2027, 2, 1))
FEB = Period(date(2027, 2, 1), date(2027, 3, 1))
JAN_LAST_INSTANT = "2027-01-31T16:59:59.999999+00:00"


def _raw_post(shop: Shop, kind: str, created_at: str, entry_id: str | None = None,
              permit_by: Actor | None = None) -> str:
    """Lines and entry written with plain SQL, as any writer could: the trigger decides."""
    eid = entry_id or uuid7()
    with shop.uow() as uow:
        if permit_by is not None:
            permit_posting(uow.conn, permit_by, eid, "koreksi stok")
        uow.conn.execute(text(
            "INSERT INTO journal_line(entry_id, account_code, debit, credit) VALUES "
            "(:e, '1-1110', 1000, 0), (:e, '1-1100', 0, 1000)"), {"e": eid})
        uow.conn.execute(text(
            "INSERT INTO journal_entry(id, kind, ref_id, memo, created_at) VALUES "
            "(:e, :k, NULL, 'raw', :t)"), {"e": eid, "k": kind, "t": created_at})
        uow.commit()
    return eid


def _figures(shop: Shop) -> tuple[object, ...]:
    with shop.uow(write=False) as uow:
        pnl = st.profit_and_loss(uow.conn, JAN)
        tb = st.trial_balance(uow.conn, JAN)
        bs = st.balance_sheet(uow.conn, date(2027, 1, 31))
        book = st.cash_book(uow.conn, JAN, "1-1100")
        ageing = receivables_ageing(uow.conn, date(2027, 1, 31))
    return (replace(pnl, late_postings=()), replace(tb, late_postings=()),
            replace(bs, late_postings=()), book, ageing)


@pytest.fixture
def closed_january(shop: Shop, cashier: Actor, supervisor: Actor, owner: Actor
                   ) -> tuple[object, ...]:
    ani = customer(shop, supervisor, "Bu Ani")
    with at(2027, 1, 10):
        sell(shop, cashier, [("MI-0001", 2000), ("R-0110", 1000)])
        sell(shop, cashier, [("M-0016", 1000)], "kasbon", customer_id=ani)
    before = _figures(shop)
    with at(2027, 2, 1, 8), shop.uow() as uow:
        view = close_period(uow, owner, "2027-01")
    assert view.state == "soft" and view.closing_entry_id
    after = _figures(shop)
    # Closing changes no statement figure but the split of equity and the closing entry's
    # lines in the trial balance.
    assert after[0] == before[0] and after[3:] == before[3:]
    assert after[2].total_equity == before[2].total_equity  # type: ignore[attr-defined]
    return after


def test_close_moves_income_and_expenses_to_retained_earnings(
        shop: Shop, owner: Actor, closed_january: tuple[object, ...]) -> None:
    pnl_before = closed_january[0]
    lo, hi = utc_of(JAN.start), utc_of(JAN.end)
    for prefix in ("4-%", "5-%", "6-%"):
        assert raw_balance(shop, prefix, lo, hi) == 0  # every P&L account emptied
    created = q(shop, "SELECT COUNT(*) FROM journal_entry WHERE kind = 'period.close' "
                      "AND created_at = :t", t=JAN_LAST_INSTANT)
    assert created == 1
    assert -raw_balance(shop, "3-3000", None, None) == pnl_before.net_income  # type: ignore[attr-defined]
    after = _figures(shop)
    assert after == closed_january
    bs = after[2]
    assert bs.current_earnings == 0 and bs.balanced  # type: ignore[attr-defined]
    actions = [json.loads(d) for d in shop_audit(shop, "period.close")]
    assert actions and actions[0]["closing_entry_id"]
    assert q(shop, "SELECT COUNT(*) FROM outbox WHERE type = 'period.closed' AND "
                   "payload LIKE '%journal_entry_id%'") == 1


def shop_audit(shop: Shop, action: str) -> list[str]:
    with shop.uow(write=False) as uow:
        return [str(d) for d in uow.conn.execute(
            text("SELECT details FROM audit_log WHERE action = :a"), {"a": action}).scalars()]


def test_the_database_refuses_postings_into_a_closed_period(
        shop: Shop, supervisor: Actor, owner: Actor, cashier: Actor,
        closed_january: tuple[object, ...]) -> None:
    with pytest.raises(IntegrityError, match="period closed"):
        _raw_post(shop, "cash.out", "2027-01-20T03:00:00.000000+00:00")
    # A service's posting is refused the same way (the trigger, not the service).
    with shop.uow() as uow, pytest.raises(IntegrityError, match="period closed"):
        post_journal(uow.conn, kind="stock.adjust", ref_id=None, memo="x",
                     lines=[("6-3000", 10, 0), ("1-1500", 0, 10)],
                     created_at="2027-01-20T03:00:00.000000+00:00")
    assert _figures(shop) == closed_january
    # A cashier may not permit; a supervisor may (audited), and then the posting passes.
    with shop.uow() as uow, pytest.raises(Refused):
        permit_posting(uow.conn, cashier, uuid7(), "tolong")
    with shop.uow() as uow, pytest.raises(BadInput):
        permit_posting(uow.conn, supervisor, uuid7(), " ")
    eid = _raw_post(shop, "transfer", "2027-01-20T03:00:00.000000+00:00",
                    permit_by=supervisor)
    assert q(shop, "SELECT COUNT(*) FROM journal_entry WHERE id = :e", e=eid) == 1
    assert shop_audit(shop, "period.permit")
    # Hard lock: even a permit does not help.
    with shop.uow() as uow, pytest.raises(BadInput):
        lock_period(uow, owner, "2027-01", ppn_filed_at="2027-01-15")
    with at(2027, 2, 20), shop.uow() as uow:
        view = lock_period(uow, owner, "2027-01", ppn_filed_at="2027-02-20")
    assert view.state == "hard" and view.ppn_filed_at == "2027-02-20"
    with pytest.raises(IntegrityError, match="period closed"):
        _raw_post(shop, "transfer", "2027-01-21T03:00:00.000000+00:00",
                  permit_by=supervisor)
    with shop.uow() as uow, pytest.raises(Refused):
        reopen_period(uow, owner, "2027-01", "salah")
    # February is open: postings there pass.
    _raw_post(shop, "transfer", "2027-02-02T03:00:00.000000+00:00")


def test_a_late_sale_is_booked_listed_and_changes_no_closed_figure(
        shop: Shop, cashier: Actor, closed_january: tuple[object, ...]) -> None:
    with shop.uow(write=False) as uow:
        feb_before = st.profit_and_loss(uow.conn, FEB)
    # A till whose clock says January sells after the close: booked, never refused.
    with at(2027, 1, 25):
        late = sell(shop, cashier, [("R-0110", 1000)])
    assert q(shop, "SELECT COUNT(*) FROM journal_entry WHERE ref_id = :s", s=late.id) == 1
    assert _figures(shop) == closed_january
    with shop.uow(write=False) as uow:
        pnl = st.profit_and_loss(uow.conn, JAN)
        feb = st.profit_and_loss(uow.conn, FEB)
        status = period_status(uow.conn)
        listed = late_postings(uow.conn, "2027-01")
        assert late_postings(uow.conn, "2027-02") == ()
        page = st.journal_page(uow.conn, kind="sale")
        bs_feb = st.balance_sheet(uow.conn, date(2027, 2, 28))
    assert [p.memo for p in pnl.late_postings] == [late.receipt_no]
    assert pnl.late_postings[0].counted_at == utc_of(FEB.start)
    assert pnl.report().tables[-1].key == "late_postings"
    assert feb.revenue - feb_before.revenue == late.total - late.tax_total
    assert feb.net_sales - feb_before.net_sales == late.subtotal
    assert bs_feb.balanced
    assert [(v.period, v.late_postings) for v in status] == [("2027-01", 1)]
    assert [p.entry_id for p in listed] == [pnl.late_postings[0].entry_id]
    assert [e.late for e in page.entries if e.ref_id == late.id] == [True]


def test_close_rules_and_reopen(shop: Shop, owner: Actor, supervisor: Actor,
                                cashier: Actor) -> None:
    with at(2027, 1, 10):
        sell(shop, cashier, [("R-0110", 1000)])
    with at(2027, 1, 31, 23, 59), shop.uow() as uow, pytest.raises(Conflict):
        close_period(uow, owner, "2027-01")  # not ended in Jakarta yet
    with at(2027, 2, 1, 0, 1), shop.uow() as uow, pytest.raises(Refused):
        close_period(uow, supervisor, "2027-01")
    with at(2027, 2, 1, 0, 1), shop.uow() as uow, pytest.raises(BadInput) as err:
        close_period(uow, owner, "2027-13")
    assert err.value.field == "period"
    with at(2027, 2, 1, 0, 1), shop.uow() as uow:
        close_period(uow, owner, "2027-01")
    with at(2027, 2, 1, 0, 2), shop.uow() as uow, pytest.raises(Conflict):
        close_period(uow, owner, "2027-01")
    # A late sale, then reopen (with a reason, audited) and close again: the second closing
    # entry moves only the late sale, which now counts in January.
    with at(2027, 1, 30):
        late = sell(shop, cashier, [("M-0016", 1000)])
    with shop.uow() as uow, pytest.raises(BadInput):
        reopen_period(uow, owner, "2027-01", "")
    with shop.uow() as uow, pytest.raises(Refused):
        reopen_period(uow, supervisor, "2027-01", "koreksi")
    with at(2027, 2, 2), shop.uow() as uow:
        view = reopen_period(uow, owner, "2027-01", "nota terlambat")
    assert view.state == "open" and view.note == "nota terlambat"
    assert json.loads(shop_audit(shop, "period.reopen")[0])["reason"] == "nota terlambat"
    with at(2027, 2, 2), shop.uow() as uow:
        again = close_period(uow, owner, "2027-01")
    assert again.late_postings == 0
    assert q(shop, "SELECT COUNT(*) FROM journal_entry WHERE kind = 'period.close'") == 2
    lo, hi = utc_of(JAN.start), utc_of(JAN.end)
    assert raw_balance(shop, "4-%", lo, hi) == 0
    with shop.uow(write=False) as uow:
        pnl = st.profit_and_loss(uow.conn, JAN)
    assert pnl.late_postings == ()
    assert pnl.revenue == -raw_balance(shop, "4-1_00", lo, hi, closing=False)
    assert late.total - late.tax_total <= pnl.revenue

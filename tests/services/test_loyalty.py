"""Loyalty points on real SQLite files: earning, redemption, refunds, the one-accrual rule,
adjustments, expiry at the month's end in the store's zone, tiers, a balance property."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from app.shop import Shop
from local_db.ids import now_iso, uuid7
from local_db.models import Customer
from services import loyalty as loy
from services.errors import BadInput, NotFound, Refused
from services.loyalty_expiry import balances_at, expire_points
from services.loyalty_ledger import balance, last_valid_day, lot_expiry
from services.loyalty_settings import (
    LoyaltySettings,
    Tier,
    read_loyalty_settings,
    save_loyalty_settings,
)
from services.loyalty_tiers import customer_tiers, recalc_tiers
from services.refunds import refund_sale
from services.selling import (
    Approval,
    LineRequest,
    PaymentRequest,
    SaleRequest,
    SaleResult,
    complete_sale,
)
from services.users import Actor
from tests.helpers import scalar, trial_balance

BUDI = Approval("Budi", "5678")
TIERS = (Tier("bronze", "Perunggu", 0, Decimal(1)), Tier("silver", "Perak", 50_000,
                                                        Decimal("1.5")),
         Tier("gold", "Emas", 200_000, Decimal(2)))


def setup(shop: Shop, owner: Actor, **kw: Any) -> LoyaltySettings:
    base = LoyaltySettings(enabled=True, step=1000, points_per_step=1, floor=0,
                           point_value=100, same_sale=False, expiry_months=12,
                           tier_basis="spend", tiers=TIERS)
    with shop.uow() as uow:
        return save_loyalty_settings(uow, owner, replace(base, **kw))


def member(shop: Shop, name: str = "Bu Ani") -> str:
    cid = uuid7()
    stamp = now_iso()
    with shop.uow() as uow:
        uow.session.add(Customer(id=cid, name=name, credit_limit=1_000_000,
                                 consent_marketing=False, created_at=stamp, updated_at=stamp))
        uow.commit()
    return cid


def sell(shop: Shop, actor: Actor, lines: list[tuple[str, int]], pays: list[tuple[str, int]],
         customer: str | None) -> SaleResult:
    req = SaleRequest(tuple(LineRequest(c, q) for c, q in lines),
                      tuple(PaymentRequest(m, a) for m, a in pays), customer_id=customer)
    with shop.uow() as uow:
        return complete_sale(uow, shop.config, actor, req)


def pts(shop: Shop, cid: str) -> int:
    with shop.uow(write=False) as uow:
        return balance(uow.conn, cid)


def rows(shop: Shop, sale_id: str) -> list[tuple[str, int, int]]:
    with shop.uow(write=False) as uow:
        return [(str(k), int(p), int(s)) for k, p, s in uow.conn.execute(text(
            "SELECT kind, points, spend FROM loyalty_entry WHERE sale_id = :s "
            "ORDER BY created_at, kind"), {"s": sale_id})]


def net_of(shop: Shop, sale_id: str, skip: tuple[str, ...] = ()) -> int:
    with shop.uow(write=False) as uow:
        return int(sum(n for sku, n in uow.conn.execute(text(
            "SELECT sku, net FROM sale_line WHERE sale_id = :s"), {"s": sale_id})
            if sku not in skip))


# --- pure rules ----------------------------------------------------------------------------

def test_points_for_floor_step_and_multiplier() -> None:
    s = LoyaltySettings(enabled=True, step=10_000, points_per_step=2, floor=25_000)
    assert loy.points_for(24_999, s) == 0  # below the floor
    assert loy.points_for(25_000, s) == 4  # floor(2.5) steps x 2
    assert loy.points_for(39_999, s) == 6
    assert loy.points_for(39_999, s, Decimal("1.5")) == 9
    assert loy.points_for(30_000, s, Decimal("1.25")) == 7  # 7.5 rounded down
    assert loy.points_for(0, replace(s, floor=0)) == 0


@given(earned=st.integers(0, 10_000), net=st.integers(1, 10_000_000),
       cuts=st.lists(st.integers(0, 10_000_000), max_size=6))
def test_take_back_is_pro_rata_rounded_down_and_never_more_than_earned(
        earned: int, net: int, cuts: list[int]) -> None:
    points = sorted({c % net for c in cuts} | {0, net})
    taken = 0
    for a, b in zip(points, points[1:], strict=False):
        t = loy.take_back(earned, net, a, b - a, taken)
        assert t >= 0
        taken += t
        assert taken == earned * b // net  # cumulative, rounded down
    assert taken == earned
    assert loy.take_back(earned, net, net, 5, taken) == 0  # nothing past the sale


# --- earning at the till -------------------------------------------------------------------

def test_a_sale_earns_on_pre_tax_net_with_one_row(shop: Shop, owner: Actor,
                                                  cashier: Actor) -> None:
    setup(shop, owner)
    cid = member(shop)
    sale = sell(shop, cashier, [("MI-0001", 10_000)], [("cash", 40_000)], cid)
    net = net_of(shop, sale.id)
    assert net < sale.total  # PPN is not earned on
    assert rows(shop, sale.id) == [("earn", net // 1000, net)]
    assert pts(shop, cid) == net // 1000


def test_no_customer_or_programme_off_earns_nothing(shop: Shop, owner: Actor,
                                                     cashier: Actor) -> None:
    setup(shop, owner, enabled=False)
    cid = member(shop)
    sale = sell(shop, cashier, [("MI-0001", 10_000)], [("cash", 40_000)], cid)
    assert rows(shop, sale.id) == []
    setup(shop, owner)
    sale = sell(shop, cashier, [("MI-0001", 10_000)], [("cash", 40_000)], None)
    assert rows(shop, sale.id) == []


def test_reward_lines_earn_nothing(shop: Shop, owner: Actor, cashier: Actor) -> None:
    setup(shop, owner, reward_skus=("MI-0001",))
    cid = member(shop)
    sale = sell(shop, cashier, [("MI-0001", 10_000), ("JSA-0184", 40_000)],
                [("cash", 60_000)], cid)
    eligible = net_of(shop, sale.id, skip=("MI-0001",))
    assert eligible == 20_000
    assert rows(shop, sale.id) == [("earn", 20, 20_000)]


def test_tier_multiplier_applies(shop: Shop, owner: Actor, cashier: Actor) -> None:
    setup(shop, owner)
    cid = member(shop)
    sell(shop, cashier, [("JSA-0184", 120_000)], [("cash", 60_000)], cid)  # 60.000: silver
    with shop.uow(write=False) as uow:
        assert customer_tiers(uow.conn)[cid] == "silver"
    sale = sell(shop, cashier, [("JSA-0184", 20_000)], [("cash", 10_000)], cid)
    assert rows(shop, sale.id) == [("earn", 15, 10_000)]  # 10 x 1.5


# --- redemption ----------------------------------------------------------------------------

def test_points_pay_and_the_books_debit_the_programme(shop: Shop, owner: Actor,
                                                       cashier: Actor) -> None:
    setup(shop, owner)
    cid = member(shop)
    sell(shop, cashier, [("JSA-0184", 200_000)], [("cash", 100_000)], cid)  # 100 points
    tb0 = trial_balance(shop)
    sale = sell(shop, cashier, [("JSA-0184", 40_000)], [("points", 5_000), ("cash", 15_000)],
                cid)
    assert rows(shop, sale.id) == [("redeem", -50, 0)]  # same-sale earning is off
    assert pts(shop, cid) == 100 - 50
    tb1 = trial_balance(shop)
    assert tb1.get(loy.LOYALTY_REDEMPTION, 0) - tb0.get(loy.LOYALTY_REDEMPTION, 0) == 5_000
    assert tb1.get("4-1000", 0) - tb0.get("4-1000", 0) == -20_000  # revenue on full price
    assert sum(tb1.values()) == 0


def test_same_sale_setting_lets_the_rest_earn(shop: Shop, owner: Actor,
                                              cashier: Actor) -> None:
    setup(shop, owner, same_sale=True)
    cid = member(shop)
    sell(shop, cashier, [("JSA-0184", 60_000)], [("cash", 30_000)], cid)  # 30 points
    sale = sell(shop, cashier, [("JSA-0184", 40_000)], [("points", 2_000), ("cash", 18_000)],
                cid)
    # BEBAS: net = gross, so the eligible spend is 20.000 - 2.000 paid with points.
    assert rows(shop, sale.id) == [("earn", 18, 18_000), ("redeem", -20, 0)]


def test_redemption_refusals_change_nothing(shop: Shop, owner: Actor, cashier: Actor) -> None:
    setup(shop, owner)
    cid = member(shop)
    sell(shop, cashier, [("JSA-0184", 20_000)], [("cash", 10_000)], cid)  # 10 points
    with pytest.raises(Refused) as e:
        sell(shop, cashier, [("JSA-0184", 10_000)], [("points", 1_100), ("cash", 5_000)], cid)
    assert e.value.field == "payments[0].amount"
    with pytest.raises(BadInput):
        sell(shop, cashier, [("JSA-0184", 10_000)], [("points", 150), ("cash", 5_000)], cid)
    with pytest.raises(BadInput) as e2:
        sell(shop, cashier, [("JSA-0184", 10_000)], [("points", 100), ("cash", 5_000)], None)
    assert e2.value.field == "customer"
    assert pts(shop, cid) == 10


def test_one_accrual_per_sale_is_enforced_by_the_database(shop: Shop, owner: Actor,
                                                          cashier: Actor) -> None:
    setup(shop, owner)
    cid = member(shop)
    sale = sell(shop, cashier, [("JSA-0184", 20_000)], [("cash", 10_000)], cid)
    with shop.uow() as uow, pytest.raises(IntegrityError):
        uow.conn.execute(text(
            "INSERT INTO loyalty_entry (id, customer_id, kind, points, spend, value, sale_id, "
            "terminal_id, created_at) VALUES (:i, :c, 'earn', 10, 10000, 0, :s, 't', :at)"),
            {"i": uuid7(), "c": cid, "s": sale.id, "at": now_iso()})
    assert pts(shop, cid) == 10


# --- refunds -------------------------------------------------------------------------------

def refund(shop: Shop, actor: Actor, receipt_no: str, lines: list[tuple[int, int]]) -> Any:
    with shop.uow() as uow:
        return refund_sale(uow, shop.config, actor, receipt_no, lines, "rusak", BUDI)


def test_refund_takes_back_pro_rata_rounded_down_never_more(shop: Shop, owner: Actor,
                                                            cashier: Actor) -> None:
    setup(shop, owner)
    cid = member(shop)
    sale = sell(shop, cashier, [("MI-0001", 3_000), ("JSA-0184", 7_000)],
                [("cash", 20_000)], cid)
    earned = rows(shop, sale.id)[0][1]
    net = net_of(shop, sale.id)
    r1 = refund(shop, cashier, sale.receipt_no, [(1, 1_000)])
    taken1 = earned * r1.net // net
    assert r1.points_taken == taken1
    assert pts(shop, cid) == earned - taken1
    refund(shop, cashier, sale.receipt_no, [])  # the rest
    assert pts(shop, cid) == 0  # all of it, never more


def test_refund_gives_points_paid_back_and_balance_may_go_below_zero(
        shop: Shop, owner: Actor, cashier: Actor) -> None:
    setup(shop, owner)
    cid = member(shop)
    first = sell(shop, cashier, [("JSA-0184", 40_000)], [("cash", 20_000)], cid)  # 20 pts
    paid = sell(shop, cashier, [("JSA-0184", 20_000)], [("points", 2_000), ("cash", 8_000)],
                cid)
    assert pts(shop, cid) == 0
    tb0 = trial_balance(shop)
    r = refund(shop, cashier, paid.receipt_no, [])
    assert r.cash_due == 8_000  # the points part went back as points
    assert (r.to_points, r.points_back, r.points_taken, r.method) == (2_000, 20, 0, "mixed")
    assert pts(shop, cid) == 20
    assert trial_balance(shop).get(loy.LOYALTY_REDEMPTION, 0) - tb0.get(
        loy.LOYALTY_REDEMPTION, 0) == -2_000
    sell(shop, cashier, [("JSA-0184", 20_000)], [("points", 2_000), ("cash", 8_000)], cid)
    refund(shop, cashier, first.receipt_no, [])  # takes back 20 earned: balance -20
    assert pts(shop, cid) == -20
    with pytest.raises(Refused, match="below zero"):
        sell(shop, cashier, [("JSA-0184", 2_000)], [("points", 1_000)], cid)


# --- adjustments ---------------------------------------------------------------------------

def test_adjust_needs_reason_and_supervisor_pin_and_is_audited(shop: Shop, owner: Actor,
                                                               cashier: Actor) -> None:
    setup(shop, owner)
    cid = member(shop)
    with shop.uow() as uow, pytest.raises(BadInput):
        loy.adjust_points(uow, cashier, cid, 50, " ", approver="Budi", pin="5678",
                          terminal_id=shop.config.terminal_id)
    with shop.uow() as uow, pytest.raises(Refused):
        loy.adjust_points(uow, cashier, cid, 50, "lupa dicatat", approver="Sari", pin="1234",
                          terminal_id=shop.config.terminal_id)
    with shop.uow() as uow:
        row = loy.adjust_points(uow, cashier, cid, 50, "lupa dicatat", approver="Budi",
                                pin="5678", terminal_id=shop.config.terminal_id)
    assert pts(shop, cid) == 50
    assert scalar(shop, "SELECT COUNT(*) FROM audit_log WHERE action = 'loyalty.adjust'") == 1
    with shop.uow() as uow:
        assert loy.forget_customer(uow.conn, cid) == 1
        uow.commit()
    assert scalar(shop, "SELECT reason FROM loyalty_entry WHERE id = :i", i=row.id) is None
    with shop.uow() as uow, pytest.raises(NotFound):
        loy.adjust_points(uow, cashier, uuid7(), 5, "x", approver="Budi", pin="5678",
                          terminal_id=shop.config.terminal_id)


# --- expiry --------------------------------------------------------------------------------

def test_lot_lapses_at_the_end_of_the_month_in_the_store_zone() -> None:
    # Earned 15 Jan 2026 at 23:30 WIB (16:30 UTC): valid through 31 Jan 2027 WIB.
    lapse = lot_expiry("2026-01-15T16:30:00+00:00", 12, "Asia/Jakarta")
    assert lapse == "2027-01-31T17:00:00.000000+00:00"  # 1 Feb 2027 00:00 WIB
    assert last_valid_day(str(lapse), "Asia/Jakarta") == "2027-01-31"
    # 31 Jan 2026 20:00 UTC is already 1 Feb 2026 in Jakarta: one month later.
    assert lot_expiry("2026-01-31T20:00:00+00:00", 12, "Asia/Jakarta") == \
        "2027-02-28T17:00:00.000000+00:00"
    assert lot_expiry("2026-01-31T20:00:00+00:00", 12, "UTC") == \
        "2027-02-01T00:00:00.000000+00:00"
    assert lot_expiry("2026-03-01T00:00:00+00:00", 0, "Asia/Jakarta") is None


def _raw(shop: Shop, cid: str, kind: str, points: int, at: str, expires: str | None = None
         ) -> None:
    with shop.uow() as uow:
        uow.conn.execute(text(
            "INSERT INTO loyalty_entry (id, customer_id, kind, points, spend, value, "
            "expires_at, terminal_id, created_at) VALUES (:i, :c, :k, :p, 0, 0, :e, 't', :a)"),
            {"i": uuid7(), "c": cid, "k": kind, "p": points, "e": expires, "a": at})
        uow.commit()


def test_expiry_fifo_boundary_and_idempotent(shop: Shop, owner: Actor) -> None:
    setup(shop, owner)
    cid = member(shop)
    jan = "2026-01-10T03:00:00.000000+00:00"
    mar = "2026-03-10T03:00:00.000000+00:00"
    _raw(shop, cid, "earn", 100, jan, lot_expiry(jan, 12, "Asia/Jakarta"))
    _raw(shop, cid, "earn", 40, mar, lot_expiry(mar, 12, "Asia/Jakarta"))
    _raw(shop, cid, "redeem", -30, "2026-06-01T03:00:00.000000+00:00")  # from January's lot
    last_moment = datetime(2027, 1, 31, 16, 59, 59, tzinfo=UTC)  # 31 Jan 23:59:59 WIB
    with shop.uow() as uow:
        assert expire_points(uow, last_moment).rows == 0
    assert pts(shop, cid) == 110
    lapse = datetime(2027, 1, 31, 17, 0, tzinfo=UTC)  # 1 Feb 00:00 WIB
    with shop.uow(write=False) as uow:
        assert balances_at(uow.conn, lapse)[cid] == 40  # before the job ran
    with shop.uow() as uow:
        run = expire_points(uow, lapse)
    assert (run.rows, run.points) == (1, 70)
    assert pts(shop, cid) == 40
    with shop.uow() as uow:
        assert expire_points(uow, lapse).rows == 0  # twice: nothing new
    with shop.uow() as uow:
        assert expire_points(uow, datetime(2027, 4, 1, tzinfo=UTC)).points == 40
    assert pts(shop, cid) == 0
    with shop.uow(write=False) as uow:
        assert loy.outstanding_points_value(uow.conn, datetime(2027, 5, 1, tzinfo=UTC)) == 0
        assert loy.outstanding_points_value(uow.conn, "2026-12-01T00:00:00+00:00") == 11_000


def test_a_deficit_is_covered_by_later_points_before_they_lot(shop: Shop, owner: Actor) -> None:
    setup(shop, owner, expiry_months=1)
    cid = member(shop)
    _raw(shop, cid, "refund", -10, "2026-01-05T03:00:00.000000+00:00")
    feb = "2026-02-05T03:00:00.000000+00:00"
    _raw(shop, cid, "earn", 25, feb, lot_expiry(feb, 1, "Asia/Jakarta"))
    with shop.uow() as uow:
        run = expire_points(uow, datetime(2026, 4, 1, tzinfo=UTC))
    assert run.points == 15  # 10 of the lot paid the deficit
    assert pts(shop, cid) == 0


# --- tiers ---------------------------------------------------------------------------------

def test_tiers_rise_after_a_sale_and_the_nightly_job_lowers_them(
        shop: Shop, owner: Actor, cashier: Actor) -> None:
    setup(shop, owner)
    cid = member(shop)
    other = member(shop, "Pak Joko")
    with shop.uow(write=False) as uow:
        assert customer_tiers(uow.conn)[cid] == "bronze"
    sell(shop, cashier, [("JSA-0184", 420_000)], [("cash", 210_000)], cid)
    with shop.uow(write=False) as uow:
        assert customer_tiers(uow.conn)[cid] == "gold"
        assert customer_tiers(uow.conn)[other] == "bronze"
    with shop.uow() as uow:
        assert recalc_tiers(uow, datetime.now(UTC)) == ()
    # Thirteen months on, nothing in the window: the nightly job moves the member down.
    with shop.uow() as uow:
        changes = recalc_tiers(uow, datetime(datetime.now(UTC).year + 2, 1, 1, tzinfo=UTC))
    assert [(c.customer_id, c.before, c.after) for c in changes] == [(cid, "gold", "bronze")]


def test_tiers_by_points(shop: Shop, owner: Actor, cashier: Actor) -> None:
    setup(shop, owner, tier_basis="points", tiers=(
        Tier("a", "A", 0), Tier("b", "B", 30, Decimal(1))))
    cid = member(shop)
    sell(shop, cashier, [("JSA-0184", 60_000)], [("cash", 30_000)], cid)
    with shop.uow(write=False) as uow:
        assert customer_tiers(uow.conn)[cid] == "b"


def test_settings_are_owner_only_and_validated(shop: Shop, owner: Actor,
                                               supervisor: Actor) -> None:
    with shop.uow() as uow, pytest.raises(Refused):
        save_loyalty_settings(uow, supervisor, LoyaltySettings(enabled=True))
    with shop.uow() as uow, pytest.raises(BadInput) as e:
        save_loyalty_settings(uow, owner, LoyaltySettings(step=0))
    assert e.value.field == "step"
    with shop.uow() as uow, pytest.raises(BadInput) as e:
        save_loyalty_settings(uow, owner, LoyaltySettings(tiers=(Tier("a", "A", 10),)))
    assert e.value.field == "tiers[0].threshold"
    setup(shop, owner, step=5000)
    with shop.uow(write=False) as uow:
        got = read_loyalty_settings(uow.conn)
    assert (got.enabled, got.step, got.tiers) == (True, 5000, TIERS)


# --- the balance is the sum of the ledger ---------------------------------------------------

OPS = st.lists(st.tuples(st.sampled_from(["sell", "redeem", "refund", "adjust"]),
                         st.integers(1, 60)), min_size=1, max_size=8)


@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS)
def test_balance_equals_an_independent_sum(shop: Shop, owner: Actor, cashier: Actor,
                                           ops: list[tuple[str, int]]) -> None:
    setup(shop, owner, same_sale=True)
    cid = member(shop)
    expected = 0
    sales: list[SaleResult] = []
    for op, n in ops:
        if op == "sell":
            s = sell(shop, cashier, [("JSA-0184", n * 2_000)], [("cash", n * 1_000)], cid)
            sales.append(s)
            spend = n * 1_000  # BEBAS: the net is the gross
            earned = int(scalar(shop, "SELECT points FROM loyalty_entry WHERE sale_id = :s "
                                      "AND kind = 'earn'", s=s.id))
            # The tier held before the sale decides the multiplier (1, 1.5 or 2).
            assert earned in {int(Decimal(spend // 1000) * m)
                              for m in (Decimal(1), Decimal("1.5"), Decimal(2))}
            expected += earned
        elif op == "redeem":
            have = pts(shop, cid)
            use = min(n, have)
            if use > 0:
                sell(shop, cashier, [("JSA-0184", 200_000)],
                     [("points", use * 100), ("cash", 100_000)], cid)
                expected -= use
                expected += int(scalar(shop, "SELECT points FROM loyalty_entry WHERE kind = "
                                             "'earn' ORDER BY created_at DESC, id DESC "
                                             "LIMIT 1"))
        elif op == "refund" and sales:
            s = sales.pop()
            before = pts(shop, cid)
            refund(shop, cashier, s.receipt_no, [])
            earned = int(scalar(shop, "SELECT points FROM loyalty_entry WHERE sale_id = :s "
                                      "AND kind = 'earn'", s=s.id))
            expected -= earned
            assert pts(shop, cid) == before - earned
        elif op == "adjust":
            with shop.uow() as uow:
                loy.adjust_points(uow, cashier, cid, n - 30 or 1, "koreksi", approver="Budi",
                                  pin="5678", terminal_id=shop.config.terminal_id)
            expected += n - 30 or 1
        assert pts(shop, cid) == expected
    independent = sum(int(p) for p in [scalar(
        shop, "SELECT group_concat(points) FROM loyalty_entry WHERE customer_id = :c", c=cid)
        or "0"][0].split(","))
    assert independent == expected


def test_the_nightly_hooks_take_what_the_scheduler_hands_them(shop: Shop, owner: Actor,
                                                              cashier: Actor) -> None:
    # app.scheduler's NIGHTLY_HOOKS call services.loyalty.expire_points and
    # recalculate_tiers with uow= and now= (a write unit of work, an aware UTC time).
    setup(shop, owner, expiry_months=1)
    cid = member(shop)
    sell(shop, cashier, [("JSA-0184", 120_000)], [("cash", 60_000)], cid)
    later = datetime(datetime.now(UTC).year + 2, 1, 1, tzinfo=UTC)
    with shop.uow() as uow:
        run = loy.expire_points(uow=uow, now=later)
    assert (run.rows, run.points) == (1, 60)
    with shop.uow() as uow:
        changes = loy.recalculate_tiers(uow=uow, now=later)
    assert [(c.before, c.after) for c in changes] == [("silver", "bronze")]
    assert pts(shop, cid) == 0

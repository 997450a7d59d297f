"""Loyalty points (issue 15): earning on a sale, paying with points at the till, taking
points back on a refund, a supervisor's adjustment, balances and what the points are worth.

Earning (definitions.md, Growth): floor(eligible spend / step) × points per step × the
member's tier multiplier, rounded down; nothing below the floor. Eligible spend is the
pre-tax net (after discounts) of the sale's lines, without reward lines (``reward_skus``)
and without the pre-tax part paid with points. A sale that pays with points earns nothing
unless the setting ``same_sale`` allows it. Exactly one accrual per sale: the earn row is
written in the sale's own transaction and the database refuses a second one (a UNIQUE
partial index on ``loyalty_entry(sale_id) WHERE kind = 'earn'``, locally and at central).

A refund takes back the sale's points pro rata on the pre-tax amount, cumulatively and
rounded down (``floor(earned × net refunded so far / sale net)`` less what earlier refunds
took), so all refunds of a sale together never take more than it earned. The balance may go
below zero; redemption is then refused.

Books and PPN (the decision)
----------------------------
Points are a payment-like tender at the till (method ``points``), worth points × the point
value. The sale itself is priced, taxed and booked exactly as without points: revenue and
PPN on the full price (the tax base is not reduced by the points; PPN is owed on
what the goods sold for, and a points payment is the shop's own promotional cost, not a
price reduction agreed at the time of the sale). The points part of the tender is debited
to **6-5000 Beban program loyalitas** (an expense, the cost of the programme), so:

    Dr Cash (rest)  Dr 6-5000 (points × value)  /  Cr Revenue (net)  Cr PPN payable (tax)

A refund gives the points part back as points (kasbon first, then points, then Midtrans,
then cash, as money goes back the way it came) and credits 6-5000 with it; the earned points
it takes back carry no money. Points are not booked as a liability when earned (a small
shop's cash-basis treatment of a promotional programme, as SAK EMKM allows): the rupiah
value of all unexpired positive balances is disclosed in the balance-sheet notes
(:func:`outstanding_points_value`), so the owner sees what the points could cost.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from sqlalchemy import Connection, text

from local_db.fastpath import hot_execute
from local_db.ids import now_iso
from local_db.store import append_audit
from local_db.uow import UnitOfWork
from services.cart import PricedCart
from services.errors import BadInput, NotFound, Refused
from services.formatting import DEFAULT_TIMEZONE, parse_moment
from services.loyalty_ledger import (
    LedgerRow,
    balance,
    lot_expiry,
    new_row,
    rows_of,
    store_zone,
    write_rows,
)
from services.loyalty_settings import (
    LoyaltySettings,
    read_loyalty_settings,
    read_sale_settings,
)
from services.loyalty_expiry import ExpiryRun, balances_at, expire_points
from services.loyalty_tiers import TierChange, held_tier, recalc_tiers, refresh_tier
from services.users import Actor, approve, authorize

POINTS = "points"  # the tender method (services/tender.py)
LOYALTY_REDEMPTION = "6-5000"  # Beban program loyalitas (migration 0005)
MAX_ADJUST = 10_000_000
MAX_REASON = 200


# --- pure rules --------------------------------------------------------------------------

def points_for(spend: int, settings: LoyaltySettings, multiplier: Decimal = Decimal(1)) -> int:
    """Points for ``spend`` eligible rupiah: floor(spend / step) × points × multiplier,
    rounded down; nothing below the floor."""
    if spend <= 0 or spend < settings.floor:
        return 0
    base = (spend // settings.step) * settings.points_per_step
    return int((Decimal(base) * multiplier).to_integral_value(rounding=ROUND_FLOOR))


def eligible_spend(priced: PricedCart, settings: LoyaltySettings, points_paid: int) -> int:
    """Pre-tax net of the lines that earn (not reward lines), less the pre-tax part of
    what points paid (the points' share of the sale's net, rounded up)."""
    base = sum(p.net for p in priced.lines if p.line.item.sku not in settings.reward_skus)
    paid_pre_tax = 0
    if points_paid and priced.total:
        paid_pre_tax = -(-points_paid * priced.net_total // priced.total)
    return max(0, base - paid_pre_tax)


def take_back(earned: int, sale_net: int, refunded_net_before: int, refunded_net_now: int,
              taken_before: int) -> int:
    """Points a refund takes back: pro rata on the pre-tax amount, cumulative and rounded
    down, never past what the sale earned."""
    if earned <= 0 or sale_net <= 0:
        return 0
    done = min(sale_net, refunded_net_before + refunded_net_now)
    due = earned * done // sale_net
    return max(0, min(earned, due) - taken_before)


# --- the sale ----------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class LoyaltyPlan:
    """What a sale does to its customer's points, decided by the checks before the write."""

    customer_id: str
    settings: LoyaltySettings
    redeem_points: int
    redeem_value: int
    eligible: int
    earn_points: int
    tier: str
    held: tuple[str, int] | None = None  # (tier, measure) as stored; None: never earned
    zone: str | None = None  # the store's time zone (lots lapse at its month ends)


def plan_sale(conn: Connection, customer_id: str | None, priced: PricedCart,
              payments: Sequence[tuple[str, int]]) -> LoyaltyPlan | None:
    """The sale's points: refused (BadInput/Refused naming the field) if it pays with
    points it may not; None when the programme has nothing to do with this sale."""
    paid = [(i, amount) for i, (method, amount) in enumerate(payments) if method == POINTS]
    if customer_id is None:
        if paid:
            raise BadInput("paying with points needs the member as the sale's customer",
                           field="customer")
        return None
    settings, zone = read_sale_settings(conn)
    if not settings.enabled:
        if paid:
            raise Refused("the loyalty programme is off: points cannot pay",
                          field=f"payments[{paid[0][0]}].method")
        return None
    value = sum(a for _, a in paid)
    if value % settings.point_value:
        raise BadInput(f"points pay in whole points of Rp {settings.point_value}",
                       field=f"payments[{paid[0][0]}].amount")
    redeem = value // settings.point_value
    if redeem:
        have = balance(conn, customer_id)
        if have < 0:
            raise Refused(f"the member's points are below zero ({have}): redemption is "
                          "blocked", field=f"payments[{paid[0][0]}]")
        if redeem > have:
            raise Refused(f"{redeem} points asked, the member has {have}",
                          field=f"payments[{paid[0][0]}].amount")
    held = held_tier(conn, customer_id)
    tier = settings.tier(held[0] if held else None)
    eligible = eligible_spend(priced, settings, value)
    earn = 0 if redeem and not settings.same_sale else points_for(eligible, settings,
                                                                  tier.multiplier)
    if redeem and not settings.same_sale:
        eligible = 0  # nothing counted (not for tiers either) from a sale paid with points
    return LoyaltyPlan(customer_id, settings, redeem, value, eligible, earn, tier.code, held,
                       zone)


def record_sale(conn: Connection, plan: LoyaltyPlan, sale_id: str, terminal_id: str,
                user_id: str, stamp: str) -> tuple[LedgerRow, ...]:
    """Write the sale's redeem and earn rows, in the sale's transaction (called by
    services.selling.complete_sale), and move the member's tier up if the sale lifts it."""
    rows: list[LedgerRow] = []
    if plan.redeem_points:
        rows.append(new_row(plan.customer_id, "redeem", -plan.redeem_points, stamp,
                            terminal_id, value=plan.redeem_value, sale_id=sale_id,
                            user_id=user_id))
    if plan.eligible > 0 or plan.earn_points:
        rows.append(new_row(plan.customer_id, "earn", plan.earn_points, stamp, terminal_id,
                            spend=plan.eligible, sale_id=sale_id, user_id=user_id,
                            expires_at=lot_expiry(stamp, plan.settings.expiry_months,
                                                  plan.zone or DEFAULT_TIMEZONE)))
    write_rows(conn, rows, aggregate_id=sale_id, created_at=stamp)
    if plan.earn_points or plan.eligible:
        gain = plan.eligible if plan.settings.tier_basis == "spend" else plan.earn_points
        refresh_tier(conn, plan.settings, plan.customer_id, parse_moment(stamp), gain=gain,
                     held=plan.held)
    return tuple(rows)


# --- refunds -----------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class RefundPoints:
    """What a refund does to the member's points: ``to_points`` rupiah of the refund go
    back as ``points_back`` points (the part the sale paid with points); ``take_back``
    earned points are taken off."""

    customer_id: str | None
    to_points: int = 0
    points_back: int = 0
    take_back: int = 0
    spend_back: int = 0


_SALE_POINTS = ("SELECT kind, COALESCE(SUM(points), 0), COALESCE(SUM(value), 0), "
                "COALESCE(SUM(spend), 0) FROM loyalty_entry WHERE sale_id = ? AND kind = ?")


def _sum(conn: Connection, sale_id: str, kind: str) -> tuple[int, int, int]:
    row = hot_execute(conn, _SALE_POINTS, (sale_id, kind))
    return (int(row[1]), int(row[2]), int(row[3])) if row else (0, 0, 0)


def plan_refund(conn: Connection, sale_id: str, customer_id: str | None, money_left: int,
                net_now: int) -> RefundPoints:
    """Before a refund's write: how much of ``money_left`` (the refund after kasbon) goes
    back as points, and how many earned points it takes back (``net_now``: the refund's
    pre-tax amount)."""
    if customer_id is None:
        return RefundPoints(None)
    earned, _, spend = _sum(conn, sale_id, "earn")
    redeemed, value, _ = _sum(conn, sale_id, "redeem")
    ref = conn.execute(text(
        "SELECT COALESCE(SUM(CASE WHEN value > 0 THEN value ELSE 0 END), 0), "
        "COALESCE(SUM(CASE WHEN value = 0 THEN -points ELSE 0 END), 0), "
        "COALESCE(SUM(CASE WHEN value = 0 THEN -spend ELSE 0 END), 0) "
        "FROM loyalty_entry WHERE sale_id = :s AND kind = 'refund'"), {"s": sale_id}).one()
    value_back_before, taken_before, spend_back_before = int(ref[0]), int(ref[1]), int(ref[2])
    to_points = points_back = 0
    if redeemed < 0 and value > 0:
        per_point = value // -redeemed
        room = value - value_back_before
        to_points = min(money_left, room) // per_point * per_point
        points_back = to_points // per_point
    sale = conn.execute(text("SELECT net_total FROM sale WHERE id = :s"), {"s": sale_id}).one()
    refunded_before = int(conn.execute(text(
        "SELECT COALESCE(SUM(net), 0) FROM refund WHERE sale_id = :s"),
        {"s": sale_id}).scalar() or 0)
    sale_net = int(sale[0])
    take = take_back(earned, sale_net, refunded_before, net_now, taken_before)
    spend_back = 0
    if spend > 0 and sale_net > 0:
        done = min(sale_net, refunded_before + net_now)
        spend_back = max(0, spend * done // sale_net - spend_back_before)
    return RefundPoints(customer_id, to_points, points_back, take, spend_back)


def record_refund(conn: Connection, plan: RefundPoints, sale_id: str, refund_id: str,
                  terminal_id: str, user_id: str, stamp: str) -> tuple[LedgerRow, ...]:
    """Write the refund's ledger rows in the refund's transaction."""
    if plan.customer_id is None:
        return ()
    rows: list[LedgerRow] = []
    if plan.points_back:
        settings = read_loyalty_settings(conn)
        rows.append(new_row(plan.customer_id, "refund", plan.points_back, stamp, terminal_id,
                            value=plan.to_points, sale_id=sale_id, refund_id=refund_id,
                            user_id=user_id,
                            expires_at=lot_expiry(stamp, settings.expiry_months,
                                                  store_zone(conn))))
    if plan.take_back or plan.spend_back:
        rows.append(new_row(plan.customer_id, "refund", -plan.take_back, stamp, terminal_id,
                            spend=-plan.spend_back, sale_id=sale_id, refund_id=refund_id,
                            user_id=user_id))
    write_rows(conn, rows, aggregate_id=refund_id, created_at=stamp)
    return tuple(rows)


# --- adjustments, balances ---------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class MemberPoints:
    customer_id: str
    balance: int
    value: int  # rupiah the balance pays at the till (0 below zero)
    tier: str
    tier_name: str
    multiplier: str
    enabled: bool
    redeemable: bool
    point_value: int = 0  # rupiah one point pays

    def as_dict(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in self.__slots__}


def _customer(conn: Connection, customer_id: str) -> None:
    row = conn.execute(text("SELECT erased_at FROM customer WHERE id = :c"),
                       {"c": customer_id}).first()
    if row is None or row[0] is not None:
        raise NotFound(f"no customer {customer_id}", field="customer")


def member_points(conn: Connection, customer_id: str) -> MemberPoints:
    """The member's balance, its rupiah value and tier, as the till shows them."""
    _customer(conn, customer_id)
    settings = read_loyalty_settings(conn)
    bal = balance(conn, customer_id)
    held = held_tier(conn, customer_id)
    tier = settings.tier(held[0] if held else None)
    return MemberPoints(customer_id, bal, max(0, bal) * settings.point_value, tier.code,
                        tier.name, str(tier.multiplier), settings.enabled,
                        settings.enabled and bal > 0, settings.point_value)


def ledger(conn: Connection, customer_id: str) -> tuple[LedgerRow, ...]:
    _customer(conn, customer_id)
    return tuple(rows_of(conn, customer_id))


def adjust_points(uow: UnitOfWork, actor: Actor, customer_id: str, points: int, reason: str,
                  *, approver: str | None, pin: str | None, terminal_id: str) -> LedgerRow:
    """A correction of a member's points, with a reason and a supervisor's PIN (audited).
    Commits."""
    conn = uow.conn
    actor = authorize(uow, actor, "cashier", "a points adjustment")
    reason = (reason or "").strip()
    if not reason:
        raise BadInput("an adjustment needs a reason", field="reason")
    if len(reason) > MAX_REASON:
        raise BadInput(f"at most {MAX_REASON} characters", field="reason")
    if points == 0 or abs(points) > MAX_ADJUST:
        raise BadInput(f"not zero, at most {MAX_ADJUST} either way", field="points")
    _customer(conn, customer_id)
    ok = approve(uow, approver, pin, "supervisor", "a points adjustment")
    stamp = now_iso()
    settings = read_loyalty_settings(conn)
    row = new_row(customer_id, "adjust", points, stamp, terminal_id, user_id=actor.id,
                  approver_id=ok.id, reason=reason,
                  expires_at=lot_expiry(stamp, settings.expiry_months, store_zone(conn))
                  if points > 0 else None)
    write_rows(conn, [row], aggregate_id=row.id, created_at=stamp)
    append_audit(conn, "loyalty.adjust", entity="customer", entity_id=customer_id,
                 actor_id=actor.id, approver_id=ok.id, created_at=stamp,
                 details={"entry_id": row.id, "points": points})
    uow.commit()
    return row


def outstanding_points_value(conn: Connection, as_of: datetime | str) -> int:
    """Rupiah of every member's unexpired positive balance at ``as_of`` (the points the
    shop may still have to honour), for the balance-sheet notes. Rows dated after
    ``as_of`` are left out; lots that lapsed by then count as expired even if the expiry
    job has not written them yet."""
    settings = read_loyalty_settings(conn)
    at = parse_moment(as_of)
    return sum(max(0, b) for b in balances_at(conn, at).values()) * settings.point_value


def recalculate_tiers(uow: UnitOfWork, now: datetime) -> tuple[TierChange, ...]:
    """The nightly tier job (app.scheduler's NIGHTLY_HOOKS): every member's tier from the
    last 12 months, up or down. Commits."""
    return recalc_tiers(uow, now)


def forget_customer(conn: Connection, customer_id: str) -> int:
    """Erasure (UU PDP): blank the only free text a member's ledger holds (adjustment
    reasons), in the caller's transaction. The points and amounts stay (they are the
    books'). Returns the rows blanked."""
    result = conn.execute(text("UPDATE loyalty_entry SET reason = NULL WHERE customer_id = :c "
                               "AND reason IS NOT NULL"), {"c": customer_id})
    return int(result.rowcount or 0)


__all__ = ["LOYALTY_REDEMPTION", "POINTS", "ExpiryRun", "LoyaltyPlan", "MemberPoints",
           "RefundPoints", "adjust_points", "eligible_spend", "expire_points",
           "forget_customer", "recalculate_tiers", "ledger", "member_points",
           "outstanding_points_value", "plan_refund", "plan_sale", "points_for",
           "record_refund", "record_sale", "take_back"]

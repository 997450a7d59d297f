"""The demo shop's loyalty programme (issue 15), added after its traded history.

:func:`add_demo_loyalty` switches the programme on as the owner (Rp 10.000 a point, a point
pays Rp 100, tiers Perunggu/Perak/Emas by 12-month spend, points lapse 1 month after the
month they were earned, so a 90-day history shows lapses), then lets the members earn on
their history's sales as if the programme had run from the first day: each sale to a
customer (not refunded) gets its one earn row through ``services.loyalty.record_sale``,
stamped at the sale's moment, with the tier the member held then. Then the expiry job runs
for every month end that passed (``expire_points``), the nightly tier job for today, and a
few members pay part of a basket with points at today's till (``complete_sale`` with a
``points`` tender, through the real checkout rules). Deterministic for a seed and a now.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from app.demo import DEMO_USERS
from app.demo_plan import DEMO_TIMEZONE
from app.shop import Shop
from local_db.ids import seeding_clock
from services.formatting import local
from services.loyalty import LoyaltyPlan, points_for, record_sale
from services.loyalty_expiry import expire_points
from services.loyalty_ledger import balance
from services.loyalty_settings import DEFAULT_TIERS, LoyaltySettings, save_loyalty_settings
from services.loyalty_tiers import held_tier, recalc_tiers
from services.selling import LineRequest, PaymentRequest, SaleRequest, complete_sale
from services.users import authenticate, shift_cashier

DEMO_SETTINGS = LoyaltySettings(enabled=True, step=10_000, points_per_step=1, floor=0,
                                point_value=100, same_sale=False, expiry_months=1,
                                tier_basis="spend", tiers=DEFAULT_TIERS)
REDEMPTIONS = 4


@dataclass(frozen=True, slots=True)
class DemoLoyalty:
    members: int
    earned: int
    expired: int
    redeemed: int
    tiers: dict[str, int]
    sales: int  # the redemptions' sales at today's till
    sales_today: int  # of them, on the store's today


def _month_ends(first: datetime, now: datetime) -> list[datetime]:
    """UTC midnights of the first day of each month after ``first`` up to ``now`` (the
    expiry job's runs; the lapses themselves are at the store's month ends)."""
    out: list[datetime] = []
    y, m = first.year, first.month
    while True:
        m += 1
        if m > 12:
            y, m = y + 1, 1
        at = datetime(y, m, 1, 1, tzinfo=UTC)
        if at > now:
            return out
        out.append(at)


def add_demo_loyalty(shop: Shop, *, seed: int, now: datetime) -> DemoLoyalty:
    rng = random.Random(f"loyalty:{seed}")
    name, _, pin = next(u for u in DEMO_USERS if u[1] == "owner")
    with shop.uow() as uow:
        owner = authenticate(uow, name, pin)
        uow.commit()
    with shop.uow(write=False) as uow:
        first = uow.conn.execute(text("SELECT MIN(created_at) FROM sale")).scalar()
    started = datetime.fromisoformat(str(first)) if first else now
    with seeding_clock(started - timedelta(minutes=5)), shop.uow() as uow:
        save_loyalty_settings(uow, owner, DEMO_SETTINGS)
    settings = DEMO_SETTINGS
    earned = 0
    with shop.uow() as uow:
        conn = uow.conn
        sales = conn.execute(text(
            "SELECT s.id, s.customer_id, s.created_at, s.cashier_id, "
            "(SELECT COALESCE(SUM(l.net), 0) FROM sale_line l WHERE l.sale_id = s.id) "
            "FROM sale s WHERE s.customer_id IS NOT NULL AND s.status = 'completed' "
            "AND NOT EXISTS (SELECT 1 FROM refund r WHERE r.sale_id = s.id) "
            "AND NOT EXISTS (SELECT 1 FROM loyalty_entry e WHERE e.sale_id = s.id) "
            "ORDER BY s.created_at, s.id")).all()
        for sale_id, customer_id, created_at, cashier_id, net in sales:
            held = held_tier(conn, str(customer_id))
            tier = settings.tier(held[0] if held else None)
            pts = points_for(int(net), settings, tier.multiplier)
            plan = LoyaltyPlan(str(customer_id), settings, 0, 0, int(net), pts, tier.code, held)
            record_sale(conn, plan, str(sale_id), shop.config.terminal_id, str(cashier_id),
                        str(created_at))
            earned += pts
        uow.commit()
    expired = 0
    for at in _month_ends(started, now):
        with shop.uow() as uow:
            expired += expire_points(uow, at, terminal_id=shop.config.terminal_id).points
    redeemed, stamps = _redeem_today(shop, rng, now)
    with shop.uow() as uow:
        recalc_tiers(uow, now)
    with shop.uow(write=False) as uow:
        counts = {str(t): int(n) for t, n in uow.conn.execute(text(
            "SELECT tier, COUNT(*) FROM loyalty_tier GROUP BY tier ORDER BY tier"))}
        members = int(uow.conn.execute(text(
            "SELECT COUNT(DISTINCT customer_id) FROM loyalty_entry")).scalar() or 0)
    today = local(now, DEMO_TIMEZONE).date()
    return DemoLoyalty(members, earned, expired, redeemed, counts, len(stamps),
                       sum(1 for at in stamps if local(at, DEMO_TIMEZONE).date() == today))


def _redeem_today(shop: Shop, rng: random.Random, now: datetime
                  ) -> tuple[int, list[datetime]]:
    """A few members with points pay part of today's basket with them."""
    with shop.uow(write=False) as uow:
        rows = uow.conn.execute(text(
            "SELECT customer_id, SUM(points) AS b FROM loyalty_entry GROUP BY customer_id "
            "HAVING b >= 10 ORDER BY customer_id")).all()
        product = uow.conn.execute(text(
            "SELECT sku, price FROM product WHERE active AND price BETWEEN 20000 AND 60000 "
            "AND unit = 'pcs' ORDER BY sku LIMIT 1")).first()
        cashier = shift_cashier(uow.conn, shop.config.terminal_id)
        last_sale = uow.conn.execute(text("SELECT MAX(created_at) FROM sale")).scalar()
    if not rows or product is None or cashier is None:
        return 0, []
    chosen = rng.sample(list(rows), min(REDEMPTIONS, len(rows)))
    redeemed = 0
    stamps: list[datetime] = []
    for n, (customer_id, _) in enumerate(sorted(chosen)):
        # After the history's last sale and by ``now``: a till sells one after another.
        after = datetime.fromisoformat(str(last_sale)) if last_sale else now
        at = after + (now - after) * (n + 1) / (len(chosen) + 1) if after < now else after
        with seeding_clock(at), shop.uow() as uow:
            have = balance(uow.conn, str(customer_id))
            use = min(have, int(product[1]) // 2 // DEMO_SETTINGS.point_value)
            if use <= 0:
                continue
            value = use * DEMO_SETTINGS.point_value
            req = SaleRequest((LineRequest(str(product[0]), 1000),),
                              (PaymentRequest("points", value),
                               PaymentRequest("cash", 100_000)),
                              customer_id=str(customer_id))
            complete_sale(uow, shop.config, cashier, req)
            redeemed += use
            stamps.append(at)
    return redeemed, stamps


__all__ = ["DEMO_SETTINGS", "DemoLoyalty", "add_demo_loyalty"]

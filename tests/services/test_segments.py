"""RFM scores at their thresholds, the segment rules, and the nightly recompute from real
sales."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.shop import Shop
from services.errors import BadInput, Refused
from services.segments import (
    Activity,
    RfmRules,
    customer_rfm,
    recompute_segments,
    scores,
    segment_of,
    segment_table,
)
from services.users import Actor
from tests.services.campaign_helpers import add_customers, sale_at, settings

RULES = RfmRules()


@pytest.mark.parametrize(("days", "r"), [(0, 3), (14, 3), (15, 2), (45, 2), (46, 1)])
def test_recency_thresholds(days: int, r: int) -> None:
    assert scores(Activity(days, 1, 1000, 100), RULES)[0] == r


@pytest.mark.parametrize(("n", "f"), [(0, 0), (1, 1), (2, 2), (5, 2), (6, 3)])
def test_frequency_thresholds(n: int, f: int) -> None:
    assert scores(Activity(1, n, 1000, 100), RULES)[1] == f


@pytest.mark.parametrize(("spend", "m"), [(0, 1), (249_999, 1), (250_000, 2),
                                          (999_999, 2), (1_000_000, 3)])
def test_monetary_thresholds(spend: int, m: int) -> None:
    assert scores(Activity(1, 1, spend, 100), RULES)[2] == m


def test_nothing_to_score_is_zero() -> None:
    assert scores(Activity(None, 0, 0, None), RULES) == (0, 0, 0)
    assert scores(Activity(400, 0, 0, 500), RULES) == (1, 0, 0)


@pytest.mark.parametrize(("a", "segment"), [
    (Activity(None, 0, 0, None), "belum_belanja"),
    (Activity(3, 6, 250_000, 200), "juara"),
    (Activity(3, 6, 100_000, 200), "setia"),  # frequent but small spend: not a champion
    (Activity(3, 1, 5_000, 3), "baru"),
    (Activity(30, 2, 5_000, 30), "baru"),  # first purchase 30 days ago: still new
    (Activity(30, 2, 5_000, 31), "setia"),
    (Activity(20, 1, 5_000, 200), "perlu_perhatian"),
    (Activity(60, 3, 5_000, 200), "berisiko"),
    (Activity(60, 1, 5_000, 200), "hilang"),
    (Activity(400, 0, 0, 400), "hilang"),
])
def test_segment_rules(a: Activity, segment: str) -> None:
    assert segment_of(a, RULES) == segment


def test_thresholds_are_settings_and_checked() -> None:
    rules = RfmRules.from_settings({"segments.recent_days": "7", "segments.big_spend": "500000"})
    assert (rules.recent_days, rules.big_spend, rules.lapsing_days) == (7, 500_000, 45)
    with pytest.raises(BadInput) as exc:
        RfmRules.from_settings({"segments.recent_days": "50"})
    assert exc.value.field == "segments.lapsing_days"
    with pytest.raises(BadInput) as exc:
        RfmRules.from_settings({"segments.frequent": "x"})
    assert exc.value.field == "segments.frequent"


def test_recompute_from_real_sales(shop: Shop, cashier: Actor, owner: Actor) -> None:
    now = datetime(2026, 12, 7, 12, tzinfo=UTC)
    champ, lapsed, fresh, never = add_customers(shop, 4)
    for d in (1, 5, 9, 20, 40, 60):  # six purchases, the last yesterday, big spend
        sale_at(shop, cashier, champ, now - timedelta(days=d), qty=50)
    for d in (50, 80, 120):
        sale_at(shop, cashier, lapsed, now - timedelta(days=d))
    sale_at(shop, cashier, fresh, now - timedelta(days=2))
    sale_at(shop, cashier, None, now - timedelta(days=2))  # no customer: not scored
    with shop.uow() as uow:
        run = recompute_segments(uow, now)
    assert run.counts["juara"] >= 1 and run.counts["berisiko"] >= 1
    with shop.uow(write=False) as uow:
        got = {c: customer_rfm(uow, c) for c in (champ, lapsed, fresh, never)}
    assert got[champ].segment == "juara" and (got[champ].r, got[champ].f) == (3, 3)
    assert got[champ].m == 3 and got[champ].purchases == 6
    assert got[lapsed].segment == "berisiko" and got[lapsed].recency_days == 50
    assert got[fresh].segment == "baru" and got[fresh].name == "Baru"
    assert got[never].segment == "belum_belanja" and got[never].purchases == 0
    # Run again at the same moment: the same rows (the nightly job is safe to repeat).
    with shop.uow() as uow:
        again = recompute_segments(uow, now)
    assert again.counts == run.counts
    with shop.uow() as uow:
        table = segment_table(uow, owner, lang="en")
    by_code = {x.code: x for x in table.lines}
    assert by_code["juara"].name == "Champions"
    assert sum(x.customers for x in table.lines) == run.customers
    assert by_code["juara"].spend >= got[champ].spend


def test_segment_table_needs_a_supervisor(shop: Shop, cashier: Actor) -> None:
    with shop.uow() as uow, pytest.raises(Refused):
        segment_table(uow, cashier)


def test_refunds_come_off_the_spend(shop: Shop, cashier: Actor) -> None:
    settings(shop, segments__mid_spend="1000")
    now = datetime(2026, 12, 7, 12, tzinfo=UTC)
    (cid,) = add_customers(shop, 1)
    sale_at(shop, cashier, cid, now - timedelta(days=3), qty=2)
    with shop.uow() as uow:
        recompute_segments(uow, now)
    with shop.uow(write=False) as uow:
        rfm = customer_rfm(uow, cid)
    assert rfm.spend == 7000 and rfm.m == 2

"""Campaigns: the audience (consent only, opt-outs counted), the seeded holdout (never
sent), sending once, scheduled sends, and promo codes at the till."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from app.secrets import cipher_for
from app.shop import Shop
from services.campaign_audience import draw_holdout
from services.campaigns import (
    create_campaign,
    opt_out,
    preview_campaign,
    send_campaign,
    send_due_campaigns,
)
from services.errors import BadInput, Refused
from services.promo_codes import PromoSpec
from services.segments import recompute_segments
from services.users import Actor
from tests.services.campaign_helpers import add_customers, sale_at, settings

NOW = datetime(2026, 12, 7, 9, tzinfo=UTC)


def _rows(shop: Shop, sql: str, *params: object) -> list[Any]:
    conn = sqlite3.connect(shop.folder / "warungin.db")
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def _campaign(shop: Shop, owner: Actor, **kw: object) -> str:
    values: dict[str, object] = {"name": "Promo akhir tahun", "channel": "whatsapp",
                                 "text": "diskon 10% untuk Anda minggu ini.", "seed": 42,
                                 "cost": 50_000}
    values.update(kw)
    with shop.uow() as uow:
        return create_campaign(uow, owner, **values).id  # type: ignore[arg-type]


def test_audience_is_consent_only_and_counts_opt_outs(shop: Shop, owner: Actor,
                                                      cashier: Actor) -> None:
    yes = add_customers(shop, 30)
    no = add_customers(shop, 7, consent=False, start=100)
    no_phone = add_customers(shop, 3, phone=False, start=200)
    with shop.uow() as uow:
        opt_out(uow, cashier, yes[0], source="stop")
    with shop.uow() as uow:
        opt_out(uow, cashier, yes[1], source="till")
    campaign_id = _campaign(shop, owner)
    cipher = cipher_for(shop)
    with shop.uow() as uow:
        count = preview_campaign(uow, cipher, owner, campaign_id)
    total = len(yes) + len(no) + len(no_phone)
    assert count.matching >= total
    assert count.opted_out == 2 and count.no_consent >= 7
    assert count.no_address >= 3
    eligible = 28
    assert count.eligible >= eligible and count.holdout + count.send == count.eligible
    with shop.uow() as uow:
        sent = send_campaign(uow, cipher, owner, campaign_id, now=NOW)
    members: dict[str, str] = dict(_rows(shop, "SELECT customer_id, arm FROM campaign_recipient "
                               "WHERE campaign_id = ?", campaign_id))
    assert not set(no) & set(members) and not set(no_phone) & set(members)
    assert yes[0] not in members and yes[1] not in members
    messaged = {r[0] for r in _rows(shop, "SELECT customer_id FROM message WHERE bulk_id = ?",
                                    sent.campaign.bulk_id)}
    assert messaged == {c for c, arm in members.items() if arm == "send"}
    assert sent.campaign.excluded_opted_out == 2 and sent.queued == sent.campaign.send_size


def test_holdout_is_seeded_recorded_and_never_sent(shop: Shop, owner: Actor) -> None:
    ids = add_customers(shop, 50)
    campaign_id = _campaign(shop, owner, holdout_share="0.2", seed=7)
    cipher = cipher_for(shop)
    with shop.uow() as uow:
        first = send_campaign(uow, cipher, owner, campaign_id, now=NOW)
    arms: dict[str, str] = dict(_rows(shop, "SELECT customer_id, arm FROM campaign_recipient "
                            "WHERE campaign_id = ?", campaign_id))
    holdout = {c for c, a in arms.items() if a == "holdout"}
    assert len(holdout) == first.campaign.holdout_size
    assert first.campaign.seed == 7 and first.campaign.holdout_share == "0.2"
    # The draw is a function of the members and the seed: repeated, it is the same.
    again = draw_holdout(tuple(arms), Decimal("0.2"), 7)
    assert {c for c, a, _ in again if a == "holdout"} == holdout
    assert {c for c, a, _ in draw_holdout(tuple(arms), Decimal("0.2"), 8)
            if a == "holdout"} != holdout
    sent_to = {r[0] for r in _rows(shop, "SELECT customer_id FROM message WHERE bulk_id = ?",
                                   first.campaign.bulk_id)}
    assert not holdout & sent_to and set(ids) & sent_to
    # Sending again writes nothing (nobody twice, the holdout still untouched).
    with shop.uow() as uow:
        second = send_campaign(uow, cipher, owner, campaign_id, now=NOW)
    assert second.campaign.already and second.queued == 0
    assert len(_rows(shop, "SELECT id FROM message WHERE bulk_id = ?",
                     first.campaign.bulk_id)) == len(sent_to)


def test_segment_audience_and_validation(shop: Shop, owner: Actor, cashier: Actor) -> None:
    ids = add_customers(shop, 6)
    for c in ids[:3]:
        sale_at(shop, cashier, c, NOW - timedelta(days=2))
    with shop.uow() as uow:
        recompute_segments(uow, NOW)
    campaign_id = _campaign(shop, owner, audience={"segments": ["baru"]}, holdout_share="0")
    with shop.uow() as uow:
        result = send_campaign(uow, cipher_for(shop), owner, campaign_id, now=NOW)
    assert result.campaign.audience_size == 3 and result.campaign.holdout_size == 0
    with shop.uow() as uow, pytest.raises(BadInput) as exc:
        create_campaign(uow, owner, name="x", channel="whatsapp", text="t",
                        audience={"segments": ["raja"]})
    assert exc.value.field == "audience.segments"
    with shop.uow() as uow, pytest.raises(BadInput) as exc:
        create_campaign(uow, owner, name="x", channel="fax", text="t")
    assert exc.value.field == "channel"
    with shop.uow() as uow, pytest.raises(Refused):
        create_campaign(uow, cashier, name="x", channel="sms", text="t")


def test_scheduled_campaign_is_sent_once_when_due(shop: Shop, owner: Actor) -> None:
    add_customers(shop, 10)
    campaign_id = _campaign(shop, owner, scheduled_at=(NOW + timedelta(hours=2)).isoformat())
    cipher = cipher_for(shop)
    with shop.uow() as uow:
        assert send_due_campaigns(uow, NOW, cipher) == ()
    with shop.uow() as uow:
        done = send_due_campaigns(uow, NOW + timedelta(hours=3), cipher)
    assert [d.campaign.id for d in done] == [campaign_id]
    assert done[0].campaign.status == "sent"
    with shop.uow() as uow:
        assert send_due_campaigns(uow, NOW + timedelta(hours=4), cipher) == ()


def test_email_has_an_unsubscribe_line(shop: Shop, owner: Actor) -> None:
    from services.campaigns import full_text, load_campaign
    settings(shop, messaging__email__from="toko@warung.test")
    campaign_id = _campaign(shop, owner, channel="email")
    with shop.uow(write=False) as uow:
        body = full_text(uow.conn, load_campaign(uow.conn, campaign_id))
    assert "mailto:toko@warung.test?subject=STOP" in body
    settings(shop, campaign__unsubscribe_url="https://warung.test/berhenti")
    with shop.uow(write=False) as uow:
        body = full_text(uow.conn, load_campaign(uow.conn, campaign_id))
    assert "https://warung.test/berhenti" in body


def test_opt_out_stops_queued_messages_at_once(shop: Shop, owner: Actor,
                                               cashier: Actor) -> None:
    ids = add_customers(shop, 5)
    campaign_id = _campaign(shop, owner, holdout_share="0")
    with shop.uow() as uow:
        sent = send_campaign(uow, cipher_for(shop), owner, campaign_id, now=NOW)
    with shop.uow() as uow:
        outcome = opt_out(uow, cashier, ids[0], source="stop")
    assert outcome["messages_stopped"] == 1
    status = _rows(shop, "SELECT status FROM message WHERE bulk_id = ? AND customer_id = ?",
                   sent.campaign.bulk_id, ids[0])
    assert status == [("rejected",)]


# --- promo codes at the till ---------------------------------------------------------------

def _promo_campaign(shop: Shop, owner: Actor, **promo: object) -> str:
    spec = {"code": "HEMAT10", "percent": Decimal(10),
            "valid_from": (NOW - timedelta(days=1)).isoformat(),
            "valid_until": (NOW + timedelta(days=7)).isoformat(), "per_customer_limit": 2}
    spec.update(promo)
    return _campaign(shop, owner, promo=PromoSpec(**spec))  # type: ignore[arg-type]


def test_promo_code_discount_validity_and_limit(shop: Shop, owner: Actor,
                                                cashier: Actor) -> None:
    (cid, other) = add_customers(shop, 2)
    _promo_campaign(shop, owner)
    first = sale_at(shop, cashier, cid, NOW, qty=10, promo_code="hemat10")
    assert first.discount_total == 3500  # 10% of 10 × Rp 3.500, above a cashier's own limit
    sale_at(shop, cashier, cid, NOW + timedelta(hours=1), qty=1, promo_code="HEMAT10")
    with pytest.raises(Refused) as exc:  # the per-customer limit (2)
        sale_at(shop, cashier, cid, NOW + timedelta(hours=2), promo_code="HEMAT10")
    assert exc.value.field == "promo_code" and "limit" in exc.value.message
    with pytest.raises(Refused) as exc:  # before its validity
        sale_at(shop, cashier, other, NOW - timedelta(days=2), promo_code="HEMAT10")
    assert exc.value.field == "promo_code"
    with pytest.raises(Refused):  # after it
        sale_at(shop, cashier, other, NOW + timedelta(days=8), promo_code="HEMAT10")
    with pytest.raises(BadInput) as bad:  # a code is for a named customer
        sale_at(shop, cashier, None, NOW, promo_code="HEMAT10")
    assert bad.value.field == "promo_code"
    with pytest.raises(Refused):
        sale_at(shop, cashier, other, NOW, promo_code="NOPE99")
    uses = _rows(shop, "SELECT customer_id, discount FROM promo_redemption")
    assert sorted(uses) == sorted([(cid, 3500), (cid, 350)])


def test_promo_limit_is_held_by_the_database(shop: Shop, owner: Actor, cashier: Actor) -> None:
    (cid,) = add_customers(shop, 1)
    _promo_campaign(shop, owner, per_customer_limit=1)
    done = sale_at(shop, cashier, cid, NOW, promo_code="HEMAT10")
    conn = sqlite3.connect(shop.folder / "warungin.db")
    try:
        promo_id = conn.execute("SELECT promo_code_id FROM promo_redemption").fetchone()[0]
        with pytest.raises(sqlite3.IntegrityError, match="used up"):
            conn.execute("INSERT INTO promo_redemption VALUES ('x', ?, ?, ?, 1, 'now')",
                         (promo_id, done.id, cid))
    finally:
        conn.close()


def test_amount_code_and_bad_specs(shop: Shop, owner: Actor, cashier: Actor) -> None:
    (cid,) = add_customers(shop, 1)
    _promo_campaign(shop, owner, code="POTONG5K", percent=None, amount=5000, min_spend=10_000)
    with pytest.raises(Refused):  # below its minimum spend
        sale_at(shop, cashier, cid, NOW, qty=1, promo_code="POTONG5K")
    done = sale_at(shop, cashier, cid, NOW, qty=4, promo_code="POTONG5K")
    assert done.discount_total == 5000
    with pytest.raises(BadInput) as exc:
        _promo_campaign(shop, owner, code="X1", percent=Decimal(5))
    assert exc.value.field == "promo_code"
    with pytest.raises(BadInput) as exc:
        _promo_campaign(shop, owner, code="DUA", percent=Decimal(5), amount=100)
    assert exc.value.field == "promo.percent"
    with pytest.raises(BadInput) as exc:
        _promo_campaign(shop, owner, code="POTONG5K")
    assert exc.value.field == "promo.code"


def test_fast_mobile_check_agrees_with_phonenumbers() -> None:
    import random as _random

    from services.campaign_audience import _indonesian_mobile
    from services.messaging_queue import mobile_number
    rng = _random.Random(3)
    agree = mobiles = 0
    for _ in range(5000):
        number = "+62" + str(rng.choice([8, 8, 8, 2, 3, 6, 7])) + "".join(
            str(rng.randint(0, 9)) for _ in range(rng.randint(6, 12)))
        try:
            mobile_number(number)
            full = True
        except BadInput:
            full = False
        mobiles += full
        agree += _indonesian_mobile(number) == full
    assert agree == 5000 and mobiles > 500


def test_push_audience_is_customers_with_a_device(shop: Shop, owner: Actor) -> None:
    from services.campaigns import preview_audience
    from services.device_tokens import register_token
    ids = add_customers(shop, 4, email=False, phone=False)
    for i, cid in enumerate(ids[:2]):
        with shop.uow() as uow:
            register_token(uow, owner, owner_type="customer", owner_id=cid,
                           token=f"tok{i}" * 12, platform="android")
    with shop.uow() as uow:
        count = preview_audience(uow, cipher_for(shop), owner, channel="push", audience={},
                                 holdout_share="0")
    assert count.eligible == 2 and count.no_address >= 2


def test_tier_audience_uses_the_loyalty_tiers(shop: Shop, owner: Actor) -> None:
    from services.campaigns import preview_audience
    ids = add_customers(shop, 5)
    conn = sqlite3.connect(shop.folder / "warungin.db")
    try:  # two members hold silver (the loyalty job's cache); the rest the lowest tier
        conn.executemany("INSERT INTO loyalty_tier (customer_id, tier, measure, since, "
                         "updated_at) VALUES (?, 'silver', 1000000, 'x', 'x')",
                         [(c,) for c in ids[:2]])
        conn.commit()
    finally:
        conn.close()
    with shop.uow() as uow:
        silver = preview_audience(uow, cipher_for(shop), owner, channel="whatsapp",
                                  audience={"tiers": ["silver"]}, holdout_share="0")
    assert silver.matching == 2 and silver.eligible == 2

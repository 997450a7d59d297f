"""Campaigns: queuing a 5,000-recipient campaign, and sending at the provider's rate limit.

1. **Queue.** A seeded demo shop with 5,556 consenting customers (mobile numbers); a
   WhatsApp campaign with the default 10% holdout: 556 held out, 5,000 to send.
   ``campaign.queue_5000`` is the time of ``send_campaign`` (the audience, the seeded draw,
   5,556 recipient rows, 5,000 message rows and jobs, one transaction) against the target
   of 2 s, beside a raw sqlite3 baseline that inserts the same rows (recipients, jobs and
   messages with the same column values, ciphertext included) in one transaction of its
   own, measured in the same run.
2. **Send rate.** A WhatsApp campaign to ``rate_recipients`` customers (default 500: 450
   sent, 50 held out) sent by the dispatcher with the till's handlers against the Twilio
   simulator limited to 10 requests/s (WhatsApp's default per sender). ``campaign.whatsapp_rate`` is the achieved
   rate (accepted messages per second, first to last acceptance) beside the limit as
   baseline; ``campaign.whatsapp_rate_share`` its share of the limit (target at least 0.9).
"""

from __future__ import annotations

import shutil
import sqlite3
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from app.demo import seed_demo
from app.message_wiring import message_handlers, messaging_simulators
from app.secrets import cipher_for
from app.shop import Shop, open_shop
from bench.report import Emit, Figure, figure, print_figure
from local_db.ids import now_iso, uuid7
from local_db.models import Customer
from local_db.store import write_settings
from services.campaigns import create_campaign, send_campaign
from services.users import Actor, authenticate
from sync.jobs.dispatcher import Dispatcher

RECIPIENTS = 5000
AUDIENCE = 5556  # 10 % held out: 5,000 to send
QUEUE_TARGET_S = 2.0
LIMIT = 10.0
TARGET_SHARE = 0.9
DEFAULT_RATE_RECIPIENTS = 500


def _at_least(fig: Figure, target: float) -> Figure:
    fig["target"] = target
    fig["target_of"] = "value_at_least"
    fig["ok"] = fig["value"] is not None and fig["value"] >= target
    return fig


def _customers(shop: Shop, n: int) -> None:
    cipher = cipher_for(shop)
    stamp = now_iso()
    rows = []
    for i in range(n):
        cid = uuid7()
        number = f"+62813{i:07d}"
        rows.append({"id": cid, "name": f"Pelanggan {i}",
                     "phone_enc": cipher.encrypt(number, record_id=cid, field="phone"),
                     "phone_index": cipher.blind_index(number), "email_enc": None,
                     "address_enc": None, "key_id": cipher.active_key_id,
                     "consent_marketing": True, "credit_limit": 0, "created_at": stamp,
                     "updated_at": stamp, "erased_at": None})
    with shop.uow() as uow:
        uow.conn.execute(insert(Customer), rows)
        uow.commit()


def _shop(folder: Path, customers: int) -> tuple[Shop, Actor]:
    shop = open_shop(folder)
    seed_demo(shop)
    _customers(shop, customers)
    with shop.uow() as uow:
        owner = authenticate(uow, "Wati", "9999")
        uow.commit()
    return shop, owner


def _campaign(shop: Shop, owner: Actor, seed: int) -> str:
    with shop.uow() as uow:
        return create_campaign(uow, owner, name="bench", channel="whatsapp",
                               text="diskon akhir pekan untuk Anda.", cost=100_000,
                               seed=seed).id


def _baseline(path: Path) -> float:
    """The same rows as the campaign wrote, inserted again by raw sqlite3 into a copy of
    the tables (fresh ids), one transaction."""
    conn = sqlite3.connect(path)
    try:
        recipients = conn.execute("SELECT * FROM campaign_recipient").fetchall()
        jobs = conn.execute("SELECT * FROM provider_job WHERE ref_id IN (SELECT id FROM "
                            "message WHERE bulk_id LIKE 'cmp:%')").fetchall()
        messages = conn.execute("SELECT * FROM message WHERE bulk_id LIKE 'cmp:%'").fetchall()
        for table in ("campaign_recipient", "provider_job", "message"):
            conn.execute(f"CREATE TABLE copy_{table} AS SELECT * FROM {table} WHERE 0")
        conn.commit()

        def fresh(row: tuple[Any, ...], n: int) -> tuple[Any, ...]:
            return (f"x{n}",) + tuple(row[1:])
        began = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(f"INSERT INTO copy_campaign_recipient VALUES "
                         f"({','.join('?' * len(recipients[0]))})", recipients)
        conn.executemany(f"INSERT INTO copy_provider_job VALUES "
                         f"({','.join('?' * len(jobs[0]))})",
                         [fresh(r, i) for i, r in enumerate(jobs)])
        conn.executemany(f"INSERT INTO copy_message VALUES "
                         f"({','.join('?' * len(messages[0]))})",
                         [fresh(r, i) for i, r in enumerate(messages)])
        conn.commit()
        return time.perf_counter() - began
    finally:
        conn.close()


def _queue(work: Path, *, seed: int) -> list[Figure]:
    shop, owner = _shop(work / "queue", AUDIENCE)
    try:
        campaign_id = _campaign(shop, owner, seed)
        cipher = cipher_for(shop)
        began = time.perf_counter()
        with shop.uow() as uow:
            result = send_campaign(uow, cipher, owner, campaign_id,
                                   now=datetime.now(UTC))
        spent = time.perf_counter() - began
        path = shop.folder / "warungin.db"
    finally:
        shop.close()
    baseline = _baseline(path)
    return [figure("campaign.queue_5000", "s", spent, baseline=baseline,
                   target=QUEUE_TARGET_S, n=result.queued,
                   holdout=result.campaign.holdout_size)]


def _rate(work: Path, *, seed: int, recipients: int, limit: float) -> list[Figure]:
    shop, owner = _shop(work / "rate", recipients)
    try:
        with messaging_simulators(shop, seed=seed, rate_limit=limit) as sims:
            sid = sims.twilio.register_template("{{1}}: Halo {{2}}, {{3}}", name="promo.id")
            with shop.uow() as uow:
                write_settings(uow.conn, {"messaging.twilio.template.promo.id": sid})
                uow.commit()
            campaign_id = _campaign(shop, owner, seed)
            with shop.uow() as uow:
                result = send_campaign(uow, cipher_for(shop), owner, campaign_id,
                                       now=datetime.now(UTC))
            expected = result.queued
            began = time.monotonic()
            with message_handlers(shop) as handlers:
                dispatcher = Dispatcher(shop.db, handlers, batch=expected * 2)
                while len(sims.twilio.outbox()) < expected and \
                        time.monotonic() - began < expected / limit * 3 + 60:
                    report = dispatcher.run_once()
                    if report.total("performed") + report.total("resolved") == 0:
                        time.sleep(0.05)
            wall = time.monotonic() - began
            accepted = sorted(float(m["accepted_at"]) for m in sims.twilio.outbox())
            limited = Counter(str(f["endpoint"]) for f in sims.twilio.fault_log()
                              if f["fault"] == "rate_limited")
    finally:
        shop.close()
    span = accepted[-1] - accepted[0] if len(accepted) > 1 else 0.0
    rate = (len(accepted) - 1) / span if span > 0 else None
    share = None if rate is None else rate / limit
    return [
        figure("campaign.whatsapp_rate", "msg/s", rate, baseline=limit, n=len(accepted),
               queued=expected, wall_s=round(wall, 1), rate_limited=dict(limited)),
        _at_least(figure("campaign.whatsapp_rate_share", "share", share, n=len(accepted)),
                  TARGET_SHARE),
    ]


def measure(work_dir: Path, *, seed: int = 1, emit: Emit = print_figure,
            rate_recipients: int = DEFAULT_RATE_RECIPIENTS, limit: float = LIMIT
            ) -> list[Figure]:
    base = work_dir / "campaigns"
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir(parents=True)
    figures = _queue(base, seed=seed)
    for f in figures:
        emit(f)
    more = _rate(base, seed=seed, recipients=rate_recipients, limit=limit)
    for f in more:
        emit(f)
    return figures + more


__all__ = ["measure"]

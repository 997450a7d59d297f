"""A campaign to 5,000 customers against the SendGrid, Twilio and FCM simulators with
faults (timeouts after the simulator acted, dropped connections, 429 bursts): every
recipient of the send group is sent once or visibly failed, the holdout is never sent.

The 5,000 go by email (SendGrid's 1,000 personalizations a request, so five requests, each
a fault risk). A WhatsApp campaign and a push campaign to a tenth of them each exercise
Twilio's look-up after an unknown outcome and FCM's resend with the collapse key.
``WARUNGIN_CAMPAIGN_FAULTS`` raises the count (default 5000); the clients' timeout is
lowered so that a timeout costs a fifth of a second.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from app.secrets import cipher_for, secret_store_for
from app.shop import Shop
from local_db.store import read_settings
from services.campaigns import create_campaign, send_campaign
from services.device_tokens import register_token
from services.users import Actor
from sync.jobs.dispatcher import Dispatcher
from sync.jobs.model import JobHandler
from sync.jobs.ratelimit import Limit, RateLimits
from sync.message_jobs import FcmPushHandler, SendGridEmailHandler, TwilioTextHandler
from sync.messaging import make_email_sender, make_push_sender, make_text_sender
from sync.simulators.fcm import FcmSimulator
from sync.simulators.sendgrid import SendGridSimulator
from sync.simulators.twilio import TwilioSimulator
from tests.services.campaign_helpers import add_customers, settings

N = int(os.environ.get("WARUNGIN_CAMPAIGN_FAULTS", "5000"))
#: WhatsApp and push go one request per message (and the dispatcher sends them in turn):
#: a smaller campaign each keeps the test within a minute.
TEXTS = int(os.environ.get("WARUNGIN_CAMPAIGN_FAULTS_TEXTS", "150"))
TIMEOUT = 0.2
FAULTS = {"timeout_after_accept": 0.20, "drop": 0.10, "rate_limit": 0.05, "hang_seconds": 0.4}
VISIBLY_FAILED = ("failed", "rejected", "unknown")
RATE = 100.0
NOW = datetime(2026, 12, 7, 9, tzinfo=UTC)


@pytest.fixture
def sims(shop: Shop) -> Iterator[tuple[SendGridSimulator, TwilioSimulator, FcmSimulator]]:
    from app.message_wiring import demo_service_account
    info = demo_service_account()
    sg, tw = SendGridSimulator(seed=21), TwilioSimulator(seed=22, step_seconds=0.0)
    fcm = FcmSimulator.for_service_account(info, seed=23, accept_any_token=True,
                                           retry_after=1)
    urls = [s.start() for s in (sg, tw, fcm)]
    settings(shop, messaging__sendgrid__base_url=urls[0], messaging__twilio__base_url=urls[1],
             messaging__twilio__account_sid=tw.account_sid,
             messaging__twilio__whatsapp_from="+14155238886",
             messaging__email__from="toko@warung.test", messaging__fcm__base_url=urls[2],
             messaging__fcm__token_url=urls[2] + "/token",
             messaging__fcm__project_id=fcm.project_id)
    store = secret_store_for(shop)
    store.set("sendgrid-api-key", sg.api_key)
    store.set("twilio-auth-token", tw.auth_token)
    store.set("fcm-service-account", json.dumps(info))
    try:
        yield sg, tw, fcm
    finally:
        for s in (sg, tw, fcm):
            s.stop()


def _query(shop: Shop, sql: str, *params: object) -> list[dict[str, Any]]:
    conn = sqlite3.connect(shop.folder / "warungin.db")
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql, params)]
    finally:
        conn.close()


def _addresses(shop: Shop, customers: set[str], field: str) -> set[str]:
    cipher = cipher_for(shop)
    out = set()
    for r in _query(shop, f"SELECT id, {field}_enc AS enc FROM customer"):
        if r["id"] in customers and r["enc"]:
            out.add(cipher.decrypt(r["enc"], record_id=r["id"], field=field))
    return out


def _campaign(shop: Shop, owner: Actor, channel: str, audience: dict[str, Any]) -> str:
    with shop.uow() as uow:
        c = create_campaign(uow, owner, name=f"uji {channel}", channel=channel,
                            text="belanja hemat minggu ini.", cost=100_000, seed=5,
                            audience=audience)
    return c.id


def test_campaign_to_thousands_under_faults(
        shop: Shop, owner: Actor,
        sims: tuple[SendGridSimulator, TwilioSimulator, FcmSimulator]) -> None:
    sg, tw, fcm = sims
    cipher = cipher_for(shop)
    setup = time.monotonic()
    # Three sets of people: email only, mobile only, and app users (a device, no address),
    # so each campaign's audience is its own.
    add_customers(shop, N, phone=False, prefix="Anggota")
    add_customers(shop, TEXTS, email=False, prefix="WA", start=N)
    push_ids = add_customers(shop, TEXTS, email=False, phone=False, prefix="HP", start=2 * N)
    tokens = {}
    for cid in push_ids:
        token = fcm.register_device()
        tokens[cid] = token
        with shop.uow() as uow:
            register_token(uow, owner, owner_type="customer", owner_id=cid, token=token,
                           platform="android")
    # Marketing outside WhatsApp's 24-hour window goes as an approved template.
    sid = tw.register_template("{{1}}: Halo {{2}}, {{3}}", name="promo.id")
    settings(shop, messaging__twilio__template__promo__id=sid)
    campaigns = {ch: _campaign(shop, owner, ch, {}) for ch in ("email", "whatsapp", "push")}
    sent = {}
    for ch, cid in campaigns.items():
        with shop.uow() as uow:
            sent[ch] = send_campaign(uow, cipher, owner, cid, now=NOW)
    email_sent = sent["email"].campaign
    assert (email_sent.send_size or 0) + (email_sent.holdout_size or 0) >= N
    for s in sims:
        s.set_faults(**FAULTS)  # type: ignore[arg-type]
        s.set_rate_limit(RATE)
    with shop.uow(write=False) as uow:
        values = read_settings(uow.conn)
    secrets = secret_store_for(shop)
    email = make_email_sender(values, secrets, timeout=TIMEOUT)
    text = make_text_sender(values, secrets, timeout=TIMEOUT,
                            limits=RateLimits({"whatsapp": Limit(rate=RATE * 2)}))
    push = make_push_sender(values, secrets, timeout=TIMEOUT)
    handlers: dict[tuple[str, str], JobHandler] = {("sendgrid", "email"): SendGridEmailHandler(shop.db, cipher, email),
                ("twilio", "whatsapp"): TwilioTextHandler(shop.db, cipher, text,
                                                          poll_seconds=()),
                ("fcm", "push"): FcmPushHandler(shop.db, cipher, push)}
    dispatcher = Dispatcher(shop.db, handlers, base_delay=0.02, max_delay=0.2, batch=100_000,
                            breaker_failures=10_000, max_attempts=12)
    began = time.monotonic()
    try:
        while time.monotonic() - began < 300:
            report = dispatcher.run_once()
            if not report.providers:
                break
            if report.total("performed") + report.total("resolved") == 0:
                time.sleep(0.05)
    finally:
        for client in (email, text, push):
            client.close()
    elapsed = time.monotonic() - began

    faults = Counter(f["fault"] for s in sims for f in s.fault_log())
    assert faults["timeout_after_accept"] + faults["drop"] > 0, faults
    for ch, cid in campaigns.items():
        arms = {r["customer_id"]: r["arm"] for r in _query(
            shop, "SELECT customer_id, arm FROM campaign_recipient WHERE campaign_id = ?", cid)}
        rows = _query(shop, "SELECT m.id, m.customer_id, m.status, m.provider_message_id, "
                            "m.error, j.state AS job_state FROM message m JOIN provider_job j "
                            "ON j.id = m.job_id WHERE m.bulk_id = ?",
                      sent[ch].campaign.bulk_id)
        holdout = {c for c, a in arms.items() if a == "holdout"}
        send = {c for c, a in arms.items() if a == "send"}
        assert holdout and len(holdout) == sent[ch].campaign.holdout_size, (ch, sent[ch])
        # One row per member of the send group, none for the holdout.
        assert Counter(r["customer_id"] for r in rows) == Counter(send), ch
        for r in rows:
            assert r["job_state"] in ("succeeded", "dead"), r
            if r["status"] in VISIBLY_FAILED:
                assert r["job_state"] == "dead" or r["error"], r
            else:
                assert r["provider_message_id"], r
        if ch == "email":
            got = Counter(e["custom_args"].get("message_id") for e in sg.outbox())
            mine = {r["id"] for r in rows}
            assert all(got[m] <= 1 for m in mine)  # a bulk email is never sent twice
            to = {e["to"] for e in sg.outbox()}
            held = _addresses(shop, holdout, "email")
            assert held and not held & to  # the holdout never reached the provider
            ok = [r for r in rows if r["status"] not in VISIBLY_FAILED]
            for r in ok:
                assert got[r["id"]] == 1, r
        elif ch == "whatsapp":
            per_to = Counter(m["to"] for m in tw.outbox())
            assert max(per_to.values()) == 1  # looked up after an unknown outcome
            held = _addresses(shop, holdout, "phone")
            assert held and not {t.removeprefix("whatsapp:") for t in per_to} & held
        else:
            held_tokens = {tokens[c] for c in holdout}
            assert not any(fcm.inbox(t) for t in held_tokens)
            for c in send:
                shown = Counter(e["collapse_key"] for e in fcm.inbox(tokens[c]))
                assert all(v == 1 for v in shown.values())
    print(f"campaigns to {N}+{2 * TEXTS} under faults: set up "
          f"{began - setup:.1f} s, sent in {elapsed:.1f} s; faults {dict(faults)}")

"""Messaging: WhatsApp throughput at the sender's rate limit, and what queuing a receipt costs
the till.

1. **Throughput.** 1,000 WhatsApp messages are queued (one bulk, one row and one job per
   recipient) in a freshly seeded demo shop pointed at the Twilio simulator
   (``app.message_wiring.messaging_simulators``) whose rate limit is 10 requests/s (WhatsApp's
   default per sender). The dispatcher then sends them with the handlers the till uses
   (``message_handlers``: the Twilio client's own token bucket, status polls included).
   ``message.whatsapp_rate`` is the achieved rate (messages accepted by the simulator per
   second, from its first to its last acceptance) beside the limit as baseline;
   ``message.whatsapp_rate_share`` the share of the limit (target at least 0.9).
2. **The till's commit.** Cash sales through ``complete_sale`` alternate between "sale only"
   and "sale, then ``send_receipt`` by WhatsApp" (its own transaction after the commit, as
   the till's "kirim struk" does). ``message.sale_commit_with_receipt.median`` is the sale
   commit's time when receipts are being queued, beside the sale-only commit of the same run
   (ratio about 1: queuing a receipt does not slow the sale), and
   ``message.receipt_queue.median`` the time of the ``send_receipt`` call itself beside the
   sale commit.
"""

from __future__ import annotations

import shutil
from collections import Counter
import time
from pathlib import Path

from sqlalchemy import select

from app.demo import seed_demo
from app.message_wiring import message_handlers, messaging_simulators
from app.secrets import cipher_for
from app.shop import open_shop
from bench.report import Emit, Figure, figure, median, print_figure
from local_db.models import Product
from services.messaging import Recipient, queue_messages, send_receipt
from services.selling import LineRequest, PaymentRequest, SaleRequest, complete_sale
from services.users import authenticate
from sync.jobs.dispatcher import Dispatcher

DEFAULT_MESSAGES = 1000
LIMIT = 10.0  # WhatsApp's default messages/s per sender
TARGET_SHARE = 0.9
DEFAULT_SAMPLES = 200
WARMUP = 10


def _at_least(fig: Figure, target: float) -> Figure:
    """A figure whose target is a floor (figure() bounds from above)."""
    fig["target"] = target
    fig["target_of"] = "value_at_least"
    fig["ok"] = fig["value"] is not None and fig["value"] >= target
    return fig


def _throughput(work: Path, *, seed: int, messages: int, limit: float) -> list[Figure]:
    folder = work / "throughput"
    shop = open_shop(folder)
    try:
        seed_demo(shop)
        with shop.uow() as uow:
            owner = authenticate(uow, "Wati", "9999")
            uow.commit()
        cipher = cipher_for(shop)
        with messaging_simulators(shop, seed=seed, rate_limit=limit) as sims:
            with shop.uow() as uow:
                queue_messages(uow, cipher, owner, channel="whatsapp",
                               template="daily_summary", purpose="alert", bulk_id="bench",
                               variables={"store_name": "Warung", "day": "07-12-2026",
                                          "sales_total": "Rp 1.500.000", "sales_count": "42",
                                          "change": "+5 %"},
                               recipients=[Recipient.address(f"+62812{i:07d}")
                                           for i in range(messages)])
            began = time.monotonic()
            with message_handlers(shop) as handlers:
                dispatcher = Dispatcher(shop.db, handlers, batch=messages * 2)
                while len(sims.twilio.outbox()) < messages and \
                        time.monotonic() - began < messages / limit * 3 + 60:
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
        figure("message.whatsapp_rate", "msg/s", rate, baseline=limit, n=len(accepted),
               wall_s=round(wall, 1), rate_limited=dict(limited)),
        _at_least(figure("message.whatsapp_rate_share", "share", share, n=len(accepted)),
                  TARGET_SHARE),
    ]


def _receipt_overhead(work: Path, *, samples: int) -> list[Figure]:
    folder = work / "till"
    shop = open_shop(folder)
    try:
        seed_demo(shop)
        with shop.uow() as uow:
            cashier = authenticate(uow, "Sari", "1234")
            uow.commit()
            skus = list(uow.conn.execute(select(Product.sku).where(
                Product.unit == "pcs", Product.active, Product.price > 0)
                .order_by(Product.sku).limit(30)).scalars())
        cipher = cipher_for(shop)
        config = shop.config
        alone: list[float] = []
        with_receipt: list[float] = []
        queue: list[float] = []
        for i in range(WARMUP + samples * 2):
            lines = tuple(LineRequest(skus[(i + k) % len(skus)], 1000) for k in range(3))
            req = SaleRequest(lines, (PaymentRequest("cash", 1_000_000),))
            began = time.perf_counter()
            with shop.uow() as uow:
                done = complete_sale(uow, config, cashier, req)
            commit = (time.perf_counter() - began) * 1000
            receipt_mode = i % 2 == 1
            if receipt_mode:
                began = time.perf_counter()
                with shop.uow() as uow:
                    send_receipt(uow, cipher, cashier, done.id, channel="whatsapp",
                                 to=f"+62813{i:07d}")
                spent = (time.perf_counter() - began) * 1000
            if i < WARMUP:
                continue
            if receipt_mode:
                with_receipt.append(commit)
                queue.append(spent)
            else:
                alone.append(commit)
    finally:
        shop.close()
    return [
        figure("message.sale_commit_with_receipt.median", "ms", median(with_receipt),
               baseline=median(alone), target=1.2, target_of="ratio", n=len(with_receipt)),
        figure("message.receipt_queue.median", "ms", median(queue), baseline=median(alone),
               n=len(queue)),
    ]


def measure(work_dir: Path, *, seed: int = 1, emit: Emit = print_figure,
            messages: int = DEFAULT_MESSAGES, limit: float = LIMIT,
            samples: int = DEFAULT_SAMPLES) -> list[Figure]:
    base = work_dir / "messages"
    shutil.rmtree(base, ignore_errors=True)
    figures = _receipt_overhead(base, samples=samples)
    for f in figures:
        emit(f)
    more = _throughput(base, seed=seed, messages=messages, limit=limit)
    for f in more:
        emit(f)
    return figures + more


__all__ = ["measure"]

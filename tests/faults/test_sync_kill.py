"""The real ``warungin sync --once`` killed with SIGKILL, many times: exactly-once every time.

A till enrolled into a real central PostgreSQL sells (sales, refunds, price edits, stock
adjustments: every push handler sees kills). Its sync runs as a child process of this
interpreter (``python -m tests.faults.killpoints sync --once``: the real command line, with
this harness's SIGKILL handler installed on the push's fault points), the way a script or the
scheduler runs it, and dies by SIGKILL:

- at each named fault point of the push (``sync/faultpoints.py``), at several batch
  indexes N: before batch N is sent, inside central's transaction of batch N before its
  COMMIT, and after central committed batch N but before the till marked it sent (the
  window that makes a naive push send twice or lose the mark);
- at random moments of a normal run (a timer, as ``test_crash.py`` kills the till).

After every kill a new child runs the sync until it ends by itself (the outbox drains).
Then central must hold exactly the till's events and business rows — row by row, column by
column — no duplicate, nothing quarantined; the outbox is all 'sent'; the till verifies
clean. Right after each kill, before the restart, the state is checked too: central holds
every event the till marked sent (never the other way round), and the fault point's own
promise (how many batches landed) holds.

Sizes (CI default / knobs): 3 points x 5 batch indexes (1, 2, 3, 5, 8) named kills per
round, WARUNGIN_SYNC_KILL_ROUNDS rounds (1; further rounds pick batch indexes 1-12 at
random), WARUNGIN_SYNC_RANDOM_KILLS timer kills (12); batches of 4 events.
WARUNGIN_SYNC_KILL_SEED replays a run.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import text

from app.shop import Shop
from services.catalogue import ProductInput, get_product, save_product
from services.refunds import refund_sale
from services.selling import Approval, complete_sale
from services.stock import adjust_stock
from services.users import Actor
from sync import faultpoints
from tests.central.conftest import CentralDB
from tests.faults.sync_helpers import (
    ROOT,
    assert_exactly_once,
    catalogue,
    child_env,
    drained,
    outbox_status,
    sale_request,
    sync_child,
    sync_command,
)
from tests.sync.push.test_push import enrol

BATCH = 4
NTH = (1, 2, 3, 5, 8)
ROUNDS = int(os.environ.get("WARUNGIN_SYNC_KILL_ROUNDS", "1"))
RANDOM_KILLS = int(os.environ.get("WARUNGIN_SYNC_RANDOM_KILLS", "12"))
BUDI = Approval("Budi", "5678")


@dataclass
class Work:
    """Makes events on the till through the real use cases: mostly sales, now and then a
    refund, a price edit or a stock adjustment."""

    shop: Shop
    cashier: Actor
    supervisor: Actor
    rng: random.Random
    catalogue: list[tuple[str, str]] = field(default_factory=list)
    tracked: list[tuple[str, str]] = field(default_factory=list)
    receipts: list[str] = field(default_factory=list)
    made: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self.catalogue = catalogue(self.shop)
        with self.shop.uow(write=False) as uow:
            self.tracked = [(str(s), str(u)) for s, u in uow.conn.execute(text(
                "SELECT sku, unit FROM product WHERE active = 1 AND tracks_stock = 1 "
                "ORDER BY sku"))]

    def pending(self) -> int:
        return outbox_status(self.shop).get("pending", 0)

    def events(self, n: int) -> int:
        """At least ``n`` more pending events; returns how many are pending now."""
        target = self.pending() + n
        while self.pending() < target:
            self.one()
        return self.pending()

    def one(self) -> None:
        roll = self.rng.random()
        if roll < 0.08 and self.receipts:
            receipt = self.receipts.pop(self.rng.randrange(len(self.receipts)))
            with self.shop.uow() as uow:
                refund_sale(uow, self.shop.config, self.cashier, receipt, [], "rusak", BUDI)
            self.made["refund"] += 1
        elif roll < 0.14:
            sku, _ = self.rng.choice(self.catalogue)
            with self.shop.uow(write=False) as uow:
                pid = uow.conn.execute(text("SELECT id FROM product WHERE sku = :s"),
                                       {"s": sku}).scalar_one()
                p = get_product(uow.conn, str(pid))
            with self.shop.uow() as uow:
                save_product(uow, self.supervisor, ProductInput(
                    sku=p.sku, name=p.name, price=p.price + 100 * self.rng.randint(1, 5),
                    cost=p.cost, unit=p.unit, category=p.category, tax_class=p.tax_class,
                    barcodes=p.barcodes, tracks_stock=p.tracks_stock,
                    low_stock_milli=p.low_stock_milli, active=p.active))
            self.made["price_edit"] += 1
        elif roll < 0.20:
            sku, unit = self.rng.choice(self.tracked)
            qty = self.rng.choice([-2000, -1000, 3000]) if unit == "pcs" else -250
            with self.shop.uow() as uow:
                adjust_stock(uow, self.supervisor, sku, qty, "hitung ulang")
            self.made["stock_adjust"] += 1
        else:
            req = sale_request(self.rng, self.catalogue)
            with self.shop.uow() as uow:
                self.receipts.append(complete_sale(uow, self.shop.config, self.cashier,
                                                   req).receipt_no)
            self.made["sale"] += 1



def central_events(db: CentralDB, tenant_id: str) -> set[tuple[str, int]]:
    with db.connect() as c:
        return {(str(e), int(s)) for e, s in c.execute(
            "SELECT event_id::text, seq FROM central.event WHERE tenant_id = %s",
            (tenant_id,))}


def local_events(shop: Shop) -> tuple[set[tuple[str, int]], set[tuple[str, int]]]:
    """(every outbox event, those marked sent) as (event id, seq)."""
    with shop.uow(write=False) as uow:
        rows = [(str(i), int(s), str(st)) for i, s, st in uow.conn.execute(
            text("SELECT id, seq, status FROM outbox"))]
    return {(i, s) for i, s, _ in rows}, {(i, s) for i, s, st in rows if st == "sent"}


def assert_marks_follow_commits(db: CentralDB, shop: Shop, tenant_id: str) -> tuple[int, int]:
    """The invariant at ANY moment: what the till marked sent is at central, and central
    holds nothing the till did not make. Returns (central, marked sent) counts."""
    everything, sent = local_events(shop)
    central = central_events(db, tenant_id)
    assert sent <= central, f"{len(sent - central)} events marked sent are not at central"
    assert central <= everything, f"{len(central - everything)} events at central are unknown"
    return len(central), len(sent)


def test_sigkill_at_each_fault_point_then_restart(central_db: CentralDB, shop: Shop,
                                                  cashier: Actor, supervisor: Actor) -> None:
    link, term = enrol(central_db, shop, "Toko Mati Hidup")
    rng = random.Random(int(os.environ.get("WARUNGIN_SYNC_KILL_SEED", "3")))
    work = Work(shop, cashier, supervisor, rng)
    drained(shop.folder, batch_size=100)  # the demo shop's own history first
    assert_exactly_once(central_db, shop, term.tenant_id, term.terminal_id)

    # The first round at the batch indexes NTH, further rounds at random ones up to 12.
    plan = [(point, n if r == 0 else rng.randint(1, 12)) for r in range(ROUNDS)
            for point in faultpoints.POINTS for n in NTH]
    rng.shuffle(plan)
    started = time.monotonic()
    kills: Counter[str] = Counter()
    for point, n in plan:
        pending = work.events((n + 1) * BATCH + rng.randrange(BATCH))
        before = len(central_events(central_db, term.tenant_id))

        killed = sync_child(shop.folder, batch_size=BATCH, fault=f"{point}:{n}")
        assert killed.returncode == -signal.SIGKILL, (
            f"{point}:{n} did not kill the sync ({killed.returncode}): "
            f"{killed.stderr.decode()}")
        kills[point] += 1

        at_central, marked = assert_marks_follow_commits(central_db, shop, term.tenant_id)
        landed = n if point == faultpoints.AFTER_COMMIT else n - 1
        assert at_central - before == landed * BATCH, (point, n, at_central - before)
        assert marked - before == (n - 1) * BATCH, (point, n, marked - before)
        if point == faultpoints.AFTER_COMMIT:
            assert at_central > marked  # the window: central committed, the till never knew

        report = drained(shop.folder, batch_size=BATCH)
        assert report["quarantined"] == 0, report["quarantine_reasons"]
        assert report["sent"] == pending - (n - 1) * BATCH
        assert report["already_at_central"] == (BATCH if point == faultpoints.AFTER_COMMIT
                                                else 0)
        assert report["status"]["pending"] == 0 and report["central_gaps"] == 0
        assert_exactly_once(central_db, shop, term.tenant_id, term.terminal_id)
    counts = assert_exactly_once(central_db, shop, term.tenant_id, term.terminal_id)
    print(f"\nsync kills at fault points: {dict(kills)} (batch indexes "
          f"{sorted(Counter(n for _, n in plan).items())}, {ROUNDS} round(s)), work made {dict(work.made)}, central rows compared "
          f"{counts}, {time.monotonic() - started:.1f} s")
    assert all(kills[p] == ROUNDS * len(NTH) for p in faultpoints.POINTS)


def test_sigkill_at_random_moments_then_restart(central_db: CentralDB, shop: Shop,
                                               cashier: Actor, supervisor: Actor) -> None:
    link, term = enrol(central_db, shop, "Toko Mati Acak")
    seed = int(os.environ.get("WARUNGIN_SYNC_KILL_SEED",
                              random.SystemRandom().randrange(2**32)))
    print(f"\nrandom sync kill seed: {seed} (set WARUNGIN_SYNC_KILL_SEED={seed} to replay)")
    rng = random.Random(seed)
    work = Work(shop, cashier, supervisor, rng)
    drained(shop.folder, batch_size=100)

    # The yardstick: how long a whole child run takes with a typical backlog.
    work.events(10 * BATCH)
    began = time.monotonic()
    drained(shop.folder, batch_size=BATCH)
    yardstick = time.monotonic() - began

    started = time.monotonic()
    outcomes: Counter[str] = Counter()
    for _ in range(RANDOM_KILLS):
        work.events(rng.randint(4, 12) * BATCH)
        before_central, before_marked = assert_marks_follow_commits(central_db, shop,
                                                                    term.tenant_id)
        proc = subprocess.Popen(sync_command(shop.folder, BATCH), cwd=ROOT,
                                env=child_env(None), stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE)
        time.sleep(rng.uniform(0.2 * yardstick, 1.1 * yardstick))
        proc.send_signal(signal.SIGKILL)
        _, err = proc.communicate(timeout=60)
        if proc.returncode == 0:
            outcomes["finished before the kill"] += 1
            continue
        assert proc.returncode == -signal.SIGKILL, err.decode()
        at_central, marked = assert_marks_follow_commits(central_db, shop, term.tenant_id)
        if at_central > marked:
            outcomes["killed between central's commit and the mark"] += 1
        elif at_central > before_central or marked > before_marked:
            outcomes["killed after some batches"] += 1
        else:
            outcomes["killed before any batch landed"] += 1
    report = drained(shop.folder, batch_size=BATCH)
    assert report["quarantined"] == 0 and report["status"]["pending"] == 0
    counts = assert_exactly_once(central_db, shop, term.tenant_id, term.terminal_id)
    print(f"random sync kills: {RANDOM_KILLS} runs (a full run takes {yardstick:.2f} s), "
          f"{dict(outcomes)}, work made {dict(work.made)}, central rows {counts}, "
          f"{time.monotonic() - started:.1f} s")
    killed = RANDOM_KILLS - outcomes["finished before the kill"]
    assert killed >= RANDOM_KILLS // 2, outcomes

"""The same batches delivered three times, shuffled across three terminals: central ends
identical to a central that got one in-order delivery.

Three tills of one store (copies of the demo shop, each its own terminal; T01 reports the
store's set-up, see ``sync_helpers.new_till_shop``) do a day's business offline. Each till's folder is then copied: the originals are enrolled into the
session's central, the copies into a second, separate central database (the reference).

- Reference: each till pushes once, everything, in order (``push_once``).
- Shuffled: the batches each till's push would send (its outbox in seq order, ``BATCH``
  events each) are delivered three times each, in a random order across the tills, to the
  other central.

How a delivery is made: through the whole real push, not a copy of its SQL. Before each
delivery the test sets the till's outbox so that exactly that batch is 'pending' (and
every other event 'sent'), then calls ``push_once(max_batches=1)``: the push reads the
batch and its local rows, connects as the terminal's own role, runs the clone guard,
inserts (or, for an event central holds, skips and reads back its fate), commits and marks.
So central's real code sees each batch three times, each time from a fresh connection,
exactly as after lost replies or two pushers racing. (Driving the private ``_send`` with
recorded batches would exercise the same central code but bypass the read and the mark,
and would break whenever the push is refactored.)

Two orders:

- ``each_terminal_in_order``: terminals are interleaved at random and every duplicate
  lands anywhere after the batch's first delivery (old batches arrive again long after
  newer ones), but each terminal's FIRST deliveries keep its seq order — the only orders
  the push itself can produce (it sends the lowest pending seqs, one transaction at a
  time, marking only after COMMIT). The tills do everything: sales, refunds (a refund
  needs its sale at central first), a product created and repriced twice, customers
  created, edited and erased, stock adjustments, cash taken out, shifts closed and opened.
- ``free``: a uniform shuffle, later batches of a terminal may arrive before earlier ones.
  Only business whose effect does not depend on order is made (sales, stock adjustments,
  cash, shifts): central must still end identical. (A refund arriving before its sale is
  quarantined by design, and an older price edit arriving last wins, so those can only be
  promised for the orders above.)

Compared: every table of the tenant row by row (``sync_helpers.tenant_dump``), all
columns except those central writes itself on arrival (``CENTRAL_SIDE``), with the
tenant's/stores'/terminals' ids replaced by their codes.
"""

from __future__ import annotations

import os
import random
import shutil
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text

from app.secrets import cipher_for
from app.shop import Shop, open_shop
from services.catalogue import ProductInput, save_product
from services.customers import create_customer, erase_customer, update_customer
from services.refunds import refund_sale
from services.selling import Approval, complete_sale
from services.shifts import move_cash
from services.stock import adjust_stock
from sync.central.schema import TENANT_TABLES
from sync.push import push_once
from tests.central.conftest import CentralDB, make_tenant
from tests.conftest import login
from tests.faults.sync_helpers import (
    Till,
    catalogue,
    differences,
    enrol_till,
    new_till_shop,
    rollover_shift,
    sale_request,
    tenant_dump,
)

SALES = int(os.environ.get("WARUNGIN_REDELIVERY_SALES", "30"))  # per terminal
BATCH = int(os.environ.get("WARUNGIN_REDELIVERY_BATCH", "20"))
COPIES = 3
CODES = ("T01", "T02", "T03")
BUDI = Approval("Budi", "5678")


def business(shop: Shop, code: str, rng: random.Random, ordered: bool) -> Counter[str]:
    """A day of one till, through the real use cases, its special cases spread between
    the sales so that they land in different batches."""
    cashier = login(shop, "Sari", "1234")
    supervisor = login(shop, "Budi", "5678")
    owner = login(shop, "Wati", "9999")
    items = catalogue(shop)
    made: Counter[str] = Counter()
    receipts: list[str] = []
    customers: list[str] = []
    cipher = cipher_for(shop)

    def special(step: int) -> None:
        if step == 0:
            with shop.uow() as uow:
                adjust_stock(uow, supervisor, "MI-0001", -2000, "kemasan rusak")
            made["stock.adjust"] += 1
        elif step == 1:
            with shop.uow() as uow:
                move_cash(uow, shop.config, cashier, "cash_out", 15_000, "beli es batu")
            made["cash.out"] += 1
        elif step == 2:
            rollover_shift(shop, cashier)
            made["shift.rollover"] += 1
        if not ordered:
            return
        if code == "T01" and step < 3:  # a product of its own, created then repriced twice
            with shop.uow() as uow:
                save_product(uow, supervisor, ProductInput(
                    sku="BARU-01", name="Keripik Baru 60 g", price=9000 + 500 * step,
                    cost=6000, category="Makanan Ringan"))
            made["product.upserted"] += 1
        if code == "T02" and step == 0:
            with shop.uow() as uow:
                customers.append(create_customer(uow, cipher, supervisor, name="Ibu Tiga",
                                                 phone="0812-3000-0003").id)
            with shop.uow() as uow:
                customers.append(create_customer(uow, cipher, supervisor,
                                                 name="Pak Hapus").id)
            made["customer.upserted"] += 2
        elif code == "T02" and step == 1:
            with shop.uow() as uow:
                update_customer(uow, cipher, supervisor, customers[0], credit_limit=250_000)
            made["customer.upserted"] += 1
        elif code == "T02" and step == 2:
            with shop.uow() as uow:
                erase_customer(uow, owner, customers[1])
            made["customer.erased"] += 1
        if code == "T03" and step in (1, 2) and receipts:
            receipt = receipts.pop(0)
            with shop.uow(write=False) as uow:
                qty, unit = uow.conn.execute(text(
                    "SELECT l.qty_milli, l.unit FROM sale_line l JOIN sale s "
                    "ON s.id = l.sale_id WHERE s.receipt_no = :r AND l.line_no = 1"),
                    {"r": receipt}).one()
            part = [(1, 1000 if unit == "pcs" else int(qty) // 2)]
            with shop.uow() as uow:  # the whole sale, then part of a line of another
                refund_sale(uow, shop.config, cashier, receipt, [] if step == 1 else part,
                            "rusak", BUDI)
            made["sale.refunded"] += 1

    specials = {SALES * k // 4: k for k in range(3)}
    for i in range(SALES):
        if i in specials:
            special(specials[i])
        with shop.uow() as uow:
            receipts.append(complete_sale(uow, shop.config, cashier,
                                          sale_request(rng, items)).receipt_no)
        made["sale.completed"] += 1
    return made


def batches(shop: Shop) -> list[tuple[int, int]]:
    """The seq ranges the push sends from a fully pending outbox: BATCH events each."""
    with shop.uow(write=False) as uow:
        seqs = [int(s) for (s,) in uow.conn.execute(text("SELECT seq FROM outbox ORDER BY seq"))]
    return [(seqs[i], seqs[min(i + BATCH, len(seqs)) - 1]) for i in range(0, len(seqs), BATCH)]


def shuffled(rng: random.Random, n_batches: dict[str, int], ordered: bool
             ) -> list[tuple[str, int]]:
    """Each batch COPIES times, shuffled across terminals. ``ordered``: relabel each
    terminal's batch indexes by first appearance, so first deliveries keep seq order while
    the duplicates stay wherever the shuffle put them."""
    order = [(code, j) for code, n in n_batches.items() for j in range(n) for _ in range(COPIES)]
    rng.shuffle(order)
    if ordered:
        relabel: dict[str, dict[int, int]] = {code: {} for code in n_batches}
        order = [(code, relabel[code].setdefault(j, len(relabel[code]))) for code, j in order]
    return order


def firsts(plan: list[tuple[str, int]], code: str) -> list[int]:
    seen: set[int] = set()
    out = []
    for c, j in plan:
        if c == code and j not in seen:
            seen.add(j)
            out.append(j)
    return out


def telling(plan: list[tuple[str, int]], n_batches: dict[str, int], ordered: bool) -> bool:
    """A shuffle that can tell a right central from a wrong one: for every terminal with
    several batches an old batch arrives again after a newer one; some terminal's last
    delivery is not its newest batch (its last_seq must not move back); in free order some
    terminal's newer batch arrives before an older one."""
    mine = {code: [j for c, j in plan if c == code] for code in n_batches}
    again = all(any(j < max(seq[:k]) for k, j in enumerate(seq) if k)
                for code, seq in mine.items() if n_batches[code] > 1)
    back = any(seq[-1] != n_batches[code] - 1 for code, seq in mine.items())
    out_of_order = any(firsts(plan, code) != sorted(firsts(plan, code)) for code in n_batches)
    return again and back and out_of_order != ordered


def delivery_order(rng: random.Random, n_batches: dict[str, int], ordered: bool
                   ) -> list[tuple[str, int]]:
    for _ in range(1000):
        plan = shuffled(rng, n_batches, ordered)
        if telling(plan, n_batches, ordered):
            return plan
    raise AssertionError(f"no telling shuffle of {n_batches} found")


def deliver(till: Till, lo: int, hi: int) -> tuple[int, int]:
    """One delivery of the batch seq lo..hi through the real push; (fresh, duplicates)."""
    with till.shop.uow() as uow:
        uow.conn.execute(text("UPDATE outbox SET status = CASE WHEN seq BETWEEN :lo AND :hi "
                              "THEN 'pending' ELSE 'sent' END"), {"lo": lo, "hi": hi})
        uow.commit()
    size = hi - lo + 1
    report = push_once(till.shop.db, till.link, batch_size=size, max_batches=1)
    assert report.quarantined == 0, report.quarantine_reasons
    assert (report.batches, report.sent) == (1, size)
    with till.shop.uow(write=False) as uow:
        assert uow.conn.execute(text("SELECT count(*) FROM outbox WHERE status != 'sent'")
                                ).scalar() == 0
    return size - report.already_at_central, report.already_at_central


@dataclass
class Pair:
    shuffled: Till
    reference: Till


@pytest.mark.parametrize("order", ["each_terminal_in_order", "free"])
def test_triple_shuffled_delivery_equals_one_in_order(
        central_db: CentralDB, reference_central: CentralDB, demo_template: Path,
        tmp_path: Path, order: str) -> None:
    ordered = order == "each_terminal_in_order"
    seed = int(os.environ.get("WARUNGIN_REDELIVERY_SEED",
                              random.SystemRandom().randrange(2**32)))
    print(f"\nredelivery seed: {seed} (set WARUNGIN_REDELIVERY_SEED={seed} to replay)")
    rng = random.Random(seed)
    started = time.monotonic()

    made: Counter[str] = Counter()
    folders: dict[str, tuple[Path, Path]] = {}
    for code in CODES:
        shop = new_till_shop(demo_template, tmp_path / code, code,
                             reports_setup=code == CODES[0])
        made += business(shop, code, rng, ordered)
        shop.close()
        copy = tmp_path / f"{code}-reference"
        shutil.copytree(tmp_path / code, copy)
        folders[code] = (tmp_path / code, copy)

    name = f"Toko Tiga Kali {order} {seed}"
    tenant_a, tenant_b = make_tenant(central_db, name), make_tenant(reference_central, name)
    pairs: dict[str, Pair] = {}
    try:
        for code, (folder, copy) in folders.items():
            pairs[code] = Pair(enrol_till(central_db, tenant_a, open_shop(folder), code),
                               enrol_till(reference_central, tenant_b, open_shop(copy), code))

        # The reference: one in-order delivery, terminal after terminal.
        for p in pairs.values():
            report = push_once(p.reference.shop.db, p.reference.link, batch_size=BATCH)
            assert report.quarantined == 0 and report.already_at_central == 0

        ranges = {code: batches(p.shuffled.shop) for code, p in pairs.items()}
        plan = delivery_order(rng, {c: len(r) for c, r in ranges.items()}, ordered)
        fresh = duplicates = 0
        for code, j in plan:
            f, d = deliver(pairs[code].shuffled, *ranges[code][j])
            fresh, duplicates = fresh + f, duplicates + d
        seconds = time.monotonic() - started

        events = sum(hi - lo + 1 for r in ranges.values() for lo, hi in r)
        # Every event went in once, and came back twice more to a central that had it.
        assert (fresh, duplicates) == (events, (COPIES - 1) * events)
        if ordered:  # the push's own rule: first deliveries in each terminal's seq order
            assert all(firsts(plan, code) == sorted(firsts(plan, code)) for code in CODES)

        shuffled = tenant_dump(central_db, tenant_a.tenant_id, TENANT_TABLES)
        reference = tenant_dump(reference_central, tenant_b.tenant_id, TENANT_TABLES)
        diff = differences(reference, shuffled)
        assert not diff, diff
        rows = {t: sum(c.values()) for t, c in reference.items() if c}
        assert "quarantine" not in rows and rows["event"] == events
        for table in ("event", "sale", "sale_line", "payment", "stock_movement",
                      "journal_entry", "journal_line", "product", "product_price"):
            assert rows.get(table, 0) > 0, table
        if ordered:
            for table in ("refund", "refund_line", "customer"):
                assert rows.get(table, 0) > 0, table
        with central_db.connect() as c:
            last = dict(c.execute("SELECT code, last_seq FROM central.terminal "
                                  "WHERE tenant_id = %s", (tenant_a.tenant_id,)).fetchall())
        assert last == {code: r[-1][1] for code, r in ranges.items()}
        print(f"redelivery ({order}): {len(CODES)} terminals, {events} events in "
              f"{sum(len(r) for r in ranges.values())} batches of {BATCH}, "
              f"{len(plan)} deliveries ({duplicates} duplicate events), business "
              f"{dict(made)}, identical tables {rows}, {seconds:.1f} s")
    finally:
        for p in pairs.values():
            p.shuffled.shop.close()
            p.reference.shop.close()

"""1,000 QRIS payments while Midtrans misbehaves: 20% of charges time out after the
simulator charged, 10% of connections drop (before or after it recorded the charge).
Nothing is charged twice, every unknown is settled by a status query, the books balance."""

from __future__ import annotations

import json
import os
import random

import pytest
from sqlalchemy import text

from tests.helpers import till_checkout as checkout
from app.shop import Shop
from services.errors import Refused
from services.payments import ChargeView
from services.sale_input import parse_sale
from services.users import Actor
from services.verify import verify_database
from sync.midtrans.client import MidtransClient
from sync.simulators.midtrans import MidtransSimulator
from tests.e2e.conftest import SERVER_KEY
from tests.helpers import trial_balance

PAYMENTS = int(os.environ.get("WARUNGIN_FAULT_PAYMENTS", "1000"))


@pytest.mark.slow
def test_thousand_qris_payments_under_faults(shop: Shop, cashier: Actor) -> None:
    seed = int(os.environ.get("WARUNGIN_FAULT_SEED", random.randrange(1 << 30)))
    print(f"fault seed {seed}")
    rng = random.Random(seed)
    with MidtransSimulator(server_key=SERVER_KEY, seed=seed) as sim:
        url = sim.start()  # already started by "with": returns its base URL
        sim.set_faults(timeout_after_charge=0.2, drop=0.1, hang_seconds=0.5)
        client = MidtransClient(url, SERVER_KEY, timeout=0.25)
        sold: dict[str, str] = {}
        refused = 0
        try:
            for n in range(PAYMENTS):
                qty = rng.randint(1, 5)
                req = parse_sale({"lines": [{"sku": "MI-0001", "qty": qty}],
                                  "payments": [{"method": "qris", "amount": 3_500 * qty}]})

                def show(view: ChargeView) -> None:
                    if view.final is None:
                        sim.pay(view.attempt.order_id)
                try:
                    r = checkout(shop, cashier, req, wait=10, poll_seconds=0.0, client=client,
                                 show=show, sleep=lambda s: None)
                except Refused:
                    refused += 1  # Midtrans never took it (three drops in a row): no sale
                    continue
                sold[r.payments[0].method + str(n)] = r.id
        finally:
            client.close()
        txs = sim.all_transactions()
        faults = sim.fault_log()

    # The faults really happened, at about the rates asked for.
    kinds = [f["fault"] for f in faults]
    timeouts = kinds.count("timeout_after_charge")
    drops = [f for f in faults if f["fault"] == "drop"]
    assert timeouts > PAYMENTS * 0.12 and len(drops) > PAYMENTS * 0.05, (timeouts, len(drops))
    assert any(f["recorded"] for f in drops) and any(not f["recorded"] for f in drops)

    # 0 double charges: each order id was accepted at most once by the simulator.
    by_order: dict[str, int] = {}
    for tx in txs:
        by_order[tx["order_id"]] = by_order.get(tx["order_id"], 0) + 1
    assert max(by_order.values()) == 1
    assert all(sim.charges(o) <= 1 for o in by_order)
    with shop.uow(write=False) as uow:
        q = uow.session
        jobs = q.execute(text("SELECT idempotency_key, state, result FROM provider_job "
                              "WHERE kind = 'charge'")).all()
        paid_refs = q.execute(text("SELECT provider_ref FROM payment WHERE method = 'qris'")
                              ).scalars().all()
        report = verify_database(uow.conn)
    assert len(paid_refs) == len(set(paid_refs)) == len(sold)
    # Every attempt reached a final answer; none was left unknown or in flight.
    states = {(s, json.loads(r or "{}").get("final")) for _, s, r in jobs}
    assert states <= {("succeeded", "paid"), ("succeeded", "not_sent"),
                      ("succeeded", "cancelled")}, states
    # Every order the simulator charged and the customer paid became exactly one sale.
    paid_at_sim = {t["order_id"] for t in txs if t["transaction_status"] == "settlement"}
    assert paid_at_sim == set(paid_refs)
    assert sum(trial_balance(shop).values()) == 0
    assert report.ok, report.as_dict()["first_break"]
    assert len(sold) + refused == PAYMENTS
    assert len(sold) >= PAYMENTS * 0.95
    print(f"{PAYMENTS} payments: {len(sold)} sold, {refused} refused (not sent), "
          f"{len(txs)} transactions at the simulator; faults injected: {timeouts} timeouts "
          f"after charging, {len(drops)} dropped connections "
          f"({sum(1 for f in drops if f['recorded'])} after recording)")

"""``warungin demo --simulators``: provider simulators on 127.0.0.1 for a demo shop.

The demo shop is pointed at them (its Midtrans URL setting, and the simulator's throwaway
key in the demo's labelled secrets file), so a newcomer can ring up a QRIS sale in another
terminal with no credentials at all. Only a demo shop is ever pointed at a simulator.
"""

from __future__ import annotations

import sys
import threading

from app.provider_wiring import MIDTRANS_KEY_NAME
from app.secrets import secret_store_for
from app.shop import Shop
from local_db.store import write_settings
from services.errors import Conflict
from sync.simulators.midtrans import MidtransSimulator

DEMO_SERVER_KEY = "SB-Mid-server-DEMO-SIMULATOR"


def run_simulators(shop: Shop, *, port: int, auto_pay: float | None,
                   stop: threading.Event) -> None:
    if not shop.config.demo:
        raise Conflict("simulators are only for a demo shop", field="data_dir")
    sim = MidtransSimulator(server_key=DEMO_SERVER_KEY)
    url = sim.start(port)  # a fixed port, so the demo shop's setting stays right next time
    try:
        with shop.uow() as uow:
            write_settings(uow.conn, {"midtrans.base_url": url})
            uow.commit()
        secret_store_for(shop).set(MIDTRANS_KEY_NAME, DEMO_SERVER_KEY)
        sys.stderr.write(
            f"Midtrans simulator listening on {url} (demo shop in {shop.folder}).\n"
            "In another terminal, ring up a QRIS sale:\n"
            f"  echo '{{\"lines\":[{{\"sku\":\"MI-0001\",\"qty\":2}}],"
            f"\"payments\":[{{\"method\":\"qris\",\"amount\":7000}}]}}' "
            f"| warungin sale --data-dir {shop.folder}\n"
            + (f"Pending charges are paid automatically after {auto_pay:g} s.\n" if auto_pay
               else f"Pay a charge as the customer would: curl -X POST {url}/_sim/pay/ORDER_ID\n")
            + "Ctrl-C stops the simulator.\n")
        sys.stderr.flush()
        scheduled: set[str] = set()
        while not stop.wait(0.5):
            if auto_pay is None:
                continue
            for tx in sim.all_transactions():
                order_id = str(tx["order_id"])
                if tx.get("transaction_status") == "pending" and order_id not in scheduled:
                    scheduled.add(order_id)
                    _pay_later(sim, order_id, auto_pay)
    finally:
        sim.stop()


def _pay_later(sim: MidtransSimulator, order_id: str, delay: float) -> None:
    """Pay a pending charge after ``delay`` seconds (as a customer scanning the QR)."""

    def pay() -> None:
        try:
            sim.pay(order_id)
        except Exception:  # noqa: BLE001 - cancelled or expired meanwhile: nothing to pay
            pass
    timer = threading.Timer(delay, pay)
    timer.daemon = True
    timer.start()

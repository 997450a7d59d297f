"""``warungin demo --simulators``: every provider simulator on 127.0.0.1, for a demo shop.

Midtrans, the couriers (Biteship, JNE, J&T, POS Indonesia) and messaging (SendGrid, Twilio,
FCM) start side by side, and the demo shop is pointed at them: base URLs in its settings,
the simulators' throwaway credentials in the demo's labelled secrets file. A newcomer can
then ring up a QRIS sale, ship its parcel and follow it to delivered, and send the receipt
by WhatsApp — with no credentials at all — and look at what "left the shop" in each
simulator's ``/_sim/...`` pages. Only a demo shop is ever pointed at a simulator.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass

from app.demo_shipments import DEMO_SETTINGS
from app.message_wiring import MessagingSimulators, messaging_simulators
from app.provider_wiring import MIDTRANS_KEY_NAME
from app.secrets import secret_store_for
from app.shop import Shop
from local_db.store import write_settings
from services.errors import Conflict
from sync.simulators import biteship, jne, jnt, pos
from sync.simulators.midtrans import MidtransSimulator

DEMO_SERVER_KEY = "SB-Mid-server-DEMO-SIMULATOR"
#: A parcel moves one status every this many seconds in the demo (confirmed to delivered
#: in about two minutes), so a newcomer can follow one to the door.
DEMO_STEP_SECONDS = 20.0
@dataclass(frozen=True, slots=True)
class RunningSimulators:
    midtrans: MidtransSimulator
    biteship: biteship.BiteshipSimulator
    jne: jne.JneSimulator
    jnt: jnt.JntSimulator
    pos: pos.PosSimulator
    messaging: MessagingSimulators

    def urls(self) -> dict[str, str]:
        return {"midtrans": self.midtrans.base_url, "biteship": self.biteship.base_url,
                "jne": self.jne.base_url, "jnt": self.jnt.base_url, "pos": self.pos.base_url,
                **self.messaging.urls}


def _port(base: int, offset: int) -> int:
    return 0 if base == 0 else base + offset


@contextmanager
def started(shop: Shop, port: int = 0) -> Iterator[RunningSimulators]:
    """All eight simulators, Midtrans on ``port`` and the others on the ports after it
    (fixed ports keep the demo shop's settings right next time; 0: any free ports), with
    the demo shop pointed at them; they stop when the block ends."""
    if not shop.config.demo:
        raise Conflict("simulators are only for a demo shop", field="data_dir")
    with ExitStack() as stack:
        midtrans = MidtransSimulator(server_key=DEMO_SERVER_KEY)
        b = biteship.BiteshipSimulator(step_seconds=DEMO_STEP_SECONDS)
        n = jne.JneSimulator(step_seconds=DEMO_STEP_SECONDS)
        t = jnt.JntSimulator(step_seconds=DEMO_STEP_SECONDS)
        p = pos.PosSimulator(step_seconds=DEMO_STEP_SECONDS)
        starts: tuple[tuple[Callable[[int], str], Callable[[], None]], ...] = (
            (midtrans.start, midtrans.stop), (b.start, b.stop), (n.start, n.stop),
            (t.start, t.stop), (p.start, p.stop))
        for offset, (start, stop) in enumerate(starts):
            start(_port(port, offset))
            stack.callback(stop)
        messaging = stack.enter_context(messaging_simulators(shop, ports={
            "sendgrid": _port(port, 5), "twilio": _port(port, 6), "fcm": _port(port, 7)}))
        sims = RunningSimulators(midtrans, b, n, t, p, messaging)
        _point_couriers_at(shop, sims)
        yield sims


def _point_couriers_at(shop: Shop, sims: RunningSimulators) -> None:
    """The demo shop's payment and courier settings and throwaway credentials (messaging's
    are written by app.message_wiring.messaging_simulators)."""
    u = sims.urls()
    settings = {
        **DEMO_SETTINGS,  # the demo's origin (Kebayoran Baru: the simulators know it)
        "midtrans.base_url": u["midtrans"],
        "courier.enabled": "biteship,jne,jnt,pos",
        "courier.biteship.base_url": u["biteship"],
        "courier.jne.base_url": u["jne"], "courier.jne.username": jne.DEFAULT_USERNAME,
        "courier.jne.branch": "CGK000", "courier.jne.customer_id": "80514305",
        "courier.jnt.base_url": u["jnt"], "courier.jnt.username": jnt.DEFAULT_USERNAME,
        "courier.jnt.eccompanyid": jnt.DEFAULT_ECCOMPANYID,
        "courier.pos.base_url": u["pos"], "courier.pos.customer_id": "DEMO0001",
    }
    with shop.uow() as uow:
        write_settings(uow.conn, settings)
        uow.commit()
    secrets = secret_store_for(shop)
    for name, value in {
        MIDTRANS_KEY_NAME: DEMO_SERVER_KEY,
        "biteship-api-key": biteship.DEFAULT_KEY,
        "jne-api-key": jne.DEFAULT_API_KEY,
        "jnt-api-key": jnt.DEFAULT_API_KEY, "jnt-sign-key": jnt.DEFAULT_SIGN_KEY,
        "jnt-track-password": jnt.DEFAULT_TRACK_PASSWORD,
        "pos-consumer-key": pos.DEFAULT_CONSUMER_KEY,
        "pos-consumer-secret": pos.DEFAULT_CONSUMER_SECRET,
    }.items():
        secrets.set(name, value)


def run_simulators(shop: Shop, *, port: int, auto_pay: float | None,
                   stop: threading.Event) -> None:
    if not shop.config.demo:
        raise Conflict("simulators are only for a demo shop", field="data_dir")
    with started(shop, port) as sims:
        u = sims.urls()
        folder = shop.folder
        sys.stderr.write(
            "Simulators on 127.0.0.1 (demo shop in " f"{folder}):\n"
            + "".join(f"  {name:<9} {url}\n" for name, url in u.items())
            + "In another terminal, ring up a QRIS sale:\n"
            f"  echo '{{\"lines\":[{{\"sku\":\"MI-0001\",\"qty\":2}}],"
            f"\"payments\":[{{\"method\":\"qris\",\"amount\":7000}}]}}' "
            f"| warungin sale --data-dir {folder}\n"
            + (f"Pending charges are paid automatically after {auto_pay:g} s.\n" if auto_pay
               else f"Pay a charge as the customer would: "
                    f"curl -X POST {u['midtrans']}/_sim/pay/ORDER_ID\n")
            + "Ship its parcel and send its receipt by WhatsApp (see README, Parcels and "
              "Messages), run the jobs:\n"
            f"  warungin jobs --once --data-dir {folder}\n"
            f"then look at what left the shop: {u['biteship']}/_sim/orders, "
            f"{u['twilio']}/_sim/outbox, {u['sendgrid']}/_sim/outbox\n"
            "Ctrl-C stops the simulators.\n")
        sys.stderr.flush()
        scheduled: set[str] = set()
        while not stop.wait(0.5):
            if auto_pay is None:
                continue
            for tx in sims.midtrans.all_transactions():
                order_id = str(tx["order_id"])
                if tx.get("transaction_status") == "pending" and order_id not in scheduled:
                    scheduled.add(order_id)
                    _pay_later(sims.midtrans, order_id, auto_pay)


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

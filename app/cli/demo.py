"""``warungin demo``: seed a demo shop in the data folder (refuses to touch a real shop):
about 90 days of trading (app.demo_history), or with ``--empty`` the bare shop."""

from __future__ import annotations

import argparse

from app.cli.args import int_between, seconds_between
from app.cli.output import emit
from app.demo import HISTORY_DAYS, HISTORY_SEED, seed_demo
from app.paths import data_dir
from app.shop import Shop, open_shop
from services.errors import Conflict


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("demo", parents=[common], help="seed a demo shop (about 200 products, "
                                                      "three users, 90 days of trading, "
                                                      "today's shift open)")
    p.add_argument("--empty", action="store_true",
                   help="the bare shop: products, users and an open shift, no history "
                        "(receipt DEMO-T01-000001 comes next)")
    p.add_argument("--seed", type=int_between(0, 999_999_999_999), default=HISTORY_SEED,
                   help=f"the history's random seed: the same seed gives the same days of "
                        f"trading, receipt by receipt (today's so far) (default {HISTORY_SEED})")
    p.add_argument("--days", type=int_between(1, 3660), default=HISTORY_DAYS,
                   help=f"days of history, ending today (default {HISTORY_DAYS})")
    p.add_argument("--simulators", action="store_true",
                   help="also run the provider simulators (Midtrans, Biteship, JNE, J&T, POS, "
                        "SendGrid, Twilio, FCM) on 127.0.0.1 in the foreground and "
                        "point the demo shop at them (a QRIS sale, a parcel, a WhatsApp "
                        "receipt, with no credentials)")
    p.add_argument("--port", type=int_between(0, 65535), default=8765,
                   help="Midtrans simulator port, the others on the next seven (default "
                        "8765; 0: any free ports, printed)")
    p.add_argument("--auto-pay", type=seconds_between(0, 3600), default=None, metavar="SECONDS",
                   help="with --simulators: pay pending charges after SECONDS")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    folder = data_dir(getattr(args, "data_dir", None))
    shop = open_shop(folder)
    try:
        if shop.has_shop():
            if args.simulators:
                return _simulate(shop, args)
            raise Conflict(f"a shop already exists in {folder}; use another --data-dir",
                           field="data_dir")
        history: dict[str, object] | None = None
        if args.empty:
            demo = seed_demo(shop)
        else:
            from app.demo_history import seed_history
            seeded = seed_history(shop, days=args.days, seed=args.seed)
            demo, history = seeded.shop, seeded.history.as_dict()
        if args.simulators:
            shop.reload()
            return _simulate(shop, args)
    finally:
        shop.close()
    emit({"data_dir": str(folder), "store": "DEMO", "products": demo.products,
          "shift_id": demo.shift_id,
          "users": [{"name": n, "role": r, "pin": p} for n, r, p in demo.users],
          "history": history})
    return 0


def _simulate(shop: Shop, args: argparse.Namespace) -> int:
    import threading

    from app.demo_simulators import run_simulators
    stop = threading.Event()
    try:
        run_simulators(shop, port=args.port, auto_pay=args.auto_pay, stop=stop)
    except KeyboardInterrupt:
        stop.set()
    return 0

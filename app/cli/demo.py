"""``warungin demo``: seed a demo shop in the data folder (refuses to touch a real shop)."""

from __future__ import annotations

import argparse

from app.cli.main import emit
from app.demo import seed_demo
from app.paths import data_dir
from app.shop import open_shop
from services.errors import Conflict


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("demo", parents=[common], help="seed a demo shop (about 200 products, "
                                                      "three users, an open shift)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    folder = data_dir(getattr(args, "data_dir", None))
    shop = open_shop(folder)
    try:
        if shop.has_shop():
            raise Conflict(f"a shop already exists in {folder}; use another --data-dir",
                           field="data_dir")
        demo = seed_demo(shop)
    finally:
        shop.close()
    emit({"data_dir": str(folder), "store": "DEMO", "products": demo.products,
          "shift_id": demo.shift_id,
          "users": [{"name": n, "role": r, "pin": p} for n, r, p in demo.users]})
    return 0

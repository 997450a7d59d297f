"""``warungin`` with no command, and ``warungin status``: what this till holds right now.

On a fresh machine the first run seeds the demo shop, so a newcomer sees a working till.
"""

from __future__ import annotations

import argparse
import os
import sys

from sqlalchemy import func, select

from app.cli.output import emit
from app.paths import data_dir
from app.shop import Shop, open_shop
from local_db.models import OutboxEvent, Product, ProviderJob, Sale
from services.shifts_query import open_shift_id


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("status", parents=[common], help="what this till holds (JSON)")
    p.set_defaults(handler=run)


def status(shop: Shop) -> dict[str, object]:
    cfg = shop.config
    with shop.uow(write=False) as uow:
        s = uow.session
        pending = s.scalar(select(func.count()).select_from(OutboxEvent)
                           .where(OutboxEvent.status == "pending"))
        oldest = s.scalar(select(func.min(OutboxEvent.created_at))
                          .where(OutboxEvent.status == "pending"))
        return {
            "data_dir": str(shop.folder), "store": cfg.store_code, "store_name": cfg.store_name,
            "terminal": cfg.terminal_code, "demo": cfg.demo,
            "products": s.scalar(select(func.count()).select_from(Product)),
            "sales": s.scalar(select(func.count()).select_from(Sale)),
            "open_shift": open_shift_id(uow.conn, cfg.terminal_id),
            "outbox_pending": pending, "outbox_oldest_pending": oldest,
            "provider_jobs_open": s.scalar(select(func.count()).select_from(ProviderJob)
                                           .where(ProviderJob.state.not_in(
                                               ["succeeded", "dead"]))),
        }


def has_display() -> bool:
    if sys.platform in ("win32", "darwin"):
        return True
    # QT_QPA_PLATFORM names a Qt platform outright (offscreen for the cold-start
    # benchmark, eglfs/linuxfb on a kiosk with no X server): the caller wants the GUI.
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
                or os.environ.get("QT_QPA_PLATFORM"))


def run(args: argparse.Namespace) -> int:
    shop = open_shop(data_dir(getattr(args, "data_dir", None)))
    try:
        if not shop.has_shop():
            sys.stderr.write("error: no shop in this data folder; run 'warungin demo'\n")
            return 3
        emit(status(shop))
        return 0
    finally:
        shop.close()


def run_default(args: argparse.Namespace) -> int:
    """``warungin`` alone: the desktop till where there is a screen; on a headless machine
    (a server, CI) the first run seeds the demo shop and says how to sell from the CLI."""
    folder = data_dir(getattr(args, "data_dir", None))
    if has_display():
        from app.gui import run_gui
        return run_gui(folder)  # seeds the demo on first run itself
    shop = open_shop(folder)
    try:
        if not shop.has_shop():
            from app.demo_history import seed_history
            seeded = seed_history(shop)
            demo, days = seeded.shop, seeded.history
            sys.stderr.write(f"Toko Demo Warungin is ready (demo shop, {days.days} days of "
                             f"trading: {days.sales} sales). Users and PINs:\n")
            for name, role, pin in demo.users:
                sys.stderr.write(f"  {name:<6} {role:<10} PIN {pin}\n")
        emit(status(shop))
        from app.qt_check import HEADLESS_REASON
        sys.stderr.write("\n" + HEADLESS_REASON)
        me = _invocation()
        sys.stderr.write(
            "\nSell from the command line, e.g.:\n"
            "  echo '{\"lines\":[{\"sku\":\"MI-0001\",\"qty\":2}],"
            f"\"payments\":[{{\"method\":\"cash\",\"tendered\":10000}}]}}' | {me} sale\n"
            f"More: {me} --help\n")
        return 0
    finally:
        shop.close()


def _invocation() -> str:
    """How this person runs warungin: plain ``warungin`` when it is on PATH (an activated
    venv), else the path they typed (``.venv/bin/warungin`` after the README's command)."""
    import os
    import shutil
    typed = sys.argv[0] if sys.argv and sys.argv[0] else "warungin"
    if os.path.basename(typed) != "warungin" or shutil.which("warungin") is not None:
        return "warungin"
    if os.path.isabs(typed) and not os.path.relpath(typed).startswith(".."):
        return os.path.relpath(typed)
    return typed

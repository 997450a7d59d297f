"""The desktop program's composition: the shop behind the screens, and ``run_gui``.

``GuiBackend`` is what the screens talk to (they see it as the ``ui.backend.TillBackend``
Protocol, never this class): one small adapter per area, composed over one
:class:`app.desktop.context.DesktopContext`. Each adapter method opens its own unit of
work, calls one use case and returns frozen values, so no ORM object or session crosses a
thread. The methods block; the screens run them through ``ui.tasks`` (the DB-writer lane for
writes and the till's ordered reads, the pool for the rest).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from app.desktop.alerts import AlertsAdapter
from app.desktop.books import BooksAdapter
from app.desktop.campaigns import CampaignsAdapter
from app.desktop.cart import CartAdapter
from app.desktop.context import DesktopContext
from app.desktop.core import CoreAdapter
from app.desktop.messages import MessagesAdapter
from app.desktop.money import MoneyAdapter
from app.desktop.office import OfficeAdapter
from app.desktop.personal_data import PersonalDataAdapter
from app.desktop.shipping import ShippingAdapter
from app.desktop.sync import SyncAdapter
from app.paths import data_dir
from app.shop import Shop, open_shop

log = logging.getLogger("warungin.gui")

#: Called with each main window run_gui makes, before it starts: the cold-start benchmark
#: (bench/cold_start_child.py) hooks its signals here; the program itself adds none.
WINDOW_HOOKS: list[Callable[[object], None]] = []


class GuiBackend:
    """Implements ui.backend.TillBackend for one open shop. Made on the DB-writer lane at
    start-up (the context reads the configuration)."""

    def __init__(self, shop: Shop) -> None:
        self.ctx = DesktopContext(shop)
        self.core = CoreAdapter(self.ctx)
        self.cart = CartAdapter(self.ctx)
        self.money = MoneyAdapter(self.ctx)
        self.sync = SyncAdapter(self.ctx)
        self.office = OfficeAdapter(self.ctx)
        self.shipping = ShippingAdapter(self.ctx)
        self.messages = MessagesAdapter(self.ctx)
        self.books = BooksAdapter(self.ctx)
        self.alerts = AlertsAdapter(self.ctx)
        self.campaigns = CampaignsAdapter(self.ctx)
        self.personal_data = PersonalDataAdapter(self.ctx)

    def close(self) -> None:
        # The sync worker and provider jobs first: they use the database. (A charge still
        # open closes its own Midtrans client; its job stays leased until the dispatcher
        # takes it over and asks Midtrans.)
        self.sync.stop()
        self.ctx.shop.close()


def open_backend(folder: Path) -> GuiBackend:
    """Open the shop in ``folder``, seeding the demo shop on a first run (as ``warungin``
    with no command does), and make the backend. Blocking: runs on the DB-writer lane."""
    # PRAGMA quick_check reads the whole file (seconds on a big shop): it runs in the
    # background once the till is up (MainWindow), so start-up stays within 1.5 s.
    shop = open_shop(folder, check=False)
    try:
        if not shop.has_shop():
            from app.demo_history import seed_history
            demo = seed_history(shop).shop  # ~90 days of trading (app.demo_history)
            # Names and roles only: PINs stay out of logs (the README lists the demo's).
            log.info("first run: seeded the demo shop; users %s",
                     ", ".join(f"{n} ({r})" for n, r, _pin in demo.users))
        return GuiBackend(shop)
    except BaseException:
        shop.close()
        raise


def run_gui(folder: Path | None = None, argv: Sequence[str] | None = None) -> int:
    """The desktop program: login, then the till. Returns the exit code.

    Where no window can open (no screen, or Qt's platform plugin lacks a system library),
    it says why and what to do, and returns :data:`app.qt_check.EXIT_NO_WINDOW`, instead
    of letting Qt abort (exit 134)."""
    from app.qt_check import EXIT_NO_WINDOW, problem

    existing_app = sys.modules.get("PySide6.QtWidgets")
    running = existing_app is not None and existing_app.QApplication.instance() is not None
    why = None if running else problem()
    if why is not None:
        sys.stderr.write(why)
        return EXIT_NO_WINDOW
    from PySide6.QtWidgets import QApplication

    from ui.main_window import MainWindow

    chosen = folder if folder is not None else data_dir(None)
    existing = QApplication.instance()
    qapp = existing if isinstance(existing, QApplication) else QApplication(
        list(argv) if argv is not None else sys.argv)
    from ui.gc_guard import MainThreadGc
    MainThreadGc(qapp)  # Qt objects in garbage die on the main thread (ui/gc_guard.py)
    window = MainWindow(lambda: open_backend(chosen))
    for hook in WINDOW_HOOKS:
        hook(window)
    window.show()
    window.start()
    return qapp.exec()


def save_screenshots(folder: Path, out: Path) -> list[Path]:
    """Drive the real program on the demo shop and grab the till mid-sale (docs/screenshots).

    Run under Xvfb or offscreen: ``python -m app.gui --data-dir D --screenshots OUT``."""
    from ui.screenshots import till_mid_sale

    from PySide6.QtWidgets import QApplication

    existing = QApplication.instance()
    qapp = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    out.mkdir(parents=True, exist_ok=True)
    return till_mid_sale(qapp, lambda: open_backend(folder), out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="warungin-gui", description="Warungin till")
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--screenshots", default=None, help="save screenshots to this folder "
                        "and exit")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO)
    folder = data_dir(args.data_dir)
    if args.screenshots:
        for path in save_screenshots(folder, Path(args.screenshots)):
            print(path)
        sys.stdout.flush()
        # The pictures are saved and the shop is closed. This tool drives Qt without an
        # event loop of its own, and PySide6 has crashed in the interpreter's exit-time
        # collection after it (under Xvfb); the real program, which ends through
        # QApplication.exec(), exits cleanly. So the tool leaves without that collection.
        os._exit(0)
    return run_gui(folder)


if __name__ == "__main__":
    raise SystemExit(main())

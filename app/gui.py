"""The desktop program's composition: the shop behind the screens, and ``run_gui``.

``GuiBackend`` is the thin facade the screens talk to (they see it as the
``ui.backend.TillBackend`` Protocol, never this class): each method opens its own unit of
work, calls one use case and returns frozen values, so no ORM object or session crosses a
thread. Its methods block; the screens run them through ``ui.tasks`` (the DB-writer lane for
writes and the till's ordered reads, the pool for the rest). ``price`` and ``cash_due`` are
pure value code over the configuration loaded when the backend was made.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy import select

from app.gui_base import environment_faults
from app.gui_cart import CartOps
from app.gui_money import MoneyOps
from app.gui_office import OfficeOps
from app.gui_sync import SyncOps
from app.paths import data_dir, db_path
from app.shop import Shop, open_shop
from local_db.migrate import damaged_message, quick_check
from local_db.models import User
from local_db.store import read_settings
from services.cart import Cart, CartItem, PricedCart, price_cart
from services.catalogue import lookup_item, search_products
from services.money import round_cash
from services.selling import LineRequest, PaymentRequest, SaleRequest, SaleResult, complete_sale
from services.shifts import ShiftReport, shift_report
from services.tender import TenderInput, TenderResult, settle
from services.users import Actor, authenticate
from ui.backend import Cashier, Hit, SaleDone, ShopInfo, UserChoice

log = logging.getLogger("warungin.gui")

#: Called with each main window run_gui makes, before it starts: the cold-start benchmark
#: (bench/cold_start_child.py) hooks its signals here; the program itself adds none.
WINDOW_HOOKS: list[Callable[[object], None]] = []


class GuiBackend(CartOps, MoneyOps, SyncOps, OfficeOps):
    """Implements ui.backend.TillBackend over the services, for one open shop: the till's
    core here, each other area in its own module (app/gui_cart.py, gui_money.py,
    gui_sync.py, gui_office.py)."""

    def __init__(self, shop: Shop) -> None:
        # Made on the DB-writer lane at start-up: loading the configuration queries.
        self._shop = shop
        self._config = shop.config
        with shop.uow(write=False) as uow:
            settings = read_settings(uow.conn)
        self._info = ShopInfo(store_name=self._config.store_name,
                              store_code=self._config.store_code,
                              terminal_code=self._config.terminal_code,
                              demo=self._config.demo, language=settings.get("language", "id"))
        self._actor: Actor | None = None

    def shop_info(self) -> ShopInfo:
        return self._info

    @environment_faults
    def users(self) -> list[UserChoice]:
        with self._shop.uow(write=False) as uow:
            rows = uow.session.execute(select(User.name, User.role, User.locked)
                                       .where(User.active).order_by(User.name)).all()
        return [UserChoice(str(n), str(r), bool(locked)) for n, r, locked in rows]

    @environment_faults
    def login(self, name: str, pin: str) -> Cashier:
        # authenticate commits a failure count itself before refusing; a success resets it.
        with self._shop.uow() as uow:
            actor = authenticate(uow, name, pin)
            uow.commit()
        self._actor = actor
        return Cashier(actor.id, actor.name, actor.role)

    def logout(self) -> None:
        self._actor = None

    @environment_faults
    def lookup(self, code: str) -> CartItem:
        with self._shop.uow(write=False) as uow:
            return lookup_item(uow.conn, code)

    @environment_faults
    def search(self, text: str) -> list[Hit]:
        with self._shop.uow(write=False) as uow:
            hits = search_products(uow.conn, text, limit=12)
        return [Hit(h.sku, h.name, h.price, h.unit) for h in hits]

    def price(self, cart: Cart) -> PricedCart:
        return price_cart(cart, self._config.tax_rules, pkp=self._config.pkp)

    def cash_due(self, total: int) -> int:
        return round_cash(total, self._config.rounding_unit, self._config.rounding_mode)

    def settle(self, total: int, tenders: list[TenderInput]) -> TenderResult:
        return settle(total, tenders, rounding_unit=self._config.rounding_unit,
                      rounding_mode=self._config.rounding_mode)

    def complete(self, cart: Cart, tenders: list[TenderInput]) -> SaleDone:
        r = self.complete_sale(cart, tenders)
        return SaleDone(r.receipt_no, r.total, r.rounding, r.payable, r.change, r.created_at)

    @environment_faults
    def complete_sale(self, cart: Cart, tenders: list[TenderInput]) -> SaleResult:
        """Commit the sale. Cash, kasbon and EDC only: QRIS/VA/e-wallet go through
        app.checkout (charge, poll, then complete), which the till wires in later."""
        actor = self._require_actor()
        req = SaleRequest(
            lines=tuple(LineRequest(code=line.item.sku, qty_milli=line.qty_milli,
                                    unit_price=line.unit_price if line.price_overridden
                                    else None, discount=line.discount)
                        for line in cart.lines),
            payments=tuple(PaymentRequest(t.method, t.amount) for t in tenders),
            discount=cart.discount, customer_id=cart.customer_id)
        with self._shop.uow() as uow:
            return complete_sale(uow, self._config, actor, req,
                                 approved_by=self.discount_approver(cart))

    @environment_faults
    def shift_report(self) -> ShiftReport:
        with self._shop.uow(write=False) as uow:
            return shift_report(uow, self._config)

    def integrity_problems(self) -> str | None:
        """The start-up integrity check, run once the till is up (see open_backend): None
        when the file is healthy, else the message the till shows before it stops."""
        path = db_path(self._shop.folder)
        problems = quick_check(path)
        return damaged_message(path, problems) if problems else None

    def close(self) -> None:
        self.stop_sync()  # the sync worker and provider jobs first: they use the database
        self.close_payments()  # Midtrans clients of charges still open at exit
        self._shop.close()


def open_backend(folder: Path) -> GuiBackend:
    """Open the shop in ``folder``, seeding the demo shop on a first run (as ``warungin``
    with no command does), and make the backend. Blocking: runs on the DB-writer lane."""
    # PRAGMA quick_check reads the whole file (seconds on a big shop): it runs in the
    # background once the till is up (MainWindow), so start-up stays within 1.5 s.
    shop = open_shop(folder, check=False)
    try:
        if not shop.has_shop():
            from app.demo import seed_demo
            demo = seed_demo(shop)
            # Names and roles only: PINs stay out of logs (the README lists the demo's).
            log.info("first run: seeded the demo shop; users %s",
                     ", ".join(f"{n} ({r})" for n, r, _pin in demo.users))
        return GuiBackend(shop)
    except BaseException:
        shop.close()
        raise


def run_gui(folder: Path | None = None, argv: Sequence[str] | None = None) -> int:
    """The desktop program: login, then the till. Returns the exit code."""
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

"""The till's core for the screens (``ui.backend_core.CoreBackend``): login, scan, search,
price and settle, and the start-up integrity check."""

from __future__ import annotations

from app.desktop.context import DesktopContext
from app.paths import db_path
from local_db.migrate import damaged_message, quick_check
from local_db.uow import UnitOfWork
from services.cart import Cart, CartItem, PricedCart, price_cart
from services.catalogue import SearchHit, lookup_item, search_products
from services.money import round_cash
from services.tender import TenderInput, TenderResult, settle
from services.users import Actor, UserChoice, authenticate, login_choices
from ui.backend_core import ShopInfo

#: Search-as-you-type shows this many products at most.
SEARCH_LIMIT = 12


class CoreAdapter:
    def __init__(self, ctx: DesktopContext) -> None:
        self._ctx = ctx

    def shop_info(self) -> ShopInfo:
        return self._ctx.info

    def users(self) -> list[UserChoice]:
        return list(self._ctx.read(login_choices))

    def login(self, name: str, pin: str) -> Actor:
        def check(uow: UnitOfWork) -> Actor:
            # A wrong PIN commits its failure count itself before refusing; a right one
            # resets it.
            actor = authenticate(uow, name, pin)
            uow.commit()
            return actor
        self._ctx.actor = self._ctx.write(check)
        return self._ctx.actor

    def logout(self) -> None:
        self._ctx.actor = None

    def lookup(self, code: str) -> CartItem:
        return self._ctx.read(lambda uow: lookup_item(uow.conn, code))

    def search(self, text: str) -> list[SearchHit]:
        return self._ctx.read(lambda uow: search_products(uow.conn, text, limit=SEARCH_LIMIT))

    def price(self, cart: Cart) -> PricedCart:
        config = self._ctx.config
        return price_cart(cart, config.tax_rules, pkp=config.pkp)

    def cash_due(self, total: int) -> int:
        config = self._ctx.config
        return round_cash(total, config.rounding_unit, config.rounding_mode)

    def settle(self, total: int, tenders: list[TenderInput]) -> TenderResult:
        config = self._ctx.config
        return settle(total, tenders, rounding_unit=config.rounding_unit,
                      rounding_mode=config.rounding_mode)

    def integrity_problems(self) -> str | None:
        """The start-up integrity check, run once the till is up (see app.gui.open_backend):
        None when the file is healthy, else the message the till shows before it stops."""
        path = db_path(self._ctx.shop.folder)
        problems = quick_check(path)
        return damaged_message(path, problems) if problems else None

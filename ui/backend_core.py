"""The till's core needs from the shop (login, scan, price, settle), as a Protocol.

``ui.backend.TillBackend`` holds this Protocol as ``backend.core`` beside one per area of
the program (``ui/backend_cart.py``, ``ui/backend_money.py``, ``ui/backend_sync.py``,
``ui/backend_office.py``). ``app.desktop.core.CoreAdapter`` implements it over the services.

Every method except :meth:`CoreBackend.price`, :meth:`CoreBackend.cash_due` and
:meth:`CoreBackend.settle` may touch the database, so the screens call them only through
:mod:`ui.tasks` (never on the Qt main thread). Those three are pure value code over the
configuration loaded at start-up, cheap enough to run while drawing.

What crosses are the services' own frozen values (``services.users.Actor``,
``services.catalogue.SearchHit``...); only :class:`ShopInfo` is the screens' own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from services.cart import Cart, CartItem, PricedCart
from services.catalogue import SearchHit
from services.tender import TenderInput, TenderResult
from services.users import Actor, UserChoice


class Unavailable(Exception):
    """An environment fault (database busy, disk full...): the person at the till should
    retry; nothing was written. Kept apart from bugs, which are logged with a traceback."""


@dataclass(frozen=True, slots=True)
class ShopInfo:
    """The shop as the window's title and the receipt header show it."""

    store_name: str
    store_code: str
    terminal_code: str
    demo: bool
    language: str
    timezone: str = "Asia/Jakarta"  # the setting ``timezone``: every time the screens show


class CoreBackend(Protocol):
    def shop_info(self) -> ShopInfo: ...

    def users(self) -> list[UserChoice]: ...

    def login(self, name: str, pin: str) -> Actor: ...

    def logout(self) -> None: ...

    def lookup(self, code: str) -> CartItem: ...

    def search(self, text: str) -> list[SearchHit]: ...

    def price(self, cart: Cart) -> PricedCart: ...

    def cash_due(self, total: int) -> int: ...

    def settle(self, total: int, tenders: list[TenderInput]) -> TenderResult: ...

    def integrity_problems(self) -> str | None:
        """The database's integrity check (slow: reads the whole file; POOL lane)."""
        ...

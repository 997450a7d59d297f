"""The till's core needs from the shop (login, scan, price, pay cash, status), as a Protocol.

``ui.backend.TillBackend`` is this Protocol plus one per area of the program, each in its
own module (``ui/backend_cart.py``, ``ui/backend_money.py``, ``ui/backend_sync.py``,
``ui/backend_office.py``).

The composition root (``app.gui.GuiBackend``) implements it over the services; tests may
implement it too. Every method except :meth:`TillBackend.price` and
:meth:`TillBackend.cash_due` may touch the database, so the screens call them only through
:mod:`ui.tasks` (never on the Qt main thread). ``price`` and ``cash_due`` are pure value code
over configuration loaded at start-up, cheap enough to run while drawing.

The screens import only the services' pure value modules (cart, money, tax, tender,
errors). What the use-case modules return (Actor, SearchHit, SaleResult) crosses as the
small frozen values below, because those modules import local_db and the import-linter
contract "ui talks to data only through services" counts that indirect import too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from services.cart import Cart, CartItem, PricedCart
from services.tender import TenderInput, TenderResult


class Unavailable(Exception):
    """An environment fault (database busy, disk full...): the person at the till should
    retry; nothing was written. Kept apart from bugs, which are logged with a traceback."""


@dataclass(frozen=True, slots=True)
class Cashier:
    """Who is logged in at the till (services.users.Actor, as the screens see it)."""

    id: str
    name: str
    role: str


@dataclass(frozen=True, slots=True)
class Hit:
    """One search-as-you-type result (services.catalogue.SearchHit)."""

    sku: str
    name: str
    price: int
    unit: str


@dataclass(frozen=True, slots=True)
class SaleDone:
    """A committed sale, as the till shows it (services.selling.SaleResult)."""

    receipt_no: str
    total: int
    rounding: int
    payable: int
    change: int
    created_at: str


@dataclass(frozen=True, slots=True)
class UserChoice:
    name: str
    role: str
    locked: bool


@dataclass(frozen=True, slots=True)
class ShopInfo:
    store_name: str
    store_code: str
    terminal_code: str
    demo: bool
    language: str


class CoreBackend(Protocol):
    def shop_info(self) -> ShopInfo: ...

    def users(self) -> list[UserChoice]: ...

    def login(self, name: str, pin: str) -> Cashier: ...

    def logout(self) -> None: ...

    def lookup(self, code: str) -> CartItem: ...

    def search(self, text: str) -> list[Hit]: ...

    def price(self, cart: Cart) -> PricedCart: ...

    def cash_due(self, total: int) -> int: ...

    def settle(self, total: int, tenders: list[TenderInput]) -> TenderResult: ...

    def complete(self, cart: Cart, tenders: list[TenderInput]) -> SaleDone: ...

    def integrity_problems(self) -> str | None:
        """The database's integrity check (slow: reads the whole file; POOL lane)."""
        ...

    def close(self) -> None: ...

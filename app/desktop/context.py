"""What every adapter of the desktop backend shares: the open shop, who is logged in, the
shop's name and language as the screens show them, units of work, and the rule that turns
SQLite's operational errors into ``ui.backend_core.Unavailable``.

One context per open shop, made on the DB-writer lane at start-up; each area's adapter
(``app/desktop/core.py``, ``cart.py``, ``money.py``, ``sync.py``, ``office.py``) is built
with it, so the adapters share state through it and never through each other.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

from sqlalchemy.exc import OperationalError

from app.shop import Shop
from local_db.store import read_settings
from local_db.uow import UnitOfWork
from services.errors import Refused
from services.formatting import DEFAULT_TIMEZONE
from services.shop import ShopConfig
from services.store_settings import read_store_settings
from services.users import Actor
from ui.backend_core import ShopInfo, Unavailable

log = logging.getLogger("warungin.gui")

P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def faults(what: str) -> Iterator[None]:
    """SQLite's operational errors (locked past the busy timeout, disk full, I/O error) are
    environment faults: the person retries; nothing was written (the unit of work rolled
    back). Everything else propagates: a bug, logged with its traceback by ui.tasks."""
    try:
        yield
    except OperationalError as exc:
        log.warning("database unavailable in %s: %s", what, exc.orig)
        raise Unavailable(f"The shop's database is busy or unavailable ({exc.orig}); "
                          "nothing was saved. Try again.") from exc


def environment_faults(fn: Callable[P, R]) -> Callable[P, R]:
    """:func:`faults` around a whole method."""
    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with faults(fn.__name__):
            return fn(*args, **kwargs)
    return wrapper


class DesktopContext:
    """The open shop and the session at this till."""

    def __init__(self, shop: Shop) -> None:
        self.shop = shop
        #: Set by CoreAdapter.login, cleared by logout; read by every adapter.
        self.actor: Actor | None = None
        self.info = self._read_info()

    @property
    def config(self) -> ShopConfig:
        """The shop's configuration, loaded once (Shop caches it until :meth:`reload`)."""
        return self.shop.config

    def require_actor(self) -> Actor:
        if self.actor is None:
            raise Refused("nobody is logged in", field="user")
        return self.actor

    def read(self, use: Callable[[UnitOfWork], R]) -> R:
        """``use`` in a read-only unit of work."""
        with faults("a read"), self.shop.uow(write=False) as uow:
            return use(uow)

    def write(self, use: Callable[[UnitOfWork], R]) -> R:
        """``use`` in a write unit of work, committed here when the use case leaves that
        to its caller (as the user changes do); a failure rolls back."""
        with faults("a write"), self.shop.uow() as uow:
            result = use(uow)
            if not uow.committed:
                uow.commit()
            return result

    def act(self, use: Callable[[UnitOfWork, Actor], R]) -> R:
        """``use`` as the logged-in person, in a write unit of work."""
        actor = self.require_actor()
        return self.write(lambda uow: use(uow, actor))

    def refresh_info(self) -> None:
        self.info = self._read_info()

    def reload(self) -> None:
        """The store's settings changed: price with the new PKP and rounding from the next
        cart on, and show the new name and language. Blocking (it reads the database)."""
        self.shop.reload()
        self.refresh_info()

    def _read_info(self) -> ShopInfo:
        config = self.shop.config  # loads it now, on the lane that made the context
        language, zone = self.read(lambda uow: (
            read_store_settings(uow.conn).language,
            read_settings(uow.conn).get("timezone") or DEFAULT_TIMEZONE))
        return ShopInfo(store_name=config.store_name, store_code=config.store_code,
                        terminal_code=config.terminal_code, demo=config.demo,
                        language=language, timezone=zone)

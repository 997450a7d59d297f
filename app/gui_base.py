"""What every part of the desktop program's backend shares: the open shop, its
configuration, who is logged in, and the rule that turns SQLite's operational errors into
``ui.backend.Unavailable``.

``app.gui.GuiBackend`` is composed of one class per area of the program (the till's cart,
money at the till, sync status, the owner's back office), each in its own module, each a
subclass of :class:`BackendBase`; the screens see the matching Protocols in ``ui/``.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from sqlalchemy.exc import OperationalError

from app.shop import Shop
from services.shop import ShopConfig
from services.errors import Refused
from services.users import Actor
from ui.backend_core import Unavailable

log = logging.getLogger("warungin.gui")

P = ParamSpec("P")
R = TypeVar("R")


def environment_faults(fn: Callable[P, R]) -> Callable[P, R]:
    """SQLite's operational errors (locked past the busy timeout, disk full, I/O error) are
    environment faults: the person retries; nothing was written (the unit of work rolled
    back). Everything else propagates: a bug, logged with its traceback by ui.tasks."""
    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except OperationalError as exc:
            log.warning("database unavailable in %s: %s", fn.__name__, exc.orig)
            raise Unavailable(f"The shop's database is busy or unavailable ({exc.orig}); "
                              "nothing was saved. Try again.") from exc
    return wrapper


class BackendBase:
    """State shared by the backend's parts. Made on the DB-writer lane at start-up."""

    _shop: Shop
    _config: ShopConfig
    _actor: Actor | None

    @property
    def shop(self) -> Shop:
        return self._shop

    @property
    def actor(self) -> Actor | None:
        return self._actor

    def _require_actor(self) -> Actor:
        if self._actor is None:
            raise Refused("nobody is logged in", field="user")
        return self._actor

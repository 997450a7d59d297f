"""The provider-job dispatcher (payments, couriers, messages) running in
the desktop program's background: ``Dispatcher.serve`` in its own thread, started and
stopped with the window, and why a provider's jobs cannot run on this till.

Split from :mod:`app.sync_worker` (the central push/pull worker): the two run side by side
(:class:`app.sync_worker.BackgroundSync`) but share nothing but the shop.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from typing import Any

from app.shop import Shop
from services.errors import ShopError
from sync.jobs.model import JobHandler

log = logging.getLogger("warungin.provider_jobs")

HandlersFactory = Callable[[Shop], AbstractContextManager[Mapping[tuple[str, str], JobHandler]]]


def _default_handlers(shop: Shop) -> AbstractContextManager[Mapping[tuple[str, str],
                                                                    JobHandler]]:
    from app.provider_wiring import provider_handlers
    return provider_handlers(shop)


def why_not(shop: Shop) -> dict[str, str]:
    """Per provider, why its jobs cannot run on this till (configuration missing)."""
    from app.courier_wiring import courier_notes
    from app.message_wiring import message_notes
    from app.provider_wiring import midtrans_config
    notes: dict[str, str] = {}
    for more in (courier_notes, message_notes):
        try:
            notes.update(more(shop))
        except Exception as exc:  # the keyring unreachable, for instance
            log.warning("provider notes failed: %s", type(exc).__name__)
    try:
        midtrans_config(shop)
    except ShopError as exc:
        notes["midtrans"] = exc.message
    except Exception as exc:  # the keyring unreachable, for instance
        notes["midtrans"] = f"{type(exc).__name__}: {exc}"
    return notes


class ProviderJobs:
    """``Dispatcher.serve`` in a background thread, started and stopped with the window."""

    def __init__(self, shop: Shop, *, handlers: HandlersFactory = _default_handlers,
                 idle_seconds: float = 5.0, dispatcher_options: Mapping[str, Any] | None = None
                 ) -> None:
        self._shop = shop
        self._handlers = handlers
        self._idle = idle_seconds
        self._options = dict(dispatcher_options or {})
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._notes: dict[str, str] = {}
        self._providers: frozenset[str] = frozenset()
        self._dispatcher: Any = None

    def start(self) -> None:
        with self._lock:
            if self._thread is not None:
                return
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="provider-jobs-serve",
                                            daemon=True)
            self._thread.start()

    def _run(self) -> None:
        from sync.jobs.dispatcher import Dispatcher
        try:
            notes = why_not(self._shop)
            with self._handlers(self._shop) as handlers:
                with self._lock:
                    self._notes = notes
                    self._providers = frozenset(p for p, _ in handlers)
                if not handlers:
                    self._stop.wait()
                    return
                dispatcher = Dispatcher(self._shop.db, handlers, **self._options)
                with self._lock:
                    self._dispatcher = dispatcher
                dispatcher.serve(self._stop, idle_seconds=self._idle, wake=self._wake)
        except Exception:
            log.exception("the provider-job dispatcher stopped")

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float | None = None) -> bool:
        """Stop and join; False if a provider call outlived ``timeout`` (its job's lease
        runs out and it is then resolved, never sent blindly again)."""
        with self._lock:
            thread, self._thread = self._thread, None
        self._stop.set()
        self._wake.set()
        if thread is None:
            return True
        thread.join(timeout)
        return not thread.is_alive()

    def notes(self) -> dict[str, str]:
        with self._lock:
            return dict(self._notes)

    def providers(self) -> frozenset[str]:
        with self._lock:
            return self._providers

    def breaker(self, provider: str) -> str | None:
        with self._lock:
            dispatcher = self._dispatcher
        if dispatcher is None:
            return None
        state = dispatcher.breaker(provider).state
        return str(state)


__all__ = ["HandlersFactory", "ProviderJobs", "why_not"]

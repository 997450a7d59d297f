"""Which courier clients and job handlers this till uses, and why a courier cannot run.

Base URLs and account ids are store settings (``courier.*``, they come down through the
central pull); credentials live in the secret store (the OS keyring; a demo shop's labelled
file), never in SQLite, central or logs. ``app.provider_wiring.provider_handlers`` merges
:func:`courier_handlers` with the other providers' handlers.

Setting ``courier.timeout`` (seconds, default 10) bounds every courier call.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING

from app.secrets import secret_store_for
from app.shop import Shop
from local_db.store import read_settings
from services.courier_settings import courier_settings_from
from services.errors import ShopError

if TYPE_CHECKING:
    from services.courier_port import CourierClient
    from services.shipping_record import StatusHook
    from sync.jobs.model import JobHandler

log = logging.getLogger("warungin.couriers")

DEFAULT_TIMEOUT = 10.0


def _settings(shop: Shop) -> dict[str, str]:
    with shop.uow(write=False) as uow:
        return read_settings(uow.conn)


def _timeout(values: Mapping[str, str], timeout: float | None) -> float:
    if timeout is not None:
        return timeout
    try:
        value = float(values.get("courier.timeout", "") or DEFAULT_TIMEOUT)
    except ValueError:
        return DEFAULT_TIMEOUT
    return value if 0.05 <= value <= 120 else DEFAULT_TIMEOUT


def _build(shop: Shop, timeout: float | None) -> tuple[dict[str, CourierClient],
                                                       dict[str, str]]:
    from sync.couriers import make_client
    values = _settings(shop)
    enabled = courier_settings_from(values).enabled
    clients: dict[str, CourierClient] = {}
    notes: dict[str, str] = {}
    if not enabled:
        return clients, notes
    store = secret_store_for(shop)
    for name in enabled:
        try:
            clients[name] = make_client(name, values, store.get,
                                        timeout=_timeout(values, timeout))
        except ShopError as exc:
            notes[name] = exc.message
        except Exception as exc:  # the keyring unreachable, for instance
            notes[name] = f"{type(exc).__name__}: {exc}"
    return clients, notes


def courier_clients(shop: Shop, *, timeout: float | None = None) -> dict[str, CourierClient]:
    """The enabled and configured courier clients (the caller closes them)."""
    return _build(shop, timeout)[0]


def courier_notes(shop: Shop) -> dict[str, str]:
    """Per enabled courier, why its jobs cannot run on this till (a setting or a secret
    missing); couriers that can run are not listed."""
    clients, notes = _build(shop, None)
    for client in clients.values():
        client.close()
    return notes


@contextmanager
def courier_handlers(shop: Shop, on_status: StatusHook | None = None, *,
                     timeout: float | None = None
                     ) -> Iterator[Mapping[tuple[str, str], JobHandler]]:
    """``(client, kind)`` handlers for the dispatcher, clients closed afterwards. A courier
    without its settings or secrets has no handlers: its jobs wait (reported by the
    dispatcher, never dropped). ``on_status`` hears every shipment status change inside its
    transaction (the app binds it to the messaging notice)."""
    from sync.courier_jobs import courier_job_handlers
    clients, notes = _build(shop, timeout)
    for name, why in notes.items():
        log.info("courier %s cannot run on this till: %s", name, why)
    if not clients:
        yield {}
        return
    try:
        from app.secrets import cipher_for
        try:
            cipher = cipher_for(shop)  # recipients are decrypted only inside the handlers
        except Exception as exc:  # the keyring unreachable: the courier jobs wait
            log.warning("courier jobs cannot run: the data key is unavailable (%s)",
                        type(exc).__name__)
            yield {}
            return
        yield courier_job_handlers(shop.db, cipher, clients, on_status)
    finally:
        for client in clients.values():
            client.close()


__all__ = ["courier_clients", "courier_handlers", "courier_notes"]

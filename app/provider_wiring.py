"""Which provider clients and job handlers this till uses, and where their settings come from.

Base URLs and credentials are settings, so one client talks to the simulator, the sandbox
or production. For scripts and tests ``WARUNGIN_MIDTRANS_URL`` and
``WARUNGIN_MIDTRANS_SERVER_KEY`` override them; otherwise the URL is the store setting
``midtrans.base_url`` and the server key lives in the secret store (OS keyring), never in
SQLite, config files or logs.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from app.secrets import secret_store_for
from app.shop import Shop
from local_db.store import read_settings
from services.errors import Refused

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from services.shipping import StatusHook
    from services.payments import ChargeView
    from sync.jobs.model import JobHandler
    from sync.midtrans.client import MidtransClient
    from sync.till_charges import PaymentsGate, TillCharges

MIDTRANS_SANDBOX = "https://api.sandbox.midtrans.com"
MIDTRANS_KEY_NAME = "midtrans-server-key"


@dataclass(frozen=True)
class MidtransConfig:
    base_url: str
    server_key: str = field(repr=False)  # never printed, not even by a debugger's repr


def midtrans_config(shop: Shop) -> MidtransConfig:
    url = os.environ.get("WARUNGIN_MIDTRANS_URL")
    key = os.environ.get("WARUNGIN_MIDTRANS_SERVER_KEY")
    if not url:
        with shop.uow(write=False) as uow:
            url = read_settings(uow.conn).get("midtrans.base_url", MIDTRANS_SANDBOX)
    if not key:
        key = secret_store_for(shop).get(MIDTRANS_KEY_NAME)
    if not key:
        raise Refused("Midtrans is not set up on this till (no server key): take cash or "
                      "kasbon; the owner can enter the key in the settings",
                      field="payments")
    return MidtransConfig(url.rstrip("/"), key)


def midtrans_client(shop: Shop, *, timeout: float = 10.0) -> MidtransClient:
    from sync.midtrans.client import MidtransClient
    cfg = midtrans_config(shop)
    return MidtransClient(cfg.base_url, cfg.server_key, timeout=timeout)


def till_charges(shop: Shop, *, wait: float, on_view: Callable[[ChargeView], None] | None = None,
                 cancel: threading.Event | None = None, gate: PaymentsGate | None = None,
                 poll_seconds: float = 1.0, client: MidtransClient | None = None,
                 sleep: Callable[[float], None] | None = None) -> TillCharges:
    """The charge port a checkout at this till uses (``services.checkout.ChargePort``).
    ``client``: a caller-owned Midtrans client (tests); otherwise one is made from the
    shop's settings for each charge and closed after it."""
    from sync.till_charges import TillCharges
    return TillCharges(shop.db, (lambda: client) if client is not None
                       else (lambda: midtrans_client(shop)),
                       owns_client=client is None, wait_seconds=wait,
                       on_view=on_view or (lambda view: None), cancel=cancel, gate=gate,
                       poll_seconds=poll_seconds, sleep=sleep)


@contextmanager
def _midtrans_handlers(shop: Shop) -> Iterator[Mapping[tuple[str, str], JobHandler]]:
    """A till with no Midtrans key has no Midtrans handlers: its Midtrans jobs wait (they
    are reported, never dropped)."""
    from sync.midtrans_jobs import ChargeJobHandler, RefundJobHandler
    try:
        client = midtrans_client(shop)
    except Refused:
        yield {}
        return
    try:
        yield {("midtrans", "charge"): ChargeJobHandler(shop.db, client),
               ("midtrans", "refund"): RefundJobHandler(client)}
    finally:
        client.close()


def shipment_notice_hook(shop: Shop) -> StatusHook | None:
    """The couriers' status hook: a shipment created, delivered or returned queues the
    customer's notice in the same transaction (services.messaging decides whether, per
    consent and the ``courier.notify`` setting). None when this till cannot decrypt."""
    from app.secrets import SecretsUnavailable, cipher_for
    from local_db.ids import now_iso
    from services.messaging import queue_shipment_notice
    try:
        cipher = cipher_for(shop)
    except SecretsUnavailable:
        return None

    def hook(conn: Connection, shipment_id: str, status: str) -> None:
        queue_shipment_notice(conn, cipher, shipment_id, status, now_iso())
    return hook


@contextmanager
def provider_handlers(shop: Shop) -> Iterator[Mapping[tuple[str, str], JobHandler]]:
    """Every provider's handlers for the dispatcher (payments, couriers, messaging), with
    the clients they share closed afterwards. A provider not set up on this till has none:
    its jobs wait, reported, never dropped."""
    from app.courier_wiring import courier_handlers
    from app.message_wiring import message_handlers
    with ExitStack() as stack:
        handlers: dict[tuple[str, str], JobHandler] = {}
        handlers.update(stack.enter_context(_midtrans_handlers(shop)))
        handlers.update(stack.enter_context(message_handlers(shop)))
        handlers.update(stack.enter_context(
            courier_handlers(shop, shipment_notice_hook(shop))))
        yield handlers

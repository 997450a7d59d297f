"""Checkout with a customer-present provider payment (QRIS, GoPay, ShopeePay, VA).

Order matters, so that a customer is never charged for a sale that cannot complete:
1. check the sale (shift, lines, discounts, tender) without writing;
2. record the charge attempt, then charge and show the QR / VA number;
3. wait for Midtrans to say paid (polling: a till behind NAT gets no webhooks), or cancel;
4. complete the sale, which takes the payment in its own transaction.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from app.shop import Shop
from services.errors import BadInput, Refused
from services.payments import ChargeView, RecordedPayments
from services.selling import SaleRequest, SaleResult, check_sale, complete_sale
from services.tender import PROVIDER_METHODS
from services.users import Actor

if TYPE_CHECKING:
    from sync.midtrans.client import MidtransClient


def checkout(shop: Shop, actor: Actor, req: SaleRequest, *, wait: float,
             show: Callable[[ChargeView], None] = lambda view: None,
             poll_seconds: float = 1.0, client: MidtransClient | None = None,
             sleep: Callable[[float], None] | None = None) -> SaleResult:
    """``client``: a caller-owned client (tests, the Qt till's long-lived one); otherwise one
    is made from the shop's settings for this checkout and closed after it."""
    config = shop.config
    pending = [(i, p) for i, p in enumerate(req.payments)
               if p.method in PROVIDER_METHODS and not p.provider_ref]
    if len(pending) > 1:
        raise BadInput("one QRIS, e-wallet or VA payment per sale",
                       field=f"payments[{pending[1][0]}]")
    if pending:
        i, pay = pending[0]
        with shop.uow(write=False) as uow:
            check_sale(uow.conn, config, req)
        # Imported here: a cash-only till never loads keyring, httpx or the client.
        from app.provider_wiring import midtrans_client
        from sync.payments import TillPayments
        own = client is None
        active = midtrans_client(shop) if client is None else client
        try:
            till = TillPayments(shop.db, active, poll_seconds=poll_seconds,
                                sleep=sleep or time.sleep)
            view = till.start(actor, pay.method, pay.amount)
            show(view)
            if view.final is None:
                view = till.wait(view.attempt.order_id, wait)
        finally:
            if own:
                active.close()
        if view.final != "paid":
            what = view.final or "not finished in time"
            raise Refused(f"{pay.method} payment {what}: no sale was made"
                          + (f" ({view.message})" if view.message else ""),
                          field=f"payments[{i}]")
        payments = list(req.payments)
        payments[i] = replace(pay, provider_ref=view.attempt.order_id)
        req = replace(req, payments=tuple(payments))
    with shop.uow() as uow:
        return complete_sale(uow, config, actor, req, payments_port=RecordedPayments(uow.conn))


def describe(view: ChargeView) -> str:
    """What the cashier reads out or shows the customer (stderr in the CLI)."""
    a = view.attempt
    lines = [f"{a.method.upper()} Rp {a.amount:,} — order {a.order_id}".replace(",", ".")]
    if view.va_number:
        lines.append(f"Transfer ke virtual account {(view.va_bank or '').upper()}: "
                     f"{view.va_number}")
    if view.qr_string:
        lines.append(f"QR: {view.qr_string}")
    if view.deeplink_url:
        lines.append(f"Deeplink: {view.deeplink_url}")
    if view.expiry_time:
        lines.append(f"Berlaku sampai {view.expiry_time} WIB")
    if view.final is not None:
        lines.append(f"Status: {view.final}" + (f" ({view.message})" if view.message else ""))
    return "\n".join(lines)

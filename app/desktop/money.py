"""Money at the till (``ui.backend_money.MoneyBackend``): paying through the one checkout,
kasbon room, receipts (print, reprint, PDF), refunds, shifts with X and Z reports."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from app.desktop.context import DesktopContext, environment_faults
from app.printing import print_receipt, print_text, receipt_pdf
from services.cart import Cart
from services.checkout import checkout, sale_request
from services.discounts import DiscountGrant
from services.errors import BadInput, Refused
from services.kasbon import KasbonBalance, customer_balance
from services.loyalty import MemberPoints
from services.loyalty_ledger import LedgerRow
from services.loyalty_settings import LoyaltySettings
from services.payments import PaymentsState
from services.refunds import RefundableSale, RefundResult, refund_sale, refundable_sale
from services.selling import Approval, SaleResult
from services.shifts import ShiftReport, ShiftState, close_shift, move_cash, open_shift, \
    shift_report, shift_state
from services.tender import PROVIDER_METHODS, TenderInput
from ui.backend_core import Unavailable
from ui.backend_money import ChargeState, PrintResult

if TYPE_CHECKING:
    from services.payments import ChargeView
    from sync.till_charges import PaymentsGate

#: Midtrans's expiry times are Western Indonesia Time.
WIB = timezone(timedelta(hours=7))
#: The longest a charge is waited for before it is cancelled; the pay dialog's countdown
#: (the charge's own expiry) normally cancels it first through ``cancel``.
CHARGE_WAIT_SECONDS = 20 * 60.0


class MoneyAdapter:
    def __init__(self, ctx: DesktopContext) -> None:
        self._ctx = ctx
        self._gate_lock = threading.Lock()
        self._gate: PaymentsGate | None = None
        self._waiting: set[threading.Event] = set()  # cancel events of charges under way

    def _payments_gate(self) -> PaymentsGate:
        # Made on first use: sync.till_charges loads httpx, which a cash-only start-up
        # does not need (cold-start budget).
        from sync.till_charges import PaymentsGate
        with self._gate_lock:
            if self._gate is None:
                self._gate = PaymentsGate()
            return self._gate

    @environment_faults
    def payments_online(self) -> PaymentsState:
        from app.provider_wiring import midtrans_config
        from app.secrets import SecretsUnavailable
        try:
            cfg = midtrans_config(self._ctx.shop)
        except Refused as exc:
            return PaymentsState(False, "not_configured", exc.message)
        except SecretsUnavailable as exc:  # no secure keyring: the key cannot be read
            return PaymentsState(False, "not_configured", str(exc))
        return self._payments_gate().state(cfg.base_url)

    @environment_faults
    def pay(self, cart: Cart, tenders: Sequence[TenderInput],
            grants: tuple[DiscountGrant, ...] = (), *,
            on_charge: Callable[[ChargeState], None] | None = None,
            cancel: threading.Event | None = None,
            paid_order: str | None = None) -> SaleResult:
        actor = self._ctx.require_actor()
        config = self._ctx.config
        req = sale_request(config, actor, cart, tenders, grants=grants)
        charges = None
        if paid_order is not None:  # charged already: the sale takes that payment
            req = replace(req, payments=tuple(
                replace(p, provider_ref=paid_order) if p.method in PROVIDER_METHODS else p
                for p in req.payments))
        elif any(t.method in PROVIDER_METHODS for t in tenders):
            from app.provider_wiring import till_charges
            show = on_charge
            cancel = cancel or threading.Event()
            charges = till_charges(
                self._ctx.shop, wait=CHARGE_WAIT_SECONDS, cancel=cancel,
                gate=self._payments_gate(),
                on_view=None if show is None else (lambda view: show(charge_state(view))))
            with self._gate_lock:
                self._waiting.add(cancel)
            try:
                return checkout(self._ctx.shop.uow, config, actor, req, charges=charges)
            finally:
                with self._gate_lock:
                    self._waiting.discard(cancel)
        return checkout(self._ctx.shop.uow, config, actor, req, charges=charges)

    def cancel_charges(self) -> None:
        with self._gate_lock:
            waiting = list(self._waiting)
        for cancel in waiting:
            cancel.set()

    def kasbon_room(self, customer_id: str) -> KasbonBalance:
        return self._ctx.read(lambda uow: customer_balance(uow, customer_id))

    def member_points(self, customer_id: str) -> MemberPoints:
        from services.loyalty import member_points
        return self._ctx.read(lambda uow: member_points(uow.conn, customer_id))

    def loyalty_settings(self) -> LoyaltySettings:
        from services.loyalty_settings import read_loyalty_settings
        return self._ctx.read(lambda uow: read_loyalty_settings(uow.conn))

    def save_loyalty_settings(self, changes: dict[str, object]) -> LoyaltySettings:
        from services.loyalty_settings import (
            parse_changes,
            read_loyalty_settings,
            save_loyalty_settings,
        )
        return self._ctx.act(lambda uow, actor: save_loyalty_settings(
            uow, actor, parse_changes(read_loyalty_settings(uow.conn), changes)))

    def loyalty_ledger(self, customer_id: str) -> tuple[MemberPoints, tuple[LedgerRow, ...]]:
        from services.loyalty import ledger, member_points
        return self._ctx.read(lambda uow: (member_points(uow.conn, customer_id),
                                           ledger(uow.conn, customer_id)))

    @environment_faults
    def print_receipt(self, receipt_no: str, copy: bool) -> PrintResult:
        o = print_receipt(self._ctx.shop, receipt_no, copy=copy)
        return PrintResult(receipt_no, o.printed, o.printer, o.drawer_kicked, o.message)

    @environment_faults
    def save_receipt_pdf(self, receipt_no: str, path: str) -> str:
        try:
            return str(receipt_pdf(self._ctx.shop, receipt_no, Path(path)))
        except OSError as exc:  # disk full, no permission, folder gone: the person retries
            raise Unavailable(f"The PDF could not be saved at {path} "
                              f"({exc.strerror or exc}).") from exc

    def find_sale(self, receipt_no: str) -> RefundableSale:
        return self._ctx.read(lambda uow: refundable_sale(uow.conn, receipt_no))

    def refund(self, receipt_no: str, lines: list[tuple[int, int]], reason: str,
               approval: Approval) -> RefundResult:
        if not lines:
            raise BadInput("choose at least one line to refund", field="lines")
        return self._ctx.act(lambda uow, actor: refund_sale(
            uow, self._ctx.config, actor, receipt_no, lines, reason,
            approval))

    def shift_state(self) -> ShiftState:
        return self._ctx.read(lambda uow: shift_state(uow.conn, self._ctx.config))

    def open_shift(self, float_amount: int) -> ShiftState:
        self._ctx.act(lambda uow, actor: open_shift(uow, self._ctx.config, actor,
                                                    float_amount))
        return self.shift_state()

    def move_cash(self, kind: str, amount: int, reason: str,
                  approval: Approval | None = None) -> None:
        if kind not in ("cash_in", "cash_out"):  # a no-sale open is not asked from here
            raise BadInput("kind must be cash_in or cash_out", field="kind")
        self._ctx.act(lambda uow, actor: move_cash(uow, self._ctx.config, actor, kind,
                                                   amount, reason, approval=approval))

    def x_report(self) -> ShiftReport:
        return self._ctx.read(lambda uow: shift_report(uow, self._ctx.config))

    def close_shift(self, counted: dict[int, int]) -> ShiftReport:
        return self._ctx.act(lambda uow, actor: close_shift(
            uow, self._ctx.config, actor, {str(d): n for d, n in counted.items()}))

    @environment_faults
    def print_lines(self, lines: list[str], what: str) -> PrintResult:
        o = print_text(self._ctx.shop, lines, what=what)
        return PrintResult(what, o.printed, o.printer, o.drawer_kicked, o.message)


def _seconds_left(expiry: str | None) -> int | None:
    """Midtrans gives ``YYYY-MM-DD HH:MM:SS`` in WIB."""
    if not expiry:
        return None
    try:
        when = datetime.strptime(expiry, "%Y-%m-%d %H:%M:%S").replace(tzinfo=WIB)
    except ValueError:
        return None
    return max(0, int((when - datetime.now(UTC)).total_seconds()))


def charge_state(view: ChargeView) -> ChargeState:
    """A charge view as the pay dialog draws it: the QR's modules, seconds left."""
    from app.qr import qr_matrix
    a = view.attempt
    text = view.qr_string or (view.deeplink_url if a.method != "qris" else None)
    matrix = tuple(tuple(row) for row in qr_matrix(text)) if text else ()
    return ChargeState(a.order_id, a.method, a.amount, view.final, matrix, view.va_bank,
                       view.va_number, view.deeplink_url, _seconds_left(view.expiry_time),
                       view.message)

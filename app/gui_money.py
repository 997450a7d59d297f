"""Money at the till: split tender, kasbon and QRIS/VA payments, receipts (print, reprint, PDF), refunds, shifts with X and Z reports.

The backend methods behind ``ui.backend_money.MoneyBackend``; ``app.gui.GuiBackend``
inherits them. Each opens its own unit of work, calls a use case and returns frozen values.
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from sqlalchemy import func, select

from app.gui_base import BackendBase, environment_faults
from services.cart import Cart
from services.errors import BadInput, NotFound, Refused
from services.tender import KASBON, PROVIDER_METHODS, TenderInput
from services.users import Actor
from ui.backend_cart import SupervisorApproval
from ui.backend_core import SaleDone
from ui.backend_money import (
    ChargeState,
    KasbonRoom,
    PaymentsState,
    PrintResult,
    RefundableLine,
    RefundableSale,
    RefundDone,
    ShiftFigures,
    ShiftState,
)

if TYPE_CHECKING:
    from services.payments import ChargeView
    from services.selling import SaleRequest
    from services.shifts import ShiftReport
    from sync.jobs.breaker import CircuitBreaker
    from sync.midtrans.client import MidtransClient
    from sync.payments import TillPayments

#: Midtrans's expiry times are Western Indonesia Time.
WIB = timezone(timedelta(hours=7))
#: How long a reachability answer is trusted (seconds): a till that just reached Midtrans
#: does not ask again for every sale; one that could not tries again soon.
PROBE_FRESH_OK = 30.0
PROBE_FRESH_FAILED = 5.0
PROBE_TIMEOUT = 1.5
#: Consecutive charges that Midtrans did not take before the till stops offering it for a
#: while (the breaker's cooldown), instead of making every customer wait for a timeout.
BREAKER_FAILURES = 3
BREAKER_COOLDOWN = 60.0


class MoneyOps(BackendBase):
    # State shared by the pool's threads, made on first use (GuiBackend's __init__ is the
    # core's); guarded by one lock per class, which is plenty for a till.
    _money_lock = threading.Lock()
    _pay_breaker: CircuitBreaker | None = None
    _pay_probe: tuple[float, str, bool, str | None] | None = None  # (when, url, ok, why)
    _pay_clients: dict[str, MidtransClient] | None = None

    # --- paying: provider payments -----------------------------------------------------
    def close_payments(self) -> None:
        """Close the Midtrans clients of charges still open (the program is closing; their
        jobs stay leased until the dispatcher takes them over and asks Midtrans)."""
        with self._money_lock:
            clients, self._pay_clients = self._pay_clients or {}, {}
        for client in clients.values():
            client.close()

    def _breaker(self) -> CircuitBreaker:
        from sync.jobs.breaker import CircuitBreaker
        with self._money_lock:
            if self._pay_breaker is None:
                self._pay_breaker = CircuitBreaker(BREAKER_FAILURES, BREAKER_COOLDOWN)
            return self._pay_breaker

    @environment_faults
    def payments_online(self) -> PaymentsState:
        from app.provider_wiring import midtrans_config
        from app.secrets import SecretsUnavailable
        from sync.jobs.breaker import OPEN
        try:
            cfg = midtrans_config(self._shop)
        except Refused as exc:
            return PaymentsState(False, "not_configured", exc.message)
        except SecretsUnavailable as exc:  # no secure keyring: the key cannot be read
            return PaymentsState(False, "not_configured", str(exc))
        if self._breaker().state == OPEN:
            return PaymentsState(False, "breaker_open",
                                 f"Midtrans did not take the last {BREAKER_FAILURES} charges; "
                                 f"the till tries again within {BREAKER_COOLDOWN:.0f} s")
        ok, why = self._reachable(cfg.base_url)
        if not ok:
            return PaymentsState(False, "unreachable", why)
        return PaymentsState(True)

    def _reachable(self, base_url: str) -> tuple[bool, str | None]:
        """A TCP connect to Midtrans's host, remembered for a little while: enough to tell
        "no internet" or "simulator down" from "online" without sending a request."""
        now = time.monotonic()
        with self._money_lock:
            probe = self._pay_probe
        if probe is not None and probe[1] == base_url:
            fresh = PROBE_FRESH_OK if probe[2] else PROBE_FRESH_FAILED
            if now - probe[0] < fresh:
                return probe[2], probe[3]
        parts = urlsplit(base_url)
        host = parts.hostname or ""
        port = parts.port or (443 if parts.scheme == "https" else 80)
        ok, why = True, None
        try:
            with socket.create_connection((host, port), timeout=PROBE_TIMEOUT):
                pass
        except OSError as exc:
            ok, why = False, f"cannot reach {host}:{port} ({exc.strerror or exc})"
        with self._money_lock:
            self._pay_probe = (time.monotonic(), base_url, ok, why)
        return ok, why

    def _client(self, order_id: str | None = None) -> MidtransClient:
        from app.provider_wiring import midtrans_client
        with self._money_lock:
            if self._pay_clients is None:
                self._pay_clients = {}
            client = self._pay_clients.get(order_id) if order_id else None
        return client if client is not None else midtrans_client(self._shop)

    def _keep_client(self, order_id: str, client: MidtransClient, keep: bool) -> None:
        """A charge's client lives while the charge may still be paid; then it is closed."""
        with self._money_lock:
            if self._pay_clients is None:
                self._pay_clients = {}
            had = self._pay_clients.pop(order_id, None)
            if keep:
                self._pay_clients[order_id] = client
        if had is not None and had is not client:
            had.close()
        if not keep:
            client.close()

    def _till_payments(self, client: MidtransClient) -> TillPayments:
        from sync.payments import TillPayments
        return TillPayments(self._shop.db, client)

    def _sale_request(self, cart: Cart, tenders: list[TenderInput],
                      ref: str | None = None) -> SaleRequest:
        from services.selling import LineRequest, PaymentRequest, SaleRequest
        return SaleRequest(
            lines=tuple(LineRequest(code=line.item.sku, qty_milli=line.qty_milli,
                                    unit_price=line.unit_price if line.price_overridden
                                    else None, discount=line.discount)
                        for line in cart.lines),
            payments=tuple(PaymentRequest(t.method, t.amount,
                                          ref if t.method in PROVIDER_METHODS else None)
                           for t in tenders),
            discount=cart.discount, customer_id=cart.customer_id)

    @staticmethod
    def _provider_tender(tenders: list[TenderInput]) -> TenderInput:
        provider = [t for t in tenders if t.method in PROVIDER_METHODS]
        if len(provider) != 1:
            raise BadInput("one QRIS, e-wallet or VA payment per sale", field="payments")
        return provider[0]

    @environment_faults
    def start_charge(self, cart: Cart, tenders: list[TenderInput]) -> ChargeState:
        from services.selling import check_sale
        actor = self._require_actor()
        pay = self._provider_tender(tenders)
        req = self._sale_request(cart, tenders)
        # Everything that could refuse the sale is refused now, before the customer pays.
        with self._shop.uow(write=False) as uow:
            check_sale(uow.conn, self._config, req)
        self._check_rights(actor, cart)
        self._check_kasbon(cart, tenders)
        client = self._client()
        try:
            view = self._till_payments(client).start(actor, pay.method, pay.amount)
        except BaseException:
            client.close()
            raise
        breaker = self._breaker()
        if view.final == "not_sent":
            breaker.record_failure()
        else:
            breaker.record_success()
        self._keep_client(view.attempt.order_id, client, view.final in (None, "paid"))
        return _charge_state(view)

    @environment_faults
    def poll_charge(self, order_id: str) -> ChargeState:
        client = self._client(order_id)
        view = self._till_payments(client).refresh(order_id)
        self._keep_client(order_id, client, view.final in (None, "paid"))
        return _charge_state(view)

    @environment_faults
    def cancel_charge(self, order_id: str) -> ChargeState:
        client = self._client(order_id)
        view = self._till_payments(client).cancel(order_id)
        self._keep_client(order_id, client, view.final in (None, "paid"))
        return _charge_state(view)

    @environment_faults
    def complete_charged(self, cart: Cart, tenders: list[TenderInput],
                         order_id: str) -> SaleDone:
        """The last step of app.checkout's order (check, charge, wait, complete): the sale
        takes the provider payment its charge job recorded as paid (RecordedPayments), with
        the discount approvals given at this till, in one transaction."""
        from services.payments import RecordedPayments
        from services.selling import complete_sale
        actor = self._require_actor()
        self._provider_tender(tenders)
        req = self._sale_request(cart, tenders, order_id)
        approver = self._cart_approver(cart)
        with self._shop.uow() as uow:
            r = complete_sale(uow, self._config, actor, req,
                              payments_port=RecordedPayments(uow.conn), approved_by=approver)
        with self._money_lock:
            client = (self._pay_clients or {}).pop(order_id, None)
        if client is not None:
            client.close()
        return SaleDone(r.receipt_no, r.total, r.rounding, r.payable, r.change, r.created_at)

    def _cart_approver(self, cart: Cart) -> Actor | None:
        """Who approved this cart's discounts at the till (app.gui_cart keeps them)."""
        find = getattr(self, "discount_approver", None)
        found = find(cart) if callable(find) else None
        return found if isinstance(found, Actor) else None

    def _check_rights(self, actor: Actor, cart: Cart) -> None:
        """A provider payment is charged before the sale commits, so what the sale would
        refuse for rights (a discount over the limit without an approval, a price override
        by a cashier) is refused before the customer pays."""
        from services.discounts import check_discount
        from services.cart import Discount
        needs = any(line.price_overridden for line in cart.lines) \
            and not actor.at_least("supervisor")
        for line in cart.lines:
            if not line.discount.is_zero and check_discount(
                    self._config, actor.role, replace(cart, discount=Discount()),
                    line.line_no, line.discount).needed:
                needs = True
        if not cart.discount.is_zero and check_discount(
                self._config, actor.role, cart, None, cart.discount).needed:
            needs = True
        if needs and self._cart_approver(cart) is None:
            raise Refused("a discount or price in this cart needs a supervisor's approval "
                          "before a QRIS/VA/e-wallet charge; approve it first or take cash",
                          field="discount")

    def _check_kasbon(self, cart: Cart, tenders: list[TenderInput]) -> None:
        """The kasbon part of a split with a provider payment, within the customer's limit
        (as complete_sale will check), before the customer pays the rest."""
        on_kasbon = sum(t.amount for t in tenders if t.method == KASBON)
        if not on_kasbon or cart.customer_id is None:
            return  # no kasbon; or check_sale has refused a kasbon without a customer
        room = self.kasbon_room(cart.customer_id)
        if room.balance + on_kasbon > room.credit_limit:
            raise Refused(f"kasbon limit of {room.name} exceeded: owes {room.balance}, "
                          f"limit {room.credit_limit}, this sale adds {on_kasbon}",
                          field="customer")

    @environment_faults
    def kasbon_room(self, customer_id: str) -> KasbonRoom:
        from services.kasbon import customer_balance
        with self._shop.uow(write=False) as uow:
            b = customer_balance(uow, customer_id)
        return KasbonRoom(b.customer_id, b.name, b.balance, b.credit_limit)

    # --- receipts ----------------------------------------------------------------------
    @environment_faults
    def print_receipt(self, receipt_no: str, copy: bool) -> PrintResult:
        from app.printing import print_receipt
        o = print_receipt(self._shop, receipt_no, copy=copy)
        return PrintResult(receipt_no, o.printed, o.printer, o.drawer_kicked, o.message)

    @environment_faults
    def save_receipt_pdf(self, receipt_no: str, path: str) -> str:
        from pathlib import Path

        from app.printing import receipt_pdf
        from ui.backend_core import Unavailable
        try:
            return str(receipt_pdf(self._shop, receipt_no, Path(path)))
        except OSError as exc:  # disk full, no permission, folder gone: the person retries
            raise Unavailable(f"The PDF could not be saved at {path} "
                              f"({exc.strerror or exc}).") from exc

    # --- refunds -----------------------------------------------------------------------
    @environment_faults
    def find_sale(self, receipt_no: str) -> RefundableSale:
        from local_db.models import Payment, RefundLine, Sale, SaleLine
        from services.catalogue import WEIGHED_UNITS
        receipt_no = (receipt_no or "").strip()
        if not receipt_no:
            raise BadInput("a receipt number is needed", field="receipt_no")
        with self._shop.uow(write=False) as uow:
            c = uow.conn
            sale = c.execute(select(Sale.id, Sale.receipt_no, Sale.created_at, Sale.status,
                                    Sale.payable, Sale.customer_id)
                             .where(Sale.receipt_no == receipt_no)).first()
            if sale is None:
                raise NotFound(f"no sale with receipt number {receipt_no}",
                               field="receipt_no")
            done = {str(k): int(v) for k, v in c.execute(
                select(RefundLine.sale_line_id, func.sum(RefundLine.qty_milli))
                .join(SaleLine, SaleLine.id == RefundLine.sale_line_id)
                .where(SaleLine.sale_id == sale.id).group_by(RefundLine.sale_line_id))}
            lines = tuple(RefundableLine(r.line_no, r.sku, r.name, r.unit, r.qty_milli,
                                         r.qty_milli - done.get(str(r.id), 0), r.unit_price,
                                         r.gross, r.unit in WEIGHED_UNITS)
                          for r in c.execute(select(SaleLine).where(
                              SaleLine.sale_id == sale.id).order_by(SaleLine.line_no)))
            payments = tuple((str(m), int(a)) for m, a in c.execute(
                select(Payment.method, Payment.amount).where(Payment.sale_id == sale.id)
                .order_by(Payment.id)))
        return RefundableSale(sale.receipt_no, sale.created_at, sale.status, sale.payable,
                              sale.customer_id, lines, payments)

    @environment_faults
    def refund(self, receipt_no: str, lines: list[tuple[int, int]], reason: str,
               approval: SupervisorApproval) -> RefundDone:
        from services.refunds import refund_sale
        from services.selling import Approval
        actor = self._require_actor()
        if not lines:
            raise BadInput("choose at least one line to refund", field="lines")
        with self._shop.uow() as uow:
            r = refund_sale(uow, self._config, actor, receipt_no, lines, reason,
                            Approval(approval.user, approval.pin))
        return RefundDone(r.refund_no, r.receipt_no, r.approved_by, r.gross, r.method,
                          r.cash_paid, r.to_kasbon, r.to_provider, len(r.provider_jobs),
                          tuple((x.name, x.qty_milli, x.gross) for x in r.lines))

    # --- shifts ------------------------------------------------------------------------
    @environment_faults
    def shift_state(self) -> ShiftState:
        from local_db.models import Shift, User
        from services.shifts import DENOMINATIONS
        denoms = tuple(sorted(DENOMINATIONS, reverse=True))
        with self._shop.uow(write=False) as uow:
            row = uow.conn.execute(
                select(User.name, Shift.opened_at, Shift.float_amount)
                .join(User, User.id == Shift.opened_by)
                .where(Shift.terminal_id == self._config.terminal_id,
                       Shift.status == "open")).first()
        if row is None:
            return ShiftState(False, denoms)
        return ShiftState(True, denoms, str(row[0]), str(row[1]), int(row[2]))

    @environment_faults
    def open_shift(self, float_amount: int) -> ShiftState:
        from services.shifts import open_shift
        actor = self._require_actor()
        with self._shop.uow() as uow:
            open_shift(uow, self._config, actor, float_amount)
        return self.shift_state()

    @environment_faults
    def move_cash(self, kind: str, amount: int, reason: str) -> None:
        from services.shifts import move_cash
        actor = self._require_actor()
        if kind not in ("cash_in", "cash_out"):
            raise BadInput("kind must be cash_in or cash_out", field="kind")
        with self._shop.uow() as uow:
            move_cash(uow, self._config, actor, kind, amount, reason)

    @environment_faults
    def x_report(self) -> ShiftFigures:
        from services.shifts import shift_report
        with self._shop.uow(write=False) as uow:
            return _figures(shift_report(uow, self._config))

    @environment_faults
    def close_shift(self, counted: dict[int, int]) -> ShiftFigures:
        from services.shifts import close_shift
        actor = self._require_actor()
        with self._shop.uow() as uow:
            z = close_shift(uow, self._config, actor,
                            {str(d): n for d, n in counted.items()})
        return _figures(z)

    @environment_faults
    def print_lines(self, lines: list[str], what: str) -> PrintResult:
        from app.printing import print_text
        o = print_text(self._shop, lines, what=what)
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


def _charge_state(view: ChargeView) -> ChargeState:
    from app.qr import qr_matrix
    a = view.attempt
    text = view.qr_string or (view.deeplink_url if a.method != "qris" else None)
    matrix = tuple(tuple(row) for row in qr_matrix(text)) if text else ()
    return ChargeState(a.order_id, a.method, a.amount, view.final, matrix, view.va_bank,
                       view.va_number, view.deeplink_url, _seconds_left(view.expiry_time),
                       view.message)


def _figures(r: ShiftReport) -> ShiftFigures:
    return ShiftFigures(
        kind=r.kind, opened_by=r.opened_by, opened_at=r.opened_at, closed_at=r.closed_at,
        float_amount=r.float_amount, sales_count=r.sales_count, sales_total=r.sales_total,
        discount_total=r.discount_total, tax_total=r.tax_total,
        rounding_total=r.rounding_total,
        by_method=tuple((m, int(v["count"]), int(v["amount"]))
                        for m, v in sorted(r.by_method.items())),
        refunds_count=r.refunds_count, refunds_total=r.refunds_total, cash_in=r.cash_in,
        cash_out=r.cash_out, kasbon_repaid_cash=r.kasbon_repaid_cash,
        no_sale_opens=r.no_sale_opens, first_receipt=r.first_receipt,
        last_receipt=r.last_receipt, expected_cash=r.expected_cash,
        counted_cash=r.counted_cash, difference=r.difference,
        counted_detail=tuple(sorted(((int(d), int(n)) for d, n in
                                     (r.counted_detail or {}).items()), reverse=True)))


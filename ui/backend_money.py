"""Money at the till: split tender, kasbon and QRIS/VA payments, receipts (print, reprint, PDF), refunds, shifts with X and Z reports.

What the screens of this area need from the shop, as a Protocol (implemented by
``app/gui_money.py``). Every method may touch the database or the network unless its
docstring says otherwise, so the screens call them only through :mod:`ui.tasks`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from services.cart import Cart
from services.tender import TenderInput
from ui.backend_cart import SupervisorApproval
from ui.backend_core import SaleDone


# --- paying -------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class PaymentsState:
    """Whether customer-present provider payments (QRIS, e-wallet, VA) can be taken now.

    ``reason``: why not, as a code the screens word (``not_configured``, ``unreachable``,
    ``breaker_open``); ``detail``: the backend's own explanation (shown as a tooltip)."""

    online: bool
    reason: str | None = None
    detail: str | None = None


@dataclass(frozen=True, slots=True)
class ChargeState:
    """A QRIS/VA/e-wallet charge as the pay dialog shows it (services.payments.ChargeView)."""

    order_id: str
    method: str
    amount: int
    final: str | None  # paid | expired | cancelled | denied | not_sent | rejected | None
    qr_matrix: tuple[tuple[bool, ...], ...]  # the QR's modules (True = dark); () if none
    va_bank: str | None
    va_number: str | None
    deeplink_url: str | None
    seconds_left: int | None  # until Midtrans expires the charge, when it said
    message: str | None


@dataclass(frozen=True, slots=True)
class KasbonRoom:
    """A customer's kasbon: what they owe and their limit."""

    customer_id: str
    name: str
    balance: int
    credit_limit: int

    @property
    def available(self) -> int:
        return max(0, self.credit_limit - self.balance)


# --- refunds ------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class RefundableLine:
    line_no: int
    sku: str
    name: str
    unit: str
    qty_milli: int  # sold
    left_milli: int  # not yet refunded
    unit_price: int
    gross: int
    weighed: bool = False  # sold by weight or length: quantities with decimals


@dataclass(frozen=True, slots=True)
class RefundableSale:
    receipt_no: str
    created_at: str
    status: str
    payable: int
    customer_id: str | None
    lines: tuple[RefundableLine, ...]
    payments: tuple[tuple[str, int], ...]  # (method, amount)


@dataclass(frozen=True, slots=True)
class RefundDone:
    """A committed refund (services.refunds.RefundResult) and how the money went back."""

    refund_no: str
    receipt_no: str
    approved_by: str
    gross: int
    method: str  # cash | kasbon | provider | mixed
    cash_paid: int
    to_kasbon: int
    to_provider: int
    provider_jobs: int
    lines: tuple[tuple[str, int, int], ...]  # (name, qty_milli, gross)


# --- shifts -------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ShiftState:
    open: bool
    denominations: tuple[int, ...]  # rupiah notes and coins, largest first
    opened_by: str | None = None
    opened_at: str | None = None
    float_amount: int = 0


@dataclass(frozen=True, slots=True)
class ShiftFigures:
    """An X (mid-shift) or Z (close) report (services.shifts.ShiftReport)."""

    kind: str
    opened_by: str
    opened_at: str
    closed_at: str | None
    float_amount: int
    sales_count: int
    sales_total: int
    discount_total: int
    tax_total: int
    rounding_total: int
    by_method: tuple[tuple[str, int, int], ...]  # (method, count, amount)
    refunds_count: int
    refunds_total: int
    cash_in: int
    cash_out: int
    kasbon_repaid_cash: int
    no_sale_opens: int
    first_receipt: str | None
    last_receipt: str | None
    expected_cash: int
    counted_cash: int | None = None
    difference: int | None = None
    counted_detail: tuple[tuple[int, int], ...] = ()  # (denomination, count)


# --- receipts -----------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class PrintResult:
    """What became of printing a receipt (app.printing.PrintOutcome). A printer that is
    off or unreachable is ``printed=False`` with the reason, never an exception: the sale
    is committed whatever the printer does."""

    receipt_no: str
    printed: bool
    printer: str  # "none" when the store has no receipt printer set up
    drawer_kicked: bool
    message: str


class MoneyBackend(Protocol):
    # --- paying ---
    def payments_online(self) -> PaymentsState:
        """Cheap: the Midtrans configuration, the till's breaker and a cached reachability
        probe (at most a short connect, never on the main thread)."""
        ...

    def kasbon_room(self, customer_id: str) -> KasbonRoom: ...

    def start_charge(self, cart: Cart, tenders: list[TenderInput]) -> ChargeState:
        """Check the whole sale without writing, then charge its one provider tender."""
        ...

    def poll_charge(self, order_id: str) -> ChargeState: ...

    def cancel_charge(self, order_id: str) -> ChargeState: ...

    def complete_charged(self, cart: Cart, tenders: list[TenderInput],
                         order_id: str) -> SaleDone:
        """Commit the sale whose provider tender was paid as ``order_id``."""
        ...

    # --- receipts ---
    def print_receipt(self, receipt_no: str, copy: bool) -> PrintResult:
        """Print a sale's receipt on the store's printer (``copy``: a reprint, marked
        SALINAN/COPY, drawer shut). Network or device I/O: call it on the pool lane."""
        ...

    def save_receipt_pdf(self, receipt_no: str, path: str) -> str:
        """Save a sale's receipt as a PDF at ``path``; returns the path written."""
        ...

    # --- refunds ---
    def find_sale(self, receipt_no: str) -> RefundableSale: ...

    def refund(self, receipt_no: str, lines: list[tuple[int, int]], reason: str,
               approval: SupervisorApproval) -> RefundDone:
        """Refund ``lines`` as (line_no, qty_milli); the service checks the PIN first."""
        ...

    # --- shifts ---
    def shift_state(self) -> ShiftState: ...

    def open_shift(self, float_amount: int) -> ShiftState: ...

    def move_cash(self, kind: str, amount: int, reason: str) -> None: ...

    def x_report(self) -> ShiftFigures: ...

    def close_shift(self, counted: dict[int, int]) -> ShiftFigures: ...

    def print_lines(self, lines: list[str], what: str) -> PrintResult:
        """Print plain text lines (an X or Z report, named ``what``) on the store's printer;
        a printer that is off is ``printed=False`` with the reason. Call it on the pool."""
        ...

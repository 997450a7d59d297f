"""Money at the till: split tender, kasbon and QRIS/VA payments, receipts (print, reprint, PDF), refunds, shifts with X and Z reports.

What the screens of this area need from the shop, as a Protocol (``backend.money``,
implemented by ``app/desktop/money.py``). Every method may touch the database or the
network unless its docstring says otherwise, so the screens call them only through
:mod:`ui.tasks`. What crosses are the services' frozen values; :class:`ChargeState` and
:class:`PrintResult` are the screens' own.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from services.cart import Cart
from services.discounts import DiscountGrant
from services.kasbon import KasbonBalance
from services.loyalty import MemberPoints
from services.loyalty_ledger import LedgerRow
from services.loyalty_settings import LoyaltySettings
from services.payments import PaymentsState
from services.refunds import RefundableSale, RefundResult
from services.selling import SaleResult
from services.shifts import ShiftReport, ShiftState
from services.tender import TenderInput
from services.selling import Approval


@dataclass(frozen=True, slots=True)
class ChargeState:
    """A QRIS/VA/e-wallet charge as the pay dialog shows it (services.payments.ChargeView
    with its QR drawn and its expiry counted in seconds from now)."""

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
class PrintResult:
    """What became of printing a receipt (app.printing.PrintOutcome, for one document). A
    printer that is off or unreachable is ``printed=False`` with the reason, never an
    exception: the sale is committed whatever the printer does."""

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

    def cancel_charges(self) -> None:
        """The program is closing: cancel every provider charge still being waited for
        (nobody will show its QR any more). Cheap; any thread."""
        ...

    def pay(self, cart: Cart, tenders: Sequence[TenderInput],
            grants: tuple[DiscountGrant, ...] = (), *,
            on_charge: Callable[[ChargeState], None] | None = None,
            cancel: threading.Event | None = None,
            paid_order: str | None = None) -> SaleResult:
        """The one checkout (``services.checkout``): check the whole sale, charge its one
        provider tender if any, commit. Blocking. With a provider tender it runs on the
        pool lane: ``on_charge`` gets every charge view (from that worker thread), setting
        ``cancel`` cancels the charge; else on the DB-writer lane. Raises Refused/BadInput
        with nothing charged and no sale. ``paid_order``: the provider tender was charged
        and paid already as that order (its sale could not be written): commit it, on the
        DB-writer lane, without charging again."""
        ...

    def kasbon_room(self, customer_id: str) -> KasbonBalance: ...

    def member_points(self, customer_id: str) -> MemberPoints:
        """The member's loyalty points, their value and tier (issue 15). Pool lane."""
        ...

    def loyalty_settings(self) -> LoyaltySettings:
        """The loyalty programme's settings. Pool lane."""
        ...

    def save_loyalty_settings(self, changes: dict[str, object]) -> LoyaltySettings:
        """Change the programme's settings (field -> value; the owner). DB-writer lane."""
        ...

    def loyalty_ledger(self, customer_id: str) -> tuple[MemberPoints, tuple[LedgerRow, ...]]:
        """A member's points and their ledger, oldest first. Pool lane."""
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
               approval: Approval) -> RefundResult:
        """Refund ``lines`` as (line_no, qty_milli); the service checks the PIN first."""
        ...

    # --- shifts ---
    def shift_state(self) -> ShiftState: ...

    def open_shift(self, float_amount: int) -> ShiftState: ...

    def move_cash(self, kind: str, amount: int, reason: str,
                  approval: Approval | None = None) -> None:
        """Cash in or out; a cash out beyond the drawer (or the store's limit) is refused
        with field "approver" until a supervisor's ``approval`` comes with it."""
        ...

    def x_report(self) -> ShiftReport: ...

    def close_shift(self, counted: dict[int, int]) -> ShiftReport: ...

    def print_lines(self, lines: list[str], what: str) -> PrintResult:
        """Print plain text lines (an X or Z report, named ``what``) on the store's printer;
        a printer that is off is ``printed=False`` with the reason. Call it on the pool."""
        ...

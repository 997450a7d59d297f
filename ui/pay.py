"""Pay: the dialog that takes the tenders and pays the sale through ``backend.money.pay``.

It wires three parts, each with one job:

* :class:`ui.tender_entry.TenderEntry` — cash with quick tender, split tender, EDC, kasbon,
  and the choice of QRIS / e-wallet / VA (disabled, saying why, when payments are offline);
* :mod:`ui.payment_wait` — the provider payment's waiting states, pure Python;
* :class:`ui.charge_panel.ChargePanel` — the QR or VA number, countdown, cancel, retry.

``backend.money.pay`` is one blocking call that checks the whole sale, charges a provider
tender if there is one, and commits. Cash, EDC and kasbon alone run it on the DB-writer
lane; with a provider tender it runs on the network pool, reports each charge view from
its worker (handed to the main thread here) and cancels at Midtrans when the run's
``threading.Event`` is set (Esc, the cancel button, or the countdown). The dialog emits
:attr:`PayDialog.paid` with the ``SaleResult``; a refusal is shown and the dialog stays.
"""

from __future__ import annotations

import threading

import shiboken6
from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from services.cart import Cart
from services.discounts import DiscountGrant
from services.kasbon import KasbonBalance
from services.loyalty import MemberPoints
from services.payments import PaymentsState
from services.selling import SaleResult
from services.tender import POINTS, PROVIDER_METHODS, TenderInput
from ui.backend import TillBackend
from ui.backend_money import ChargeState
from ui.charge_panel import ChargePanel, words
from ui.i18n import number, tr
from ui.loyalty_redeem import RedeemDialog
from ui.payment_wait import (
    CancelClicked,
    ChargeViewed,
    Event,
    Failed,
    Phase,
    RetryClicked,
    SaleCommitted,
    Start,
    Tick,
    Wait,
    step,
)
from ui.tasks import Lane, TaskManager, describe_error
from ui.tender_entry import TenderEntry

TICK_MS = 1000


class PayDialog(QDialog):
    #: The sale was committed (value: services.selling.SaleResult); the dialog then closes.
    paid = Signal(object)
    #: Whether provider payments are available was answered (value: PaymentsState).
    payments_checked = Signal(object)
    #: A charge is on screen (value: ChargeState): the customer can pay now.
    charge_shown = Signal(object)
    #: A refusal or error is shown in the dialog (value: its text).
    refused = Signal(str)
    #: The member's loyalty points were read (value: services.loyalty.MemberPoints).
    points_known = Signal(object)

    def __init__(self, backend: TillBackend, tasks: TaskManager, cart: Cart, total: int,
                 grants: tuple[DiscountGrant, ...] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._backend = backend
        self._tasks = tasks
        self.cart = cart
        self.grants = grants
        self._wait = Wait()
        self._cancel = threading.Event()  # the current run's
        self._tenders: list[TenderInput] = []  # what the current run pays
        self._saving = False  # a cash / EDC / kasbon sale is being written
        self.setObjectName("pay")
        self.setWindowTitle(tr("money.pay.title"))
        self.setModal(True)

        self.entry = TenderEntry(backend.core, total, has_customer=cart.customer_id is not None)
        self.entry.submitted.connect(self._pay)
        self.entry.refused.connect(self.refused)
        self.entry.cancel_button.clicked.connect(self.reject)
        self.charge_panel = ChargePanel()
        self.charge_panel.cancel_button.clicked.connect(lambda: self._feed(CancelClicked()))
        self.charge_panel.retry_button.clicked.connect(lambda: self._feed(RetryClicked()))
        self.pages = QStackedWidget()
        self.pages.addWidget(self.entry)
        self.pages.addWidget(self.charge_panel)
        # A member's points pay part of the sale (issue 15): shown once their points are
        # known and they have some; the redeem dialog asks how many.
        self.member: MemberPoints | None = None
        self.redeem_dialog: RedeemDialog | None = None
        self.points_button = QPushButton(tr("loyalty.redeem.button"))
        self.points_button.setObjectName("redeemButton")
        self.points_button.setMinimumHeight(48)
        self.points_button.clicked.connect(self.redeem)
        self.points_button.hide()
        lay = QVBoxLayout(self)
        lay.addWidget(self.pages)
        lay.addWidget(self.points_button)
        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(lambda: self._feed(Tick()))
        self.resize(760, 640)
        self.entry.given.setFocus()
        self._check_payments()

    # --- what tests and the till read ---------------------------------------------------
    @property
    def exact_button(self) -> QPushButton:
        return self.entry.exact_button

    @property
    def tenders(self) -> list[TenderInput]:
        return self.entry.tenders

    @property
    def charging(self) -> bool:
        return self.pages.currentWidget() is self.charge_panel

    @property
    def wait(self) -> Wait:
        return self._wait

    # --- provider and kasbon state --------------------------------------------------------
    def _check_payments(self) -> None:
        money = self._backend.money
        self._tasks.run_in_background(money.payments_online, self._payments_known,
                                      self._payments_failed, lane=Lane.POOL, owner=self)
        customer = self.cart.customer_id
        if customer is not None:
            self._tasks.run_in_background(lambda: money.kasbon_room(customer),
                                          self._kasbon_known, lambda exc: None,
                                          lane=Lane.POOL, owner=self)
            self._tasks.run_in_background(lambda: money.member_points(customer),
                                          self._points_known, lambda exc: None,
                                          lane=Lane.POOL, owner=self)

    def _payments_known(self, state: PaymentsState) -> None:
        self.entry.show_payments(state)
        self.payments_checked.emit(state)

    def _payments_failed(self, exc: Exception) -> None:
        self._payments_known(PaymentsState(False, None, describe_error(exc)))

    def _kasbon_known(self, room: KasbonBalance) -> None:
        self.entry.show_kasbon(room)

    def _points_known(self, member: MemberPoints) -> None:
        self.member = member
        self.points_button.setText(tr("loyalty.redeem.button_points", points=number(member.balance)))
        self.points_button.setVisible(member.redeemable)
        self.points_known.emit(member)

    def redeem(self) -> None:
        """Ask how many points pay (the member's balance and the rupiah value shown)."""
        if self.member is None or not self.member.redeemable or self.charging:
            return
        left = self.entry.total - sum(t.amount for t in self.entry.tenders
                                      if t.method != POINTS)
        dialog = self.redeem_dialog = RedeemDialog(self.member, left, self)
        dialog.accepted.connect(
            lambda: self.entry.take_tender(TenderInput(POINTS, dialog.value)))
        dialog.open()

    # --- paying -------------------------------------------------------------------------
    def _pay(self, tenders: list[TenderInput]) -> None:
        provider = next((t for t in tenders if t.method in PROVIDER_METHODS), None)
        self._tenders = tenders
        if provider is not None:
            self._feed(Start(provider.method, provider.amount))
            return
        self._saving = True
        self.entry.set_busy(True)
        self.entry.say(tr("money.pay.saving"))
        money, cart, grants = self._backend.money, self.cart, self.grants
        self._tasks.run_in_background(lambda: money.pay(cart, tenders, grants), self._done,
                                      self._failed, lane=Lane.WRITER, owner=self)

    def _done(self, result: SaleResult) -> None:
        self._saving = False
        self.entry.set_busy(False)
        self.paid.emit(result)
        self.accept()

    def _failed(self, exc: Exception) -> None:
        self._saving = False
        self.entry.set_busy(False)
        self.entry.say(describe_error(exc), error=True)
        QApplication.beep()
        self.entry.given.setFocus()

    # --- a provider charge ----------------------------------------------------------------
    def _run(self) -> None:
        """Start run ``self._wait.run``: pay with its own cancel event, on the pool; or,
        retrying a charge that was paid but not saved, commit it on the writer lane (the
        paid order is handed in, so nobody is charged twice)."""
        wait, cancel = self._wait, threading.Event()
        run, self._cancel = wait.run, cancel
        money, cart, grants, tenders = self._backend.money, self.cart, self.grants, self._tenders
        tasks = self._tasks

        def on_charge(view: ChargeState) -> None:  # on the worker thread: only hand over
            tasks.run_on_main(lambda: self._viewed(run, view))

        def committed(result: SaleResult) -> None:
            self._committed(run, result)

        def failed(exc: Exception) -> None:
            self._feed(Failed(run, describe_error(exc)))

        paid = wait.charge.order_id if wait.phase is Phase.SAVING and wait.charge else None
        if paid is not None:
            self._tasks.run_in_background(
                lambda: money.pay(cart, tenders, grants, paid_order=paid),
                committed, failed, lane=Lane.WRITER, owner=self)
            return
        self._tasks.run_in_background(
            lambda: money.pay(cart, tenders, grants, on_charge=on_charge, cancel=cancel),
            committed, failed, lane=Lane.POOL, owner=self)

    def _viewed(self, run: int, view: ChargeState) -> None:
        if shiboken6.isValid(self):  # a late view after the dialog was closed is moot
            self._feed(ChargeViewed(run, view))

    def _committed(self, run: int, result: SaleResult) -> None:
        self._feed(SaleCommitted(run))
        self.paid.emit(result)
        self.accept()

    def _feed(self, event: Event) -> None:
        old = self._wait
        new = self._wait = step(old, event)
        if new.cancel_requested:
            self._cancel.set()
        if new.run != old.run:
            self._run()
        if new.charge is not None and old.charge is None and new.charge.final is None:
            self.charge_shown.emit(new.charge)
        self._draw(old, new)

    def _draw(self, old: Wait, new: Wait) -> None:
        screen = new.screen
        self.charge_panel.draw(screen, new.charge)
        self.pages.setCurrentWidget(self.charge_panel if screen.charge_page else self.entry)
        self.entry.set_busy(new.running or new.phase is Phase.UNSAVED or self._saving)
        if new.phase is not Phase.WAITING:
            self._tick.stop()
        elif not self._tick.isActive():
            self._tick.start()
        if new.phase is old.phase:
            return
        if new.phase is Phase.ENDED and screen.back_message is not None:
            # The provider tender is dropped: the cashier takes cash or tries again.
            self.entry.drop_provider_tenders()
            self.entry.say(words(screen.back_message), error=True)
            self.entry.given.setFocus()
        elif new.phase is Phase.REFUSED and screen.back_error is not None:
            self.entry.say(screen.back_error, error=True)
            QApplication.beep()
            self.entry.given.setFocus()
        elif new.phase is Phase.UNSAVED and screen.error is not None:
            # Paid at Midtrans but not saved: the cashier retries (or, warned, leaves).
            self.refused.emit(screen.error)
            QApplication.beep()
        elif new.phase is Phase.LEFT:
            super().reject()

    # --- closing ----------------------------------------------------------------------
    def reject(self) -> None:
        """Esc: on the charge page it cancels the charge (never silently); a sale being
        written finishes first; else the dialog closes."""
        if self.charging:
            self._feed(CancelClicked())
            return
        if self._saving or self._wait.running:
            return
        self._tick.stop()
        super().reject()

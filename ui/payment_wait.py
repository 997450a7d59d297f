"""Waiting for a provider payment (QRIS, e-wallet, VA) at the till, as a small state machine.

Pure Python, no Qt: the pay dialog (``ui/pay.py``) feeds it what happens and draws what it
says, so every path through a charge is tested without a screen
(``tests/ui/test_payment_wait.py``).

The backend's ``money.pay`` is one blocking call per attempt (a *run*): it checks the whole
sale, charges, reports every charge view through ``on_charge``, honours a cancel event and
returns the committed sale or raises. The phases of one run::

    idle --start--> charging --view(open)--> waiting --view(paid)--> saving --committed--> paid
                       |                        |  \\--tick to 0 / cancel--> cancelling
                       \\--cancel--> cancelling   \\--view(expired, cancelled...)--> ended
    charging / waiting / cancelling --failed--> refused      saving --failed--> unsaved
    unsaved --retry--> saving;  unsaved --cancel, cancel again--> left

``ended`` and ``refused`` put the tender page back with the reason; ``paid`` and ``left``
close the dialog. A view of a run that is no longer the current one is ignored (a new run
may start while the old call is still unwinding), but a committed sale never is.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from typing import Final

from ui.backend_money import ChargeState

#: How long a charge is counted down when Midtrans gave no expiry, or one so short that
#: this PC's clock must be off (seconds).
DEFAULT_CHARGE_SECONDS: Final = 15 * 60
#: A fresh charge with less than this left means a wrong clock, not a hurried customer.
MIN_TRUSTED_SECONDS: Final = 60
#: How a charge ended, when it has words of its own (``money.pay.status.<final>``).
WORDED_FINALS: Final = frozenset({"expired", "cancelled", "denied", "failed", "not_sent",
                                  "rejected"})


class Phase(enum.Enum):
    IDLE = "idle"  # tender entry; no provider charge running
    CHARGING = "charging"  # the sale is checked and the charge asked for: nothing to show yet
    WAITING = "waiting"  # QR / VA / app link on screen, counting down
    CANCELLING = "cancelling"  # cancel asked (the event is set): the provider's answer awaited
    SAVING = "saving"  # paid at the provider: the sale is being written
    UNSAVED = "unsaved"  # paid, but writing the sale failed: retry, or leave after a warning
    PAID = "paid"  # the sale is committed: the dialog closes
    ENDED = "ended"  # the charge ended unpaid (expired, cancelled, denied...): back to tenders
    REFUSED = "refused"  # the run failed with nothing paid: back to tenders with why
    LEFT = "left"  # the cashier left a paid, unsaved charge (after the warning)


#: Phases that show the charge page (the others show the tenders, or close).
CHARGE_PAGE: Final = frozenset({Phase.CHARGING, Phase.WAITING, Phase.CANCELLING,
                                Phase.SAVING, Phase.UNSAVED})
#: Phases in which a ``pay`` call of the current run is still running.
RUNNING: Final = frozenset({Phase.CHARGING, Phase.WAITING, Phase.CANCELLING, Phase.SAVING})


# --- what the screen says: a message id and its values, worded by the dialog ------------

@dataclass(frozen=True, slots=True)
class Method:
    """A payment method's name (``money.method.<code>``)."""

    code: str


@dataclass(frozen=True, slots=True)
class Rupiah:
    amount: int


@dataclass(frozen=True, slots=True)
class Clock:
    """A countdown as mm:ss."""

    seconds: int


@dataclass(frozen=True, slots=True)
class Ending:
    """How a charge ended: worded (``money.pay.status.<final>``) or shown as it is."""

    final: str


@dataclass(frozen=True, slots=True)
class Text:
    """A message id (a ``tr()`` id) and its values; ``detail``: the provider's own words,
    shown as they are after it, in brackets."""

    key: str
    values: tuple[tuple[str, Method | Rupiah | Clock | Ending | str], ...] = ()
    detail: str | None = None


# --- events ----------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Start:
    """The tenders hold a provider payment: a new run of ``pay`` starts."""

    method: str
    amount: int


@dataclass(frozen=True, slots=True)
class ChargeViewed:
    """``on_charge`` reported a view of run ``run``'s charge."""

    run: int
    view: ChargeState


@dataclass(frozen=True, slots=True)
class CancelClicked:
    """The cancel button or Esc on the charge page."""


@dataclass(frozen=True, slots=True)
class Tick:
    """One second passed."""


@dataclass(frozen=True, slots=True)
class SaleCommitted:
    """``pay`` returned: the sale is written (whatever run it came from)."""

    run: int


@dataclass(frozen=True, slots=True)
class Failed:
    """``pay`` of run ``run`` raised; ``message``: what the person reads."""

    run: int
    message: str


@dataclass(frozen=True, slots=True)
class RetryClicked:
    """Paid but not saved: write the sale again."""


Event = Start | ChargeViewed | CancelClicked | Tick | SaleCommitted | Failed | RetryClicked


# --- the state -------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Screen:
    """What the dialog draws for a state."""

    charge_page: bool
    title: Text | None  # the charge page's heading
    error: str | None  # the charge page: why the sale is not saved yet (service's words)
    status: Text | None  # the charge page's status line, under ``error``
    countdown: Text | None
    cancel_enabled: bool
    retry_visible: bool
    back_message: Text | None  # said on the tender page after ``ended``
    back_error: str | None  # said on the tender page after ``refused`` (service's words)
    closes: bool  # paid or left: the dialog closes


@dataclass(frozen=True, slots=True)
class Wait:
    phase: Phase = Phase.IDLE
    run: int = 0  # the current run; events of earlier ones are stale
    method: str | None = None  # the provider tender of the current run
    amount: int = 0
    charge: ChargeState | None = None  # the latest view of the current run's charge
    seconds_left: int | None = None  # the countdown, once a charge is on screen
    cancel_requested: bool = False  # the run's cancel event must be set
    leave_armed: bool = False  # unsaved: the next cancel leaves
    error: str | None = None  # the last failure's words

    @property
    def running(self) -> bool:
        return self.phase in RUNNING

    @property
    def screen(self) -> Screen:
        return Screen(
            charge_page=self.phase in CHARGE_PAGE,
            title=self._title(),
            error=self.error if self.phase is Phase.UNSAVED else None,
            status=self._status(),
            countdown=(Text("money.pay.waiting", (("time", Clock(self.seconds_left)),))
                       if self.seconds_left is not None and self.phase in (
                           Phase.WAITING, Phase.CANCELLING) else None),
            cancel_enabled=self.phase in (Phase.CHARGING, Phase.WAITING),
            retry_visible=self.phase is Phase.UNSAVED,
            back_message=self._back_message(),
            back_error=self.error if self.phase is Phase.REFUSED else None,
            closes=self.phase in (Phase.PAID, Phase.LEFT))

    def _title(self) -> Text | None:
        view = self.charge
        if self.method is None:
            return None
        if view is None:
            return Text("money.pay.charging", (("method", Method(self.method)),
                                               ("amount", Rupiah(self.amount))))
        if view.va_number:
            return Text("money.pay.transfer_va", (("bank", Method(view.method)),))
        if view.method == "qris":
            return Text("money.pay.scan_qr", (("method", Method(view.method)),
                                              ("amount", Rupiah(view.amount))))
        return Text("money.pay.open_app", (("method", Method(view.method)),))

    def _status(self) -> Text | None:
        if self.phase is Phase.CANCELLING:
            return Text("money.pay.cancelling")
        if self.phase is Phase.SAVING:
            return Text("money.pay.paid_saving")
        if self.phase is Phase.UNSAVED and self.leave_armed:
            return Text("money.pay.leave_paid")
        return None

    def _back_message(self) -> Text | None:
        if self.phase is Phase.ENDED and self.charge is not None \
                and self.charge.final is not None:
            final = self.charge.final
            message = self.charge.message if final != "cancelled" else None
            return Text("money.pay.ended", (("method", Method(self.charge.method)),
                                            ("status", Ending(final))), detail=message)
        return None


def step(state: Wait, event: Event) -> Wait:
    """The state after ``event``. Pure: the dialog does what the new state says (sets the
    cancel event, draws the screen, closes)."""
    if isinstance(event, SaleCommitted):
        # Never ignored, whatever the run or phase: a written sale must not be sold again.
        return replace(state, phase=Phase.PAID, cancel_requested=False, leave_armed=False)
    if isinstance(event, Start):
        if state.running or state.phase in (Phase.UNSAVED, Phase.PAID, Phase.LEFT):
            return state  # one charge at a time; a paid one is saved or left first
        return Wait(phase=Phase.CHARGING, run=state.run + 1, method=event.method,
                    amount=event.amount)
    if isinstance(event, ChargeViewed):
        if event.run != state.run or not state.running:
            return state  # a late view of a run that is over
        return _viewed(state, event.view)
    if isinstance(event, Failed):
        if event.run != state.run:
            return state
        return _failed(state, event.message)
    if isinstance(event, CancelClicked):
        return _cancel(state)
    if isinstance(event, Tick):
        if state.phase is not Phase.WAITING or state.seconds_left is None:
            return state
        left = max(0, state.seconds_left - 1)
        if left == 0:  # nobody waits for a charge past its time
            return replace(state, phase=Phase.CANCELLING, seconds_left=0,
                           cancel_requested=True)
        return replace(state, seconds_left=left)
    if isinstance(event, RetryClicked):
        if state.phase is not Phase.UNSAVED:
            return state
        return replace(state, phase=Phase.SAVING, run=state.run + 1, leave_armed=False,
                       error=None)
    raise TypeError(f"not an event: {event!r}")


def _viewed(state: Wait, view: ChargeState) -> Wait:
    if view.final == "paid":
        # Paid, even after a cancel was asked: the payment stands and the sale completes.
        return replace(state, phase=Phase.SAVING, charge=view, cancel_requested=False)
    if view.final is not None:
        return replace(state, phase=Phase.ENDED, charge=view)
    seconds = state.seconds_left
    if seconds is None:
        left = view.seconds_left
        seconds = left if left is not None and left >= MIN_TRUSTED_SECONDS \
            else DEFAULT_CHARGE_SECONDS
    phase = Phase.CANCELLING if state.phase is Phase.CANCELLING else Phase.WAITING
    return replace(state, phase=phase, charge=view, seconds_left=seconds)


def _failed(state: Wait, message: str) -> Wait:
    if state.phase is Phase.SAVING:
        return replace(state, phase=Phase.UNSAVED, error=message, leave_armed=False)
    if state.phase is Phase.ENDED:
        return replace(state, error=message)  # the ending already says why
    if state.running:
        return replace(state, phase=Phase.REFUSED, error=message, cancel_requested=False)
    return state


def _cancel(state: Wait) -> Wait:
    if state.phase in (Phase.CHARGING, Phase.WAITING):
        return replace(state, phase=Phase.CANCELLING, cancel_requested=True)
    if state.phase is Phase.UNSAVED:
        # Paid but not saved: leaving needs a second press, after reading what it means
        # (the paid charge stays on record for the sync panel).
        if state.leave_armed:
            return replace(state, phase=Phase.LEFT)
        return replace(state, leave_armed=True)
    return state  # cancelling or saving already; or nothing to cancel


__all__ = ["CHARGE_PAGE", "DEFAULT_CHARGE_SECONDS", "CancelClicked", "ChargeViewed", "Clock",
           "Ending", "Event", "Failed", "Method", "Phase", "RUNNING", "Rupiah",
           "RetryClicked", "SaleCommitted", "Screen", "Start", "Text", "Tick", "WORDED_FINALS", "Wait", "step"]

"""The provider-payment waiting state machine (ui/payment_wait.py), without Qt: every
transition, the screen each state draws, and that the module imports no PySide6."""

from __future__ import annotations

import subprocess
import sys

import pytest

from ui.backend_money import ChargeState
from ui.payment_wait import (
    DEFAULT_CHARGE_SECONDS,
    CancelClicked,
    ChargeViewed,
    Clock,
    Ending,
    Event,
    Failed,
    Method,
    Phase,
    RetryClicked,
    Rupiah,
    SaleCommitted,
    Start,
    Text,
    Tick,
    Wait,
    step,
)

QR = ((True, False), (False, True))


def view(final: str | None = None, *, seconds: int | None = 900, method: str = "qris",
         amount: int = 7_000, va: str | None = None, message: str | None = None) -> ChargeState:
    return ChargeState(order_id="ord-1", method=method, amount=amount, final=final,
                       qr_matrix=QR if method == "qris" else (), va_bank=None,
                       va_number=va, deeplink_url=None, seconds_left=seconds,
                       message=message)


def run(*events: Event, state: Wait | None = None) -> Wait:
    s = state if state is not None else Wait()
    for event in events:
        s = step(s, event)
    return s


START = Start("qris", 7_000)


def waiting(seconds: int = 900) -> Wait:
    return run(START, ChargeViewed(1, view(seconds=seconds)))


# --- the module is pure -----------------------------------------------------------------

def test_the_state_machine_imports_no_qt() -> None:
    code = ("import sys, ui.payment_wait; "
            "sys.exit(any(m.split('.')[0] == 'PySide6' for m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


# --- idle -> charging -> waiting ----------------------------------------------------------

def test_idle_shows_the_tenders() -> None:
    s = Wait()
    assert s.phase is Phase.IDLE and not s.running
    screen = s.screen
    assert not screen.charge_page and not screen.closes and screen.title is None
    assert screen.back_message is None and screen.back_error is None


def test_start_charges_and_shows_the_charge_page_with_cancel() -> None:
    s = run(START)
    assert s.phase is Phase.CHARGING and s.run == 1 and s.running
    screen = s.screen
    assert screen.charge_page and screen.cancel_enabled and not screen.retry_visible
    assert screen.title == Text("money.pay.charging", (("method", Method("qris")),
                                                       ("amount", Rupiah(7_000))))
    assert screen.status is None and screen.countdown is None


def test_a_second_start_while_running_is_ignored() -> None:
    s = run(START)
    assert step(s, Start("gopay", 1_000)) == s
    w = waiting()
    assert step(w, START) == w


def test_an_open_view_shows_the_qr_and_counts_down() -> None:
    s = waiting(seconds=600)
    assert s.phase is Phase.WAITING and s.seconds_left == 600 and s.charge is not None
    screen = s.screen
    assert screen.title == Text("money.pay.scan_qr", (("method", Method("qris")),
                                                      ("amount", Rupiah(7_000))))
    assert screen.countdown == Text("money.pay.waiting", (("time", Clock(600)),))
    assert screen.cancel_enabled and screen.charge_page


def test_a_va_view_shows_the_account_number_title() -> None:
    s = run(Start("va_bni", 10_000),
            ChargeViewed(1, view(method="va_bni", amount=10_000, va="8808123")))
    assert s.screen.title == Text("money.pay.transfer_va", (("bank", Method("va_bni")),))


def test_an_e_wallet_view_says_open_the_app() -> None:
    s = run(Start("gopay", 7_000), ChargeViewed(1, view(method="gopay")))
    assert s.screen.title == Text("money.pay.open_app", (("method", Method("gopay")),))


@pytest.mark.parametrize("seconds", [None, 0, 59])
def test_no_or_a_too_short_expiry_counts_the_usual_time(seconds: int | None) -> None:
    # A fresh charge with (nearly) no time left means this PC's clock is off.
    s = run(START, ChargeViewed(1, view(seconds=seconds)))
    assert s.phase is Phase.WAITING and s.seconds_left == DEFAULT_CHARGE_SECONDS


def test_later_views_keep_the_countdown_and_update_the_charge() -> None:
    s = run(Tick(), Tick(), state=waiting(600))
    later = view(seconds=900, message="still pending")
    s = step(s, ChargeViewed(1, later))
    assert s.phase is Phase.WAITING and s.seconds_left == 598 and s.charge == later


# --- ticks and expiry ------------------------------------------------------------------

def test_a_tick_counts_down_one_second() -> None:
    assert step(waiting(600), Tick()).seconds_left == 599


def test_ticks_outside_waiting_change_nothing() -> None:
    for s in (Wait(), run(START), run(CancelClicked(), state=waiting())):
        assert step(s, Tick()) == s


def test_the_countdown_reaching_zero_cancels_the_charge() -> None:
    s = waiting(60)
    for _ in range(59):
        s = step(s, Tick())
    assert s.phase is Phase.WAITING and s.seconds_left == 1 and not s.cancel_requested
    s = step(s, Tick())
    assert s.phase is Phase.CANCELLING and s.cancel_requested and s.seconds_left == 0
    assert s.screen.status == Text("money.pay.cancelling")
    assert not s.screen.cancel_enabled


def test_expired_at_the_provider_goes_back_to_the_tenders() -> None:
    s = step(waiting(), ChargeViewed(1, view("expired", message="no payment")))
    assert s.phase is Phase.ENDED and not s.running
    screen = s.screen
    assert not screen.charge_page and not screen.closes
    assert screen.back_message == Text("money.pay.ended", (("method", Method("qris")),
                                                           ("status", Ending("expired"))),
                                       detail="no payment")


# --- cancelling ---------------------------------------------------------------------------

def test_cancel_while_waiting_asks_the_provider_to_cancel() -> None:
    s = step(waiting(), CancelClicked())
    assert s.phase is Phase.CANCELLING and s.cancel_requested and s.running
    screen = s.screen
    assert screen.charge_page and not screen.cancel_enabled
    assert screen.status == Text("money.pay.cancelling")


def test_cancel_while_charging_is_asked_at_once_and_the_view_does_not_undo_it() -> None:
    s = run(START, CancelClicked())
    assert s.phase is Phase.CANCELLING and s.cancel_requested
    assert s.screen.status == Text("money.pay.cancelling")
    s = step(s, ChargeViewed(1, view()))  # the QR arrives after the cancel was asked
    assert s.phase is Phase.CANCELLING and s.cancel_requested and s.charge is not None
    s = step(s, ChargeViewed(1, view("cancelled", message="cancelled by the till")))
    assert s.phase is Phase.ENDED
    back = s.screen.back_message
    assert back is not None and back.detail is None  # "cancelled" says it all
    assert ("status", Ending("cancelled")) in back.values


def test_cancel_twice_is_one_cancel() -> None:
    s = run(CancelClicked(), state=waiting())
    assert step(s, CancelClicked()) == s


def test_cancel_with_nothing_running_changes_nothing() -> None:
    for s in (Wait(), step(waiting(), ChargeViewed(1, view("expired")))):
        assert step(s, CancelClicked()) == s


def test_paid_after_cancel_was_requested_stands_and_the_sale_is_saved() -> None:
    s = run(CancelClicked(), ChargeViewed(1, view("paid")), state=waiting())
    assert s.phase is Phase.SAVING and not s.cancel_requested
    assert s.screen.status == Text("money.pay.paid_saving")
    assert not s.screen.cancel_enabled
    s = step(s, SaleCommitted(1))
    assert s.phase is Phase.PAID and s.screen.closes


def test_sale_committed_while_cancelling_without_a_paid_view_still_closes() -> None:
    s = run(CancelClicked(), SaleCommitted(1), state=waiting())
    assert s.phase is Phase.PAID and s.screen.closes


def test_failed_while_cancelling_goes_back_with_the_reason() -> None:
    s = run(CancelClicked(), Failed(1, "charge cancelled"), state=waiting())
    assert s.phase is Phase.REFUSED and not s.cancel_requested
    assert s.screen.back_error == "charge cancelled" and not s.screen.charge_page


# --- paid -------------------------------------------------------------------------------

def test_paid_then_committed_closes_the_dialog() -> None:
    s = step(waiting(), ChargeViewed(1, view("paid")))
    assert s.phase is Phase.SAVING and s.running and s.screen.charge_page
    assert s.screen.countdown is None
    s = step(s, SaleCommitted(1))
    assert s.phase is Phase.PAID and not s.running and s.screen.closes


def test_a_committed_sale_is_never_stale() -> None:
    s = run(ChargeViewed(1, view("expired")), START, state=waiting())
    assert s.run == 2 and s.phase is Phase.CHARGING
    assert step(s, SaleCommitted(1)).phase is Phase.PAID


# --- errors ------------------------------------------------------------------------------

def test_refused_before_any_charge_goes_back_with_the_services_words() -> None:
    s = run(START, Failed(1, "kasbon limit of Bu Rina exceeded"))
    assert s.phase is Phase.REFUSED and not s.running
    screen = s.screen
    assert not screen.charge_page and screen.back_error == "kasbon limit of Bu Rina exceeded"
    assert screen.back_message is None


def test_an_error_after_a_charge_was_shown_goes_back_to_the_tenders() -> None:
    s = step(waiting(), Failed(1, "Midtrans did not answer"))
    assert s.phase is Phase.REFUSED and s.screen.back_error == "Midtrans did not answer"
    assert not s.screen.charge_page


def test_the_error_after_an_ending_keeps_the_ending() -> None:
    ended = step(waiting(), ChargeViewed(1, view("denied", message="card denied")))
    s = step(ended, Failed(1, "the charge was denied"))
    assert s.phase is Phase.ENDED and s.screen.back_message == ended.screen.back_message


def test_not_sent_says_the_providers_words() -> None:
    s = run(START, ChargeViewed(1, view("not_sent", seconds=None,
                                        message="Midtrans is not answering: take cash")))
    back = s.screen.back_message
    assert s.phase is Phase.ENDED and back is not None
    assert back.detail == "Midtrans is not answering: take cash"


def test_events_of_an_earlier_run_are_ignored() -> None:
    s = run(ChargeViewed(1, view("expired")), START, state=waiting())
    assert step(s, Failed(1, "late")) == s
    assert step(s, ChargeViewed(1, view())) == s
    assert step(s, ChargeViewed(2, view())).phase is Phase.WAITING


def test_a_view_after_the_run_is_over_is_ignored() -> None:
    s = run(START, Failed(1, "refused"))
    assert step(s, ChargeViewed(1, view())) == s
    assert step(Wait(), Failed(0, "nothing running")) == Wait()


# --- paid but not saved ------------------------------------------------------------------

def unsaved() -> Wait:
    return run(ChargeViewed(1, view("paid")), Failed(1, "no shift is open"), state=waiting())


def test_paid_but_not_saved_offers_a_retry_and_shows_why() -> None:
    s = unsaved()
    assert s.phase is Phase.UNSAVED and not s.running
    screen = s.screen
    assert screen.charge_page and screen.retry_visible and not screen.cancel_enabled
    assert screen.error == "no shift is open" and screen.status is None


def test_a_new_start_cannot_replace_a_paid_unsaved_charge() -> None:
    assert step(unsaved(), START) == unsaved()


def test_leaving_a_paid_unsaved_charge_takes_two_presses() -> None:
    s = step(unsaved(), CancelClicked())
    assert s.phase is Phase.UNSAVED and s.leave_armed and not s.screen.closes
    assert s.screen.status == Text("money.pay.leave_paid")
    assert s.screen.error == "no shift is open"
    s = step(s, CancelClicked())
    assert s.phase is Phase.LEFT and s.screen.closes and not s.screen.charge_page


def test_retry_saves_again_as_a_new_run() -> None:
    s = run(CancelClicked(), RetryClicked(), state=unsaved())
    assert s.phase is Phase.SAVING and s.run == 2 and not s.leave_armed and s.error is None
    assert s.screen.status == Text("money.pay.paid_saving")
    assert step(s, Failed(1, "stale")) == s
    again = step(s, Failed(2, "still no shift"))
    assert again.phase is Phase.UNSAVED and again.screen.error == "still no shift"
    assert step(s, SaleCommitted(2)).phase is Phase.PAID


def test_retry_outside_unsaved_changes_nothing() -> None:
    for s in (Wait(), waiting(), run(START)):
        assert step(s, RetryClicked()) == s


def test_after_paid_nothing_but_a_commit_moves() -> None:
    done = run(ChargeViewed(1, view("paid")), SaleCommitted(1), state=waiting())
    for event in (START, CancelClicked(), Tick(), RetryClicked(), Failed(1, "x"),
                  ChargeViewed(1, view())):
        assert step(done, event) == done


def test_a_new_run_after_an_ending_starts_clean() -> None:
    s = run(ChargeViewed(1, view("expired")), Start("gopay", 5_000), state=waiting())
    assert s == Wait(phase=Phase.CHARGING, run=2, method="gopay", amount=5_000)


def test_not_an_event_is_a_bug() -> None:
    with pytest.raises(TypeError):
        step(Wait(), object())  # type: ignore[arg-type]

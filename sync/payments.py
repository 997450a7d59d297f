"""The till's side of a customer-present payment: charge, show the QR/VA, poll, cancel.

Runs on a network thread (never the Qt main thread), with its own units of work. Every
answer from Midtrans is recorded on the charge's job row before the till acts on it, so a
crash at any point leaves a row that tells the dispatcher what to ask Midtrans.

Rules from the reference (providers.md, Midtrans):
- decide from the body status_code (the client does);
- a timeout or dropped connection after sending is *unknown*: ask ``GET /v2/{id}/status``
  before any new charge; a 404 there means Midtrans never saw it, so the same order_id may
  be sent again (a 406 then means it arrived meanwhile: look it up);
- paid means ``settlement``, or ``capture`` with fraud accept;
- a charge is never queued to run without the customer: when the till gives up, it cancels.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

from local_db.engine import Database
from local_db.uow import UnitOfWork
from services.payments import (
    ChargeAttempt,
    ChargeView,
    begin_charge,
    record_reply,
    view_charge,
)
from services.users import Actor
from sync.midtrans.client import MidtransClient, MidtransReply

FINAL_OF_STATUS = {"expire": "expired", "cancel": "cancelled", "deny": "denied",
                   "failure": "failed"}


def reply_fields(reply: MidtransReply) -> dict[str, Any]:
    """What of a reply is worth keeping on the job row (never headers, never the key)."""
    return {"transaction_status": reply.transaction_status, "fraud_status": reply.fraud_status,
            "gross_amount": reply.gross_amount, "transaction_id": reply.transaction_id,
            "qr_string": reply.qr_string, "qr_url": reply.qr_url, "va_bank": reply.va_bank,
            "va_number": reply.va_number, "deeplink_url": reply.deeplink_url,
            "expiry_time": reply.expiry_time, "status_code": reply.status_code,
            "message": reply.message}


def final_of(reply: MidtransReply) -> str | None:
    if reply.paid:
        return "paid"
    return FINAL_OF_STATUS.get(reply.transaction_status or "")


class TillPayments:
    def __init__(self, db: Database, client: MidtransClient, *, charge_tries: int = 3,
                 poll_seconds: float = 1.0, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._db = db
        self._client = client
        self._tries = charge_tries
        self._poll = poll_seconds
        self._sleep = sleep
        self._clock = clock

    # -- recording ---------------------------------------------------------------------

    def _record(self, order_id: str, fields: Mapping[str, Any], *, final: str | None = None,
                error: str | None = None, attention: bool = False) -> ChargeView:
        with UnitOfWork(self._db) as uow:
            return record_reply(uow, order_id, fields, final=final, error=error,
                                needs_attention=attention)

    def view(self, order_id: str) -> ChargeView:
        with UnitOfWork(self._db, write=False) as uow:
            return view_charge(uow.conn, order_id)

    # -- the till's calls --------------------------------------------------------------

    def start(self, actor: Actor, method: str, amount: int) -> ChargeView:
        """Record the attempt, then charge. Returns with a QR/VA to show, or a final answer."""
        with UnitOfWork(self._db) as uow:
            attempt = begin_charge(uow, actor, method, amount)
        return self._charge(attempt)

    def _charge(self, attempt: ChargeAttempt) -> ChargeView:
        last: MidtransReply | None = None
        for n in range(self._tries):
            reply = self._client.charge(order_id=attempt.order_id, amount=attempt.amount,
                                        method=attempt.method,
                                        idempotency_key=attempt.charge_key)
            last = reply
            if reply.outcome == "ok":
                return self._record(attempt.order_id, reply_fields(reply), final=final_of(reply))
            if reply.outcome == "exists":
                # An earlier send of ours got through (its reply was lost): look it up.
                return self.refresh(attempt.order_id)
            if reply.outcome == "rejected":
                return self._record(attempt.order_id, reply_fields(reply), final="rejected",
                                    error=reply.message)
            if reply.outcome == "unknown":
                found = self.refresh(attempt.order_id)
                if found.transaction_status is not None or found.final is not None:
                    return found
                # 404 at status: Midtrans never saw it; sending the same order_id is safe.
            if n + 1 < self._tries:
                self._sleep(min(5.0, reply.retry_after or 0.5 * 2 ** n))
        # Out of tries. Make sure nothing was created before telling the cashier "take cash".
        found = self.refresh(attempt.order_id)
        if found.transaction_status is not None or found.final is not None:
            return found
        message = last.message if last is not None else "no answer"
        return self._record(attempt.order_id, {"message": message}, final="not_sent",
                            error=f"Midtrans could not take the charge ({message}); "
                                  "take cash or kasbon")

    def refresh(self, order_id: str) -> ChargeView:
        """Ask Midtrans for the charge's status and record it."""
        return self._look_up(order_id)[0]

    def _look_up(self, order_id: str) -> tuple[ChargeView, bool]:
        """The recorded view, and whether Midtrans gave an answer (not 429/5xx/timeout)."""
        reply = self._client.status(order_id)
        if reply.outcome == "ok":
            return self._record(order_id, reply_fields(reply), final=final_of(reply)), True
        if reply.outcome == "not_found":
            return self.view(order_id), True
        # retry / unknown / rejected: nothing learnt; keep the lease and the last message.
        return self._record(order_id, {"message": reply.message}), False

    def wait(self, order_id: str, timeout: float, *,
             on_view: Callable[[ChargeView], None] | None = None,
             cancelled: Callable[[], bool] = lambda: False) -> ChargeView:
        """Poll until the customer has paid, the charge ended, ``cancelled()`` says the
        cashier gave up, or ``timeout`` passed (then cancel: a charge nobody waits for must
        not stay payable). ``on_view`` sees every new view (the QR's countdown, "paid")."""
        deadline = self._clock() + timeout
        view = self.view(order_id)
        pause = self._poll
        while view.final is None:
            if cancelled() or self._clock() >= deadline:
                view = self.cancel(order_id)
                break
            self._sleep(min(pause, max(0.0, deadline - self._clock())))
            if cancelled():
                continue  # cancel now rather than after one more status request
            view, answered = self._look_up(order_id)
            if on_view is not None:
                on_view(view)
            # Back off while Midtrans does not answer (429, 5xx, timeouts), up to 10 s;
            # back to the normal pace as soon as it answers again.
            pause = self._poll if answered else min(10.0, max(pause * 2, 0.25))
        return view

    def cancel(self, order_id: str) -> ChargeView:
        """Cancel a pending charge from the till. A charge that was paid meanwhile stays
        paid (412 on cancel): the status says so and the sale can complete."""
        view = self.view(order_id)
        if view.final is not None:
            return view
        reply = self._client.cancel(order_id)
        if reply.outcome == "ok":
            return self._record(order_id, reply_fields(reply),
                                final=final_of(reply) or "cancelled")
        if reply.outcome == "not_found":
            return self._record(order_id, {"message": reply.message}, final="not_sent")
        view = self.refresh(order_id)
        if view.final is None:
            # Still pending and not cancellable now: expire it, the other way to end it.
            expired = self._client.expire(order_id)
            if expired.outcome == "ok":
                return self._record(order_id, reply_fields(expired),
                                    final=final_of(expired) or "expired")
        return view

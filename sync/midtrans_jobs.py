"""Dispatcher handlers for Midtrans jobs.

Charge jobs reach the dispatcher only when the till that performed them stopped renewing
its lease (closed, crashed, or gave up without an answer). The customer is gone, so the
handler never charges: it asks Midtrans what happened, cancels a charge still waiting for
payment, and flags a charge that was paid but taken by no sale, for a person to refund.

Refund jobs are queued by the refund use case. Each carries a ``refund_key``: Midtrans
treats a repeated key as the same refund (for 7 days), so re-sending after an unknown
outcome cannot refund twice — but a status look-up comes first anyway.
"""

from __future__ import annotations

from typing import Any

from local_db.engine import Database
from local_db.uow import UnitOfWork
from services.payments import sale_took_payment
from sync.jobs.model import Job, JobOutcome
from sync.midtrans.client import MidtransClient, MidtransReply
from sync.payments import final_of, reply_fields

#: How soon to look again at something that should settle by itself shortly.
SOON = 30.0


def _not_now(reply: MidtransReply) -> JobOutcome:
    """A retry/unknown/rejected answer as a job outcome (a value, never raised)."""
    if reply.outcome == "unknown":
        return JobOutcome("unknown", error=reply.message)
    if reply.outcome == "rejected" and reply.status_code in ("401", "402"):
        return JobOutcome("failed", error=f"Midtrans refused the credentials: {reply.message}")
    return JobOutcome("retry", error=reply.message, retry_after=reply.retry_after)


class ChargeJobHandler:
    def __init__(self, db: Database, client: MidtransClient) -> None:
        self._db = db
        self._client = client

    def perform(self, job: Job) -> JobOutcome:
        return self.resolve(job)  # never charge without the customer: only ever look up

    def resolve(self, job: Job) -> JobOutcome:
        order_id = str(job.payload["order_id"])
        before: dict[str, Any] = dict(job.result or {})
        reply = self._client.status(order_id)
        if reply.outcome == "not_found":
            return JobOutcome("succeeded", result={**before, "final": "not_sent"})
        if reply.outcome != "ok":
            return _not_now(reply)
        result = {**before, **{k: v for k, v in reply_fields(reply).items() if v is not None}}
        final = final_of(reply)
        if final == "paid":
            with UnitOfWork(self._db, write=False) as uow:
                sold = sale_took_payment(uow.conn, order_id)
            if sold:
                return JobOutcome("succeeded", result={**result, "final": "paid"})
            return JobOutcome("failed", result={**result, "final": "paid"}, error=(
                "paid at Midtrans but no sale took the money: refund it, or ring the sale "
                "up again with this payment"))
        if final is not None:
            return JobOutcome("succeeded", result={**result, "final": final})
        # Still pending and nobody is at the till for it: cancel, so it cannot be paid later.
        cancelled = self._client.cancel(order_id)
        if cancelled.outcome == "ok":
            return JobOutcome("succeeded", result={**result, **reply_fields(cancelled),
                                                   "final": final_of(cancelled) or "cancelled"})
        if cancelled.outcome == "rejected":
            # 412: it can no longer be modified, most likely paid this very moment.
            return JobOutcome("retry", result=result, error=cancelled.message, retry_after=SOON)
        return _not_now(cancelled)


class RefundJobHandler:
    def __init__(self, client: MidtransClient) -> None:
        self._client = client

    def _send(self, job: Job) -> JobOutcome:
        p = job.payload
        reply = self._client.refund(str(p["order_id"]), refund_key=str(p["refund_key"]),
                                    amount=int(p["amount"]), reason=p.get("reason"))
        if reply.outcome == "ok":
            return JobOutcome("succeeded", result=reply_fields(reply)
                              | {"refund_amount": reply.refund_amount})
        if reply.outcome == "exists":
            return self._look_up(job, reply)
        if reply.outcome == "rejected":
            return JobOutcome("failed", result=reply_fields(reply),
                              error=f"Midtrans refused the refund: {reply.message}")
        return _not_now(reply)

    def _look_up(self, job: Job, fallback: MidtransReply) -> JobOutcome:
        status = self._client.status(str(job.payload["order_id"]))
        if status.outcome != "ok":
            return _not_now(status)
        refunds = status.body.get("refunds") or []
        if any(r.get("refund_key") == job.payload["refund_key"] for r in refunds
               if isinstance(r, dict)):
            return JobOutcome("succeeded", result=reply_fields(status)
                              | {"refund_amount": status.refund_amount})
        return JobOutcome("failed", result=reply_fields(fallback),
                          error=f"Midtrans refused the refund: {fallback.message}")

    def perform(self, job: Job) -> JobOutcome:
        return self._send(job)

    def resolve(self, job: Job) -> JobOutcome:
        """Outcome unknown: if Midtrans lists our refund_key, it is done; otherwise send
        again with the same key (Midtrans's own idempotent retry)."""
        status = self._client.status(str(job.payload["order_id"]))
        if status.outcome == "ok":
            refunds = status.body.get("refunds") or []
            if any(r.get("refund_key") == job.payload["refund_key"] for r in refunds
                   if isinstance(r, dict)):
                return JobOutcome("succeeded", result=reply_fields(status)
                                  | {"refund_amount": status.refund_amount})
        elif status.outcome != "not_found":
            return _not_now(status)
        return self._send(job)

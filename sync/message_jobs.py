"""Dispatcher handlers for message jobs: (sendgrid, email), (twilio, sms|whatsapp), (fcm, push).

A handler reads its job's message rows through ``services.messaging_outgoing`` (decrypting
with the cipher it was given: job payloads hold ids only), sends through the port
(``services.message_port``), writes each recipient's :class:`Delivery` onto its row in a
short transaction of its own, and returns a :class:`JobOutcome` for the dispatcher to store.
The delivery is written *before* the outcome: a worker that dies between the two leaves a
row that already names the provider's id, and the resolve that follows finds it there and
never sends again.

At least once, never blindly twice (the written rule; services/messaging.py says it too):

- **Twilio**: after an unknown outcome, :meth:`TextSender.find_sent` asks Twilio for a
  message to the same number with the same body/template since the job was made; found: it
  is ours (its sid recorded and polled); not found: send now. After a send the status is
  polled by sid (``fetch``) at growing intervals until delivered, read, failed or
  undelivered, or :data:`POLL_SECONDS` runs out. WhatsApp's 63016 (free text outside the
  24-hour window) fails the message with :data:`TEMPLATE_NEEDED`.
- **SendGrid** (no look-up): a single-recipient transactional or alert email (a receipt) is
  sent again once after an unknown outcome (at least once; the ``message_id`` custom arg
  lets the event log drop a duplicate); a second unknown leaves it ``unknown`` for a person.
  A bulk email (more than one recipient, or marketing) is never sent again after an
  unknown outcome: its rows become ``unknown`` and the job dead, for a person.
- **FCM** (no look-up): sent again; the collapse key is our message id, so the device
  shows the notification once. A dead token (UNREGISTERED, SENDER_ID_MISMATCH, an invalid
  token) is deactivated in the registry and the message ``rejected``.

429, 20429 and QUOTA_EXCEEDED are ``retry`` with the provider's wait; the clients decide
what is safe to repeat (for Twilio only 429 and 5xx-before-sending).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy import Connection

from local_db.engine import Database
from local_db.ids import now_iso
from local_db.uow import UnitOfWork
from services.crypto import FieldCipher
from services.device_tokens import deactivate_token
from services.message_port import (
    Attachment,
    Delivery,
    EmailSender,
    PushSender,
    SendReply,
    TextOut,
    TextSender,
)
from services.messaging_outgoing import (
    EmailJob,
    NotSendable,
    device_token_of,
    email_out,
    mark_messages,
    push_out,
    record_deliveries,
    settle_dead_jobs,
    text_out,
)
from services.messaging_rows import message_row
from sync.jobs.model import Job, JobOutcome
from sync.jobs.ratelimit import TokenBucket

log = logging.getLogger(__name__)

T = TypeVar("T")

#: Waits between status polls of a Twilio message (then the job ends, the row as it is).
POLL_SECONDS: tuple[float, ...] = (5.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0)
#: How long a status poll waits when polls are paced (Twilio limits fetches too).
PACED_POLL = 1.0
#: How long a job waits when a setting it needs is missing (a person must fill it in).
SETUP_WAIT = 300.0
TEMPLATE_NEEDED = ("WhatsApp refused free text outside the 24-hour window (63016): an "
                   "approved template is needed; set messaging.twilio.template.<template>."
                   "<locale> to its ContentSid")
SENDGRID_RULE = ("outcome unknown and SendGrid has no look-up: not sent again (nobody twice); "
                 "check the SendGrid activity feed")
SENDGRID_RESENT = ("outcome unknown after one resend; SendGrid has no look-up: check the "
                   "SendGrid activity feed")
#: Per-recipient statuses after which nothing more is polled.
_DONE = frozenset({"delivered", "read", "failed", "rejected"})

#: The PDF of a receipt for an email: (ref_type, ref_id, locale) -> attachments. PDF
#: rendering lives in app (reportlab only there): app.message_wiring injects it.
AttachmentSource = Callable[[str, str, str], Sequence[Attachment]]


class _Rows:
    """Short transactions on the shop's database, one per call."""

    def __init__(self, db: Database, cipher: FieldCipher, provider: str) -> None:
        self._db = db
        self.cipher = cipher
        self._provider = provider

    def read(self, fn: Callable[[Connection], T]) -> T:
        with UnitOfWork(self._db, write=False) as uow:
            return fn(uow.conn)

    def write(self, fn: Callable[[Connection], T]) -> T:
        with UnitOfWork(self._db) as uow:
            value = fn(uow.conn)
            uow.commit()
            return value

    def record(self, deliveries: Sequence[Delivery]) -> None:
        now = now_iso()

        def go(conn: Connection) -> None:
            record_deliveries(conn, deliveries, now)
            settle_dead_jobs(conn, self._provider, now)
        self.write(go)

    def mark(self, ids: Sequence[str], status: str, error: str | None) -> None:
        now = now_iso()
        self.write(lambda conn: mark_messages(conn, ids, status, error, now))


def _ours(deliveries: Sequence[Delivery], message_id: str) -> tuple[Delivery, ...]:
    """Deliveries carrying our message id (a fetch by sid leaves it empty), a 63016 failure
    saying what to do about it."""
    out = []
    for d in deliveries:
        if not d.message_id:
            d = dataclasses.replace(d, message_id=message_id)
        if d.error_code == "63016":
            d = dataclasses.replace(d, error=TEMPLATE_NEEDED)
        out.append(d)
    return tuple(out)


def _not_sendable(reason: NotSendable) -> JobOutcome:
    if reason.kind == "done":
        return JobOutcome.succeeded({"final": "nothing to send", "note": reason.reason})
    return JobOutcome.retry(reason.reason, retry_after=SETUP_WAIT)


# --- Twilio --------------------------------------------------------------------------------

class TwilioTextHandler:
    """(twilio, sms) and (twilio, whatsapp): one message per job."""

    def __init__(self, db: Database, cipher: FieldCipher, sender: TextSender, *,
                 poll_seconds: Sequence[float] = POLL_SECONDS,
                 poll_limit: TokenBucket | None = None) -> None:
        """``poll_limit``: the pace of status polls (they come due in bunches; Twilio
        limits fetches too)."""
        self._rows = _Rows(db, cipher, "twilio")
        self._sender = sender
        self._polls = tuple(poll_seconds)
        self._poll_limit = poll_limit

    def _message_id(self, job: Job) -> str:
        return str(job.payload["message_id"])

    def _known_sid(self, job: Job) -> str | None:
        sid = (job.result or {}).get("sid")
        if sid:
            return str(sid)
        row = self._rows.read(lambda c: message_row(c, self._message_id(job)))
        return row.provider_message_id if row is not None else None

    def _text(self, job: Job) -> TextOut | NotSendable:
        return self._rows.read(lambda c: text_out(c, self._rows.cipher, self._message_id(job)))

    def perform(self, job: Job) -> JobOutcome:
        sid = self._known_sid(job)
        if sid is not None:  # sent already (a status poll, or a replayed job): never again
            return self._poll(job, sid)
        out = self._text(job)
        if isinstance(out, NotSendable):
            return _not_sendable(out)
        return self._after_send(job, self._sender.send(out))

    def resolve(self, job: Job) -> JobOutcome:
        sid = self._known_sid(job)
        if sid is not None:
            return self._poll(job, sid)
        out = self._text(job)
        if isinstance(out, NotSendable):
            return _not_sendable(out)
        found = self._sender.find_sent(out, job.created_at)
        if found.outcome != "ok":
            return JobOutcome.unknown(f"look-up at Twilio failed: {found.message}",
                                      retry_after=found.retry_after)
        if found.deliveries:  # Twilio has it: it was sent; follow it, never send again
            return self._after_send(job, found, looked_up=True)
        return self._after_send(job, self._sender.send(out))

    def _after_send(self, job: Job, reply: SendReply, *, looked_up: bool = False
                    ) -> JobOutcome:
        message_id = self._message_id(job)
        if reply.outcome == "ok":
            deliveries = _ours(reply.deliveries, message_id)
            self._rows.record(deliveries)
            first = deliveries[0] if deliveries else None
            sid = first.provider_message_id if first else None
            result: dict[str, Any] = {"sid": sid, "polls": 0, "looked_up": looked_up}
            return self._next(first, result)
        if reply.outcome == "rejected":
            error = TEMPLATE_NEEDED if reply.error_code == "63016" else (
                reply.message or "refused by Twilio")
            if reply.credentials_refused:
                error = f"Twilio refused the credentials: {reply.message}"
            self._rows.mark([message_id], "rejected" if not reply.credentials_refused
                            else "failed", error)
            return JobOutcome.failed(error, result={"error_code": reply.error_code})
        if reply.outcome == "retry":
            return JobOutcome.retry(reply.message or "Twilio asked to wait",
                                    retry_after=reply.retry_after)
        self._rows.mark([message_id], "unknown", reply.message)
        return JobOutcome.unknown(reply.message or "outcome unknown",
                                  retry_after=reply.retry_after)

    def _next(self, delivery: Delivery | None, result: dict[str, Any]) -> JobOutcome:
        """After a status: done, failed, or look again after the next poll interval."""
        status = delivery.status if delivery else None
        if delivery is not None and status in ("failed", "rejected"):
            error = delivery.error or f"Twilio says {delivery.provider_status or status}"
            return JobOutcome.failed(error, result={**result, "final": status,
                                                    "error_code": delivery.error_code})
        if status in _DONE or not result.get("sid"):
            return JobOutcome.succeeded({**result, "final": status})
        polls = int(result.get("polls", 0))
        if polls >= len(self._polls):
            return JobOutcome.succeeded({**result, "final": status, "note": "stopped polling"})
        return JobOutcome.check_again(self._polls[polls], {**result, "polls": polls + 1})

    def _poll(self, job: Job, sid: str) -> JobOutcome:
        result = {"polls": 0, **dict(job.result or {}), "sid": sid}
        if self._poll_limit is not None and not self._poll_limit.try_acquire():
            # Polls come due in bunches: this one waits a second, uncounted, and never
            # holds up the sends (the thread does not sleep for it).
            return JobOutcome.check_again(PACED_POLL, result)
        reply = self._sender.fetch(sid)
        if reply.outcome != "ok" or not reply.deliveries:
            # Polling is best effort: a failed poll counts as one and the job looks again.
            return self._next(Delivery(self._message_id(job), "sent",
                                       provider_message_id=sid), result)
        deliveries = _ours(reply.deliveries, self._message_id(job))
        self._rows.record(deliveries)
        return self._next(deliveries[0], result)


# --- SendGrid ------------------------------------------------------------------------------

class SendGridEmailHandler:
    """(sendgrid, email): one mail/send of up to 1,000 recipients per job."""

    def __init__(self, db: Database, cipher: FieldCipher, sender: EmailSender, *,
                 attachments: AttachmentSource | None = None) -> None:
        self._rows = _Rows(db, cipher, "sendgrid")
        self._sender = sender
        self._attachments = attachments

    def _mail(self, job: Job) -> EmailJob | NotSendable:
        return self._rows.read(lambda c: email_out(c, self._rows.cipher, job.id))

    @staticmethod
    def _single(ej: EmailJob) -> bool:
        """The written rule's "single transactional email": one recipient, not marketing."""
        return ej.single and ej.rows[0].purpose in ("transactional", "alert")

    def _with_attachments(self, ej: EmailJob) -> EmailJob:
        row = ej.rows[0]
        if self._attachments is None or not ej.single or row.ref_type is None \
                or row.ref_id is None:
            return ej
        try:
            files = tuple(self._attachments(row.ref_type, row.ref_id, row.locale))
        except Exception:  # a bug in rendering: logged; the customer still gets the text
            log.exception("attachment for message %s could not be made", row.id)
            return ej
        return dataclasses.replace(ej, mail=dataclasses.replace(ej.mail, attachments=files))

    def perform(self, job: Job) -> JobOutcome:
        return self._send(job, sends=int((job.result or {}).get("sends", 0)))

    def resolve(self, job: Job) -> JobOutcome:
        ej = self._mail(job)
        if isinstance(ej, NotSendable):
            return _not_sendable(ej)
        sends = int((job.result or {}).get("sends", 1))  # a crashed worker: perhaps sent
        if not self._single(ej):
            return self._give_up(ej, SENDGRID_RULE, sends)
        if sends >= 2:
            return self._give_up(ej, SENDGRID_RESENT, sends)
        return self._send(job, sends=sends, ej=ej)

    def _give_up(self, ej: EmailJob, reason: str, sends: int) -> JobOutcome:
        self._rows.mark([r.id for r in ej.rows], "unknown", reason)
        return JobOutcome.failed(reason, result={"sends": sends, "final": "unknown"})

    def _send(self, job: Job, *, sends: int, ej: EmailJob | NotSendable | None = None
              ) -> JobOutcome:
        ej = ej if ej is not None else self._mail(job)
        if isinstance(ej, NotSendable):
            return _not_sendable(ej)
        ej = self._with_attachments(ej)
        reply = self._sender.send(ej.mail)
        ids = [r.id for r in ej.rows]
        if reply.outcome == "ok":
            self._rows.record(reply.deliveries)
            first = reply.deliveries[0] if reply.deliveries else None
            return JobOutcome.succeeded({
                "sends": sends + 1, "recipients": len(ids),
                "x_message_id": first.provider_message_id if first else None})
        if reply.outcome == "rejected":
            error = (f"SendGrid refused the credentials: {reply.message}"
                     if reply.credentials_refused else reply.message or "refused by SendGrid")
            self._rows.mark(ids, "failed" if reply.credentials_refused else "rejected", error)
            return JobOutcome.failed(error, result={"sends": sends,
                                                    "error_code": reply.error_code})
        if reply.outcome == "retry":
            return JobOutcome.retry(reply.message or "SendGrid asked to wait",
                                    retry_after=reply.retry_after, result={"sends": sends})
        # unknown: perhaps accepted. The written rule decides.
        if not self._single(ej):
            return self._give_up(ej, SENDGRID_RULE, sends + 1)
        if sends + 1 >= 2:
            return self._give_up(ej, SENDGRID_RESENT, sends + 1)
        self._rows.mark(ids, "unknown", reply.message)
        return JobOutcome("unknown", result={"sends": sends + 1},
                          error=reply.message or "outcome unknown",
                          retry_after=reply.retry_after)


# --- FCM -----------------------------------------------------------------------------------

class FcmPushHandler:
    """(fcm, push): one device token per job."""

    def __init__(self, db: Database, cipher: FieldCipher, sender: PushSender) -> None:
        self._rows = _Rows(db, cipher, "fcm")
        self._sender = sender

    def perform(self, job: Job) -> JobOutcome:
        message_id = str(job.payload["message_id"])
        sends = int((job.result or {}).get("sends", 0))
        out = self._rows.read(lambda c: push_out(c, self._rows.cipher, message_id))
        if isinstance(out, NotSendable):
            if out.reason.startswith("the device token"):
                self._rows.mark([message_id], "rejected", out.reason)
            return _not_sendable(out)
        reply = self._sender.send(out)
        if reply.outcome == "ok":
            self._rows.record(reply.deliveries)
            first = reply.deliveries[0] if reply.deliveries else None
            return JobOutcome.succeeded({"sends": sends + 1,
                                         "name": first.provider_message_id if first else None})
        if reply.token_dead:
            now = now_iso()
            reason = (reply.error_code or "token dead")[:80]

            def dead(conn: Connection) -> None:
                token_id = device_token_of(conn, message_id)
                if token_id is not None:
                    deactivate_token(conn, token_id, reason, now)
                mark_messages(conn, [message_id], "rejected",
                              f"device token dead ({reason}): deactivated", now)
            self._rows.write(dead)
            return JobOutcome.succeeded({"sends": sends, "final": "rejected",
                                         "token_dead": True})
        if reply.outcome == "rejected":
            error = (f"FCM refused the credentials: {reply.message}"
                     if reply.credentials_refused else reply.message or "refused by FCM")
            self._rows.mark([message_id], "failed" if reply.credentials_refused
                            else "rejected", error)
            return JobOutcome.failed(error, result={"sends": sends})
        if reply.outcome == "retry":
            return JobOutcome.retry(reply.message or "FCM asked to wait",
                                    retry_after=reply.retry_after, result={"sends": sends})
        self._rows.mark([message_id], "unknown", reply.message)
        return JobOutcome("unknown", result={"sends": sends + 1},
                          error=reply.message or "outcome unknown",
                          retry_after=reply.retry_after)

    def resolve(self, job: Job) -> JobOutcome:
        """No look-up at FCM: send again (same collapse key: shown once on the device)."""
        return self.perform(job)


__all__ = ["POLL_SECONDS", "SENDGRID_RESENT", "SENDGRID_RULE", "TEMPLATE_NEEDED",
           "AttachmentSource", "FcmPushHandler", "SendGridEmailHandler", "TwilioTextHandler"]

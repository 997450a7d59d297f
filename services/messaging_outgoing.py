"""What the message job handlers (``sync.message_jobs``) read and write, as services.

The handlers hold no SQL and no template logic: they ask here for the provider request of a
job (an :class:`~services.message_port.EmailOut`, ``TextOut`` or ``PushOut``, decrypted
with the cipher they were given), send it, and hand the recipients' deliveries back to
:func:`record_deliveries`. Each function takes the Core connection of the caller's unit of
work and never commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, select, update

from local_db.jobs import UNRESOLVED_PREFIX, JobRow
from local_db.models import DeviceToken, Message, ProviderJob
from local_db.store import read_settings
from services.crypto import FieldCipher
from services.message_port import (
    Delivery,
    EmailOut,
    EmailRecipient,
    PushOut,
    TextOut,
)
from services.message_templates import VARIABLES
from services.messaging_rows import (
    FINAL,
    MessageRow,
    advance,
    decrypt,
    message_row,
    rows_of_job,
    set_status,
)
from services.messaging_templates import render

#: The SendGrid substitution tag a bulk email's per-recipient name is sent as.
NAME_TAG = "-name-"
#: Statuses of a message that may still be sent by its job.
SENDABLE = ("queued", "unknown")


def sendable(row: MessageRow) -> bool:
    """Still to be sent by its job: queued, unknown (the job's rule decides), or failed
    without ever being taken by the provider (a job given up and then replayed)."""
    return row.status in SENDABLE or (row.status == "failed" and not row.provider_message_id)


@dataclass(frozen=True, slots=True)
class NotSendable:
    """Why a job has nothing to send: ``done`` (already sent or final: nothing to do) or
    ``setup`` (a setting is missing: the job waits for a person)."""

    reason: str
    kind: str  # done | setup


def template_setting(template: str, locale: str) -> str:
    return f"messaging.twilio.template.{template}.{locale}"


def text_out(conn: Connection, cipher: FieldCipher, message_id: str) -> TextOut | NotSendable:
    """The Twilio request of an SMS/WhatsApp message. WhatsApp uses the approved template
    (ContentSid from ``messaging.twilio.template.<template>.<locale>``) whenever one is
    configured, else free text (``Body``), which WhatsApp takes only within 24 hours of the
    customer's last message (a 63016 refusal then fails the message)."""
    row = message_row(conn, message_id)
    if row is None or not sendable(row):
        return NotSendable(f"message {message_id} is gone or done", "done")
    settings = read_settings(conn)
    sender = settings.get(f"messaging.twilio.{row.channel}_from", "").strip()
    if not sender:
        return NotSendable(f"no sender number: set messaging.twilio.{row.channel}_from", "setup")
    parts = decrypt(conn, cipher, message_id)
    content_sid = (settings.get(template_setting(row.template, row.locale), "").strip()
                   if row.channel == "whatsapp" else "")
    if content_sid:
        return TextOut(message_id=row.id, channel=row.channel, to=parts.address, sender=sender,
                       content_sid=content_sid, content_variables=dict(parts.content_variables))
    return TextOut(message_id=row.id, channel=row.channel, to=parts.address, sender=sender,
                   body=parts.text)


@dataclass(frozen=True, slots=True)
class EmailJob:
    mail: EmailOut
    rows: tuple[MessageRow, ...]  # the recipients, in the mail's order

    @property
    def single(self) -> bool:
        return len(self.rows) == 1


def email_out(conn: Connection, cipher: FieldCipher, job_id: str) -> EmailJob | NotSendable:
    """The SendGrid request of an email job: its message rows still to be sent, each a
    recipient (personalization). A bulk job whose template names each recipient (``name``)
    sends one text with the tag ``-name-`` and a substitution per recipient."""
    rows = [r for r in rows_of_job(conn, job_id) if sendable(r)]
    if not rows:
        return NotSendable("nothing left to send in this job", "done")
    settings = read_settings(conn)
    sender = settings.get("messaging.email.from", "").strip()
    if not sender:
        return NotSendable("no sender address: set messaging.email.from", "setup")
    sender_name = (settings.get("messaging.email.from_name") or settings.get("store_name")
                   or "Warungin").strip()
    first = rows[0]
    parts = [decrypt(conn, cipher, r.id) for r in rows]
    subject, text, html = parts[0].subject, parts[0].text, parts[0].html
    per_name = len(rows) > 1 and "name" in VARIABLES[first.template]
    if per_name:
        shared = render(first.template, first.locale, "email",
                        {**parts[0].variables, "name": NAME_TAG})
        subject, text, html = shared.subject, shared.text, shared.html
    recipients = tuple(EmailRecipient(
        message_id=r.id, email=p.address,
        substitutions={NAME_TAG: p.variables.get("name", "")} if per_name else {})
        for r, p in zip(rows, parts, strict=True))
    mail = EmailOut(sender_email=sender, sender_name=sender_name, subject=subject, text=text,
                    recipients=recipients, html=html,
                    categories=(first.template, first.purpose))
    return EmailJob(mail, tuple(rows))


def push_out(conn: Connection, cipher: FieldCipher, message_id: str) -> PushOut | NotSendable:
    """The FCM request of a push message: to its device token, with our message id as the
    collapse key (a push sent twice shows once on the device)."""
    row = message_row(conn, message_id)
    if row is None or not sendable(row):
        return NotSendable(f"message {message_id} is gone or done", "done")
    token_id = conn.execute(select(Message.device_token_id)
                            .where(Message.id == message_id)).scalar()
    if token_id is not None:
        active = conn.execute(select(DeviceToken.active).where(DeviceToken.id == token_id)
                              ).scalar()
        if not active:
            return NotSendable("the device token was deactivated", "done")
    parts = decrypt(conn, cipher, message_id)
    return PushOut(message_id=row.id, token=parts.address, title=parts.subject,
                   body=parts.text, data={"message_id": row.id, "template": row.template},
                   collapse_key=row.id)


def device_token_of(conn: Connection, message_id: str) -> str | None:
    value = conn.execute(select(Message.device_token_id).where(Message.id == message_id)
                         ).scalar()
    return None if value is None else str(value)


def record_deliveries(conn: Connection, deliveries: Iterable[Delivery], now: str) -> int:
    """Each recipient's delivery onto its message row (never moving a status back)."""
    return sum(1 for d in deliveries if advance(conn, d, now))


def mark_messages(conn: Connection, message_ids: Iterable[str], status: str,
                  error: str | None, now: str) -> None:
    """Force ``status`` on messages not final yet (a refusal of the whole request, an unknown
    outcome the written rule leaves for a person)."""
    set_status(conn, list(message_ids), status, error, now)


def is_final(conn: Connection, message_id: str) -> bool:
    row = message_row(conn, message_id)
    return row is None or row.status in FINAL


def settle_dead_jobs(conn: Connection, provider: str, now: str) -> int:
    """Messages whose job went dead (the dispatcher gave up after its tries) but still say
    queued: they say failed, with the job's reason."""
    dead = select(ProviderJob.id).where(ProviderJob.provider == provider,
                                        ProviderJob.state == "dead")
    rows = conn.execute(select(Message.id, ProviderJob.last_error)
                        .join(ProviderJob, ProviderJob.id == Message.job_id)
                        .where(Message.job_id.in_(dead), Message.status == "queued")).all()
    for message_id, reason in rows:
        conn.execute(update(Message).where(Message.id == message_id).values(
            status="failed", error=(reason or "gave up")[:500], updated_at=now))
    return len(rows)


def job_discarded(conn: Connection, job: JobRow, now: str) -> None:
    """A supervisor discarded a message job (services.provider_jobs.discard_job): its
    messages show the give-up. A job whose outcome was unknown leaves its messages
    ``unknown`` (perhaps sent); any other is ``failed``."""
    ids = [r.id for r in rows_of_job(conn, job.id)]
    if not ids and job.ref_id:
        ids = [job.ref_id]
    unresolved = job.state == "unknown" or (job.last_error or "").startswith(UNRESOLVED_PREFIX)
    reason = (job.last_error or "discarded")[:500]
    set_status(conn, ids, "unknown" if unresolved else "failed", reason, now)


__all__ = ["NAME_TAG", "SENDABLE", "EmailJob", "NotSendable", "device_token_of", "email_out",
           "sendable",
           "is_final", "job_discarded", "mark_messages", "push_out", "record_deliveries",
           "settle_dead_jobs", "template_setting", "text_out"]

"""The message log's rows: writing one, reading them back as frozen values, moving a status.

One row per message per recipient (``local_db.models.Message``). The address and the
rendered content are AES-256-GCM ciphertext under the shop's data key, bound to the message
id (``record_id`` = message id, fields ``recipient`` and ``content``); ``recipient_hint`` is
a masked form for screens and logs (``+62812****890``, ``b***@contoh.id``).

Statuses (anymail's): queued -> sent -> delivered -> read, or rejected / failed / unknown.
A status never moves back (callbacks and polls arrive out of order): :func:`advance`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Connection, insert, select, update

from local_db.models import Message, ProviderJob
from local_db.uow import UnitOfWork
from services.crypto import FieldCipher
from services.errors import BadInput, NotFound
from services.message_port import Delivery
from services.messaging_templates import Rendered

PROVIDER_OF = {"email": "sendgrid", "sms": "twilio", "whatsapp": "twilio", "push": "fcm"}
#: Job kind per channel (provider_job.kind).
KIND_OF = {"email": "email", "sms": "sms", "whatsapp": "whatsapp", "push": "push"}
PURPOSES = ("transactional", "marketing", "alert")
#: How far along a status is; a lower rank never replaces a higher one.
_RANK = {"queued": 0, "unknown": 0, "sent": 2, "delivered": 3, "read": 4,
         "rejected": 5, "failed": 5}
#: Statuses after which nothing more is sent for the message.
FINAL = frozenset({"delivered", "read", "rejected", "failed"})


def mask(channel: str, address: str) -> str:
    """A recipient as screens and logs may show it."""
    if channel == "email":
        local, _, domain = address.partition("@")
        return f"{local[:1]}***@{domain}"[:80]
    if channel == "push":
        return f"device …{address[-6:]}"
    return (address[:6] + "****" + address[-3:]) if len(address) > 9 else "****"


@dataclass(frozen=True, slots=True)
class MessageRow:
    """A message as lists show it: nothing decrypted."""

    id: str
    channel: str
    provider: str
    purpose: str
    template: str
    locale: str
    recipient_hint: str
    subject: str | None
    status: str
    provider_status: str | None
    provider_message_id: str | None
    error: str | None
    ref_type: str | None
    ref_id: str | None
    bulk_id: str | None
    job_id: str | None
    customer_id: str | None
    created_at: str
    updated_at: str
    sent_at: str | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class MessageView:
    """One message with its job's standing; ``already`` says it was queued before (a double
    click, a re-run) and nothing new was written."""

    message: MessageRow
    job_state: str | None
    job_attempts: int
    job_last_error: str | None
    already: bool = False

    @property
    def id(self) -> str:
        return self.message.id

    @property
    def status(self) -> str:
        return self.message.status

    def as_dict(self) -> dict[str, Any]:
        return {**self.message.as_dict(), "job_state": self.job_state,
                "job_attempts": self.job_attempts, "job_last_error": self.job_last_error,
                "already": self.already}


_COLUMNS = (Message.id, Message.channel, Message.provider, Message.purpose, Message.template,
            Message.locale, Message.recipient_hint, Message.subject, Message.status,
            Message.provider_status, Message.provider_message_id, Message.error,
            Message.ref_type, Message.ref_id, Message.bulk_id, Message.job_id,
            Message.customer_id, Message.created_at, Message.updated_at, Message.sent_at)


def _row(r: Any) -> MessageRow:
    return MessageRow(*(getattr(r, c.key) for c in _COLUMNS))


@dataclass(frozen=True, slots=True)
class NewMessage:
    """What :func:`insert_message` writes (the address and content in clear, encrypted
    there)."""

    id: str
    channel: str
    purpose: str
    rendered: Rendered
    address: str
    dedupe_key: str
    job_id: str | None
    variables: Mapping[str, str]
    customer_id: str | None = None
    user_id: str | None = None
    device_token_id: str | None = None
    ref_type: str | None = None
    ref_id: str | None = None
    bulk_id: str | None = None


def insert_message(conn: Connection, cipher: FieldCipher, m: NewMessage, now: str) -> None:
    content = json.dumps({"subject": m.rendered.subject, "text": m.rendered.text,
                          "html": m.rendered.html,
                          "content_variables": dict(m.rendered.content_variables),
                          "variables": dict(m.variables)}, ensure_ascii=False)
    conn.execute(insert(Message).values(
        id=m.id, channel=m.channel, provider=PROVIDER_OF[m.channel], purpose=m.purpose,
        template=m.rendered.template, locale=m.rendered.locale,
        recipient_enc=cipher.encrypt(m.address, record_id=m.id, field="recipient"),
        recipient_hint=mask(m.channel, m.address), key_id=cipher.active_key_id,
        customer_id=m.customer_id, user_id=m.user_id, device_token_id=m.device_token_id,
        subject=m.rendered.subject[:200],
        content_enc=cipher.encrypt(content, record_id=m.id, field="content"),
        ref_type=m.ref_type, ref_id=m.ref_id, dedupe_key=m.dedupe_key, bulk_id=m.bulk_id,
        job_id=m.job_id, status="queued", provider_status=None, provider_message_id=None,
        error=None, created_at=now, updated_at=now, sent_at=None))


def message_by_dedupe(conn: Connection, dedupe_key: str) -> MessageRow | None:
    r = conn.execute(select(*_COLUMNS).where(Message.dedupe_key == dedupe_key)).one_or_none()
    return None if r is None else _row(r)


def message_row(conn: Connection, message_id: str) -> MessageRow | None:
    r = conn.execute(select(*_COLUMNS).where(Message.id == message_id)).one_or_none()
    return None if r is None else _row(r)


def rows_of_job(conn: Connection, job_id: str) -> list[MessageRow]:
    return [_row(r) for r in conn.execute(select(*_COLUMNS).where(Message.job_id == job_id)
                                          .order_by(Message.id)).all()]


@dataclass(frozen=True, slots=True)
class Secrets:
    """A message's decrypted parts (kept out of reprs)."""

    address: str
    subject: str
    text: str
    html: str | None
    content_variables: Mapping[str, str]
    variables: Mapping[str, str]

    def __repr__(self) -> str:
        return "Secrets(...)"


def decrypt(conn: Connection, cipher: FieldCipher, message_id: str) -> Secrets:
    r = conn.execute(select(Message.recipient_enc, Message.content_enc)
                     .where(Message.id == message_id)).one()
    address = cipher.decrypt(r.recipient_enc, record_id=message_id, field="recipient")
    content = json.loads(cipher.decrypt(r.content_enc, record_id=message_id, field="content"))
    return Secrets(address, str(content.get("subject") or ""), str(content.get("text") or ""),
                   content.get("html"), dict(content.get("content_variables") or {}),
                   dict(content.get("variables") or {}))


def view_of(conn: Connection, row: MessageRow, *, already: bool = False) -> MessageView:
    job = None
    if row.job_id is not None:
        job = conn.execute(select(ProviderJob.state, ProviderJob.attempts,
                                  ProviderJob.last_error)
                           .where(ProviderJob.id == row.job_id)).one_or_none()
    return MessageView(row, None if job is None else str(job.state),
                       0 if job is None else int(job.attempts),
                       None if job is None else job.last_error, already)


def advance(conn: Connection, delivery: Delivery, now: str) -> bool:
    """Record one recipient's delivery, unless the message is already further along (a late
    poll or callback never moves it back). Returns whether the row changed."""
    current = conn.execute(select(Message.status, Message.sent_at)
                           .where(Message.id == delivery.message_id)).one_or_none()
    if current is None:
        return False
    status = str(current.status)
    if _RANK[delivery.status] < _RANK[status] or (status in FINAL and status != "delivered"):
        return False
    values: dict[str, Any] = {"status": delivery.status, "updated_at": now,
                              "provider_status": (delivery.provider_status or None),
                              "error": delivery.error}
    if delivery.provider_message_id:
        values["provider_message_id"] = delivery.provider_message_id[:120]
    if current.sent_at is None and delivery.provider_message_id and \
            delivery.status in ("queued", "sent", "delivered", "read"):
        values["sent_at"] = now  # when the provider first took it
    conn.execute(update(Message).where(Message.id == delivery.message_id).values(**values))
    return True


def set_status(conn: Connection, message_ids: list[str], status: str, error: str | None,
               now: str) -> None:
    """Force a status (a give-up, an unknown outcome by the written rule) on messages that
    are not final yet."""
    if message_ids:
        conn.execute(update(Message).where(Message.id.in_(message_ids),
                                           Message.status.not_in(list(FINAL)))
                     .values(status=status, error=error, updated_at=now))


def list_messages(uow: UnitOfWork, *, channel: str | None = None, status: str | None = None,
                  limit: int = 200) -> tuple[MessageRow, ...]:
    """The newest messages first, filtered by channel and status."""
    if channel is not None and channel not in PROVIDER_OF:
        raise BadInput(f"the channel is one of {', '.join(PROVIDER_OF)}", field="channel")
    if status is not None and status not in _RANK:
        raise BadInput(f"the status is one of {', '.join(_RANK)}", field="status")
    if not 1 <= limit <= 10_000:
        raise BadInput("the limit is 1 to 10000", field="limit")
    q = select(*_COLUMNS)
    if channel is not None:
        q = q.where(Message.channel == channel)
    if status is not None:
        q = q.where(Message.status == status)
    q = q.order_by(Message.created_at.desc(), Message.id.desc()).limit(limit)
    return tuple(_row(r) for r in uow.conn.execute(q).all())


def message_status(uow: UnitOfWork, message_id: str) -> MessageView:
    row = message_row(uow.conn, (message_id or "").strip())
    if row is None:
        raise NotFound(f"no message '{message_id}'", field="message_id")
    return view_of(uow.conn, row)


__all__ = ["FINAL", "KIND_OF", "PROVIDER_OF", "PURPOSES", "MessageRow", "MessageView",
           "NewMessage", "Secrets", "advance", "decrypt", "insert_message", "list_messages",
           "mask", "message_by_dedupe", "message_row", "message_status", "rows_of_job",
           "set_status", "view_of"]

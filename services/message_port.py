"""The messaging port: what the messaging use cases need from SendGrid, Twilio and FCM.

Shaped like django-anymail's backends: one send call per provider request, and one
normalized status per recipient (:class:`Delivery`): ``queued``, ``sent``, ``rejected``,
``failed``, ``unknown`` (plus ``delivered``/``read`` when a provider reports them later),
with the provider's message id. A client never raises for a provider failure; the reply's
``outcome`` says what came of the request as a whole:

- ``ok``: the provider took it; each recipient's :class:`Delivery` says how it stands;
- ``rejected``: refused for good (bad address, bad payload, a dead push token, bad
  credentials): sending the same again cannot help;
- ``retry``: not taken, safe to send again later (429, 20429, QUOTA_EXCEEDED, 5xx that the
  provider documents as not processed, connection refused); ``retry_after`` is the wait the
  provider asked for (Retry-After, X-RateLimit-Reset);
- ``unknown``: perhaps sent (a timeout after sending, a dropped reply, a 5xx from Twilio):
  look it up where the provider allows (Twilio), else the messaging rule decides.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

OUTCOMES = ("ok", "rejected", "retry", "unknown")
DELIVERY_STATUSES = ("queued", "sent", "delivered", "read", "rejected", "failed", "unknown")


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str
    content_type: str
    content: bytes = field(repr=False)


@dataclass(frozen=True, slots=True)
class EmailRecipient:
    message_id: str  # our message row's id: sent as a custom arg, so events find the row
    email: str = field(repr=False)
    name: str | None = field(default=None, repr=False)
    subject: str | None = None  # per-recipient subject (a personalization)
    substitutions: Mapping[str, str] = field(default_factory=dict, repr=False)


@dataclass(frozen=True, slots=True)
class EmailOut:
    """One SendGrid mail/send: up to 1,000 recipients, each its own personalization."""

    sender_email: str
    sender_name: str
    subject: str
    text: str = field(repr=False)
    recipients: tuple[EmailRecipient, ...]
    html: str | None = field(default=None, repr=False)
    attachments: tuple[Attachment, ...] = ()
    categories: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TextOut:
    """One Twilio message: SMS, or WhatsApp (``channel``), free text or an approved template."""

    message_id: str
    channel: str  # sms | whatsapp
    to: str = field(repr=False)  # E.164, without the whatsapp: prefix
    sender: str  # E.164 number (or a MessagingServiceSid starting MG)
    body: str | None = field(default=None, repr=False)
    content_sid: str | None = None  # an approved template (outside the 24-hour window)
    content_variables: Mapping[str, str] = field(default_factory=dict, repr=False)
    status_callback: str | None = None


@dataclass(frozen=True, slots=True)
class PushOut:
    message_id: str
    token: str = field(repr=False)
    title: str = ""
    body: str = field(default="", repr=False)
    data: Mapping[str, str] = field(default_factory=dict)
    #: Our message id as the collapse key: a push sent twice shows once on the device.
    collapse_key: str | None = None


@dataclass(frozen=True, slots=True)
class Delivery:
    """One recipient's standing after a request (anymail's normalized status)."""

    message_id: str
    status: str
    provider_message_id: str | None = None
    provider_status: str | None = None  # the provider's own word (Twilio's queued, ...)
    error: str | None = None
    error_code: str | None = None

    def __post_init__(self) -> None:
        if self.status not in DELIVERY_STATUSES:
            raise ValueError(f"delivery status must be one of {', '.join(DELIVERY_STATUSES)}")


@dataclass(frozen=True, slots=True)
class SendReply:
    outcome: str
    deliveries: tuple[Delivery, ...] = ()
    message: str | None = None
    error_code: str | None = None
    retry_after: float | None = None
    #: FCM said the token is dead (UNREGISTERED, SENDER_ID_MISMATCH, an invalid token).
    token_dead: bool = False
    #: The credentials were refused (401/403): no retry helps until a person fixes them.
    credentials_refused: bool = False

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOMES:
            raise ValueError(f"send outcome must be one of {', '.join(OUTCOMES)}")


class EmailSender(Protocol):
    name: str  # sendgrid

    def send(self, mail: EmailOut) -> SendReply: ...

    def close(self) -> None: ...


class TextSender(Protocol):
    name: str  # twilio

    def send(self, text: TextOut) -> SendReply: ...

    def fetch(self, provider_message_id: str) -> SendReply:
        """The message's current status by its sid (status polling)."""
        ...

    def find_sent(self, text: TextOut, since_iso: str) -> SendReply:
        """After an unknown outcome: the message to ``text.to`` with the same body/template
        sent since ``since_iso``, if Twilio has one (``ok`` with its delivery), else ``ok``
        with no deliveries (not sent: sending now is safe)."""
        ...

    def close(self) -> None: ...


class PushSender(Protocol):
    name: str  # fcm

    def send(self, push: PushOut) -> SendReply: ...

    def close(self) -> None: ...


__all__ = ["DELIVERY_STATUSES", "OUTCOMES", "Attachment", "Delivery", "EmailOut",
           "EmailRecipient", "EmailSender", "PushOut", "PushSender", "SendReply", "TextOut",
           "TextSender"]

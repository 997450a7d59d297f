"""Messages to customers from the till: "kirim struk" (the receipt by WhatsApp or email), and how each message stands.

What the screens of this area need from the shop, as a Protocol (``backend.messages``,
implemented by ``app/desktop/messages.py``). Every method may touch the database, so the
screens call them only through :mod:`ui.tasks`: :meth:`MessagesBackend.send_receipt` on
``Lane.WRITER`` (it only queues: the provider-job dispatcher sends it), the reads on
``Lane.POOL``.

What crosses are ``services.messaging``'s frozen values; only :class:`ReceiptTarget` (who
the receipt goes to by default, masked) is the screens' own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    # Loaded when a message is first sent, not at the till's start.
    from services.messaging import MessageRow, MessageView


@dataclass(frozen=True, slots=True)
class ReceiptTarget:
    """The customer attached to a sale, as "kirim struk" offers them: names and masked
    addresses only (``+62 ••• 7890``, ``s•••@example.com``)."""

    sale_id: str
    receipt_no: str
    customer_name: str | None
    phone_hint: str | None
    email_hint: str | None


class MessagesBackend(Protocol):
    def receipt_target(self, receipt_no: str) -> ReceiptTarget:
        """The sale of ``receipt_no`` and its customer, masked (NotFound, field
        ``receipt_no``)."""
        ...

    def send_receipt(self, sale_id: str, channel: str, to: str | None = None,
                     locale: str | None = None) -> MessageView:
        """Queue the sale's receipt by ``channel`` (``whatsapp`` | ``email``) to ``to``, or
        to the sale's customer when None. Sending the same receipt to the same person
        again returns the message already queued (one message)."""
        ...

    def messages(self, *, channel: str | None = None, status: str | None = None,
                 limit: int = 200) -> tuple[MessageRow, ...]: ...

    def status(self, message_id: str) -> MessageView: ...

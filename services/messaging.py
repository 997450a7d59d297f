"""Messaging: receipts, shipment updates, owner alerts and bulk sends by email (SendGrid),
SMS and WhatsApp (Twilio) and push (FCM). The one entry point every caller uses (the till's
"kirim struk", the CLI, the couriers' status hook, the growth issue's campaigns).

The parts live in small modules (this one re-exports them under the names of the contract):

- :mod:`services.messaging_queue` and :mod:`services.messaging_bulk`: the use cases that
  queue (message rows + provider jobs + audit in one transaction): :func:`send_receipt`,
  :func:`queue_shipment_notice`, :func:`queue_messages`, :func:`queue_owner_alert`;
- :mod:`services.messaging_rows`: the per-recipient log, :func:`list_messages`,
  :func:`message_status`;
- :mod:`services.messaging_templates` and ``services/message_templates/``: the texts (id, en);
- :mod:`services.messaging_outgoing`: what the job handlers read and write, and
  :func:`job_discarded`.

Sending is at least once, never blindly twice. When the outcome of a send is unknown (a
timeout after the provider took the request, a dropped reply):

- **Twilio** (SMS, WhatsApp): look it up. The handler asks Twilio for a message to the same
  number with the same body/template since the job was made (``find_sent``); found: that is
  the message (its sid is recorded, its status polled); not found: send now.
- **SendGrid** (no look-up, no idempotency key): a *single* transactional or alert email (a
  receipt) is sent once more, at most once (at least once: the ``message_id`` custom arg lets
  the event log drop a duplicate); if that send's outcome is unknown too, the message is
  ``unknown`` and the job dead, for a person. A *bulk* or marketing email whose outcome is
  unknown is **never** sent again (nobody twice): its rows become ``unknown`` and the job
  dead with the reason, for a person to look at in the SendGrid activity feed.
- **FCM** (no look-up): sent again. The collapse key is our message id, so a device that
  got both shows the notification once.

WhatsApp outside the 24-hour window: a till behind NAT cannot know when a customer last
wrote, so the rule is simple: the approved template (ContentSid from the setting
``messaging.twilio.template.<template>.<locale>``, with the template's variables numbered)
is used whenever one is configured, free text otherwise; Twilio's 63016 refusal fails the
message with "an approved WhatsApp template is needed".
"""

from __future__ import annotations

from services.messaging_outgoing import job_discarded
from services.messaging_bulk import BulkResult, Recipient, queue_messages, queue_owner_alert
from services.messaging_queue import (
    queue_shipment_notice,
    receipt_sale_id,
    send_receipt,
    shipment_notice_hook,
)
from services.messaging_rows import MessageRow, MessageView, list_messages, message_status
from services.messaging_templates import TEMPLATES, Rendered, render

__all__ = ["TEMPLATES", "BulkResult", "MessageRow", "MessageView", "Recipient", "Rendered",
           "job_discarded", "list_messages", "message_status", "queue_messages",
           "queue_owner_alert", "queue_shipment_notice", "receipt_sale_id", "render",
           "send_receipt", "shipment_notice_hook"]

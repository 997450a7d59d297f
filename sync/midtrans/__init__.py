"""Midtrans Core API: the httpx client, notification signatures and a local simulator."""

from sync.midtrans.client import METHOD_TO_CHARGE, MidtransClient, MidtransReply
from sync.midtrans.signature import notification_signature, verify_notification

__all__ = [
    "METHOD_TO_CHARGE",
    "MidtransClient",
    "MidtransReply",
    "notification_signature",
    "verify_notification",
]

"""Midtrans Core API: the httpx client and notification signatures.

Its local simulator lives with the others, in sync.simulators.midtrans.
"""

from sync.midtrans.client import METHOD_TO_CHARGE, MidtransClient, MidtransReply
from sync.midtrans.signature import notification_signature, verify_notification

__all__ = [
    "METHOD_TO_CHARGE",
    "MidtransClient",
    "MidtransReply",
    "notification_signature",
    "verify_notification",
]

"""What the screens show of the sync (the status bar, the sync panel, the warning at
logout), as frozen values: read from the outbox and provider-job tables and the sync
worker's connectivity snapshot by ``sync.overview``.

Channels (the sync panel's tabs): ``central`` (the outbox going to the central database),
``payments`` (Midtrans), ``couriers``, ``email``, ``messaging`` (SMS/WhatsApp), ``push``
(FCM); ``other`` appears only if some provider job belongs to none of them.
"""

from __future__ import annotations

from dataclasses import dataclass

CHANNELS = ("central", "payments", "couriers", "email", "messaging", "push")

#: Which panel tab a provider's jobs belong to (ARCHITECTURE.md: payments, couriers,
#: email, SMS/WhatsApp, push). A provider not listed shows under "other".
PROVIDER_CHANNELS = {
    "midtrans": "payments",
    "biteship": "couriers", "jne": "couriers", "jnt": "couriers", "pos": "couriers",
    "posindonesia": "couriers", "pos_indonesia": "couriers",
    "sendgrid": "email",
    "twilio": "messaging",
    "fcm": "push",
}


def channel_of(provider: str) -> str:
    return PROVIDER_CHANNELS.get(provider, "other")


@dataclass(frozen=True, slots=True)
class SyncOverview:
    """The status bar's figures."""

    #: online | offline | not_connected | refused | starting | stopped
    connection: str
    message: str | None  # why not connected / refused, in the engine's words
    offline_since: str | None
    last_error: str | None
    last_good_sync_at: str | None
    pending: int  # outbox events waiting + provider jobs not finished
    oldest_pending_age_s: float | None
    failed: int  # quarantined outbox events + dead provider jobs: a person must look
    skew_s: float | None  # terminal clock minus central's, at the last sync
    skew_flagged: bool  # above 5 minutes either way
    outbox_pending: int = 0
    jobs_open: int = 0
    quarantined: int = 0
    jobs_dead: int = 0


@dataclass(frozen=True, slots=True)
class SyncItem:
    """One row of a channel in the sync panel."""

    channel: str
    item_id: str  # the outbox seq (central) or the provider job's id
    what: str  # event type, or provider/kind
    state: str  # pending | quarantined | discarded | in_flight | failed | unknown | dead...
    attempts: int | None  # None for the outbox (the worker retries the whole queue)
    next_attempt_at: str | None
    last_error: str | None
    created_at: str
    can_retry: bool
    can_discard: bool
    #: What it is about in clear words, when the event says (a product's name, a receipt
    #: number, a supplier): the panel shows it after the item's name.
    detail: str | None = None


@dataclass(frozen=True, slots=True)
class SyncChannel:
    key: str
    items: tuple[SyncItem, ...]
    waiting: int
    failed: int
    note: str | None  # why this channel's items wait, when something outside says so
    #: The same as a message id of the screens' words, when the reason is one we know
    #: (the panel shows it in the person's language; ``note`` is then for logs).
    note_id: str | None = None


@dataclass(frozen=True, slots=True)
class UnsentSummary:
    """What has not left this computer yet (the warning at logout and close)."""

    total: int  # outbox_pending (when a central is enrolled) + jobs_open
    outbox_pending: int
    jobs_open: int
    quarantined: int  # not counted in total: staying open would not send them
    central_enrolled: bool = True

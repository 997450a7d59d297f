"""Sync status a person can act on: figures for the status bar, the per-channel panel with retry and discard, what is unsent at logout or close.

What the screens of this area need from the shop, as a Protocol (implemented by
``app/gui_sync.py``). Every method may touch the database or the network unless its
docstring says otherwise, so the screens call them only through :mod:`ui.tasks`.

Channels (the sync panel's tabs): ``central`` (the outbox going to the central database),
``payments`` (Midtrans), ``couriers``, ``email``, ``messaging`` (SMS/WhatsApp), ``push``
(FCM); ``other`` appears only if some provider job belongs to none of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from ui.backend_cart import SupervisorApproval

CHANNELS = ("central", "payments", "couriers", "email", "messaging", "push")


@dataclass(frozen=True, slots=True)
class SyncOverview:
    """The status bar's figures, read from the outbox and provider-job tables and the sync
    worker's connectivity snapshot."""

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


class SyncBackend(Protocol):
    def start_sync(self) -> None:
        """Start the background sync worker and the provider-job dispatcher (blocking:
        reads the keyring; idempotent). A shop with no central runs no worker."""
        ...

    def stop_sync(self) -> None:
        """Stop both and wait for a pass in flight (blocking; idempotent)."""
        ...

    def wake_sync(self) -> None:
        """New work was committed: sync now. Never blocks; safe on the main thread."""
        ...

    def watch_sync(self, callback: Callable[[], None] | None) -> None:
        """``callback()`` after each sync pass, called on the worker's thread (hand it to
        the main thread yourself); None stops it. Never blocks."""
        ...

    def sync_overview(self) -> SyncOverview: ...

    def sync_channels(self) -> tuple[SyncChannel, ...]: ...

    def retry_sync_item(self, channel: str, item_id: str,
                        approval: SupervisorApproval | None = None) -> str:
        """Re-queue now; returns what was done, in words. A dead provider job needs a
        supervisor (Refused with field ``approver`` when a cashier asks alone)."""
        ...

    def discard_sync_item(self, channel: str, item_id: str,
                          approval: SupervisorApproval) -> str:
        """Give up on an item: always needs a supervisor's name and PIN; audited."""
        ...

    def unsent_summary(self) -> UnsentSummary: ...

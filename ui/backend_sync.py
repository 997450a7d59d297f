"""Sync status a person can act on: figures for the status bar, the per-channel panel with retry and discard, what is unsent at logout or close.

What the screens of this area need from the shop, as a Protocol (``backend.sync``,
implemented by ``app/desktop/sync.py``). Every method may touch the database or the
network unless its docstring says otherwise, so the screens call them only through
:mod:`ui.tasks`. The values are ``services.sync_status``'s.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from services.sync_status import SyncChannel, SyncOverview, UnsentSummary
from services.selling import Approval


class SyncBackend(Protocol):
    def start(self) -> None:
        """Start the background sync worker and the provider-job dispatcher (blocking:
        reads the keyring; idempotent). A shop with no central runs no worker."""
        ...

    def stop(self) -> None:
        """Stop both and wait for a pass in flight (blocking; idempotent)."""
        ...

    def wake(self) -> None:
        """New work was committed: sync now. Never blocks; safe on the main thread."""
        ...

    def watch(self, callback: Callable[[], None] | None) -> None:
        """``callback()`` after each sync pass, called on the worker's thread (hand it to
        the main thread yourself); None stops it. Never blocks."""
        ...

    def overview(self) -> SyncOverview: ...

    def channels(self) -> tuple[SyncChannel, ...]: ...

    def retry_item(self, channel: str, item_id: str,
                   approval: Approval | None = None) -> str:
        """Re-queue now; returns what was done, in words. A dead provider job needs a
        supervisor (Refused with field ``approver`` when a cashier asks alone)."""
        ...

    def discard_item(self, channel: str, item_id: str, approval: Approval) -> str:
        """Give up on an item: always needs a supervisor's name and PIN; audited."""
        ...

    def unsent_summary(self) -> UnsentSummary: ...

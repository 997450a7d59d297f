"""Sync status a person can act on: figures for the status bar, the per-channel panel with retry and discard, what is unsent at logout or close.

The backend methods behind ``ui.backend_sync.SyncBackend``; ``app.gui.GuiBackend``
inherits them. Each opens its own unit of work, calls a use case and returns frozen values.
"""

from __future__ import annotations

from app.gui_base import BackendBase


class SyncOps(BackendBase):
    pass

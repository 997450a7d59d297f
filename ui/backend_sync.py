"""Sync status a person can act on: figures for the status bar, the per-channel panel with retry and discard, what is unsent at logout or close.

What the screens of this area need from the shop, as a Protocol (implemented by
``app/gui_sync.py``). Every method may touch the database or the network unless its
docstring says otherwise, so the screens call them only through :mod:`ui.tasks`.
"""

from __future__ import annotations

from typing import Protocol


class SyncBackend(Protocol):
    pass

"""Money at the till: split tender, kasbon and QRIS/VA payments, receipts (print, reprint, PDF), refunds, shifts with X and Z reports.

The backend methods behind ``ui.backend_money.MoneyBackend``; ``app.gui.GuiBackend``
inherits them. Each opens its own unit of work, calls a use case and returns frozen values.
"""

from __future__ import annotations

from app.gui_base import BackendBase


class MoneyOps(BackendBase):
    pass

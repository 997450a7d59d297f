"""The till's cart beyond scanning: weighed items, discounts, customers and kasbon, hold and resume, removing lines with approval.

The backend methods behind ``ui.backend_cart.CartBackend``; ``app.gui.GuiBackend``
inherits them. Each opens its own unit of work, calls a use case and returns frozen values.
"""

from __future__ import annotations

from app.gui_base import BackendBase


class CartOps(BackendBase):
    pass

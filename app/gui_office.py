"""The owner's back office: dashboard, reports, products and stock, users and PINs, store settings and credentials.

The backend methods behind ``ui.backend_office.OfficeBackend``; ``app.gui.GuiBackend``
inherits them. Each opens its own unit of work, calls a use case and returns frozen values.
"""

from __future__ import annotations

from app.gui_base import BackendBase


class OfficeOps(BackendBase):
    pass

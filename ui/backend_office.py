"""The owner's back office: dashboard, reports, products and stock, users and PINs, store settings and credentials.

What the screens of this area need from the shop, as a Protocol (implemented by
``app/gui_office.py``). Every method may touch the database or the network unless its
docstring says otherwise, so the screens call them only through :mod:`ui.tasks`.
"""

from __future__ import annotations

from typing import Protocol


class OfficeBackend(Protocol):
    pass

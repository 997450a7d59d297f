"""The till's cart beyond scanning: weighed items, discounts, customers and kasbon, hold and resume, removing lines with approval.

What the screens of this area need from the shop, as a Protocol (implemented by
``app/gui_cart.py``). Every method may touch the database or the network unless its
docstring says otherwise, so the screens call them only through :mod:`ui.tasks`.
"""

from __future__ import annotations

from typing import Protocol


class CartBackend(Protocol):
    pass

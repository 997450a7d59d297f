"""Money at the till: split tender, kasbon and QRIS/VA payments, receipts (print, reprint, PDF), refunds, shifts with X and Z reports.

What the screens of this area need from the shop, as a Protocol (implemented by
``app/gui_money.py``). Every method may touch the database or the network unless its
docstring says otherwise, so the screens call them only through :mod:`ui.tasks`.
"""

from __future__ import annotations

from typing import Protocol


class MoneyBackend(Protocol):
    pass

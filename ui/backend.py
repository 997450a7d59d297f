"""What the screens need from the shop, as one Protocol the UI depends on.

The composition root (``app.gui.GuiBackend``) implements it over the services; tests may
implement it too. It is the till's core (:mod:`ui.backend_core`) plus one Protocol per area
of the program, each in its own module so each area grows on its own. The values that cross
(Cashier, Hit, SaleDone...) are small frozen dataclasses defined beside the Protocols.
"""

from __future__ import annotations

from typing import Protocol

from ui.backend_cart import CartBackend
from ui.backend_core import (
    Cashier,
    CoreBackend,
    Hit,
    SaleDone,
    ShopInfo,
    Unavailable,
    UserChoice,
)
from ui.backend_money import MoneyBackend
from ui.backend_office import OfficeBackend
from ui.backend_sync import SyncBackend


class TillBackend(CoreBackend, CartBackend, MoneyBackend, SyncBackend, OfficeBackend,
                  Protocol):
    pass


__all__ = ["Cashier", "CartBackend", "CoreBackend", "Hit", "MoneyBackend", "OfficeBackend",
           "SaleDone", "ShopInfo", "SyncBackend", "TillBackend",
           "Unavailable", "UserChoice"]

"""What the screens need from the shop, as one Protocol the UI depends on.

The composition root (``app.gui.GuiBackend``) implements it with one small adapter per area
of the program (``app/desktop/``); tests may implement it too. The screens reach an area
through its attribute: ``backend.core.login(...)``, ``backend.money.pay(...)``,
``backend.office.products(...)``. Each area's Protocol lives in its own module, beside the
few values that are the screens' own; everything else crossing is a service's frozen value.
"""

from __future__ import annotations

from typing import Protocol

from ui.backend_alerts import AlertsBackend
from ui.backend_books import BooksBackend
from ui.backend_campaigns import CampaignsBackend
from ui.backend_cart import CartBackend
from ui.backend_core import CoreBackend, ShopInfo, Unavailable
from ui.backend_messages import MessagesBackend
from ui.backend_money import MoneyBackend
from ui.backend_office import OfficeBackend
from ui.backend_personal_data import PersonalDataBackend
from ui.backend_shipping import ShippingBackend
from ui.backend_sync import SyncBackend


class TillBackend(Protocol):
    """The shop behind the screens. Read-only attributes, so a test's fake may hold plain
    objects in them."""

    @property
    def core(self) -> CoreBackend: ...

    @property
    def cart(self) -> CartBackend: ...

    @property
    def money(self) -> MoneyBackend: ...

    @property
    def sync(self) -> SyncBackend: ...

    @property
    def office(self) -> OfficeBackend: ...

    @property
    def shipping(self) -> ShippingBackend: ...

    @property
    def messages(self) -> MessagesBackend: ...

    @property
    def books(self) -> BooksBackend: ...

    @property
    def alerts(self) -> AlertsBackend: ...

    @property
    def campaigns(self) -> CampaignsBackend: ...

    @property
    def personal_data(self) -> PersonalDataBackend: ...

    def close(self) -> None:
        """Stop the sync, close open payment clients, close the shop (blocking)."""
        ...


__all__ = ["AlertsBackend", "BooksBackend", "CartBackend", "CoreBackend", "MessagesBackend", "MoneyBackend",
           "OfficeBackend", "PersonalDataBackend", "ShippingBackend", "ShopInfo", "SyncBackend", "TillBackend", "Unavailable"]

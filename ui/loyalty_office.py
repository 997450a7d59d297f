"""Points and members in the back office ("Poin & member", issue 15): the loyalty
programme's settings (the owner changes them; ``services.loyalty_settings`` checks every
field and says which is wrong), and a member's points ledger with their balance, its rupiah
value and tier.

Reads run on the pool lane, a save on the DB-writer lane, through ``backend.money``; the
screen holds no rule of its own.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.i18n import rupiah, tr
from ui.office.common import OfficeContext, big_button, font
from ui.tasks import Lane, describe_error

if TYPE_CHECKING:
    from services.loyalty import MemberPoints
    from services.loyalty_ledger import LedgerRow
    from services.loyalty_settings import LoyaltySettings

LEDGER_COLUMNS = ("created_at", "kind", "points", "spend", "value", "expires_at", "reason")
_ERROR, _OK = "color: #b00020;", "color: #1b5e20;"


def _spin(name: str, top: int) -> QSpinBox:
    box = QSpinBox()
    box.setObjectName(name)
    box.setRange(0, top)
    box.setGroupSeparatorShown(True)
    return box


class LoyaltyScreen(QWidget):
    def __init__(self, ctx: OfficeContext) -> None:
        super().__init__()
        self.setObjectName("loyaltyScreen")
        self._ctx = ctx
        self.settings: LoyaltySettings | None = None
        title = QLabel(tr("loyalty.office.title"))
        title.setFont(font(18, bold=True))

        self.enabled = QCheckBox()
        self.enabled.setObjectName("loyaltyEnabled")
        self.step = _spin("loyaltyStep", 100_000_000)
        self.points_per_step = _spin("loyaltyPointsPerStep", 1_000_000)
        self.floor = _spin("loyaltyFloor", 1_000_000_000)
        self.point_value = _spin("loyaltyPointValue", 1_000_000)
        self.same_sale = QCheckBox()
        self.same_sale.setObjectName("loyaltySameSale")
        self.expiry = _spin("loyaltyExpiry", 120)
        self.basis = QComboBox()
        self.basis.setObjectName("loyaltyBasis")
        self.basis.addItems(["spend", "points"])
        self.tiers = QLineEdit()
        self.tiers.setObjectName("loyaltyTiers")
        form = QFormLayout()
        for label, widget in (("enabled", self.enabled), ("step", self.step),
                              ("points_per_step", self.points_per_step),
                              ("floor", self.floor), ("point_value", self.point_value),
                              ("same_sale", self.same_sale), ("expiry_months", self.expiry),
                              ("tier_basis", self.basis), ("tiers", self.tiers)):
            form.addRow(tr(f"loyalty.field.{label}"), widget)
        self.save_button = big_button(tr("loyalty.office.save"), name="loyaltySave")
        self.save_button.clicked.connect(self.save)
        self.message = QLabel()
        self.message.setObjectName("loyaltyMessage")
        self.message.setWordWrap(True)
        box = QGroupBox(tr("loyalty.office.settings"))
        inner = QVBoxLayout(box)
        inner.addLayout(form)
        inner.addWidget(self.save_button)
        inner.addWidget(self.message)

        self.customer = QLineEdit()
        self.customer.setObjectName("loyaltyCustomer")
        self.customer.setPlaceholderText(tr("loyalty.office.customer"))
        self.customer.returnPressed.connect(self.show_ledger)
        self.show_button = big_button(tr("loyalty.office.show"), name="loyaltyShow")
        self.show_button.clicked.connect(self.show_ledger)
        self.balance = QLabel()
        self.balance.setObjectName("loyaltyBalance")
        self.balance.setFont(font(14, bold=True))
        self.table = QTableWidget(0, len(LEDGER_COLUMNS))
        self.table.setObjectName("loyaltyLedger")
        self.table.setHorizontalHeaderLabels(list(LEDGER_COLUMNS))
        row = QHBoxLayout()
        row.addWidget(self.customer, 1)
        row.addWidget(self.show_button)

        lay = QVBoxLayout(self)
        lay.addWidget(title)
        lay.addWidget(box)
        lay.addLayout(row)
        lay.addWidget(self.balance)
        lay.addWidget(self.table, 1)

    # --- loading ----------------------------------------------------------------------
    def activate(self) -> None:
        money = self._ctx.backend.money
        self._ctx.tasks.run_in_background(money.loyalty_settings, self._loaded,
                                          self._failed, lane=Lane.POOL, owner=self)

    def _loaded(self, s: LoyaltySettings) -> None:
        self.settings = s
        self.enabled.setChecked(s.enabled)
        self.step.setValue(s.step)
        self.points_per_step.setValue(s.points_per_step)
        self.floor.setValue(s.floor)
        self.point_value.setValue(s.point_value)
        self.same_sale.setChecked(s.same_sale)
        self.expiry.setValue(s.expiry_months)
        self.basis.setCurrentText(s.tier_basis)
        self.tiers.setText(json.dumps([t.as_dict() for t in s.tiers], ensure_ascii=False))

    def _failed(self, exc: Exception) -> None:
        self.message.setStyleSheet(_ERROR)
        self.message.setText(describe_error(exc))

    # --- saving -----------------------------------------------------------------------
    def changes(self) -> dict[str, object]:
        return {"enabled": self.enabled.isChecked(), "step": self.step.value(),
                "points_per_step": self.points_per_step.value(), "floor": self.floor.value(),
                "point_value": self.point_value.value(), "same_sale": self.same_sale.isChecked(),
                "expiry_months": self.expiry.value(), "tier_basis": self.basis.currentText(),
                "tiers": self.tiers.text()}

    def save(self) -> None:
        money, changes = self._ctx.backend.money, self.changes()
        self._ctx.tasks.run_in_background(lambda: money.save_loyalty_settings(changes),
                                          self._saved, self._failed, lane=Lane.WRITER,
                                          owner=self)

    def _saved(self, s: LoyaltySettings) -> None:
        self._loaded(s)
        self.message.setStyleSheet(_OK)
        self.message.setText(tr("loyalty.office.saved"))

    # --- a member's ledger ------------------------------------------------------------
    def show_ledger(self) -> None:
        customer_id = self.customer.text().strip()
        if not customer_id:
            return
        money = self._ctx.backend.money
        self._ctx.tasks.run_in_background(lambda: money.loyalty_ledger(customer_id),
                                          self._ledger, self._failed, lane=Lane.POOL,
                                          owner=self)

    def _ledger(self, got: tuple[MemberPoints, tuple[LedgerRow, ...]]) -> None:
        member, rows = got
        self.balance.setText(tr("loyalty.office.balance", points=member.balance,
                                value=rupiah(member.value), tier=member.tier_name))
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            for j, col in enumerate(LEDGER_COLUMNS):
                value = getattr(r, col)
                self.table.setItem(i, j, QTableWidgetItem("" if value is None else str(value)))


__all__ = ["LoyaltyScreen"]

"""Redeem points at the till (issue 15): the pay dialog's "Tukar poin" opens this dialog,
which asks how many of the member's points pay part of the sale, showing what they are worth
in rupiah and the balance before and after. Drawing only: the member's points come from
``backend.money.member_points`` (read on the pool lane by the pay dialog), and the checkout
decides (``services.loyalty.plan_sale``) whether the points may pay; the dialog hands back
the rupiah value as a ``points`` tender."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from services.loyalty import MemberPoints
from ui.i18n import number, rupiah, tr
from ui.widgets import font as _font


def redeemable_points(member: MemberPoints, point_value: int, left: int) -> int:
    """The most points that may pay: what the member has, and no more than what is left of
    the sale (whole points)."""
    if not member.redeemable or point_value <= 0 or left <= 0:
        return 0
    return max(0, min(member.balance, left // point_value))


class RedeemDialog(QDialog):
    def __init__(self, member: MemberPoints, left: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("redeemPoints")
        self.setWindowTitle(tr("loyalty.redeem.title"))
        self.setModal(True)
        self.member = member
        self.point_value = point_value = member.point_value
        most = redeemable_points(member, point_value, left)
        self.balance_label = QLabel(tr("loyalty.redeem.balance", tier=member.tier_name,
                                       points=number(member.balance),
                                       value=rupiah(member.value)))
        self.balance_label.setObjectName("redeemBalance")
        self.balance_label.setFont(_font(14))
        self.points = QSpinBox()
        self.points.setObjectName("redeemCount")
        self.points.setFont(_font(20))
        self.points.setGroupSeparatorShown(True)
        self.points.setRange(0, most)
        self.points.setValue(most)
        self.value_label = QLabel()
        self.value_label.setObjectName("redeemValue")
        self.value_label.setFont(_font(18, bold=True))
        self.value_label.setWordWrap(True)
        self.points.valueChanged.connect(self._draw)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        # Qt's own "OK"/"Cancel" are English: the till speaks the shop's language.
        self.ok_button.setText(tr("loyalty.redeem.ok"))
        self.ok_button.setMinimumHeight(44)
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(tr("loyalty.redeem.cancel"))
        cancel.setMinimumHeight(44)
        self.setMinimumWidth(560)
        lay = QVBoxLayout(self)
        lay.addWidget(self.balance_label)
        self.ask_label = QLabel(tr("loyalty.redeem.ask", most=number(most)))
        self.ask_label.setFont(_font(13))
        lay.addWidget(self.ask_label)
        lay.addWidget(self.points)
        lay.addWidget(self.value_label)
        lay.addWidget(buttons)
        self._draw()

    @property
    def value(self) -> int:
        """Rupiah the chosen points pay."""
        return self.points.value() * self.point_value

    def _draw(self) -> None:
        self.value_label.setText(tr("loyalty.redeem.value", value=rupiah(self.value),
                                    left=number(self.member.balance - self.points.value())))
        self.ok_button.setEnabled(self.points.value() > 0)


__all__ = ["RedeemDialog", "redeemable_points"]

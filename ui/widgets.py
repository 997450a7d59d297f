"""Small helpers every screen shares."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QDialog, QPushButton


def font(points: int, *, bold: bool = False) -> QFont:
    """A font of ``points`` size (large type for totals and touch buttons)."""
    f = QFont()
    f.setPointSize(points)
    f.setBold(bold)
    return f


def no_default_buttons(dialog: QDialog) -> None:
    """Enter belongs to the field being typed in: no button is pressed by it behind the
    field's back (a QDialog otherwise "clicks" its default button on every Enter)."""
    for button in dialog.findChildren(QPushButton):
        button.setAutoDefault(False)
        button.setDefault(False)

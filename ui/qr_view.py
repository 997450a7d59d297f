"""A QR code drawn with QPainter from its modules (the backend makes the matrix from
Midtrans's ``qr_string``; nothing is fetched from Midtrans's image URL)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

QUIET_ZONE = 4  # modules of white around the code, as scanners expect


class QrView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("qr")
        self._matrix: tuple[tuple[bool, ...], ...] = ()
        self.setMinimumSize(260, 260)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_matrix(self, matrix: tuple[tuple[bool, ...], ...]) -> None:
        self._matrix = matrix
        self.update()

    @property
    def matrix(self) -> tuple[tuple[bool, ...], ...]:
        return self._matrix

    def sizeHint(self) -> QSize:
        return QSize(320, 320)

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self._matrix:
            return
        n = len(self._matrix) + 2 * QUIET_ZONE
        side = min(self.width(), self.height())
        module = side // n  # whole pixels per module: a blurred edge scans badly
        if module < 1:
            return
        size = module * n
        x0 = (self.width() - size) // 2
        y0 = (self.height() - size) // 2
        painter = QPainter(self)
        painter.fillRect(QRectF(x0, y0, size, size), QColor("white"))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("black"))
        for r, row in enumerate(self._matrix):
            for c, dark in enumerate(row):
                if dark:
                    painter.drawRect(x0 + (c + QUIET_ZONE) * module,
                                     y0 + (r + QUIET_ZONE) * module, module, module)
        painter.end()

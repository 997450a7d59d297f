"""The category grid: large touch buttons, one per category; tapping one shows that
category's products as buttons, and tapping a product puts one in the cart.

Loaded on the pool lane (the categories once per login, a category's products when it is
tapped; answers to a category no longer shown are dropped). The buttons never take the
keyboard focus: the scan box keeps it. Keyboards and scanners use the scan box and search
(F2); the grid is for fingers.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFontMetrics, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from services.categories import CategoryRow, ProductTile
from ui.backend import TillBackend
from ui.i18n import rupiah, tr
from ui.tasks import Lane, TaskManager, describe_error
from ui.widgets import font as _font

COLUMNS = 5
TILE_HEIGHT = 64  # product tiles take 3 lines: name (2) and price
#: Room kept between a tile's text and each of its edges (px).
TILE_PADDING = 8


class CategoryGrid(QWidget):
    #: A product button was tapped (value: its SKU).
    product_chosen = Signal(str)
    #: The categories, or a category's products, are on screen (tests wait on it).
    loaded = Signal()

    def __init__(self, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._backend: TillBackend | None = None
        self._seq = 0
        self._categories: list[CategoryRow] = []
        self.current: CategoryRow | None = None  # None: the categories are shown
        self.buttons: list[QPushButton] = []
        self.setObjectName("categoryGrid")
        self.back = QPushButton()
        self.back.setObjectName("gridBack")
        self.back.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.back.setMinimumHeight(44)
        self.back.setFont(_font(13, bold=True))
        self.back.clicked.connect(self.show_categories)
        self.title = QLabel()
        self.title.setFont(_font(13, bold=True))
        self._inner = QWidget()
        self._grid = QGridLayout(self._inner)
        self._grid.setSpacing(6)
        self._grid.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setWidget(self._inner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.back)
        layout.addWidget(self.title)
        layout.addWidget(scroll, 1)
        self.retranslate()

    def attach(self, backend: TillBackend) -> None:
        self._backend = backend

    def retranslate(self) -> None:
        self.back.setText(tr("grid.all"))
        self.back.setVisible(self.current is not None)

    # --- loading ----------------------------------------------------------------------
    def load(self) -> None:
        """Fetch the categories (again) and show them."""
        if self._backend is None:
            return
        self._seq += 1
        seq = self._seq
        backend = self._backend
        self.title.setText(tr("grid.loading"))
        self._tasks.run_in_background(backend.cart.categories,
                                      lambda rows: self._categories_loaded(seq, rows),
                                      lambda exc: self._failed(seq, exc),
                                      lane=Lane.POOL, owner=self)

    def show_categories(self) -> None:
        """Back to the categories: drawn at once, then refreshed (the back office may have
        added one meanwhile)."""
        self.current = None
        self._draw_categories()
        self.load()  # also drops a category's products still on their way

    def open_category(self, tile: CategoryRow) -> None:
        if self._backend is None:
            return
        self._seq += 1
        seq = self._seq
        backend = self._backend
        self.current = tile
        self.title.setText(tr("grid.loading"))
        self.back.setVisible(True)
        self._tasks.run_in_background(lambda: backend.cart.category_products(tile.id),
                                      lambda rows: self._products_loaded(seq, tile, rows),
                                      lambda exc: self._failed(seq, exc),
                                      lane=Lane.POOL, owner=self)

    def button(self, text: str) -> QPushButton | None:
        """The button whose first line is ``text`` (a category or product name)."""
        return next((b for b in self.buttons if b.property("tileName") == text), None)

    # --- drawing ----------------------------------------------------------------------
    def _categories_loaded(self, seq: int, rows: list[CategoryRow]) -> None:
        if seq != self._seq:
            return
        self._categories = rows
        self.current = None
        self._draw_categories()

    def _draw_categories(self) -> None:
        self._clear()
        self.back.setVisible(False)
        self.title.setText("" if self._categories else tr("grid.empty"))
        for tile in self._categories:
            b = self._add_button(tile.name, tile.name)
            b.setStyleSheet("QPushButton { background: #e3ecf7; border: 1px solid #9db4d3; "
                            "border-radius: 6px; padding: 2px 4px; }")
            b.clicked.connect(lambda _=False, t=tile: self.open_category(t))
        self.loaded.emit()

    def _products_loaded(self, seq: int, tile: CategoryRow, rows: list[ProductTile]) -> None:
        if seq != self._seq:
            return
        self._clear()
        self.back.setVisible(True)
        self.title.setText(tile.name)
        for p in rows:
            suffix = "" if p.unit == "pcs" else f" / {p.unit}"
            b = self._add_button(p.name, tr("grid.tile", name=_wrap(p.name),
                                             price=rupiah(p.price) + suffix))
            b.setToolTip(p.sku)
            b.clicked.connect(lambda _=False, sku=p.sku: self.product_chosen.emit(sku))
        self.loaded.emit()

    def _failed(self, seq: int, exc: Exception) -> None:
        if seq == self._seq:
            self.title.setText(describe_error(exc))
            self.loaded.emit()

    def _add_button(self, name: str, text: str) -> QPushButton:
        b = TileButton(text)
        b.setProperty("tileName", name)
        b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        b.setMinimumHeight(TILE_HEIGHT)
        # Columns share the width equally; a long name is wrapped, never widens its column.
        b.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        b.setMinimumWidth(80)
        b.setFont(_font(11, bold=True))
        n = len(self.buttons)
        self._grid.addWidget(b, n // COLUMNS, n % COLUMNS)
        self.buttons.append(b)
        return b

    def _clear(self) -> None:
        for b in self.buttons:
            self._grid.removeWidget(b)
            b.deleteLater()
        self.buttons = []


class TileButton(QPushButton):
    """A grid button whose text always fits inside it, with :data:`TILE_PADDING` to spare:
    fitted again whenever its width changes (the columns share the page's width). A line
    too wide is wrapped at a space if the tile has one line to spare (a category name), else
    shortened with "…"."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.full_text = text
        self._fit()

    def lines(self) -> list[str]:
        """The text's lines as shown (without the doubled "&")."""
        return self.text().replace("&&", "&").split("\n")

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit()

    def _fit(self) -> None:
        room = max(self.width() - 2 * TILE_PADDING, 20)
        metrics = QFontMetrics(self.font())
        lines = self.full_text.split("\n")
        out: list[str] = []
        for line in lines:
            if metrics.horizontalAdvance(line) <= room:
                out.append(line)
            elif len(lines) == 1 and " " in line:
                out.extend(_split_to_fit(line, metrics, room))
            else:
                out.append(metrics.elidedText(line, Qt.TextElideMode.ElideRight, room))
        # "Kopi & Teh": no keyboard mnemonic
        self.setText("\n".join(out).replace("&", "&&"))


def _split_to_fit(line: str, metrics: QFontMetrics, room: int) -> list[str]:
    """``line`` on two lines, broken at the space that best fits ``room`` (each line
    shortened with "…" if it still does not fit)."""
    words = line.split(" ")
    best = (line, "")
    for i in range(1, len(words)):
        first, rest = " ".join(words[:i]), " ".join(words[i:])
        if metrics.horizontalAdvance(first) > room:
            break
        best = (first, rest)
    return [metrics.elidedText(part, Qt.TextElideMode.ElideRight, room)
            for part in best if part]


def _wrap(name: str, width: int = 18) -> str:
    """A long product name on two lines (a button does not wrap its text itself)."""
    if len(name) <= width:
        return name
    words, first = name.split(), ""
    while words and len(first) + len(words[0]) + (1 if first else 0) <= width:
        first = f"{first} {words.pop(0)}".strip()
    if not first:  # one very long word
        return name[:width] + "\n" + name[width:2 * width]
    rest = " ".join(words)
    return first + ("\n" + (rest if len(rest) <= width else rest[:width - 1] + "…")
                    if rest else "")



__all__ = ["CategoryGrid"]

"""Products and stock (supervisor and owner): the list with search and filters (category,
low stock), edit or add a product, CSV import with the per-line error list, goods received,
stock adjustments with a reason, and stock counts.

Everything goes through the services (``services.catalogue.save_product``,
``services.catalogue_csv.import_catalogue``, ``services.stock``); a refusal names its field
and is shown beside it; nothing is written. Reads run on the pool, writes on the writer lane.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from services.catalogue import CatalogueChoices
from services.catalogue_csv import ImportSummary
from services.catalogue_query import ProductRow
from services.stock import GoodsReceived, MovementResult
from ui.i18n import rupiah, tr
from ui.office.common import (
    ERROR_STYLE,
    OK_STYLE,
    OfficeContext,
    big_button,
    button_text,
    cell,
    font,
    qty_text,
    read_only_table,
)
from ui.office.stock_dialogs import (
    AdjustDialog,
    CountDialog,
    FormDialog,
    ImportResultDialog,
    ProductDialog,
    ReceiveDialog,
)
from ui.tasks import Lane


SEARCH_DELAY_MS = 200
LIST_LIMIT = 500


class ProductsScreen(QWidget):
    loaded = Signal()
    #: A CSV import finished (value: ImportSummary).
    imported = Signal(object)
    #: Something was saved (value: the message shown).
    changed = Signal(str)
    failed = Signal(str)

    def __init__(self, ctx: OfficeContext) -> None:
        super().__init__()
        self._ctx = ctx
        self._rows: list[ProductRow] = []
        self._choices: CatalogueChoices | None = None
        self._seq = 0
        self.dialog: QDialog | None = None
        self.setObjectName("productsScreen")

        self.title = QLabel()
        self.title.setFont(font(16, bold=True))
        self.search = QLineEdit()
        self.search.setObjectName("productSearch")
        self.search.setMinimumHeight(40)
        self.search.setFont(font(12))
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.reload)
        self.search.textEdited.connect(lambda _t: self._timer.start())
        self.search.returnPressed.connect(self.reload)
        self.category = QComboBox()
        self.category.setObjectName("categoryFilter")
        self.category.setMinimumHeight(40)
        self.category.setMinimumWidth(200)
        self.category.currentIndexChanged.connect(lambda _i: self.reload())
        self.low_only = QCheckBox()
        self.low_only.setObjectName("lowOnly")
        self.low_only.toggled.connect(lambda _on: self.reload())
        self.shown = QLabel()
        self.message = QLabel()
        self.message.setObjectName("productsMessage")
        self.message.setWordWrap(True)

        self.table = read_only_table(7, name="productsTable")
        # Enter or a double click on a row edits it.
        self.table.activated.connect(lambda _i: self.edit_selected())

        self.buttons: dict[str, QPushButton] = {}
        actions = (("new", self.new_product, "Ctrl+N"), ("edit", self.edit_selected, "Ctrl+E"),
                   ("import", self.import_csv, "Ctrl+I"), ("receive", self.receive, "Ctrl+R"),
                   ("adjust", self.adjust, "Ctrl+J"), ("count", self.count, "Ctrl+K"))
        bar = QHBoxLayout()
        for key, slot, keys in actions:
            b = big_button(name=f"products_{key}", height=56)
            b.clicked.connect(lambda _=False, s=slot: s())
            bar.addWidget(b)
            self.buttons[key] = b
            QShortcut(QKeySequence(keys), self, lambda s=slot: s(),
                      context=Qt.ShortcutContext.WidgetWithChildrenShortcut)

        filters = QHBoxLayout()
        filters.addWidget(self.search, 1)
        filters.addWidget(self.category)
        filters.addWidget(self.low_only)
        filters.addWidget(self.shown)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addLayout(bar)
        self.retranslate()

    # --- data -------------------------------------------------------------------------
    def activate(self) -> None:
        backend = self._ctx.backend
        self._ctx.tasks.run_in_background(backend.office.catalogue_choices,
                                          self._got_choices, self._failed, lane=Lane.POOL,
                                          owner=self)
        self.reload()

    def _got_choices(self, choices: CatalogueChoices) -> None:
        self._choices = choices
        current = self.category.currentData()
        self.category.blockSignals(True)
        self.category.clear()
        self.category.addItem(tr("products.all_categories"), None)
        for name in choices.categories:
            self.category.addItem(name, name)
        index = self.category.findData(current)
        self.category.setCurrentIndex(max(index, 0))
        self.category.blockSignals(False)

    def reload(self) -> None:
        self._timer.stop()
        self._seq += 1
        seq = self._seq
        text, low = self.search.text(), self.low_only.isChecked()
        category = self.category.currentData()
        backend = self._ctx.backend
        self._ctx.tasks.run_in_background(
            lambda: backend.office.products(text, category if isinstance(category, str)
                                            else None, low, LIST_LIMIT),
            lambda rows: self._show(seq, rows), self._failed, lane=Lane.POOL, owner=self)

    def _show(self, seq: int, rows: list[ProductRow]) -> None:
        if seq != self._seq:
            return  # an answer to filters changed since
        chosen = self.selected()
        self._rows = rows
        t = self.table
        t.setRowCount(len(rows))
        for r, p in enumerate(rows):
            name = p.name + ("" if p.active else f"  ({tr('products.inactive')})")
            stock = qty_text(p.level_milli) if p.tracks_stock else "—"
            if p.low:
                stock += f"  {tr('products.low')}"
            values = (p.sku, name, p.category or "", rupiah(p.price), stock,
                      qty_text(p.low_stock_milli) if p.tracks_stock else "", p.tax_class)
            for c, v in enumerate(values):
                item = cell(v, right=c in (3, 4, 5))
                if c == 4 and p.low:
                    item.setForeground(Qt.GlobalColor.red)
                t.setItem(r, c, item)
        t.resizeColumnsToContents()
        more = len(rows) >= LIST_LIMIT  # refine the search to see the rest
        self.shown.setText(tr("products.count_more" if more else "products.count_shown",
                              n=len(rows)))
        if chosen is not None:
            self.select_sku(chosen.sku)
        self.loaded.emit()

    @property
    def rows(self) -> list[ProductRow]:
        return list(self._rows)

    def selected(self) -> ProductRow | None:
        r = self.table.currentRow()
        return self._rows[r] if 0 <= r < len(self._rows) else None

    def select_sku(self, sku: str) -> bool:
        for r, p in enumerate(self._rows):
            if p.sku == sku:
                self.table.selectRow(r)
                return True
        return False

    def _failed(self, exc: Exception) -> None:
        from ui.tasks import describe_error
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(describe_error(exc))
        self.failed.emit(self.message.text())

    def _say(self, text: str) -> None:
        self.message.setStyleSheet(OK_STYLE)
        self.message.setText(text)
        self.changed.emit(text)

    # --- actions ----------------------------------------------------------------------
    def _open(self, dialog: FormDialog, on_done: Callable[[object], None]) -> None:
        if self.dialog is not None:
            self.dialog.reject()  # one form at a time
        self.dialog = dialog
        dialog.saved.connect(on_done)
        dialog.finished.connect(lambda _r: self._closed(dialog))
        dialog.open()

    def _closed(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def new_product(self) -> None:
        self.edit(None)

    def edit_selected(self) -> None:
        p = self.selected()
        if p is not None:
            self.edit(p)

    def edit(self, product: ProductRow | None) -> None:
        choices = self._choices or CatalogueChoices((), ("PPN",), ("pcs",))

        def saved(result: object) -> None:
            assert isinstance(result, ProductRow)
            self._say(tr("product.saved", sku=result.sku))
            self.reload()

        self._open(ProductDialog(self._ctx, self, choices, product), saved)

    def receive(self) -> None:
        p = self.selected()

        def saved(result: object) -> None:
            assert isinstance(result, GoodsReceived)
            self._say(tr("receive.done", lines=result.lines, total=rupiah(result.total_cost)))
            self.reload()

        self._open(ReceiveDialog(self._ctx, self, p.sku if p else ""), saved)

    def _moved(self, result: object) -> None:
        assert isinstance(result, MovementResult)
        sign = "+" if result.qty_milli > 0 else ""
        self._say(tr("adjust.done", sku=result.sku,
                     change=sign + qty_text(result.qty_milli),
                     level=qty_text(result.level_milli)))
        self.reload()

    def adjust(self) -> None:
        p = self.selected()
        self._open(AdjustDialog(self._ctx, self, p.sku if p else ""), self._moved)

    def count(self) -> None:
        p = self.selected()
        self._open(CountDialog(self._ctx, self, p.sku if p else ""), self._moved)

    def import_csv(self, path: str | None = None) -> None:
        """Import a catalogue CSV (all or nothing); the outcome, with every bad line, is
        shown in a dialog. ``path`` None: ask with a file dialog."""
        if path is None:
            path, _filter = QFileDialog.getOpenFileName(self, tr("import.pick"), "",
                                                        "CSV (*.csv);;* (*)")
            if not path:
                return
        backend = self._ctx.backend
        self.message.clear()
        chosen = path
        self._ctx.tasks.run_in_background(lambda: backend.office.import_csv(chosen),
                                          self._imported, self._failed, lane=Lane.WRITER,
                                          owner=self)

    def _imported(self, outcome: ImportSummary) -> None:
        dialog = ImportResultDialog(self, outcome)
        self.dialog = dialog
        dialog.finished.connect(lambda _r: self._closed(dialog))
        dialog.open()
        if not outcome.errors:
            self.activate()
        self.imported.emit(outcome)

    def retranslate(self) -> None:
        self.title.setText(tr("products.title"))
        self.search.setPlaceholderText(tr("products.search"))
        self.low_only.setText(tr("products.low_only"))
        if self.category.count():
            self.category.setItemText(0, tr("products.all_categories"))
        self.table.setHorizontalHeaderLabels([tr("products.col." + k) for k in (
            "sku", "name", "category", "price", "stock", "reorder", "tax")])
        for key, b in self.buttons.items():
            b.setText(button_text(tr("products." + key)))

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
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.backend_office import (
    CatalogueChoices,
    ImportOutcome,
    ProductForm,
    ProductRow,
    ReceiveLineForm,
    StockMoved,
)
from ui.i18n import rupiah, tr
from ui.office.common import (
    ERROR_STYLE,
    OK_STYLE,
    FieldErrors,
    OfficeContext,
    big_button,
    button_text,
    cell,
    font,
    qty_text,
    read_only_table,
)
from ui.tasks import Lane


SEARCH_DELAY_MS = 200
LIST_LIMIT = 500
PAID_FROM = ("payable", "cash", "bank", "capital")


def _line(name: str, max_len: int = 120) -> QLineEdit:
    f = QLineEdit()
    f.setObjectName(name)
    f.setMaxLength(max_len)
    f.setMinimumHeight(38)
    return f


class _FormDialog(QDialog):
    """A dialog with a form, field errors, Save (Ctrl+S, Enter) and Cancel (Esc); the save
    runs on the writer lane and the dialog closes only when the service accepted it."""

    #: The service accepted the form (value: what it returned).
    saved = Signal(object)
    #: The service refused it (value: the message shown).
    failed = Signal(str)

    def __init__(self, ctx: OfficeContext, parent: QWidget, name: str, title: str) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setObjectName(name)
        self.setWindowTitle(title)
        self.setModal(True)
        self.errors = FieldErrors(QLabel())
        self.errors.general.setObjectName(name + "Error")
        self.form = QFormLayout()
        self.save_button = big_button(tr("product.save"), name=name + "Save")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.submit)
        cancel = big_button(tr("product.cancel"))
        cancel.clicked.connect(self.reject)
        QShortcut(QKeySequence("Ctrl+S"), self, self.submit)
        buttons = QHBoxLayout()
        buttons.addWidget(cancel)
        buttons.addWidget(self.save_button, 1)
        self.body = QVBoxLayout(self)
        self.body.addLayout(self.form)
        self.body.addWidget(self.errors.general)
        self.body.addLayout(buttons)
        self._busy = False

    def add_row(self, caption: str, widget: QWidget, field: str | None = None) -> None:
        if field is None:
            self.form.addRow(caption, widget)
            return
        box = QVBoxLayout()
        box.setSpacing(2)
        box.addWidget(widget)
        box.addWidget(self.errors.label_for(field))
        self.form.addRow(caption, box)

    def job(self) -> Callable[[], object]:
        raise NotImplementedError

    def submit(self) -> None:
        if self._busy:
            return
        self.errors.clear()
        fn = self.job()
        self._busy = True
        self.save_button.setEnabled(False)
        self._ctx.tasks.run_in_background(fn, self._ok, self._refused, lane=Lane.WRITER,
                                          owner=self)

    def _ok(self, result: object) -> None:
        self._busy = False
        self.save_button.setEnabled(True)
        self.saved.emit(result)
        self.accept()

    def _refused(self, exc: Exception) -> None:
        self._busy = False
        self.save_button.setEnabled(True)
        self.errors.show(exc)
        shown = self.errors.general.text() or next(
            (lb.text() for lb in self.errors.labels.values() if lb.text()), "")
        self.failed.emit(shown)


class ProductDialog(_FormDialog):
    def __init__(self, ctx: OfficeContext, parent: QWidget, choices: CatalogueChoices,
                 product: ProductRow | None) -> None:
        title = (tr("product.title_new") if product is None
                 else tr("product.title_edit", sku=product.sku))
        super().__init__(ctx, parent, "productDialog", title)
        self.is_new = product is None
        self.sku = _line("sku", 40)
        self.name = _line("name", 120)
        self.price = _line("price", 20)
        self.cost = _line("cost", 20)
        self.unit = QComboBox()
        self.unit.setObjectName("unit")
        self.unit.addItems(list(choices.units))
        self.category = QComboBox()
        self.category.setObjectName("category")
        self.category.setEditable(True)
        self.category.addItems([""] + list(choices.categories))
        self.tax_class = QComboBox()
        self.tax_class.setObjectName("tax_class")
        self.tax_class.addItems(list(choices.tax_classes))
        for box in (self.unit, self.category, self.tax_class):
            box.setMinimumHeight(38)
        self.barcodes = _line("barcodes", 400)
        self.low_stock = _line("low_stock", 12)
        self.tracks_stock = QCheckBox(tr("product.tracks_stock"))
        self.active = QCheckBox(tr("product.active"))
        for caption, widget, field in (
                ("product.sku", self.sku, "sku"), ("product.name", self.name, "name"),
                ("product.price", self.price, "price"), ("product.cost", self.cost, "cost"),
                ("product.unit", self.unit, "unit"),
                ("product.category", self.category, "category"),
                ("product.tax_class", self.tax_class, "tax_class"),
                ("product.barcodes", self.barcodes, "barcode"),
                ("product.low_stock", self.low_stock, "low_stock")):
            self.add_row(tr(caption), widget, field)
        self.add_row("", self.tracks_stock)
        self.add_row("", self.active)
        if product is None:
            self.price.setText("")
            self.cost.setText("0")
            self.low_stock.setText("0")
            self.tracks_stock.setChecked(True)
            self.active.setChecked(True)
            self.sku.setFocus()
        else:
            self.sku.setText(product.sku)
            self.sku.setReadOnly(True)  # the SKU is the product's key (sync, CSV)
            self.name.setText(product.name)
            self.price.setText(str(product.price))
            self.cost.setText(str(product.cost))
            self.unit.setCurrentText(product.unit)
            self.category.setCurrentText(product.category or "")
            self.tax_class.setCurrentText(product.tax_class)
            self.barcodes.setText(" ".join(product.barcodes))
            self.low_stock.setText(qty_text(product.low_stock_milli))
            self.tracks_stock.setChecked(product.tracks_stock)
            self.active.setChecked(product.active)
            self.name.setFocus()
        self.resize(560, 600)

    def form_value(self) -> ProductForm:
        return ProductForm(
            sku=self.sku.text(), name=self.name.text(), price=self.price.text(),
            cost=self.cost.text(), unit=self.unit.currentText(),
            category=self.category.currentText(), tax_class=self.tax_class.currentText(),
            barcodes=self.barcodes.text(), tracks_stock=self.tracks_stock.isChecked(),
            low_stock=self.low_stock.text(), active=self.active.isChecked())

    def job(self) -> Callable[[], object]:
        form, new, backend = self.form_value(), self.is_new, self._ctx.backend
        return lambda: backend.office_save_product(form, new=new)


class ReceiveDialog(_FormDialog):
    def __init__(self, ctx: OfficeContext, parent: QWidget, first_code: str = "") -> None:
        super().__init__(ctx, parent, "receiveDialog", tr("receive.title"))
        self.save_button.setText(tr("receive.save"))
        self.supplier = _line("supplier", 120)
        self.document = _line("document", 60)
        self.paid_from = QComboBox()
        self.paid_from.setObjectName("paid_from")
        for key in PAID_FROM:
            self.paid_from.addItem(tr("receive.paid." + key), key)
        self.lines = QTableWidget(0, 3)
        self.lines.setObjectName("receiveLines")
        self.lines.setHorizontalHeaderLabels([tr("receive.col.code"), tr("receive.col.qty"),
                                              tr("receive.col.cost")])
        self.lines.horizontalHeader().setStretchLastSection(True)
        self.lines.setColumnWidth(0, 200)
        self.add_line_button = big_button(tr("receive.add_line"), height=36)
        self.add_line_button.clicked.connect(lambda: self.add_line())
        self.add_row(tr("receive.supplier"), self.supplier, "supplier")
        self.add_row(tr("receive.document"), self.document)
        self.add_row(tr("receive.paid_from"), self.paid_from, "paid_from")
        self.body.insertWidget(1, self.lines, 1)
        self.body.insertWidget(2, self.errors.label_for("lines"))
        self.body.insertWidget(3, self.add_line_button)
        for _ in range(3):
            self.add_line()
        if first_code:
            self.set_line(0, first_code, "", "")
        self.supplier.setFocus()
        self.resize(640, 560)

    def add_line(self) -> None:
        r = self.lines.rowCount()
        self.lines.insertRow(r)
        for c in range(3):
            self.lines.setItem(r, c, QTableWidgetItem(""))

    def set_line(self, row: int, code: str, qty: str, cost: str) -> None:
        while self.lines.rowCount() <= row:
            self.add_line()
        for c, value in enumerate((code, qty, cost)):
            self.lines.setItem(row, c, QTableWidgetItem(value))

    def entered_lines(self) -> list[ReceiveLineForm]:
        out: list[ReceiveLineForm] = []
        for r in range(self.lines.rowCount()):
            items = [self.lines.item(r, c) for c in range(3)]
            values = [(i.text() if i is not None else "").strip() for i in items]
            if any(values):
                out.append(ReceiveLineForm(*values))
        return out

    def job(self) -> Callable[[], object]:
        supplier, doc = self.supplier.text(), self.document.text()
        paid = str(self.paid_from.currentData())
        lines, backend = self.entered_lines(), self._ctx.backend
        return lambda: backend.office_receive_goods(supplier, lines, paid_from=paid,
                                                    document_no=doc)


class AdjustDialog(_FormDialog):
    def __init__(self, ctx: OfficeContext, parent: QWidget, code: str = "") -> None:
        super().__init__(ctx, parent, "adjustDialog", tr("adjust.title"))
        self.save_button.setText(tr("adjust.save"))
        self.code = _line("code", 40)
        self.code.setText(code)
        self.qty = _line("qty", 12)
        self.add = QRadioButton(tr("adjust.add"))
        self.remove = QRadioButton(tr("adjust.remove"))
        self.remove.setChecked(True)
        self.waste = QCheckBox(tr("adjust.waste"))
        self.reason = _line("reason", 200)
        direction = QHBoxLayout()
        direction.addWidget(self.add)
        direction.addWidget(self.remove)
        dir_w = QWidget()
        dir_w.setLayout(direction)
        self.add_row(tr("adjust.code"), self.code, "sku")
        self.add_row(tr("adjust.qty"), self.qty, "qty")
        self.add_row("", dir_w)
        self.add_row("", self.waste)
        self.add_row(tr("adjust.reason"), self.reason, "reason")
        (self.qty if code else self.code).setFocus()
        self.resize(520, 380)

    def job(self) -> Callable[[], object]:
        code, qty, reason = self.code.text(), self.qty.text(), self.reason.text()
        add, waste, backend = self.add.isChecked(), self.waste.isChecked(), self._ctx.backend
        return lambda: backend.office_adjust_stock(code, qty, add=add and not waste,
                                                   reason=reason, waste=waste)


class CountDialog(_FormDialog):
    def __init__(self, ctx: OfficeContext, parent: QWidget, code: str = "") -> None:
        super().__init__(ctx, parent, "countDialog", tr("count.title"))
        self.save_button.setText(tr("adjust.save"))
        self.code = _line("code", 40)
        self.code.setText(code)
        self.counted = _line("counted", 12)
        self.reason = _line("reason", 200)
        self.reason.setText(tr("count.default_reason"))
        self.add_row(tr("adjust.code"), self.code, "sku")
        self.add_row(tr("count.counted"), self.counted, "counted")
        self.add_row(tr("count.reason"), self.reason, "reason")
        (self.counted if code else self.code).setFocus()
        self.resize(480, 300)

    def job(self) -> Callable[[], object]:
        code, counted, reason = self.code.text(), self.counted.text(), self.reason.text()
        backend = self._ctx.backend
        return lambda: backend.office_count_stock(code, counted, reason)


class ImportResultDialog(QDialog):
    def __init__(self, parent: QWidget, outcome: ImportOutcome) -> None:
        super().__init__(parent)
        self.setObjectName("importResult")
        self.setWindowTitle(tr("import.title"))
        self.outcome = outcome
        self.summary = QLabel()
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        self.summary.setFont(font(12, bold=True))
        self.table = read_only_table(3, name="importErrors")
        self.table.setHorizontalHeaderLabels([tr("import.col.line"), tr("import.col.field"),
                                              tr("import.col.message")])
        if outcome.errors:
            self.summary.setText(tr("import.rejected", n=len(outcome.errors)))
            self.summary.setStyleSheet(ERROR_STYLE)
        else:
            self.summary.setText(tr("import.ok", created=outcome.created,
                                    updated=outcome.updated))
            self.summary.setStyleSheet(OK_STYLE)
            self.table.hide()
        self.table.setRowCount(len(outcome.errors))
        for r, e in enumerate(outcome.errors):
            self.table.setItem(r, 0, cell(str(e.line), right=True))
            self.table.setItem(r, 1, cell(e.field))
            self.table.setItem(r, 2, cell(e.message))
        self.table.resizeColumnsToContents()
        close = big_button(tr("import.close"))
        close.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(close)
        self.resize(760, 480 if outcome.errors else 160)


class ProductsScreen(QWidget):
    loaded = Signal()
    #: A CSV import finished (value: ImportOutcome).
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
        self._ctx.tasks.run_in_background(backend.office_catalogue_choices,
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
            lambda: backend.office_products(text, category if isinstance(category, str)
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
    def _open(self, dialog: _FormDialog, on_done: Callable[[object], None]) -> None:
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
            from ui.backend_office import ReceiptDone
            assert isinstance(result, ReceiptDone)
            self._say(tr("receive.done", lines=result.lines, total=rupiah(result.total_cost)))
            self.reload()

        self._open(ReceiveDialog(self._ctx, self, p.sku if p else ""), saved)

    def _moved(self, result: object) -> None:
        assert isinstance(result, StockMoved)
        sign = "+" if result.change_milli > 0 else ""
        self._say(tr("adjust.done", sku=result.sku,
                     change=sign + qty_text(result.change_milli),
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
        self._ctx.tasks.run_in_background(lambda: backend.office_import_csv(chosen),
                                          self._imported, self._failed, lane=Lane.WRITER,
                                          owner=self)

    def _imported(self, outcome: ImportOutcome) -> None:
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

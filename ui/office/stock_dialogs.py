"""The back office's stock and product dialogs: edit or add a product, goods received,
an adjustment with its reason, a stock count, and the list of lines a CSV import refused.

Each is a form whose Save runs one service call on the writer lane and closes only when
the service accepted it; a refusal names its field and is shown beside it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from services.catalogue import CatalogueChoices, ProductForm
from services.catalogue_csv import ImportSummary
from services.catalogue_query import ProductRow
from services.formatting import milli_decimal
from services.stock import ReceiveLineForm
from ui.i18n import tr
from ui.office.common import (
    ERROR_STYLE,
    OK_STYLE,
    FieldErrors,
    OfficeContext,
    big_button,
    cell,
    font,
    read_only_table,
)
from ui.tasks import Lane


PAID_FROM = ("payable", "cash", "bank", "capital")


def _line(name: str, max_len: int = 120) -> QLineEdit:
    f = QLineEdit()
    f.setObjectName(name)
    f.setMaxLength(max_len)
    f.setMinimumHeight(38)
    return f


class FormDialog(QDialog):
    """A dialog with a form, field errors, Save (Ctrl+S, Enter) and Cancel (Esc); the save
    runs on the writer lane and the dialog closes only when the service accepted it.

    Each form says what Save does by defining ``job``: it reads the fields (on the main
    thread) and returns the call to run on the writer lane."""

    job: Callable[[], Callable[[], object]]

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


class ProductDialog(FormDialog):
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
            # A field to type in: no grouping ("1250", "0.5"), which the form reads back.
            self.low_stock.setText(str(milli_decimal(product.low_stock_milli)))
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
        return lambda: backend.office.save_product(form, new=new)


class ReceiveDialog(FormDialog):
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
        return lambda: backend.office.receive_goods(supplier, lines, paid_from=paid,
                                                    document_no=doc)


class AdjustDialog(FormDialog):
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
        return lambda: backend.office.adjust_stock(code, qty, add=add and not waste,
                                                   reason=reason, waste=waste)


class CountDialog(FormDialog):
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
        return lambda: backend.office.count_stock(code, counted, reason)


class ImportResultDialog(QDialog):
    def __init__(self, parent: QWidget, outcome: ImportSummary) -> None:
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


__all__ = ["PAID_FROM", "AdjustDialog", "CountDialog", "FormDialog", "ImportResultDialog",
           "ProductDialog", "ReceiveDialog"]

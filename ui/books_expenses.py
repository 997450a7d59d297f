"""Expenses (back office, "Pengeluaran"): a quick entry form — category, supplier or payee,
amount, paid from the drawer, the bank or owed (a payable with its due date), the day, a
note and a receipt photo's path — the expenses of a period filtered by category, and a new
category (the owner extends the list).

The list loads on the pool lane, a save on the DB-writer lane; services.expenses checks
every field and who may (a supervisor or the owner), and its refusal is shown under the
field it names. The till's cash-out books an expense of a category too (ui/shift_dialog.py).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.backend_books import ExpenseForm
from ui.books_common import (
    BooksScreen,
    amount_of,
    date_edit,
    money_field,
    pydate,
    qdate,
)
from ui.i18n import rupiah, tr
from ui.office.common import (
    FieldErrors,
    OfficeContext,
    cell,
    font,
    read_only_table,
    value_text,
)
from ui.tasks import Lane

if TYPE_CHECKING:
    from services.expenses import CategoryView, ExpenseView

PAID_FROM = ("drawer", "bank", "owed")
COLUMNS = ("day", "category", "payee", "amount", "paid_from", "note")


def category_text(view: CategoryView) -> str:
    return view.name


class ExpensesScreen(BooksScreen):
    def __init__(self, ctx: OfficeContext) -> None:
        super().__init__(ctx, "expensesScreen")
        self.categories_known: tuple[CategoryView, ...] = ()
        self.rows: tuple[ExpenseView, ...] = ()
        self.saved: ExpenseView | None = None
        today = date.today()

        # --- the quick entry ------------------------------------------------------------
        self.form_box = QGroupBox()
        self.category = QComboBox()
        self.category.setObjectName("expCategory")
        self.category.setMinimumHeight(36)
        self.payee = QLineEdit()
        self.payee.setObjectName("expPayee")
        self.payee.setMaxLength(120)
        self.payee.setMinimumHeight(36)
        self.amount = money_field("expAmount")
        self.paid_from = QComboBox()
        self.paid_from.setObjectName("expPaidFrom")
        self.paid_from.setMinimumHeight(36)
        self.paid_from.currentIndexChanged.connect(self._paid_from_changed)
        self.due = date_edit("expDue", today + timedelta(days=30))
        self.spent_on = date_edit("expSpentOn", today)
        self.note = QLineEdit()
        self.note.setObjectName("expNote")
        self.note.setMaxLength(300)
        self.note.setMinimumHeight(36)
        self.photo = QLineEdit()
        self.photo.setObjectName("expPhoto")
        self.photo.setMinimumHeight(36)
        self.photo_button = QPushButton()
        self.photo_button.setObjectName("expPhotoPick")
        self.photo_button.clicked.connect(self._pick_photo)
        self.save_button = QPushButton()
        self.save_button.setObjectName("expSave")
        self.save_button.setMinimumHeight(44)
        self.save_button.setFont(font(12, bold=True))
        self.save_button.clicked.connect(self.save)
        self.form_message = QLabel()
        self.errors = FieldErrors(self.form_message)
        self.form = QFormLayout()
        self._captions: dict[str, QLabel] = {}
        photo_row = QHBoxLayout()
        photo_row.addWidget(self.photo, 1)
        photo_row.addWidget(self.photo_button)
        for key, field in (("category", self.category), ("payee", self.payee),
                           ("amount", self.amount), ("paid_from", self.paid_from),
                           ("due_date", self.due), ("spent_on", self.spent_on),
                           ("note", self.note)):
            self._add_row(key, field)
        photo_widget = QWidget()
        photo_widget.setLayout(photo_row)
        self._add_row("receipt_photo", photo_widget)
        fv = QVBoxLayout(self.form_box)
        fv.addLayout(self.form)
        fv.addWidget(self.save_button)
        fv.addWidget(self.form_message)

        # --- a new category -------------------------------------------------------------
        self.cat_box = QGroupBox()
        self.cat_code = QLineEdit()
        self.cat_code.setObjectName("catCode")
        self.cat_code.setMaxLength(40)
        self.cat_name = QLineEdit()
        self.cat_name.setObjectName("catName")
        self.cat_name.setMaxLength(80)
        self.cat_add = QPushButton()
        self.cat_add.setObjectName("catAdd")
        self.cat_add.clicked.connect(self.add_category)
        self.cat_message = QLabel()
        self.cat_message.setWordWrap(True)
        self.cat_errors = FieldErrors(self.cat_message)
        cat_form = QFormLayout()
        self._cat_captions = (QLabel(), QLabel())
        cat_form.addRow(self._cat_captions[0], self.cat_code)
        cat_form.addRow("", self.cat_errors.label_for("code"))
        cat_form.addRow(self._cat_captions[1], self.cat_name)
        cat_form.addRow("", self.cat_errors.label_for("name"))
        cv = QVBoxLayout(self.cat_box)
        cv.addLayout(cat_form)
        cv.addWidget(self.cat_add)
        cv.addWidget(self.cat_message)

        # --- the list ---------------------------------------------------------------------
        self.since = date_edit("expSince", today.replace(day=1))
        self.until = date_edit("expUntil", today)
        self.filter_category = QComboBox()
        self.filter_category.setObjectName("expFilterCategory")
        self.filter_category.setMinimumHeight(34)
        self.show_button = QPushButton()
        self.show_button.setObjectName("expShow")
        self.show_button.setMinimumHeight(34)
        self.show_button.clicked.connect(self.reload)
        self.filter_category.currentIndexChanged.connect(lambda _i: self.reload())
        self.table = read_only_table(len(COLUMNS), name="expensesTable")
        self.table.setFont(font(10))
        self.total = QLabel()
        self.total.setObjectName("expTotal")
        self.total.setFont(font(12, bold=True))
        filters = QHBoxLayout()
        self._filter_captions = (QLabel(), QLabel())
        filters.addWidget(self._filter_captions[0])
        filters.addWidget(self.since)
        filters.addWidget(QLabel("–"))
        filters.addWidget(self.until)
        filters.addWidget(self._filter_captions[1])
        filters.addWidget(self.filter_category, 1)
        filters.addWidget(self.show_button)

        left = QVBoxLayout()
        left.addWidget(self.form_box)
        left.addWidget(self.cat_box)
        left.addStretch(1)
        left_widget = QWidget()
        left_widget.setLayout(left)
        left_widget.setFixedWidth(430)
        right = QVBoxLayout()
        right.addLayout(filters)
        right.addWidget(self.table, 1)
        foot = QHBoxLayout()
        foot.addWidget(self.message, 1)
        foot.addWidget(self.total)
        right.addLayout(foot)
        body = QHBoxLayout()
        body.addWidget(left_widget)
        body.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(body, 1)
        self.retranslate()
        self._paid_from_changed()

    def _add_row(self, key: str, field: QWidget) -> None:
        caption = QLabel()
        self._captions[key] = caption
        self.form.addRow(caption, field)
        self.form.addRow("", self.errors.label_for(key))

    # --- loading ----------------------------------------------------------------------
    def activate(self) -> None:
        books = self.books
        self._ctx.tasks.run_in_background(books.today, self._got_today, lambda _e: None,
                                          owner=self, lane=Lane.POOL)
        self.load_categories()

    def _got_today(self, today: date) -> None:
        self.spent_on.setDate(qdate(today))
        self.due.setDate(qdate(today + timedelta(days=30)))
        self.until.setDate(qdate(today))
        self.since.setDate(qdate(today.replace(day=1)))
        self.reload()

    def load_categories(self) -> None:
        books = self.books
        self._ctx.tasks.run_in_background(books.categories, self._got_categories,
                                          lambda exc: self.say(str(exc), error=True),
                                          owner=self, lane=Lane.POOL)

    def _got_categories(self, categories: tuple[CategoryView, ...]) -> None:
        self.categories_known = categories
        for combo, everything in ((self.category, False), (self.filter_category, True)):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            if everything:
                combo.addItem(tr("books.all"), None)
            for c in categories:
                combo.addItem(category_text(c), c.code)
            combo.setCurrentIndex(max(0, combo.findData(current)))
            combo.blockSignals(False)

    def reload(self) -> None:
        books = self.books
        since = pydate(self.since.date())
        until = pydate(self.until.date())
        category = self.filter_category.currentData()
        self.read(lambda: books.expenses(since=since, until=until, category=category),
                  self._show)

    def _show(self, rows: tuple[ExpenseView, ...]) -> None:
        self.rows = rows
        self.table.setRowCount(len(rows))
        for r, e in enumerate(rows):
            for c, item in enumerate((
                    cell(_day_text(e.spent_on)), cell(e.category_name),
                    cell(e.payee), cell(rupiah(e.amount), right=True),
                    cell(tr("books.paid_from." + e.paid_from)), cell(e.note or ""))):
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.total.setText(tr("books.exp.total", n=len(rows),
                              amount=rupiah(sum(e.amount for e in rows))))
        self.message.clear()

    # --- the form ---------------------------------------------------------------------
    def _paid_from_changed(self) -> None:
        owed = self.paid_from.currentData() == "owed"
        self.due.setEnabled(owed)

    def _pick_photo(self) -> None:
        path, _f = QFileDialog.getOpenFileName(self, tr("books.exp.photo_pick"), "",
                                               "Images (*.jpg *.jpeg *.png *.webp *.pdf)")
        if path:
            self.photo.setText(path)

    def form_value(self) -> ExpenseForm:
        paid_from = self.paid_from.currentData() or "drawer"
        return ExpenseForm(
            category=self.category.currentData() or "", payee=self.payee.text().strip(),
            amount=amount_of(self.amount), paid_from=paid_from,
            note=self.note.text().strip() or None,
            receipt_photo=self.photo.text().strip() or None,
            due_date=pydate(self.due.date()) if paid_from == "owed" else None,
            spent_on=pydate(self.spent_on.date()))

    def save(self) -> None:
        form = self.form_value()
        books = self.books
        self.errors.clear()
        self.save_button.setEnabled(False)

        def saved(view: ExpenseView) -> None:
            self.save_button.setEnabled(True)
            self.saved = view
            self.payee.clear()
            self.amount.clear()
            self.note.clear()
            self.photo.clear()
            self.errors.general.setStyleSheet("color: #1b5e20;")
            self.errors.general.setText(tr("books.exp.saved", amount=rupiah(form.amount),
                                           payee=form.payee))
            self.reload()

        def refused(exc: Exception) -> None:
            self.save_button.setEnabled(True)
            self.errors.general.setStyleSheet("color: #b00020;")
            self.errors.show(exc)

        self.write(lambda: books.record_expense(form), saved, refused)

    def add_category(self) -> None:
        code, name = self.cat_code.text().strip(), self.cat_name.text().strip()
        books = self.books
        self.cat_errors.clear()

        def added(view: CategoryView) -> None:
            self.cat_code.clear()
            self.cat_name.clear()
            self.cat_errors.general.setStyleSheet("color: #1b5e20;")
            self.cat_errors.general.setText(tr("books.cat.added", name=view.name))
            self.load_categories()

        def refused(exc: Exception) -> None:
            self.cat_errors.general.setStyleSheet("color: #b00020;")
            self.cat_errors.show(exc)

        self.write(lambda: books.add_category(code, name), added, refused)

    def retranslate(self) -> None:
        self.title.setText(tr("books.exp.title"))
        self.form_box.setTitle(tr("books.exp.new"))
        for key, caption in self._captions.items():
            caption.setText(tr("books.exp.field." + key))
        current = self.paid_from.currentData()
        self.paid_from.blockSignals(True)
        self.paid_from.clear()
        for p in PAID_FROM:
            self.paid_from.addItem(tr("books.paid_from." + p), p)
        self.paid_from.setCurrentIndex(max(0, self.paid_from.findData(current)))
        self.paid_from.blockSignals(False)
        self.payee.setPlaceholderText(tr("books.exp.payee_hint"))
        self.photo_button.setText(tr("books.exp.photo_pick"))
        self.save_button.setText(tr("books.exp.save"))
        self.cat_box.setTitle(tr("books.cat.new"))
        self._cat_captions[0].setText(tr("books.cat.code"))
        self._cat_captions[1].setText(tr("books.cat.name"))
        self.cat_add.setText(tr("books.cat.add"))
        self._filter_captions[0].setText(tr("books.period"))
        self._filter_captions[1].setText(tr("books.exp.field.category"))
        self.show_button.setText(tr("books.show"))
        self.table.setHorizontalHeaderLabels([tr("books.exp.col." + c) for c in COLUMNS])
        if self.categories_known:
            self._got_categories(self.categories_known)


def _day_text(day: str) -> str:
    try:
        return value_text("date", date.fromisoformat(day))
    except ValueError:
        return day


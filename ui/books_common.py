"""What the books screens share: the scope selector (this till / the whole shop / one store,
with the time the figures are as of and an offline note), a report's tables shown as
tabs, period pickers, and the base every books screen is made from (its title, a message
line, and loads that drop stale answers).

Every read runs on the pool lane (``ui.tasks``): a scope other than this till reads
central over the network, and the Qt main thread only draws.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, TypeVar

from PySide6.QtCore import QDate, QRegularExpression, Qt, Signal
from PySide6.QtGui import QKeySequence, QRegularExpressionValidator, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from services.errors import ShopError
from services.reports.scope import Scope
from services.reports.values import Period, Table, TableReport, Words
from ui.backend_books import BooksBackend, ScopeChoices, Scoped
from ui.i18n import language, tr, when
from ui.office.common import (
    ERROR_STYLE,
    OK_STYLE,
    OfficeContext,
    cell,
    font,
    read_only_table,
    value_text,
)
from ui.tasks import Lane, describe_error

T = TypeVar("T")
NUMERIC = ("money", "qty", "int", "percent")
NOTE_STYLE = "color: #a15c00;"


def qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


def date_edit(name: str, day: date | None = None) -> QDateEdit:
    edit = QDateEdit()
    edit.setObjectName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd-MM-yyyy")
    edit.setMinimumHeight(36)
    if day is not None:
        edit.setDate(qdate(day))
    return edit


def month_of(day: date) -> Period:
    """The calendar month ``day`` is in."""
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return Period(first, following)


def fill_table(widget: QTableWidget, table: Table) -> None:
    """``table``'s columns, rows and totals row in ``widget``, formatted by kind."""
    lang = language()
    widget.setColumnCount(len(table.columns))
    widget.setHorizontalHeaderLabels([c.title(lang) for c in table.columns])
    rows = list(table.rows) + ([table.totals] if table.totals is not None else [])
    widget.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, (column, value) in enumerate(zip(table.columns, row, strict=False)):
            # A label that knows its English (a statement's line) in the screen's language.
            shown = (value.text(lang) if isinstance(value, Words)
                     else value_text(column.kind, value))
            item = cell(shown, right=column.kind in NUMERIC)
            if table.totals is not None and r == len(rows) - 1:
                f = item.font()
                f.setBold(True)
                item.setFont(f)
            widget.setItem(r, c, item)
    widget.resizeColumnsToContents()


class ReportTabs(QTabWidget):
    """A report's tables, one tab each (a single table shows without a tab bar)."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self.tables: list[QTableWidget] = []

    def show_report(self, report: TableReport) -> None:
        self.clear()
        self.tables = []
        lang = language()
        for i, table in enumerate(report.tables):
            widget = read_only_table(len(table.columns), name=f"{self.objectName()}_{i}")
            widget.setFont(font(10))
            fill_table(widget, table)
            # The widest words (a name, a memo) take the room left, not the last figure.
            texts = [i for i, c in enumerate(table.columns) if c.kind == "text"]
            if texts and table.columns[-1].kind in NUMERIC:
                header = widget.horizontalHeader()
                header.setStretchLastSection(False)
                for i in range(len(table.columns)):
                    header.setSectionResizeMode(i, QHeaderView.ResizeMode.Stretch
                                                if i == texts[-1]
                                                else QHeaderView.ResizeMode.ResizeToContents)
            self.tables.append(widget)
            self.addTab(widget, table.title(lang))
        self.tabBar().setVisible(len(report.tables) > 1)


class ScopeBar(QWidget):
    """Whose figures: this till, the whole shop or one store, and as of when."""

    #: The person chose another scope.
    changed = Signal()

    def __init__(self, ctx: OfficeContext) -> None:
        super().__init__()
        self._ctx = ctx
        self.setObjectName("scopeBar")
        self.caption = QLabel()
        self.kind = QComboBox()
        self.kind.setObjectName("scopeKind")
        self.kind.setMinimumHeight(34)
        self.store = QComboBox()
        self.store.setObjectName("scopeStore")
        self.store.setMinimumHeight(34)
        self.store.setVisible(False)
        self.as_of = QLabel()
        self.as_of.setObjectName("scopeAsOf")
        self.note = QLabel()
        self.note.setObjectName("scopeNote")
        self.note.setStyleSheet(NOTE_STYLE)
        self.note.setWordWrap(True)
        self.choices = ScopeChoices(False)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.caption)
        row.addWidget(self.kind)
        row.addWidget(self.store)
        row.addWidget(self.as_of)
        row.addWidget(self.note, 1)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.store.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self._fill()
        ctx.tasks.run_in_background(ctx.backend.books.scope_choices, self._got_choices,
                                    lambda _exc: None, lane=Lane.POOL, owner=self)

    def _got_choices(self, choices: ScopeChoices) -> None:
        self.choices = choices
        self._fill()

    def _fill(self) -> None:
        current = self.kind.currentData() or "till"
        self.kind.blockSignals(True)
        self.kind.clear()
        self.kind.addItem(tr("books.scope.till"), "till")
        self.kind.addItem(tr("books.scope.tenant"), "tenant")
        if self.choices.stores:
            self.kind.addItem(tr("books.scope.store"), "store")
        self.kind.setCurrentIndex(max(0, self.kind.findData(current)))
        self.kind.blockSignals(False)
        self.store.blockSignals(True)
        self.store.clear()
        for s in self.choices.stores:
            self.store.addItem(s.name, s.id)
        self.store.blockSignals(False)
        self.store.setVisible(self.kind.currentData() == "store")

    def _kind_changed(self) -> None:
        self.store.setVisible(self.kind.currentData() == "store")
        self.changed.emit()

    def set_scope(self, scope: Scope) -> None:
        """Choose ``scope`` (tests, and a link from elsewhere) without a reload."""
        self.kind.blockSignals(True)
        index = self.kind.findData(scope.kind)
        if index < 0 and scope.kind == "store":
            self.kind.addItem(tr("books.scope.store"), "store")
            index = self.kind.count() - 1
        self.kind.setCurrentIndex(max(0, index))
        self.kind.blockSignals(False)
        if scope.store_id is not None:
            if self.store.findData(scope.store_id) < 0:
                self.store.addItem(scope.store_id, scope.store_id)
            self.store.setCurrentIndex(self.store.findData(scope.store_id))
        self.store.setVisible(scope.kind == "store")

    def scope(self) -> Scope:
        kind = self.kind.currentData() or "till"
        store = self.store.currentData()
        if kind == "store" and store is not None:
            return Scope.store(str(store))
        return Scope.tenant() if kind == "tenant" else Scope.till()

    def show_scoped(self, scoped: Scoped[Any]) -> None:
        read = scoped.read
        text = tr("books.scope.as_of", when=when(read.as_of))
        if read.origin == "central" and read.oldest_push_at:
            text += " · " + tr("books.scope.oldest_push", when=when(read.oldest_push_at))
        self.as_of.setText(text)
        if read.fell_back:
            why = (read.reason or "").removesuffix(": showing this till's figures")
            self.note.setText(tr("books.scope.offline", why=why))
        elif read.origin == "central" and read.tenant_name:
            self.note.setText(tr("books.scope.central", tenant=read.tenant_name))
        else:
            self.note.clear()
        self.note.setStyleSheet(NOTE_STYLE if read.fell_back else "color: #555;")

    def retranslate(self) -> None:
        self.caption.setText(tr("books.scope.caption"))
        self._fill()


class BooksScreen(QWidget):
    """The frame of a books screen: its title, a message line, and reads on the pool
    whose stale answers (the filters changed since) are dropped."""

    #: The figures were (re)loaded, or a load failed (the message says why).
    loaded = Signal()
    #: A write was done (value: the service's answer) or refused (``failed``: the text).
    done = Signal(object)
    failed = Signal(str)

    def __init__(self, ctx: OfficeContext, name: str) -> None:
        super().__init__()
        self._ctx = ctx
        self._asked = 0
        self.setObjectName(name)
        self.title = QLabel()
        self.title.setFont(font(16, bold=True))
        self.message = QLabel()
        self.message.setObjectName(f"{name}Message")
        self.message.setWordWrap(True)
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, self.reload,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def reload(self) -> None:
        """Read the figures again (F5)."""

    @property
    def books(self) -> BooksBackend:
        return self._ctx.backend.books

    def read(self, fn: Callable[[], T], shown: Callable[[T], None]) -> None:
        """``fn`` on the pool lane; ``shown`` with its answer unless asked again since."""
        self._asked += 1
        asked = self._asked

        def ok(value: T) -> None:
            if asked == self._asked:
                shown(value)
                self.loaded.emit()

        def bad(exc: Exception) -> None:
            if asked == self._asked:
                self.say(describe_error(exc), error=True)
                self.loaded.emit()

        self._ctx.tasks.run_in_background(fn, ok, bad, lane=Lane.POOL, owner=self)

    def write(self, fn: Callable[[], T], after: Callable[[T], None],
              refused: Callable[[Exception], None] | None = None) -> None:
        """``fn`` on the DB-writer lane; ``after`` with its answer, or the refusal shown."""

        def ok(value: T) -> None:
            after(value)
            self.done.emit(value)

        def bad(exc: Exception) -> None:
            if refused is not None:
                refused(exc)
            else:
                self.say(describe_error(exc), error=True)
            self.failed.emit(describe_error(exc))

        self._ctx.tasks.run_in_background(fn, ok, bad, lane=Lane.WRITER, owner=self)

    def say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet(ERROR_STYLE if error else OK_STYLE)
        self.message.setText(text)


def heading_row(*widgets: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    for w in widgets:
        row.addWidget(w)
    return row


def vbox(parent: QWidget) -> QVBoxLayout:
    return QVBoxLayout(parent)


def money_field(name: str) -> QLineEdit:
    """Rupiah typed as digits (dots allowed as a thousands mark)."""
    field = QLineEdit()
    field.setObjectName(name)
    field.setMinimumHeight(36)
    field.setValidator(QRegularExpressionValidator(QRegularExpression(r"[0-9.]{0,14}"), field))
    return field


def amount_of(field: QLineEdit) -> int:
    """The rupiah in ``field`` (0 when empty: the service says what is wrong)."""
    digits = field.text().replace(".", "").strip()
    return int(digits) if digits else 0


class ScopedReportScreen(BooksScreen):
    """A report on a scope: the title and the scope selector on top, the screen's own
    controls (``controls``) under them, then the report's tables as tabs and its notes
    (late postings, what a figure means). Subclasses say what to read in :meth:`fetch`."""

    def __init__(self, ctx: OfficeContext, name: str) -> None:
        super().__init__(ctx, name)
        self.data: Scoped[Any] | None = None
        self._today = date.today()
        self._opened = False
        self.scope_bar = ScopeBar(ctx)
        self.scope_bar.changed.connect(self.reload)
        self.controls = QHBoxLayout()
        self.tabs = ReportTabs(f"{name}Tabs")
        self.notes = QLabel()
        self.notes.setObjectName(f"{name}Notes")
        self.notes.setWordWrap(True)
        self.notes.setStyleSheet(NOTE_STYLE)
        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addStretch(1)
        head.addWidget(self.scope_bar, 3)
        self.body = QVBoxLayout(self)
        self.body.addLayout(head)
        self.body.addLayout(self.controls)
        self.body.addWidget(self.tabs, 1)
        self.body.addWidget(self.notes)
        self.body.addWidget(self.message)

    @property
    def today(self) -> date:
        return self._today

    def activate(self) -> None:
        if self._opened:
            self.reload()
            return
        self._ctx.tasks.run_in_background(self.books.today, self._got_today,
                                          lambda _e: self._got_today(self._today),
                                          lane=Lane.POOL, owner=self)

    def _got_today(self, today: date) -> None:
        self._today = today
        self._opened = True
        self.today_known(today)
        self.reload()

    def today_known(self, today: date) -> None:
        """The store's today arrived: set the controls' default dates."""

    def fetch(self, scope: Scope) -> Callable[[], Scoped[Any]] | None:
        """What to read (run on the pool lane), or None when the controls are not ready."""
        raise NotImplementedError

    def reload(self) -> None:
        if not self._opened:
            return  # the store's today first (activate): then the dates are right
        try:
            fetch = self.fetch(self.scope_bar.scope())
        except ShopError as exc:
            self.say(describe_error(exc), error=True)
            return
        if fetch is not None:
            self.read(fetch, self.show_scoped)

    def show_scoped(self, scoped: Scoped[Any]) -> None:
        self.data = scoped
        self.scope_bar.show_scoped(scoped)
        self.tabs.show_report(scoped.report)
        lang = language()  # a note that knows its English shows in the screen's language
        self.notes.setText("\n".join(n.text(lang) if isinstance(n, Words) else n
                                     for n in scoped.report.notes))
        self.notes.setVisible(bool(scoped.report.notes))
        self.message.clear()

    def retranslate(self) -> None:
        self.scope_bar.retranslate()
        if self.data is not None:
            self.show_scoped(self.data)

"""Reports (owner): choose a report and a date range, preview it in tables, export it to
CSV, HTML or PDF in a file chosen with a file dialog.

The reports are services.reports' (the registry decides which exist: this screen takes
what is there). Previews and exports run off the main thread (pool lane): a PDF of a long
period takes a while and the window keeps drawing meanwhile.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from services.reports import ReportSpec, Table
from ui.backend_books import Scoped
from ui.backend_office import EXPORT_FORMATS, ReportPreview
from ui.books_common import ScopeBar
from ui.i18n import language, tr
from ui.office.common import (
    ERROR_STYLE,
    OK_STYLE,
    OfficeContext,
    big_button,
    cell,
    font,
    read_only_table,
    value_text,
)
from ui.tasks import Lane, describe_error


_NUMERIC = ("money", "qty", "int", "percent")


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


class ReportsScreen(QWidget):
    #: A preview is on screen (value: ReportPreview).
    previewed = Signal(object)
    #: An export was written (value: its path).
    exported = Signal(str)
    failed = Signal(str)

    def __init__(self, ctx: OfficeContext) -> None:
        super().__init__()
        self._ctx = ctx
        self._kinds: list[ReportSpec] = []
        self.preview: ReportPreview | None = None
        self._seq = 0
        self._today = date.today()  # until the shop's own today (its time zone) arrives
        self._dates_touched = False
        self._opened = False  # the shop's today arrived: reports show when chosen
        self.setObjectName("reportsScreen")
        self.title = QLabel()
        self.title.setFont(font(16, bold=True))
        self.kind_caption, self.from_caption, self.to_caption = QLabel(), QLabel(), QLabel()
        self.kind = QComboBox()
        self.kind.setObjectName("reportKind")
        self.kind.setMinimumHeight(40)
        self.kind.setMinimumWidth(220)
        self.kind.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self.start = QDateEdit(_qdate(self._today))
        self.end = QDateEdit(_qdate(self._today))
        for w, name in ((self.start, "reportFrom"), (self.end, "reportTo")):
            w.setObjectName(name)
            w.setCalendarPopup(True)
            w.setDisplayFormat("dd-MM-yyyy")
            w.setMinimumHeight(40)
            w.dateChanged.connect(self._touched)
        self.quick = {key: big_button(name=f"report_{key}", height=40)
                      for key in ("today", "week", "month")}
        self.quick["today"].clicked.connect(lambda: self.set_range())
        self.quick["week"].clicked.connect(lambda: self.set_range(days=7))
        self.quick["month"].clicked.connect(lambda: self.set_range(month=True))
        self.show_button = big_button(name="reportShow", height=40)
        self.show_button.clicked.connect(self.show_report)
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, self.show_report,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.export_buttons = {fmt: big_button(name=f"export_{fmt}", height=44)
                               for fmt in EXPORT_FORMATS}
        for fmt, b in self.export_buttons.items():
            b.clicked.connect(lambda _=False, f=fmt: self.export(f))
            b.setEnabled(False)
        self.note = QLabel()
        self.note.setStyleSheet("color: #555;")
        self.message = QLabel()
        self.message.setObjectName("reportsMessage")
        self.message.setWordWrap(True)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("reportTabs")
        # Whose figures: this till, the whole shop or one store (read from central).
        self.scope_bar = ScopeBar(ctx)
        self.scope_bar.changed.connect(self.show_report)

        row1 = QHBoxLayout()
        row1.addWidget(self.title)
        row1.addStretch(1)
        row1.addWidget(self.kind_caption)
        row1.addWidget(self.kind)
        row2 = QHBoxLayout()
        row2.addWidget(self.from_caption)
        row2.addWidget(self.start)
        row2.addWidget(self.to_caption)
        row2.addWidget(self.end)
        for b in self.quick.values():
            row2.addWidget(b)
        row2.addStretch(1)
        row2.addWidget(self.show_button)
        row3 = QHBoxLayout()
        row3.addWidget(self.message, 1)
        for b in self.export_buttons.values():
            row3.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addLayout(row1)
        layout.addLayout(row2)
        layout.addWidget(self.scope_bar)
        layout.addWidget(self.note)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(row3)
        self.retranslate()

    # --- choosing ---------------------------------------------------------------------
    def activate(self) -> None:
        if not self._kinds:
            # The registry of reports is static value code (no database).
            self._kinds = self._ctx.backend.office.report_kinds()
            self._fill_kinds()
        self._ctx.tasks.run_in_background(self._ctx.backend.office.today, self._got_today,
                                          lambda _exc: None, lane=Lane.POOL, owner=self)

    def _got_today(self, today: date) -> None:
        self._today = today
        if not self._dates_touched:
            self.set_range()
            self._dates_touched = False
        # Opened: the chosen report is shown at once (no blank page until F5).
        self._opened = True
        self.show_report()

    @property
    def today(self) -> date:
        return self._today

    def _touched(self) -> None:
        self._dates_touched = True

    def _fill_kinds(self) -> None:
        current = self.kind.currentData()
        self.kind.blockSignals(True)
        self.kind.clear()
        for k in self._kinds:
            self.kind.addItem(k.title(language()), k.name)
        index = self.kind.findData(current)
        self.kind.setCurrentIndex(max(index, 0))
        self.kind.blockSignals(False)
        self._kind_changed()

    def choose(self, key: str) -> None:
        index = self.kind.findData(key)
        if index >= 0:
            self.kind.setCurrentIndex(index)

    def current_kind(self) -> ReportSpec | None:
        key = self.kind.currentData()
        return next((k for k in self._kinds if k.name == key), None)

    def _kind_changed(self) -> None:
        k = self.current_kind()
        takes = k is not None and k.takes_period
        self.start.setEnabled(takes)
        self.end.setEnabled(takes and not k.single_day if k else False)
        for b in self.quick.values():
            b.setEnabled(takes)
        self.note.setText("" if takes or k is None else tr("reports.now_note"))
        self.tabs.clear()
        self.preview = None
        self._seq += 1  # an answer for the report chosen before is dropped
        for b in self.export_buttons.values():
            b.setEnabled(False)
        if self._opened:
            self.show_report()  # another report chosen: shown at once too

    def set_range(self, *, days: int = 0, month: bool = False) -> None:
        """Today (the shop's), the last ``days`` days, or this month so far."""
        today = self._today
        first = today
        if days:
            first = today - timedelta(days=days - 1)
        elif month:
            first = today.replace(day=1)
        self.start.setDate(_qdate(first))
        self.end.setDate(_qdate(today))

    def set_dates(self, first: date, last: date) -> None:
        self.start.setDate(_qdate(first))
        self.end.setDate(_qdate(last))

    def period(self) -> tuple[date, date]:
        """[start, end) from the two dates on screen (the "to" date is included)."""
        first = _pydate(self.start.date())
        k = self.current_kind()
        if k is not None and k.single_day:
            return first, first + timedelta(days=1)
        last = _pydate(self.end.date())
        return first, last + timedelta(days=1)

    # --- preview ----------------------------------------------------------------------
    def show_report(self) -> None:
        k = self.current_kind()
        if k is None:
            return
        start, end = self.period()
        self._seq += 1
        seq = self._seq
        self.message.clear()
        backend = self._ctx.backend
        scope = self.scope_bar.scope()
        self._ctx.tasks.run_in_background(lambda: backend.office.report(k.name, start, end,
                                                                        scope),
                                          lambda p: self._show(seq, p), self._failed,
                                          lane=Lane.POOL, owner=self)

    def _show(self, seq: int, preview: ReportPreview) -> None:
        if seq != self._seq:
            return
        self.preview = preview
        if preview.scoped is not None:
            self.scope_bar.show_scoped(Scoped(preview, preview.scoped))
        self.tabs.clear()
        lang = language()
        for i, table in enumerate(preview.tables):
            self.tabs.addTab(self._table_widget(table, lang, i), table.title(lang))
        if not any(t.rows for t in preview.tables):
            self.message.setStyleSheet(OK_STYLE)
            self.message.setText(tr("reports.empty"))
        for b in self.export_buttons.values():
            b.setEnabled(True)
        self.previewed.emit(preview)

    def _table_widget(self, table: Table, lang: str, index: int) -> QWidget:
        t = read_only_table(len(table.columns), name=f"reportTable{index}")
        t.setHorizontalHeaderLabels([c.title(lang) for c in table.columns])
        rows = list(table.rows) + ([table.totals] if table.totals is not None else [])
        t.setRowCount(len(rows))
        for r, row in enumerate(rows):
            is_total = table.totals is not None and r == len(rows) - 1
            for c, (col, value) in enumerate(zip(table.columns, row, strict=True)):
                text = value_text(col.kind, value)
                if is_total and c == 0 and value is None:
                    text = tr("reports.total")
                item = cell(text, right=col.kind in _NUMERIC)
                if is_total:
                    f = item.font()
                    f.setBold(True)
                    item.setFont(f)
                t.setItem(r, c, item)
        t.resizeColumnsToContents()
        return t

    def table(self, index: int = 0) -> QWidget | None:
        return self.tabs.widget(index)

    # --- export -----------------------------------------------------------------------
    def export(self, fmt: str, path: str | None = None) -> None:
        """Export the current report; ``path`` None asks with a file dialog."""
        k = self.current_kind()
        if k is None:
            return
        start, end = self.period()
        if path is None:
            stamp = start.isoformat() if end - start <= timedelta(days=1) else \
                f"{start.isoformat()}_{(end - timedelta(days=1)).isoformat()}"
            suggested = f"{k.name}-{stamp}.{fmt}"
            path, _f = QFileDialog.getSaveFileName(self, tr("reports.save_as"), suggested,
                                                   f"{fmt.upper()} (*.{fmt})")
            if not path:
                return
            if not path.lower().endswith("." + fmt):
                path += "." + fmt
        self.message.setStyleSheet(OK_STYLE)
        self.message.setText(tr("reports.exporting"))
        backend, lang, target = self._ctx.backend, language(), path
        for b in self.export_buttons.values():
            b.setEnabled(False)
        self._ctx.tasks.run_in_background(
            lambda: backend.office.export_report(k.name, start, end, fmt, target, lang),
            self._exported, self._failed, lane=Lane.POOL, owner=self)

    def _exported(self, path: str) -> None:
        for b in self.export_buttons.values():
            b.setEnabled(self.preview is not None)
        self.message.setStyleSheet(OK_STYLE)
        self.message.setText(tr("reports.exported", path=path))
        self.exported.emit(path)

    def _failed(self, exc: Exception) -> None:
        for b in self.export_buttons.values():
            b.setEnabled(self.preview is not None)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(describe_error(exc))
        self.failed.emit(self.message.text())

    def retranslate(self) -> None:
        self.title.setText(tr("reports.title"))
        self.scope_bar.retranslate()
        self.kind_caption.setText(tr("reports.kind"))
        self.from_caption.setText(tr("reports.from"))
        self.to_caption.setText(tr("reports.to"))
        for key, b in self.quick.items():
            b.setText(tr("reports." + key))
        self.show_button.setText(tr("reports.show"))
        for fmt, b in self.export_buttons.items():
            b.setText(tr("reports.export." + fmt))
        if self._kinds:
            for i, k in enumerate(self._kinds):
                self.kind.setItemText(i, k.title(language()))

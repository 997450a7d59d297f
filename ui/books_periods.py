"""Closing the books (back office, "Tutup buku"): each month's state — open, closed
(soft: a supervisor may still post, audited) or locked (hard, once the PPN return is
filed) — with who closed it and when; closing a month (its income and expenses move to
retained earnings), locking it with the day the PPN return was filed, and reopening it
with a reason.

The periods load on the pool lane; a close, lock or reopen runs on the DB-writer lane,
and services.books.periods decides who may (the owner) and what is allowed.
"""

from __future__ import annotations

from datetime import date, timedelta
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from ui.books_common import BooksScreen, date_edit, pydate, qdate
from ui.i18n import number, tr, when
from ui.office.common import (
    ERROR_STYLE,
    OK_STYLE,
    FieldErrors,
    OfficeContext,
    cell,
    font,
    read_only_table,
    value_text,
)
from ui.tasks import Lane

if TYPE_CHECKING:
    from services.books.periods import PeriodView

COLUMNS = ("period", "state", "closed", "ppn_filed", "late", "note")
STATE_COLOURS = {"open": "#1b5e20", "soft": "#a15c00", "hard": "#b00020"}


def month_text(period: str) -> str:
    """``2026-11`` as ``11-2026`` (the shop's order of a date)."""
    year, _sep, month = period.partition("-")
    return f"{month}-{year}" if month else period


class PeriodsScreen(BooksScreen):
    def __init__(self, ctx: OfficeContext) -> None:
        super().__init__(ctx, "periodsScreen")
        self.rows: tuple[PeriodView, ...] = ()
        self.chosen: PeriodView | None = None
        self.table = read_only_table(len(COLUMNS), name="periodsTable")
        self.table.itemSelectionChanged.connect(self._selected)
        self.act_box = QGroupBox()
        self.month = date_edit("periodMonth", date.today())
        self.month.setDisplayFormat("MM-yyyy")
        self.month.dateChanged.connect(lambda _d: self._month_changed())
        self.chosen_label = QLabel()
        self.chosen_label.setObjectName("periodChosen")
        self.chosen_label.setFont(font(12, bold=True))
        self.chosen_label.setWordWrap(True)
        self.close_button = QPushButton()
        self.close_button.setObjectName("periodClose")
        self.ppn_filed = date_edit("periodPpnFiled", date.today())
        self.lock_button = QPushButton()
        self.lock_button.setObjectName("periodLock")
        self.reason = QLineEdit()
        self.reason.setObjectName("periodReason")
        self.reason.setMaxLength(300)
        self.reason.setMinimumHeight(36)
        self.reopen_button = QPushButton()
        self.reopen_button.setObjectName("periodReopen")
        for b in (self.close_button, self.lock_button, self.reopen_button):
            b.setMinimumHeight(40)
            b.setFont(font(11, bold=True))
        self.close_button.clicked.connect(self.close_chosen)
        self.lock_button.clicked.connect(self.lock_chosen)
        self.reopen_button.clicked.connect(self.reopen_chosen)
        self.act_message = QLabel()
        self.errors = FieldErrors(self.act_message)
        form = QFormLayout()
        self._captions = (QLabel(), QLabel(), QLabel())
        form.addRow(self._captions[0], self.close_button)
        lock_row = QHBoxLayout()
        lock_row.addWidget(self.ppn_filed)
        lock_row.addWidget(self.lock_button, 1)
        form.addRow(self._captions[1], lock_row)
        form.addRow("", self.errors.label_for("ppn_filed_at"))
        reopen_row = QHBoxLayout()
        reopen_row.addWidget(self.reason, 1)
        reopen_row.addWidget(self.reopen_button)
        form.addRow(self._captions[2], reopen_row)
        form.addRow("", self.errors.label_for("reason"))
        self.explain = QLabel()
        self.explain.setWordWrap(True)
        self.explain.setStyleSheet("color: #555;")
        av = QVBoxLayout(self.act_box)
        month_row = QHBoxLayout()
        self._month_caption = QLabel()
        month_row.addWidget(self._month_caption)
        month_row.addWidget(self.month)
        month_row.addWidget(self.chosen_label, 1)
        av.addLayout(month_row)
        av.addLayout(form)
        av.addWidget(self.act_message)
        av.addWidget(self.explain)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 3)
        layout.addWidget(self.message)
        layout.addWidget(self.act_box, 2)
        self.retranslate()
        self._month_changed()

    def activate(self) -> None:
        self._ctx.tasks.run_in_background(self.books.today, self._got_today,
                                          lambda _e: None, lane=Lane.POOL, owner=self)
        self.reload()

    def _got_today(self, today: date) -> None:
        self.ppn_filed.setDate(qdate(today))
        last_month = today.replace(day=1) - timedelta(days=1)
        if self.chosen is None:
            self.month.setDate(qdate(last_month))  # the month usually closed next

    def reload(self) -> None:
        books = self.books
        self.read(books.periods, self._show)

    def _show(self, rows: tuple[PeriodView, ...]) -> None:
        keep = self.chosen_period()
        self.rows = tuple(sorted(rows, key=lambda p: p.period, reverse=True))
        self.table.setRowCount(len(self.rows))
        for r, p in enumerate(self.rows):
            state = cell(tr("books.per.state." + p.state))
            state.setForeground(QColor(STATE_COLOURS.get(p.state, "#000")))
            closed = when(p.closed_at) if p.closed_at else ""
            filed_text = ""
            if p.ppn_filed_at:
                try:
                    filed_text = value_text("date", date.fromisoformat(p.ppn_filed_at[:10]))
                except ValueError:
                    filed_text = p.ppn_filed_at
            late = cell(number(p.late_postings) if p.late_postings else "", right=True)
            for c, item in enumerate((cell(month_text(p.period)), state, cell(closed),
                                      cell(filed_text), late, cell(p.note or ""))):
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.message.clear()
        periods = [p.period for p in self.rows]
        if keep in periods:
            self.table.selectRow(periods.index(keep))
        self._month_changed()

    def _selected(self) -> None:
        chosen = self.table.selectionModel().selectedRows()
        if chosen and chosen[0].row() < len(self.rows):
            year, _sep, month = self.rows[chosen[0].row()].period.partition("-")
            self.month.setDate(qdate(date(int(year), int(month), 1)))

    def chosen_period(self) -> str:
        """The month acted on, ``YYYY-MM``."""
        d = pydate(self.month.date())
        return f"{d.year:04d}-{d.month:02d}"

    def choose_month(self, period: str) -> None:
        year, _sep, month = period.partition("-")
        self.month.setDate(qdate(date(int(year), int(month), 1)))

    def _month_changed(self) -> None:
        period = self.chosen_period()
        self._choose(next((p for p in self.rows if p.period == period), None))

    def _choose(self, period: PeriodView | None) -> None:
        """The chosen month's row (None: never closed, so open)."""
        self.chosen = period
        state = period.state if period is not None else "open"
        self.close_button.setEnabled(state == "open")
        self.lock_button.setEnabled(state in ("open", "soft"))
        self.ppn_filed.setEnabled(state in ("open", "soft"))
        self.reopen_button.setEnabled(state == "soft")  # a locked month never reopens
        self.reason.setEnabled(state == "soft")
        self.chosen_label.setText(tr("books.per.chosen", period=month_text(
            self.chosen_period()), state=tr("books.per.state." + state)))

    # --- actions ------------------------------------------------------------------------
    def _act(self, what: str, fn: Callable[[], PeriodView]) -> None:
        self.errors.clear()

        def ok(view: PeriodView) -> None:
            self.errors.general.setStyleSheet(OK_STYLE)
            self.errors.general.setText(tr("books.per.done." + what,
                                           period=month_text(view.period)))
            self.reason.clear()
            self.reload()

        def refused(exc: Exception) -> None:
            self.errors.general.setStyleSheet(ERROR_STYLE)
            self.errors.show(exc)

        self.write(fn, ok, refused)

    def close_chosen(self) -> None:
        books, period = self.books, self.chosen_period()
        self._act("close", lambda: books.close_period(period))

    def lock_chosen(self) -> None:
        books, period = self.books, self.chosen_period()
        filed = pydate(self.ppn_filed.date())
        self._act("lock", lambda: books.lock_period(period, filed))

    def reopen_chosen(self) -> None:
        books, period = self.books, self.chosen_period()
        reason = self.reason.text().strip()
        self._act("reopen", lambda: books.reopen_period(period, reason))

    def retranslate(self) -> None:
        self.title.setText(tr("books.per.title"))
        self._month_caption.setText(tr("books.per.month"))
        self.table.setHorizontalHeaderLabels([tr("books.per.col." + c) for c in COLUMNS])
        self.act_box.setTitle(tr("books.per.act"))
        self._captions[0].setText(tr("books.per.close_caption"))
        self._captions[1].setText(tr("books.per.lock_caption"))
        self._captions[2].setText(tr("books.per.reopen_caption"))
        self.close_button.setText(tr("books.per.close"))
        self.lock_button.setText(tr("books.per.lock"))
        self.reopen_button.setText(tr("books.per.reopen"))
        self.reason.setPlaceholderText(tr("books.per.reason_hint"))
        self.explain.setText(tr("books.per.explain"))
        if self.rows:
            self._show(self.rows)


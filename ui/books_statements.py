"""Statements (back office, "Laporan keuangan"): the profit and loss for a period, the
balance sheet as of its last day, the trial balance of the period and the cash book of a
cash account, on a chosen scope; exported to CSV or HTML.

The figures are services.books.statements' (proven against the ledger), read on the pool
lane; notes under the tables list late postings (sales booked into a closed period by a
till that was offline). The whole month is one click; any dates may be chosen.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFileDialog, QLabel, QPushButton

from services.books.chart import CASH_ACCOUNTS, account_name
from services.reports.scope import Scope
from services.reports.values import Period
from ui.backend_books import STATEMENT_FORMATS, STATEMENTS, Scoped
from ui.books_common import ScopedReportScreen, date_edit, month_of, pydate, qdate
from ui.i18n import language, tr
from ui.office.common import OfficeContext
from ui.tasks import Lane, describe_error


class StatementsScreen(ScopedReportScreen):
    #: A statement was exported (value: the path written).
    exported = Signal(str)

    def __init__(self, ctx: OfficeContext) -> None:
        super().__init__(ctx, "statementsScreen")
        self._captions = (QLabel(), QLabel(), QLabel())
        self.kind = QComboBox()
        self.kind.setObjectName("stKind")
        self.kind.setMinimumHeight(34)
        self.kind.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self.since = date_edit("stSince", self.today.replace(day=1))
        self.until = date_edit("stUntil", self.today)
        self.account = QComboBox()
        self.account.setObjectName("stAccount")
        self.account.setMinimumHeight(34)
        self.account.currentIndexChanged.connect(lambda _i: self.reload())
        self.months = {key: QPushButton() for key in ("this", "last")}
        for key, b in self.months.items():
            b.setObjectName(f"stMonth_{key}")
            b.setMinimumHeight(34)
            b.clicked.connect(lambda _=False, k=key: self.month(k))
        self.show_button = QPushButton()
        self.show_button.setObjectName("stShow")
        self.show_button.setMinimumHeight(34)
        self.show_button.clicked.connect(self.reload)
        self.export_buttons = {fmt: QPushButton() for fmt in STATEMENT_FORMATS}
        for fmt, b in self.export_buttons.items():
            b.setObjectName(f"stExport_{fmt}")
            b.setMinimumHeight(34)
            b.setEnabled(False)
            b.clicked.connect(lambda _=False, f=fmt: self.export(f))
        self.controls.addWidget(self._captions[0])
        self.controls.addWidget(self.kind)
        self.controls.addWidget(self._captions[1])
        self.controls.addWidget(self.since)
        self.controls.addWidget(QLabel("–"))
        self.controls.addWidget(self.until)
        for b in self.months.values():
            self.controls.addWidget(b)
        self.controls.addWidget(self._captions[2])
        self.controls.addWidget(self.account)
        self.controls.addWidget(self.show_button)
        self.controls.addStretch(1)
        for b in self.export_buttons.values():
            self.controls.addWidget(b)
        self.retranslate()
        self._kind_changed()

    def today_known(self, today: date) -> None:
        self.since.setDate(qdate(today.replace(day=1)))
        self.until.setDate(qdate(today))

    def month(self, which: str) -> None:
        """This month so far, or the whole of last month; then show."""
        first = self.today.replace(day=1)
        if which == "last":
            period = month_of(first - timedelta(days=1))
            self.since.setDate(qdate(period.start))
            self.until.setDate(qdate(period.last))
        else:
            self.since.setDate(qdate(first))
            self.until.setDate(qdate(self.today))
        self.reload()

    def choose(self, kind: str, *, since: date | None = None, until: date | None = None,
               account: str | None = None) -> None:
        """Choose a statement and its dates (tests, links) and show it."""
        if since is not None:
            self.since.setDate(qdate(since))
        if until is not None:
            self.until.setDate(qdate(until))
        if account is not None:
            self.account.blockSignals(True)
            self.account.setCurrentIndex(max(0, self.account.findData(account)))
            self.account.blockSignals(False)
        self.kind.blockSignals(True)
        self.kind.setCurrentIndex(max(0, self.kind.findData(kind)))
        self.kind.blockSignals(False)
        self._kind_changed()

    def _kind_changed(self) -> None:
        cash = self.kind.currentData() == "cashbook"
        self.account.setVisible(cash)
        self._captions[2].setVisible(cash)
        self.reload()

    def period(self) -> Period:
        return Period(pydate(self.since.date()), pydate(self.until.date())
                      + timedelta(days=1))

    def fetch(self, scope: Scope) -> Callable[[], Scoped[Any]] | None:
        kind = self.kind.currentData()
        if kind is None:
            return None
        books, period = self.books, self.period()
        account = self.account.currentData() if kind == "cashbook" else None
        for b in self.export_buttons.values():
            b.setEnabled(False)
        return lambda: books.statement(kind, period, scope, account=account)

    def show_scoped(self, scoped: Scoped[Any]) -> None:
        super().show_scoped(scoped)
        for b in self.export_buttons.values():
            b.setEnabled(True)

    def export(self, fmt: str, path: str | None = None) -> None:
        """Save the statement on screen as ``fmt``; ``path`` (tests) skips the dialog."""
        if self.data is None:
            return
        report = self.data.report
        if path is None:
            suggested = f"{report.name}.{fmt}"
            path, _f = QFileDialog.getSaveFileName(self, tr("books.st.save_as"), suggested,
                                                   f"{fmt.upper()} (*.{fmt})")
            if not path:
                return
        books, lang, target = self.books, language(), path

        def written(where: str) -> None:
            self.say(tr("books.st.exported", path=where))
            self.exported.emit(where)

        self._ctx.tasks.run_in_background(
            lambda: books.export_statement(report, fmt, target, lang), written,
            lambda exc: self.say(describe_error(exc), error=True), lane=Lane.POOL,
            owner=self)

    def retranslate(self) -> None:
        self.title.setText(tr("books.st.title"))
        self._captions[0].setText(tr("books.st.kind"))
        self._captions[1].setText(tr("books.period"))
        self._captions[2].setText(tr("books.st.account"))
        self.months["this"].setText(tr("books.st.this_month"))
        self.months["last"].setText(tr("books.st.last_month"))
        self.show_button.setText(tr("books.show"))
        for fmt, b in self.export_buttons.items():
            b.setText(tr("books.st.export", fmt=fmt.upper()))
        lang = language()
        for combo, items in ((self.kind, [(k, tr("books.st.kind." + k)) for k in STATEMENTS]),
                             (self.account, [(c, f"{c} {account_name(c, lang)}")
                                             for c in CASH_ACCOUNTS])):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            for data, text in items:
                combo.addItem(text, data)
            combo.setCurrentIndex(max(0, combo.findData(current)))
            combo.blockSignals(False)
        super().retranslate()

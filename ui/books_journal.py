"""The journal (back office, "Jurnal"): every journal entry with its lines — date, entry,
kind, memo, account, debit and credit — filtered by period, account, kind and a text, on
a chosen scope. The entries are services.books.statements.journal_page's, read on the
pool lane (at most ``LIMIT`` at a time: narrow the filters to see older ones).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPushButton

from services.reports.scope import Scope
from services.reports.values import Period
from ui.backend_books import Scoped
from ui.books_common import ScopedReportScreen, date_edit, pydate, qdate
from ui.i18n import tr
from ui.office.common import OfficeContext

LIMIT = 200
#: The kinds of entries offered in the filter (the ledger's own ``kind`` values).
KINDS = ("sale", "refund", "expense", "payable.payment", "goods.received", "cash.in",
         "cash.out", "shift.float", "shift.close", "kasbon.repayment",
         "midtrans.settlement", "stock.waste", "period.close")


class JournalScreen(ScopedReportScreen):
    def __init__(self, ctx: OfficeContext) -> None:
        super().__init__(ctx, "journalScreen")
        self._captions = (QLabel(), QLabel(), QLabel())
        self.since = date_edit("jrSince", self.today.replace(day=1))
        self.until = date_edit("jrUntil", self.today)
        self.account = QLineEdit()
        self.account.setObjectName("jrAccount")
        self.account.setMaximumWidth(110)
        self.account.setMinimumHeight(34)
        self.account.setPlaceholderText("1-1000")
        self.kind = QComboBox()
        self.kind.setObjectName("jrKind")
        self.kind.setMinimumHeight(34)
        self.kind.currentIndexChanged.connect(lambda _i: self.reload())
        self.text = QLineEdit()
        self.text.setObjectName("jrText")
        self.text.setMinimumHeight(34)
        self.show_button = QPushButton()
        self.show_button.setObjectName("jrShow")
        self.show_button.setMinimumHeight(34)
        for w in (self.account, self.text):
            w.returnPressed.connect(self.reload)
        self.show_button.clicked.connect(self.reload)
        self.controls.addWidget(self._captions[0])
        self.controls.addWidget(self.since)
        self.controls.addWidget(QLabel("–"))
        self.controls.addWidget(self.until)
        self.controls.addWidget(self._captions[1])
        self.controls.addWidget(self.account)
        self.controls.addWidget(self._captions[2])
        self.controls.addWidget(self.kind)
        self.controls.addWidget(self.text, 1)
        self.controls.addWidget(self.show_button)
        self.retranslate()

    def today_known(self, today: date) -> None:
        self.since.setDate(qdate(today.replace(day=1)))
        self.until.setDate(qdate(today))

    def set_filters(self, *, since: date | None = None, until: date | None = None,
                    account: str = "", kind: str | None = None, text: str = "") -> None:
        """Set the filters (tests, a link from a statement's account) and reload."""
        if since is not None:
            self.since.setDate(qdate(since))
        if until is not None:
            self.until.setDate(qdate(until))
        self.account.setText(account)
        self.kind.blockSignals(True)
        self.kind.setCurrentIndex(max(0, self.kind.findData(kind)))
        self.kind.blockSignals(False)
        self.text.setText(text)
        self.reload()

    def fetch(self, scope: Scope) -> Callable[[], Scoped[Any]]:
        books = self.books
        period = Period(pydate(self.since.date()), pydate(self.until.date())
                        + timedelta(days=1))
        account = self.account.text().strip() or None
        kind = self.kind.currentData()
        text = self.text.text().strip() or None
        return lambda: books.journal(scope, period=period, account=account, kind=kind,
                                     text=text, limit=LIMIT)

    def retranslate(self) -> None:
        self.title.setText(tr("books.jr.title"))
        self._captions[0].setText(tr("books.period"))
        self._captions[1].setText(tr("books.jr.account"))
        self._captions[2].setText(tr("books.jr.kind"))
        self.text.setPlaceholderText(tr("books.jr.text_hint"))
        self.show_button.setText(tr("books.show"))
        current = self.kind.currentData()
        self.kind.blockSignals(True)
        self.kind.clear()
        self.kind.addItem(tr("books.all"), None)
        for k in KINDS:
            self.kind.addItem(k, k)
        self.kind.setCurrentIndex(max(0, self.kind.findData(current)))
        self.kind.blockSignals(False)
        super().retranslate()

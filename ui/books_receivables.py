"""Receivables (back office, "Piutang"): what customers owe — kasbon and sales with a due
date — aged by due date in the buckets current, 1–30, 31–60, 61–90, 91–120 and older, as
of a chosen day (a past day adds back the payments made after it), on a chosen scope.

The figures are services.books.ageing's (their total equals the receivables balance of the
trial balance), read on the pool lane.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtWidgets import QLabel, QPushButton

from services.reports.scope import Scope
from ui.backend_books import Scoped
from ui.books_common import ScopedReportScreen, date_edit, pydate, qdate
from ui.i18n import tr
from ui.office.common import OfficeContext


class ReceivablesScreen(ScopedReportScreen):
    def __init__(self, ctx: OfficeContext) -> None:
        super().__init__(ctx, "receivablesScreen")
        self._caption = QLabel()
        self.as_of = date_edit("recAsOf", self.today)
        self.show_button = QPushButton()
        self.show_button.setObjectName("recShow")
        self.show_button.setMinimumHeight(34)
        self.show_button.clicked.connect(self.reload)
        self.controls.addWidget(self._caption)
        self.controls.addWidget(self.as_of)
        self.controls.addWidget(self.show_button)
        self.controls.addStretch(1)
        self.retranslate()

    def today_known(self, today: date) -> None:
        self.as_of.setDate(qdate(today))

    def fetch(self, scope: Scope) -> Callable[[], Scoped[Any]]:
        books, as_of = self.books, pydate(self.as_of.date())
        return lambda: books.ageing(as_of, scope)

    def retranslate(self) -> None:
        self.title.setText(tr("books.rec.title"))
        self._caption.setText(tr("books.rec.as_of"))
        self.show_button.setText(tr("books.show"))
        super().retranslate()

"""Customer segments (back office, "Segmen pelanggan"): the RFM segments with their member
counts, how many of them a campaign may reach (marketing consent) and their spend, as the
nightly job last computed them, and a button that runs the job now.

The rule (fixed thresholds, a setting each) is ``services.segments``'; the table loads on
the pool lane, the recompute runs on the DB-writer lane, and the service decides who may
(a supervisor or the owner).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from ui.backend_campaigns import CampaignsBackend
from ui.books_common import NOTE_STYLE, BooksScreen
from ui.i18n import rupiah, tr, when
from ui.office.common import OfficeContext, cell, font, read_only_table

if TYPE_CHECKING:
    from services.segments import SegmentRun, SegmentTable

COLUMNS = ("segment", "customers", "with_consent", "spend")


class SegmentsScreen(BooksScreen):
    def __init__(self, ctx: OfficeContext) -> None:
        super().__init__(ctx, "segmentsScreen")
        self.view: SegmentTable | None = None
        self.recompute_button = QPushButton()
        self.recompute_button.setObjectName("segmentsRecompute")
        self.recompute_button.setMinimumHeight(40)
        self.recompute_button.setFont(font(11, bold=True))
        self.recompute_button.clicked.connect(self.recompute)
        self.table = read_only_table(len(COLUMNS), name="segmentsTable")
        self.table.setFont(font(11))
        self.computed = QLabel()
        self.computed.setObjectName("segmentsComputed")
        self.rule = QLabel()
        self.rule.setWordWrap(True)
        self.rule.setStyleSheet(NOTE_STYLE)
        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addStretch(1)
        head.addWidget(self.recompute_button)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.computed)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.rule)
        layout.addWidget(self.message)
        self.retranslate()

    @property
    def campaigns(self) -> CampaignsBackend:
        return self._ctx.backend.campaigns

    def activate(self) -> None:
        self.reload()

    def reload(self) -> None:
        self.read(self.campaigns.segments, self._show)

    def recompute(self) -> None:
        self.recompute_button.setEnabled(False)

        def after(run: SegmentRun) -> None:
            self.recompute_button.setEnabled(True)
            self.say(tr("segments.recomputed", n=run.customers))
            self.reload()

        def refused(exc: Exception) -> None:
            from ui.tasks import describe_error
            self.recompute_button.setEnabled(True)
            self.say(describe_error(exc), error=True)
        self.write(self.campaigns.recompute_segments, after, refused)

    def _show(self, view: SegmentTable) -> None:
        self.view = view
        t = self.table
        t.setRowCount(len(view.lines))
        for r, line in enumerate(view.lines):
            for c, item in enumerate((cell(line.name), cell(str(line.customers), right=True),
                                      cell(str(line.with_consent), right=True),
                                      cell(rupiah(line.spend), right=True))):
                t.setItem(r, c, item)
        self.computed.setText(tr("segments.computed", when=when(view.computed_at))
                              if view.computed_at else tr("segments.never"))

    def retranslate(self) -> None:
        self.title.setText(tr("segments.title"))
        self.recompute_button.setText(tr("segments.recompute"))
        self.table.setHorizontalHeaderLabels([tr(f"segments.col.{c}") for c in COLUMNS])
        self.rule.setText(tr("segments.rule"))
        if self.view is not None:
            self._show(self.view)

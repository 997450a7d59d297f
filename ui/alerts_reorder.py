"""The reorder list (back office, "Pesan ulang"): the open low-stock alerts on top, then
what to order now — on hand, units sold per day over the last 28 days, the supplier's lead
time, the reorder point and the suggested order rounded up to the pack — and a "send the
digest now" action.

The figures are ``services.reorder`` and ``services.stock_alerts``' own (the rule is in
their module docs); the list loads on the pool lane, the digest is queued on the DB-writer
lane, and the services decide who may (a supervisor or the owner).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
)

from services import formatting
from services.formatting import date_text
from ui.backend_alerts import AlertsBackend, ReorderView
from ui.books_common import NOTE_STYLE, BooksScreen
from ui.i18n import language, quantity, tr, when
from ui.office.common import OfficeContext, amp, cell, font, read_only_table

if TYPE_CHECKING:
    from services.reorder import ReorderRow
    from services.stock_alerts import AlertRow, Digest

ALERT_COLUMNS = ("product", "sku", "level", "threshold", "since", "sent")
REORDER_COLUMNS = ("product", "level", "per_day", "lead", "point", "suggested", "supplier")
LOW_COLOUR = "#b00020"


def _stretch_first(table: QTableWidget) -> None:
    """The product's name takes the room left; the figures fit their contents."""
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    for i in range(table.columnCount()):
        header.setSectionResizeMode(i, QHeaderView.ResizeMode.Stretch if i == 0
                                    else QHeaderView.ResizeMode.ResizeToContents)


class ReorderScreen(BooksScreen):
    def __init__(self, ctx: OfficeContext) -> None:
        super().__init__(ctx, "reorderScreen")
        self.view: ReorderView | None = None
        self.rows: tuple[ReorderRow, ...] = ()
        self.sent: Digest | None = None
        self.send_button = QPushButton()
        self.send_button.setObjectName("reorderSendDigest")
        self.send_button.setMinimumHeight(40)
        self.send_button.setFont(font(11, bold=True))
        self.send_button.clicked.connect(self.send_digest)
        self.summary = QLabel()
        self.summary.setObjectName("reorderSummary")
        self.summary.setWordWrap(True)
        self.summary.setFont(font(11))

        self.alerts_box = QGroupBox()
        self.alerts_table = read_only_table(len(ALERT_COLUMNS), name="reorderAlerts")
        self.alerts_table.setFont(font(10))
        self.alerts_table.verticalHeader().setDefaultSectionSize(28)
        _stretch_first(self.alerts_table)
        ab = QVBoxLayout(self.alerts_box)
        ab.addWidget(self.alerts_table)

        self.list_box = QGroupBox()
        self.table = read_only_table(len(REORDER_COLUMNS), name="reorderTable")
        self.table.setFont(font(10))
        self.table.verticalHeader().setDefaultSectionSize(28)
        _stretch_first(self.table)
        self.rule = QLabel()
        self.rule.setObjectName("reorderRule")
        self.rule.setWordWrap(True)
        self.rule.setStyleSheet(NOTE_STYLE)
        lb = QVBoxLayout(self.list_box)
        lb.addWidget(self.table)
        lb.addWidget(self.rule)

        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addStretch(1)
        head.addWidget(self.send_button)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.summary)
        layout.addWidget(self.alerts_box, 2)
        layout.addWidget(self.list_box, 3)
        layout.addWidget(self.message)
        self.retranslate()

    @property
    def alerts(self) -> AlertsBackend:
        return self._ctx.backend.alerts

    def activate(self) -> None:
        self.reload()

    def reload(self) -> None:
        self.read(self.alerts.reorder, self._show)

    # --- showing ------------------------------------------------------------------------
    def _show(self, view: ReorderView) -> None:
        self.view = view
        alerted = {a.product_id for a in view.alerts}
        # The open alerts on top: the products already low come first in the list too.
        self.rows = tuple(sorted(view.reorder.rows,
                                 key=lambda r: (r.product_id not in alerted,)))
        self._fill_alerts(view.alerts)
        self._fill_reorder(self.rows, alerted)
        self._say_summary(view)
        self.send_button.setEnabled(view.pending > 0 and view.channel is not None)

    def _fill_alerts(self, alerts: tuple[AlertRow, ...]) -> None:
        t = self.alerts_table
        t.setRowCount(len(alerts))
        for r, a in enumerate(alerts):
            level = cell(quantity(a.level_milli, a.unit), right=True)
            level.setForeground(QColor(LOW_COLOUR))
            sent = (when(a.notified_at) if a.notified_at else tr("alerts.reorder.waiting"))
            for c, item in enumerate((cell(a.name), cell(a.sku), level,
                                      cell(quantity(a.threshold_milli, a.unit), right=True),
                                      cell(when(a.fired_at)), cell(sent))):
                t.setItem(r, c, item)
        self.alerts_box.setTitle(amp(tr("alerts.reorder.alerts_title", n=len(alerts))))

    def _fill_reorder(self, rows: tuple[ReorderRow, ...], alerted: set[str]) -> None:
        t = self.table
        t.setRowCount(len(rows))
        lang = language()
        for r, row in enumerate(rows):
            name = cell(row.name + (" ⚠" if row.product_id in alerted else ""))
            if row.product_id in alerted:
                name.setForeground(QColor(LOW_COLOUR))
            packs = row.suggested_milli // row.pack_milli
            suggested = quantity(row.suggested_milli, row.unit)
            if row.pack_milli != 1000:
                suggested = tr("alerts.reorder.packs", qty=suggested, n=packs,
                               pack=quantity(row.pack_milli, row.unit))
            suggested_cell = cell(suggested, right=True)
            f = suggested_cell.font()
            f.setBold(True)
            suggested_cell.setFont(f)
            for c, item in enumerate((
                    name, cell(quantity(row.level_milli, row.unit), right=True),
                    cell(formatting.number(row.per_day, lang, decimals=2), right=True),
                    cell(tr("alerts.days", n=row.lead_days), right=True),
                    cell(quantity(row.reorder_point_milli, row.unit), right=True),
                    suggested_cell,
                    cell(row.supplier or tr("alerts.reorder.no_supplier")))):
                t.setItem(r, c, item)
        title = tr("alerts.reorder.list_title", n=len(rows))
        self.list_box.setTitle(amp(title))
        if self.view is not None:
            self.rule.setText(tr("alerts.reorder.rule", days=self.view.reorder.window_days,
                                 until=date_text(self.view.reorder.as_of, lang)))

    def _say_summary(self, view: ReorderView) -> None:
        if view.channel is None:
            text = tr("alerts.reorder.no_channel", n=len(view.alerts))
        elif view.pending:
            text = tr("alerts.reorder.pending", n=len(view.alerts), pending=view.pending,
                      channel=tr("alerts.channel." + view.channel))
        else:
            text = tr("alerts.reorder.all_sent", n=len(view.alerts),
                      channel=tr("alerts.channel." + view.channel))
        self.summary.setText(text)
        self.summary.setStyleSheet(NOTE_STYLE if view.channel is None else "")

    # --- the digest ---------------------------------------------------------------------
    def send_digest(self) -> None:
        alerts = self.alerts
        self.send_button.setEnabled(False)

        def sent(digest: Digest) -> None:
            self.sent = digest
            if digest.message_ids:
                self.say(tr("alerts.reorder.sent", n=digest.alerts,
                            channel=tr("alerts.channel." + (digest.channel or "email"))))
            elif digest.channel is None and digest.alerts:
                self.say(tr("alerts.reorder.no_channel_short"), error=True)
            else:
                self.say(tr("alerts.reorder.nothing_to_send"))
            self.reload()

        def refused(exc: Exception) -> None:
            from ui.tasks import describe_error
            self.say(describe_error(exc), error=True)
            self.send_button.setEnabled(True)

        self.write(alerts.send_digest, sent, refused)

    def retranslate(self) -> None:
        self.title.setText(tr("alerts.reorder.title"))
        self.send_button.setText(amp(tr("alerts.reorder.send")))
        self.alerts_table.setHorizontalHeaderLabels(
            [tr("alerts.reorder.col." + c) for c in ALERT_COLUMNS])
        self.table.setHorizontalHeaderLabels(
            [tr("alerts.reorder.col." + c) for c in REORDER_COLUMNS])
        self.alerts_box.setTitle(amp(tr("alerts.reorder.alerts_title", n=0)))
        self.list_box.setTitle(amp(tr("alerts.reorder.list_title", n=0)))
        if self.view is not None:
            self._show(self.view)

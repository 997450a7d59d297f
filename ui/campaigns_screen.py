"""Campaigns (back office, "Kampanye"): compose one (name, channel, text, a segment as the
audience, cost, the holdout share, an optional send time), preview how many it would reach
now (consent only; who is excluded and why), the campaigns with their status, and a chosen
campaign's results: lift against the holdout, incremental gross profit and ROI, beside the
attributed revenue (labelled as what it is), or why there is no number.

Reads on the pool lane, compose and send on the DB-writer lane; ``services.campaigns`` and
``services.campaign_results`` check every field, decide who may (the owner composes and
sends) and hold every formula.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from ui.backend_campaigns import CampaignForm, CampaignsBackend
from ui.books_common import NOTE_STYLE, BooksScreen, amount_of, money_field
from ui.i18n import language, rupiah, tr, when
from ui.office.common import FieldErrors, OfficeContext, cell, font, read_only_table

if TYPE_CHECKING:
    from services.campaign_audience import AudienceCount
    from services.campaign_results import CampaignResults
    from services.campaigns import CampaignView, SendResult

CHANNELS = ("whatsapp", "sms", "email", "push")
COLUMNS = ("name", "channel", "status", "when", "send", "holdout")


def _percent(ratio: str | None) -> str:
    if ratio is None:
        return "–"
    from decimal import Decimal
    from services import formatting
    return formatting.percent(int(Decimal(ratio) * 10_000), language())


class CampaignsScreen(BooksScreen):
    def __init__(self, ctx: OfficeContext) -> None:
        super().__init__(ctx, "campaignsScreen")
        self.rows: tuple[CampaignView, ...] = ()
        self.count: AudienceCount | None = None
        self.results: CampaignResults | None = None
        self.created: CampaignView | None = None

        # --- compose ----------------------------------------------------------------------
        self.form_box = QGroupBox()
        self.name = QLineEdit()
        self.name.setObjectName("cmpName")
        self.name.setMaxLength(120)
        self.channel = QComboBox()
        self.channel.setObjectName("cmpChannel")
        self.text = QPlainTextEdit()
        self.text.setObjectName("cmpText")
        self.text.setFixedHeight(70)
        self.segment = QComboBox()
        self.segment.setObjectName("cmpSegment")
        self.cost = money_field("cmpCost")
        self.holdout = QLineEdit("0.10")
        self.holdout.setObjectName("cmpHoldout")
        self.schedule_on = QCheckBox()
        self.schedule_on.setObjectName("cmpScheduleOn")
        self.schedule = QDateTimeEdit(QDateTime.currentDateTime().addSecs(3600))
        self.schedule.setObjectName("cmpSchedule")
        self.schedule.setCalendarPopup(True)
        self.preview_button = QPushButton()
        self.preview_button.setObjectName("cmpPreview")
        self.preview_button.clicked.connect(self.preview)
        self.save_button = QPushButton()
        self.save_button.setObjectName("cmpSave")
        self.save_button.setFont(font(12, bold=True))
        self.save_button.clicked.connect(self.save)
        self.count_label = QLabel()
        self.count_label.setObjectName("cmpCount")
        self.count_label.setWordWrap(True)
        self.form_message = QLabel()
        self.form_message.setWordWrap(True)
        self.errors = FieldErrors(self.form_message)
        self.form = QFormLayout()
        self._captions: dict[str, QLabel] = {}
        for key, widget in (("name", self.name), ("channel", self.channel),
                            ("text", self.text), ("audience", self.segment),
                            ("cost", self.cost), ("holdout_share", self.holdout),
                            ("scheduled_at", self.schedule)):
            caption = QLabel()
            self._captions[key] = caption
            self.form.addRow(caption, widget)
            self.form.addRow("", self.errors.label_for(key))
        self.form.addRow("", self.schedule_on)
        buttons = QHBoxLayout()
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.save_button)
        fv = QVBoxLayout(self.form_box)
        fv.addLayout(self.form)
        fv.addLayout(buttons)
        fv.addWidget(self.count_label)
        fv.addWidget(self.form_message)

        # --- the campaigns and a chosen one's results ---------------------------------------
        self.list_box = QGroupBox()
        self.table = read_only_table(len(COLUMNS), name="cmpTable")
        self.table.itemSelectionChanged.connect(self._chosen)
        self.send_button = QPushButton()
        self.send_button.setObjectName("cmpSend")
        self.send_button.setEnabled(False)
        self.send_button.clicked.connect(self.send)
        self.results_label = QLabel()
        self.results_label.setObjectName("cmpResults")
        self.results_label.setWordWrap(True)
        self.results_label.setFont(font(11))
        self.formula = QLabel()
        self.formula.setWordWrap(True)
        self.formula.setStyleSheet(NOTE_STYLE)
        lv = QVBoxLayout(self.list_box)
        lv.addWidget(self.table, 1)
        lv.addWidget(self.send_button)
        lv.addWidget(self.results_label)
        lv.addWidget(self.formula)

        body = QHBoxLayout()
        body.addWidget(self.form_box, 2)
        body.addWidget(self.list_box, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(body, 1)
        layout.addWidget(self.message)
        self.retranslate()

    @property
    def campaigns(self) -> CampaignsBackend:
        return self._ctx.backend.campaigns

    def activate(self) -> None:
        self.reload()

    def reload(self) -> None:
        self.read(self.campaigns.campaigns, self._show)

    # --- compose --------------------------------------------------------------------------
    def form_value(self) -> CampaignForm:
        segment = self.segment.currentData()
        when_at = None
        if self.schedule_on.isChecked():
            moment = self.schedule.dateTime().toPython()
            assert isinstance(moment, datetime)
            when_at = moment.astimezone(UTC).isoformat()
        return CampaignForm(
            name=self.name.text(), channel=str(self.channel.currentData()),
            text=self.text.toPlainText(),
            audience={"segments": [segment]} if segment else {},
            cost=amount_of(self.cost) or 0, scheduled_at=when_at,
            holdout_share=self.holdout.text().strip() or "0.10")

    def preview(self) -> None:
        try:
            form = self.form_value()
        except Exception as exc:  # noqa: BLE001 - a bad amount: shown under its field
            self.errors.show(exc)
            return
        backend = self.campaigns  # read here: the lambda runs on a worker thread
        self.read(lambda: backend.preview(form), self._show_count)

    def _show_count(self, count: AudienceCount) -> None:
        self.count = count
        self.count_label.setText(tr(
            "campaigns.count", eligible=count.eligible, send=count.send,
            holdout=count.holdout, no_consent=count.no_consent, opted_out=count.opted_out,
            no_address=count.no_address))

    def save(self) -> None:
        self.errors.clear()
        try:
            form = self.form_value()
        except Exception as exc:  # noqa: BLE001
            self.errors.show(exc)
            return

        def after(view: CampaignView) -> None:
            self.created = view
            self.say(tr("campaigns.saved", name=view.name))
            self.reload()
        backend = self.campaigns
        self.write(lambda: backend.create(form), after, self.errors.show)

    # --- the list, sending, results --------------------------------------------------------
    def _show(self, rows: tuple[CampaignView, ...]) -> None:
        self.rows = rows
        t = self.table
        t.setRowCount(len(rows))
        for r, v in enumerate(rows):
            stamp = v.sent_at or v.scheduled_at
            for c, item in enumerate((
                    cell(v.name), cell(tr(f"campaigns.channel.{v.channel}")),
                    cell(tr(f"campaigns.status.{v.status}")),
                    cell(when(stamp) if stamp else "–"),
                    cell("–" if v.send_size is None else str(v.send_size), right=True),
                    cell("–" if v.holdout_size is None else str(v.holdout_size),
                         right=True))):
                t.setItem(r, c, item)

    def chosen(self) -> CampaignView | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() \
            else []
        if not rows or rows[0].row() >= len(self.rows):
            return None
        return self.rows[rows[0].row()]

    def _chosen(self) -> None:
        view = self.chosen()
        self.send_button.setEnabled(view is not None and view.status in ("draft", "scheduled"))
        self.results_label.clear()
        if view is not None and view.status == "sent":
            backend, chosen = self.campaigns, view.id
            self.read(lambda: backend.results(chosen), self._show_results)

    def send(self) -> None:
        view = self.chosen()
        if view is None:
            return
        self.send_button.setEnabled(False)

        def after(result: SendResult) -> None:
            self.say(tr("campaigns.sent", n=result.queued,
                        holdout=result.campaign.holdout_size or 0))
            self.reload()
        backend, chosen = self.campaigns, view.id
        self.write(lambda: backend.send(chosen), after)

    def _show_results(self, res: CampaignResults) -> None:
        self.results = res
        lines = [
            tr("campaigns.results.groups", send=res.send_group.size,
               send_conv=_percent(res.send_group.conversion), holdout=res.holdout.size,
               holdout_conv=_percent(res.holdout.conversion)),
            tr("campaigns.results.lift", lift=_percent(res.lift)),
            tr("campaigns.results.incremental",
               amount="–" if res.incremental_gross_profit is None
               else rupiah(res.incremental_gross_profit), cost=rupiah(res.cost)),
            tr("campaigns.results.roi", roi=_percent(res.roi)),
            tr("campaigns.results.attributed", amount=rupiah(res.attributed_revenue),
               n=res.attributed_sales),
        ]
        if res.window_open:
            lines.append(tr("campaigns.results.window_open"))
        lines += list(res.notes)
        self.results_label.setText("\n".join(lines))

    def retranslate(self) -> None:
        self.title.setText(tr("campaigns.title"))
        self.form_box.setTitle(tr("campaigns.compose"))
        self.list_box.setTitle(tr("campaigns.list"))
        for key, caption in self._captions.items():
            caption.setText(tr(f"campaigns.field.{key}"))
        self.schedule_on.setText(tr("campaigns.field.schedule_on"))
        self.preview_button.setText(tr("campaigns.preview"))
        self.save_button.setText(tr("campaigns.save"))
        self.send_button.setText(tr("campaigns.send"))
        self.formula.setText(tr("campaigns.formula"))
        self.table.setHorizontalHeaderLabels([tr(f"campaigns.col.{c}") for c in COLUMNS])
        keep = self.channel.currentData()
        self.channel.clear()
        for ch in CHANNELS:
            self.channel.addItem(tr(f"campaigns.channel.{ch}"), ch)
        if keep is not None:
            self.channel.setCurrentIndex(max(0, CHANNELS.index(str(keep))))
        keep_segment = self.segment.currentData()
        self.segment.clear()
        self.segment.addItem(tr("campaigns.everyone"), "")
        from services.segments import SEGMENT_CODES, segment_name
        lang = language() if language() in ("id", "en") else "id"
        for code in SEGMENT_CODES:
            self.segment.addItem(segment_name(code, lang), code)
        if keep_segment:
            self.segment.setCurrentIndex(max(0, self.segment.findData(keep_segment)))
        self._show(self.rows)
        if self.results is not None:
            self._show_results(self.results)

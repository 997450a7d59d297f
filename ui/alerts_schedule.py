"""Scheduled emails (back office, "Email terjadwal"): the daily summary's schedule — closing
time and zone, recipients, the misfire window, the designated till — the scheduler's jobs
with their next run on the store's clock, and the email log (day, recipient masked, sent,
waiting, skipped or failed with the reason).

Everything is ``services.schedule_summary``'s (the rules are in its module doc) and the
running scheduler's (``backend.alerts.schedule``), read on the pool lane; the owner only
(the service decides).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QVBoxLayout,
)

from services import formatting
from ui.backend_alerts import AlertsBackend, ScheduleView
from ui.books_common import NOTE_STYLE, BooksScreen
from ui.i18n import language, tr
from ui.office.common import OfficeContext, amp, cell, font, read_only_table

if TYPE_CHECKING:
    from services.schedule_summary import LogRow, ScheduledJob

JOB_COLUMNS = ("job", "when", "next")
LOG_COLUMNS = ("day", "recipient", "scheduled", "state", "reason")
STATE_COLOURS = {"sent": "#1b5e20", "queued": "#555555", "skipped": "#a15c00",
                 "failed": "#b00020"}
SETTING_ROWS = ("status", "time", "zone", "recipients", "misfire", "till", "next")
#: The reasons services.schedule_summary writes, by their first words (anything else is
#: shown as written).
REASONS = (("missed", "missed"), ("sent by till ", "other_till"),
           ("central unreachable", "unreachable"), ("the data key cannot be read", "no_key"))


def _fit(table: QTableWidget, stretch: int) -> None:
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    for i in range(table.columnCount()):
        header.setSectionResizeMode(i, QHeaderView.ResizeMode.Stretch if i == stretch
                                    else QHeaderView.ResizeMode.ResizeToContents)


def reason_text(reason: str | None) -> str:
    """A log row's reason in the screen's language (the services write English)."""
    if not reason:
        return ""
    for prefix, key in REASONS:
        if reason.startswith(prefix):
            return tr("alerts.schedule.reason." + key,
                      till=reason.removeprefix(prefix).strip())
    return reason


def job_when(job: ScheduledJob) -> str:
    if job.at is not None:
        return tr("alerts.schedule.daily_at", at=job.at)
    if job.every_minutes is not None:
        return tr("alerts.schedule.every", n=job.every_minutes)
    return job.trigger


class ScheduleScreen(BooksScreen):
    def __init__(self, ctx: OfficeContext) -> None:
        super().__init__(ctx, "scheduleScreen")
        self.view: ScheduleView | None = None
        self.settings_box = QGroupBox()
        form = QFormLayout(self.settings_box)
        self.captions: dict[str, QLabel] = {}
        self.values: dict[str, QLabel] = {}
        for key in SETTING_ROWS:
            caption, value = QLabel(), QLabel()
            value.setObjectName(f"schedule_{key}")
            value.setWordWrap(True)
            value.setFont(font(11, bold=key in ("time", "next")))
            self.captions[key], self.values[key] = caption, value
            form.addRow(caption, value)
        self.misfire_note = QLabel()
        self.misfire_note.setObjectName("scheduleMisfireNote")
        self.misfire_note.setWordWrap(True)
        self.misfire_note.setStyleSheet(NOTE_STYLE)
        form.addRow(self.misfire_note)

        self.jobs_box = QGroupBox()
        self.running = QLabel()
        self.running.setObjectName("scheduleRunning")
        self.running.setWordWrap(True)
        self.jobs = read_only_table(len(JOB_COLUMNS), name="scheduleJobs")
        self.jobs.setFont(font(10))
        self.jobs.verticalHeader().setDefaultSectionSize(28)
        _fit(self.jobs, 0)
        jb = QVBoxLayout(self.jobs_box)
        jb.addWidget(self.running)
        jb.addWidget(self.jobs)

        self.log_box = QGroupBox()
        self.log = read_only_table(len(LOG_COLUMNS), name="scheduleLog")
        self.log.setFont(font(10))
        self.log.verticalHeader().setDefaultSectionSize(28)
        _fit(self.log, len(LOG_COLUMNS) - 1)
        lb = QVBoxLayout(self.log_box)
        lb.addWidget(self.log)

        top = QHBoxLayout()
        top.addWidget(self.settings_box, 2)
        top.addWidget(self.jobs_box, 3)  # its job names and times need the room
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(top, 0)
        layout.addWidget(self.log_box, 1)
        layout.addWidget(self.message)
        self.retranslate()

    @property
    def alerts(self) -> AlertsBackend:
        return self._ctx.backend.alerts

    def activate(self) -> None:
        self.reload()

    def reload(self) -> None:
        self.read(self.alerts.schedule, self._show)

    def _moment(self, stamp: str | None) -> str:
        """A UTC stamp on the store's clock (the summary's zone), with the zone's name."""
        if not stamp or self.view is None:
            return "–"
        return formatting.datetime_text(stamp, self.view.settings.zone_name, language())

    def _show(self, view: ScheduleView) -> None:
        self.view = view
        st = view.settings
        lang = language()
        label = formatting.zone_label(st.zone_name)
        hours = formatting.number(Decimal(int(st.misfire.total_seconds())) / 3600, lang)
        v = self.values
        v["status"].setText(tr("alerts.schedule.on") if st.enabled
                            else tr("alerts.schedule.off"))
        v["time"].setText(f"{st.at.strftime('%H:%M')} {label}")
        v["zone"].setText(f"{st.zone_name} ({label})")
        v["recipients"].setText(", ".join(st.recipients) if st.recipients
                                else tr("alerts.schedule.no_recipients"))
        v["recipients"].setStyleSheet("" if st.recipients else NOTE_STYLE)
        v["misfire"].setText(tr("alerts.schedule.hours", n=hours))
        v["till"].setText(st.designated if st.designated
                          else tr("alerts.schedule.any_till"))
        v["next"].setText(self._moment(view.next_closing) if st.enabled and st.recipients
                          else "–")
        self.misfire_note.setText(tr("alerts.schedule.misfire_rule", n=hours))
        self.running.setText(tr("alerts.schedule.running") if view.running
                             else tr("alerts.schedule.not_running"))
        self.running.setStyleSheet("" if view.running else NOTE_STYLE)
        self._fill_jobs(view.jobs)
        self._fill_log(view.log)

    def _fill_jobs(self, jobs: tuple[ScheduledJob, ...]) -> None:
        self.jobs.setRowCount(len(jobs))
        for r, job in enumerate(jobs):
            try:
                name = tr("alerts.job." + job.id.replace("-", "_"))
            except KeyError:
                name = job.name
            for c, item in enumerate((cell(name), cell(job_when(job)),
                                      cell(self._moment(job.next_run_at)))):
                self.jobs.setItem(r, c, item)

    def _fill_log(self, rows: tuple[LogRow, ...]) -> None:
        self.log.setRowCount(len(rows))
        for r, row in enumerate(rows):
            state = cell(tr("alerts.state." + row.state))
            state.setForeground(QColor(STATE_COLOURS.get(row.state, "#000000")))
            try:
                day = formatting.date_text(date.fromisoformat(row.day), language())
            except ValueError:
                day = row.day
            for c, item in enumerate((cell(day), cell(row.recipient_hint),
                                      cell(self._moment(row.scheduled_for)), state,
                                      cell(reason_text(row.reason)))):
                self.log.setItem(r, c, item)
        self.log_box.setTitle(amp(tr("alerts.schedule.log_title", n=len(rows))))

    def retranslate(self) -> None:
        self.title.setText(tr("alerts.schedule.title"))
        self.settings_box.setTitle(amp(tr("alerts.schedule.summary_title")))
        self.jobs_box.setTitle(amp(tr("alerts.schedule.jobs_title")))
        self.log_box.setTitle(amp(tr("alerts.schedule.log_title", n=0)))
        for key, caption in self.captions.items():
            caption.setText(tr("alerts.schedule.field." + key))
        self.jobs.setHorizontalHeaderLabels([tr("alerts.schedule.col." + c)
                                             for c in JOB_COLUMNS])
        self.log.setHorizontalHeaderLabels([tr("alerts.schedule.col." + c)
                                            for c in LOG_COLUMNS])
        if self.view is not None:
            self._show(self.view)

"""Shipments (back office, "Pengiriman"): every parcel with its status, filtered by status,
courier and date (and a receipt number, name or airway bill typed), and the chosen one's
detail: its status history, the volumetric weight beside the real one, the quoted price
beside the final one, COD, the last error, and cancel with a reason while the courier still
allows it.

Reads run on the pool lane; a cancel on the DB-writer lane (it queues a cancel job: the
courier is asked by the provider-job dispatcher). "Buat pengiriman" opens
:class:`ui.shipment_create.ShipmentCreateDialog` for a receipt number.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from services.courier_port import CANCELLABLE, FINAL_STATUSES, STATUSES
from services.shipping import ShipmentDetail, ShipmentRow, ShipmentView
from ui.backend import TillBackend
from ui.i18n import rupiah, tr, when, zone
from ui.office.common import OfficeContext, cell, font, read_only_table
from ui.shipment_create import (
    ShipmentCreateDialog,
    courier_name,
    grams,
    parcels_text,
    status_text,
)
from ui.tasks import Lane, TaskManager, describe_error

ERROR_STYLE = "color: #b00020;"
OK_STYLE = "color: #1b5e20;"
COLUMNS = ("created", "receipt", "courier", "recipient", "status", "waybill", "price", "cod")
EVENT_COLUMNS = ("when", "status", "provider", "note")
#: Companies offered in the courier filter (the list's own couriers are added as they come).
COMPANIES = ("jne", "jnt", "pos", "sicepat", "anteraja")
#: How a status is coloured in the list: delivered green, returned/failed red.
STATUS_COLOURS = {"delivered": "#1b5e20", "returned": "#b00020", "returning": "#b00020",
                  "failed": "#b00020", "cancelled": "#6b6b6b", "on_hold": "#a15c00"}


def _store_zone() -> timezone | ZoneInfo:
    try:
        return ZoneInfo(zone())
    except (KeyError, ValueError, OSError):
        return timezone(timedelta(hours=7))  # WIB, when the computer has no zone data


def _store_today() -> date:
    return datetime.now(_store_zone()).date()


def _day_start_utc(day: date) -> str:
    """Midnight of ``day`` on the store's clock, as the stored UTC text."""
    tz = _store_zone()
    start = datetime.combine(day, time(0), tzinfo=tz).astimezone(timezone.utc)
    return start.isoformat(timespec="microseconds")  # as local_db.ids.now_iso stores it


def _day(d: QDate) -> date:
    return date(d.year(), d.month(), d.day())


def price_text(row: ShipmentRow | ShipmentDetail) -> str:
    """``Rp 18.000`` quoted, ``Rp 18.000 → Rp 20.000`` when the final price differs."""
    quoted, final = row.quoted_price, row.final_price
    if final is not None and quoted is not None and final != quoted:
        return f"{rupiah(quoted)} → {rupiah(final)}"
    if final is not None:
        return rupiah(final)
    return rupiah(quoted) if quoted is not None else "–"


class ShipmentsScreen(QWidget):
    #: The list was (re)loaded.
    loaded = Signal()
    #: A shipment's detail is shown (value: services.shipping.ShipmentDetail).
    detail_shown = Signal(object)
    #: A cancel was queued (value: the ShipmentView) or refused (value: the text).
    cancelled = Signal(object)
    failed = Signal(str)
    #: A tracking poll was made due.
    tracked = Signal()

    def __init__(self, ctx: OfficeContext) -> None:
        super().__init__()
        self._ctx = ctx
        self._backend: TillBackend = ctx.backend
        self._tasks: TaskManager = ctx.tasks
        self._rows: list[ShipmentRow] = []
        self._asked = 0
        self.detail: ShipmentDetail | None = None
        self.create_dialog: ShipmentCreateDialog | None = None
        self.setObjectName("shipmentsScreen")

        self.title = QLabel()
        self.title.setFont(font(16, bold=True))
        # --- filters -------------------------------------------------------------------
        self.status = QComboBox()
        self.status.setObjectName("shipFilterStatus")
        self.courier = QComboBox()
        self.courier.setObjectName("shipFilterCourier")
        self.use_dates = QCheckBox()
        self.use_dates.setObjectName("shipFilterDates")
        self.since = QDateEdit()
        self.since.setObjectName("shipSince")
        self.until = QDateEdit()
        self.until.setObjectName("shipUntil")
        now = _store_today()  # the store's day (WIB/WITA/WIT), not the computer's
        today = QDate(now.year, now.month, now.day)
        for edit, day in ((self.since, today.addDays(-30)), (self.until, today)):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd-MM-yyyy")
            edit.setDate(day)
            edit.setEnabled(False)
        self.use_dates.toggled.connect(self.since.setEnabled)
        self.use_dates.toggled.connect(self.until.setEnabled)
        self.text = QLineEdit()
        self.text.setObjectName("shipFilterText")
        self.text.returnPressed.connect(self.reload)
        self.search_button = QPushButton()
        self.search_button.setObjectName("shipSearch")
        self.search_button.setMinimumHeight(36)
        self.search_button.clicked.connect(self.reload)
        self.new_button = QPushButton()
        self.new_button.setObjectName("shipNew")
        self.new_button.setMinimumHeight(36)
        self.new_button.clicked.connect(self.new_shipment)
        for combo in (self.status, self.courier):
            combo.setMinimumHeight(34)
            combo.currentIndexChanged.connect(lambda _i: self.reload())
        filters = QHBoxLayout()
        self._filter_labels = (QLabel(), QLabel())
        filters.addWidget(self._filter_labels[0])
        filters.addWidget(self.status)
        filters.addWidget(self._filter_labels[1])
        filters.addWidget(self.courier)
        filters.addWidget(self.use_dates)
        filters.addWidget(self.since)
        filters.addWidget(QLabel("–"))
        filters.addWidget(self.until)
        filters.addWidget(self.text, 1)
        filters.addWidget(self.search_button)
        filters.addWidget(self.new_button)

        self.table: QTableWidget = read_only_table(len(COLUMNS), name="shipmentsTable")
        self.table.setFont(font(10))  # eight columns across a 1366-wide window
        self.table.itemSelectionChanged.connect(self._selected)
        self.count = QLabel()
        self.count.setObjectName("shipCount")
        self.message = QLabel()
        self.message.setObjectName("shipListMessage")
        self.message.setWordWrap(True)

        # --- the detail ----------------------------------------------------------------
        self.detail_box = QGroupBox()
        self.detail_head = QLabel()
        self.detail_head.setObjectName("shipDetailHead")
        self.detail_head.setFont(font(12, bold=True))
        self.detail_head.setWordWrap(True)
        self.facts = QFormLayout()
        self._facts: dict[str, tuple[QLabel, QLabel]] = {}
        for key in ("status", "waybill", "recipient", "weight", "volume", "price", "cod",
                    "error"):
            caption, value = QLabel(), QLabel()
            value.setObjectName(f"shipFact_{key}")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.facts.addRow(caption, value)
            self._facts[key] = (caption, value)
        self._facts["error"][1].setStyleSheet(ERROR_STYLE)
        self.events = read_only_table(len(EVENT_COLUMNS), name="shipEvents")
        self.events.verticalHeader().setDefaultSectionSize(28)
        self.reason = QLineEdit()
        self.reason.setObjectName("shipCancelReason")
        self.reason.setMaxLength(200)
        self.reason.setMinimumHeight(34)
        self.reason.returnPressed.connect(self.cancel_selected)
        self.cancel_button = QPushButton()
        self.cancel_button.setObjectName("shipCancel")
        self.cancel_button.setMinimumHeight(36)
        self.cancel_button.clicked.connect(self.cancel_selected)
        self.track_button = QPushButton()
        self.track_button.setObjectName("shipTrack")
        self.track_button.setMinimumHeight(36)
        self.track_button.clicked.connect(self.track_selected)
        self.detail_message = QLabel()
        self.detail_message.setObjectName("shipDetailMessage")
        self.detail_message.setWordWrap(True)
        # The detail under the list (the list keeps the window's whole width for its
        # columns): the facts and the cancel on the left, the status history on the right.
        facts_side = QVBoxLayout()
        facts_side.addWidget(self.detail_head)
        facts_side.addLayout(self.facts)
        facts_side.addStretch(1)
        cancel_row = QHBoxLayout()
        cancel_row.addWidget(self.reason, 1)
        cancel_row.addWidget(self.cancel_button)
        cancel_row.addWidget(self.track_button)
        facts_side.addLayout(cancel_row)
        facts_side.addWidget(self.detail_message)
        facts_widget = QWidget()
        facts_widget.setLayout(facts_side)
        facts_widget.setFixedWidth(470)
        dv = QHBoxLayout(self.detail_box)
        dv.addWidget(facts_widget)
        dv.addWidget(self.events, 1)

        footer = QHBoxLayout()
        footer.addWidget(self.count)
        footer.addWidget(self.message, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(filters)
        layout.addWidget(self.table, 3)
        layout.addLayout(footer)
        layout.addWidget(self.detail_box, 2)
        self._fill_filters()
        self.retranslate()
        self._draw_detail(None)

    # --- filters ------------------------------------------------------------------------
    def _fill_filters(self) -> None:
        for combo in (self.status, self.courier):
            combo.blockSignals(True)
        self.status.clear()
        self.status.addItem(tr("ship.all"), None)
        for s in STATUSES:
            self.status.addItem(status_text(s), s)
        current = self.courier.currentData()
        self.courier.clear()
        self.courier.addItem(tr("ship.all"), None)
        for c in COMPANIES:
            self.courier.addItem(courier_name(c), c)
        if current is not None:
            self.courier.setCurrentIndex(max(0, self.courier.findData(current)))
        for combo in (self.status, self.courier):
            combo.blockSignals(False)

    def set_filters(self, *, status: str | None = None, courier: str | None = None,
                    text: str = "", since: date | None = None,
                    until: date | None = None) -> None:
        """Set the filters (tests, and a link from elsewhere) and reload."""
        for combo, value in ((self.status, status), (self.courier, courier)):
            combo.blockSignals(True)
            combo.setCurrentIndex(max(0, combo.findData(value)))
            combo.blockSignals(False)
        self.text.setText(text)
        self.use_dates.setChecked(since is not None or until is not None)
        if since is not None:
            self.since.setDate(QDate(since.year, since.month, since.day))
        if until is not None:
            self.until.setDate(QDate(until.year, until.month, until.day))
        self.reload()

    def filters(self) -> dict[str, str | None]:
        since = until = None
        if self.use_dates.isChecked():
            since = _day_start_utc(_day(self.since.date()))
            until = _day_start_utc(_day(self.until.date()) + timedelta(days=1))
        text = self.text.text().strip() or None
        return {"status": self.status.currentData(), "courier": self.courier.currentData(),
                "since": since, "until": until, "text": text}

    # --- loading ------------------------------------------------------------------------
    def activate(self) -> None:
        self.reload()

    def reload(self) -> None:
        self._asked += 1
        asked = self._asked
        shipping, f = self._backend.shipping, self.filters()
        self._tasks.run_in_background(
            lambda: shipping.shipments(status=f["status"], courier=f["courier"],
                                       since=f["since"], until=f["until"], text=f["text"]),
            lambda rows: self._loaded(asked, rows),
            lambda exc: self._load_failed(asked, exc), lane=Lane.POOL, owner=self)

    def _loaded(self, asked: int, rows: tuple[ShipmentRow, ...]) -> None:
        if asked != self._asked:
            return  # the filters changed since
        keep = self.detail.id if self.detail is not None else None
        self._rows = list(rows)
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            status_item = cell(status_text(row.status))
            colour = STATUS_COLOURS.get(row.status)
            if colour is not None:
                from PySide6.QtGui import QColor
                status_item.setForeground(QColor(colour))
            for c, item in enumerate((
                    cell(when(row.created_at)), cell(row.receipt_no or ""),
                    cell(f"{courier_name(row.courier_company)} "
                         f"{row.service_code.upper()}"),
                    cell(row.recipient_name), status_item, cell(row.waybill_id or "–"),
                    cell(price_text(row), right=True),
                    cell(rupiah(row.cod_amount) if row.cod else "–", right=True))):
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.count.setText(tr("ship.count", n=len(rows)))
        self.message.clear()
        ids = [row.id for row in rows]
        if keep in ids:
            self.table.selectRow(ids.index(keep))
        elif self.detail is not None:
            self._draw_detail(None)
        self.loaded.emit()

    def _load_failed(self, asked: int, exc: Exception) -> None:
        if asked == self._asked:
            self.message.setStyleSheet(ERROR_STYLE)
            self.message.setText(describe_error(exc))
            self.loaded.emit()

    @property
    def rows(self) -> list[ShipmentRow]:
        return list(self._rows)

    # --- the detail ---------------------------------------------------------------------
    def select(self, shipment_id: str) -> bool:
        ids = [row.id for row in self._rows]
        if shipment_id not in ids:
            return False
        self.table.selectRow(ids.index(shipment_id))
        return True

    def _selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self._rows):
            return
        self.show_detail(self._rows[rows[0].row()].id)

    def show_detail(self, shipment_id: str) -> None:
        shipping = self._backend.shipping
        self._tasks.run_in_background(lambda: shipping.detail(shipment_id),
                                      self._detail_known, self._detail_failed,
                                      lane=Lane.POOL, owner=self)

    def _detail_known(self, detail: ShipmentDetail) -> None:
        self._draw_detail(detail)
        self.detail_shown.emit(detail)

    def _detail_failed(self, exc: Exception) -> None:
        self.detail_message.setStyleSheet(ERROR_STYLE)
        self.detail_message.setText(describe_error(exc))

    def _draw_detail(self, detail: ShipmentDetail | None) -> None:
        self.detail = detail
        if detail is None:
            self.detail_head.setText(tr("ship.pick_one"))
            for _caption, value in self._facts.values():
                value.clear()
            self.events.setRowCount(0)
            self.cancel_button.setEnabled(False)
            self.reason.setEnabled(False)
            self.track_button.setEnabled(False)
            self.detail_message.clear()
            return
        self.detail_head.setText(tr("ship.detail_head", receipt=detail.receipt_no or "",
                                    courier=courier_name(detail.courier_company),
                                    service=detail.service_code.upper()))
        status = status_text(detail.status)
        if detail.provider_status and detail.provider_status != detail.status:
            status += f" ({detail.provider_status})"  # the courier's own word
        values = {
            "status": status, "waybill": detail.waybill_id or tr("ship.no_waybill"),
            "recipient": detail.recipient_name,
            "weight": grams(detail.weight_g), "volume": grams(detail.volumetric_weight_g),
            "price": _quoted_final(detail),
            "cod": rupiah(detail.cod_amount) if detail.cod else tr("office.no"),
            "error": detail.last_error or "",
        }
        for key, (_caption, value) in self._facts.items():
            value.setText(values[key])
        events = detail.events
        self.events.setRowCount(len(events))
        for r, e in enumerate(events):
            for c, text in enumerate((when(e.happened_at), status_text(e.status),
                                      e.provider_status or "", e.note or "")):
                self.events.setItem(r, c, cell(text))
        self.events.resizeColumnsToContents()
        can_cancel = detail.status in CANCELLABLE
        self.cancel_button.setEnabled(can_cancel)
        self.reason.setEnabled(can_cancel)
        self.track_button.setEnabled(detail.status not in FINAL_STATUSES
                                     and detail.status != "queued")
        self.detail_message.clear()

    # --- cancel -------------------------------------------------------------------------
    def cancel_selected(self) -> None:
        detail = self.detail
        if detail is None or not self.cancel_button.isEnabled():
            return
        reason = self.reason.text().strip()
        if not reason:
            self.detail_message.setStyleSheet(ERROR_STYLE)
            self.detail_message.setText(tr("ship.reason_needed"))
            self.reason.setFocus()
            return
        self.cancel_button.setEnabled(False)
        shipping, shipment_id = self._backend.shipping, detail.id
        self._tasks.run_in_background(lambda: shipping.cancel(shipment_id, reason),
                                      self._cancel_done, self._action_failed,
                                      lane=Lane.WRITER, owner=self)

    def _cancel_done(self, view: ShipmentView) -> None:
        self.reason.clear()
        self._backend.sync.wake()
        self.detail_message.setStyleSheet(OK_STYLE)
        self.detail_message.setText(tr("ship.cancel_queued"))
        self.cancelled.emit(view)
        self.reload()
        if self.detail is not None:
            self.show_detail(self.detail.id)

    def _action_failed(self, exc: Exception) -> None:
        self._draw_detail(self.detail)  # the buttons as the shipment's status allows
        self.detail_message.setStyleSheet(ERROR_STYLE)
        self.detail_message.setText(describe_error(exc))
        self.failed.emit(describe_error(exc))

    # --- track now ----------------------------------------------------------------------
    def track_selected(self) -> None:
        """Ask the courier where the parcel is now (the tracking job is made due)."""
        detail = self.detail
        if detail is None or not self.track_button.isEnabled():
            return
        self.track_button.setEnabled(False)
        shipping, shipment_id = self._backend.shipping, detail.id
        self._tasks.run_in_background(lambda: shipping.track(shipment_id), self._track_queued,
                                      self._action_failed, lane=Lane.WRITER, owner=self)

    def _track_queued(self, _row: ShipmentRow) -> None:
        self._backend.sync.wake()
        self.track_button.setEnabled(True)
        self.detail_message.setStyleSheet(OK_STYLE)
        self.detail_message.setText(tr("ship.track_queued"))
        self.tracked.emit()

    # --- a new shipment -----------------------------------------------------------------
    def new_shipment(self) -> ShipmentCreateDialog:
        dialog = ShipmentCreateDialog(self._backend, self._tasks, None, self)
        dialog.created.connect(lambda _view: self.reload())
        dialog.finished.connect(lambda _r: self._dialog_closed(dialog))
        self.create_dialog = dialog
        dialog.open()
        return dialog

    def _dialog_closed(self, dialog: ShipmentCreateDialog) -> None:
        if self.create_dialog is dialog:
            self.create_dialog = None
        dialog.deleteLater()

    # --- words --------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.title.setText(tr("ship.title"))
        self._filter_labels[0].setText(tr("ship.filter.status"))
        self._filter_labels[1].setText(tr("ship.filter.courier"))
        self.use_dates.setText(tr("ship.filter.dates"))
        self.text.setPlaceholderText(tr("ship.filter.text"))
        self.search_button.setText(tr("ship.search"))
        self.new_button.setText(tr("ship.new"))
        self.table.setHorizontalHeaderLabels([tr("ship.list." + c) for c in COLUMNS])
        self.events.setHorizontalHeaderLabels([tr("ship.event." + c) for c in EVENT_COLUMNS])
        self.detail_box.setTitle(tr("ship.detail"))
        for key, (caption, _value) in self._facts.items():
            caption.setText(tr("ship.fact." + key))
        self.reason.setPlaceholderText(tr("ship.reason_hint"))
        self.cancel_button.setText(tr("ship.cancel"))
        self.track_button.setText(tr("ship.track"))
        status, courier = self.status.currentData(), self.courier.currentData()
        self._fill_filters()
        for combo, value in ((self.status, status), (self.courier, courier)):
            combo.blockSignals(True)
            combo.setCurrentIndex(max(0, combo.findData(value)))
            combo.blockSignals(False)
        if self.detail is None:
            self.detail_head.setText(tr("ship.pick_one"))


def _quoted_final(detail: ShipmentDetail) -> str:
    quoted = rupiah(detail.quoted_price) if detail.quoted_price is not None else "–"
    final = rupiah(detail.final_price) if detail.final_price is not None else "–"
    return tr("ship.quoted_final", quoted=quoted, final=final)


def make_shipments_screen(ctx: OfficeContext) -> QWidget:
    return ShipmentsScreen(ctx)


__all__ = ["ShipmentsScreen", "make_shipments_screen", "parcels_text", "price_text",
           "status_text"]

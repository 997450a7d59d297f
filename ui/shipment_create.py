"""Ship a sale's parcel: the recipient (prefilled from the sale's customer), the parcel's
weight and size (its volumetric weight beside the real one), the declared value, COD, and
the couriers' prices side by side with the cheapest and the fastest marked.

The prices are asked on the network pool (``backend.shipping.rates``); a slow courier never
freezes the window, and an answer for a parcel changed since is dropped. "Kirim" writes the
shipment on the DB-writer lane (``backend.shipping.create``): it is queued, and the
provider-job dispatcher creates it at the courier when the shop is online, so a parcel can
be shipped offline too (with the shop's default service when no price could be asked).

One dialog is one shipment: its request key is made when the dialog opens and sent with
every "Kirim", and the button is disabled while a send is under way, so a double click, or
a second click after a lost answer, ends with the one shipment the service already made.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from services.courier_port import Parcel, Place, Rate, volumetric_weight_g
from services.errors import BadInput, ShopError
from services.courier_settings import CourierSettings
from services.shipping import RateComparison, ShipmentRequest, ShipmentRow, ShipmentView
from ui.backend import TillBackend
from ui.backend_shipping import ShipmentSale
from ui.i18n import language, number, rupiah, tr
from ui.tasks import Lane, TaskManager, describe_error
from ui.widgets import font as _font, no_default_buttons

ERROR_STYLE = "color: #b00020;"
OK_STYLE = "color: #1b5e20;"
#: The rate table's columns.
COLUMNS = ("courier", "service", "price", "etd", "cod", "mark")
#: Fields a refusal may name, and the widget's label beside which it is shown.
_FIELD_LABELS = {
    "recipient_name": "ship.field.name", "recipient_phone": "ship.field.phone",
    "recipient_address": "ship.field.address", "destination_postal_code": "ship.field.postal",
    "destination_area_id": "ship.field.area", "destination_code": "ship.field.code",
    "destination_city": "ship.field.city",
    "weight_g": "ship.field.weight", "parcel": "ship.field.weight",
    "declared_value": "ship.field.value", "service_code": "ship.field.service",
    "courier": "ship.field.service", "receipt_no": "ship.field.receipt",
}


def courier_name(company: str) -> str:
    """``jne`` -> ``JNE``, ``jnt`` -> ``J&T``, ``pos`` -> ``POS Indonesia``."""
    return {"jne": "JNE", "jnt": "J&T", "pos": "POS Indonesia", "sicepat": "SiCepat",
            "anteraja": "AnterAja", "biteship": "Biteship"}.get(company, company.upper())


def service_text(rate: Rate) -> str:
    """The service as the courier names it (``JNE OKE``), with the company's name in
    front when the courier's own name leaves it out."""
    name = rate.service_name or rate.service_code.upper()
    company = courier_name(rate.courier_company)
    return name if name.lower().startswith(company.lower()) else f"{company} {name}"


def etd_text(rate: Rate) -> str:
    lo, hi = rate.etd_min_days, rate.etd_max_days
    if lo is None and hi is None:
        return "–"
    if lo is None or hi is None or lo == hi:
        return tr("ship.days", n=hi if hi is not None else lo)
    return tr("ship.days_range", lo=lo, hi=hi)


def status_text(status: str) -> str:
    return tr("ship.status." + status)


def parcels_text(rows: Sequence[ShipmentRow]) -> str:
    """A sale's parcels, one line each: ``Paket: JNE REG JNE0012345678 · Terkirim``
    (cancelled and failed ones too: the person looking at the sale should know)."""
    return "\n".join(tr("ship.on_sale", courier=courier_name(r.courier_company),
                        service=r.service_code.upper(), waybill=r.waybill_id or "–",
                        status=status_text(r.status)) for r in rows)


def _locale() -> QLocale:
    """Numbers typed and shown in the screen's language (a dot groups thousands in id)."""
    if language() == "id":
        return QLocale(QLocale.Language.Indonesian, QLocale.Country.Indonesia)
    return QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)


def grams(value: int) -> str:
    """``1.250 g``: weights are whole grams."""
    return f"{number(value)} g"


class ShipmentCreateDialog(QDialog):
    #: The shipment was queued (value: services.shipping.ShipmentView).
    created = Signal(object)
    #: The couriers' prices arrived (value: services.shipping.RateComparison).
    rates_shown = Signal(object)
    #: The sale to ship was found (value: ShipmentSale), from a receipt number typed.
    sale_loaded = Signal(object)
    #: A refusal or error is shown (value: its text).
    refused = Signal(str)

    def __init__(self, backend: TillBackend, tasks: TaskManager,
                 sale: ShipmentSale | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._backend = backend
        self._tasks = tasks
        self.sale: ShipmentSale | None = None
        self.settings: CourierSettings | None = None
        self.comparison: RateComparison | None = None
        #: One per dialog: every "Kirim" of this dialog is the same shipment.
        self.request_key = uuid.uuid4().hex
        self._asked = 0  # the number of the latest price request (older answers dropped)
        self._rates: list[Rate] = []
        self.sending = False
        self.setObjectName("shipmentCreate")
        self.setWindowTitle(tr("ship.create.title"))
        self.setModal(True)

        # --- the sale ------------------------------------------------------------------
        self.receipt = QLineEdit()
        self.receipt.setObjectName("shipReceipt")
        self.receipt.setMinimumHeight(36)
        self.receipt.setPlaceholderText(tr("ship.receipt_hint"))
        self.receipt.returnPressed.connect(self.look_up)
        self.find_button = QPushButton(tr("ship.find"))
        self.find_button.setObjectName("shipFind")
        self.find_button.clicked.connect(self.look_up)
        self.sale_info = QLabel()
        self.sale_info.setObjectName("shipSaleInfo")
        self.sale_info.setFont(_font(12, bold=True))
        sale_row = QHBoxLayout()
        sale_row.addWidget(QLabel(tr("ship.field.receipt")))
        sale_row.addWidget(self.receipt, 1)
        sale_row.addWidget(self.find_button)
        self._sale_row = QWidget()
        self._sale_row.setLayout(sale_row)

        # --- the recipient -------------------------------------------------------------
        self.name = self._line("shipName", 120)
        self.phone = self._line("shipPhone", 32)
        self.address = self._line("shipAddress", 300)
        self.postal = self._line("shipPostal", 10)
        self.area = self._line("shipArea", 64)
        self.code = self._line("shipCode", 32)
        self.city = self._line("shipCity", 60)
        self.errors: dict[str, QLabel] = {}
        who = QGroupBox(tr("ship.recipient"))
        form = QFormLayout(who)
        for key, widget in (("recipient_name", self.name), ("recipient_phone", self.phone),
                            ("recipient_address", self.address),
                            ("destination_postal_code", self.postal),
                            ("destination_area_id", self.area),
                            ("destination_code", self.code),
                            ("destination_city", self.city)):
            form.addRow(tr(_FIELD_LABELS[key]).replace("&", "&&"), widget)  # J&T, no mnemonic
            form.addRow("", self._error_label(key))

        # --- the parcel ----------------------------------------------------------------
        self.weight = self._spin("shipWeight", 1, 500_000, 1000, 100, " g")
        self.length_cm = self._spin("shipLength", 0, 500, 10, 1, " cm")
        self.width_cm = self._spin("shipWidth", 0, 500, 10, 1, " cm")
        self.height_cm = self._spin("shipHeight", 0, 500, 10, 1, " cm")
        self.value = self._spin("shipValue", 0, 2_000_000_000, 0, 1000, "")
        self.value.setPrefix("Rp ")
        self.value.setGroupSeparatorShown(True)
        self.description = self._line("shipDescription", 120)
        self.description.setText(tr("ship.default_description"))
        self.cod = QCheckBox(tr("ship.cod"))
        self.cod.setObjectName("shipCod")
        self.weights = QLabel()
        self.weights.setObjectName("shipWeights")
        parcel = QGroupBox(tr("ship.parcel"))
        grid = QGridLayout(parcel)
        grid.addWidget(QLabel(tr("ship.field.weight")), 0, 0)
        grid.addWidget(self.weight, 0, 1)
        grid.addWidget(QLabel(tr("ship.field.size")), 1, 0)
        size = QHBoxLayout()
        for spin in (self.length_cm, self.width_cm, self.height_cm):
            size.addWidget(spin)
        grid.addLayout(size, 1, 1)
        grid.addWidget(self.weights, 2, 1)
        grid.addWidget(self._error_label("weight_g"), 3, 1)
        grid.addWidget(QLabel(tr("ship.field.value")), 4, 0)
        grid.addWidget(self.value, 4, 1)
        grid.addWidget(self._error_label("declared_value"), 5, 1)
        grid.addWidget(QLabel(tr("ship.field.description")), 6, 0)
        grid.addWidget(self.description, 6, 1)
        grid.addWidget(self.cod, 7, 1)

        # --- the prices ----------------------------------------------------------------
        self.rates_button = QPushButton(tr("ship.rates"))
        self.rates_button.setObjectName("shipRates")
        self.rates_button.setMinimumHeight(40)
        self.rates_button.clicked.connect(self.ask_rates)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("shipRateTable")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(30)
        self.table.setHorizontalHeaderLabels([tr("ship.col." + c) for c in COLUMNS])
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._choice_changed)
        self.table.itemActivated.connect(lambda _item: self.send())
        self.rates_note = QLabel()
        self.rates_note.setObjectName("shipRatesNote")
        self.rates_note.setWordWrap(True)
        self.choice = QLabel()
        self.choice.setObjectName("shipChoice")
        self.choice.setWordWrap(True)
        self.choice.setFont(_font(11, bold=True))
        prices = QGroupBox(tr("ship.prices"))
        pv = QVBoxLayout(prices)
        pv.addWidget(self.rates_button)
        pv.addWidget(self.table, 1)
        pv.addWidget(self.rates_note)
        pv.addWidget(self._error_label("service_code"))
        pv.addWidget(self.choice)

        # --- bottom --------------------------------------------------------------------
        self.note = self._line("shipNote", 200)
        self.note.setPlaceholderText(tr("ship.note_hint"))
        self.message = QLabel()
        self.message.setObjectName("shipMessage")
        self.message.setWordWrap(True)
        self.send_button = QPushButton(tr("ship.send"))
        self.send_button.setObjectName("shipSend")
        self.send_button.setMinimumHeight(48)
        self.send_button.setFont(_font(13, bold=True))
        self.send_button.clicked.connect(self.send)
        self.cancel_button = QPushButton(tr("ship.close"))
        self.cancel_button.setMinimumHeight(48)
        self.cancel_button.clicked.connect(self.reject)

        left = QVBoxLayout()
        left.addWidget(self._sale_row)
        left.addWidget(self.sale_info)
        left.addWidget(who)
        left.addWidget(parcel)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(prices, 1)
        right.addWidget(self.note)
        right.addWidget(self.message)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.send_button, 1)
        right.addLayout(buttons)
        body = QHBoxLayout(self)
        body.addLayout(left, 5)
        body.addLayout(right, 6)
        no_default_buttons(self)
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, self.ask_rates)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.send)

        for spin in (self.weight, self.length_cm, self.width_cm, self.height_cm):
            spin.valueChanged.connect(self._parcel_changed)
        for line in (self.postal, self.area, self.code):
            line.textEdited.connect(lambda _t: self._forget_rates())
        self.cod.toggled.connect(lambda _on: self._forget_rates())
        self._parcel_changed()
        self.resize(1180, 700)
        self._load_settings()
        if sale is not None:
            self._sale_row.hide()
            self.show_sale(sale)
        else:
            self._draw_choice()
            self.receipt.setFocus()

    # --- widgets ----------------------------------------------------------------------------
    def _line(self, name: str, length: int) -> QLineEdit:
        line = QLineEdit()
        line.setObjectName(name)
        line.setMaxLength(length)
        line.setMinimumHeight(32)
        return line

    def _spin(self, name: str, lo: int, hi: int, value: int, step: int, suffix: str) -> QSpinBox:
        spin = QSpinBox()
        spin.setObjectName(name)
        spin.setRange(lo, hi)
        spin.setValue(value)
        spin.setSingleStep(step)
        spin.setSuffix(suffix)
        spin.setMinimumHeight(32)
        spin.setGroupSeparatorShown(True)
        spin.setLocale(_locale())  # 1.500 g, Rp 24.500 (not the computer's 1,500)
        return spin

    def _error_label(self, field: str) -> QLabel:
        label = QLabel()
        label.setObjectName(f"shipError_{field}")
        label.setStyleSheet(ERROR_STYLE)
        label.setWordWrap(True)
        label.hide()
        self.errors[field] = label
        return label

    # --- the sale -------------------------------------------------------------------------
    def look_up(self) -> None:
        """Find the sale whose receipt number is typed (the back office's way in)."""
        number_ = self.receipt.text().strip()
        if not number_:
            self.say(tr("ship.receipt_needed"), error=True)
            return
        shipping = self._backend.shipping
        self._tasks.run_in_background(lambda: shipping.sale(number_), self._sale_found,
                                      self._refused, lane=Lane.POOL, owner=self)

    def _sale_found(self, sale: ShipmentSale) -> None:
        self.show_sale(sale)
        self.sale_loaded.emit(sale)

    def show_sale(self, sale: ShipmentSale) -> None:
        self.sale = sale
        self.sale_info.setText(tr("ship.sale", receipt=sale.receipt_no,
                                  amount=rupiah(sale.payable)))
        if sale.shipments:  # shipped already: say how, so nobody ships it twice by mistake
            self.sale_info.setText(self.sale_info.text() + "\n" + parcels_text(sale.shipments))
        for line, value in ((self.name, sale.customer_name), (self.phone, sale.phone),
                            (self.address, sale.address)):
            if value and not line.text():
                line.setText(value)
        if self.value.value() == 0:
            self.value.setValue(sale.payable)
        self._draw_choice()
        (self.name if not self.name.text() else self.weight).setFocus()

    def _load_settings(self) -> None:
        shipping = self._backend.shipping
        self._tasks.run_in_background(shipping.settings, self._settings_known,
                                      lambda exc: self.say(describe_error(exc), error=True),
                                      lane=Lane.POOL, owner=self)

    def _settings_known(self, settings: CourierSettings) -> None:
        self.settings = settings
        self._draw_choice()

    # --- the parcel -----------------------------------------------------------------------
    def parcel(self) -> Parcel:
        return Parcel(weight_g=self.weight.value(), length_cm=self.length_cm.value(),
                      width_cm=self.width_cm.value(), height_cm=self.height_cm.value(),
                      declared_value=self.value.value(),
                      description=self.description.text().strip()
                      or tr("ship.default_description"))

    def destination(self) -> Place:
        return Place(name=self.name.text().strip(), phone=self.phone.text().strip(),
                     address=self.address.text().strip(),
                     postal_code=self.postal.text().strip() or None,
                     area_id=self.area.text().strip() or None,
                     code=self.code.text().strip() or None,
                     city=self.city.text().strip() or None)

    def _parcel_changed(self) -> None:
        volumetric = volumetric_weight_g(self.length_cm.value(), self.width_cm.value(),
                                         self.height_cm.value())
        real = self.weight.value()
        self.weights.setText(tr("ship.weights", real=grams(real), volume=grams(volumetric),
                                charged=grams(max(real, volumetric))))
        self._forget_rates()

    # --- the prices -----------------------------------------------------------------------
    def ask_rates(self) -> None:
        """Ask every enabled courier for its price, on the network pool (F5)."""
        self._clear_errors()
        destination = self.destination()
        if not (destination.postal_code or destination.area_id or destination.code):
            self._show_field_error(BadInput(tr("ship.destination_needed"),
                                            field="destination_postal_code"))
            return
        self._asked += 1
        asked = self._asked
        parcel, cod = self.parcel(), self.cod.isChecked()
        shipping = self._backend.shipping
        self.rates_button.setEnabled(False)
        self.rates_note.setStyleSheet("")
        self.rates_note.setText(tr("ship.rates_asking"))
        self._tasks.run_in_background(
            lambda: shipping.rates(destination, parcel, cod=cod),
            lambda answer: self._rates_known(asked, answer),
            lambda exc: self._rates_failed(asked, exc), lane=Lane.POOL, owner=self)

    def _rates_known(self, asked: int, comparison: RateComparison) -> None:
        if asked != self._asked:
            return  # the parcel or the address changed since: this price is not for it
        self.rates_button.setEnabled(True)
        self.comparison = comparison
        self._rates = list(comparison.rates)
        self.table.setRowCount(len(self._rates))
        for row, rate in enumerate(self._rates):
            marks = []
            if comparison.cheapest is not None and rate == comparison.cheapest:
                marks.append(tr("ship.cheapest"))
            if comparison.fastest is not None and rate == comparison.fastest:
                marks.append(tr("ship.fastest"))
            cells = (courier_name(rate.courier_company), service_text(rate), rupiah(rate.price),
                     etd_text(rate), tr("office.yes") if rate.cod_available else "–",
                     " · ".join(marks))
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if COLUMNS[col] == "price":
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                if marks:
                    f = item.font()
                    f.setBold(True)
                    item.setFont(f)
                self.table.setItem(row, col, item)
        failures = [f"{courier_name(name)}: {why}" for name, why in comparison.failures.items()]
        if not self._rates:
            self.rates_note.setStyleSheet(ERROR_STYLE)
            self.rates_note.setText(tr("ship.no_rates") + (
                "\n" + "\n".join(failures) if failures else ""))
        else:
            self.rates_note.setStyleSheet("")
            self.rates_note.setText("\n".join(failures))
            best = comparison.cheapest if comparison.cheapest in self._rates else self._rates[0]
            self.table.selectRow(self._rates.index(best))
        self._draw_choice()
        self.rates_shown.emit(comparison)

    def _rates_failed(self, asked: int, exc: Exception) -> None:
        if asked != self._asked:
            return
        self.rates_button.setEnabled(True)
        self.rates_note.setStyleSheet(ERROR_STYLE)
        self.rates_note.setText(tr("ship.rates_failed", reason=describe_error(exc)))
        self._draw_choice()

    def _forget_rates(self) -> None:
        """The parcel or the destination changed: the prices shown were for another one."""
        self._asked += 1
        self.rates_button.setEnabled(True)
        if self._rates or self.comparison is not None:
            self._rates = []
            self.comparison = None
            self.table.setRowCount(0)
            self.rates_note.setStyleSheet("")
            self.rates_note.setText(tr("ship.rates_again"))
        self._draw_choice()

    def chosen_rate(self) -> Rate | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() \
            else []
        if not rows or rows[0].row() >= len(self._rates):
            return None
        return self._rates[rows[0].row()]

    def _choice_changed(self) -> None:
        self._draw_choice()

    def _draw_choice(self) -> None:
        rate = self.chosen_rate()
        default = self.settings.default if self.settings is not None else None
        if rate is not None:
            self.choice.setText(tr("ship.choice", service=service_text(rate),
                                   price=rupiah(rate.price)))
        elif default is not None:
            self.choice.setText(tr("ship.choice_default", courier=courier_name(
                default.courier_company), service=default.service_code.upper()))
        else:
            self.choice.setText(tr("ship.choice_none"))
        self.send_button.setEnabled(not self.sending and self.sale is not None
                                    and (rate is not None or default is not None))

    # --- sending --------------------------------------------------------------------------
    def request(self) -> ShipmentRequest | None:
        """What "Kirim" sends, or None when no service is chosen."""
        if self.sale is None:
            return None
        rate = self.chosen_rate()
        default = self.settings.default if self.settings is not None else None
        if rate is not None:
            courier, company, service, quoted = (rate.courier, rate.courier_company,
                                                 rate.service_code, rate.price)
        elif default is not None:
            courier, company, service, quoted = (default.courier, default.courier_company,
                                                 default.service_code, None)
        else:
            return None
        d = self.destination()
        return ShipmentRequest(
            sale_id=self.sale.sale_id, courier=courier, courier_company=company,
            service_code=service, recipient_name=d.name, recipient_phone=d.phone,
            recipient_address=d.address, destination_postal_code=d.postal_code,
            destination_area_id=d.area_id, destination_code=d.code, destination_city=d.city,
            parcel=self.parcel(),
            cod=self.cod.isChecked(), quoted_price=quoted, request_key=self.request_key,
            batch_id=None, note=self.note.text().strip() or None)

    def send(self) -> None:
        """Queue the shipment (Ctrl+Enter). Ignored while a send is under way."""
        if self.sending or not self.send_button.isEnabled():
            return
        request = self.request()
        if request is None:
            return
        self._clear_errors()
        self.sending = True
        self.send_button.setEnabled(False)
        self.say(tr("ship.sending"))
        shipping = self._backend.shipping
        self._tasks.run_in_background(lambda: shipping.create(request), self._created,
                                      self._send_failed, lane=Lane.WRITER, owner=self)

    def _created(self, view: ShipmentView) -> None:
        self.sending = False
        self.created.emit(view)
        self._backend.sync.wake()  # the create job goes out now if the shop is online
        self.accept()

    def _send_failed(self, exc: Exception) -> None:
        self.sending = False
        self._refused(exc)
        self._draw_choice()

    # --- messages -------------------------------------------------------------------------
    def _refused(self, exc: Exception) -> None:
        if not self._show_field_error(exc):
            self.say(describe_error(exc), error=True)
        self.refused.emit(describe_error(exc))

    def _show_field_error(self, exc: Exception) -> bool:
        field = exc.field if isinstance(exc, ShopError) else None
        base = (field or "").split(".")[-1].split("[")[0]
        for key in (field, base):
            if key and key in self.errors:
                self.errors[key].setText(describe_error(exc))
                self.errors[key].show()
                return True
        if field in _FIELD_LABELS:
            self.say(tr("ship.field_error", field=tr(_FIELD_LABELS[field]),
                        reason=describe_error(exc)), error=True)
            return True
        return False

    def _clear_errors(self) -> None:
        for label in self.errors.values():
            label.clear()
            label.hide()
        self.message.clear()

    def say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet(ERROR_STYLE if error else OK_STYLE)
        self.message.setText(text)

    def reject(self) -> None:
        if self.sending:
            return  # the shipment is being written: its answer closes the dialog
        super().reject()


__all__ = ["ShipmentCreateDialog", "courier_name", "etd_text", "grams", "parcels_text",
           "service_text", "status_text"]

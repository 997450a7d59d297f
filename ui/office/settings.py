"""Store settings (owner): name, address, NPWP, PKP, cash rounding, receipt header and
footer, the receipt printer (kind, target, paper width, drawer kick), the language; and the
provider and central credentials.

Settings are saved by services.store_settings (checked first; a bad value names its field
and nothing changes). Credentials go to the OS keyring (a demo shop's labelled file), never
to the database: this screen only ever shows whether each one is set, and its fields are
cleared as soon as a value is handed over.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from services.credentials import CREDENTIAL_KEYS, SettingsView
from services.store_settings import StoreSettings
from ui.i18n import language, set_language, tr
from ui.office.common import OK_STYLE, FieldErrors, OfficeContext, amp, big_button, font
from ui.tasks import Lane



class SettingsScreen(QWidget):
    loaded = Signal()
    saved = Signal()
    failed = Signal(str)
    credential_changed = Signal(str)

    def __init__(self, ctx: OfficeContext) -> None:
        super().__init__()
        self._ctx = ctx
        self._current: SettingsView | None = None
        self.setObjectName("settingsScreen")
        self.title = QLabel()
        self.title.setFont(font(16, bold=True))
        self.message = QLabel()
        self.message.setObjectName("settingsMessage")
        self.message.setStyleSheet(OK_STYLE)
        self.errors = FieldErrors(QLabel())
        self.errors.general.setObjectName("settingsError")
        self._captions: dict[str, QLabel] = {}

        def line(name: str, max_len: int) -> QLineEdit:
            f = QLineEdit()
            f.setObjectName(name)
            f.setMaxLength(max_len)
            f.setMinimumHeight(36)
            return f

        def text(name: str, height: int) -> QPlainTextEdit:
            f = QPlainTextEdit()
            f.setObjectName(name)
            f.setTabChangesFocus(True)
            f.setFixedHeight(height)
            return f

        def combo(name: str) -> QComboBox:
            c = QComboBox()
            c.setObjectName(name)
            c.setMinimumHeight(36)
            return c

        self.store_name = line("store_name", 80)
        self.address = text("address", 64)
        self.npwp = line("npwp", 24)
        self.pkp = QCheckBox()
        self.pkp.setObjectName("pkp")
        self.rounding_unit = combo("rounding_unit")
        self.rounding_mode = combo("rounding_mode")
        self.language_box = combo("language")
        self.receipt_header = text("receipt_header", 80)
        self.receipt_footer = text("receipt_footer", 64)
        self.printer_kind = combo("printer_kind")
        self.printer_kind.currentIndexChanged.connect(self._kind_changed)
        self.printer_target = line("printer_target", 500)
        self.target_hint = QLabel()
        self.target_hint.setWordWrap(True)
        self.target_hint.setStyleSheet("color: #555;")
        self.paper_mm = combo("paper_mm")
        self.drawer = QCheckBox()
        self.drawer.setObjectName("drawer")

        self.store_box = QGroupBox()
        store_form = QFormLayout(self.store_box)
        self._row(store_form, "store_name", self.store_name)
        self._row(store_form, "address", self.address)
        self._row(store_form, "npwp", self.npwp)
        store_form.addRow("", self.pkp)
        self._row(store_form, "rounding_unit", self.rounding_unit)
        self._row(store_form, "rounding_mode", self.rounding_mode)
        self._row(store_form, "language", self.language_box)
        self.receipt_box = QGroupBox()
        receipt_form = QFormLayout(self.receipt_box)
        self._row(receipt_form, "receipt_header", self.receipt_header)
        self._row(receipt_form, "receipt_footer", self.receipt_footer)
        self.printer_box = QGroupBox()
        printer_form = QFormLayout(self.printer_box)
        self._row(printer_form, "printer_kind", self.printer_kind)
        self._row(printer_form, "printer_target", self.printer_target)
        printer_form.addRow("", self.target_hint)
        self._row(printer_form, "paper_mm", self.paper_mm)
        printer_form.addRow("", self.drawer)

        self.save_button = big_button(name="saveSettings")
        self.save_button.clicked.connect(self.save)
        QShortcut(QKeySequence("Ctrl+S"), self, self.save,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)

        # credentials: state, a password field, store and clear
        self.cred_box = QGroupBox()
        cred_grid = QGridLayout(self.cred_box)
        self.cred_note = QLabel()
        self.cred_note.setWordWrap(True)
        cred_grid.addWidget(self.cred_note, 0, 0, 1, 4)
        self.cred_labels: dict[str, QLabel] = {}
        self.cred_state: dict[str, QLabel] = {}
        self.cred_fields: dict[str, QLineEdit] = {}
        self.cred_store: dict[str, tuple[QPushButton, QPushButton]] = {}
        for i, key in enumerate(CREDENTIAL_KEYS, start=1):
            caption = QLabel()
            state = QLabel()
            state.setObjectName(f"cred_state_{key}")
            field = QLineEdit()
            field.setObjectName(f"cred_{key}")
            field.setEchoMode(QLineEdit.EchoMode.Password)
            field.setMinimumHeight(36)
            store = big_button(name=f"cred_store_{key}", height=36)
            clear = big_button(name=f"cred_clear_{key}", height=36)
            store.clicked.connect(lambda _=False, k=key: self.store_credential(k))
            field.returnPressed.connect(lambda k=key: self.store_credential(k))
            clear.clicked.connect(lambda _=False, k=key: self.clear_credential(k))
            row = 2 * i - 1
            cred_grid.addWidget(caption, row, 0)
            cred_grid.addWidget(state, row, 1)
            cred_grid.addWidget(store, row, 2)
            cred_grid.addWidget(clear, row, 3)
            cred_grid.addWidget(field, row + 1, 0, 1, 2)
            cred_grid.addWidget(self.errors.label_for(key), row + 1, 2, 1, 2)
            self.cred_labels[key], self.cred_state[key] = caption, state
            self.cred_fields[key] = field
            self.cred_store[key] = (store, clear)

        left = QVBoxLayout()
        left.addWidget(self.store_box)
        left.addWidget(self.receipt_box)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self.printer_box)
        right.addWidget(self.cred_box)
        right.addStretch(1)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        inner = QWidget()
        inner.setLayout(columns)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.errors.general)
        layout.addLayout(bottom)
        self.retranslate()

    def _row(self, form: QFormLayout, key: str, widget: QWidget) -> None:
        caption = QLabel()
        self._captions[key] = caption
        box = QVBoxLayout()
        box.setSpacing(2)
        box.addWidget(widget)
        box.addWidget(self.errors.label_for(key))
        form.addRow(caption, box)

    # --- data -------------------------------------------------------------------------
    def activate(self) -> None:
        self.reload()

    def reload(self) -> None:
        self._ctx.tasks.run_in_background(self._ctx.backend.office.settings, self._show,
                                          self._failed, lane=Lane.POOL, owner=self)

    def _fill_combo(self, box: QComboBox, items: list[tuple[str, object]],
                    current: object) -> None:
        box.blockSignals(True)
        box.clear()
        for label, data in items:
            box.addItem(label, data)
        index = box.findData(current)
        box.setCurrentIndex(max(index, 0))
        box.blockSignals(False)

    def _show(self, settings: SettingsView) -> None:
        self._current = settings
        s = settings.store
        self.store_name.setText(s.store_name)
        self.address.setPlainText(s.address)
        self.npwp.setText(s.npwp)
        self.pkp.setChecked(s.pkp)
        self.receipt_header.setPlainText(s.receipt_header)
        self.receipt_footer.setPlainText(s.receipt_footer)
        self.printer_target.setText(s.printer_target)
        self.drawer.setChecked(s.drawer)
        self._fill_choices(settings, s)
        self._show_credentials(settings)
        self._kind_changed()
        self.loaded.emit()

    def _fill_choices(self, settings: SettingsView, s: StoreSettings) -> None:
        self._fill_combo(self.rounding_unit,
                         [(f"Rp {u}" if u > 1 else "—", u) for u in settings.rounding_units],
                         s.rounding_unit)
        self._fill_combo(self.rounding_mode,
                         [(tr("settings.rounding." + m), m) for m in settings.rounding_modes],
                         s.rounding_mode)
        self._fill_combo(self.language_box,
                         [(tr("settings.lang." + code), code) for code in settings.languages],
                         s.language)
        self._fill_combo(self.printer_kind,
                         [(tr("settings.kind." + k), k) for k in settings.printer_kinds],
                         s.printer_kind)
        self._fill_combo(self.paper_mm, [(f"{w} mm", w) for w in settings.paper_widths],
                         s.paper_mm)

    def _show_credentials(self, settings: SettingsView) -> None:
        if settings.keyring_problem:
            self.cred_note.setText(settings.keyring_problem)
            self.cred_note.setStyleSheet("color: #b00020;")
        else:
            self.cred_note.setText(tr("settings.credentials_note"))
            self.cred_note.setStyleSheet("")
        for state in settings.credentials:
            label = self.cred_state[state.key]
            label.setText(tr("settings.cred.set") if state.is_set else tr("settings.cred.unset"))
            label.setStyleSheet("color: #1b5e20; font-weight: bold;" if state.is_set
                                else "color: #8a6d00;")
            self.cred_store[state.key][1].setEnabled(state.is_set)

    def values(self) -> StoreSettings:
        """What the form says now (checked by the service when saved)."""
        return StoreSettings(
            store_name=self.store_name.text(), address=self.address.toPlainText(),
            npwp=self.npwp.text(), pkp=self.pkp.isChecked(),
            rounding_unit=int(self.rounding_unit.currentData() or 1),
            rounding_mode=str(self.rounding_mode.currentData() or "nearest"),
            receipt_header=self.receipt_header.toPlainText(),
            receipt_footer=self.receipt_footer.toPlainText(),
            printer_kind=str(self.printer_kind.currentData() or "none"),
            printer_target=self.printer_target.text(),
            paper_mm=int(self.paper_mm.currentData() or 58), drawer=self.drawer.isChecked(),
            language=str(self.language_box.currentData() or "id"))

    def _kind_changed(self) -> None:
        self.printer_target.setEnabled(self.printer_kind.currentData() not in (None, "none"))

    # --- actions ----------------------------------------------------------------------
    def save(self) -> None:
        self.errors.clear()
        self.message.clear()
        values = self.values()
        backend = self._ctx.backend
        self._ctx.tasks.run_in_background(lambda: backend.office.save_settings(values),
                                          self._saved, self._failed, lane=Lane.WRITER,
                                          owner=self)

    def _saved(self, settings: SettingsView) -> None:
        self._show(settings)
        self.message.setText(tr("settings.saved"))
        window = self.window()
        if settings.store.language != language():
            set_language(settings.store.language)
            again = getattr(window, "retranslate", None)
            if callable(again):
                again()
        if isinstance(window, QMainWindow):
            # The title bar names the store (shop_info is the backend's cached value).
            info = self._ctx.backend.core.shop_info()
            window.setWindowTitle(tr("app.title", store=info.store_name)
                                  + (f" [{tr('demo')}]" if info.demo else ""))
        self.saved.emit()

    def _failed(self, exc: Exception) -> None:
        self.errors.show(exc)
        shown = self.errors.general.text() or next(
            (lb.text() for lb in self.errors.labels.values() if lb.text()), "")
        self.failed.emit(shown)

    def store_credential(self, key: str) -> None:
        field = self.cred_fields[key]
        value = field.text()
        field.clear()  # the value leaves the screen at once
        self._credential(key, lambda: self._ctx.backend.office.set_credential(key, value),
                         "settings.cred.stored")

    def clear_credential(self, key: str) -> None:
        self._credential(key, lambda: self._ctx.backend.office.clear_credential(key),
                         "settings.cred.cleared")

    def _credential(self, key: str, fn: object, done_id: str) -> None:
        assert callable(fn)
        self.errors.clear()
        self.message.clear()

        def done(settings: SettingsView) -> None:
            self._current = settings
            self._show_credentials(settings)
            self.message.setText(tr(done_id, what=tr("settings.cred." + key)))
            self.credential_changed.emit(key)

        self._ctx.tasks.run_in_background(fn, done, self._failed, lane=Lane.WRITER, owner=self)

    def retranslate(self) -> None:
        self.title.setText(tr("settings.title"))
        for key, caption in self._captions.items():
            caption.setText(tr("settings." + key))
        self.pkp.setText(tr("settings.pkp"))
        self.drawer.setText(tr("settings.drawer"))
        self.target_hint.setText(tr("settings.printer_target_hint"))
        self.store_box.setTitle(tr("settings.store"))
        self.receipt_box.setTitle(tr("settings.receipt"))
        self.printer_box.setTitle(tr("settings.printer"))
        self.cred_box.setTitle(amp(tr("settings.credentials")))
        self.cred_note.setText(tr("settings.credentials_note"))
        self.save_button.setText(tr("settings.save"))
        for key in CREDENTIAL_KEYS:
            self.cred_labels[key].setText(tr("settings.cred." + key))
            store, clear = self.cred_store[key]
            store.setText(tr("settings.cred.store"))
            clear.setText(tr("settings.cred.clear"))
        if self._current is not None:
            self._fill_choices(self._current, self.values())
            self._show_credentials(self._current)

"""Data requests (back office, "Permintaan data"): a customer's rights under UU PDP — find the
customer, give them a copy of their data (JSON or a readable PDF, saved where the owner
chooses), erase their personal data after a confirmation, and see their consent history.

Searches and the history load on the pool lane; the export (it is audited) and the erasure
run on the DB-writer lane, so the Qt main thread only draws. services.personal_data and
services.customers decide who may (a copy: supervisor or owner; erasure: the owner), and a
refusal is shown as the service words it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.backend_personal_data import ExportWritten, PersonalDataBackend
from ui.books_common import NOTE_STYLE, BooksScreen
from ui.i18n import tr, when
from ui.office.common import OfficeContext, amp, cell, font, read_only_table

if TYPE_CHECKING:
    from services.customers import CustomerSummary, Erasure
    from services.personal_data import ConsentLog

RESULT_COLUMNS = ("name", "phone")
HISTORY_COLUMNS = ("time", "consent", "source", "who")
SOURCES = ("till", "cli", "office", "unsubscribe", "stop", "import", "erasure")


def ask_save_path(parent: QWidget, suggested: str, fmt: str) -> str | None:
    path, _ = QFileDialog.getSaveFileName(parent, tr("datareq.save_as"), suggested,
                                          "PDF (*.pdf)" if fmt == "pdf" else "JSON (*.json)")
    return path or None


def ask_confirmation(parent: QWidget, text: str) -> bool:
    answer = QMessageBox.question(parent, tr("datareq.erase_title"), text,
                                  QMessageBox.StandardButton.Yes
                                  | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


class DataRequestsScreen(BooksScreen):
    def __init__(self, ctx: OfficeContext) -> None:
        super().__init__(ctx, "dataRequestsScreen")
        self.found: tuple[CustomerSummary, ...] = ()
        self.selected: CustomerSummary | None = None
        self.log: ConsentLog | None = None
        self.written: ExportWritten | None = None
        self.erased: Erasure | None = None
        #: Where an export is saved (a file dialog; tests put a function here).
        self.choose_path: Callable[[str, str], str | None] = (
            lambda suggested, fmt: ask_save_path(self, suggested, fmt))
        #: Whether the owner confirms the erasure (a question box; tests replace it).
        self.confirm: Callable[[str], bool] = lambda text: ask_confirmation(self, text)

        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet(NOTE_STYLE)
        self.search = QLineEdit()
        self.search.setObjectName("datareqSearch")
        self.search.setMinimumHeight(36)
        self.search.returnPressed.connect(self.look_up)
        self.find_button = QPushButton()
        self.find_button.setObjectName("datareqFind")
        self.find_button.setMinimumHeight(36)
        self.find_button.clicked.connect(self.look_up)
        self.results = read_only_table(len(RESULT_COLUMNS), name="datareqResults")
        self.results.setFont(font(11))
        self.results.itemSelectionChanged.connect(self._picked)

        self.customer_box = QGroupBox()
        self.who = QLabel()
        self.who.setObjectName("datareqWho")
        self.who.setFont(font(12, bold=True))
        self.lang = QComboBox()
        self.lang.setObjectName("datareqLang")
        self.export_json = QPushButton()
        self.export_json.setObjectName("datareqExportJson")
        self.export_json.clicked.connect(lambda: self.export("json"))
        self.export_pdf = QPushButton()
        self.export_pdf.setObjectName("datareqExportPdf")
        self.export_pdf.clicked.connect(lambda: self.export("pdf"))
        self.even_with_kasbon = QCheckBox()
        self.even_with_kasbon.setObjectName("datareqEvenKasbon")
        self.erase_button = QPushButton()
        self.erase_button.setObjectName("datareqErase")
        self.erase_button.setStyleSheet("color: #b00020;")
        self.erase_button.clicked.connect(self.erase)
        for b in (self.export_json, self.export_pdf, self.erase_button):
            b.setMinimumHeight(40)
            b.setFont(font(11, bold=True))
        self.history_caption = QLabel()
        self.history_caption.setFont(font(11, bold=True))
        self.history = read_only_table(len(HISTORY_COLUMNS), name="datareqHistory")
        self.history.setFont(font(10))
        for table in (self.results, self.history):
            table.horizontalHeader().setStretchLastSection(True)
        actions = QHBoxLayout()
        self._lang_caption = QLabel()
        actions.addWidget(self._lang_caption)
        actions.addWidget(self.lang)
        actions.addWidget(self.export_json)
        actions.addWidget(self.export_pdf)
        actions.addStretch(1)
        erase_row = QHBoxLayout()
        erase_row.addWidget(self.even_with_kasbon)
        erase_row.addStretch(1)
        erase_row.addWidget(self.erase_button)
        cb = QVBoxLayout(self.customer_box)
        cb.addWidget(self.who)
        cb.addLayout(actions)
        cb.addLayout(erase_row)
        cb.addWidget(self.history_caption)
        cb.addWidget(self.history, 1)

        search_row = QHBoxLayout()
        search_row.addWidget(self.search, 1)
        search_row.addWidget(self.find_button)
        left = QVBoxLayout()
        left.addLayout(search_row)
        left.addWidget(self.results, 1)
        left_widget = QWidget()
        left_widget.setLayout(left)
        left_widget.setFixedWidth(380)
        body = QHBoxLayout()
        body.addWidget(left_widget)
        body.addWidget(self.customer_box, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.note)
        layout.addLayout(body, 1)
        layout.addWidget(self.message)
        self.retranslate()
        self._enable()

    @property
    def data(self) -> PersonalDataBackend:
        return self._ctx.backend.personal_data

    # --- texts ----------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.title.setText(tr("datareq.title"))
        self.note.setText(tr("datareq.note"))
        self.search.setPlaceholderText(tr("datareq.search_hint"))
        self.find_button.setText(amp(tr("datareq.find")))
        self.results.setHorizontalHeaderLabels([tr(f"datareq.col.{c}") for c in RESULT_COLUMNS])
        self.history.setHorizontalHeaderLabels(
            [tr(f"datareq.col.{c}") for c in HISTORY_COLUMNS])
        self.customer_box.setTitle(amp(tr("datareq.customer")))
        self._lang_caption.setText(tr("datareq.pdf_language"))
        current = self.lang.currentData()
        self.lang.blockSignals(True)
        self.lang.clear()
        self.lang.addItem(tr("datareq.lang.id"), "id")
        self.lang.addItem(tr("datareq.lang.en"), "en")
        self.lang.setCurrentIndex(max(0, self.lang.findData(current)))
        self.lang.blockSignals(False)
        self.export_json.setText(amp(tr("datareq.export_json")))
        self.export_pdf.setText(amp(tr("datareq.export_pdf")))
        self.even_with_kasbon.setText(tr("datareq.even_with_kasbon"))
        self.erase_button.setText(amp(tr("datareq.erase")))
        self.history_caption.setText(tr("datareq.history"))
        self._show_results()
        self._show_log()

    def _enable(self) -> None:
        picked = self.selected is not None
        for w in (self.export_json, self.export_pdf, self.erase_button, self.lang,
                  self.even_with_kasbon):
            w.setEnabled(picked)

    # --- finding ---------------------------------------------------------------------------
    def activate(self) -> None:
        if self.search.text().strip():
            self.look_up()
        else:
            self.loaded.emit()

    def reload(self) -> None:
        self.look_up()

    def look_up(self) -> None:
        """Find customers by the search box's name or phone number (pool lane)."""
        text = self.search.text().strip()
        if not text:
            self.say(tr("datareq.type_something"), error=True)
            self.loaded.emit()
            return
        self.read(lambda: self.data.find_customers(text), self._found)

    def _found(self, found: tuple[CustomerSummary, ...]) -> None:
        self.found = found
        self.selected = None
        self.log = None
        self._show_results()
        self._show_log()
        self._enable()
        self.say(tr("datareq.found", count=len(found)) if found else tr("datareq.none_found"))

    def _show_results(self) -> None:
        self.results.setRowCount(len(self.found))
        for i, c in enumerate(self.found):
            self.results.setItem(i, 0, cell(c.name))
            self.results.setItem(i, 1, cell(tr("datareq.yes") if c.has_phone else "–"))
        self.results.resizeColumnsToContents()

    def _picked(self) -> None:
        rows = self.results.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.found):
            return
        self.pick(rows[0].row())

    def pick(self, row: int) -> None:
        """Select the customer on ``row`` of the results and load their consent history."""
        self.selected = self.found[row]
        self.written = self.erased = None
        self._enable()
        chosen = self.selected
        self.read(lambda: self.data.consent_history(chosen.id), self._logged)

    def _logged(self, log: ConsentLog) -> None:
        self.log = log
        self._show_log()

    def _show_log(self) -> None:
        c = self.selected
        if c is None:
            self.who.setText(tr("datareq.pick"))
            self.history.setRowCount(0)
            return
        consent = ("" if self.log is None else
                   tr("datareq.consent_yes" if self.log.consent_marketing
                      else "datareq.consent_no"))
        self.who.setText(f"{c.name} · {consent}" if consent else c.name)
        changes = () if self.log is None else self.log.changes
        self.history.setRowCount(len(changes))
        for i, ch in enumerate(changes):
            source = tr(f"datareq.source.{ch.source}") if ch.source in SOURCES else ch.source
            who = (tr("datareq.the_customer") if ch.actor == "customer"
                   else self.log.who(ch) if self.log is not None else ch.actor)
            for j, text in enumerate((when(ch.created_at),
                                      tr("datareq.granted" if ch.granted
                                         else "datareq.withdrawn"), source, who)):
                self.history.setItem(i, j, cell(text))
        self.history.resizeColumnsToContents()

    # --- export and erasure ------------------------------------------------------------------
    def export(self, fmt: str) -> None:
        c = self.selected
        if c is None:
            return
        suggested = f"data-pelanggan-{c.id[:8]}.{fmt}"
        path = self.choose_path(suggested, fmt)
        if not path:
            return
        lang = str(self.lang.currentData() or "id")
        self.say(tr("datareq.exporting"))
        self.write(lambda: self.data.export(c.id, fmt, path, lang), self._exported)

    def _exported(self, written: ExportWritten) -> None:
        self.written = written
        self.say(tr("datareq.exported", path=written.path, sales=written.sales,
                    messages=written.messages))

    def erase(self) -> None:
        c = self.selected
        if c is None:
            return
        if not self.confirm(tr("datareq.erase_confirm", name=c.name)):
            self.say(tr("datareq.erase_cancelled"))
            return
        even = self.even_with_kasbon.isChecked()
        self.write(lambda: self.data.erase(c.id, even_with_kasbon=even), self._erased)

    def _erased(self, done: Erasure) -> None:
        self.erased = done
        self.say(tr("datareq.erased", at=when(done.erased_at)))
        self.selected = None
        self.log = None
        self.found = tuple(f for f in self.found if f.id != done.customer_id)
        self._show_results()
        self._show_log()
        self._enable()


__all__ = ["DataRequestsScreen"]

"""The reports screen shows a statement's labels (services.reports.values.Words) in the
screen's language: English in English, Bahasa Indonesia by default."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from PySide6.QtWidgets import QTableWidget

from services.reports.values import Words
from tests.ui.test_office_reports import reports  # noqa: F401  (a fixture, re-exported)
from ui import i18n
from ui.office.common import value_text
from ui.office.reports import ReportsScreen


def _texts(table: object) -> set[str]:
    assert isinstance(table, QTableWidget)
    items = (table.item(r, c) for r in range(table.rowCount())
             for c in range(table.columnCount()))
    return {item.text() for item in items if item is not None}


def test_value_text_shows_words_in_the_current_language() -> None:
    label = Words("Laba bersih", "Net income")
    assert value_text("text", label) == "Laba bersih"
    i18n.set_language("en")
    assert value_text("text", label) == "Net income"
    assert value_text("money", Words("Saldo awal", "Opening balance")) == "Opening balance"
    assert value_text("text", "Bu Ani") == "Bu Ani"  # a plain text stays as it is


def test_the_profit_and_loss_preview_in_english_and_in_indonesian(
        qtbot: QtBot, reports: ReportsScreen) -> None:  # noqa: F811
    i18n.set_language("en")
    reports.choose("pnl")
    with qtbot.waitSignal(reports.previewed, timeout=10_000):
        reports.show_report()
    english = _texts(reports.table(0))
    assert {"Gross sales", "Net sales", "Gross profit", "Net income"} <= english, english
    assert not english & {"Penjualan kotor", "Laba bersih"}
    i18n.set_language("id")
    with qtbot.waitSignal(reports.previewed, timeout=10_000):
        reports.show_report()
    indonesian = _texts(reports.table(0))
    assert {"Penjualan kotor", "Laba bersih"} <= indonesian, indonesian
    assert "Net income" not in indonesian

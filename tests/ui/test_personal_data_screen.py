"""The back office "data requests" screen (issue 15, UU PDP) on a copy of the demo shop,
through the real backend: find a customer, see their consent history, save a copy as JSON
and PDF off the Qt main thread, erase after a confirmation (refused to a supervisor by the
service), in Bahasa Indonesia and in English."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QTableWidget
from pytestqt.qtbot import QtBot

from app.shop import Shop
from services.consents import CUSTOMER, record_consent
from services.users import Actor
from tests.helpers import scalar
from tests.services.test_personal_data import EMAIL, NAME, PHONE_LOCAL, with_history
from tests.ui.test_alerts_screens import WAIT, office_as
from ui import i18n
from ui.backend_personal_data import ExportWritten
from ui.office.common import OfficeContext
from ui.office.shell import screens_for
from ui.personal_data_requests import DataRequestsScreen


def text_at(table: QTableWidget, row: int, col: int) -> str:
    item = table.item(row, col)
    assert item is not None
    return item.text()


@pytest.fixture
def owner_office(shop: Shop) -> Iterator[OfficeContext]:
    ctx, tasks = office_as(shop, "Wati", "9999")
    yield ctx
    tasks.shutdown()


def _screen(qtbot: QtBot, ctx: OfficeContext) -> DataRequestsScreen:
    screen = DataRequestsScreen(ctx)
    qtbot.addWidget(screen)
    screen.resize(1116, 768)
    screen.show()
    with qtbot.waitSignal(screen.loaded, timeout=WAIT):
        screen.activate()
    return screen


def test_find_export_and_erase(qtbot: QtBot, owner_office: OfficeContext, shop: Shop,
                               cashier: Actor, supervisor: Actor, tmp_path: Path) -> None:
    i18n.set_language("id")
    h = with_history(shop, cashier, supervisor)
    with shop.uow() as uow:
        record_consent(uow, CUSTOMER, h.customer_id, False, "unsubscribe")
    screen = _screen(qtbot, owner_office)
    assert not screen.export_json.isEnabled()  # nothing picked yet

    # Find by phone number, then by part of the name.
    screen.search.setText(PHONE_LOCAL)
    with qtbot.waitSignal(screen.loaded, timeout=WAIT):
        screen.find_button.click()
    assert [c.id for c in screen.found] == [h.customer_id]
    screen.search.setText("Datapribadi")
    with qtbot.waitSignal(screen.loaded, timeout=WAIT):
        screen.look_up()
    assert [c.name for c in screen.found] == [NAME]
    assert text_at(screen.results, 0, 0) == NAME
    with qtbot.waitSignal(screen.loaded, timeout=WAIT):
        screen.results.selectRow(0)
    assert screen.export_pdf.isEnabled() and screen.log is not None
    assert [text_at(screen.history, r, 1) for r in range(2)] == ["Diberikan", "Ditarik"]
    assert text_at(screen.history, 1, 2) == "Tautan berhenti"
    assert text_at(screen.history, 1, 3) == "pelanggan sendiri"
    assert text_at(screen.history, 0, 3) == supervisor.name
    assert "tidak menerima pemasaran" in screen.who.text()

    # Export: the file goes where the owner chose, written off the main thread.
    main = threading.get_ident()
    used: list[int] = []
    backend = owner_office.backend.personal_data
    original = backend.export

    def spy(customer_id: str, fmt: str, path: str, lang: str) -> ExportWritten:
        used.append(threading.get_ident())
        return original(customer_id, fmt, path, lang)

    backend.export = spy  # type: ignore[method-assign]
    target = tmp_path / "salinan.json"
    screen.choose_path = lambda suggested, fmt: str(target)
    with qtbot.waitSignal(screen.done, timeout=WAIT):
        screen.export_json.click()
    assert used and used[0] != main
    assert json.loads(target.read_text("utf-8"))["customer"]["email"] == EMAIL
    assert str(target) in screen.message.text()
    pdf = tmp_path / "salinan.pdf"
    screen.choose_path = lambda suggested, fmt: str(pdf) if fmt == "pdf" else None
    screen.lang.setCurrentIndex(screen.lang.findData("en"))
    with qtbot.waitSignal(screen.done, timeout=WAIT):
        screen.export_pdf.click()
    assert pdf.read_bytes().startswith(b"%PDF") and screen.written is not None
    assert screen.written.format == "pdf" and screen.written.sales == 2
    # No path chosen: nothing happens.
    screen.choose_path = lambda suggested, fmt: None
    screen.export_json.click()
    assert scalar(shop, "SELECT COUNT(*) FROM audit_log WHERE action = 'customer.export'") == 2

    # Erase: a "no" changes nothing; kasbon owed needs the box ticked; then it is gone.
    screen.confirm = lambda text: False
    screen.erase_button.click()
    assert scalar(shop, "SELECT erased_at FROM customer WHERE id = :i", i=h.customer_id) is None
    asked: list[str] = []

    def yes(text: str) -> bool:
        asked.append(text)
        return True

    screen.confirm = yes
    with qtbot.waitSignal(screen.failed, timeout=WAIT):
        screen.erase_button.click()
    assert NAME in asked[0] and "kasbon" in screen.message.text()
    screen.even_with_kasbon.setChecked(True)
    with qtbot.waitSignal(screen.done, timeout=WAIT):
        screen.erase_button.click()
    assert screen.erased is not None and screen.found == () and screen.selected is None
    assert scalar(shop, "SELECT name FROM customer WHERE id = :i", i=h.customer_id) == "Dihapus"
    assert "dihapus" in screen.message.text()

    i18n.set_language("en")
    try:
        screen.retranslate()
        assert screen.export_pdf.text() == "Export PDF…"
        assert screen.title.text() == "Customer data requests"
    finally:
        i18n.set_language("id")


def test_a_supervisor_copies_but_may_not_erase(qtbot: QtBot, shop: Shop, cashier: Actor,
                                               supervisor: Actor, tmp_path: Path) -> None:
    assert "data_requests" in [s.key for s in screens_for("supervisor")]
    assert "data_requests" not in [s.key for s in screens_for("cashier")]
    h = with_history(shop, cashier, supervisor)
    ctx, tasks = office_as(shop, "Budi", "5678")
    try:
        screen = _screen(qtbot, ctx)
        screen.search.setText("Datapribadi")
        with qtbot.waitSignal(screen.loaded, timeout=WAIT):
            screen.look_up()
        with qtbot.waitSignal(screen.loaded, timeout=WAIT):
            screen.pick(0)
        screen.choose_path = lambda s, f: str(tmp_path / "x.json")
        with qtbot.waitSignal(screen.done, timeout=WAIT):
            screen.export("json")
        screen.confirm = lambda text: True
        screen.even_with_kasbon.setChecked(True)
        with qtbot.waitSignal(screen.failed, timeout=WAIT):
            screen.erase()
        assert "owner" in screen.message.text()
        assert scalar(shop, "SELECT erased_at FROM customer WHERE id = :i",
                      i=h.customer_id) is None
    finally:
        tasks.shutdown()

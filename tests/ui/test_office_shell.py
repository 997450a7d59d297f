"""The back office shell on the real main window: who may open it, Ctrl+O there and back,
and the dashboard showing a sale made through the services."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.gui import GuiBackend
from app.shop import Shop
from services.errors import Refused
from services.selling import LineRequest, PaymentRequest, SaleRequest, complete_sale
from services.users import Actor
from tests.ui.conftest import log_in
from ui.main_window import MainWindow
from ui.office.shell import OfficeScreen, register_screen, screens, screens_for

INDOMIE = "8991619730698"  # Indomie Goreng, Rp 3.500 in the demo catalogue


def open_office(qtbot: QtBot, w: MainWindow, first: str) -> None:
    with qtbot.waitSignal(w.office.page.screen_shown, timeout=5000) as shown:
        qtbot.keyClick(w.till.scan, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    assert shown.args == [first]
    assert w.pages.currentWidget() is w.office.page


def sell(shop: Shop, actor: Actor, qty: int, cash: int) -> int:
    req = SaleRequest(lines=(LineRequest(INDOMIE, qty * 1000),),
                      payments=(PaymentRequest("cash", cash),))
    with shop.uow() as uow:
        done = complete_sale(uow, shop.config, actor, req)
    return done.payable


def test_owner_sees_todays_sales_on_the_dashboard(qtbot: QtBot, window: MainWindow,
                                                  shop: Shop, cashier: Actor) -> None:
    payable = sell(shop, cashier, 4, 20_000)  # 4 x Rp 3.500 = Rp 14.000
    assert payable == 14_000
    log_in(qtbot, window, "Wati", "9999")
    assert window.office.button.isVisible()
    page = window.office.page
    with qtbot.waitSignal(page.screen_shown, timeout=5000):
        qtbot.keyClick(window.till.scan, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    dash = page.widget("dashboard")
    assert dash is not None
    qtbot.waitUntil(lambda: getattr(dash, "data", None) is not None, timeout=10_000)
    data = dash.data  # type: ignore[attr-defined]
    assert data.sales_count == 1 and data.sales_total == 14_000
    value = dash.findChild(type(page.heading), "value_sales_total")
    assert value.text() == "Rp 14.000"
    # The chart's rupiah axis has the thousands separator, the pie says methods in words.
    axis = dash.hour_axis_y  # type: ignore[attr-defined]
    assert axis.categoriesLabels() == ["Rp 5.000", "Rp 10.000", "Rp 15.000"]
    pie = dash.mix_chart.series()[0]  # type: ignore[attr-defined]
    assert [sl.label() for sl in pie.slices()] == ["Tunai 100 % · Rp 14.000"]
    assert sum(h.amount for h in data.by_hour) == 14_000
    assert sum(h.sales_count for h in data.by_hour) == 1
    assert [(m.method, m.amount) for m in data.payment_mix] == [("cash", 14_000)]
    assert data.top_products[0].name.startswith("Indomie Goreng")
    assert data.top_products[0].qty_milli == 4000
    # A second sale, then reload (F5): the figure follows.
    sell(shop, cashier, 1, 5_000)
    with qtbot.waitSignal(dash.loaded, timeout=10_000):  # type: ignore[attr-defined]
        qtbot.keyClick(dash, Qt.Key.Key_F5)
    assert value.text() == "Rp 17.500"
    # The whole shop's figures asked on a till with no central: this till's, and it says so.
    from services.reports.scope import Scope
    with qtbot.waitSignal(dash.loaded, timeout=10_000):  # type: ignore[attr-defined]
        dash.scope_bar.set_scope(Scope.tenant())  # type: ignore[attr-defined]
        dash.reload()  # type: ignore[attr-defined]
    assert value.text() == "Rp 17.500"
    assert dash.scope_bar.note.text()  # type: ignore[attr-defined]
    assert dash.scope_bar.as_of.text()  # type: ignore[attr-defined]
    # Every owner screen is listed, with its Ctrl+number.
    assert list(page.nav_buttons) == ["dashboard", "reports", "products", "users", "settings",
                                      "shipments", "expenses", "payables", "receivables",
                                      "journal", "statements", "periods", "analytics",
                                      "reorder", "scheduled_emails", "loyalty", "segments",
                                      "campaigns", "data_requests"]
    assert page.nav_buttons["users"].text() == "Pengguna && PIN\nCtrl+4"  # && shows "&"
    # Ctrl+O again: back to the till, the scan box has the focus.
    qtbot.keyClick(dash, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    assert window.pages.currentWidget() is window.till
    assert window.till.scan.hasFocus()


def test_a_cashier_cannot_open_the_back_office(qtbot: QtBot, till: MainWindow,
                                               backend: GuiBackend) -> None:
    assert not till.office.button.isVisible()
    qtbot.keyClick(till.till.scan, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    qtbot.wait(50)
    assert till.pages.currentWidget() is till.till
    assert till.office.open() is False
    assert till.office.page.current_key is None
    # The services say no as well, whatever a screen would do.
    backend.core.login("Sari", "1234")
    with pytest.raises(Refused):
        backend.office.dashboard()
    with pytest.raises(Refused):
        backend.office.users()
    with pytest.raises(Refused):
        backend.office.settings()


def test_a_supervisor_sees_products_stock_and_shipments(qtbot: QtBot, window: MainWindow,
                                                   backend: GuiBackend) -> None:
    log_in(qtbot, window, "Budi", "5678")
    open_office(qtbot, window, "products")
    assert list(window.office.page.nav_buttons) == ["products", "shipments", "expenses",
                                                    "payables", "reorder", "loyalty",
                                                    "segments", "campaigns", "data_requests"]
    backend.core.login("Budi", "5678")
    with pytest.raises(Refused):
        backend.office.dashboard()


def test_back_to_the_login_forgets_the_screens(qtbot: QtBot, window: MainWindow) -> None:
    log_in(qtbot, window, "Wati", "9999")
    open_office(qtbot, window, "dashboard")
    window.office.page.back.click()
    assert window.pages.currentWidget() is window.till
    # What logging out ends in (after the sync part's unsent-items question, if any).
    window.actor = None
    window.pages.setCurrentWidget(window.login)
    assert window.office.page.current_key is None
    assert not window.office.button.isVisible()
    log_in(qtbot, window, "Sari", "1234")
    assert not window.office.button.isVisible()


def test_later_issues_register_their_screens(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QLabel

    before = screens()
    try:
        register_screen(OfficeScreen("later_issue", "office.nav.reports",
                                     lambda _ctx: QLabel("later")),
                        before="users")
        keys = [s.key for s in screens_for("owner")]
        assert keys.index("later_issue") == keys.index("users") - 1
        assert "later_issue" not in [s.key for s in screens_for("supervisor")]
    finally:
        from ui.office import shell
        shell._SCREENS[:] = list(before)


def test_dashboard_picture_for_the_docs(qtbot: QtBot, window: MainWindow, shop: Shop,
                                        cashier: Actor, tmp_path: Path) -> None:
    from PySide6.QtGui import QImage
    from PySide6.QtWidgets import QApplication

    from ui.office.screenshots import office_pictures

    sell(shop, cashier, 2, 10_000)
    qapp = QApplication.instance()
    assert isinstance(qapp, QApplication)
    saved = office_pictures(qapp, window, tmp_path, screens=("dashboard", "products"))
    assert [p.name for p in saved] == ["dashboard.png", "products.png"]
    image = QImage(str(saved[0]))
    assert (image.width(), image.height()) == (1366, 768)
    dash = window.office.page.widget("dashboard")
    assert getattr(dash, "data").sales_total == 7_000


def test_ctrl_o_as_a_cashier_says_why_nothing_opens(qtbot: QtBot, till: MainWindow) -> None:
    qtbot.keyClick(till.till.scan, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    assert till.pages.currentWidget() is till.till
    said = till.till.message.text()
    assert "Kantor belakang hanya untuk pemilik dan supervisor" in said
    assert "Sari masuk sebagai kasir" in said


def test_an_empty_low_stock_table_says_nothing_is_low(qtbot: QtBot, window: MainWindow) -> None:
    from dataclasses import replace

    from PySide6.QtWidgets import QLabel

    log_in(qtbot, window, "Wati", "9999")
    open_office(qtbot, window, "dashboard")
    dash = window.office.page.widget("dashboard")
    assert dash is not None
    qtbot.waitUntil(lambda: getattr(dash, "data", None) is not None, timeout=10_000)
    note = dash.findChild(QLabel, "lowStockNone")
    assert note is not None
    data = dash.data  # type: ignore[attr-defined]
    dash._show(replace(data, low_stock=()))  # type: ignore[attr-defined]
    assert note.isVisible() and "Tidak ada stok yang menipis" in note.text()
    assert dash.low.rowCount() == 0  # type: ignore[attr-defined]
    if data.low_stock:
        dash._show(data)  # type: ignore[attr-defined]
        assert not note.isVisible()

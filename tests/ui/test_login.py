"""PIN login through the real service on a copy of the demo shop."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.ui.conftest import log_in
from ui.main_window import MainWindow


def test_login_lists_users_in_indonesian(window: MainWindow) -> None:
    texts = [window.login.users.item(i).text() for i in range(window.login.users.count())]
    assert texts == ["Budi — supervisor", "Sari — kasir", "Wati — pemilik"]
    assert window.login.ok.text() == "Masuk (Enter)"
    assert window.pages.currentWidget() is window.login


def test_good_pin_opens_the_till_ready_to_scan(qtbot: QtBot, window: MainWindow) -> None:
    log_in(qtbot, window, "Sari", "1234")
    assert window.pages.currentWidget() is window.till
    assert window.actor is not None and window.actor.role == "cashier"
    assert window.till.scan.hasFocus()
    assert "Sari" in window.till.totals.cashier.text()


def test_wrong_pin_says_so_and_stays_on_login(qtbot: QtBot, window: MainWindow) -> None:
    window.login.select_user("Sari")
    qtbot.keyClicks(window.login.pin, "0000")
    qtbot.keyClick(window.login.pin, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "wrong PIN" in window.login.message.text(), timeout=10_000)
    # The service's own message: the failure was counted (and committed).
    assert window.login.message.text() == "wrong PIN (4 tries left)"
    assert window.pages.currentWidget() is window.login
    assert window.login.pin.text() == ""
    assert window.login.ok.isEnabled()
    # Still Sari selected: she can retry at once.
    assert window.login.users.currentItem().text() == "Sari — kasir"


def test_lockout_message_after_five_wrong_pins(qtbot: QtBot, window: MainWindow) -> None:
    window.login.select_user("Sari")
    for _ in range(5):
        qtbot.keyClicks(window.login.pin, "0000")
        with qtbot.waitSignal(window.login.users_loaded, timeout=10_000):
            qtbot.keyClick(window.login.pin, Qt.Key.Key_Return)
    assert window.login.message.text() == "wrong PIN; the user is now locked"
    assert window.login.users.currentItem().text() == "Sari — kasir (terkunci)"
    qtbot.keyClicks(window.login.pin, "1234")
    qtbot.keyClick(window.login.pin, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "locked after" in window.login.message.text(), timeout=10_000)
    assert window.pages.currentWidget() is window.login


def test_pin_pad_buttons_type_digits(qtbot: QtBot, window: MainWindow) -> None:
    window.login.select_user("Budi")
    pad = {b.text(): b for b in window.login.findChildren(type(window.login.ok))}
    for digit in "5678":
        qtbot.mouseClick(pad[digit], Qt.MouseButton.LeftButton)
    assert window.login.pin.text() == "5678"
    with qtbot.waitSignal(window.ready, timeout=10_000):
        qtbot.mouseClick(window.login.ok, Qt.MouseButton.LeftButton)
    assert window.actor is not None and window.actor.name == "Budi"


def test_english_is_selectable(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.mouseClick(window.login.language, Qt.MouseButton.LeftButton)
    assert window.login.ok.text() == "Log in (Enter)"
    assert window.login.users.item(1).text() == "Sari — cashier"

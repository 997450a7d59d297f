"""Users and PINs in the back office: add a user, change a PIN, log in with it; roles and
unlocking; what an owner may not do to themself."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from app.gui import GuiBackend
from app.shop import Shop
from services.errors import Refused
from tests.helpers import scalar
from tests.ui.conftest import log_in
from ui.main_window import MainWindow
from ui.office.users import UsersScreen


@pytest.fixture
def users(qtbot: QtBot, window: MainWindow) -> UsersScreen:
    log_in(qtbot, window, "Wati", "9999")
    window.office.open()
    page = window.office.page
    with qtbot.waitSignal(page.screen_shown, timeout=5000):
        page.show_screen("users")
    screen = page.widget("users")
    assert isinstance(screen, UsersScreen)
    qtbot.waitUntil(lambda: screen.table.rowCount() == 3, timeout=10_000)
    return screen


def test_add_a_user_change_the_pin_and_log_in_with_it(qtbot: QtBot, users: UsersScreen,
                                                      window: MainWindow, shop: Shop,
                                                      backend: GuiBackend) -> None:
    users.new_name.setText("Rina")
    users.new_role.setCurrentIndex(users.new_role.findData("cashier"))
    users.new_pin.setText("12")  # too short
    with qtbot.waitSignal(users.failed, timeout=10_000):
        users.add_button.click()
    assert "4 to 8 digits" in users.errors.error_of("pin")
    assert scalar(shop, "SELECT COUNT(*) FROM user WHERE name = 'Rina'") == 0
    users.new_pin.setText("2468")
    with qtbot.waitSignal(users.loaded, timeout=10_000):
        users.add_button.click()
    assert [users.table.item(r, 0).text() for r in range(users.table.rowCount())] == [
        "Budi", "Rina", "Sari", "Wati"]
    assert users.new_pin.text() == ""  # a PIN never stays on screen
    users.select("Rina")
    assert users.selected_user() is not None and users.selected_user().name == "Rina"
    users.pin.setText("13579")
    with qtbot.waitSignal(users.loaded, timeout=10_000):
        users.pin_button.click()
    assert "PIN Rina diubah" in users.message.text()
    pin_audits = scalar(shop, "SELECT COUNT(*) FROM audit_log WHERE action = 'user.pin'")
    assert pin_audits == 1
    # The new user logs in with the new PIN, not the old one.
    with pytest.raises(Refused):
        backend.core.login("Rina", "2468")
    assert backend.core.login("Rina", "13579").role == "cashier"
    window.office.back_to_till()
    window.actor = None
    window.pages.setCurrentWidget(window.login)
    window.login.reload_users()
    qtbot.waitUntil(lambda: any(window.login.users.item(i).text().startswith("Rina")
                                for i in range(window.login.users.count())), timeout=5000)
    log_in(qtbot, window, "Rina", "13579")
    assert window.actor is not None and window.actor.name == "Rina"


def test_change_a_role_and_unlock(qtbot: QtBot, users: UsersScreen, shop: Shop,
                                  backend: GuiBackend) -> None:
    for _ in range(5):
        with pytest.raises(Refused):
            backend.core.login("Sari", "0000")
    with qtbot.waitSignal(users.loaded, timeout=10_000):
        users.reload()
    users.select("Sari")
    assert users.unlock_button.isEnabled()
    with qtbot.waitSignal(users.loaded, timeout=10_000):
        users.unlock_button.click()
    assert scalar(shop, "SELECT locked FROM user WHERE name = 'Sari'") == 0
    users.select("Sari")
    users.role.setCurrentIndex(users.role.findData("supervisor"))
    with qtbot.waitSignal(users.loaded, timeout=10_000):
        users.role_button.click()
    assert scalar(shop, "SELECT role FROM user WHERE name = 'Sari'") == "supervisor"
    # The owner cannot demote themself (the shop would be left without its owner).
    users.select("Wati")
    users.role.setCurrentIndex(users.role.findData("cashier"))
    with qtbot.waitSignal(users.failed, timeout=10_000):
        users.role_button.click()
    assert users.errors.error_of("role")
    assert scalar(shop, "SELECT role FROM user WHERE name = 'Wati'") == "owner"

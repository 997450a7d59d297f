"""Store settings and credentials in the back office: save and reload, refusals naming
their field with nothing changed, credentials only in the secret store."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.gui import GuiBackend
from app.secrets import secret_store_for
from app.shop import Shop
from services.errors import BadInput, Refused
from services.store_settings import StoreSettings, save_store_settings
from services.users import Actor
from tests.helpers import scalar
from tests.ui.conftest import log_in
from ui.main_window import MainWindow
from ui.office.settings import SettingsScreen


def settings_rows(shop: Shop) -> dict[str, str]:
    with shop.uow(write=False) as uow:
        return {str(k): str(v) for k, v in uow.conn.exec_driver_sql(
            "SELECT key, value FROM setting").all()}


@pytest.fixture
def settings(qtbot: QtBot, window: MainWindow) -> SettingsScreen:
    log_in(qtbot, window, "Wati", "9999")
    window.office.open()
    page = window.office.page
    with qtbot.waitSignal(page.screen_shown, timeout=5000):
        page.show_screen("settings")
    screen = page.widget("settings")
    assert isinstance(screen, SettingsScreen)
    qtbot.waitUntil(lambda: screen.store_name.text() != "", timeout=10_000)
    return screen


def test_the_page_shows_the_demo_shops_address(settings: SettingsScreen, shop: Shop) -> None:
    # Whichever key the demo seeded it under (store.address; older shops store_address).
    rows = settings_rows(shop)
    seeded = rows.get("store.address", rows.get("store_address"))
    assert seeded  # the demo has an address
    assert settings.address.toPlainText() == seeded


def test_an_address_under_the_old_key_is_read_and_moved_to_the_one_key(
        shop: Shop, owner: Actor) -> None:
    from services.store_settings import read_store_settings

    with shop.uow() as uow:
        uow.conn.exec_driver_sql("DELETE FROM setting WHERE key IN "
                                 "('store.address', 'store_address')")
        uow.conn.exec_driver_sql("INSERT INTO setting(key, value) VALUES "
                                 "('store_address', 'Jl. Lama No. 2, Bandung')")
        uow.commit()
    from dataclasses import replace
    with shop.uow(write=False) as uow:
        current = read_store_settings(uow.conn)
    assert current.address == "Jl. Lama No. 2, Bandung"
    current = replace(current, npwp="012345678901000")  # the demo is PKP without one
    with shop.uow() as uow:
        save_store_settings(uow, owner, current)  # e.g. only the footer changed
    rows = settings_rows(shop)
    assert rows["store.address"] == "Jl. Lama No. 2, Bandung" and "store_address" not in rows
    # Cleared later: stays cleared (the old key does not come back).
    with shop.uow() as uow:
        save_store_settings(uow, owner, replace(current, address=""))
    with shop.uow(write=False) as uow:
        assert read_store_settings(uow.conn).address == ""


def test_settings_save_and_reload(qtbot: QtBot, settings: SettingsScreen, shop: Shop,
                                  window: MainWindow) -> None:
    s = settings
    assert s.store_name.text() == "Toko Demo Warungin" and s.pkp.isChecked()
    before = settings_rows(shop)
    # PKP without an NPWP, then a malformed NPWP: refused, naming the field; nothing changed.
    s.store_name.setText("Toko Sumber Rejeki")
    with qtbot.waitSignal(s.failed, timeout=5000):
        s.save_button.click()
    assert "NPWP" in s.errors.error_of("npwp")
    s.npwp.setText("01.234.567.8-901")
    with qtbot.waitSignal(s.failed, timeout=5000):
        s.save_button.click()
    assert "15 or 16 digits" in s.errors.error_of("npwp")
    assert s.errors.labels["npwp"].isVisible()
    assert settings_rows(shop) == before
    # A network printer without a port number that makes sense: refused too.
    s.npwp.setText("01.234.567.8-901.000")
    s.printer_kind.setCurrentIndex(s.printer_kind.findData("network"))
    s.printer_target.setText("192.168.1.50:99999")
    with qtbot.waitSignal(s.failed, timeout=5000):
        s.save_button.click()
    assert s.errors.error_of("printer_target")
    assert settings_rows(shop) == before
    # Good values are saved under the keys the receipts read.
    s.printer_target.setText("192.168.1.50:9100")
    s.address.setPlainText("Jl. Braga No. 1, Bandung")
    s.receipt_header.setPlainText("Selamat datang\nBuka 07.00-21.00")
    s.receipt_footer.setPlainText("Terima kasih")
    s.paper_mm.setCurrentIndex(s.paper_mm.findData(80))
    s.drawer.setChecked(True)
    s.rounding_unit.setCurrentIndex(s.rounding_unit.findData(500))
    with qtbot.waitSignal(s.saved, timeout=5000):
        s.save_button.click()
    rows = settings_rows(shop)
    assert {k: rows[k] for k in ("store_name", "store.address", "store.npwp", "pkp",
                                 "rounding_unit", "receipt.header", "receipt.footer",
                                 "printer.kind", "printer.target", "printer.paper_mm",
                                 "printer.drawer")} == {
        "store_name": "Toko Sumber Rejeki", "store.address": "Jl. Braga No. 1, Bandung",
        "store.npwp": "012345678901000", "pkp": "1", "rounding_unit": "500",
        "receipt.header": "Selamat datang\nBuka 07.00-21.00",
        "receipt.footer": "Terima kasih", "printer.kind": "network",
        "printer.target": "192.168.1.50:9100", "printer.paper_mm": "80",
        "printer.drawer": "1"}
    assert scalar(shop, "SELECT COUNT(*) FROM audit_log WHERE action = 'settings.change'") == 1
    assert window.windowTitle().startswith("Warungin — Toko Sumber Rejeki")
    # The till prices with the new rounding at once.
    assert window.backend is not None and window.backend.core.cash_due(12_345) == 12_500
    # Reloaded from the database, the form shows what was saved.
    s.store_name.setText("something else")
    with qtbot.waitSignal(s.loaded, timeout=5000):
        s.reload()
    assert s.store_name.text() == "Toko Sumber Rejeki"
    assert s.npwp.text() == "012345678901000"
    assert s.paper_mm.currentData() == 80 and s.drawer.isChecked()
    assert s.printer_kind.currentData() == "network"


def test_switching_the_language_retranslates_the_window(qtbot: QtBot,
                                                        settings: SettingsScreen,
                                                        window: MainWindow) -> None:
    settings.npwp.setText("0123456789012345")
    settings.language_box.setCurrentIndex(settings.language_box.findData("en"))
    with qtbot.waitSignal(settings.saved, timeout=5000):
        settings.save_button.click()
    assert settings.title.text() == "Store settings"
    assert window.office.page.back.text() == "Back to the till\n(Ctrl+O)"


def test_a_credential_goes_to_the_secret_store_never_the_database(
        qtbot: QtBot, settings: SettingsScreen, shop: Shop) -> None:
    secret = "SB-Mid-server-TEST0123456789abcdef"
    state = settings.cred_state["midtrans_server_key"]
    assert state.text() == "belum ada"
    settings.cred_fields["midtrans_server_key"].setText(secret)
    with qtbot.waitSignal(settings.credential_changed, timeout=5000):
        settings.cred_store["midtrans_server_key"][0].click()
    assert state.text() == "terpasang"
    assert settings.cred_fields["midtrans_server_key"].text() == ""  # gone from the screen
    assert secret_store_for(shop).get("midtrans-server-key") == secret
    # The central connection string: its password goes to the secret store, the rest
    # (host, database, user) to the setting the sync engine reads.
    central_pw = "pw-TOPSECRET-4242"
    settings.cred_fields["central_dsn"].setText(
        f"postgresql://t01:{central_pw}@central.example:5432/warungin")
    with qtbot.waitSignal(settings.credential_changed, timeout=5000):
        settings.cred_fields["central_dsn"].returnPressed.emit()
    assert secret_store_for(shop).get("central/password") == central_pw
    assert settings.cred_state["central_password"].text() == "terpasang"
    dsn = settings_rows(shop)["central.dsn"]
    assert "central.example" in dsn and central_pw not in dsn
    # Not one byte of either secret in the database file, its WAL or its journal.
    shop.close()
    folder = Path(shop.folder)
    files = [p for p in folder.iterdir() if p.name.startswith("warungin.db")]
    assert files
    for path in files:
        data = path.read_bytes()
        assert secret.encode() not in data, path.name
        assert central_pw.encode() not in data, path.name


def test_clearing_a_credential(qtbot: QtBot, settings: SettingsScreen, shop: Shop) -> None:
    store = secret_store_for(shop)
    settings.cred_fields["midtrans_client_key"].setText("SB-Mid-client-abc")
    with qtbot.waitSignal(settings.credential_changed, timeout=5000):
        settings.store_credential("midtrans_client_key")
    assert store.get("midtrans-client-key") == "SB-Mid-client-abc"
    with qtbot.waitSignal(settings.credential_changed, timeout=5000):
        settings.cred_store["midtrans_client_key"][1].click()
    assert store.get("midtrans-client-key") is None
    assert settings.cred_state["midtrans_client_key"].text() == "belum ada"


def test_the_service_checks_rights_and_every_field(shop: Shop, owner: Actor,
                                                   cashier: Actor,
                                                   backend: GuiBackend) -> None:
    good = StoreSettings(store_name="Toko", npwp="0123456789012345", pkp=True,
                         rounding_unit=100)
    with shop.uow() as uow, pytest.raises(Refused):
        save_store_settings(uow, cashier, good)
    for field, bad in (("store_name", {"store_name": " "}), ("rounding_unit", {"rounding_unit": 7}),
                       ("rounding_mode", {"rounding_mode": "up"}),
                       ("printer_kind", {"printer_kind": "bluetooth"}),
                       ("printer_target", {"printer_kind": "usb", "printer_target": "epson"}),
                       ("paper_mm", {"paper_mm": 76}), ("language", {"language": "jv"}),
                       ("receipt_header", {"receipt_header": "x" * 65}),
                       ("npwp", {"npwp": "12-abc"})):
        values = {**{f: getattr(good, f) for f in StoreSettings.__dataclass_fields__}, **bad}
        with shop.uow() as uow, pytest.raises(BadInput) as refused:
            save_store_settings(uow, owner, StoreSettings(**values))  # type: ignore[arg-type]
        assert refused.value.field == field
    backend.core.login("Sari", "1234")
    with pytest.raises(Refused):
        backend.office.set_credential("midtrans_server_key", "x")


def test_a_real_shop_uses_the_keyring_and_refuses_without_one(shop: Shop, memory_keyring: object
                                                              ) -> None:
    import keyring
    from keyring.backends import fail

    with shop.uow() as uow:
        uow.conn.exec_driver_sql("UPDATE setting SET value = 'live' WHERE key = 'shop_mode'")
        uow.commit()
    shop.reload()
    backend = GuiBackend(shop)
    backend.core.login("Wati", "9999")
    secret = "Mid-server-LIVE-9876543210"
    view = backend.office.set_credential("midtrans_server_key", secret)
    assert dict((c.key, c.is_set) for c in view.credentials)["midtrans_server_key"]
    stored = getattr(memory_keyring, "store")
    assert secret in stored.values()  # the OS keyring (here: the test's in-memory one)
    assert not (Path(shop.folder) / "DEMO-ONLY-INSECURE-secrets.json").exists()
    keyring.set_keyring(fail.Keyring())
    with pytest.raises(Refused) as refused:
        backend.office.set_credential("midtrans_client_key", "Mid-client-LIVE-1")
    assert refused.value.field == "midtrans_client_key"
    assert "keyring" in refused.value.message
    # The store settings still open, and say why the credentials cannot be read.
    view = backend.office.settings()
    assert view.keyring_problem and "keyring" in view.keyring_problem
    assert not any(c.is_set for c in view.credentials)
    with shop.uow(write=False) as uow:
        values = [str(v) for (v,) in uow.conn.exec_driver_sql("SELECT value FROM setting")]
    assert not any("Mid-client-LIVE-1" in v or secret in v for v in values)

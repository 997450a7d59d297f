"""The desktop program checks the database file in the background once it is open, and a
damaged file stops the selling with a plain message (issue 5: start fast, lose nothing)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from pytestqt.qtbot import QtBot

from app.gui import GuiBackend
from app.paths import db_path
from app.shop import Shop, open_shop
from tests.ui.conftest import log_in
from ui import main_window
from ui.main_window import MainWindow


def _damage_a_table(path: Path) -> None:
    """Break the b-tree pages of the product table's index, not the schema: the file
    opens and reads its version, PRAGMA quick_check fails."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE type = 'table' "
                        "AND name = 'product'").fetchone()[0]
    conn.close()
    data = bytearray(path.read_bytes())
    page = 4096
    offset = (root - 1) * page
    data[offset:offset + 8] = b"\x55" * 8
    path.write_bytes(bytes(data))


def _window(qtbot: QtBot, shop: Shop, monkeypatch: object) -> MainWindow:
    import pytest
    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    monkeypatch.setattr(main_window, "INTEGRITY_CHECK_DELAY_MS", 0)
    w = MainWindow(lambda: GuiBackend(shop))
    qtbot.addWidget(w)
    w.show()
    return w


def test_healthy_file_passes_the_background_check(qtbot: QtBot, shop: Shop,
                                                  monkeypatch: object) -> None:
    w = _window(qtbot, shop, monkeypatch)
    checked: list[object] = []
    w.integrity_checked.connect(checked.append)
    # Both: the users list (login_shown) and the check may arrive in either order.
    with qtbot.waitSignals([w.login_shown, w.integrity_checked], timeout=20_000):
        w.start()
    assert checked == [None] and not w.damaged
    log_in(qtbot, w)
    w.shutdown()


def test_damaged_file_stops_the_till(qtbot: QtBot, shop: Shop, monkeypatch: object) -> None:
    folder = shop.folder
    shop.close()
    _damage_a_table(db_path(folder))
    damaged = open_shop(folder, check=False)  # opens: only the background check can tell
    w = _window(qtbot, damaged, monkeypatch)
    with qtbot.waitSignal(w.integrity_checked, timeout=20_000) as got:
        w.start()
    assert got.args[0] is not None and "integrity check" in got.args[0]
    assert w.damaged and w.pages.currentWidget() is w.loading
    assert "rusak" in w.loading.text()
    w.shutdown()

"""Qt test setup: offscreen, and any Qt warning fails the test.

QT_QPA_PLATFORM must be set before the QApplication exists (pytest-qt makes it lazily in
its ``qapp`` fixture, after this module is imported). ``setdefault`` lets a developer run
the same tests on a real display (``QT_QPA_PLATFORM=xcb``).
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator  # noqa: E402

import pytest  # noqa: E402
from pytestqt.qtbot import QtBot  # noqa: E402

from app.gui import GuiBackend  # noqa: E402
from app.shop import Shop  # noqa: E402
from ui import i18n  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The project's pytest config is not ours to edit, so the ini option qt_log_level_fail
    # is applied as pytest-qt's marker to every test in this folder.
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.qt_log_level_fail("WARNING"))
            # The offscreen platform plugin cannot pass a dialog's size hints to a window
            # manager (there is none); this one warning is about the test platform itself.
            item.add_marker(pytest.mark.qt_log_ignore(
                r"This plugin does not support propagateSizeHints\(\)"))


@pytest.fixture(autouse=True)
def collect_on_the_main_thread() -> Iterator[None]:
    """As the program does (ui/gc_guard.py): no automatic collection while a test's
    widgets and workers live, so no worker thread can destroy a Qt object; the garbage is
    collected here, on the main thread, after the test's own teardown (set up first, this
    fixture is torn down last)."""
    import gc
    gc.disable()
    yield
    gc.collect()
    gc.enable()


@pytest.fixture(autouse=True)
def indonesian() -> Iterator[None]:
    """Every test starts in the default language, whatever the one before switched to."""
    i18n.set_language(i18n.DEFAULT_LANGUAGE)
    yield
    i18n.set_language(i18n.DEFAULT_LANGUAGE)


@pytest.fixture
def backend(shop: Shop) -> GuiBackend:
    return GuiBackend(shop)


@pytest.fixture
def window(qtbot: QtBot, shop: Shop) -> Iterator[MainWindow]:
    """The real main window on a copy of the seeded demo shop, at the login screen."""
    w = MainWindow(lambda: GuiBackend(shop))
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    with qtbot.waitSignal(w.login_shown, timeout=10_000):
        w.start()
    yield w
    w.shutdown()


def log_in(qtbot: QtBot, w: MainWindow, name: str = "Sari", pin: str = "1234") -> None:
    from PySide6.QtCore import Qt

    w.login.select_user(name)
    qtbot.keyClicks(w.login.pin, pin)
    with qtbot.waitSignal(w.ready, timeout=10_000):
        qtbot.keyClick(w.login.pin, Qt.Key.Key_Return)


@pytest.fixture
def till(qtbot: QtBot, window: MainWindow) -> MainWindow:
    """The main window with Sari (cashier) logged in and the till ready to scan."""
    log_in(qtbot, window)
    return window

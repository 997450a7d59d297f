"""Pictures of the back office for docs/screenshots: the owner's dashboard (and the other
screens), drawn by QWidget.grab() on the real main window, offscreen or under Xvfb.

``ui/screenshots.py`` calls :func:`office_pictures` with its window after its own pictures.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer, SignalInstance
from PySide6.QtWidgets import QApplication

from ui.main_window import MainWindow


def _wait(qapp: QApplication, signal: SignalInstance, timeout_ms: int = 15_000) -> None:
    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    qapp.processEvents()


def office_pictures(qapp: QApplication, window: MainWindow, out: Path, *,
                    owner: str = "Wati", pin: str = "9999",
                    screens: tuple[str, ...] = ("dashboard",)) -> list[Path]:
    """Log ``owner`` in (from whatever page is showing), open the back office and save
    ``<screen>.png`` for each screen asked for, once its data is on screen."""
    if window.actor is None or window.actor.name != owner:
        window.actor = None
        window.pages.setCurrentWidget(window.login)
        window.login.reset()
        window.login.select_user(owner)
        window.login.pin.setText(pin)
        window.login.submit()
        _wait(qapp, window.ready)
    if not window.office.open():
        return []
    saved: list[Path] = []
    page = window.office.page
    for key in screens:
        page.show_screen(key)
        widget = page.widget(key)
        loaded = getattr(widget, "loaded", None)
        if isinstance(loaded, SignalInstance):
            _wait(qapp, loaded, 10_000)
        else:
            qapp.processEvents()
        path = out / f"{key}.png"
        window.grab().save(str(path))
        saved.append(path)
    return saved

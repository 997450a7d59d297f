"""Pictures of the real program for docs/screenshots (run by ``docs/screenshots.sh``, which
starts Xvfb and calls ``python -m app.gui --screenshots DIR``): the login, the till
mid-sale, the pay dialog, the sync panel and the owner's dashboard at 1366×768, drawn by
QWidget.grab(), which works under Xvfb and offscreen alike."""

from __future__ import annotations

import gc
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QEventLoop, QTimer, SignalInstance
from PySide6.QtWidgets import QApplication

from ui.backend import TillBackend
from ui.main_window import MainWindow

MID_SALE = ("8991619730698", "8991619730698", "MI-0002", "8992017249775", "KT-0041")


def _wait(qapp: QApplication, signal: SignalInstance, timeout_ms: int = 15_000) -> None:
    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    qapp.processEvents()


def _settle(qapp: QApplication, ms: int) -> None:
    """Let background answers (an online check, a list) arrive and be drawn."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
    qapp.processEvents()


def till_mid_sale(qapp: QApplication, open_backend: Callable[[], TillBackend],
                  out: Path) -> list[Path]:
    window = MainWindow(open_backend)
    window.resize(1366, 768)
    window.show()
    window.start()
    # The first run seeds the demo shop with its months of history: give it time.
    _wait(qapp, window.login_shown, 120_000)
    window.login.select_user("Sari")
    saved = [out / "login.png"]
    window.grab().save(str(saved[0]))
    window.login.pin.setText("1234")
    window.login.submit()
    _wait(qapp, window.ready)
    for code in MID_SALE:
        window.till.add_code(code)
        _wait(qapp, window.till.scan_answered, 5000)
    window.status.refresh()
    _wait(qapp, window.status.refreshed, 5000)
    window.till.scan.setText("teh")
    window.till.start_search()
    _wait(qapp, window.till.search_answered, 5000)
    till = out / "till.png"
    window.grab().save(str(till))
    saved.append(till)

    window.till.scan.clear()
    window.till.pay_cash()
    _settle(qapp, 1500)
    dialog = window.till.pay_dialog
    if dialog is not None:
        pay = out / "pay.png"
        dialog.grab().save(str(pay))
        saved.append(pay)
        # Pay it exactly, so the dashboard has a sale of today to show.
        dialog.exact_button.click()
        _wait(qapp, window.till.sale_completed, 10_000)

    panel = window.sync.open_panel()
    if panel is not None:
        _wait(qapp, panel.loaded, 5000)
        _settle(qapp, 300)
        path = out / "sync-panel.png"
        panel.grab().save(str(path))
        saved.append(path)
        panel.close()

    from ui.office.screenshots import office_pictures
    from ui.office.shell import screens_for
    # Every screen the owner has, so a look at docs/screenshots shows what a person sees.
    saved += office_pictures(qapp, window, out,
                             screens=tuple(s.key for s in screens_for("owner")))
    window.shutdown()
    window.close()
    # Destroy the window's Qt objects here, on the main thread, before the interpreter's
    # exit-time collection can reach them (that crashed PySide6 at exit).
    window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    qapp.processEvents()
    gc.collect()
    return saved

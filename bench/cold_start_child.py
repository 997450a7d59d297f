"""The program under the cold-start benchmark: the real ``warungin`` entry point, offscreen.

Run by :mod:`bench.cold_start` as a fresh process: it imports and runs
``app.cli.main.main`` exactly as the ``warungin`` console script does, with one window hook
(``app.gui.WINDOW_HOOKS``) that types the demo cashier's PIN when the login screen shows
and, when the till is ready to scan, prints one JSON line (milliseconds since the process
began, resident memory) and quits.
"""

from __future__ import annotations

import json
import sys
import time

STARTED_NS = time.time_ns()  # as early as our code can note it; the parent adds its own view


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main() -> int:
    folder, user, pin = sys.argv[1], sys.argv[2], sys.argv[3]
    import app.gui as gui
    from app.cli.main import main as warungin

    marks: dict[str, float] = {}

    def since_start() -> float:
        return (time.time_ns() - STARTED_NS) / 1e6

    def hook(window: object) -> None:
        from PySide6.QtWidgets import QApplication

        from ui.main_window import MainWindow
        assert isinstance(window, MainWindow)

        def login_shown() -> None:
            marks["login_ms"] = since_start()
            window.login.select_user(user)
            window.login.pin.setText(pin)
            window.login.submit()

        def ready() -> None:
            marks["ready_ms"] = since_start()
            marks["rss_mb"] = _rss_mb()
            sys.stdout.write(json.dumps({**marks, "started_ns": STARTED_NS}) + "\n")
            sys.stdout.flush()
            window.shutdown()
            QApplication.quit()

        window.login_shown.connect(login_shown)
        window.ready.connect(ready)

    gui.WINDOW_HOOKS.append(hook)
    return warungin(["--data-dir", folder])


if __name__ == "__main__":
    raise SystemExit(main())

"""Python's cyclic garbage collector, run on the Qt main thread only.

The collector runs in whichever thread happens to allocate when its threshold is crossed:
in this program, often a worker of ui.tasks running a query. If the garbage it finds holds
a Qt object (a widget of a screen that was closed, a timer, a model), that object's C++
side is destroyed on the worker thread, and Qt crashes (a segfault seen in the back office's
dashboard test). So, as Anki does, the automatic collector is switched off and collections
run on the main thread from a timer: garbage waits at most a few seconds, and Qt objects
die where they live. Reference counting still frees everything without cycles at once.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

COLLECT_EVERY_MS = 5000


class MainThreadGc(QObject):
    def __init__(self, parent: QObject | None = None, *,
                 every_ms: int = COLLECT_EVERY_MS) -> None:
        super().__init__(parent)
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(every_ms)
        self._timer.timeout.connect(self.collect)
        self._timer.start()

    def collect(self) -> int:
        return gc.collect()

    def stop(self) -> None:
        """Back to the automatic collector (after a last collection here)."""
        self._timer.stop()
        gc.collect()
        gc.enable()

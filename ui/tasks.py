"""Background operations: the Qt main thread only draws.

The shape follows Anki (qt/aqt/taskman.py, qt/aqt/operations/): work is handed to a worker
and its result comes back to the main thread as a queued signal, where ``on_done`` or
``on_error`` runs and may touch widgets.

Two lanes (ARCHITECTURE.md, Threads in the desktop program):

* ``Lane.WRITER`` — ONE worker thread. Every write goes here (a sale, a login, which counts
  wrong PINs), so SQLite sees one writer and writes happen in the order they were asked
  for. The till's scan lookups go here too although they only read: a single FIFO worker
  keeps "scan A, scan B" landing in the cart as A then B, which a pool would not.
* ``Lane.POOL`` — a few threads for network calls and reads whose order does not matter
  (status figures, search as you type, which drops stale answers itself).

A checkout never waits on the network: network work never runs on the writer lane.
"""

from __future__ import annotations

import enum
import itertools
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal

from services.errors import ShopError
from ui.backend_core import Unavailable

log = logging.getLogger("warungin.ui")

T = TypeVar("T")

#: Outcomes a person at the till is told about; anything else is a bug and is logged.
EXPECTED_ERRORS: tuple[type[Exception], ...] = (ShopError, Unavailable)


class Lane(enum.Enum):
    WRITER = "writer"
    POOL = "pool"


class TaskManager(QObject):
    """Runs callables off the main thread and delivers their outcome back on it."""

    # Carries a zero-argument closure to run on the main thread. Emitted from worker
    # threads; the queued connection makes Qt post it to the main thread's event loop.
    _deliver = Signal(object)
    #: The number of operations not yet delivered changed (a busy indicator, tests).
    busy_changed = Signal(int)

    def __init__(self, parent: QObject | None = None, *, pool_workers: int = 4) -> None:
        super().__init__(parent)
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="warungin-db")
        self._pool = ThreadPoolExecutor(max_workers=pool_workers,
                                        thread_name_prefix="warungin-pool")
        self._lock = threading.Lock()
        self._pending = 0
        self._closed = False
        # What each running job refers to (its function, callbacks and owner), held
        # here and released on the main thread only: see run_in_background.
        self._held: dict[int, tuple[Any, ...]] = {}
        self._keys = itertools.count()
        self._deliver.connect(self._run_closure, Qt.ConnectionType.QueuedConnection)

    # --- API --------------------------------------------------------------------------
    def run_in_background(self, fn: Callable[[], T],
                          on_done: Callable[[T], None] | None = None,
                          on_error: Callable[[Exception], None] | None = None, *,
                          lane: Lane = Lane.WRITER, owner: QObject | None = None) -> Future[T]:
        """Run ``fn`` on ``lane``; then ``on_done(result)`` or ``on_error(exc)`` on the main
        thread. ``owner``: a widget whose deletion makes the outcome moot (the callbacks are
        skipped instead of touching a deleted C++ object)."""
        self._require_main_thread()
        if self._closed:
            raise RuntimeError("the task manager is shut down")
        with self._lock:
            self._pending += 1
            pending = self._pending
        self.busy_changed.emit(pending)
        executor = self._writer if lane is Lane.WRITER else self._pool
        # The worker thread must never drop the last reference to a Qt object: a screen
        # whose bound method is on_done, or which a closure holds, would have its C++ side
        # destroyed on that thread (a segfault, seen intermittently in the screens' tests
        # when a screen was closed while its first load ran). So the function, callbacks
        # and owner stay in self._held, and neither the submitted job nor the future's
        # done-callback refer to them; _finish releases them on the main thread.
        key = next(self._keys)
        with self._lock:
            self._held[key] = (fn, on_done, on_error, owner)
        future: Future[T] = executor.submit(self._call, key)

        def finished(done: Future[T]) -> None:
            # Runs on the worker thread (or here, if already done): only hand over.
            self._deliver.emit(lambda: self._finish(done, key))

        future.add_done_callback(finished)
        return future

    def _call(self, key: int) -> Any:
        with self._lock:
            fn = self._held[key][0]
        return fn()

    def run_on_main(self, closure: Callable[[], None]) -> None:
        """Run ``closure`` on the main thread soon (safe to call from any thread)."""
        self._deliver.emit(closure)

    @property
    def pending(self) -> int:
        with self._lock:
            return self._pending

    def shutdown(self, *, wait: bool = True) -> None:
        """Stop taking work; wait for running jobs (a sale half-written must finish its
        transaction, never be abandoned), and drop outcomes not yet delivered."""
        self._closed = True
        self._pool.shutdown(wait=wait, cancel_futures=True)
        self._writer.shutdown(wait=wait, cancel_futures=False)

    # --- main-thread side -------------------------------------------------------------
    def _run_closure(self, closure: object) -> None:
        assert callable(closure)
        closure()

    def _finish(self, future: Future[T], key: int) -> None:
        with self._lock:
            self._pending -= 1
            pending = self._pending
            _fn, on_done, on_error, owner = self._held.pop(key)
        self.busy_changed.emit(pending)
        if future.cancelled():
            return
        exc = future.exception()
        if exc is not None and not isinstance(exc, EXPECTED_ERRORS):
            # A bug: it goes to the log with its traceback whatever the caller does next.
            log.error("background operation failed", exc_info=exc)
        if self._closed or (owner is not None and not shiboken6.isValid(owner)):
            return
        if exc is None:
            if on_done is not None:
                on_done(future.result())
        elif on_error is not None:
            if not isinstance(exc, Exception):
                raise exc  # KeyboardInterrupt and friends are not ours to swallow
            on_error(exc)
        elif isinstance(exc, EXPECTED_ERRORS):
            log.warning("unhandled refusal: %s", exc)

    def _require_main_thread(self) -> None:
        # Callbacks are delivered to the thread that owns this object; it must be the one
        # asking, or on_done would race with the caller.
        if threading.current_thread() is not threading.main_thread():
            raise RuntimeError("run_in_background is called from the main thread only")


def describe_error(exc: Exception) -> str:
    """The text a person sees: the service's own message for expected refusals, a plain
    apology for bugs (whose detail is in the log)."""
    if isinstance(exc, ShopError):
        return exc.message
    if isinstance(exc, Unavailable):
        return str(exc)
    from ui.i18n import tr
    return tr("error.bug")


__all__ = ["Lane", "TaskManager", "describe_error", "EXPECTED_ERRORS"]

"""ui.tasks: work off the main thread, outcomes back on it, the event loop never blocked."""

from __future__ import annotations

import logging
import threading
import time

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from services.errors import BadInput
from ui.tasks import Lane, TaskManager


@pytest.fixture
def tasks(qtbot: QtBot) -> TaskManager:
    manager = TaskManager()
    yield manager  # type: ignore[misc]
    manager.shutdown(wait=True)


@pytest.mark.parametrize("lane", [Lane.WRITER, Lane.POOL])
def test_event_loop_processes_input_while_a_job_is_stuck_for_two_seconds(
        qtbot: QtBot, tasks: TaskManager, lane: Lane) -> None:
    box = QLineEdit()
    qtbot.addWidget(box)
    box.show()
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start()
    results: list[str] = []
    started = time.monotonic()

    def stuck() -> str:
        time.sleep(2.0)  # a slow disk, a hung network call
        return "finished"

    tasks.run_in_background(stuck, results.append, lane=lane)
    # While the job sleeps: key events reach the widget and the timer keeps ticking.
    qtbot.keyClicks(box, "8991619730698")
    qtbot.wait(300)
    assert box.text() == "8991619730698"
    assert results == [], "the job must still be running"
    assert time.monotonic() - started < 1.5
    qtbot.waitUntil(lambda: results == ["finished"], timeout=5000)
    timer.stop()
    during = [t for t in ticks if t - started < 2.0]
    assert len(during) >= 30, f"the timer ticked only {len(during)} times in 2 s"
    # No gap longer than a few frames between ticks: the loop was never blocked.
    gaps = [b - a for a, b in zip(during, during[1:], strict=False)]
    assert max(gaps) < 0.5


def test_outcomes_arrive_on_the_main_thread(qtbot: QtBot, tasks: TaskManager) -> None:
    seen: dict[str, object] = {}

    def work() -> int:
        seen["worker"] = threading.current_thread()
        return 42

    def done(value: int) -> None:
        seen["value"] = value
        seen["main"] = threading.current_thread()

    tasks.run_in_background(work, done)
    qtbot.waitUntil(lambda: "value" in seen)
    assert seen["value"] == 42
    assert seen["main"] is threading.main_thread()
    assert seen["worker"] is not threading.main_thread()
    assert tasks.pending == 0


def test_writer_lane_is_one_thread_in_order(qtbot: QtBot, tasks: TaskManager) -> None:
    order: list[int] = []
    threads: set[int] = set()

    def job(i: int) -> int:
        threads.add(threading.get_ident())
        time.sleep(0.01 if i % 2 else 0)
        return i

    for i in range(20):
        tasks.run_in_background(lambda i=i: job(i), order.append, lane=Lane.WRITER)
    qtbot.waitUntil(lambda: len(order) == 20)
    assert order == list(range(20))
    assert len(threads) == 1


def test_expected_refusal_goes_to_on_error_without_a_traceback(
        qtbot: QtBot, tasks: TaskManager, caplog: pytest.LogCaptureFixture) -> None:
    errors: list[Exception] = []

    def refuse() -> None:
        raise BadInput("must be more than zero", field="qty")

    tasks.run_in_background(refuse, on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], BadInput)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_a_bug_is_logged_with_its_traceback_and_reported(
        qtbot: QtBot, tasks: TaskManager, caplog: pytest.LogCaptureFixture) -> None:
    errors: list[Exception] = []

    def bug() -> None:
        raise ZeroDivisionError("oops")

    with caplog.at_level(logging.ERROR, logger="warungin.ui"):
        tasks.run_in_background(bug, on_error=errors.append)
        qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], ZeroDivisionError)
    record = next(r for r in caplog.records if r.levelno == logging.ERROR)
    assert record.exc_info is not None


def test_outcome_for_a_deleted_widget_is_dropped(qtbot: QtBot, tasks: TaskManager) -> None:
    label = QLabel()
    gate = threading.Event()
    called: list[str] = []
    tasks.run_in_background(lambda: gate.wait(5), lambda _: called.append("done"),
                            owner=label)
    label.deleteLater()
    qtbot.wait(50)  # the deferred delete happens
    gate.set()
    qtbot.waitUntil(lambda: tasks.pending == 0)
    assert called == []


def test_only_the_main_thread_may_submit(qtbot: QtBot, tasks: TaskManager) -> None:
    caught: list[BaseException] = []

    def from_worker() -> None:
        try:
            tasks.run_in_background(lambda: None)
        except RuntimeError as exc:
            caught.append(exc)

    t = threading.Thread(target=from_worker)
    t.start()
    t.join()
    assert caught

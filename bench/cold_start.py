"""Cold start: a fresh ``warungin`` process to a till ready to scan, on a big shop.

The shop has 100,000 products and about 1,000,000 historical sale lines (``--sales``
sales made through the real ``complete_sale`` by :mod:`bench.generate`, 2.85 lines each on
average; the figure prints the real count). Each sample starts a new process running the
real entry point offscreen (:mod:`bench.cold_start_child`), which logs the demo cashier in
when the login shows and reports when the till emits ``ready``; the time is measured here,
from just before the process is spawned to the line it prints, so interpreter start-up is
included. Resident memory is read by the child at ``ready``.

Baseline, in the same run and the same way: a bare PySide6 program (a window with a line
edit, shown, the event loop turning) that also opens the same SQLite file and reads one
row — the least any Qt till on this database could do. The first sample of each is
reported apart (a cold disk cache), the median of the rest is the figure.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from app.paths import db_path
from bench.generate import build_dataset
from bench.report import Emit, figure, median, print_figure

DEFAULT_SALES = 352_500  # x 2.85 lines per sale on average: just over 1,000,000 sale lines
DEFAULT_SAMPLES = 5
TARGET_MS = 1500
TARGET_RSS_MB = 250
TIMEOUT_S = 120

_RAW_QT = r"""
import sqlite3, sys, time, json
t0 = time.time_ns()
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLineEdit, QMainWindow
app = QApplication(sys.argv)
conn = sqlite3.connect(sys.argv[1])
conn.execute("SELECT name FROM product LIMIT 1").fetchall()
w = QMainWindow(); edit = QLineEdit(); w.setCentralWidget(edit); w.resize(1366, 768); w.show()
edit.setFocus()
def ready():
    sys.stdout.write(json.dumps({"ready_ms": (time.time_ns() - t0) / 1e6, "started_ns": t0}) + "\n")
    sys.stdout.flush(); app.quit()
QTimer.singleShot(0, ready)
app.exec()
"""


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def _run(cmd: list[str]) -> dict[str, float]:
    """Run one fresh process; its marks, plus ``spawn_ms``: from just before the spawn to
    the moment the child's own code began (interpreter start-up, which the child cannot
    see). Both clocks are the same wall clock of this machine."""
    spawn_ns = time.time_ns()
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_S, env=_env(),
                          check=False)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"cold-start child failed (exit {proc.returncode}): "
                           f"{proc.stderr.strip()[-2000:]}")
    reported: dict[str, float] = json.loads(lines[-1])
    reported["spawn_ms"] = max(0.0, (reported["started_ns"] - spawn_ns) / 1e6)
    return reported


def measure(work_dir: Path, *, seed: int = 1, products: int = 100_000,
            sales: int = DEFAULT_SALES, samples: int = DEFAULT_SAMPLES,
            emit: Emit = print_figure) -> None:
    data = build_dataset(work_dir, seed=seed, products=products, sales=sales)
    folder = work_dir / "cold-start-shop"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(data.folder, folder)
    db = db_path(folder)
    with sqlite3.connect(db) as conn:
        lines = int(conn.execute("SELECT count(*) FROM sale_line").fetchone()[0])
        n_products = int(conn.execute("SELECT count(*) FROM product").fetchone()[0])
    child = [sys.executable, "-m", "bench.cold_start_child", str(folder), "Sari", "1234"]
    raw = [sys.executable, "-c", _RAW_QT, str(db)]
    ours: list[dict[str, float]] = []
    base: list[float] = []
    for _ in range(max(2, samples)):
        got = _run(child)
        ours.append({**got, "ready_total_ms": got["spawn_ms"] + got["ready_ms"]})
        got_raw = _run(raw)
        base.append(got_raw["spawn_ms"] + got_raw["ready_ms"])
    first, rest = ours[0], ours[1:]
    ready = median([o["ready_total_ms"] for o in rest])
    login = median([o["login_ms"] + o["spawn_ms"] for o in rest])
    raw_ready = median(base[1:])
    emit(figure("cold_start.ready", "ms", ready, baseline=raw_ready, target=TARGET_MS,
                first_ms=round(first["ready_total_ms"], 1), login_shown_ms=round(login, 1),
                products=n_products, sale_lines=lines, samples=len(rest)))
    rss = max(o["rss_mb"] for o in ours)
    emit(figure("cold_start.rss", "MB", rss, target=TARGET_RSS_MB, products=n_products,
                sale_lines=lines))
    shutil.rmtree(folder, ignore_errors=True)


__all__ = ["measure"]

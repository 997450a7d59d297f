"""``verify`` on a database with many sales, against SQLite's own ``PRAGMA integrity_check``.

The verify check runs every rule of the books over the whole file (integrity_check itself
is one of them), so the baseline says how much of its time SQLite alone needs to read every
page and index once. :mod:`services.verify` is imported only here, inside :func:`measure`.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

from app.shop import open_shop
from bench.generate import build_dataset
from bench.report import Emit, Figure, figure, print_figure

TARGET_SECONDS = 20.0


def measure(work_dir: Path, *, seed: int = 1, products: int = 100_000, sales: int = 200_000,
            emit: Emit = print_figure) -> list[Figure]:
    data = build_dataset(work_dir, seed=seed, products=products, sales=sales)
    raw = sqlite3.connect(data.db, isolation_level=None)
    try:
        began = time.perf_counter()
        integrity = raw.execute("PRAGMA integrity_check").fetchall()
        baseline = time.perf_counter() - began
    finally:
        raw.close()
    extra: dict[str, Any] = {"sales": sales, "products": products,
                             "integrity_ok": integrity == [("ok",)]}
    try:
        from services.verify import verify_database
    except ImportError as exc:  # the verify use case has not landed in this tree yet
        fig = figure("verify", "s", None, baseline=baseline, target=TARGET_SECONDS,
                     error=f"services.verify unavailable: {exc}", **extra)
        emit(fig)
        return [fig]
    shop = open_shop(data.folder)
    try:
        began = time.perf_counter()
        with shop.uow(write=False) as uow:
            report = verify_database(uow.conn)
        seconds = time.perf_counter() - began
    finally:
        shop.close()
    first = report.first_failure
    fig = figure("verify", "s", seconds, baseline=baseline, target=TARGET_SECONDS,
                 clean=report.ok,
                 first_break=None if first is None else f"{first.name}: {first.first_break}",
                 slowest={c.name: round(c.seconds, 3) for c in
                          sorted(report.checks, key=lambda c: -c.seconds)[:4]},
                 **extra)
    emit(fig)
    return [fig]

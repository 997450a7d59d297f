"""SQLite's own checks of the terminal database, as ``warungin verify`` runs them.

- ``integrity``: the full ``PRAGMA integrity_check`` (indexes against tables too, which the
  start-up ``quick_check`` skips). It is the slowest check, so :func:`integrity_aside` runs
  it on a read-only connection of its own in a worker thread (SQLite releases the GIL) while
  the caller runs the business checks on its connection; it checks the file's structure,
  which does not depend on the caller's snapshot. A database that is not a file (in
  memory), or cannot be opened read-only, is checked on the caller's connection instead.
- ``foreign_keys``: ``PRAGMA foreign_key_check`` (orphans left by hand edits).

While the checks run the caller's connection memory-maps the file (reading a large file
through the map halves the integrity check's time); the previous setting is put back.

What a check finds is a :class:`Finding`; the business checks (``services/verify.py``:
ledger, stock, sequences, sales, audit chain) report in the same shape.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError

from local_db.migrate import IntegrityCheckFailed, integrity_check_file

#: ``PRAGMA integrity_check(N)``: how many problems SQLite lists at most.
INTEGRITY_MAX_ERRORS = 100
#: Memory-map the file while verifying (SQLite caps it at its compile-time maximum, 2 GB by
#: default).
MMAP_BYTES = 1 << 34


@dataclass(frozen=True, slots=True)
class Finding:
    """What one check found: its counts, and the first break (None: the check passed)."""

    counts: Mapping[str, int]
    first_break: str | None = None  # one sentence that says where to look
    detail: Mapping[str, Any] | None = None  # the same, as data
    seconds: float = 0.0  # filled only where the check timed itself (the integrity check)


def cannot_run(exc: DBAPIError) -> Finding:
    """A check the database could not even run (a damaged file): broken, with its message."""
    message = str(exc.orig) if exc.orig is not None else str(exc)
    return Finding({}, f"could not be checked: {message}", {"error": message})


def _integrity_finding(rows: list[str]) -> Finding:
    if rows == ["ok"]:
        return Finding({"problems": 0})
    # SQLite may put several problems in one row, under a "*** in database main ***" header.
    problems = [p.strip() for r in rows for p in r.splitlines()
                if p.strip() and not p.startswith("*** in database")]
    problems = problems or rows
    return Finding({"problems": len(problems)}, problems[0],
                   {"messages": problems[:10], "listed_at_most": INTEGRITY_MAX_ERRORS})


def integrity(conn: Connection) -> Finding:
    """The full integrity check on the caller's connection."""
    rows = conn.exec_driver_sql(f"PRAGMA integrity_check({INTEGRITY_MAX_ERRORS})").all()
    return _integrity_finding([str(r[0]) for r in rows])


def foreign_keys(conn: Connection) -> Finding:
    first: Any = None
    count = 0
    for row in conn.exec_driver_sql("PRAGMA foreign_key_check"):
        count += 1
        if first is None:
            first = tuple(row)
    if first is None:
        return Finding({"violations": 0})
    table, rowid, parent, fkid = first
    return Finding({"violations": count},
                   f"{table} row {rowid} refers to a missing {parent} row",
                   {"table": table, "rowid": rowid, "parent": parent, "fk": fkid})


def database_file(conn: Connection) -> str | None:
    for _seq, name, file in conn.exec_driver_sql("PRAGMA database_list"):
        if name == "main":
            return str(file) or None
    return None


def _stamped(found: Finding, started: float) -> Finding:
    return Finding(found.counts, found.first_break, found.detail,
                   time.perf_counter() - started)


def _integrity_of_file(path: str) -> Finding | None:
    """The full check on a read-only connection of its own; None: the file could not be
    opened that way, and the caller runs the check itself."""
    try:
        rows = integrity_check_file(Path(path), max_errors=INTEGRITY_MAX_ERRORS,
                                    mmap_bytes=MMAP_BYTES)
    except IntegrityCheckFailed as exc:
        return Finding({}, f"could not be checked: {exc}", {"error": str(exc)})
    return None if rows is None else _integrity_finding(rows)


def _integrity_here(conn: Connection) -> Finding:
    started = time.perf_counter()
    try:
        return _stamped(integrity(conn), started)
    except DBAPIError as exc:
        return _stamped(cannot_run(exc), started)


def _integrity_of_file_timed(path: str) -> Finding | None:
    started = time.perf_counter()
    found = _integrity_of_file(path)
    return None if found is None else _stamped(found, started)


@contextmanager
def integrity_aside(conn: Connection) -> Iterator[Callable[[], Finding]]:
    """Start the full integrity check beside the caller's work; yields a function that
    waits for its (timed) finding. The caller's connection is memory-mapped meanwhile."""
    path = database_file(conn)
    mmap_before = conn.exec_driver_sql("PRAGMA mmap_size").scalar()
    conn.exec_driver_sql(f"PRAGMA mmap_size={MMAP_BYTES}")
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="verify-integrity")
    try:
        background = pool.submit(_integrity_of_file_timed, path) if path else None

        def result() -> Finding:
            found = background.result() if background is not None else None
            return found if found is not None else _integrity_here(conn)

        yield result
    finally:
        pool.shutdown(wait=True)
        conn.exec_driver_sql(f"PRAGMA mmap_size={int(mmap_before or 0)}")


__all__ = ["Finding", "INTEGRITY_MAX_ERRORS", "MMAP_BYTES", "cannot_run", "database_file",
           "foreign_keys", "integrity", "integrity_aside"]

"""Engines for the terminal's SQLite file.

Two engines on one file: a *writer* whose transactions start with ``BEGIN IMMEDIATE`` (the
write lock is taken up front, so a write never fails half-way on a lock upgrade) and whose
pool holds a single connection (one writer), and a *reader* for queries, whose deferred
transactions see a consistent WAL snapshot without blocking the writer.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import QueuePool

BUSY_TIMEOUT_MS = 10_000


def _configure(dbapi_connection: sqlite3.Connection, synchronous: str) -> None:
    # The driver must not open transactions behind our back: we emit BEGIN ourselves.
    dbapi_connection.isolation_level = None
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute(f"PRAGMA synchronous={synchronous}")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.close()


def _make_engine(path: Path, *, begin: str, pool_size: int, synchronous: str) -> Engine:
    engine = create_engine(
        f"sqlite+pysqlite:///{path}",
        poolclass=QueuePool,
        pool_size=pool_size,
        max_overflow=0,
        pool_timeout=60,
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        _configure(dbapi_connection, synchronous)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql(begin)

    return engine


@dataclass(frozen=True)
class Database:
    path: Path
    writer: Engine
    reader: Engine

    def dispose(self) -> None:
        self.writer.dispose()
        self.reader.dispose()


def open_database(path: Path, *, synchronous: str = "FULL") -> Database:
    """Open both engines. ``synchronous`` stays FULL for a shop; the benchmark data generator
    alone may lower it to build large files quickly."""
    return Database(
        path=path,
        writer=_make_engine(path, begin="BEGIN IMMEDIATE", pool_size=1, synchronous=synchronous),
        reader=_make_engine(path, begin="BEGIN", pool_size=4, synchronous=synchronous),
    )

"""The sale path's statements, run on the connection's own sqlite3 cursor.

A sale commit is about twenty small statements; SQLAlchemy's per-statement work (cache key,
execution context, result wrapping) cost more than SQLite's own. These helpers run in the
same connection and transaction as the unit of work, raise SQLAlchemy's exception classes
as ``conn.execute`` would, and take their INSERT statements from the typed models, so the
models stay the one description of the schema. SQLite only: the terminal's write path.
"""

from __future__ import annotations

import sqlite3
from functools import cache
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError

from local_db.models import Base


def hot_execute(conn: Connection, sql: str, params: Any = ()) -> Any:
    """Run one statement; a list of parameter sets runs as executemany (returns None),
    otherwise the first row (or None) is returned."""
    if not conn.in_transaction():
        conn.begin()  # as conn.execute() would: the BEGIN [IMMEDIATE] listener still runs
    driver = conn.connection.driver_connection
    assert isinstance(driver, sqlite3.Connection)
    cursor = driver.cursor()
    try:
        if isinstance(params, list):
            cursor.executemany(sql, params)
            return None
        rows = cursor.execute(sql, params).fetchall()
        return rows[0] if rows else None
    except sqlite3.Error as exc:
        raise DBAPIError.instance(sql, params, exc, sqlite3.Error) from exc
    finally:
        cursor.close()


@cache
def insert_sql(model: type[Base]) -> str:
    """``INSERT INTO t (a, b) VALUES (:a, :b)`` over every column of ``model`` except an
    integer key the database assigns itself."""
    cols = [c.name for c in model.__table__.columns
            if not (c.primary_key and c.autoincrement is True)]
    return (f"INSERT INTO {model.__tablename__} ({', '.join(cols)}) "
            f"VALUES ({', '.join(':' + c for c in cols)})")

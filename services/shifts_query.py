"""Finding the terminal's open shift (shared by every use case that touches the drawer)."""

from __future__ import annotations

from sqlalchemy import Connection

from local_db.fastpath import hot_execute
from services.errors import Conflict


_OPEN_SHIFT = "SELECT id FROM shift WHERE terminal_id = ? AND status = 'open'"


def open_shift_id(conn: Connection, terminal_id: str) -> str | None:
    row = hot_execute(conn, _OPEN_SHIFT, (terminal_id,))  # every sale asks this
    return None if row is None else str(row[0])


def require_open_shift(conn: Connection, terminal_id: str) -> str:
    shift_id = open_shift_id(conn, terminal_id)
    if shift_id is None:
        raise Conflict("no shift is open on this till; open one first", field="shift")
    return shift_id

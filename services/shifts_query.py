"""Finding the terminal's open shift (shared by every use case that touches the drawer)."""

from __future__ import annotations

from sqlalchemy import Connection, bindparam, select

from local_db.models import Shift
from services.errors import Conflict


_OPEN_SHIFT = select(Shift.id).where(Shift.terminal_id == bindparam("t"), Shift.status == "open")


def open_shift_id(conn: Connection, terminal_id: str) -> str | None:
    found = conn.execute(_OPEN_SHIFT, {"t": terminal_id}).scalar()
    return None if found is None else str(found)


def require_open_shift(conn: Connection, terminal_id: str) -> str:
    shift_id = open_shift_id(conn, terminal_id)
    if shift_id is None:
        raise Conflict("no shift is open on this till; open one first", field="shift")
    return shift_id

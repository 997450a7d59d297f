"""Central's side of enrolment: what a one-time code's terminal is, and claiming it.

The terminal connects with the code's own role and password (``terminal_connect``), reads
which tenant, store and terminal that role stands for, and claims the terminal in one
central transaction: ``terminal.enrolled_at`` and the machine's install id are set, and the
role's password is replaced by a fresh one, so the code works once. The secrets and the
local settings are the caller's business (``app.enroll`` composes the whole enrolment);
this module only talks to central.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql

from services.errors import Refused
from sync.central.admin import EnrolmentCode, ident
from sync.central.connect import scram_verifier, terminal_connect


@dataclass(frozen=True, slots=True)
class Seat:
    """The terminal a code's role stands for, as central records it."""

    tenant_id: str
    terminal_id: str
    store_id: str
    enrolled: bool  # already claimed (by this machine or another)
    install_id: str | None  # the machine that claimed it


class Redemption:
    """One open terminal connection of a code being redeemed."""

    def __init__(self, conn: psycopg.Connection[Any], code: EnrolmentCode) -> None:
        self._conn = conn
        self._code = code

    def seat(self) -> Seat:
        """The code's terminal; Refused when central no longer knows it (or the code is
        for another terminal than the one it names)."""
        row = self._conn.execute(
            "SELECT p.tenant_id::text, p.terminal_id::text, t.store_id::text, "
            "t.enrolled_at IS NOT NULL, t.install_id::text "
            "FROM central.principal p JOIN central.terminal t "
            "ON t.tenant_id = p.tenant_id AND t.id = p.terminal_id "
            "WHERE p.role_name = current_user").fetchone()
        code = self._code
        if row is None or (row[0], row[1], row[2]) != (code.tenant_id, code.terminal_id,
                                                       code.store_id):
            raise Refused("central does not know this code's terminal (was it removed?)",
                          field="code")
        return Seat(str(row[0]), str(row[1]), str(row[2]), bool(row[3]),
                    None if row[4] is None else str(row[4]))

    def claim(self, install_id: str, new_password: str) -> None:
        """Mark the terminal enrolled by ``install_id`` and set the role's new password, in
        one central transaction. Refused when another machine claimed it first."""
        conn = self._conn
        with conn.transaction():
            claimed = conn.execute(
                "UPDATE central.terminal SET enrolled_at = now(), install_id = %s "
                "WHERE id = central.current_terminal() AND enrolled_at IS NULL",
                (install_id,)).rowcount
            if claimed != 1:
                raise Refused("this enrolment code was just used by another machine",
                              field="code")
            verifier = scram_verifier(conn, self._code.role, new_password)
            # A role may change its own password; the verifier, not the password, is sent.
            # (Utility statements take no bind parameters: the literal is composed here.)
            conn.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(
                sql.Identifier(ident(self._code.role).strip('"')), sql.Literal(verifier)))


@contextmanager
def redeeming(code: EnrolmentCode) -> Iterator[Redemption]:
    """A connection as the code's role, closed on leaving."""
    with terminal_connect(code.dsn, code.password) as conn:
        yield Redemption(conn, code)


__all__ = ["Redemption", "Seat", "redeeming"]

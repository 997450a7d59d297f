"""Connections to the central PostgreSQL: the administrator's and a terminal's.

A terminal connects as its own LOGIN role (``<prefix>_t_<terminal hex>``) whose password
lives only in the terminal's secret store; it is passed to libpq as a separate parameter,
never spliced into a DSN string, so no DSN we print or log can carry it. ``redact_dsn``
is still applied to anything shown, in case a person typed a password into ``--dsn``.
"""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg import conninfo
from sqlalchemy import Engine, create_engine
from sqlalchemy.pool import NullPool

from services.errors import BadInput, ShopError

APPLICATION_NAME = "warungin"
CONNECT_TIMEOUT_S = 10


class CentralUnavailable(ShopError):
    """An environment fault: the central database cannot be reached or refused us."""

    code = "central_unavailable"


def parse_dsn(dsn: str) -> dict[str, str]:
    """The DSN's parameters (key=value or postgresql:// URL), or BadInput naming --dsn."""
    try:
        return {k: str(v) for k, v in conninfo.conninfo_to_dict(dsn).items() if v is not None}
    except psycopg.ProgrammingError:
        # libpq's message may quote the DSN (and so a password in it): say only that it failed.
        raise BadInput("not a PostgreSQL connection string", field="dsn") from None


def redact_dsn(dsn: str) -> str:
    """The DSN as key=value text without its password: the only form we ever show."""
    params = parse_dsn(dsn)
    params.pop("password", None)
    return conninfo.make_conninfo("", **params)


def terminal_dsn(admin_dsn: str, role: str, public_dsn: str | None = None) -> str:
    """Where a terminal connects: ``public_dsn`` (or the admin's DSN) with the terminal's
    role as user and no password."""
    params = parse_dsn(public_dsn or admin_dsn)
    params.pop("password", None)
    params["user"] = role
    return conninfo.make_conninfo("", **params)


def _connect(dsn: str, **extra: Any) -> psycopg.Connection[tuple[Any, ...]]:
    params = parse_dsn(dsn)
    params.setdefault("connect_timeout", str(CONNECT_TIMEOUT_S))
    params.setdefault("application_name", APPLICATION_NAME)
    params.update({k: v for k, v in extra.items() if v is not None})
    try:
        return psycopg.connect(conninfo.make_conninfo("", **params))
    except psycopg.OperationalError as exc:
        # libpq's text names host, port and user, never the password.
        raise CentralUnavailable(f"cannot connect to central at {redact_dsn(dsn)}: "
                                 f"{str(exc).strip()}") from None
    except UnicodeError:
        # Resolving a host that is no name at all (``host=...`` copied from an example, an
        # empty label, a label over 63 characters) fails in the IDNA codec, not in libpq.
        raise BadInput(f"host {params.get('host', '')!r} is not a host name: give the "
                       "central server's name or address (e.g. host=10.0.0.5)",
                       field="dsn") from None


def admin_connect(dsn: str) -> psycopg.Connection[tuple[Any, ...]]:
    """The administrator's connection (a superuser, or a role with CREATEROLE and
    BYPASSRLS that may create schemas in the database)."""
    return _connect(dsn)


def terminal_connect(dsn: str, password: str | None) -> psycopg.Connection[tuple[Any, ...]]:
    """A terminal's connection, as the role named by ``user`` in ``dsn``."""
    return _connect(dsn, password=password)


def terminal_engine(dsn: str, password: str | None) -> Engine:
    """A SQLAlchemy engine over the terminal's role, for the push/pull engine and reports.

    NullPool: the sync worker holds one connection for a pass and drops it, so a dead
    network leaves no stale pooled connection behind.
    """
    return create_engine("postgresql+psycopg://", poolclass=NullPool,
                         creator=lambda: terminal_connect(dsn, password))


def scram_verifier(conn: psycopg.Connection[Any], role: str, password: str) -> str:
    """The SCRAM-SHA-256 verifier of ``password``, computed by libpq on our side.

    Roles get their password as this verifier, so the clear password never travels in SQL
    text, where the server's statement log could keep it."""
    raw = conn.pgconn.encrypt_password(password.encode(), role.encode(), b"scram-sha-256")
    return raw.decode("ascii")

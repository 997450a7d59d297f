"""Alembic environment of the central PostgreSQL (run by ``sync.central.admin.init``).

Separate from local_db's: its own versions, its version table in the ``central`` schema.
``admin.init`` hands us a connection on which it has already created the schema and the
roles and done ``SET ROLE <owner>``, so every object made here belongs to the NOLOGIN
owner role, never to a role anyone logs in with.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from sync.central.schema import SCHEMA, metadata

config = context.config
target_metadata = metadata


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata,
                      version_table_schema=SCHEMA, include_schemas=False, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
        with engine.begin() as conn:
            _run(conn)
        return
    _run(connection)


run_migrations_online()

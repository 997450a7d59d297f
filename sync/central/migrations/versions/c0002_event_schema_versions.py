"""event schema versions: what central understands; re-offering events that were too new

Revision ID: c0002
Revises: c0001
Create Date: 2026-11-26

- ``central.event_schema_max()``: the newest outbox event schema version this central
  understands (every version from 1 up to it is accepted). Each later migration that
  introduces a version replaces the function. Version 2: a ``sale.completed`` event carries
  its full stock movements (cost, kind, reference, user, time), so central's event log is a
  complete record of the sale on its own; version 1 events stay accepted (the push upcasts
  them from the till's own movement rows).
- A terminal whose event was quarantined as too new (``detail->>'code' =
  'schema_too_new'``: the till had newer software than central) re-offers it once central
  understands its version: it may then UPDATE that quarantine row of its own (reason,
  detail, resolved_at), and no other quarantine row. Nothing else changes: row-level
  security stays ENABLEd and FORCEd everywhere, and no other grant moves.

Run under ``SET ROLE <prefix>_owner`` by ``sync.central.admin.init`` like c0001.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'c0002'
down_revision = 'c0001'
branch_labels = None
depends_on = None

S = "central"
NEWEST = 2
TOO_NEW = "schema_too_new"
TENANT = "tenant_id = (SELECT central.current_tenant())"
TERMINAL = "(SELECT central.current_terminal())"


def _roles() -> tuple[str, str]:
    prefix = op.get_bind().execute(sa.text(
        "SELECT role_prefix FROM central.installation")).scalar_one()
    return f'"{prefix}_terminal"', f'"{prefix}_reader"'


def upgrade() -> None:
    terminal, reader = _roles()
    op.execute(f"CREATE OR REPLACE FUNCTION {S}.event_schema_max() RETURNS integer "
               f"LANGUAGE sql IMMUTABLE AS $$ SELECT {NEWEST} $$")
    op.execute(f"REVOKE ALL ON FUNCTION {S}.event_schema_max() FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION {S}.event_schema_max() TO {terminal}, {reader}")
    op.execute(f"GRANT UPDATE (reason, detail, resolved_at) ON {S}.quarantine TO {terminal}")
    op.execute(
        f"CREATE POLICY own_too_new_update ON {S}.quarantine FOR UPDATE TO {terminal} "
        f"USING ({TENANT} AND terminal_id = {TERMINAL} AND detail ->> 'code' = '{TOO_NEW}') "
        f"WITH CHECK ({TENANT} AND terminal_id = {TERMINAL})")


def downgrade() -> None:
    terminal, _reader = _roles()
    op.execute(f"DROP POLICY IF EXISTS own_too_new_update ON {S}.quarantine")
    op.execute(f"REVOKE UPDATE (reason, detail, resolved_at) ON {S}.quarantine FROM {terminal}")
    op.execute(f"DROP FUNCTION IF EXISTS {S}.event_schema_max()")

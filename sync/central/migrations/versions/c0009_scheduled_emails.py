"""one daily summary per store, day and recipient across tills (issue 15)

Revision ID: c0009
Revises: c0008
Create Date: 2026-12-07

``daily_summary_claim`` (tenant, store, day, recipient) is UNIQUE: before sending a store's
daily summary a till INSERTs its claim ``ON CONFLICT DO NOTHING``; the till whose row
landed sends, every other logs the day as sent by that till (services.schedule_summary).
``recipient`` is a hash of the address. Row-level security is ENABLEd and FORCEd; terminals
read their tenant's claims and insert claims naming their tenant and themselves (as c0006's
history tables); nobody but the administrator updates or deletes.

Run under ``SET ROLE <prefix>_owner`` by ``sync.central.admin.init`` like c0001.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = 'c0009'
down_revision = 'c0008'
branch_labels = None
depends_on = None

S = "central"
T = "daily_summary_claim"
TENANT = "tenant_id = (SELECT central.current_tenant())"
TERMINAL = "(SELECT central.current_terminal())"


def _roles() -> tuple[str, str]:
    prefix = op.get_bind().execute(sa.text(
        "SELECT role_prefix FROM central.installation")).scalar_one()
    return f'"{prefix}_terminal"', f'"{prefix}_reader"'


def upgrade() -> None:
    op.create_table(
        T,
        sa.Column('tenant_id', sa.UUID(as_uuid=False), nullable=False),
        sa.Column('store_id', sa.Text(), nullable=False),
        sa.Column('day', sa.Text(), nullable=False),
        sa.Column('recipient', sa.Text(), nullable=False),
        sa.Column('terminal_id', sa.UUID(as_uuid=False), nullable=False),
        sa.Column('claimed_at', postgresql.TIMESTAMP(timezone=True),
                  server_default=sa.text('now()'), nullable=False),
        sa.PrimaryKeyConstraint('tenant_id', 'store_id', 'day', 'recipient',
                                name=op.f('pk_daily_summary_claim')),
        schema=S)
    terminal, reader = _roles()
    op.execute(f"ALTER TABLE {S}.{T} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {S}.{T} FORCE ROW LEVEL SECURITY")
    op.execute(f"REVOKE ALL ON {S}.{T} FROM PUBLIC")
    op.execute(f"GRANT SELECT ON {S}.{T} TO {terminal}, {reader}")
    op.execute(f"CREATE POLICY tenant_read ON {S}.{T} FOR SELECT TO {terminal}, {reader} "
               f"USING ({TENANT})")
    op.execute(f"GRANT INSERT ON {S}.{T} TO {terminal}")
    op.execute(f"CREATE POLICY own_terminal_insert ON {S}.{T} FOR INSERT TO {terminal} "
               f"WITH CHECK ({TENANT} AND terminal_id = {TERMINAL})")


def downgrade() -> None:
    op.execute(f"DROP TABLE IF EXISTS {S}.{T} CASCADE")

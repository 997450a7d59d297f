"""device-token registry at central: FCM tokens of the tenant's people and customers

Revision ID: c0005
Revises: c0004
Create Date: 2026-12-07

``central.device_token`` (issue 13): a till registers, refreshes and deactivates tokens
offline; its ``device_token.registered`` / ``device_token.deactivated`` events are applied by
the push (upsert by ``(tenant_id, id)``; see sync/push_rows.py for the merge rule) and the
rows come down to every till of the tenant through the pull (a ``change_log`` trigger).

Security is the catalogue's (c0001's "UPSERT" group): row-level security ENABLEd and
FORCEd; terminals and tenant owners SELECT their own tenant; terminals INSERT and UPDATE
within their own tenant only; nobody but the administrator deletes. Every key names the
tenant. Nothing else changes: no grant or policy of another table moves.

A till whose software knows these events and a central below c0005 do not break each
other: the push keeps such events at central unapplied (quarantined as ``schema_too_new``)
and applies them once ``warungin central init`` brought central here.

Run under ``SET ROLE <prefix>_owner`` by ``sync.central.admin.init`` like c0001.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = 'c0005'
down_revision = 'c0004'
branch_labels = None
depends_on = None

S = "central"
T = "device_token"
TENANT = "tenant_id = (SELECT central.current_tenant())"


def _roles() -> tuple[str, str]:
    prefix = op.get_bind().execute(sa.text(
        "SELECT role_prefix FROM central.installation")).scalar_one()
    return f'"{prefix}_terminal"', f'"{prefix}_reader"'


def upgrade() -> None:
    op.create_table(
        T,
        sa.Column('tenant_id', sa.UUID(as_uuid=False), nullable=False),
        sa.Column('id', sa.UUID(as_uuid=False), nullable=False),
        sa.Column('owner_type', sa.Text(), nullable=False),
        sa.Column('owner_id', sa.UUID(as_uuid=False), nullable=False),
        sa.Column('token', sa.Text(), nullable=False),
        sa.Column('platform', sa.Text(), nullable=False),
        sa.Column('active', sa.Boolean(), server_default=sa.text('true'), nullable=False),
        sa.Column('last_seen_at', postgresql.TIMESTAMP(timezone=True), nullable=False),
        sa.Column('deactivated_reason', sa.Text(), nullable=True),
        sa.Column('created_at', postgresql.TIMESTAMP(timezone=True),
                  server_default=sa.text('now()'), nullable=False),
        sa.Column('updated_at', postgresql.TIMESTAMP(timezone=True), nullable=False),
        sa.CheckConstraint("owner_type IN ('user', 'customer')",
                           name=op.f('ck_device_token_known_owner')),
        sa.CheckConstraint("platform IN ('android', 'ios', 'web')",
                           name=op.f('ck_device_token_known_platform')),
        sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_device_token')),
        schema=S,
    )
    op.create_index(op.f('ix_device_token_tenant_id_token'), T, ['tenant_id', 'token'],
                    unique=False, schema=S)
    op.create_index(op.f('ix_device_token_tenant_id_owner_type_owner_id'), T,
                    ['tenant_id', 'owner_type', 'owner_id'], unique=False, schema=S)

    terminal, reader = _roles()
    op.execute(f"ALTER TABLE {S}.{T} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {S}.{T} FORCE ROW LEVEL SECURITY")
    op.execute(f"REVOKE ALL ON {S}.{T} FROM PUBLIC")
    op.execute(f"GRANT SELECT ON {S}.{T} TO {terminal}, {reader}")
    op.execute(f"CREATE POLICY tenant_read ON {S}.{T} FOR SELECT TO {terminal}, {reader} "
               f"USING ({TENANT})")
    op.execute(f"GRANT INSERT, UPDATE ON {S}.{T} TO {terminal}")
    op.execute(f"CREATE POLICY tenant_insert ON {S}.{T} FOR INSERT TO {terminal} "
               f"WITH CHECK ({TENANT})")
    op.execute(f"CREATE POLICY tenant_update ON {S}.{T} FOR UPDATE TO {terminal} "
               f"USING ({TENANT}) WITH CHECK ({TENANT})")
    op.execute(f"CREATE TRIGGER log_change AFTER INSERT OR UPDATE OR DELETE ON {S}.{T} "
               f"FOR EACH ROW EXECUTE FUNCTION {S}.log_change('id')")


def downgrade() -> None:
    # Its change_log rows stay (the owner role cannot see them to delete them, by design);
    # the pull skips rows of tables central no longer has.
    op.execute(f"DROP TABLE IF EXISTS {S}.{T} CASCADE")

"""the tenant's loyalty points ledger and redemption conflicts (issue 15)

Revision ID: c0008
Revises: c0007
Create Date: 2026-12-07

- ``loyalty_entry``: every till's points ledger rows (earn, redeem, expire, adjust,
  refund), history like sales: a terminal INSERTs rows naming itself (``ON CONFLICT DO
  NOTHING``, so a replayed event adds nothing) and reads its tenant's; it may blank an
  adjustment's ``reason`` (its only free text) when the member is erased, nothing else; a
  UNIQUE partial
  index allows one earn row per sale and one expire row per member and lapse moment in the
  tenant, so neither a retry nor a second till can double an accrual or an expiry. Pulled
  down to the tenant's tills (a ``change_log`` trigger keyed by ``id``): a member's balance
  is the sum over the tenant.
- view ``loyalty_conflict`` (``security_invoker``: the asker's row-level security applies):
  redemptions after which the member's running balance over the tenant (by ``created_at``,
  then id) is below zero: two tills that redeemed the same points offline. The owner sees
  them (``warungin loyalty conflicts --central``); nothing is silently negative, and the
  same rows replayed give the same list.

Row-level security is ENABLEd and FORCEd; no other table's grants or policies move.

Run under ``SET ROLE <prefix>_owner`` by ``sync.central.admin.init`` like c0001.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = 'c0008'
down_revision = 'c0007'
branch_labels = None
depends_on = None

S = "central"
T = "loyalty_entry"
TENANT = "tenant_id = (SELECT central.current_tenant())"
TERMINAL = "(SELECT central.current_terminal())"

CONFLICT_VIEW = f"""CREATE VIEW {S}.loyalty_conflict WITH (security_invoker = true) AS
SELECT r.tenant_id, r.customer_id, r.id AS entry_id, r.terminal_id, r.store_id, r.points,
       r.value, r.created_at, r.received_at, r.balance_after
FROM (SELECT e.*, sum(e.points) OVER (PARTITION BY e.tenant_id, e.customer_id
                                      ORDER BY e.created_at, e.id
                                      ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
                                      ) AS balance_after
      FROM {S}.{T} e) r
WHERE r.kind = 'redeem' AND r.balance_after < 0"""


def _roles() -> tuple[str, str]:
    prefix = op.get_bind().execute(sa.text(
        "SELECT role_prefix FROM central.installation")).scalar_one()
    return f'"{prefix}_terminal"', f'"{prefix}_reader"'


def _uuid(name: str, nullable: bool = False) -> sa.Column[str]:
    return sa.Column(name, sa.UUID(as_uuid=False), nullable=nullable)


def _ts(name: str, nullable: bool = False, now: bool = False) -> sa.Column[object]:
    return sa.Column(name, postgresql.TIMESTAMP(timezone=True), nullable=nullable,
                     server_default=sa.text('now()') if now else None)


def upgrade() -> None:
    op.create_table(
        T,
        _uuid('tenant_id'), _uuid('id'), _uuid('terminal_id'), _uuid('store_id'),
        _uuid('customer_id'),
        sa.Column('kind', sa.Text(), nullable=False),
        sa.Column('points', sa.BigInteger(), nullable=False),
        sa.Column('spend', sa.BigInteger(), server_default=sa.text('0'), nullable=False),
        sa.Column('value', sa.BigInteger(), server_default=sa.text('0'), nullable=False),
        _uuid('sale_id', nullable=True), _uuid('refund_id', nullable=True),
        _ts('expires_at', nullable=True), _ts('lot_expiry', nullable=True),
        _uuid('user_id', nullable=True), _uuid('approver_id', nullable=True),
        sa.Column('reason', sa.Text(), nullable=True),
        _ts('created_at'), _ts('received_at', now=True),
        sa.CheckConstraint("kind IN ('earn', 'redeem', 'expire', 'adjust', 'refund')",
                           name=op.f('ck_loyalty_entry_known_kind')),
        sa.CheckConstraint("(kind = 'earn' AND points >= 0) OR (kind IN ('redeem', 'expire') "
                           "AND points < 0) OR kind IN ('adjust', 'refund')",
                           name=op.f('ck_loyalty_entry_sign')),
        sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_loyalty_entry')),
        schema=S)
    op.create_index(op.f('ix_loyalty_entry_tenant_id_customer_id_created_at'), T,
                    ['tenant_id', 'customer_id', 'created_at'], unique=False, schema=S)
    op.create_index('uq_loyalty_entry_one_earn_per_sale', T, ['tenant_id', 'sale_id'],
                    unique=True, schema=S, postgresql_where=sa.text("kind = 'earn'"))
    op.create_index('uq_loyalty_entry_one_expiry_per_lot', T,
                    ['tenant_id', 'customer_id', 'lot_expiry'], unique=True, schema=S,
                    postgresql_where=sa.text("kind = 'expire'"))
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
    # Erasure (UU PDP): a terminal may blank an adjustment's reason, the only free text a
    # ledger row holds, and change nothing else (the points stay: they are the books').
    op.execute(f"GRANT UPDATE (reason) ON {S}.{T} TO {terminal}")
    op.execute(f"CREATE POLICY tenant_forget ON {S}.{T} FOR UPDATE TO {terminal} "
               f"USING ({TENANT}) WITH CHECK ({TENANT} AND reason IS NULL)")
    op.execute(f"CREATE TRIGGER log_change AFTER INSERT OR UPDATE OR DELETE ON {S}.{T} "
               f"FOR EACH ROW EXECUTE FUNCTION {S}.log_change('id')")
    op.execute(CONFLICT_VIEW)
    op.execute(f"GRANT SELECT ON {S}.loyalty_conflict TO {terminal}, {reader}")


def downgrade() -> None:
    op.execute(f"DROP VIEW IF EXISTS {S}.loyalty_conflict")
    op.execute(f"DROP TABLE IF EXISTS {S}.{T} CASCADE")

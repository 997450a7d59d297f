"""the owner's books at central: expenses, payables, periods, late postings

Revision ID: c0006
Revises: c0005
Create Date: 2026-12-07

Issue 14. Every journal entry of every till reaches central (the push), so the tenant's
statements are the sum of its tills'. This migration adds what the books need beyond the
journal:

- ``expense_category`` (tenant, code) -> expense account, upserted by the push from
  ``expense.recorded`` events (the catalogue's rules: terminals INSERT and UPDATE within
  their tenant);
- ``expense``, ``payable``, ``payable_payment``: history, like sales (a terminal INSERTs
  rows naming itself; nobody but the administrator updates or deletes);
- ``accounting_period`` (tenant, YYYY-MM): written by the administrator for the tenant's
  owner (``sync.central.admin.close_period``), read by the tenant's terminals and owner,
  and pulled down to the tills (a ``change_log`` trigger keyed by ``period``);
- ``journal_entry.received_at``: when central took the entry (rows already here get the
  time of this migration, before any period could be closed at central);
- view ``late_posting`` (``security_invoker``: the asker's row-level security applies):
  entries whose ``created_at`` falls in a period closed at central and that arrived after
  the close (a till's own closing entry for the period, kind ``period.close``, is not one).
  A late posting is booked, never refused (a till that was offline sells).

Row-level security is ENABLEd and FORCEd on every new table, each has its policies, and
every key names the tenant. No other table's grants or policies move.

A till whose software knows ``expense.recorded`` / ``payable.created`` / ``payable.paid``
and a central below c0006 do not break each other: the push keeps those events at central
unapplied (quarantined as ``schema_too_new``) and applies them once ``warungin central
init`` brought central here (``sync.push_rows.NEEDS_TABLE``).

Run under ``SET ROLE <prefix>_owner`` by ``sync.central.admin.init`` like c0001.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = 'c0006'
down_revision = 'c0005'
branch_labels = None
depends_on = None

S = "central"
TENANT = "tenant_id = (SELECT central.current_tenant())"
TERMINAL = "(SELECT central.current_terminal())"
HISTORY = ("expense", "payable", "payable_payment")
UPSERT = ("expense_category",)
READ_ONLY = ("accounting_period",)


def _roles() -> tuple[str, str]:
    prefix = op.get_bind().execute(sa.text(
        "SELECT role_prefix FROM central.installation")).scalar_one()
    return f'"{prefix}_terminal"', f'"{prefix}_reader"'


def _uuid(name: str, nullable: bool = False) -> sa.Column[str]:
    return sa.Column(name, sa.UUID(as_uuid=False), nullable=nullable)


def _ts(name: str, nullable: bool = False, now: bool = False) -> sa.Column[object]:
    return sa.Column(name, postgresql.TIMESTAMP(timezone=True), nullable=nullable,
                     server_default=sa.text('now()') if now else None)


def _tables() -> None:
    op.create_table(
        'expense_category',
        _uuid('tenant_id'),
        sa.Column('code', sa.Text(), nullable=False),
        sa.Column('name', sa.Text(), nullable=False),
        sa.Column('account_code', sa.Text(), nullable=False),
        sa.Column('active', sa.Boolean(), server_default=sa.text('true'), nullable=False),
        _ts('updated_at', now=True),
        sa.PrimaryKeyConstraint('tenant_id', 'code', name=op.f('pk_expense_category')),
        schema=S)
    op.create_table(
        'payable',
        _uuid('tenant_id'), _uuid('id'), _uuid('terminal_id'), _uuid('store_id'),
        sa.Column('supplier', sa.Text(), nullable=False),
        sa.Column('source', sa.Text(), nullable=False),
        sa.Column('source_id', sa.Text(), nullable=True),
        sa.Column('amount', sa.BigInteger(), nullable=False),
        sa.Column('due_date', sa.Text(), nullable=True),
        sa.Column('note', sa.Text(), nullable=True),
        _uuid('user_id', nullable=True),
        _ts('created_at'),
        sa.CheckConstraint('amount > 0', name=op.f('ck_payable_amount_positive')),
        sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_payable')),
        schema=S)
    op.create_index(op.f('ix_payable_tenant_id_created_at'), 'payable',
                    ['tenant_id', 'created_at'], unique=False, schema=S)
    op.create_table(
        'expense',
        _uuid('tenant_id'), _uuid('id'), _uuid('terminal_id'), _uuid('store_id'),
        sa.Column('category_code', sa.Text(), nullable=False),
        sa.Column('payee', sa.Text(), nullable=False),
        sa.Column('amount', sa.BigInteger(), nullable=False),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('paid_from', sa.Text(), nullable=False),
        _uuid('shift_id', nullable=True), _uuid('payable_id', nullable=True),
        _uuid('entry_id'),
        sa.Column('spent_on', sa.Text(), nullable=False),
        _uuid('user_id', nullable=True),
        _ts('created_at'),
        sa.CheckConstraint('amount > 0', name=op.f('ck_expense_amount_positive')),
        sa.CheckConstraint("paid_from IN ('drawer', 'bank', 'owed')",
                           name=op.f('ck_expense_known_source')),
        sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_expense')),
        schema=S)
    op.create_index(op.f('ix_expense_tenant_id_created_at'), 'expense',
                    ['tenant_id', 'created_at'], unique=False, schema=S)
    op.create_table(
        'payable_payment',
        _uuid('tenant_id'), _uuid('id'), _uuid('terminal_id'), _uuid('store_id'),
        _uuid('payable_id'),
        sa.Column('amount', sa.BigInteger(), nullable=False),
        sa.Column('paid_from', sa.Text(), nullable=False),
        _uuid('shift_id', nullable=True), _uuid('entry_id'), _uuid('user_id', nullable=True),
        _ts('created_at'),
        sa.CheckConstraint('amount > 0', name=op.f('ck_payable_payment_amount_positive')),
        sa.CheckConstraint("paid_from IN ('drawer', 'bank')",
                           name=op.f('ck_payable_payment_known_source')),
        sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_payable_payment')),
        schema=S)
    op.create_index(op.f('ix_payable_payment_tenant_id_payable_id'), 'payable_payment',
                    ['tenant_id', 'payable_id'], unique=False, schema=S)
    op.create_table(
        'accounting_period',
        _uuid('tenant_id'),
        sa.Column('period', sa.Text(), nullable=False),
        _ts('starts_at'), _ts('ends_at'),
        sa.Column('state', sa.Text(), nullable=False),
        _uuid('closing_entry_id', nullable=True),
        _ts('closed_at', nullable=True),
        sa.Column('closed_by', sa.Text(), nullable=True),
        _ts('ppn_filed_at', nullable=True),
        sa.Column('note', sa.Text(), nullable=True),
        _ts('updated_at', now=True),
        sa.CheckConstraint("state IN ('open', 'soft', 'hard')",
                           name=op.f('ck_accounting_period_known_state')),
        sa.CheckConstraint('starts_at < ends_at', name=op.f('ck_accounting_period_has_length')),
        sa.CheckConstraint("period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'",
                           name=op.f('ck_accounting_period_month')),
        sa.PrimaryKeyConstraint('tenant_id', 'period', name=op.f('pk_accounting_period')),
        schema=S)
    op.add_column('journal_entry', _ts('received_at', now=True), schema=S)
    op.create_index(op.f('ix_journal_entry_tenant_id_created_at'), 'journal_entry',
                    ['tenant_id', 'created_at'], unique=False, schema=S)


def _security() -> None:
    terminal, reader = _roles()
    for t in (*HISTORY, *UPSERT, *READ_ONLY):
        op.execute(f"ALTER TABLE {S}.{t} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {S}.{t} FORCE ROW LEVEL SECURITY")
        op.execute(f"REVOKE ALL ON {S}.{t} FROM PUBLIC")
        op.execute(f"GRANT SELECT ON {S}.{t} TO {terminal}, {reader}")
        op.execute(f"CREATE POLICY tenant_read ON {S}.{t} FOR SELECT TO {terminal}, {reader} "
                   f"USING ({TENANT})")
    for t in HISTORY:
        op.execute(f"GRANT INSERT ON {S}.{t} TO {terminal}")
        op.execute(f"CREATE POLICY own_terminal_insert ON {S}.{t} FOR INSERT TO {terminal} "
                   f"WITH CHECK ({TENANT} AND terminal_id = {TERMINAL})")
    for t in UPSERT:
        op.execute(f"GRANT INSERT, UPDATE ON {S}.{t} TO {terminal}")
        op.execute(f"CREATE POLICY tenant_insert ON {S}.{t} FOR INSERT TO {terminal} "
                   f"WITH CHECK ({TENANT})")
        op.execute(f"CREATE POLICY tenant_update ON {S}.{t} FOR UPDATE TO {terminal} "
                   f"USING ({TENANT}) WITH CHECK ({TENANT})")
    op.execute(f"CREATE TRIGGER log_change AFTER INSERT OR UPDATE OR DELETE ON "
               f"{S}.accounting_period FOR EACH ROW EXECUTE FUNCTION {S}.log_change('period')")
    op.execute(
        f"CREATE VIEW {S}.late_posting WITH (security_invoker = true) AS "
        "SELECT e.tenant_id, e.id AS entry_id, e.terminal_id, e.store_id, e.kind, e.ref_id, "
        "e.memo, e.created_at, e.received_at, p.period, p.state, p.closed_at "
        f"FROM {S}.journal_entry e JOIN {S}.accounting_period p "
        "ON p.tenant_id = e.tenant_id AND e.created_at >= p.starts_at "
        "AND e.created_at < p.ends_at "
        "WHERE p.state <> 'open' AND p.closed_at IS NOT NULL AND e.received_at > p.closed_at "
        "AND e.kind <> 'period.close'")
    op.execute(f"GRANT SELECT ON {S}.late_posting TO {terminal}, {reader}")


def upgrade() -> None:
    _tables()
    _security()


def downgrade() -> None:
    op.execute(f"DROP VIEW IF EXISTS {S}.late_posting")
    op.drop_index(op.f('ix_journal_entry_tenant_id_created_at'), 'journal_entry', schema=S)
    op.drop_column('journal_entry', 'received_at', schema=S)
    for t in ("accounting_period", "payable_payment", "expense", "payable",
              "expense_category"):
        op.execute(f"DROP TABLE IF EXISTS {S}.{t} CASCADE")

"""loyalty points ledger and tiers (issue 15)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07

``loyalty_entry``: the points ledger (earn, redeem, expire, adjust, refund); a UNIQUE partial
index allows one earn row per sale and one expire row per customer and lapse moment.
``loyalty_tier``: each member's current tier. Account 6-5000 "Beban program loyalitas":
what points paid at the till cost the shop (see services/loyalty.py for the books).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

ACCOUNTS = [("6-5000", "Beban program loyalitas (loyalty points redeemed)", "expense")]


def upgrade() -> None:
    op.create_table(
        'loyalty_entry',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('customer_id', sa.String(length=36), nullable=False),
        sa.Column('kind', sa.String(length=8), nullable=False),
        sa.Column('points', sa.BigInteger(), nullable=False),
        sa.Column('spend', sa.BigInteger(), nullable=False),
        sa.Column('value', sa.BigInteger(), nullable=False),
        sa.Column('sale_id', sa.String(length=36), nullable=True),
        sa.Column('refund_id', sa.String(length=36), nullable=True),
        sa.Column('expires_at', sa.String(length=32), nullable=True),
        sa.Column('lot_expiry', sa.String(length=32), nullable=True),
        sa.Column('terminal_id', sa.String(length=36), nullable=False),
        sa.Column('user_id', sa.String(length=36), nullable=True),
        sa.Column('approver_id', sa.String(length=36), nullable=True),
        sa.Column('reason', sa.String(length=200), nullable=True),
        sa.Column('created_at', sa.String(length=32), nullable=False),
        sa.CheckConstraint("kind IN ('earn','redeem','expire','adjust','refund')",
                           name='known_loyalty_kind'),
        sa.CheckConstraint("(kind = 'earn' AND points >= 0) OR (kind IN ('redeem','expire') "
                           "AND points < 0) OR kind IN ('adjust','refund')",
                           name='loyalty_sign'),
        sa.CheckConstraint("kind != 'adjust' OR approver_id IS NOT NULL",
                           name='adjust_approved'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('loyalty_entry', schema=None) as batch_op:
        batch_op.create_index('ix_loyalty_entry_customer_id', ['customer_id'], unique=False)
        batch_op.create_index('ix_loyalty_entry_sale_id', ['sale_id'], unique=False)
        batch_op.create_index('ix_loyalty_entry_created_at', ['created_at'], unique=False)
        batch_op.create_index('loyalty_one_earn_per_sale', ['sale_id'], unique=True,
                              sqlite_where=sa.text("kind = 'earn'"))
        batch_op.create_index('loyalty_one_expiry_per_lot', ['customer_id', 'lot_expiry'],
                              unique=True, sqlite_where=sa.text("kind = 'expire'"))
    op.create_table(
        'loyalty_tier',
        sa.Column('customer_id', sa.String(length=36), nullable=False),
        sa.Column('tier', sa.String(length=24), nullable=False),
        sa.Column('measure', sa.BigInteger(), nullable=False),
        sa.Column('since', sa.String(length=32), nullable=False),
        sa.Column('updated_at', sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint('customer_id'),
    )
    account = sa.table("account", sa.column("code"), sa.column("name"), sa.column("type"))
    op.bulk_insert(account, [{"code": c, "name": n, "type": t} for c, n, t in ACCOUNTS])


def downgrade() -> None:
    op.execute("DELETE FROM account WHERE code IN ("
               + ",".join(f"'{c}'" for c, _, _ in ACCOUNTS) + ")")
    op.drop_table('loyalty_tier')
    with op.batch_alter_table('loyalty_entry', schema=None) as batch_op:
        batch_op.drop_index('loyalty_one_expiry_per_lot')
        batch_op.drop_index('loyalty_one_earn_per_sale')
        batch_op.drop_index('ix_loyalty_entry_created_at')
        batch_op.drop_index('ix_loyalty_entry_sale_id')
        batch_op.drop_index('ix_loyalty_entry_customer_id')
    op.drop_table('loyalty_entry')

"""engagement segments, campaigns, promo codes, attribution (issue 15)

Revision ID: 0006
Revises: 0005
RFM segments per customer (the nightly job's cache), campaigns with their audience members
and holdout arm, promo codes and the sales that used them (a trigger holds each code's
per-customer limit). Opt-outs are services.consents' consent events
(migration 0008).

Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

SEGMENTS = ("juara", "setia", "baru", "perlu_perhatian", "berisiko", "hilang",
            "belum_belanja")
CHANNELS = ("email", "sms", "whatsapp", "push")
STATUSES = ("draft", "scheduled", "sent", "cancelled")

#: A code's per-customer limit, held by the database whatever path writes the use.
PROMO_LIMIT = """CREATE TRIGGER promo_redemption_limit BEFORE INSERT ON promo_redemption
WHEN (SELECT COUNT(*) FROM promo_redemption r
      WHERE r.promo_code_id = NEW.promo_code_id AND r.customer_id = NEW.customer_id)
     >= (SELECT p.per_customer_limit FROM promo_code p WHERE p.id = NEW.promo_code_id)
BEGIN SELECT RAISE(ABORT, 'promo code used up for this customer'); END"""


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ('" + "','".join(values) + "')"


def upgrade() -> None:
    op.create_table(
        'customer_segment',
        sa.Column('customer_id', sa.String(length=36), nullable=False),
        sa.Column('segment', sa.String(length=24), nullable=False),
        sa.Column('r', sa.Integer(), nullable=False),
        sa.Column('f', sa.Integer(), nullable=False),
        sa.Column('m', sa.Integer(), nullable=False),
        sa.Column('recency_days', sa.Integer(), nullable=True),
        sa.Column('purchases', sa.Integer(), nullable=False),
        sa.Column('spend', sa.BigInteger(), nullable=False),
        sa.Column('first_purchase_at', sa.String(length=32), nullable=True),
        sa.Column('last_purchase_at', sa.String(length=32), nullable=True),
        sa.Column('computed_at', sa.String(length=32), nullable=False),
        sa.CheckConstraint(_in("segment", SEGMENTS), name='known_segment'),
        sa.CheckConstraint("r BETWEEN 0 AND 3 AND f BETWEEN 0 AND 3 AND m BETWEEN 0 AND 3",
                           name='rfm_scores'),
        sa.ForeignKeyConstraint(['customer_id'], ['customer.id']),
        sa.PrimaryKeyConstraint('customer_id'))
    op.create_index('ix_customer_segment_segment', 'customer_segment', ['segment'])
    op.create_table(
        'campaign',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('channel', sa.String(length=12), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('audience', sa.Text(), nullable=False),
        sa.Column('message_text', sa.Text(), nullable=False),
        sa.Column('locale', sa.String(length=5), nullable=False),
        sa.Column('cost', sa.BigInteger(), nullable=False),
        sa.Column('holdout_share', sa.String(length=8), nullable=False),
        sa.Column('seed', sa.BigInteger(), nullable=False),
        sa.Column('scheduled_at', sa.String(length=32), nullable=True),
        sa.Column('sent_at', sa.String(length=32), nullable=True),
        sa.Column('bulk_id', sa.String(length=40), nullable=False),
        sa.Column('audience_size', sa.Integer(), nullable=True),
        sa.Column('send_size', sa.Integer(), nullable=True),
        sa.Column('holdout_size', sa.Integer(), nullable=True),
        sa.Column('excluded_no_consent', sa.Integer(), nullable=True),
        sa.Column('excluded_opted_out', sa.Integer(), nullable=True),
        sa.Column('excluded_no_address', sa.Integer(), nullable=True),
        sa.Column('created_by', sa.String(length=36), nullable=False),
        sa.Column('created_at', sa.String(length=32), nullable=False),
        sa.Column('updated_at', sa.String(length=32), nullable=False),
        sa.CheckConstraint(_in("channel", CHANNELS), name='known_campaign_channel'),
        sa.CheckConstraint(_in("status", STATUSES), name='known_campaign_status'),
        sa.CheckConstraint('cost >= 0', name='campaign_cost_not_negative'),
        sa.ForeignKeyConstraint(['created_by'], ['user.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('bulk_id'))
    op.create_index('ix_campaign_scheduled_at', 'campaign', ['scheduled_at'])
    op.create_table(
        'campaign_recipient',
        sa.Column('campaign_id', sa.String(length=36), nullable=False),
        sa.Column('customer_id', sa.String(length=36), nullable=False),
        sa.Column('arm', sa.String(length=8), nullable=False),
        sa.Column('draw', sa.Integer(), nullable=False),
        sa.CheckConstraint("arm IN ('send','holdout')", name='known_campaign_arm'),
        sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id']),
        sa.ForeignKeyConstraint(['customer_id'], ['customer.id']),
        sa.PrimaryKeyConstraint('campaign_id', 'customer_id'))
    op.create_index('ix_campaign_recipient_customer_id', 'campaign_recipient',
                    ['customer_id'])
    op.create_table(
        'promo_code',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('code', sa.String(length=24), nullable=False),
        sa.Column('campaign_id', sa.String(length=36), nullable=True),
        sa.Column('percent', sa.String(length=8), nullable=True),
        sa.Column('amount', sa.BigInteger(), nullable=True),
        sa.Column('min_spend', sa.BigInteger(), nullable=False),
        sa.Column('valid_from', sa.String(length=32), nullable=False),
        sa.Column('valid_until', sa.String(length=32), nullable=False),
        sa.Column('per_customer_limit', sa.Integer(), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('created_by', sa.String(length=36), nullable=False),
        sa.Column('created_at', sa.String(length=32), nullable=False),
        sa.CheckConstraint('(percent IS NULL) != (amount IS NULL)', name='promo_one_kind'),
        sa.CheckConstraint('amount IS NULL OR amount > 0', name='promo_amount_positive'),
        sa.CheckConstraint('per_customer_limit >= 1', name='promo_limit_positive'),
        sa.CheckConstraint('valid_from < valid_until', name='promo_has_validity'),
        sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id']),
        sa.ForeignKeyConstraint(['created_by'], ['user.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('campaign_id'),
        sa.UniqueConstraint('code'))
    op.create_table(
        'promo_redemption',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('promo_code_id', sa.String(length=36), nullable=False),
        sa.Column('sale_id', sa.String(length=36), nullable=False),
        sa.Column('customer_id', sa.String(length=36), nullable=False),
        sa.Column('discount', sa.BigInteger(), nullable=False),
        sa.Column('created_at', sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(['promo_code_id'], ['promo_code.id']),
        sa.ForeignKeyConstraint(['sale_id'], ['sale.id']),
        sa.ForeignKeyConstraint(['customer_id'], ['customer.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('sale_id'))
    op.create_index('promo_redemption_per_customer', 'promo_redemption',
                    ['promo_code_id', 'customer_id'])
    op.execute(PROMO_LIMIT)


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS promo_redemption_limit")
    op.drop_table('promo_redemption')
    op.drop_table('promo_code')
    op.drop_table('campaign_recipient')
    op.drop_table('campaign')
    op.drop_table('customer_segment')

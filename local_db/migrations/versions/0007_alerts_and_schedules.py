"""stock alerts, reorder settings, scheduled emails and their log (issue 15)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07

- ``stock_alert``: one row per crossing of a product's level to at or below its threshold
  (``product.low_stock_milli``), kept by triggers so that every path that changes stock
  (sale, refund, void, goods received, adjustment, count: all update the ``stock_level``
  cache) arms and fires alerts in its own transaction, with no edit to those use cases and
  one indexed lookup per changed line on the sale path. A partial UNIQUE index keeps at
  most one open alert per product: the alert is re-armed only when the level rises above
  the threshold again. Products already low when this migration runs get an open alert
  marked as notified (known), so upgrading sends no flood of old news.
- ``reorder_setting`` (per product) and ``supplier_terms`` (lead time per supplier).
- ``email_log``: the scheduled emails (daily summary) with UNIQUE(kind, store, day,
  recipient) written in the transaction that queues the message.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

#: SQLite's clock as the shop's stamps are written (UTC, ISO-8601 with an offset).
NOW = "(strftime('%Y-%m-%dT%H:%M:%f', 'now') || '+00:00')"

FIRE = f"""CREATE TRIGGER stock_alert_fire AFTER UPDATE OF qty_milli ON stock_level
WHEN NEW.qty_milli < OLD.qty_milli
BEGIN
    INSERT OR IGNORE INTO stock_alert (product_id, threshold_milli, level_milli, fired_at)
    SELECT p.id, p.low_stock_milli, NEW.qty_milli, {NOW}
    FROM product p
    WHERE p.id = NEW.product_id AND p.low_stock_milli > 0 AND p.tracks_stock AND p.active
      AND NEW.qty_milli <= p.low_stock_milli;
END"""

REARM = f"""CREATE TRIGGER stock_alert_rearm AFTER UPDATE OF qty_milli ON stock_level
WHEN NEW.qty_milli > OLD.qty_milli
BEGIN
    UPDATE stock_alert SET rearmed_at = {NOW}
    WHERE product_id = NEW.product_id AND rearmed_at IS NULL
      AND NEW.qty_milli > (SELECT low_stock_milli FROM product WHERE id = NEW.product_id);
END"""

# A threshold edit (or a product switched off) is judged like a level change: the level
# now at or below a new threshold fires; above it, or no threshold, re-arms.
THRESHOLD = f"""CREATE TRIGGER stock_alert_threshold
AFTER UPDATE OF low_stock_milli, active, tracks_stock ON product
WHEN NEW.low_stock_milli IS NOT OLD.low_stock_milli OR NEW.active IS NOT OLD.active
     OR NEW.tracks_stock IS NOT OLD.tracks_stock
BEGIN
    UPDATE stock_alert SET rearmed_at = {NOW}
    WHERE product_id = NEW.id AND rearmed_at IS NULL
      AND (NEW.low_stock_milli <= 0 OR NOT NEW.active OR NOT NEW.tracks_stock
           OR COALESCE((SELECT qty_milli FROM stock_level WHERE product_id = NEW.id), 0)
              > NEW.low_stock_milli);
    INSERT OR IGNORE INTO stock_alert (product_id, threshold_milli, level_milli, fired_at)
    SELECT NEW.id, NEW.low_stock_milli, l.qty_milli, {NOW}
    FROM stock_level l
    WHERE l.product_id = NEW.id AND NEW.low_stock_milli > 0 AND NEW.active
      AND NEW.tracks_stock AND l.qty_milli <= NEW.low_stock_milli;
END"""

KNOWN = f"""INSERT INTO stock_alert (product_id, threshold_milli, level_milli, fired_at,
                                  notified_at, digest_id)
SELECT p.id, p.low_stock_milli, l.qty_milli, {NOW}, {NOW}, 'migration-0007'
FROM product p JOIN stock_level l ON l.product_id = p.id
WHERE p.low_stock_milli > 0 AND p.tracks_stock AND p.active
  AND l.qty_milli <= p.low_stock_milli"""

TRIGGERS = ("stock_alert_fire", "stock_alert_rearm", "stock_alert_threshold")


def upgrade() -> None:
    op.create_table(
        'stock_alert',
        sa.Column('id', sa.Integer(), nullable=False, autoincrement=True),
        sa.Column('product_id', sa.String(length=36), nullable=False),
        sa.Column('threshold_milli', sa.BigInteger(), nullable=False),
        sa.Column('level_milli', sa.BigInteger(), nullable=False),
        sa.Column('fired_at', sa.String(length=32), nullable=False),
        sa.Column('rearmed_at', sa.String(length=32), nullable=True),
        sa.Column('notified_at', sa.String(length=32), nullable=True),
        sa.Column('digest_id', sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(['product_id'], ['product.id']),
        sa.PrimaryKeyConstraint('id'))
    op.create_index('stock_alert_one_open', 'stock_alert', ['product_id'], unique=True,
                    sqlite_where=sa.text('rearmed_at IS NULL'))
    op.create_index('stock_alert_product', 'stock_alert', ['product_id', 'fired_at'])
    op.create_table(
        'reorder_setting',
        sa.Column('product_id', sa.String(length=36), nullable=False),
        sa.Column('supplier', sa.String(length=120), nullable=True),
        sa.Column('lead_days', sa.Integer(), nullable=True),
        sa.Column('pack_milli', sa.BigInteger(), nullable=True),
        sa.Column('safety_milli', sa.BigInteger(), nullable=True),
        sa.Column('updated_at', sa.String(length=32), nullable=False),
        sa.CheckConstraint('lead_days IS NULL OR lead_days BETWEEN 0 AND 365',
                           name='reorder_lead_days_range'),
        sa.CheckConstraint('pack_milli IS NULL OR pack_milli > 0',
                           name='reorder_pack_positive'),
        sa.CheckConstraint('safety_milli IS NULL OR safety_milli >= 0',
                           name='reorder_safety_not_negative'),
        sa.ForeignKeyConstraint(['product_id'], ['product.id']),
        sa.PrimaryKeyConstraint('product_id'))
    op.create_table(
        'supplier_terms',
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('lead_days', sa.Integer(), nullable=False),
        sa.Column('updated_at', sa.String(length=32), nullable=False),
        sa.CheckConstraint('lead_days BETWEEN 0 AND 365', name='supplier_lead_days_range'),
        sa.PrimaryKeyConstraint('name'))
    op.create_table(
        'email_log',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('kind', sa.String(length=24), nullable=False),
        sa.Column('store_id', sa.String(length=36), nullable=False),
        sa.Column('day', sa.String(length=10), nullable=False),
        sa.Column('recipient_key', sa.String(length=64), nullable=False),
        sa.Column('recipient_hint', sa.String(length=80), nullable=False),
        sa.Column('scheduled_for', sa.String(length=32), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('reason', sa.Text(), nullable=True),
        sa.Column('message_id', sa.String(length=36), nullable=True),
        sa.Column('claimed_by', sa.String(length=36), nullable=True),
        sa.Column('created_at', sa.String(length=32), nullable=False),
        sa.Column('updated_at', sa.String(length=32), nullable=False),
        sa.CheckConstraint("status IN ('queued','skipped','failed')",
                           name='known_email_log_status'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('kind', 'store_id', 'day', 'recipient_key',
                            name='email_log_one_per_day'))
    op.create_index(op.f('ix_email_log_created_at'), 'email_log', ['created_at'])
    op.execute(KNOWN)
    for ddl in (FIRE, REARM, THRESHOLD):
        op.execute(ddl)


def downgrade() -> None:
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_index(op.f('ix_email_log_created_at'), table_name='email_log')
    op.drop_table('email_log')
    op.drop_table('supplier_terms')
    op.drop_table('reorder_setting')
    op.drop_index('stock_alert_product', table_name='stock_alert')
    op.drop_index('stock_alert_one_open', table_name='stock_alert')
    op.drop_table('stock_alert')

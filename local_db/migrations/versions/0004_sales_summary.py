"""per-day sales summary for analytics (issue 14) — owned by the analytics work

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07

Summaries of sales by local day and hour, by product (day and month), customer and
cashier, kept by triggers in the sale's own transaction, with the one-row state that
holds the store's zone offset. The statements live in ``local_db.sales_summary`` (one text
for the migration, the rebuild and the drift check); the first build from the rows
already in the file runs here, before the triggers exist.
"""

from __future__ import annotations

from alembic import op

from local_db import sales_summary

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    sales_summary.create(op.get_bind())


def downgrade() -> None:
    sales_summary.drop(op.get_bind())

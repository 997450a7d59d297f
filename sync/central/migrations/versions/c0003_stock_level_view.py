"""stock levels at central, with negative stock flagged

Revision ID: c0003
Revises: c0002
Create Date: 2026-11-26

``central.stock_level``: per tenant, store and product, the level derived from the
append-only movements (as on the till: levels are derived, never stored), and
``negative`` when it is below zero — an offline sale is never refused for stock, so central
is where an owner sees which goods went below zero across the store's terminals. A view
with ``security_invoker``: it reads ``stock_movement`` with the rights and row-level
security of whoever asks, so a terminal or a tenant's owner sees its own tenant only.

Run under ``SET ROLE <prefix>_owner`` by ``sync.central.admin.init`` like c0001.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'c0003'
down_revision = 'c0002'
branch_labels = None
depends_on = None


def _roles() -> tuple[str, str]:
    prefix = op.get_bind().execute(sa.text(
        "SELECT role_prefix FROM central.installation")).scalar_one()
    return f'"{prefix}_terminal"', f'"{prefix}_reader"'


def upgrade() -> None:
    terminal, reader = _roles()
    op.execute(
        "CREATE VIEW central.stock_level WITH (security_invoker = true) AS "
        "SELECT tenant_id, store_id, product_id, sum(qty_milli)::bigint AS qty_milli, "
        "sum(qty_milli) < 0 AS negative, count(*) AS movements "
        "FROM central.stock_movement GROUP BY tenant_id, store_id, product_id")
    op.execute(f"GRANT SELECT ON central.stock_level TO {terminal}, {reader}")


def downgrade() -> None:
    op.execute("DROP VIEW IF EXISTS central.stock_level")

"""one daily summary per store, day and recipient across tills (issue 15)

Revision ID: c0009
Revises: c0008
Create Date: 2026-12-07

Run under ``SET ROLE <prefix>_owner`` by ``sync.central.admin.init`` like c0001.
"""

from __future__ import annotations

revision = 'c0009'
down_revision = 'c0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass

"""consent log and erasure tombstones (issue 15)

Revision ID: c0010
Revises: c0009
Create Date: 2026-12-07

Run under ``SET ROLE <prefix>_owner`` by ``sync.central.admin.init`` like c0001.
"""

from __future__ import annotations

revision = 'c0010'
down_revision = 'c0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass

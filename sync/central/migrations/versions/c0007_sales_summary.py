"""per-day sales summary for the tenant's analytics (issue 14)

Revision ID: c0007
Revises: c0006
Create Date: 2026-12-07

Run under ``SET ROLE <prefix>_owner`` by ``sync.central.admin.init`` like c0001.
"""

from __future__ import annotations

revision = 'c0007'
down_revision = 'c0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass

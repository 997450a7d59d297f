"""the tenant's loyalty points ledger and redemption conflicts (issue 15)

Revision ID: c0008
Revises: c0007
Create Date: 2026-12-07

Run under ``SET ROLE <prefix>_owner`` by ``sync.central.admin.init`` like c0001.
"""

from __future__ import annotations

revision = 'c0008'
down_revision = 'c0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass

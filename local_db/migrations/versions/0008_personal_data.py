"""customer data rights: consent log, erasure tombstones (issue 15)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07

- ``consent_event``: every change of a customer's marketing consent, with its time, source
  and who (a user id, or ``customer``);
- ``customer_tombstone``: customers erased here or at central;
- triggers: an erased customer is never un-erased nor given personal data again (whatever
  code path tries: an old pull, a restored backup replaying an edit), and no customer row
  is made for a tombstoned id;
- ``outbox_content_frozen`` is made again with one exception: the payload of a
  ``customer.upserted`` event of a tombstoned customer may be replaced (the erasure
  redacts it), every other column of every event stays frozen.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

SOURCES = ("till", "cli", "office", "unsubscribe", "stop", "import", "erasure")

FROZEN_0001 = """CREATE TRIGGER outbox_content_frozen BEFORE UPDATE OF seq, id, type, schema_version,
       payload, aggregate_id, created_at ON outbox
       BEGIN SELECT RAISE(ABORT, 'outbox events are immutable'); END"""

FROZEN_EXCEPT_ERASED = """CREATE TRIGGER outbox_content_frozen BEFORE UPDATE OF seq, id, type,
       schema_version, payload, aggregate_id, created_at ON outbox
       WHEN NOT (OLD.type = 'customer.upserted' AND NEW.type = OLD.type
                 AND NEW.seq = OLD.seq AND NEW.id = OLD.id
                 AND NEW.schema_version = OLD.schema_version
                 AND NEW.aggregate_id IS OLD.aggregate_id
                 AND NEW.created_at = OLD.created_at
                 AND EXISTS (SELECT 1 FROM customer_tombstone t
                             WHERE t.customer_id = OLD.aggregate_id))
       BEGIN SELECT RAISE(ABORT, 'outbox events are immutable'); END"""

TRIGGERS = [
    """CREATE TRIGGER customer_stays_erased BEFORE UPDATE ON customer
       WHEN OLD.erased_at IS NOT NULL AND (NEW.erased_at IS NULL OR NEW.phone_enc IS NOT NULL
            OR NEW.email_enc IS NOT NULL OR NEW.address_enc IS NOT NULL
            OR NEW.phone_index IS NOT NULL OR NEW.name != OLD.name)
       BEGIN SELECT RAISE(ABORT, 'customer erased: personal data cannot come back'); END""",
    """CREATE TRIGGER customer_tombstoned BEFORE INSERT ON customer
       WHEN EXISTS (SELECT 1 FROM customer_tombstone t WHERE t.customer_id = NEW.id)
       BEGIN SELECT RAISE(ABORT, 'customer erased: personal data cannot come back'); END""",
]
TRIGGER_NAMES = ("customer_stays_erased", "customer_tombstoned")


def upgrade() -> None:
    op.create_table(
        'consent_event',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('customer_id', sa.String(length=36), nullable=False),
        sa.Column('granted', sa.Boolean(), nullable=False),
        sa.Column('source', sa.String(length=12), nullable=False),
        sa.Column('actor', sa.String(length=40), nullable=False),
        sa.Column('created_at', sa.String(length=32), nullable=False),
        sa.CheckConstraint("source IN ('" + "','".join(SOURCES) + "')",
                           name='known_consent_source'),
        sa.PrimaryKeyConstraint('id'))
    with op.batch_alter_table('consent_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consent_event_customer_id'), ['customer_id'],
                              unique=False)
    op.create_table(
        'customer_tombstone',
        sa.Column('customer_id', sa.String(length=36), nullable=False),
        sa.Column('erased_at', sa.String(length=32), nullable=False),
        sa.Column('origin', sa.String(length=8), nullable=False),
        sa.Column('recorded_at', sa.String(length=32), nullable=False),
        sa.CheckConstraint("origin IN ('local','central')", name='known_tombstone_origin'),
        sa.PrimaryKeyConstraint('customer_id'))
    # Customers erased before this migration get their tombstone now.
    op.execute("INSERT INTO customer_tombstone (customer_id, erased_at, origin, recorded_at) "
               "SELECT id, erased_at, 'local', erased_at FROM customer "
               "WHERE erased_at IS NOT NULL")
    for statement in TRIGGERS:
        op.execute(statement)
    op.execute("DROP TRIGGER IF EXISTS outbox_content_frozen")
    op.execute(FROZEN_EXCEPT_ERASED)


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS outbox_content_frozen")
    op.execute(FROZEN_0001)
    for name in TRIGGER_NAMES:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table('customer_tombstone')
    with op.batch_alter_table('consent_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consent_event_customer_id'))
    op.drop_table('consent_event')

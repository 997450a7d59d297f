"""consent log and erasure tombstones (issue 15)

Revision ID: c0010
Revises: c0009
Create Date: 2026-12-07

- ``customer_tombstone`` (tenant, customer): written by the push from ``customer.erased``;
  a terminal INSERTs rows naming itself and reads its tenant's, nobody updates or deletes;
- ``consent_event``: consent history, like sales (own-terminal INSERT, tenant SELECT);
- trigger ``customer_guard`` (BEFORE INSERT OR UPDATE on ``customer``): a tombstoned
  customer is forced to the erased shape whatever writes it, and ``consent_marketing``
  follows the customer's latest consent event (a stale edit never re-grants consent);
- trigger ``redact_erased`` (BEFORE INSERT on ``event``): a ``customer.upserted`` event of
  a tombstoned customer is stored as ``{"erased": true, "id": ...}``;
- a terminal may UPDATE ``event.payload`` only to redact, in the same way, an earlier
  ``customer.upserted`` event of a tombstoned customer of its tenant (policy
  ``erased_customer_redact``); every other column of ``event`` stays INSERT-only.

Row-level security is ENABLEd and FORCEd on both new tables, each with its policies; every
key names the tenant. A till whose software knows ``customer.consent`` and a central below
c0010 do not break each other (``sync.push_rows.NEEDS_TABLE``).

Run under ``SET ROLE <prefix>_owner`` by ``sync.central.admin.init`` like c0001.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = 'c0010'
down_revision = 'c0009'
branch_labels = None
depends_on = None

S = "central"
TENANT = "tenant_id = (SELECT central.current_tenant())"
TERMINAL = "(SELECT central.current_terminal())"
NEW_TABLES = ("customer_tombstone", "consent_event")
TOMBSTONED = (f"EXISTS (SELECT 1 FROM {S}.customer_tombstone t "
              "WHERE t.tenant_id = event.tenant_id AND t.customer_id::text = event.payload ->> 'id')")

FUNCTIONS = f"""
-- Invoker's rights: the writer's own row-level security shows it its tenant's tombstones and
-- consent events, which is all the guard needs.
CREATE FUNCTION {S}.customer_guard() RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog
AS $$
DECLARE
  gone timestamptz;
  latest boolean;
BEGIN
  SELECT t.erased_at INTO gone FROM {S}.customer_tombstone t
   WHERE t.tenant_id = NEW.tenant_id AND t.customer_id = NEW.id;
  IF FOUND THEN
    NEW.name_enc := NULL; NEW.phone_enc := NULL; NEW.phone_index := NULL;
    NEW.email_enc := NULL; NEW.address_enc := NULL; NEW.key_id := NULL;
    NEW.consent_marketing := false; NEW.credit_limit := 0;
    NEW.erased_at := coalesce(NEW.erased_at, gone);
    IF TG_OP = 'UPDATE' AND OLD.erased_at IS NOT NULL THEN
      NEW.erased_at := OLD.erased_at; NEW.updated_at := OLD.updated_at;
    END IF;
    RETURN NEW;
  END IF;
  SELECT e.granted INTO latest FROM {S}.consent_event e
   WHERE e.tenant_id = NEW.tenant_id AND e.customer_id = NEW.id
   ORDER BY e.created_at DESC, e.id DESC LIMIT 1;
  IF FOUND THEN
    NEW.consent_marketing := latest;
  END IF;
  RETURN NEW;
END $$;

CREATE FUNCTION {S}.redact_erased_event() RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog
AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM {S}.customer_tombstone t WHERE t.tenant_id = NEW.tenant_id
             AND t.customer_id::text = NEW.payload ->> 'id') THEN
    NEW.payload := jsonb_build_object('erased', true, 'id', NEW.payload ->> 'id');
  END IF;
  RETURN NEW;
END $$;
"""


def _roles() -> tuple[str, str]:
    prefix = op.get_bind().execute(sa.text(
        "SELECT role_prefix FROM central.installation")).scalar_one()
    return f'"{prefix}_terminal"', f'"{prefix}_reader"'


def _uuid(name: str, nullable: bool = False) -> sa.Column[str]:
    return sa.Column(name, sa.UUID(as_uuid=False), nullable=nullable)


def _ts(name: str, nullable: bool = False, now: bool = False) -> sa.Column[object]:
    return sa.Column(name, postgresql.TIMESTAMP(timezone=True), nullable=nullable,
                     server_default=sa.text('now()') if now else None)


def _tables() -> None:
    op.create_table(
        'customer_tombstone',
        _uuid('tenant_id'), _uuid('customer_id'), _uuid('terminal_id'), _uuid('event_id'),
        _ts('erased_at'), _ts('recorded_at', now=True),
        sa.PrimaryKeyConstraint('tenant_id', 'customer_id', name=op.f('pk_customer_tombstone')),
        schema=S)
    op.create_table(
        'consent_event',
        _uuid('tenant_id'), _uuid('id'), _uuid('terminal_id'), _uuid('customer_id'),
        sa.Column('granted', sa.Boolean(), nullable=False),
        sa.Column('source', sa.Text(), nullable=False),
        sa.Column('actor', sa.Text(), nullable=False),
        _ts('created_at'), _ts('received_at', now=True),
        sa.CheckConstraint("source IN ('till', 'cli', 'office', 'unsubscribe', 'stop', "
                           "'import', 'erasure')", name=op.f('ck_consent_event_known_source')),
        sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_consent_event')),
        schema=S)
    op.create_index(op.f('ix_consent_event_tenant_id_customer_id_created_at'), 'consent_event',
                    ['tenant_id', 'customer_id', 'created_at'], unique=False, schema=S)


def _security() -> None:
    terminal, reader = _roles()
    for t in NEW_TABLES:
        op.execute(f"ALTER TABLE {S}.{t} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {S}.{t} FORCE ROW LEVEL SECURITY")
        op.execute(f"REVOKE ALL ON {S}.{t} FROM PUBLIC")
        op.execute(f"GRANT SELECT ON {S}.{t} TO {terminal}, {reader}")
        op.execute(f"CREATE POLICY tenant_read ON {S}.{t} FOR SELECT TO {terminal}, {reader} "
                   f"USING ({TENANT})")
        op.execute(f"GRANT INSERT ON {S}.{t} TO {terminal}")
        op.execute(f"CREATE POLICY own_terminal_insert ON {S}.{t} FOR INSERT TO {terminal} "
                   f"WITH CHECK ({TENANT} AND terminal_id = {TERMINAL})")
    op.execute(FUNCTIONS)
    for fn in ("customer_guard()", "redact_erased_event()"):
        op.execute(f"REVOKE ALL ON FUNCTION {S}.{fn} FROM PUBLIC")
        op.execute(f"GRANT EXECUTE ON FUNCTION {S}.{fn} TO {terminal}")
    op.execute(f"CREATE TRIGGER customer_guard BEFORE INSERT OR UPDATE ON {S}.customer "
               f"FOR EACH ROW EXECUTE FUNCTION {S}.customer_guard()")
    op.execute(f"CREATE TRIGGER redact_erased BEFORE INSERT ON {S}.event FOR EACH ROW "
               f"WHEN (NEW.type = 'customer.upserted') "
               f"EXECUTE FUNCTION {S}.redact_erased_event()")
    # The one UPDATE a terminal may make of an event: redacting an erased customer's upsert.
    op.execute(f"GRANT UPDATE (payload) ON {S}.event TO {terminal}")
    op.execute(
        f"CREATE POLICY erased_customer_redact ON {S}.event FOR UPDATE TO {terminal} "
        f"USING ({TENANT} AND type = 'customer.upserted' AND {TOMBSTONED}) "
        f"WITH CHECK ({TENANT} AND type = 'customer.upserted' AND {TOMBSTONED} "
        "AND payload = jsonb_build_object('erased', true, 'id', payload ->> 'id'))")


def upgrade() -> None:
    _tables()
    _security()


def downgrade() -> None:
    terminal, _reader = _roles()
    op.execute(f"DROP POLICY IF EXISTS erased_customer_redact ON {S}.event")
    op.execute(f"REVOKE UPDATE (payload) ON {S}.event FROM {terminal}")
    op.execute(f"DROP TRIGGER IF EXISTS redact_erased ON {S}.event")
    op.execute(f"DROP TRIGGER IF EXISTS customer_guard ON {S}.customer")
    for fn in ("customer_guard()", "redact_erased_event()"):
        op.execute(f"DROP FUNCTION IF EXISTS {S}.{fn}")
    for t in reversed(NEW_TABLES):
        op.execute(f"DROP TABLE IF EXISTS {S}.{t} CASCADE")

"""event identity within a tenant: event and quarantine keyed (tenant_id, event_id)

Revision ID: c0004
Revises: c0003
Create Date: 2026-12-07

Until c0003 ``event`` and ``quarantine`` had ``event_id`` alone as their primary key. A
unique index is checked without row-level security, so a terminal inserting an event id
another tenant holds got ``duplicate key ... "pk_event"``: a yes/no answer about the other
tenant's events, and a way to block them — a terminal that inserted another tenant's
*pending* event ids first made every later push of that tenant fail as "this till's
database is a copy".

Now both tables are keyed ``(tenant_id, event_id)`` (the quarantine's foreign key to its
event follows the new key; the separate ``UNIQUE (tenant_id, event_id)`` is gone, the key
is that index). A terminal can only insert rows of its own tenant, so a key clash can only
ever be with its own tenant's rows: the same event id in two tenants is two unrelated
events. The clone guard keeps working inside the tenant (``UNIQUE (tenant_id, terminal_id,
seq)``, and an event id already held by a sibling terminal of the same tenant).

The push targets ``ON CONFLICT (tenant_id, event_id)`` for events (an index older centrals
have too) and a target-less ``ON CONFLICT DO NOTHING`` for quarantine rows, so a till with
this software pushes to a central before or after c0004. A till with older software
(``ON CONFLICT (event_id)``) cannot push to a central at c0004 (PostgreSQL answers "no
unique or exclusion constraint matching the ON CONFLICT specification"; nothing is lost,
its events stay pending until the till is updated): update the tills with the central.

Downgrading needs every event id to be unique across tenants again; PostgreSQL refuses the
downgrade if two tenants hold the same one. Nothing about row-level security, policies or
grants changes. Run under ``SET ROLE <prefix>_owner`` by ``sync.central.admin.init`` like
c0001.
"""

from __future__ import annotations

from alembic import op

revision = 'c0004'
down_revision = 'c0003'
branch_labels = None
depends_on = None

S = "central"


def _rekey(event_key: str, quarantine_key: str, *, keep_unique: bool) -> None:
    op.drop_constraint("fk_quarantine_tenant_id_event_id", "quarantine", schema=S,
                       type_="foreignkey")
    op.drop_constraint("pk_quarantine", "quarantine", schema=S, type_="primary")
    op.drop_constraint("pk_event", "event", schema=S, type_="primary")
    if keep_unique:
        op.create_unique_constraint("uq_event_tenant_id_event_id", "event",
                                    ["tenant_id", "event_id"], schema=S)
    else:
        op.drop_constraint("uq_event_tenant_id_event_id", "event", schema=S, type_="unique")
    op.create_primary_key("pk_event", "event", event_key.split(","), schema=S)
    op.create_primary_key("pk_quarantine", "quarantine", quarantine_key.split(","), schema=S)
    op.create_foreign_key("fk_quarantine_tenant_id_event_id", "quarantine", "event",
                          ["tenant_id", "event_id"], ["tenant_id", "event_id"],
                          source_schema=S, referent_schema=S)


def upgrade() -> None:
    _rekey("tenant_id,event_id", "tenant_id,event_id", keep_unique=False)


def downgrade() -> None:
    _rekey("event_id", "event_id", keep_unique=True)

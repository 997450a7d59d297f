"""The central PostgreSQL schema (SQLAlchemy Core) and the security rules laid over it.

One central database serves one tenant group; everything lives in the schema ``central``.
Tables are created by the Alembic migrations in ``sync/central/migrations`` (run by
``warungin central init``); this module is the shape the push/pull engine and the owners'
reports import, and a test checks it equals what the migrations build.

Keys
----
- Every table carries ``tenant_id`` (``tenant`` too: its key is named ``tenant_id``).
  The two exceptions hold no tenant data and are granted to no terminal: ``installation``
  (made by ``admin.bootstrap``, it records the role-name prefix) and ``alembic_version``.
- Rows that come from terminals are keyed ``(tenant_id, id)`` with ``id`` the terminal's own
  UUID, so the push upserts ``ON CONFLICT (tenant_id, id)``. The tenant is part of every key
  and of every foreign key, so a row can only ever point at a parent of its own tenant (a
  foreign-key check runs without row-level security: a single-column FK to another tenant's
  row would both succeed and reveal that the row exists).
- ``event`` is keyed ``(tenant_id, event_id)`` (``ON CONFLICT (tenant_id, event_id) DO
  NOTHING``), and so is ``quarantine``: an event id names an event within its tenant only.
  A global ``event_id`` key (until migration c0004) was checked without row-level security,
  so inserting another tenant's event id answered "exists" and blocked that tenant's push.
  ``UNIQUE (tenant_id, terminal_id, seq)`` stands beside the key: the same seq with another
  event_id, or an event id a sibling terminal of the tenant holds, is a second machine
  using a copy of the terminal's database (the clone guard, inside the tenant).
- ``journal_line`` has no UUID on the terminal (an integer there), so central keys it
  ``(tenant_id, entry_id, line_no)``, line_no being its 1-based position in the entry.
- Foreign keys stay inside one aggregate that travels in one event (sale -> its lines and
  payments, refund -> its lines, journal entry -> its lines). References that may cross
  terminals or arrive out of order (refund -> sale, anything -> product/customer/user) are
  checked by the push engine, which quarantines the event if the parent is unknown.
- Money is BIGINT rupiah; quantities are BIGINT thousandths (``*_milli``).

History tables (``HISTORY_TABLES``) are append-only for terminals: INSERT and SELECT, never
UPDATE or DELETE. Catalogue-like tables (``TERMINAL_UPSERT_TABLES``) may also be UPDATEd by a
terminal within its tenant because terminals edit the catalogue and customers offline.
Nobody but the administrator deletes: deletions are tombstones (``deleted_at``).

The pull cursor (``change_log``)
--------------------------------
A plain ``bigserial`` cannot be the pull cursor: numbers are taken when a row is written,
not when its transaction commits, so a reader that has seen 11 may later find that 10
committed after it read (a long transaction), and skip it forever.

Each ``change_log`` row records ``xid = pg_current_xact_id()`` (xid8, never wraps) of the
transaction that wrote it. A puller reads, in one statement::

    horizon = pg_snapshot_xmin(pg_current_snapshot())   -- central.pull_horizon()
    rows with (xid, id) > cursor AND xid < horizon ORDER BY xid, id

Every transaction with an xid below the snapshot's xmin has finished, so the rows below the
horizon are final: no transaction can commit a new one there later. The cursor ``(xid, id)``
only moves over that settled prefix, so nothing is ever skipped; a long-running writer
merely holds the horizon back until it ends. Order by xid is not commit order, so a
change_log row is only a pointer (table + key): the puller reads the row's *current*
state, which is the state of the last commit. Two edits of one price therefore converge on
central's last commit, and ``product_price`` keeps every version.

change_log rows are written by triggers (``change_log_trigger``) on the tables that come
down to terminals (``PULLED_TABLES``), in the writer's own transaction.

The owner's books (migration c0006)
-----------------------------------
Every journal entry of every till reaches ``journal_entry``/``journal_line`` (with its event,
or by the push's journal sweep for entries no event carries), so a tenant's statements are
the sum of its tills'. ``expense``, ``payable`` and ``payable_payment`` are history like
sales; ``expense_category`` is upserted like the catalogue. ``accounting_period`` is written
by the administrator for the owner (``sync.central.periods``) and pulled by the tills;
``journal_entry.received_at`` and the view ``late_posting`` list what arrived for a period
after it was closed here (booked, never refused).

Event schema versions
---------------------
``central.event_schema_max()`` (migration c0002; replaced by each migration that brings a
new version) is the newest outbox event schema version this central understands; every
version from 1 up to it is accepted (``sync.push_rows.newest_payload`` upcasts older ones).
An event newer than that is kept in ``event`` unapplied, beside a ``quarantine`` row whose
``detail ->> 'code'`` is ``'schema_too_new'``; a terminal may update (reason, detail,
resolved_at) of exactly those quarantine rows of its own, to resolve them when it applies
the event after central was upgraded.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKeyConstraint,
    Identity,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, TIMESTAMP, UUID
from sqlalchemy.dialects.postgresql import base as pg_base
from sqlalchemy.types import UserDefinedType

SCHEMA = "central"

metadata = MetaData(schema=SCHEMA, naming_convention={
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s",
    "pk": "pk_%(table_name)s",
})


class Xid8(UserDefinedType[int]):
    """PostgreSQL ``xid8``: a 64-bit transaction id that never wraps around."""

    cache_ok = True

    def get_col_spec(self, **kw: object) -> str:
        return "xid8"


# Teach SQLAlchemy's reflection the type, so inspecting central (Alembic's comparison, the
# pull engine) knows the column instead of warning.
pg_base.ischema_names.setdefault("xid8", Xid8)

Money = BigInteger
Milli = BigInteger


def _uuid(name: str, *, nullable: bool = False) -> Column[str]:
    return Column(name, UUID(as_uuid=False), nullable=nullable)


def _ts(name: str, *, nullable: bool = False, now: bool = False) -> Column[object]:
    return Column(name, TIMESTAMP(timezone=True), nullable=nullable,
                  server_default=text("now()") if now else None)


def _tenant_fk(cols: list[str], table: str, ref: list[str]) -> ForeignKeyConstraint:
    return ForeignKeyConstraint(["tenant_id", *cols],
                                [f"{SCHEMA}.{table}.tenant_id"]
                                + [f"{SCHEMA}.{table}.{c}" for c in ref])


# --- administration -----------------------------------------------------------------------

tenant = Table(
    "tenant", metadata,
    _uuid("tenant_id"),
    Column("name", Text, nullable=False),
    _ts("created_at", now=True),
    PrimaryKeyConstraint("tenant_id"),
)

store = Table(
    "store", metadata,
    _uuid("tenant_id"), _uuid("id"),
    Column("code", Text, nullable=False),
    Column("name", Text, nullable=False),
    _ts("created_at", now=True),
    PrimaryKeyConstraint("tenant_id", "id"),
    UniqueConstraint("tenant_id", "code"),
    ForeignKeyConstraint(["tenant_id"], [f"{SCHEMA}.tenant.tenant_id"]),
)

terminal = Table(
    "terminal", metadata,
    _uuid("tenant_id"), _uuid("id"), _uuid("store_id"),
    Column("code", Text, nullable=False),
    Column("role_name", Text, nullable=False, unique=True),
    _ts("created_at", now=True),
    # Set once, by the terminal itself, when it redeems its enrolment code (which is then
    # spent: the terminal changes its password in the same transaction).
    _ts("enrolled_at", nullable=True),
    # Clone guard: install_id is made at enrolment and kept in the terminal's secret store
    # (not in its database), last_seq is the highest outbox seq central has accepted. A push
    # whose install_id differs, or whose seq goes backwards, comes from a copy or a restore.
    _uuid("install_id", nullable=True),
    Column("last_seq", BigInteger, nullable=False, server_default=text("0")),
    _ts("last_seen_at", nullable=True),
    PrimaryKeyConstraint("tenant_id", "id"),
    UniqueConstraint("tenant_id", "store_id", "code"),
    _tenant_fk(["store_id"], "store", ["id"]),
)

# Which database role is which tenant (and terminal). The policies read it through
# central.current_tenant()/current_terminal(), matching role_name = current_user. A terminal
# sees only its own row here, an owner role only its own.
principal = Table(
    "principal", metadata,
    Column("role_name", Text, nullable=False),
    _uuid("tenant_id"),
    _uuid("terminal_id", nullable=True),
    Column("kind", Text, nullable=False),
    PrimaryKeyConstraint("role_name"),
    ForeignKeyConstraint(["tenant_id"], [f"{SCHEMA}.tenant.tenant_id"]),
    _tenant_fk(["terminal_id"], "terminal", ["id"]),
    CheckConstraint("(kind = 'terminal') = (terminal_id IS NOT NULL) "
                    "AND kind IN ('terminal', 'owner')", name="kind"),
)

# --- the event log ------------------------------------------------------------------------

event = Table(
    "event", metadata,
    _uuid("event_id"), _uuid("tenant_id"), _uuid("terminal_id"),
    Column("seq", BigInteger, nullable=False),
    Column("type", Text, nullable=False),
    Column("schema_version", Integer, nullable=False),
    Column("payload", JSONB, nullable=False),
    _ts("created_at", nullable=True),  # the terminal's wall clock: data, never order
    _ts("received_at", now=True),
    # Per tenant, never global: see "Keys" above (migration c0004).
    PrimaryKeyConstraint("tenant_id", "event_id"),
    UniqueConstraint("tenant_id", "terminal_id", "seq"),
    _tenant_fk(["terminal_id"], "terminal", ["id"]),
    CheckConstraint("seq > 0", name="seq_positive"),
)

# An event central could not apply: it stays in ``event`` (so it is never sent again), its
# business rows are not applied, and the owner sees the reason here.
quarantine = Table(
    "quarantine", metadata,
    _uuid("tenant_id"), _uuid("event_id"), _uuid("terminal_id"),
    Column("reason", Text, nullable=False),
    Column("detail", JSONB, nullable=True),
    _ts("quarantined_at", now=True),
    _ts("resolved_at", nullable=True),
    PrimaryKeyConstraint("tenant_id", "event_id"),
    _tenant_fk(["event_id"], "event", ["event_id"]),
    _tenant_fk(["terminal_id"], "terminal", ["id"]),
    Index(None, "tenant_id", "resolved_at"),
)

# --- sales history (append-only for terminals) -------------------------------------------

sale = Table(
    "sale", metadata,
    _uuid("tenant_id"), _uuid("id"), _uuid("terminal_id"), _uuid("store_id"),
    Column("seq", BigInteger, nullable=False),
    Column("receipt_no", Text, nullable=False),
    _uuid("shift_id"), _uuid("cashier_id"), _uuid("customer_id", nullable=True),
    _ts("created_at"),
    Column("subtotal", Money, nullable=False),
    Column("discount_total", Money, nullable=False),
    Column("net_total", Money, nullable=False),
    Column("tax_total", Money, nullable=False),
    Column("total", Money, nullable=False),
    Column("rounding", Money, nullable=False),
    Column("payable", Money, nullable=False),
    Column("change", Money, nullable=False),
    Column("status", Text, nullable=False),
    PrimaryKeyConstraint("tenant_id", "id"),
    UniqueConstraint("tenant_id", "terminal_id", "seq"),
    UniqueConstraint("tenant_id", "receipt_no"),
    _tenant_fk(["terminal_id"], "terminal", ["id"]),
    Index(None, "tenant_id", "created_at"),
)

sale_line = Table(
    "sale_line", metadata,
    _uuid("tenant_id"), _uuid("id"), _uuid("terminal_id"), _uuid("sale_id"),
    Column("line_no", Integer, nullable=False),
    _uuid("product_id"),
    Column("sku", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("unit", Text, nullable=False),
    Column("qty_milli", Milli, nullable=False),
    Column("list_price", Money, nullable=False),
    Column("unit_price", Money, nullable=False),
    Column("line_discount", Money, nullable=False),
    Column("order_discount", Money, nullable=False),
    Column("gross", Money, nullable=False),
    Column("net", Money, nullable=False),
    Column("tax", Money, nullable=False),
    Column("cost", Money, nullable=False),
    Column("tax_class", Text, nullable=False),
    PrimaryKeyConstraint("tenant_id", "id"),
    UniqueConstraint("tenant_id", "sale_id", "line_no"),
    _tenant_fk(["sale_id"], "sale", ["id"]),
    Index(None, "tenant_id", "product_id"),
)

payment = Table(
    "payment", metadata,
    _uuid("tenant_id"), _uuid("id"), _uuid("terminal_id"), _uuid("sale_id"),
    Column("method", Text, nullable=False),
    Column("amount", Money, nullable=False),
    Column("tendered", Money, nullable=False),
    Column("change", Money, nullable=False),
    Column("status", Text, nullable=False),
    Column("provider_ref", Text, nullable=True),
    PrimaryKeyConstraint("tenant_id", "id"),
    _tenant_fk(["sale_id"], "sale", ["id"]),
    Index(None, "tenant_id", "sale_id"),
)

refund = Table(
    "refund", metadata,
    _uuid("tenant_id"), _uuid("id"), _uuid("terminal_id"), _uuid("store_id"),
    Column("seq", BigInteger, nullable=False),
    Column("refund_no", Text, nullable=False),
    _uuid("sale_id"),  # no FK: the sale may come from another terminal, not yet pushed
    _uuid("shift_id"), _uuid("user_id"), _uuid("approved_by"),
    Column("reason", Text, nullable=False),
    Column("method", Text, nullable=False),
    Column("gross", Money, nullable=False),
    Column("net", Money, nullable=False),
    Column("tax", Money, nullable=False),
    Column("cost", Money, nullable=False),
    Column("to_kasbon", Money, nullable=False, server_default=text("0")),
    Column("to_provider", Money, nullable=False, server_default=text("0")),
    Column("cash_paid", Money, nullable=False, server_default=text("0")),
    Column("rounding", Money, nullable=False, server_default=text("0")),
    _ts("created_at"),
    PrimaryKeyConstraint("tenant_id", "id"),
    UniqueConstraint("tenant_id", "terminal_id", "seq"),
    UniqueConstraint("tenant_id", "refund_no"),
    _tenant_fk(["terminal_id"], "terminal", ["id"]),
    Index(None, "tenant_id", "sale_id"),
)

refund_line = Table(
    "refund_line", metadata,
    _uuid("tenant_id"), _uuid("id"), _uuid("terminal_id"), _uuid("refund_id"),
    _uuid("sale_line_id"),
    Column("qty_milli", Milli, nullable=False),
    Column("gross", Money, nullable=False),
    Column("net", Money, nullable=False),
    Column("tax", Money, nullable=False),
    Column("cost", Money, nullable=False),
    PrimaryKeyConstraint("tenant_id", "id"),
    _tenant_fk(["refund_id"], "refund", ["id"]),
    Index(None, "tenant_id", "refund_id"),
)

stock_movement = Table(
    "stock_movement", metadata,
    _uuid("tenant_id"), _uuid("id"), _uuid("terminal_id"), _uuid("store_id"),
    _uuid("product_id"),
    Column("qty_milli", Milli, nullable=False),
    Column("kind", Text, nullable=False),
    _uuid("ref_id", nullable=True),
    Column("unit_cost", Money, nullable=False, server_default=text("0")),
    Column("reason", Text, nullable=True),
    Column("supplier", Text, nullable=True),
    _uuid("user_id", nullable=True),
    _ts("created_at"),
    PrimaryKeyConstraint("tenant_id", "id"),
    Index(None, "tenant_id", "store_id", "product_id"),
)

journal_entry = Table(
    "journal_entry", metadata,
    _uuid("tenant_id"), _uuid("id"), _uuid("terminal_id"), _uuid("store_id"),
    Column("kind", Text, nullable=False),
    _uuid("ref_id", nullable=True),
    Column("memo", Text, nullable=False),
    _ts("created_at"),
    # When central took the entry (migration c0006; older rows: the migration's time). An
    # entry whose created_at falls in a period closed at central before it arrived is a
    # LATE POSTING (``central.late_posting``): booked, never refused, listed.
    _ts("received_at", now=True),
    PrimaryKeyConstraint("tenant_id", "id"),
    Index(None, "tenant_id", "ref_id"),
    Index(None, "tenant_id", "created_at"),
)

journal_line = Table(
    "journal_line", metadata,
    _uuid("tenant_id"), _uuid("entry_id"),
    Column("line_no", Integer, nullable=False),
    _uuid("terminal_id"),
    Column("account_code", Text, nullable=False),
    Column("debit", Money, nullable=False, server_default=text("0")),
    Column("credit", Money, nullable=False, server_default=text("0")),
    PrimaryKeyConstraint("tenant_id", "entry_id", "line_no"),
    _tenant_fk(["entry_id"], "journal_entry", ["id"]),
    CheckConstraint("debit >= 0 AND credit >= 0 AND (debit = 0 OR credit = 0)",
                    name="one_sided"),
)

# --- catalogue, people, settings (come down to terminals; some go up too) ----------------

customer = Table(
    "customer", metadata,
    _uuid("tenant_id"), _uuid("id"),
    # Personal fields stay AES-256-GCM ciphertext: central never holds the data key.
    Column("name_enc", Text, nullable=True),
    Column("phone_enc", Text, nullable=True),
    Column("phone_index", Text, nullable=True),  # HMAC blind index
    Column("email_enc", Text, nullable=True),
    Column("address_enc", Text, nullable=True),
    Column("key_id", Text, nullable=True),
    Column("consent_marketing", Boolean, nullable=False, server_default=text("false")),
    Column("credit_limit", Money, nullable=False, server_default=text("0")),
    _ts("created_at"), _ts("updated_at"),
    _ts("erased_at", nullable=True),
    PrimaryKeyConstraint("tenant_id", "id"),
    Index(None, "tenant_id", "phone_index"),
)

category = Table(
    "category", metadata,
    _uuid("tenant_id"), _uuid("id"),
    # Not unique by name: two offline terminals may both create "Minuman"; the pull merges.
    Column("name", Text, nullable=False),
    _ts("updated_at", now=True),
    _ts("deleted_at", nullable=True),
    PrimaryKeyConstraint("tenant_id", "id"),
)

product = Table(
    "product", metadata,
    _uuid("tenant_id"), _uuid("id"),
    Column("sku", Text, nullable=False),
    Column("name", Text, nullable=False),
    _uuid("category_id", nullable=True),
    Column("unit", Text, nullable=False, server_default=text("'pcs'")),
    Column("price", Money, nullable=False),
    Column("cost", Money, nullable=False, server_default=text("0")),
    Column("tax_class", Text, nullable=False),
    Column("tracks_stock", Boolean, nullable=False, server_default=text("true")),
    Column("low_stock_milli", Milli, nullable=False, server_default=text("0")),
    Column("active", Boolean, nullable=False, server_default=text("true")),
    _ts("updated_at", now=True),
    _ts("deleted_at", nullable=True),
    PrimaryKeyConstraint("tenant_id", "id"),
    # The till looks products up by SKU; a second product with the same SKU (two terminals
    # creating it offline) is refused here and its event quarantined for the owner.
    UniqueConstraint("tenant_id", "sku"),
    CheckConstraint("price >= 0 AND cost >= 0", name="money_not_negative"),
)

# Every price a product ever had, in the order central committed them (xid, then id). The
# current price is product.price; this keeps both sides of concurrent edits.
product_price = Table(
    "product_price", metadata,
    _uuid("tenant_id"), _uuid("id"), _uuid("product_id"),
    Column("price", Money, nullable=False),
    Column("cost", Money, nullable=False),
    _uuid("terminal_id", nullable=True),  # null when set at central
    _uuid("event_id", nullable=True),
    Column("xid", Xid8, nullable=False, server_default=text("pg_current_xact_id()")),
    _ts("changed_at", now=True),
    PrimaryKeyConstraint("tenant_id", "id"),
    _tenant_fk(["product_id"], "product", ["id"]),
    Index(None, "tenant_id", "product_id", "xid"),
)

barcode = Table(
    "barcode", metadata,
    _uuid("tenant_id"),
    Column("code", Text, nullable=False),
    _uuid("product_id"),
    _ts("updated_at", now=True),
    _ts("deleted_at", nullable=True),
    PrimaryKeyConstraint("tenant_id", "code"),
    Index(None, "tenant_id", "product_id"),
)

users = Table(
    "users", metadata,
    _uuid("tenant_id"), _uuid("id"),
    Column("name", Text, nullable=False),
    Column("role", Text, nullable=False),
    Column("pin_hash", Text, nullable=False),  # scrypt, salted: never a PIN
    Column("active", Boolean, nullable=False, server_default=text("true")),
    _ts("updated_at", now=True),
    _ts("deleted_at", nullable=True),
    PrimaryKeyConstraint("tenant_id", "id"),
    UniqueConstraint("tenant_id", "name"),
    CheckConstraint("role IN ('cashier', 'supervisor', 'owner')", name="known_role"),
)

store_setting = Table(
    "store_setting", metadata,
    _uuid("tenant_id"), _uuid("store_id"),
    Column("key", Text, nullable=False),
    Column("value", Text, nullable=False),
    _ts("updated_at", now=True),
    _ts("deleted_at", nullable=True),
    PrimaryKeyConstraint("tenant_id", "store_id", "key"),
    _tenant_fk(["store_id"], "store", ["id"]),
)

# FCM registration tokens of the tenant's people and customers (migration c0005). A till
# registers, refreshes and deactivates them offline; the push upserts by (tenant_id, id) and
# the pull brings them to every till of the tenant. ``id`` is derived from the token
# (services.device_tokens.token_id), so two tills registering one token name one row.
# The token is an FCM address, not a secret, and names no person by itself; it is never
# shown whole by the tills (a prefix and "…").
# ``updated_at`` is when the row's state (owner, platform, active) was last decided: a
# change older than it never overrides it (a deactivation sticks unless a later
# registration refreshes the token); ``last_seen_at`` only moves forward.
device_token = Table(
    "device_token", metadata,
    _uuid("tenant_id"), _uuid("id"),
    Column("owner_type", Text, nullable=False),
    _uuid("owner_id"),
    Column("token", Text, nullable=False),
    Column("platform", Text, nullable=False),
    Column("active", Boolean, nullable=False, server_default=text("true")),
    _ts("last_seen_at"),
    Column("deactivated_reason", Text, nullable=True),
    _ts("created_at", now=True),
    _ts("updated_at"),
    PrimaryKeyConstraint("tenant_id", "id"),
    # Not unique: the id is the token's name; a push naming a known token under another
    # id is quarantined by the push engine (sync/push_rows.py), not by an index.
    Index(None, "tenant_id", "token"),
    Index(None, "tenant_id", "owner_type", "owner_id"),
    CheckConstraint("owner_type IN ('user', 'customer')", name="known_owner"),
    CheckConstraint("platform IN ('android', 'ios', 'web')", name="known_platform"),
)

# --- the owner's books (migration c0006) ----------------------------------------------------

# Expense categories as the tills know them (code -> expense account). Upserted by the push
# from ``expense.recorded`` payloads (a till may add a category offline); the account code is
# what the books use, the name is for reports.
expense_category = Table(
    "expense_category", metadata,
    _uuid("tenant_id"),
    Column("code", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("account_code", Text, nullable=False),
    Column("active", Boolean, nullable=False, server_default=text("true")),
    _ts("updated_at", now=True),
    PrimaryKeyConstraint("tenant_id", "code"),
)

# Money owed to suppliers and payees (an expense on credit, goods received on credit). The
# open amount is derived: amount - sum of its payments.
payable = Table(
    "payable", metadata,
    _uuid("tenant_id"), _uuid("id"), _uuid("terminal_id"), _uuid("store_id"),
    Column("supplier", Text, nullable=False),
    Column("source", Text, nullable=False),
    Column("source_id", Text, nullable=True),
    Column("amount", Money, nullable=False),
    Column("due_date", Text, nullable=True),  # YYYY-MM-DD, the store's day
    Column("note", Text, nullable=True),
    _uuid("user_id", nullable=True),
    _ts("created_at"),
    PrimaryKeyConstraint("tenant_id", "id"),
    Index(None, "tenant_id", "created_at"),
    CheckConstraint("amount > 0", name="amount_positive"),
)

expense = Table(
    "expense", metadata,
    _uuid("tenant_id"), _uuid("id"), _uuid("terminal_id"), _uuid("store_id"),
    Column("category_code", Text, nullable=False),
    Column("payee", Text, nullable=False),
    Column("amount", Money, nullable=False),
    Column("note", Text, nullable=True),
    Column("paid_from", Text, nullable=False),
    _uuid("shift_id", nullable=True),
    _uuid("payable_id", nullable=True),
    _uuid("entry_id"),
    Column("spent_on", Text, nullable=False),  # YYYY-MM-DD, the store's day
    _uuid("user_id", nullable=True),
    _ts("created_at"),
    PrimaryKeyConstraint("tenant_id", "id"),
    Index(None, "tenant_id", "created_at"),
    CheckConstraint("amount > 0", name="amount_positive"),
    CheckConstraint("paid_from IN ('drawer', 'bank', 'owed')", name="known_source"),
)

payable_payment = Table(
    "payable_payment", metadata,
    _uuid("tenant_id"), _uuid("id"), _uuid("terminal_id"), _uuid("store_id"),
    _uuid("payable_id"),  # no FK: checked by the push engine (quarantine if unknown)
    Column("amount", Money, nullable=False),
    Column("paid_from", Text, nullable=False),
    _uuid("shift_id", nullable=True),
    _uuid("entry_id"),
    _uuid("user_id", nullable=True),
    _ts("created_at"),
    PrimaryKeyConstraint("tenant_id", "id"),
    Index(None, "tenant_id", "payable_id"),
    CheckConstraint("amount > 0", name="amount_positive"),
    CheckConstraint("paid_from IN ('drawer', 'bank')", name="known_source"),
)

# The tenant's accounting periods (a store-local month; starts_at/ends_at are its UTC
# bounds). Written by the administrator for the owner (``admin.close_period``), pulled down
# to every till of the tenant, whose database then refuses non-sale postings into it. A
# till's entry that arrives for a period after it was closed here is kept and listed as a
# late posting (view ``central.late_posting``).
accounting_period = Table(
    "accounting_period", metadata,
    _uuid("tenant_id"),
    Column("period", Text, nullable=False),  # YYYY-MM
    _ts("starts_at"), _ts("ends_at"),
    Column("state", Text, nullable=False),
    # Always NULL here (central posts no entries): each till posts its own closing entry
    # when it pulls the close; the column keeps the till's and central's rows one shape.
    _uuid("closing_entry_id", nullable=True),
    _ts("closed_at", nullable=True),
    Column("closed_by", Text, nullable=True),  # who closed it (a person's name or login)
    _ts("ppn_filed_at", nullable=True),
    Column("note", Text, nullable=True),
    _ts("updated_at", now=True),
    PrimaryKeyConstraint("tenant_id", "period"),
    CheckConstraint("state IN ('open', 'soft', 'hard')", name="known_state"),
    CheckConstraint("starts_at < ends_at", name="has_length"),
    CheckConstraint("period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'", name="month"),
)


change_log = Table(
    "change_log", metadata,
    _uuid("tenant_id"),
    Column("id", BigInteger, Identity(always=True), nullable=False),
    Column("xid", Xid8, nullable=False, server_default=text("pg_current_xact_id()")),
    Column("table_name", Text, nullable=False),
    Column("row_key", JSONB, nullable=False),  # the row's key without tenant_id
    Column("op", Text, nullable=False),
    _uuid("origin_terminal_id", nullable=True),  # lets a terminal skip its own echoes
    _ts("changed_at", now=True),
    PrimaryKeyConstraint("id"),
    Index(None, "tenant_id", "xid", "id"),
    CheckConstraint("op IN ('insert', 'update', 'delete')", name="known_op"),
)

# --- per-day sales summary (migration c0007) ---
# The tenant's analytics read these instead of a year of sale lines (services.analytics).
# Days and hours are the store's local ones (its ``timezone`` setting, else Asia/Jakarta:
# central.sales_summary_zone); keys name the tenant, the day and the terminal (a store
# scope filters store_id). Statement triggers on sale, sale_line and refund add the rows
# a push really inserted (ON CONFLICT DO NOTHING leaves re-sent rows out of the
# transition tables, so nothing counts twice); terminals only read them.


def _count(name: str) -> Column[int]:
    return Column(name, BigInteger, nullable=False)


sales_hour_summary = Table(
    "sales_hour_summary", metadata,
    _uuid("tenant_id"), Column("day", Text, nullable=False), _uuid("terminal_id"),
    Column("hour", Integer, nullable=False), _uuid("store_id"),
    _count("sales_count"), _count("sales_amount"), _count("line_count"),
    _count("qty_milli"), _count("refund_count"), _count("refund_amount"),
    PrimaryKeyConstraint("tenant_id", "day", "terminal_id", "hour"),
)


def _product_summary(name: str, key: str) -> Table:
    return Table(
        name, metadata,
        _uuid("tenant_id"), Column(key, Text, nullable=False), _uuid("terminal_id"),
        _uuid("product_id"), _uuid("store_id"),
        Column("sku", Text, nullable=False), Column("name", Text, nullable=False),
        Column("unit", Text, nullable=False),
        _count("qty_milli"), _count("amount"), _count("line_count"), _count("sales_count"),
        PrimaryKeyConstraint("tenant_id", key, "terminal_id", "product_id"),
        # the ranking names its few candidates by product
        Index(None, "tenant_id", "product_id"),
    )


sales_product_day = _product_summary("sales_product_day", "day")
sales_product_month = _product_summary("sales_product_month", "month")

sales_customer_day = Table(
    "sales_customer_day", metadata,
    _uuid("tenant_id"), Column("day", Text, nullable=False), _uuid("terminal_id"),
    Column("customer_key", Text, nullable=False),  # '' for sales without a customer
    _uuid("store_id"), _count("sales_count"),
    PrimaryKeyConstraint("tenant_id", "day", "terminal_id", "customer_key"),
)

sales_cashier_day = Table(
    "sales_cashier_day", metadata,
    _uuid("tenant_id"), Column("day", Text, nullable=False), _uuid("terminal_id"),
    _uuid("cashier_id"), _uuid("store_id"), _count("sales_count"), _count("sales_amount"),
    PrimaryKeyConstraint("tenant_id", "day", "terminal_id", "cashier_id"),
)

#: The summaries (c0007): terminals read them; only the triggers write them.
SUMMARY_TABLES = ("sales_hour_summary", "sales_product_day", "sales_product_month",
                  "sales_customer_day", "sales_cashier_day")


# --- loyalty (migration c0008) ---

# Every till's points ledger rows (issue 15): history like sales (a terminal INSERTs rows
# naming itself, ``ON CONFLICT DO NOTHING``), pulled down to the tenant's tills, so a
# member's balance is the sum over the tenant. One earn row per sale and one expire row per
# member and lapse moment, whatever retries or second tills send. The view
# ``loyalty_conflict`` (c0008) lists redemptions that took a member's tenant balance below
# zero (two tills redeeming the same points offline) for the owner.
loyalty_entry = Table(
    "loyalty_entry", metadata,
    _uuid("tenant_id"), _uuid("id"), _uuid("terminal_id"), _uuid("store_id"),
    _uuid("customer_id"),
    Column("kind", Text, nullable=False),
    Column("points", BigInteger, nullable=False),
    Column("spend", Money, nullable=False, server_default=text("0")),
    Column("value", Money, nullable=False, server_default=text("0")),
    _uuid("sale_id", nullable=True), _uuid("refund_id", nullable=True),
    _ts("expires_at", nullable=True), _ts("lot_expiry", nullable=True),
    _uuid("user_id", nullable=True), _uuid("approver_id", nullable=True),
    Column("reason", Text, nullable=True),  # an adjustment's; blanked on erasure
    _ts("created_at"), _ts("received_at", now=True),
    PrimaryKeyConstraint("tenant_id", "id"),
    Index(None, "tenant_id", "customer_id", "created_at"),
    Index("uq_loyalty_entry_one_earn_per_sale", "tenant_id", "sale_id", unique=True,
          postgresql_where=text("kind = 'earn'")),
    Index("uq_loyalty_entry_one_expiry_per_lot", "tenant_id", "customer_id", "lot_expiry",
          unique=True, postgresql_where=text("kind = 'expire'")),
    CheckConstraint("kind IN ('earn', 'redeem', 'expire', 'adjust', 'refund')",
                    name="known_kind"),
    CheckConstraint("(kind = 'earn' AND points >= 0) OR (kind IN ('redeem', 'expire') "
                    "AND points < 0) OR kind IN ('adjust', 'refund')", name="sign"),
)


# --- scheduled emails (migration c0009) ---

# One daily summary per store, day and recipient across the tenant's tills: the till whose
# INSERT lands sends it (services.schedule_summary). ``recipient`` is a hash, never the
# address. Terminals INSERT claims naming themselves and read their tenant's.
daily_summary_claim = Table(
    "daily_summary_claim", metadata,
    _uuid("tenant_id"),
    Column("store_id", Text, nullable=False),
    Column("day", Text, nullable=False),  # YYYY-MM-DD, the store's day
    Column("recipient", Text, nullable=False),
    _uuid("terminal_id"),
    _ts("claimed_at", now=True),
    PrimaryKeyConstraint("tenant_id", "store_id", "day", "recipient"),
)


# --- personal data (migration c0010) ---

# A customer erased at some till of the tenant (issue 15, UU PDP). Written by the push when a
# ``customer.erased`` event arrives; never updated or deleted. Triggers (c0010) obey it:
# ``customer`` rows of a tombstoned id are forced to the erased shape whatever writes them
# (a till that was offline pushing an older edit), and a ``customer.upserted`` event of a
# tombstoned id is stored with its payload redacted. The push ignores such an upsert (it is
# not quarantined: there is nothing for the owner to decide). ``terminal_id`` is the till
# that reported the erasure.
customer_tombstone = Table(
    "customer_tombstone", metadata,
    _uuid("tenant_id"), _uuid("customer_id"), _uuid("terminal_id"), _uuid("event_id"),
    _ts("erased_at"),
    _ts("recorded_at", now=True),
    PrimaryKeyConstraint("tenant_id", "customer_id"),
)

# Every change of a customer's marketing consent, from every till: when, from where (till,
# cli, office, unsubscribe, stop, import, erasure) and who (a user id or ``customer``).
# History: a terminal INSERTs rows naming itself. ``customer.consent_marketing`` follows
# the latest change here (by ``created_at``), so an older edit arriving late never
# re-grants a withdrawn consent.
consent_event = Table(
    "consent_event", metadata,
    _uuid("tenant_id"), _uuid("id"), _uuid("terminal_id"), _uuid("customer_id"),
    Column("granted", Boolean, nullable=False),
    Column("source", Text, nullable=False),
    Column("actor", Text, nullable=False),
    _ts("created_at"),
    _ts("received_at", now=True),
    PrimaryKeyConstraint("tenant_id", "id"),
    Index(None, "tenant_id", "customer_id", "created_at"),
    CheckConstraint("source IN ('till', 'cli', 'office', 'unsubscribe', 'stop', 'import', "
                    "'erasure')", name="known_source"),
)


# --- groups of tables the security rules are written over ---------------------------------

#: Sales history: terminals INSERT (their own terminal_id only) and SELECT; never UPDATE or
#: DELETE. The push upserts these with ``ON CONFLICT (tenant_id, id) DO NOTHING``.
HISTORY_TABLES = ("sale", "sale_line", "payment", "refund", "refund_line", "stock_movement",
                  "journal_entry", "journal_line", "expense", "payable", "payable_payment",
                  "loyalty_entry")

#: Terminals INSERT and UPDATE these within their tenant (offline catalogue and customer
#: edits); the push upserts them ``ON CONFLICT (tenant_id, ...) DO UPDATE``.
TERMINAL_UPSERT_TABLES = ("customer", "product", "category", "barcode", "device_token",
                          "expense_category")

#: Terminals INSERT only (append-only logs within their tenant).
TERMINAL_APPEND_TABLES = ("product_price", "change_log", "daily_summary_claim")

#: Terminals only read these: administration, users and PINs, settings come from central.
TERMINAL_READ_ONLY = ("tenant", "store", "terminal", "principal", "users", "store_setting",
                      "accounting_period")

#: Where a terminal may write only rows naming itself (terminal_id = its own).
OWN_TERMINAL_INSERT = ("event", "quarantine", *HISTORY_TABLES, "consent_event",
                       "customer_tombstone")

#: Tables whose changes come down to terminals: a trigger logs each change in change_log.
#: Value: the key columns (besides tenant_id) the puller uses to read the current row.
PULLED_TABLES: dict[str, tuple[str, ...]] = {
    "category": ("id",), "product": ("id",), "product_price": ("id",),
    "barcode": ("code",), "users": ("id",), "store_setting": ("store_id", "key"),
    "customer": ("id",), "device_token": ("id",), "accounting_period": ("period",),
    "loyalty_entry": ("id",),
}

#: Every table with tenant data: RLS is ENABLEd and FORCEd on each, each has policies.
#: (SUMMARY_TABLES, above, are in it: read like history, written only by c0007's triggers.)
TENANT_TABLES = tuple(t.name for t in metadata.sorted_tables)

#: Tables in the schema that hold no tenant data and are granted to no terminal.
NON_TENANT_TABLES = ("installation", "alembic_version")

#: Words that make a setting key look like a secret. Central's ``store_setting`` reaches
#: every till in clear, so credentials never go there: they live in each till's keyring.
#: ``central couriers`` refuses such keys, and the pull never applies a ``courier.*`` one.
SECRET_WORDS = ("key", "secret", "token", "password", "passwd", "credential")


def secret_looking(key: str) -> bool:
    """Whether a setting key names something that must stay in a keyring."""
    k = key.lower()
    return any(word in k for word in SECRET_WORDS)


#: Bumped with each central migration; ``central init`` upgrades to it.
HEAD_REVISION = "c0010"

"""The pull: central's catalogue, prices, users, store settings, customers, device tokens
and the tenant's accounting periods -> this till.

One pass (:func:`pull_once`) repeats, page by page, until central has nothing settled left:

1. one READ ONLY, REPEATABLE READ transaction on central, as the terminal's own role (RLS
   shows only our tenant): take the horizon ``central.pull_horizon()``, read the next page
   of ``change_log`` rows with ``(xid, id) > cursor AND xid < horizon`` in ``(xid, id)``
   order, then the CURRENT state of every row the page points at;
2. one short local writer transaction: apply the page (upsert by key, tombstones become a
   local delete or deactivation) AND store the new cursor, so both land or neither does.

Why REPEATABLE READ: ``pg_current_snapshot()`` returns the statement's active snapshot. In
READ COMMITTED each statement (and each statement inside the VOLATILE horizon function)
takes a fresh one, so a transaction could commit between the snapshot that scans
change_log and the later one whose xmin is the horizon: its rows would be below the horizon
yet invisible to the scan, and skipped forever. With one transaction snapshot, every xid
below its xmin has ended *and* is visible to every read of the pass.

Why the horizon (see ``sync/central/schema.py``, "The pull cursor"): change_log ids and
xids are handed out when a row is written, not when its transaction commits. Only below
the oldest running transaction is the log final, so the cursor never moves past a writer
that may still commit.

The till never holds its local writer lock during a network call: central is read first,
then the local transaction is short and local-only. A crash between the two (or inside the
local transaction) leaves the cursor where it was; the page is read and applied again,
and applying the current state twice is harmless.

Own echoes (rows whose ``origin_terminal_id`` is this terminal) are not applied, but the
cursor moves over them.

Device tokens (the FCM registry, services.device_tokens) merge by time on the till exactly
as at central: central's row replaces the local state only if it was decided at least as
late (``updated_at``), and ``last_seen_at`` only moves forward, so a local change not yet
pushed is never undone by an older one from another till.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
from sqlalchemy import Connection, text

from local_db.engine import Database
from local_db.ids import now_iso
from local_db.store import append_audit, post_journal, read_settings, write_settings
from local_db.uow import UnitOfWork
from services.crypto import FieldCipher
from services.customers import DATA_KEY_SETTING
from services.personal_data_erasure import apply_central_erasure, is_tombstoned
from services.errors import Conflict
from sync.central.connect import CentralUnavailable
from sync.central.schema import secret_looking
from sync.push import CentralLink, context_of
from sync.push_rows import Context

PAGE_SIZE = 10_000
log = logging.getLogger("warungin.sync.pull")

#: ``"<xid>:<id>"`` of the last change_log row applied (or skipped as an own echo).
SETTING_CURSOR = "sync.pull_cursor"
SETTING_LAST_PULL = "sync.last_pull_at"
SETTING_PULLED = "sync.pulled_total"

# Local settings central must never overwrite: the till's identity, the sync engine's own
# state and the data key choice belong to this machine, not to the store's settings.
_LOCAL_ONLY_KEYS = ("tenant_id", DATA_KEY_SETTING)
_LOCAL_ONLY_PREFIXES = ("central.", "sync.")

Connect = Callable[[], psycopg.Connection[tuple[Any, ...]]]
Cur = psycopg.Cursor[tuple[Any, ...]]
Row = dict[str, Any]


@dataclass(frozen=True, slots=True, order=True)
class PullCursor:
    xid: int = 0
    id: int = 0

    @classmethod
    def parse(cls, value: str | None) -> PullCursor:
        if not value:
            return cls()
        xid, _, ident = value.partition(":")
        return cls(int(xid), int(ident))

    def __str__(self) -> str:
        return f"{self.xid}:{self.id}"


@dataclass(slots=True)
class PullReport:
    pages: int = 0
    changes: int = 0  # change_log rows the cursor moved over
    applied: int = 0  # of those, applied to local tables
    own_echoes: int = 0  # written by this terminal: skipped
    history_only: int = 0  # product_price rows: the history stays at central
    not_for_this_till: int = 0  # another store's settings, a barcode with no product
    # barcodes equal to another product's SKU, set aside (deleted here) so they never
    # shadow the SKU: a code names one product (issue 10)
    collisions: int = 0
    cursor: str = "0:0"
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)  # not frozen: a page makes thousands, and frozen __init__ is slow
class Change:
    id: int
    xid: int
    table: str
    key: dict[str, Any]
    op: str
    origin: str | None


@dataclass(slots=True)
class Page:
    """A page of change_log rows and the current central state of what they point at."""

    changes: list[Change]
    # table -> key -> current row (absent: the row no longer exists at central)
    rows: dict[str, dict[str, Row]] = field(default_factory=dict)
    # products referenced by barcodes of the page, fetched so a barcode never arrives
    # before its product (its product's transaction may have a larger xid)
    extra_products: dict[str, Row] = field(default_factory=dict)

    @property
    def cursor(self) -> PullCursor:
        last = self.changes[-1]
        return PullCursor(last.xid, last.id)


# --- central side -------------------------------------------------------------------------

def _key_of(table: str, key: dict[str, Any]) -> str:
    if table == "barcode":
        return str(key["code"])
    if table == "store_setting":
        return f"{key['store_id']}\x1f{key['key']}"
    if table == "accounting_period":
        return str(key["period"])
    return str(key["id"])


def _ts(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).isoformat(timespec="microseconds")


def _rows(cur: Cur, sql: str, args: tuple[Any, ...]) -> list[Row]:
    cur.execute(sql, args)
    names = [d.name for d in cur.description or ()]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


_PRODUCT_SQL = (
    "SELECT p.id::text, p.sku, p.name, p.category_id::text, c.name AS category_name, p.unit, "
    "p.price, p.cost, p.tax_class, p.tracks_stock, p.low_stock_milli, p.active, "
    "p.updated_at, p.deleted_at FROM unnest(%s::uuid[]) AS k(id) "
    # A join from the wanted keys: one index probe each, whatever the statistics say (a
    # freshly loaded catalogue has none yet, and "id = ANY(...)" then scans the tenant).
    "JOIN central.product p ON p.tenant_id = %s AND p.id = k.id "
    "LEFT JOIN central.category c ON c.tenant_id = p.tenant_id AND c.id = p.category_id")


_KEY_NAMES = ("id", "code", "store_id", "key", "period")


def _read_page(cur: Cur, ctx: Context, after: PullCursor, limit: int,
               known: Callable[[list[str]], set[str]] | None = None) -> Page:
    """One page; ``known(ids)`` says which products the till already has (their barcodes
    need no extra product rows: the product's own change brings its state)."""
    (horizon,) = cur.execute("SELECT central.pull_horizon()::text").fetchone() or ("0",)
    # The key columns of every pulled table (sync/central/schema.py PULLED_TABLES) come as
    # text: a page is thousands of rows, and parsing each row_key as JSON costs more than
    # the rest of the page.
    changes = [Change(int(r[0]), int(r[1]), str(r[2]),
                      {k: v for k, v in zip(_KEY_NAMES, r[6:], strict=True) if v is not None},
                      str(r[4]), None if r[5] is None else str(r[5]))
               for r in cur.execute(
                   "SELECT id, xid::text, table_name, NULL, op, origin_terminal_id::text, "
                   f"{', '.join(f'row_key ->> {k!r}' for k in _KEY_NAMES)} "
                   "FROM central.change_log WHERE tenant_id = %s "
                   "AND (xid, id) > (%s::xid8, %s) AND xid < %s::xid8 "
                   # Qualified: a bare "xid" here would name the xid::text output column,
                   # and text order ('10000' < '9999') would skip rows at a digit boundary.
                   "ORDER BY change_log.xid, change_log.id LIMIT %s",
                   (ctx.tenant_id, str(after.xid), after.id, horizon, limit))]
    page = Page(changes)
    wanted: dict[str, set[str]] = {}
    for ch in changes:
        if ch.origin == ctx.terminal_id or ch.table == "product_price":
            continue
        if ch.table == "store_setting" and str(ch.key.get("store_id")) != ctx.store_id:
            continue
        wanted.setdefault(ch.table, set()).add(_key_of(ch.table, ch.key))
    t = ctx.tenant_id
    got: dict[str, list[Row]] = {}
    if ids := wanted.get("category"):
        got["category"] = _rows(cur, "SELECT id::text, name, deleted_at FROM central.category "
                                "WHERE tenant_id = %s AND id = ANY(%s::uuid[])", (t, list(ids)))
    if ids := wanted.get("product"):
        got["product"] = _rows(cur, _PRODUCT_SQL, (list(ids), t))
    if codes := wanted.get("barcode"):
        got["barcode"] = _rows(cur, "SELECT b.code, b.product_id::text, b.deleted_at "
                               "FROM unnest(%s::text[]) AS k(code) JOIN central.barcode b "
                               "ON b.tenant_id = %s AND b.code = k.code", (list(codes), t))
    if ids := wanted.get("users"):
        got["users"] = _rows(cur, "SELECT id::text, name, role, pin_hash, active, deleted_at "
                             "FROM central.users WHERE tenant_id = %s AND id = ANY(%s::uuid[])",
                             (t, list(ids)))
    if keys := wanted.get("store_setting"):
        got["store_setting"] = _rows(
            cur, "SELECT store_id::text, key, value, deleted_at FROM central.store_setting "
            "WHERE tenant_id = %s AND store_id = %s AND key = ANY(%s)",
            (t, ctx.store_id, [k.split("\x1f", 1)[1] for k in keys]))
    if (ids := wanted.get("device_token")) and cur.execute(
            "SELECT to_regclass('central.device_token') IS NOT NULL").fetchone() == (True,):
        got["device_token"] = _rows(
            cur, "SELECT id::text, owner_type, owner_id::text, token, platform, active, "
            "last_seen_at, deactivated_reason, created_at, updated_at "
            "FROM central.device_token WHERE tenant_id = %s AND id = ANY(%s::uuid[])",
            (t, list(ids)))
    if (periods := wanted.get("accounting_period")) and cur.execute(
            "SELECT to_regclass('central.accounting_period') IS NOT NULL").fetchone() == (True,):
        got["accounting_period"] = _rows(
            cur, "SELECT period, starts_at, ends_at, state, closed_at, closed_by, "
            "ppn_filed_at, note "
            "FROM central.accounting_period WHERE tenant_id = %s AND period = ANY(%s)",
            (t, list(periods)))
    if ids := wanted.get("customer"):
        got["customer"] = _rows(
            cur, "SELECT id::text, name_enc, phone_enc, phone_index, email_enc, address_enc, "
            "key_id, consent_marketing, credit_limit, created_at, updated_at, erased_at "
            "FROM central.customer WHERE tenant_id = %s AND id = ANY(%s::uuid[])",
            (t, list(ids)))
    if (ids := wanted.get("loyalty_entry")) and cur.execute(  # issue 15, central c0008
            "SELECT to_regclass('central.loyalty_entry') IS NOT NULL").fetchone() == (True,):
        got["loyalty_entry"] = _rows(cur, _LOYALTY_SQL, (t, list(ids)))
    for table, rows in got.items():
        page.rows[table] = {_key_of(table, r): r for r in rows}
    needed = {str(r["product_id"]) for r in got.get("barcode", [])} - wanted.get("product", set())
    if needed and known is not None:
        needed -= known(sorted(needed))
    if needed:
        page.extra_products = {str(r["id"]): r for r in _rows(cur, _PRODUCT_SQL, (list(needed), t))}
    return page


def _fetch(conn: psycopg.Connection[tuple[Any, ...]], ctx: Context, after: PullCursor,
           limit: int, known: Callable[[list[str]], set[str]] | None = None) -> Page:
    with conn.transaction(), conn.cursor() as cur:
        return _read_page(cur, ctx, after, limit, known)


def _local_products(db: Database) -> Callable[[list[str]], set[str]]:
    def known(ids: list[str]) -> set[str]:
        with UnitOfWork(db, write=False) as uow:
            return _existing(uow.conn, "product", "id", ids)
    return known


# --- local side ---------------------------------------------------------------------------

def _read_cursor(db: Database) -> PullCursor:
    with UnitOfWork(db, write=False) as uow:
        value = uow.conn.execute(text("SELECT value FROM setting WHERE key = :k"),
                                 {"k": SETTING_CURSOR}).scalar()
    return PullCursor.parse(None if value is None else str(value))


def _category(c: Connection, row: Row | None, cat_id: str) -> None:
    if row is None or row["deleted_at"] is not None:
        # A category still used by a product stays: the product's own change (moving it
        # elsewhere) follows in the log; deleting it first would break the reference.
        c.execute(text("DELETE FROM category WHERE id = :id AND NOT EXISTS "
                       "(SELECT 1 FROM product WHERE category_id = :id)"), {"id": cat_id})
        return
    _ensure_category(c, cat_id, str(row["name"]), rename=True)


def _ensure_category(c: Connection, cat_id: str, name: str, *, rename: bool) -> str:
    """The local category for central's (id, name). Two terminals may both have created
    "Minuman" offline (central allows it, the till's names are unique): the till keeps the
    one it has and products of the other are filed under it."""
    same_name = c.execute(text("SELECT id FROM category WHERE name = :n"), {"n": name}).scalar()
    if same_name is not None and str(same_name) != cat_id:
        return str(same_name)
    exists = c.execute(text("SELECT 1 FROM category WHERE id = :id"), {"id": cat_id}).scalar()
    if exists is None:
        c.execute(text("INSERT INTO category (id, name) VALUES (:id, :n)"),
                  {"id": cat_id, "n": name})
    elif rename:
        c.execute(text("UPDATE category SET name = :n WHERE id = :id"),
                  {"id": cat_id, "n": name})
    return cat_id


def _user(c: Connection, row: Row | None, user_id: str) -> None:
    if row is None or row["deleted_at"] is not None:
        # Shifts and sales name their cashier: deactivate, never delete.
        c.execute(text('UPDATE "user" SET active = 0 WHERE id = :id'), {"id": user_id})
        return
    # Names are unique on the till (people log in by name): central's user wins the name.
    c.execute(text('UPDATE "user" SET name = substr(name || \' ~\' || substr(id, 1, 4), 1, 60) '
                   "WHERE name = :n AND id <> :id"), {"n": row["name"], "id": user_id})
    c.execute(text(
        'INSERT INTO "user" (id, name, role, pin_hash, failed_pins, locked, active, created_at) '
        "VALUES (:id, :name, :role, :pin, 0, 0, :active, :at) ON CONFLICT(id) DO UPDATE SET "
        "name = excluded.name, role = excluded.role, active = excluded.active, "
        # A PIN reset by the owner also lifts a lock-out made by wrong guesses of the old PIN.
        'failed_pins = CASE WHEN "user".pin_hash = excluded.pin_hash '
        'THEN "user".failed_pins ELSE 0 END, '
        'locked = CASE WHEN "user".pin_hash = excluded.pin_hash THEN "user".locked ELSE 0 END, '
        "pin_hash = excluded.pin_hash"),
        {"id": user_id, "name": row["name"], "role": row["role"], "pin": row["pin_hash"],
         "active": bool(row["active"]), "at": now_iso()})


def _local_only(key: str) -> bool:
    return key in _LOCAL_ONLY_KEYS or key.startswith(_LOCAL_ONLY_PREFIXES)


def _setting(c: Connection, row: Row | None, key: str) -> bool:
    if _local_only(key):
        return False
    if key.startswith("courier.") and secret_looking(key):
        # Courier credentials live in the keyring only; one written at central by hand
        # never lands in SQLite (its value is not logged).
        log.warning("pull: setting %s looks like a secret; not applied", key)
        return False
    if row is None or row["deleted_at"] is not None:
        c.execute(text("DELETE FROM setting WHERE key = :k"), {"k": key})
    else:
        write_settings(c, {key: str(row["value"])})
    return True


def _customer(c: Connection, row: Row | None, customer_id: str, cipher: FieldCipher) -> bool:
    if row is None:
        return False  # central never deletes customers (erasure is an update)
    # --- personal data (issue 15): an erasure clears everything naming the person here
    # too and leaves the tombstone; a tombstoned customer is never re-created nor
    # un-erased, whatever central's copy says (services.personal_data_erasure).
    if row["erased_at"] is not None:
        stamp = _ts(row["erased_at"])
        assert stamp is not None
        return apply_central_erasure(c, customer_id, stamp)
    if is_tombstoned(c, customer_id):
        return False
    # The name travels encrypted (it is personal); the till keeps a clear copy for search.
    name = (cipher.decrypt(str(row["name_enc"]), record_id=customer_id, field="name")
            if row["name_enc"] is not None else "")
    c.execute(text(
        "INSERT INTO customer (id, name, phone_enc, phone_index, email_enc, address_enc, "
        "key_id, consent_marketing, credit_limit, created_at, updated_at) VALUES (:id, :name, "
        ":phone, :pidx, :email, :addr, :kid, :consent, :limit, :created, :updated) "
        "ON CONFLICT(id) DO UPDATE SET name = excluded.name, phone_enc = excluded.phone_enc, "
        "phone_index = excluded.phone_index, email_enc = excluded.email_enc, "
        "address_enc = excluded.address_enc, key_id = excluded.key_id, "
        "consent_marketing = excluded.consent_marketing, "
        "credit_limit = excluded.credit_limit, updated_at = excluded.updated_at "
        # An erasure made on this till is never undone by an older central copy.
        "WHERE customer.erased_at IS NULL"),
        {"id": customer_id, "name": name, "phone": row["phone_enc"],
         "pidx": row["phone_index"], "email": row["email_enc"], "addr": row["address_enc"],
         "kid": row["key_id"], "consent": bool(row["consent_marketing"]),
         "limit": int(row["credit_limit"]), "created": _ts(row["created_at"]),
         "updated": _ts(row["updated_at"])})
    return True


def _instant(value: str) -> datetime:
    return datetime.fromisoformat(value).astimezone(UTC)


def _device_token(c: Connection, row: Row | None, token_id: str) -> bool:
    """Central's current state of a device token, merged with the local row by time."""
    if row is None:
        return False  # central never deletes tokens (deactivation is an update)
    updated, seen = _ts(row["updated_at"]), _ts(row["last_seen_at"])
    assert updated is not None and seen is not None
    mine = c.execute(text("SELECT updated_at, last_seen_at FROM device_token WHERE id = :i"),
                     {"i": token_id}).first()
    values = {"i": token_id, "ot": row["owner_type"], "oi": row["owner_id"],
              "t": row["token"], "p": row["platform"], "a": bool(row["active"]),
              "r": row["deactivated_reason"], "c": _ts(row["created_at"]),
              "u": updated, "s": seen}
    if mine is None:
        clash = c.execute(text("SELECT 1 FROM device_token WHERE token = :t"),
                          {"t": row["token"]}).first()
        if clash is not None:
            return False  # known here under another id: central quarantines such pushes
        c.execute(text(
            "INSERT INTO device_token (id, owner_type, owner_id, token, platform, active, "
            "last_seen_at, deactivated_reason, created_at, updated_at) VALUES (:i, :ot, :oi, "
            ":t, :p, :a, :s, :r, :c, :u)"), values)
        return True
    if _instant(str(mine[1])) < _instant(seen):
        c.execute(text("UPDATE device_token SET last_seen_at = :s WHERE id = :i"), values)
    if _instant(str(mine[0])) <= _instant(updated):
        c.execute(text(
            "UPDATE device_token SET owner_type = :ot, owner_id = :oi, platform = :p, "
            "active = :a, deactivated_reason = :r, updated_at = :u WHERE id = :i"), values)
    return True


_PRODUCT_COLS = ("id", "sku", "name", "category_id", "unit", "price", "cost", "tax_class",
                 "tracks_stock", "low_stock_milli", "active", "updated_at")
_STAGE = "temp.pull_product"
# The page's products go to a TEMP staging table first (executemany), then into product in
# ONE statement. Product's FTS5 search index is kept by per-row triggers, and FTS5 writes
# its pending terms out at every statement boundary (savepoint): one statement per row
# would write 100,000 tiny index segments and merge them over and over; one statement per
# page writes a few large ones (16x faster for a 100,000-product catalogue).
_STAGE_TABLE = f"CREATE TEMP TABLE IF NOT EXISTS pull_product ({', '.join(_PRODUCT_COLS)})"
_STAGE_INDEX = "CREATE INDEX IF NOT EXISTS temp.pull_product_sku ON pull_product (sku)"
# Central's SKUs are unique per tenant, so a local product holding one of the page's SKUs
# under another id was made offline here; its push is quarantined at central for the owner.
# Central's product keeps the SKU the scanner and the shelf labels use; the local one is
# marked. Every such rename happens before the page's upsert, so a page that swaps SKUs
# between products never trips the unique index.
_SKU_STEP_ASIDE = (
    "UPDATE product SET sku = substr(sku || '~' || substr(id, 1, 8), 1, 40) "
    f"WHERE sku IN (SELECT sku FROM {_STAGE}) "
    f"AND NOT EXISTS (SELECT 1 FROM {_STAGE} s WHERE s.sku = product.sku AND s.id = product.id)")
_PRODUCT_UPSERT = (
    f"INSERT INTO product ({', '.join(_PRODUCT_COLS)}) "
    f"SELECT {', '.join(_PRODUCT_COLS)} FROM {_STAGE} WHERE true "
    "ON CONFLICT(id) DO UPDATE SET sku = excluded.sku, name = excluded.name, "
    "category_id = excluded.category_id, unit = excluded.unit, price = excluded.price, "
    "cost = excluded.cost, tax_class = excluded.tax_class, "
    "tracks_stock = excluded.tracks_stock, low_stock_milli = excluded.low_stock_milli, "
    "active = excluded.active, updated_at = excluded.updated_at "
    # An unchanged row is not rewritten (nor its search index entry).
    "WHERE (product.sku, product.name, product.category_id, product.unit, product.price, "
    "product.cost, product.tax_class, product.tracks_stock, product.low_stock_milli, "
    "product.active, product.updated_at) IS NOT (excluded.sku, excluded.name, "
    "excluded.category_id, excluded.unit, excluded.price, excluded.cost, excluded.tax_class, "
    "excluded.tracks_stock, excluded.low_stock_milli, excluded.active, excluded.updated_at)")
_CHUNK = 500  # ids per IN (...) on the local side


def _many(c: Connection, sql: str, rows: list[tuple[Any, ...]]) -> None:
    """``executemany`` on the raw sqlite3 cursor (an empty list runs nothing)."""
    if rows:
        c.exec_driver_sql(sql, rows)


def _chunks(values: list[str]) -> list[list[str]]:
    return [values[i:i + _CHUNK] for i in range(0, len(values), _CHUNK)]


def _existing(c: Connection, table: str, column: str, values: list[str]) -> set[str]:
    found: set[str] = set()
    for part in _chunks(values):
        marks = ", ".join("?" * len(part))
        found.update(str(v) for (v,) in c.exec_driver_sql(
            f"SELECT {column} FROM {table} WHERE {column} IN ({marks})", tuple(part)))
    return found


def _products(c: Connection, rows: dict[str, Row | None]) -> None:
    """Many products at once: the same effect as one :func:`_product` call per row, in one
    ``executemany`` per kind of statement (a 100,000-product catalogue comes down in
    seconds, not minutes)."""
    gone = [pid for pid, row in rows.items() if row is None or row["deleted_at"] is not None]
    if gone:
        # Sales, refunds and stock movements keep pointing at them: deactivate, never delete.
        stamp = now_iso()
        _many(c, "UPDATE product SET active = 0, updated_at = ? WHERE id = ?",
              [(stamp, pid) for pid in gone])
    alive = {pid: row for pid, row in rows.items()
             if row is not None and row["deleted_at"] is None}
    if not alive:
        return
    known = {str(i) for (i,) in c.exec_driver_sql("SELECT id FROM category")}
    values = []
    for pid, row in alive.items():
        cat: str | None = None
        if row["category_id"] is not None:
            if str(row["category_id"]) in known:
                cat = str(row["category_id"])
            elif row["category_name"] is not None:
                cat = _ensure_category(c, str(row["category_id"]), str(row["category_name"]),
                                       rename=False)
                known.add(cat)
        values.append((pid, row["sku"], row["name"], cat, row["unit"], int(row["price"]),
                       int(row["cost"]), row["tax_class"], bool(row["tracks_stock"]),
                       int(row["low_stock_milli"]), bool(row["active"]),
                       _ts(row["updated_at"])))
    c.exec_driver_sql(_STAGE_TABLE)
    c.exec_driver_sql(_STAGE_INDEX)
    c.exec_driver_sql(f"DELETE FROM {_STAGE}")
    _many(c, f"INSERT INTO {_STAGE} VALUES ({', '.join('?' * len(_PRODUCT_COLS))})", values)
    c.exec_driver_sql(_SKU_STEP_ASIDE)
    c.exec_driver_sql(_PRODUCT_UPSERT)
    c.exec_driver_sql(f"DELETE FROM {_STAGE}")


def _barcodes(c: Connection, rows: dict[str, Row | None]) -> dict[str, bool]:
    """Many barcodes at once; code -> applied (False: its product exists nowhere)."""
    gone = [code for code, row in rows.items() if row is None or row["deleted_at"] is not None]
    _many(c, "DELETE FROM barcode WHERE code = ?", [(code,) for code in gone])
    alive = {code: str(row["product_id"]) for code, row in rows.items()
             if row is not None and row["deleted_at"] is None}
    have = _existing(c, "product", "id", sorted(set(alive.values())))
    _many(
        c, "INSERT INTO barcode (code, product_id) VALUES (?, ?) "
        "ON CONFLICT(code) DO UPDATE SET product_id = excluded.product_id "
        "WHERE barcode.product_id IS NOT excluded.product_id",
        [(code, pid) for code, pid in alive.items() if pid in have])
    return {**dict.fromkeys(gone, True),
            **{code: pid in have for code, pid in alive.items()}}


def _set_aside_collisions(c: Connection, codes: list[str], skus: list[str]) -> int:
    """Delete every local barcode equal to ANOTHER product's SKU among the page's barcodes
    and SKUs: the SKU keeps its product (central may hold such a pair, e.g. made before the
    rule; the scanner would otherwise sell one product for the other). Logged; returns how
    many were set aside. A later change of the barcode at central comes down again."""
    found: list[tuple[str, str]] = []
    for part in _chunks(sorted(set(codes) | set(skus))):
        marks = ", ".join("?" * len(part))
        found += [(str(code), str(pid)) for code, pid in c.exec_driver_sql(
            "SELECT b.code, b.product_id FROM barcode b JOIN product o ON o.sku = b.code "
            f"AND o.id <> b.product_id WHERE b.code IN ({marks})", tuple(part))]
    for code, pid in found:
        log.warning("pull: barcode %s of product %s is another product's SKU; set aside so "
                    "it does not shadow that SKU", code, pid)
    _many(c, "DELETE FROM barcode WHERE code = ? AND product_id = ?", found)
    return len(found)


_KNOWN = ("category", "product", "barcode", "users", "store_setting", "customer",
          "device_token", "accounting_period", "loyalty_entry")


_STRICTNESS = {"open": 0, "soft": 1, "hard": 2}


def _period(c: Connection, row: Row | None, period: str) -> bool:
    """A period closed (or locked) for the tenant at central, on this till: from then on its
    database refuses non-sale postings into it (trigger ``journal_entry_period_locked``).

    Closing it here is what ``services.books.periods.close_period`` does on the till: the
    till's own closing entry moves the month's income and expenses to retained earnings
    (it goes up by the push's journal sweep), then the period row; a sale the till posts
    into the month afterwards is a late posting in its statements. The stricter state
    wins: the pull never loosens a lock this till made itself (a period is reopened
    where it was closed); a close this till already made keeps its entry and closer."""
    if row is None:
        return False  # central never deletes periods
    mine = c.execute(text("SELECT state FROM accounting_period WHERE period = :p"),
                     {"p": period}).scalar()
    state = str(row["state"])
    if mine is not None and _STRICTNESS.get(str(mine), 0) > _STRICTNESS.get(state, 0):
        state = str(mine)
    starts, ends = _ts(row["starts_at"]), _ts(row["ends_at"])
    assert starts is not None and ends is not None
    entry_id = None
    if state != "open" and (mine is None or str(mine) == "open"):
        entry_id = _closing_entry(c, period, row["starts_at"], row["ends_at"])
        append_audit(c, "period.close", entity="period", entity_id=period, actor_id=None,
                     details={"from": "central", "state": state,
                              "closing_entry_id": entry_id, "closed_by": row["closed_by"]})
    c.execute(text(
        "INSERT INTO accounting_period (period, starts_at, ends_at, state, closing_entry_id, "
        "closed_at, ppn_filed_at, note) VALUES (:p, :s, :e, :st, :ce, :ca, :pf, :n) "
        "ON CONFLICT (period) DO UPDATE SET state = excluded.state, "
        "closing_entry_id = coalesce(excluded.closing_entry_id, "
        "  accounting_period.closing_entry_id), "
        "closed_at = CASE WHEN excluded.closing_entry_id IS NOT NULL "
        "  THEN excluded.closed_at ELSE coalesce(accounting_period.closed_at, "
        "  excluded.closed_at) END, "
        "ppn_filed_at = coalesce(accounting_period.ppn_filed_at, excluded.ppn_filed_at), "
        "note = coalesce(excluded.note, accounting_period.note)"),
        {"p": period, "s": starts, "e": ends, "st": state, "ce": entry_id,
         "ca": _ts(row["closed_at"]) if state != "open" else None,
         "pf": _ts(row["ppn_filed_at"]), "n": row["note"]})
    return True


def _closing_entry(c: Connection, period: str, starts: datetime, ends: datetime
                   ) -> str | None:
    """This till's closing entry for the month (None when nothing is to move), as the
    books' own close posts it, dated the month's last instant."""
    from services.books.chart import CLOSING_KIND
    from services.books.periods import _closing_lines

    lines = _closing_lines(c, starts.astimezone(UTC), ends.astimezone(UTC))
    if not lines:
        return None
    last = (ends.astimezone(UTC) - timedelta(microseconds=1)).isoformat(
        timespec="microseconds")
    return post_journal(c, kind=CLOSING_KIND, ref_id=None, memo=f"tutup buku {period}",
                        lines=lines, created_at=last)


# --- loyalty (issue 15): the tenant's points ledger rows of the other tills -----------------

_LOYALTY_COLS = ("id", "customer_id", "kind", "points", "spend", "value", "sale_id",
                 "refund_id", "expires_at", "lot_expiry", "terminal_id", "user_id",
                 "approver_id", "reason", "created_at")
_LOYALTY_TIMES = ("expires_at", "lot_expiry", "created_at")
_LOYALTY_SQL = (
    "SELECT id::text, customer_id::text, kind, points, spend, value, sale_id::text, "
    "refund_id::text, expires_at, lot_expiry, terminal_id::text, user_id::text, "
    "approver_id::text, reason, created_at FROM central.loyalty_entry "
    "WHERE tenant_id = %s AND id = ANY(%s::uuid[])")
_LOYALTY_PUT = (
    f"INSERT INTO loyalty_entry ({', '.join(_LOYALTY_COLS)}) "
    f"SELECT {', '.join(':' + k for k in _LOYALTY_COLS)} WHERE NOT EXISTS ("
    # The same accrual or lapse under another id (cannot come from central, whose indexes
    # hold the same rule): the till keeps its own; one earn per sale stays true here.
    "SELECT 1 FROM loyalty_entry o WHERE o.id <> :id AND ((o.kind = 'earn' AND :kind = 'earn' "
    "AND o.sale_id = :sale_id) OR (o.kind = 'expire' AND :kind = 'expire' "
    "AND o.customer_id = :customer_id AND o.lot_expiry = :lot_expiry))) "
    "ON CONFLICT (id) DO UPDATE SET "
    + ", ".join(f"{k} = excluded.{k}" for k in _LOYALTY_COLS if k != "id"))


def _loyalty_entry(c: Connection, row: Row | None, entry_id: str) -> bool:
    """A ledger row as central holds it (central's copy wins: an expire row two tills made
    for the same lapse takes central's amount). History is never deleted at central."""
    if row is None:
        return False
    values = {k: (_ts(row[k]) if k in _LOYALTY_TIMES else row[k]) for k in _LOYALTY_COLS}
    return bool(c.execute(text(_LOYALTY_PUT), values).rowcount)


def apply_page(c: Connection, ctx: Context, page: Page, cipher: FieldCipher | None,
               report: PullReport) -> None:
    """Apply one page inside the caller's local transaction (it stores the cursor too).

    Each row the page names is written in its CURRENT central state, so the order within
    the page only matters for references: categories, then products (a product needs its
    category), then barcodes (a barcode needs its product), then the categories central
    deleted (after products that moved away from them), then users, settings, customers,
    device tokens, accounting periods.
    Products and barcodes go in bulk; the rest are few and go one by one."""
    todo: dict[str, dict[str, Row | None]] = {t: {} for t in _KNOWN}
    done: set[tuple[str, str]] = set()
    for ch in page.changes:
        report.changes += 1
        if ch.origin == ctx.terminal_id:
            report.own_echoes += 1
            continue
        if ch.table == "product_price":
            # product.price is the current price (central's last commit); every version
            # stays in central.product_price for the owner's history.
            report.history_only += 1
            continue
        key = _key_of(ch.table, ch.key)
        if (ch.table, key) in done:
            report.applied += 1  # the same current row, already written by this page
            continue
        done.add((ch.table, key))
        if ch.table not in todo or (ch.table == "store_setting"
                                    and str(ch.key.get("store_id")) != ctx.store_id):
            report.not_for_this_till += 1
            continue
        if ch.table == "customer" and cipher is None:
            raise Conflict("customers come down encrypted: the pull needs the shop's "
                           "data key", field="cipher")
        todo[ch.table][key] = page.rows.get(ch.table, {}).get(key)

    outcome: list[bool] = []
    cats = todo["category"]
    for cat_id, row in cats.items():
        if row is not None and row["deleted_at"] is None:
            _ensure_category(c, cat_id, str(row["name"]), rename=True)
    # Products a barcode of the page needs, fetched with the page (their own change may
    # come in a later page): written first, in their current state like any other.
    _products(c, {**page.extra_products, **todo["product"]})
    outcome += [True] * len(todo["product"])
    outcome += list(_barcodes(c, todo["barcode"]).values()) if todo["barcode"] else []
    report.collisions += _set_aside_collisions(
        c, list(todo["barcode"]),
        [str(r["sku"]) for r in [*page.extra_products.values(), *todo["product"].values()]
         if r is not None and r["deleted_at"] is None])
    for cat_id, row in cats.items():
        if row is None or row["deleted_at"] is not None:
            _category(c, row, cat_id)
    outcome += [True] * len(cats)
    for user_id, row in todo["users"].items():
        _user(c, row, user_id)
        outcome.append(True)
    for key, row in todo["store_setting"].items():
        outcome.append(_setting(c, row, key.split("\x1f", 1)[1]))
    for customer_id, row in todo["customer"].items():
        assert cipher is not None
        outcome.append(_customer(c, row, customer_id, cipher))
    for token_id, row in todo["device_token"].items():
        outcome.append(_device_token(c, row, token_id))
    for period, row in todo["accounting_period"].items():
        outcome.append(_period(c, row, period))
    for entry_id, row in todo["loyalty_entry"].items():
        outcome.append(_loyalty_entry(c, row, entry_id))
    report.applied += sum(outcome)
    report.not_for_this_till += len(outcome) - sum(outcome)


def _store(db: Database, ctx: Context, page: Page, cipher: FieldCipher | None,
           report: PullReport) -> None:
    with UnitOfWork(db) as uow:
        apply_page(uow.conn, ctx, page, cipher, report)
        write_settings(uow.conn, {SETTING_CURSOR: str(page.cursor)})
        uow.commit()


def pull_once(db: Database, link: CentralLink, *, cipher: FieldCipher | None = None,
              page_size: int = PAGE_SIZE, max_pages: int | None = None,
              connect: Connect | None = None) -> PullReport:
    """Pull every settled change (or ``max_pages`` pages). Raises CentralUnavailable when
    central cannot be reached or the connection breaks (the page in flight is not applied
    and the cursor stays). ``cipher`` decrypts customers' names (needed only if customers
    come down)."""
    started = time.perf_counter()
    ctx = context_of(db)
    cursor = _read_cursor(db)
    report = PullReport(cursor=str(cursor))
    known = _local_products(db)
    conn = (connect or link.connect)()
    # One snapshot for the horizon and every read of a page (see the module docstring).
    conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
    conn.read_only = True
    try:
        while max_pages is None or report.pages < max_pages:
            try:
                page = _fetch(conn, ctx, cursor, max(1, page_size), known)
            except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
                raise CentralUnavailable(f"the connection to central broke during a pull "
                                         f"({str(exc).strip() or type(exc).__name__}); "
                                         "nothing of the page was applied") from None
            if not page.changes:
                break
            # Counted on a copy: a failed local transaction must not count as applied.
            attempt = PullReport(**{**report.as_dict()})
            _store(db, ctx, page, cipher, attempt)
            report = attempt
            cursor = page.cursor
            report.pages += 1
            report.cursor = str(cursor)
    finally:
        conn.close()
    with UnitOfWork(db) as uow:
        total = uow.conn.execute(text("SELECT value FROM setting WHERE key = :k"),
                                 {"k": SETTING_PULLED}).scalar()
        write_settings(uow.conn, {SETTING_LAST_PULL: now_iso(),
                                  SETTING_PULLED: str(int(total or 0) + report.applied)})
        uow.commit()
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def pull_status(db: Database) -> dict[str, Any]:
    """The pull's figures for ``sync status`` (from local settings: works offline)."""
    with UnitOfWork(db, write=False) as uow:
        settings = read_settings(uow.conn)
    total = settings.get(SETTING_PULLED)
    return {"pull_cursor": settings.get(SETTING_CURSOR),
            "last_pull_at": settings.get(SETTING_LAST_PULL),
            "pulled_total": None if total is None else int(total)}


__all__ = ["PAGE_SIZE", "SETTING_CURSOR", "PullCursor", "PullReport", "apply_page",
           "pull_once", "pull_status"]

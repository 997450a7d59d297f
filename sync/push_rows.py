"""One outbox event -> the central rows it stands for (one function per event type).

Each function runs inside the push's per-event SAVEPOINT, as the terminal's own role, so
row-level security checks every row. It raises :class:`Rejected` when central must not take
the event (unknown parent, totals that do not add up); the engine then rolls back to the
savepoint and quarantines the event. Integrity errors from PostgreSQL (a second product
with the same SKU, a receipt number already used) are turned into quarantines the same way.

Rules (sync/central/schema.py):
- every row carries the tenant, and ``terminal_id``/``store_id`` from the terminal's
  central settings, never from the payload (the payload's ids are the till's own view);
- history rows are INSERT-only for a terminal: ``ON CONFLICT DO NOTHING`` makes a resent
  batch harmless; catalogue and customers are upserted ``DO UPDATE``;
- journal lines and full stock movements are not in the payloads: they are read from the
  local database (:class:`LocalRows`), journal lines numbered by local id within the entry.

Event types central has no table for (shift.*, cash.*, kasbon.repaid, and any type this
code does not know) are kept only in ``central.event`` plus their journal entries, so
central's books equal the till's. Journal entries that no outbox event carries (Midtrans
settlements, period closings) go up by the push's journal sweep (sync/push.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import psycopg
from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg

from services.tax_reports import SEEDED_TAX_CLASSES
from sync.central.schema import metadata

Cursor = psycopg.Cursor[tuple[Any, ...]]

S = "central"


class Rejected(Exception):
    """Central cannot apply this event; ``reason`` is what the owner reads."""

    def __init__(self, reason: str, detail: Mapping[str, Any] | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = dict(detail or {})


@dataclass(frozen=True, slots=True)
class Context:
    """Who is pushing, as central knows it (the local ``central.*`` settings)."""

    tenant_id: str
    terminal_id: str
    store_id: str


@dataclass(frozen=True, slots=True)
class OutboxRow:
    seq: int
    event_id: str
    type: str
    schema_version: int
    aggregate_id: str | None
    payload_json: str
    created_at: str
    _parsed: dict[str, Any] | None = field(default=None, compare=False, repr=False)

    @property
    def payload(self) -> dict[str, Any]:
        """The payload as sent, parsed once (handlers read it several times per event).
        Callers must not change it."""
        if self._parsed is not None:
            return self._parsed
        value = json.loads(self.payload_json)
        if not isinstance(value, dict):
            raise Rejected("the event's payload is not a JSON object")
        object.__setattr__(self, "_parsed", value)
        return value


@dataclass(slots=True)
class LocalRows:
    """What a batch needs from the local database beyond the payloads, read in one go."""

    stock_movements: dict[str, dict[str, Any]] = field(default_factory=dict)
    journal_entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    # entry id -> its lines in local id order: (account_code, debit, credit)
    journal_lines: dict[str, list[tuple[str, int, int]]] = field(default_factory=dict)
    # ref id -> entry ids, for events whose payload does not name their entry
    entries_by_ref: dict[str, list[str]] = field(default_factory=dict)
    categories: dict[str, str] = field(default_factory=dict)
    # expense category code -> (name, account_code), from the till's expense_category
    expense_categories: dict[str, tuple[str, str]] = field(default_factory=dict)


def movement_ids(ev: OutboxRow) -> list[str]:
    """Stock movement ids an event names (to read the full rows locally)."""
    p = ev.payload
    ids = [str(m["id"]) for m in p.get("stock_movements", []) or []]
    ids += [str(m["id"]) for m in p.get("movements", []) or []]
    if ev.type.startswith("stock.") and p.get("id"):
        ids.append(str(p["id"]))
    return ids


#: Payload keys naming one journal entry, and the key naming a list of them. Every money
#: event names its entry (``journal_entry_id``); events whose entry is found by ``ref_id``
#: (the event's aggregate) need not.
JOURNAL_KEYS = ("journal_entry_id", "journal_id")
JOURNAL_LIST_KEY = "journal_entry_ids"


def journal_ids(ev: OutboxRow) -> list[str]:
    """The journal entries an event's payload names (top level, and inside a nested
    ``payable`` object)."""
    p = ev.payload
    ids = [str(p[k]) for k in JOURNAL_KEYS if p.get(k)]
    ids += [str(i) for i in p.get(JOURNAL_LIST_KEY, []) or [] if i]
    nested = p.get("payable")
    if isinstance(nested, dict):
        ids += [str(nested[k]) for k in JOURNAL_KEYS if nested.get(k)]
    return list(dict.fromkeys(ids))


# --- event schema versions ----------------------------------------------------------------

#: The newest outbox event schema version this code applies; every older one is upcast to
#: it first. Central declares the newest version IT understands with
#: ``central.event_schema_max()`` (migration c0002; a central without it understands 1).
#: An event newer than central understands is not applied: it is kept at central beside a
#: quarantine row whose ``detail.code`` is :data:`TOO_NEW`, and re-offered by the push once
#: central has been upgraded (nothing is dropped).
#:
#: Version 2: ``sale.completed`` carries its stock movements in full (the same fields as the
#: till's stock_movement rows), not only ``{id, product_id, qty_milli}``: central's event
#: log is then a complete record of the sale on its own.
NEWEST_VERSION = 2
TOO_NEW = "schema_too_new"
_MOVE_FIELDS = ("id", "product_id", "qty_milli", "kind", "ref_id", "unit_cost", "reason",
                "supplier", "user_id", "created_at")


def _sale_v1_to_v2(payload: dict[str, Any], local: LocalRows) -> dict[str, Any]:
    moves = []
    for m in payload.get("stock_movements", []) or []:
        row = local.stock_movements.get(str(m["id"]))
        if row is None:
            raise Rejected("a stock movement named by the event is missing on the till",
                           {"movement_id": m["id"]})
        moves.append({k: row[k] for k in _MOVE_FIELDS})
    return {**payload, "stock_movements": moves}


#: (event type, version) -> the payload one version later. Types absent here kept their
#: shape from that version to the next.
UPCASTERS: dict[tuple[str, int], Callable[[dict[str, Any], LocalRows], dict[str, Any]]] = {
    ("sale.completed", 1): _sale_v1_to_v2,
}


def newest_payload(ev: OutboxRow, local: LocalRows) -> dict[str, Any]:
    """The event's payload in the shape of :data:`NEWEST_VERSION` (upcast step by step)."""
    if not 1 <= ev.schema_version <= NEWEST_VERSION:
        raise Rejected(f"event schema version {ev.schema_version} is not one this push "
                       f"knows (1 to {NEWEST_VERSION})", {"schema_version": ev.schema_version})
    payload = ev.payload
    for version in range(ev.schema_version, NEWEST_VERSION):
        step = UPCASTERS.get((ev.type, version))
        if step is not None:
            payload = step(payload, local)
    return payload


def needs_local_movements(ev: OutboxRow) -> bool:
    """Whether applying the event reads stock movement rows from the till's database."""
    return not (ev.type == "sale.completed" and ev.schema_version >= 2)


# --- shared pieces ------------------------------------------------------------------------

_PG = PGDialect_psycopg()  # type: ignore[no-untyped-call]


def _pg_type(table: str, column: str) -> str:
    """The column's PostgreSQL type name, from the schema module (one source of truth)."""
    col = metadata.tables[f"{S}.{table}"].columns[column]
    return str(col.type.compile(dialect=_PG))


def bulk_insert_sql(table: str, cols: Sequence[str], conflict: str) -> str:
    """``INSERT ... SELECT ... FROM jsonb_array_elements(<the rows>) ON CONFLICT (...) DO
    NOTHING``: many rows in ONE statement, sent as one JSON array of row arrays (fast to
    encode on the till, one parse at central). Row-level security still checks every row,
    but its ``(SELECT central.current_tenant())`` InitPlans run once per statement instead
    of once per row, and the per-statement work (bind, executor start/end, one network
    message each) is paid once per batch rather than per row. A jsonb column's value
    travels as JSON inside the row."""
    values = ", ".join(f"(r -> {i})" if _pg_type(table, c) == "JSONB"
                       else f"(r ->> {i})::{_pg_type(table, c)}" for i, c in enumerate(cols))
    return (f"INSERT INTO {S}.{table} ({_cols(cols)}) SELECT {values} "
            "FROM jsonb_array_elements(%s::jsonb) AS r "
            f"ON CONFLICT ({conflict}) DO NOTHING")


def bulk_insert(cur: Cursor, sql: str, rows: Sequence[Sequence[Any]]) -> int:
    """Run a :func:`bulk_insert_sql` statement for ``rows`` (tuples in its column order, of
    str, int, bool or None; a jsonb column's value as its Python form); returns how many
    rows went in (the others were there already)."""
    if not rows:
        return 0
    cur.execute(sql, (json.dumps(rows, separators=(",", ":")),))
    return cur.rowcount


def _movement_rows(ctx: Context, ids: Sequence[str], local: LocalRows
                   ) -> list[tuple[Any, ...]]:
    rows = []
    for mid in ids:
        m = local.stock_movements.get(mid)
        if m is None:
            raise Rejected("a stock movement named by the event is missing on the till",
                           {"movement_id": mid})
        rows.append((ctx.tenant_id, m["id"], ctx.terminal_id, ctx.store_id, m["product_id"],
                     m["qty_milli"], m["kind"], m["ref_id"], m["unit_cost"], m["reason"],
                     m["supplier"], m["user_id"], m["created_at"]))
    return rows


_INSERT_MOVEMENT = (
    f"INSERT INTO {S}.stock_movement (tenant_id, id, terminal_id, store_id, "
    "product_id, qty_milli, kind, ref_id, unit_cost, reason, supplier, user_id, "
    "created_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
    "ON CONFLICT (tenant_id, id) DO NOTHING")


def _movements(cur: Cursor, ctx: Context, ids: Sequence[str], local: LocalRows) -> None:
    rows = _movement_rows(ctx, ids, local)
    if rows:
        cur.executemany(_INSERT_MOVEMENT, rows)


_INSERT_ENTRY = (
    f"INSERT INTO {S}.journal_entry (tenant_id, id, terminal_id, store_id, kind, "
    "ref_id, memo, created_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s) "
    "ON CONFLICT (tenant_id, id) DO NOTHING")
_INSERT_JLINE = (
    f"INSERT INTO {S}.journal_line (tenant_id, entry_id, line_no, terminal_id, "
    "account_code, debit, credit) VALUES (%s, %s, %s, %s, %s, %s, %s) "
    "ON CONFLICT (tenant_id, entry_id, line_no) DO NOTHING")


def _journal_rows(ctx: Context, ev: OutboxRow, local: LocalRows
                  ) -> list[tuple[tuple[Any, ...], list[tuple[Any, ...]]]]:
    """The event's journal entries (named in the payload, else found by ref_id), each with
    its lines."""
    ids = list(dict.fromkeys(
        journal_ids(ev) + (local.entries_by_ref.get(ev.aggregate_id or "", []))))
    out = []
    for eid in ids:
        e = local.journal_entries.get(eid)
        if e is None:
            raise Rejected("a journal entry named by the event is missing on the till",
                           {"entry_id": eid})
        lines = local.journal_lines.get(eid, [])
        if sum(d for _, d, _ in lines) != sum(c for _, _, c in lines):
            raise Rejected("unbalanced journal entry", {"entry_id": eid})
        out.append(((ctx.tenant_id, eid, ctx.terminal_id, ctx.store_id, e["kind"],
                     e["ref_id"], e["memo"], e["created_at"]),
                    [(ctx.tenant_id, eid, n, ctx.terminal_id, a, d, c)
                     for n, (a, d, c) in enumerate(lines, start=1)]))
    return out


def _journal(cur: Cursor, ctx: Context, ev: OutboxRow, local: LocalRows) -> None:
    for entry, lines in _journal_rows(ctx, ev, local):
        cur.execute(_INSERT_ENTRY, entry)
        if lines:
            cur.executemany(_INSERT_JLINE, lines)


# --- one function per event type ---------------------------------------------------------

_SALE_COLS = ("id", "seq", "receipt_no", "shift_id", "cashier_id", "customer_id", "created_at",
              "subtotal", "discount_total", "net_total", "tax_total", "total", "rounding",
              "payable", "change", "status")
_LINE_COLS = ("id", "sale_id", "line_no", "product_id", "sku", "name", "unit", "qty_milli",
              "list_price", "unit_price", "line_discount", "order_discount", "gross", "net",
              "tax", "cost", "tax_class")
_PAY_COLS = ("id", "sale_id", "method", "amount", "tendered", "change", "status",
             "provider_ref")


def _cols(cols: Sequence[str]) -> str:
    return ", ".join(f'"{c}"' for c in cols)


def _marks(n: int) -> str:
    return ", ".join(["%s"] * n)


_INSERT_SALE = (
    f"INSERT INTO {S}.sale (tenant_id, terminal_id, store_id, {_cols(_SALE_COLS)}) "
    f"VALUES (%s, %s, %s, {_marks(len(_SALE_COLS))}) ON CONFLICT (tenant_id, id) DO NOTHING")
_INSERT_SALE_LINE = (
    f"INSERT INTO {S}.sale_line (tenant_id, terminal_id, {_cols(_LINE_COLS)}) "
    f"VALUES (%s, %s, {_marks(len(_LINE_COLS))}) ON CONFLICT (tenant_id, id) DO NOTHING")
_INSERT_PAYMENT = (
    f"INSERT INTO {S}.payment (tenant_id, terminal_id, {_cols(_PAY_COLS)}) "
    f"VALUES (%s, %s, {_marks(len(_PAY_COLS))}) ON CONFLICT (tenant_id, id) DO NOTHING")
_MOVE_COLS = ("tenant_id", "id", "terminal_id", "store_id", "product_id", "qty_milli", "kind",
              "ref_id", "unit_cost", "reason", "supplier", "user_id", "created_at")
_ENTRY_COLS = ("tenant_id", "id", "terminal_id", "store_id", "kind", "ref_id", "memo",
               "created_at")
_JLINE_COLS = ("tenant_id", "entry_id", "line_no", "terminal_id", "account_code", "debit",
               "credit")
# The same rows and conflict rules as the INSERTs above, many rows per statement.
BULK_SALE = bulk_insert_sql("sale", ("tenant_id", "terminal_id", "store_id", *_SALE_COLS),
                            "tenant_id, id")
BULK_SALE_LINE = bulk_insert_sql("sale_line", ("tenant_id", "terminal_id", *_LINE_COLS),
                                 "tenant_id, id")
BULK_PAYMENT = bulk_insert_sql("payment", ("tenant_id", "terminal_id", *_PAY_COLS),
                               "tenant_id, id")
BULK_MOVEMENT = bulk_insert_sql("stock_movement", _MOVE_COLS, "tenant_id, id")
BULK_ENTRY = bulk_insert_sql("journal_entry", _ENTRY_COLS, "tenant_id, id")
BULK_JLINE = bulk_insert_sql("journal_line", _JLINE_COLS, "tenant_id, entry_id, line_no")
# Central's own arithmetic over the rows it holds for a set of sales (one row per sale).
#: Tax classes whose PPN is added on top of the shelf price (migration 0001's data, held
#: equal to the till's table by services.tax_reports' test): a line of one of them has its
#: shelf amount in ``net``, the others in ``gross``, so the sale's subtotal (the shelf
#: amounts before discounts) is Σ that + discounts.
_TAX_ON_TOP = tuple(code for code, *_, inclusive in SEEDED_TAX_CLASSES if not inclusive)
_ON_TOP_SQL = ", ".join(f"'{code}'" for code in _TAX_ON_TOP) or "NULL"
_SALE_FIGURES = (
    "SELECT coalesce(l.n, 0), coalesce(l.gross, 0), coalesce(l.net, 0), "
    "coalesce(l.tax, 0), coalesce(l.disc, 0), coalesce(p.paid, 0), coalesce(l.shelf, 0) "
    "FROM unnest(%s::uuid[]) WITH ORDINALITY AS s(id, pos) "
    "LEFT JOIN (SELECT sale_id, count(*) AS n, sum(gross) AS gross, sum(net) AS net, "
    f"  sum(CASE WHEN tax_class IN ({_ON_TOP_SQL}) THEN net ELSE gross END) AS shelf, "
    f"  sum(tax) AS tax, sum(line_discount + order_discount) AS disc FROM {S}.sale_line "
    "  WHERE tenant_id = %s AND sale_id = ANY(%s::uuid[]) GROUP BY sale_id) l "
    "  ON l.sale_id = s.id "
    f"LEFT JOIN (SELECT sale_id, sum(amount) AS paid FROM {S}.payment "
    "  WHERE tenant_id = %s AND sale_id = ANY(%s::uuid[]) GROUP BY sale_id) p "
    "  ON p.sale_id = s.id ORDER BY s.pos")


@dataclass(frozen=True, slots=True)
class _SaleRows:
    sale: dict[str, Any]
    n_lines: int
    sale_row: tuple[Any, ...]
    line_rows: list[tuple[Any, ...]]
    pay_rows: list[tuple[Any, ...]]
    move_rows: list[tuple[Any, ...]]  # from the (upcast) payload: version 2 carries them


def _sale_rows(ctx: Context, ev: OutboxRow, local: LocalRows) -> _SaleRows:
    p = newest_payload(ev, local)
    sale = p["sale"]
    return _SaleRows(
        sale, len(p["lines"]),
        (ctx.tenant_id, ctx.terminal_id, ctx.store_id, *(sale[c] for c in _SALE_COLS)),
        [(ctx.tenant_id, ctx.terminal_id, *(ln[c] for c in _LINE_COLS)) for ln in p["lines"]],
        [(ctx.tenant_id, ctx.terminal_id, *(pay[c] for c in _PAY_COLS))
         for pay in p["payments"]],
        [(ctx.tenant_id, m["id"], ctx.terminal_id, ctx.store_id, m["product_id"],
          m["qty_milli"], m["kind"], m["ref_id"], m["unit_cost"], m["reason"], m["supplier"],
          m["user_id"], m["created_at"]) for m in p.get("stock_movements", []) or []])


def _check_sale(rows: _SaleRows, figures: Sequence[Any]) -> None:
    """Central's figures for the sale (count, gross, net, tax, discounts, paid) against the
    till's: a sale whose totals do not add up is rejected."""
    sale = rows.sale
    n, gross, net, tax, disc, paid, shelf = (int(v) for v in figures)
    central = {"lines": n, "total": gross, "net_total": net, "tax_total": tax,
               "discount_total": disc, "subtotal": shelf + disc,
               "payable": gross + int(sale["rounding"]), "paid": paid}
    terminal = {"lines": rows.n_lines, "total": sale["total"],
                "net_total": sale["net_total"], "tax_total": sale["tax_total"],
                "discount_total": sale["discount_total"], "subtotal": sale["subtotal"],
                "payable": sale["payable"], "paid": sale["payable"]}
    wrong = {k: {"terminal": terminal[k], "central": central[k]}
             for k in central if int(terminal[k]) != central[k]}
    if wrong:
        raise Rejected(f"sale {sale['receipt_no']}: totals do not match its lines "
                       f"({', '.join(sorted(wrong))})", {"mismatch": wrong})


def sale_completed(cur: Cursor, ctx: Context, ev: OutboxRow, local: LocalRows) -> None:
    rows = _sale_rows(ctx, ev, local)
    cur.execute(_INSERT_SALE, rows.sale_row)
    if rows.line_rows:
        cur.executemany(_INSERT_SALE_LINE, rows.line_rows)
    if rows.pay_rows:
        cur.executemany(_INSERT_PAYMENT, rows.pay_rows)
    sale_id = str(rows.sale["id"])
    row = cur.execute(_SALE_FIGURES, ([sale_id], ctx.tenant_id, [sale_id], ctx.tenant_id,
                                      [sale_id])).fetchone()
    assert row is not None
    _check_sale(rows, row)
    if rows.move_rows:
        cur.executemany(_INSERT_MOVEMENT, rows.move_rows)
    _journal(cur, ctx, ev, local)


def apply_sales(cur: Cursor, ctx: Context, events: Sequence[OutboxRow],
                local: LocalRows) -> None:
    """Many sale.completed events at once: one statement per table and one query for
    central's arithmetic, the same rows and checks as :func:`sale_completed` one by one.

    No savepoint per sale here: any Rejected or database error stops it, and the caller
    undoes the lot and applies the events one by one, which quarantines precisely."""
    try:
        sales = [_sale_rows(ctx, ev, local) for ev in events]
        moves = [m for r in sales for m in r.move_rows]
        journal = [j for ev in events for j in _journal_rows(ctx, ev, local)]
    except (KeyError, TypeError, ValueError) as exc:
        raise Rejected(f"malformed sale.completed payload ({type(exc).__name__}: {exc})"
                       ) from exc
    if not sales:
        return
    bulk_insert(cur, BULK_SALE, [r.sale_row for r in sales])
    bulk_insert(cur, BULK_SALE_LINE, [ln for r in sales for ln in r.line_rows])
    bulk_insert(cur, BULK_PAYMENT, [pay for r in sales for pay in r.pay_rows])
    ids = [str(r.sale["id"]) for r in sales]
    figures = cur.execute(_SALE_FIGURES, (ids, ctx.tenant_id, ids, ctx.tenant_id, ids)
                          ).fetchall()
    for r, row in zip(sales, figures, strict=True):
        _check_sale(r, row)
    bulk_insert(cur, BULK_MOVEMENT, moves)
    bulk_insert(cur, BULK_ENTRY, [e for e, _ in journal])
    bulk_insert(cur, BULK_JLINE, [ln for _, ls in journal for ln in ls])


_REFUND_COLS = ("id", "seq", "refund_no", "sale_id", "shift_id", "user_id", "approved_by",
                "reason", "method", "gross", "net", "tax", "cost", "to_kasbon", "to_provider",
                "cash_paid", "rounding", "created_at")
_RLINE_COLS = ("id", "refund_id", "sale_line_id", "qty_milli", "gross", "net", "tax", "cost")


def sale_refunded(cur: Cursor, ctx: Context, ev: OutboxRow, local: LocalRows) -> None:
    p = ev.payload
    refund = p["refund"]
    sale_id = str(p["sale_id"])
    # The sale may come from another terminal: central checks it, as no FK can.
    known = {str(r[0]) for r in cur.execute(
        f"SELECT id FROM {S}.sale_line WHERE tenant_id = %s AND sale_id = %s",
        (ctx.tenant_id, sale_id))}
    if not cur.execute(f"SELECT 1 FROM {S}.sale WHERE tenant_id = %s AND id = %s",
                       (ctx.tenant_id, sale_id)).fetchone():
        raise Rejected(f"refund {refund['refund_no']}: sale {p.get('receipt_no')} is unknown "
                       "at central", {"sale_id": sale_id})
    stray = [ln["sale_line_id"] for ln in p["lines"] if str(ln["sale_line_id"]) not in known]
    if stray:
        raise Rejected(f"refund {refund['refund_no']}: lines not of sale "
                       f"{p.get('receipt_no')}", {"sale_line_ids": stray})
    for k in ("gross", "net", "tax", "cost"):
        if sum(int(ln[k]) for ln in p["lines"]) != int(refund[k]):
            raise Rejected(f"refund {refund['refund_no']}: {k} does not match its lines")
    cur.execute(
        f"INSERT INTO {S}.refund (tenant_id, terminal_id, store_id, {_cols(_REFUND_COLS)}) "
        f"VALUES (%s, %s, %s, {_marks(len(_REFUND_COLS))}) "
        "ON CONFLICT (tenant_id, id) DO NOTHING",
        (ctx.tenant_id, ctx.terminal_id, ctx.store_id,
         *(refund.get(c, 0) if c in ("to_kasbon", "to_provider", "cash_paid", "rounding")
           else refund[c] for c in _REFUND_COLS)))
    if p["lines"]:
        cur.executemany(
            f"INSERT INTO {S}.refund_line (tenant_id, terminal_id, {_cols(_RLINE_COLS)}) "
            f"VALUES (%s, %s, {_marks(len(_RLINE_COLS))}) ON CONFLICT (tenant_id, id) DO NOTHING",
            [(ctx.tenant_id, ctx.terminal_id, *(ln[c] for c in _RLINE_COLS))
             for ln in p["lines"]])
    _movements(cur, ctx, movement_ids(ev), local)
    _journal(cur, ctx, ev, local)


def product_upserted(cur: Cursor, ctx: Context, ev: OutboxRow, local: LocalRows) -> None:
    p = ev.payload
    cat = p.get("category_id")
    if cat is not None:
        name = local.categories.get(str(cat))
        if name is None:
            raise Rejected("the product's category is missing on the till",
                           {"category_id": cat})
        cur.execute(
            f"INSERT INTO {S}.category (tenant_id, id, name) VALUES (%s, %s, %s) "
            "ON CONFLICT (tenant_id, id) DO UPDATE SET name = excluded.name, "
            "updated_at = now(), deleted_at = NULL", (ctx.tenant_id, cat, name))
    cur.execute(
        f"INSERT INTO {S}.product (tenant_id, id, sku, name, category_id, unit, price, cost, "
        "tax_class, tracks_stock, low_stock_milli, active, updated_at) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
        "ON CONFLICT (tenant_id, id) DO UPDATE SET sku = excluded.sku, name = excluded.name, "
        "category_id = excluded.category_id, unit = excluded.unit, price = excluded.price, "
        "cost = excluded.cost, tax_class = excluded.tax_class, "
        "tracks_stock = excluded.tracks_stock, low_stock_milli = excluded.low_stock_milli, "
        "active = excluded.active, updated_at = excluded.updated_at, deleted_at = NULL",
        (ctx.tenant_id, p["id"], p["sku"], p["name"], cat, p["unit"], p["price"], p["cost"],
         p["tax_class"], p["tracks_stock"], p["low_stock_milli"], p["active"],
         p["updated_at"]))
    # Every price the product had, in central commit order; keyed by the event, so the row
    # belongs to exactly one push.
    cur.execute(
        f"INSERT INTO {S}.product_price (tenant_id, id, product_id, price, cost, terminal_id, "
        "event_id) VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (tenant_id, id) DO NOTHING",
        (ctx.tenant_id, ev.event_id, p["id"], p["price"], p["cost"], ctx.terminal_id,
         ev.event_id))
    codes = [str(c) for c in p.get("barcodes", [])]
    if codes:
        cur.executemany(
            f"INSERT INTO {S}.barcode (tenant_id, code, product_id) VALUES (%s, %s, %s) "
            "ON CONFLICT (tenant_id, code) DO UPDATE SET product_id = excluded.product_id, "
            "updated_at = now(), deleted_at = NULL",
            [(ctx.tenant_id, c, p["id"]) for c in codes])
    # The till replaced the product's barcodes: the ones it dropped become tombstones.
    cur.execute(
        f"UPDATE {S}.barcode SET deleted_at = now(), updated_at = now() "
        "WHERE tenant_id = %s AND product_id = %s AND deleted_at IS NULL "
        "AND NOT (code = ANY(%s))", (ctx.tenant_id, p["id"], codes))


_CUSTOMER_COLS = ("name_enc", "phone_enc", "phone_index", "email_enc", "address_enc", "key_id",
                  "consent_marketing", "credit_limit", "created_at", "updated_at")


def customer_upserted(cur: Cursor, ctx: Context, ev: OutboxRow, local: LocalRows) -> None:
    p = ev.payload
    if p.get("erased") is True:
        return  # redacted at the till by the customer's erasure: nothing left to apply
    sets = ", ".join(f"{c} = excluded.{c}" for c in _CUSTOMER_COLS if c != "created_at")
    # An erasure that central already holds wins over an older edit arriving later.
    cur.execute(
        f"INSERT INTO {S}.customer (tenant_id, id, {_cols(_CUSTOMER_COLS)}) "
        f"VALUES (%s, %s, {_marks(len(_CUSTOMER_COLS))}) "
        f"ON CONFLICT (tenant_id, id) DO UPDATE SET {sets} "
        f"WHERE {S}.customer.erased_at IS NULL",
        (ctx.tenant_id, p["id"], *(p[c] for c in _CUSTOMER_COLS)))


def customer_erased(cur: Cursor, ctx: Context, ev: OutboxRow, local: LocalRows) -> None:
    p = ev.payload
    stamp = p["erased_at"]
    cur.execute(
        f"INSERT INTO {S}.customer (tenant_id, id, created_at, updated_at, erased_at) "
        "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (tenant_id, id) DO UPDATE SET "
        "name_enc = NULL, phone_enc = NULL, phone_index = NULL, email_enc = NULL, "
        "address_enc = NULL, key_id = NULL, consent_marketing = false, credit_limit = 0, "
        "updated_at = excluded.updated_at, erased_at = excluded.erased_at",
        (ctx.tenant_id, p["id"], stamp, stamp, stamp))
    _customer_tombstone(cur, ctx, ev)
    forget_loyalty_reasons(cur, ctx, str(p["id"]))  # issue 15: the points ledger's text


# --- personal data (issue 15): erasure tombstones, consent history ---------------------------

def _customer_tombstone(cur: Cursor, ctx: Context, ev: OutboxRow) -> None:
    """The tombstone (central c0010) that keeps the person erased against any till that
    was offline, and the redaction of the person's earlier upsert events. On a central
    below c0010 the erasure of the row above is all there is."""
    if cur.execute(f"SELECT to_regclass('{S}.customer_tombstone') IS NOT NULL"
                   ).fetchone() != (True,):
        return
    p = ev.payload
    cur.execute(
        f"INSERT INTO {S}.customer_tombstone (tenant_id, customer_id, terminal_id, event_id, "
        "erased_at) VALUES (%s, %s, %s, %s, %s) ON CONFLICT (tenant_id, customer_id) "
        "DO NOTHING", (ctx.tenant_id, p["id"], ctx.terminal_id, ev.event_id, p["erased_at"]))
    cur.execute(
        f"UPDATE {S}.event SET payload = jsonb_build_object('erased', true, 'id', "
        "payload ->> 'id') WHERE tenant_id = %s AND type = 'customer.upserted' "
        "AND payload ->> 'id' = %s AND payload ->> 'erased' IS NULL", (ctx.tenant_id, p["id"]))


_CONSENT_COLS = ("id", "customer_id", "granted", "source", "actor", "created_at")


def customer_consent(cur: Cursor, ctx: Context, ev: OutboxRow, local: LocalRows) -> None:
    """History row; then the customer's flag follows its latest change (trigger
    ``customer_guard`` recomputes it on any write of the row)."""
    p = ev.payload
    cur.execute(
        f"INSERT INTO {S}.consent_event (tenant_id, terminal_id, {_cols(_CONSENT_COLS)}) "
        f"VALUES (%s, %s, {_marks(len(_CONSENT_COLS))}) ON CONFLICT (tenant_id, id) DO NOTHING",
        (ctx.tenant_id, ctx.terminal_id, *(p[c] for c in _CONSENT_COLS)))
    cur.execute(f"UPDATE {S}.customer SET consent_marketing = %s WHERE tenant_id = %s "
                "AND id = %s AND erased_at IS NULL", (p["granted"], ctx.tenant_id,
                                                      p["customer_id"]))


def stock_event(cur: Cursor, ctx: Context, ev: OutboxRow, local: LocalRows) -> None:
    """goods.received and stock.adjust|waste|count: full movements from the till's rows."""
    _movements(cur, ctx, movement_ids(ev), local)
    _journal(cur, ctx, ev, local)


def event_only(cur: Cursor, ctx: Context, ev: OutboxRow, local: LocalRows) -> None:
    """No central table yet: the event itself is the record; its journal entries go up."""
    _journal(cur, ctx, ev, local)


_TOKEN_COLS = ("id", "owner_type", "owner_id", "token", "platform", "active", "last_seen_at",
               "deactivated_reason", "created_at", "updated_at")
_TOKEN_STATE = ("owner_type", "owner_id", "platform", "active", "deactivated_reason")
_TOKEN_NEWER = f"excluded.updated_at >= {S}.device_token.updated_at"


def device_token_changed(cur: Cursor, ctx: Context, ev: OutboxRow, local: LocalRows) -> None:
    """device_token.registered / .deactivated: the row's whole state, merged by time.

    The state (owner, platform, active, reason) of the newest change wins (``updated_at``):
    a deactivation sticks unless a later registration refreshes the token, and a change
    older than what central holds (a till offline for a while) does not undo it.
    ``last_seen_at`` only moves forward. A row that would change nothing is not written
    (no change_log entry, nothing to pull)."""
    p = ev.payload
    tid, token = str(p["id"]), str(p["token"])
    other = cur.execute(f"SELECT id::text FROM {S}.device_token WHERE tenant_id = %s "
                        "AND token = %s AND id <> %s", (ctx.tenant_id, token, tid)).fetchone()
    if other is not None:
        raise Rejected("a device token already known under another id (the till's software "
                       "names tokens differently)", {"token_id": tid, "known_as": other[0]})
    sets = ", ".join(f"{c} = CASE WHEN {_TOKEN_NEWER} THEN excluded.{c} "
                     f"ELSE {S}.device_token.{c} END" for c in _TOKEN_STATE)
    cur.execute(
        f"INSERT INTO {S}.device_token (tenant_id, {_cols(_TOKEN_COLS)}) "
        f"VALUES (%s, {_marks(len(_TOKEN_COLS))}) "
        f"ON CONFLICT (tenant_id, id) DO UPDATE SET {sets}, "
        f"last_seen_at = GREATEST({S}.device_token.last_seen_at, excluded.last_seen_at), "
        f"updated_at = GREATEST({S}.device_token.updated_at, excluded.updated_at) "
        f"WHERE excluded.last_seen_at > {S}.device_token.last_seen_at OR ({_TOKEN_NEWER} AND "
        f"({', '.join(f'{S}.device_token.{c}' for c in (*_TOKEN_STATE, 'updated_at'))}) "
        f"IS DISTINCT FROM ({', '.join(f'excluded.{c}' for c in (*_TOKEN_STATE, 'updated_at'))}))",
        (ctx.tenant_id, *(bool(p[c]) if c == "active" else p[c] for c in _TOKEN_COLS)))


# --- the owner's books (migration c0006) -----------------------------------------------

def _entry_of(p: Mapping[str, Any]) -> str:
    for k in (*JOURNAL_KEYS, "entry_id"):
        if p.get(k):
            return str(p[k])
    raise KeyError("journal_entry_id")


_PAYABLE_COLS = ("id", "supplier", "source", "source_id", "amount", "due_date", "note",
                 "user_id", "created_at")
_INSERT_PAYABLE = (
    f"INSERT INTO {S}.payable (tenant_id, terminal_id, store_id, {_cols(_PAYABLE_COLS)}) "
    f"VALUES (%s, %s, %s, {_marks(len(_PAYABLE_COLS))}) ON CONFLICT (tenant_id, id) DO NOTHING")


def _payable(cur: Cursor, ctx: Context, p: Mapping[str, Any]) -> None:
    if int(p["amount"]) <= 0:
        raise Rejected(f"payable {p['id']}: the amount must be above zero")
    cur.execute(_INSERT_PAYABLE, (ctx.tenant_id, ctx.terminal_id, ctx.store_id,
                                  *(p.get(c) for c in _PAYABLE_COLS)))


def _expense_category(cur: Cursor, ctx: Context, code: str, p: Mapping[str, Any],
                      local: LocalRows) -> None:
    known = local.expense_categories.get(code)
    name = p.get("category_name") or (known[0] if known else None)
    account = p.get("account_code") or p.get("account") or (known[1] if known else None)
    if account is None:
        raise Rejected(f"expense category {code!r} is unknown on the till",
                       {"category": code})
    cur.execute(
        f"INSERT INTO {S}.expense_category (tenant_id, code, name, account_code) "
        "VALUES (%s, %s, %s, %s) ON CONFLICT (tenant_id, code) DO UPDATE SET "
        "name = excluded.name, account_code = excluded.account_code, updated_at = now() "
        f"WHERE ({S}.expense_category.name, {S}.expense_category.account_code) "
        "IS DISTINCT FROM (excluded.name, excluded.account_code)",
        (ctx.tenant_id, code, str(name or code), str(account)))


_EXPENSE_COLS = ("id", "category_code", "payee", "amount", "note", "paid_from", "shift_id",
                 "payable_id", "entry_id", "spent_on", "user_id", "created_at")


def expense_recorded(cur: Cursor, ctx: Context, ev: OutboxRow, local: LocalRows) -> None:
    """expense.recorded: the expense row (its category upserted), the payable it made when
    owed (a nested ``payable`` object, if the payload carries one), its journal entry."""
    p = ev.payload
    code = str(p.get("category_code") or p["category"])
    _expense_category(cur, ctx, code, p, local)
    nested = p.get("payable")
    if isinstance(nested, dict):
        _payable(cur, ctx, nested)
    if (p["paid_from"] == "owed") != bool(p.get("payable_id")):
        raise Rejected(f"expense {p['id']}: owed if and only if it names a payable")
    row = {**p, "category_code": code, "entry_id": _entry_of(p)}
    cur.execute(
        f"INSERT INTO {S}.expense (tenant_id, terminal_id, store_id, {_cols(_EXPENSE_COLS)}) "
        f"VALUES (%s, %s, %s, {_marks(len(_EXPENSE_COLS))}) "
        "ON CONFLICT (tenant_id, id) DO NOTHING",
        (ctx.tenant_id, ctx.terminal_id, ctx.store_id, *(row.get(c) for c in _EXPENSE_COLS)))
    _journal(cur, ctx, ev, local)


def expense_category_added(cur: Cursor, ctx: Context, ev: OutboxRow, local: LocalRows
                           ) -> None:
    """expense_category.added: a category a till added (offline), with its account."""
    p = ev.payload
    _expense_category(cur, ctx, str(p["code"]), {"category_name": p["name"], **p}, local)


def payable_created(cur: Cursor, ctx: Context, ev: OutboxRow, local: LocalRows) -> None:
    _payable(cur, ctx, ev.payload)
    _journal(cur, ctx, ev, local)


_PAYPAY_COLS = ("id", "payable_id", "amount", "paid_from", "shift_id", "entry_id", "user_id",
                "created_at")


def payable_paid(cur: Cursor, ctx: Context, ev: OutboxRow, local: LocalRows) -> None:
    """payable.paid: the payment, checked against its payable at central (it must be known
    there and not be overpaid), and its journal entry."""
    p = ev.payload
    pid, amount = str(p["payable_id"]), int(p["amount"])
    row = cur.execute(
        f"SELECT amount - coalesce((SELECT sum(amount) FROM {S}.payable_payment q "
        "WHERE q.tenant_id = d.tenant_id AND q.payable_id = d.id AND q.id <> %s), 0) "
        f"FROM {S}.payable d WHERE d.tenant_id = %s AND d.id = %s",
        (str(p["id"]), ctx.tenant_id, pid)).fetchone()
    if row is None:
        raise Rejected(f"payment {p['id']}: payable {pid} is unknown at central",
                       {"payable_id": pid})
    if amount <= 0 or amount > int(row[0]):
        raise Rejected(f"payment {p['id']}: {amount} is more than payable {pid} has open "
                       f"({int(row[0])})", {"payable_id": pid, "open": int(row[0])})
    vals = {**p, "entry_id": _entry_of(p)}
    cur.execute(
        f"INSERT INTO {S}.payable_payment (tenant_id, terminal_id, store_id, "
        f"{_cols(_PAYPAY_COLS)}) VALUES (%s, %s, %s, {_marks(len(_PAYPAY_COLS))}) "
        "ON CONFLICT (tenant_id, id) DO NOTHING",
        (ctx.tenant_id, ctx.terminal_id, ctx.store_id, *(vals.get(c) for c in _PAYPAY_COLS)))
    _journal(cur, ctx, ev, local)


def goods_received(cur: Cursor, ctx: Context, ev: OutboxRow, local: LocalRows) -> None:
    """goods.received: its movements and journal, and the payable when bought on credit
    (a nested ``payable`` object)."""
    nested = ev.payload.get("payable")
    if isinstance(nested, dict):
        _payable(cur, ctx, nested)
    stock_event(cur, ctx, ev, local)


# --- loyalty (issue 15, migration c0008) -------------------------------------------------

_LOYALTY_COLS = ("id", "customer_id", "kind", "points", "spend", "value", "sale_id",
                 "refund_id", "expires_at", "lot_expiry", "user_id", "approver_id", "reason",
                 "created_at")
_LOYALTY_KINDS = frozenset({"earn", "redeem", "expire", "adjust", "refund"})


def loyalty_recorded(cur: Cursor, ctx: Context, ev: OutboxRow, local: LocalRows) -> None:
    """loyalty.recorded: a till's points ledger rows. History: ``ON CONFLICT DO NOTHING``
    on any key, so a replay, or a second till's earn row for the same sale or expire row
    for the same lapse, adds nothing (central's unique indexes; never doubled)."""
    entries = ev.payload.get("entries")
    if not isinstance(entries, list) or not entries:
        raise Rejected("a loyalty event without ledger rows")
    rows = []
    erased = _erased_members(cur, ctx, {str(e.get("customer_id")) for e in entries
                                        if isinstance(e, dict)})
    for e in entries:
        if not isinstance(e, dict) or e.get("kind") not in _LOYALTY_KINDS:
            raise Rejected("a loyalty ledger row of an unknown kind",
                           {"kind": e.get("kind") if isinstance(e, dict) else None})
        if str(e.get("customer_id")) in erased:
            e = {**e, "reason": None}  # an offline till's row of a member erased since
        rows.append((ctx.tenant_id, ctx.terminal_id, ctx.store_id,
                     *(e.get(c) for c in _LOYALTY_COLS)))
    cur.executemany(
        f"INSERT INTO {S}.loyalty_entry (tenant_id, terminal_id, store_id, "
        f"{_cols(_LOYALTY_COLS)}) VALUES (%s, %s, %s, {_marks(len(_LOYALTY_COLS))}) "
        "ON CONFLICT DO NOTHING", rows)


def _erased_members(cur: Cursor, ctx: Context, ids: set[str]) -> set[str]:
    if not ids or cur.execute(f"SELECT to_regclass('{S}.customer_tombstone') IS NOT NULL"
                              ).fetchone() != (True,):
        return set()
    return {str(r[0]) for r in cur.execute(
        f"SELECT customer_id::text FROM {S}.customer_tombstone WHERE tenant_id = %s "
        "AND customer_id::text = ANY(%s)", (ctx.tenant_id, sorted(ids)))}


def forget_loyalty_reasons(cur: Cursor, ctx: Context, customer_id: str) -> int:
    """Erasure at central: blank the member's adjustment reasons (the ledger's only free
    text); the points stay. The change comes down to every till by the pull."""
    if cur.execute(f"SELECT to_regclass('{S}.loyalty_entry') IS NOT NULL").fetchone() \
            != (True,):
        return 0
    cur.execute(f"UPDATE {S}.loyalty_entry SET reason = NULL WHERE tenant_id = %s "
                "AND customer_id = %s AND reason IS NOT NULL", (ctx.tenant_id, customer_id))
    return cur.rowcount


#: Event types that need a central table a central below some migration lacks. The push
#: keeps such events at central unapplied (as "too new") until ``central init`` made it.
NEEDS_TABLE: dict[str, str] = {
    "device_token.registered": "device_token",
    "device_token.deactivated": "device_token",
    "expense.recorded": "expense",
    "expense_category.added": "expense_category",
    "payable.created": "payable",
    "payable.paid": "payable_payment",
    "loyalty.recorded": "loyalty_entry",
    "customer.consent": "consent_event",
}


def needs_table(ev: OutboxRow) -> str | None:
    """The central table (added by a later migration) applying this event needs, if any: by
    its type, or a ``payable`` nested in its payload (goods received on credit)."""
    table = NEEDS_TABLE.get(ev.type)
    if table is not None:
        return table
    try:
        nested = ev.payload.get("payable")
    except Rejected:
        return None
    return "payable" if isinstance(nested, dict) else None


Handler = Callable[[Cursor, Context, OutboxRow, LocalRows], None]

HANDLERS: dict[str, Handler] = {
    "sale.completed": sale_completed,
    "sale.refunded": sale_refunded,
    "product.upserted": product_upserted,
    "customer.upserted": customer_upserted,
    "customer.erased": customer_erased,
    "goods.received": goods_received,
    "stock.adjust": stock_event,
    "stock.waste": stock_event,
    "stock.count": stock_event,
    "device_token.registered": device_token_changed,
    "device_token.deactivated": device_token_changed,
    "expense.recorded": expense_recorded,
    "expense_category.added": expense_category_added,
    "payable.created": payable_created,
    "payable.paid": payable_paid,
    "loyalty.recorded": loyalty_recorded,
    "customer.consent": customer_consent,
}


def apply_event(cur: Cursor, ctx: Context, ev: OutboxRow, local: LocalRows) -> None:
    handler = HANDLERS.get(ev.type, event_only)
    try:
        handler(cur, ctx, ev, local)
    except (KeyError, TypeError, ValueError) as exc:
        # A payload missing a field this version of central needs: the owner must see it,
        # the events behind it must not wait for it.
        raise Rejected(f"malformed {ev.type} payload ({type(exc).__name__}: {exc})") from exc


__all__ = ["Context", "HANDLERS", "LocalRows", "NEEDS_TABLE", "NEWEST_VERSION", "OutboxRow",
           "Rejected",
           "TOO_NEW", "UPCASTERS", "apply_event", "apply_sales", "bulk_insert",
           "bulk_insert_sql", "needs_local_movements", "newest_payload",
           "journal_ids", "movement_ids", "needs_table", "JOURNAL_KEYS", "JOURNAL_LIST_KEY"]

"""The till's per-day (and per-hour) sales summaries for analytics (migration 0004).

Tables (models in ``local_db.models``): ``sales_hour_summary`` (local day and hour: sales,
their payable, lines, quantity, refunds and their gross), ``sales_product_day`` and
``sales_product_month`` (per product: quantity, gross, lines, sales with the product,
and the largest SKU/name/unit seen, as ``max()`` over the raw lines gives),
``sales_customer_day`` (sales per customer, ``customer_key`` '' for sales without one)
and ``sales_cashier_day``.

How they never drift from the raw rows:

- AFTER INSERT triggers on ``sale``, ``sale_line`` and ``refund`` add each row in the
  sale's (refund's) own transaction: the write path is one BEGIN IMMEDIATE transaction,
  so a sale and its summary commit or roll back together. ``sale_line`` and ``refund``
  are append-only (0001's triggers).
- ``sale`` is not append-only: an UPDATE of a column the summaries read (``created_at``,
  ``payable``, ``cashier_id``, ``customer_id``) or a DELETE marks the summaries stale
  (``sales_summary_state.stale = 1``); the analytics then read the raw rows (exact,
  slower) until :func:`rebuild` runs.
- The store's zone. Days and hours are local to the ``timezone`` setting; the triggers
  read the offset from the one row of ``sales_summary_state`` (``shift``, a ``date()``
  modifier such as ``+420 minutes``). Only zones with one offset all year are summarised
  (WIB Asia/Jakarta and Asia/Pontianak +7, WITA Asia/Makassar +8, WIT Asia/Jayapura +9,
  UTC): any other zone leaves ``shift`` NULL, the triggers idle and the analytics read
  raw rows. Triggers on ``setting`` keep the row in step with the ``timezone`` setting
  (insert, update, delete: the default Asia/Jakarta) and, when the zone really changes,
  rebuild every summary in that same transaction.

Stamps are cut to whole seconds before ``date()``/``strftime()`` (as
``services.reports.source`` does: SQLite rounds milliseconds, which could move
23:59:59.9996 into the next day).

No CTEs here: SQLite refuses them inside trigger bodies, and the rebuild runs in one.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, text

#: Zones summarised, with their one offset in minutes (no DST in any of them).
FIXED_ZONES: dict[str, int] = {"Asia/Jakarta": 420, "Asia/Pontianak": 420,
                               "Asia/Makassar": 480, "Asia/Jayapura": 540, "UTC": 0,
                               "Etc/UTC": 0}
DEFAULT_ZONE = "Asia/Jakarta"
TABLES = ("sales_hour_summary", "sales_product_day", "sales_product_month",
          "sales_customer_day", "sales_cashier_day")

_Z = "(SELECT shift FROM sales_summary_state WHERE id = 1)"


def _day(col: str) -> str:
    return f"date(substr({col}, 1, 19), {_Z})"


def _hour(col: str) -> str:
    return f"CAST(strftime('%H', substr({col}, 1, 19), {_Z}) AS INTEGER)"


def _offset_case(value: str) -> str:
    whens = " ".join(f"WHEN '{z}' THEN {m}" for z, m in FIXED_ZONES.items())
    return f"(CASE {value} {whens} ELSE NULL END)"


def _shift_case(value: str) -> str:
    whens = " ".join(f"WHEN '{z}' THEN '{m:+d} minutes'" for z, m in FIXED_ZONES.items())
    return f"(CASE {value} {whens} ELSE NULL END)"


TABLES_DDL = [
    """CREATE TABLE sales_summary_state (
         id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
         timezone VARCHAR(64) NOT NULL,
         offset_minutes INTEGER,
         shift VARCHAR(24),
         stale INTEGER NOT NULL DEFAULT 0)""",
    """CREATE TABLE sales_hour_summary (
         day VARCHAR(10) NOT NULL, hour INTEGER NOT NULL,
         sales_count BIGINT NOT NULL, sales_amount BIGINT NOT NULL,
         line_count BIGINT NOT NULL, qty_milli BIGINT NOT NULL,
         refund_count BIGINT NOT NULL, refund_amount BIGINT NOT NULL,
         PRIMARY KEY (day, hour)) WITHOUT ROWID""",
    *(f"""CREATE TABLE sales_product_{grain} (
         {key} VARCHAR({width}) NOT NULL, product_id VARCHAR(36) NOT NULL,
         sku VARCHAR(40) NOT NULL, name VARCHAR(120) NOT NULL, unit VARCHAR(12) NOT NULL,
         qty_milli BIGINT NOT NULL, amount BIGINT NOT NULL,
         line_count BIGINT NOT NULL, sales_count BIGINT NOT NULL,
         PRIMARY KEY (product_id, {key})) WITHOUT ROWID"""
      for grain, key, width in (("day", "day", 10), ("month", "month", 7))),
    # Product first: a long period's ranking reads the rows in product order and sums
    # them as they come (no sort of 200,000 keys); the index serves short periods.
    "CREATE INDEX ix_sales_product_day_day ON sales_product_day (day)",
    "CREATE INDEX ix_sales_product_month_month ON sales_product_month (month)",
    """CREATE TABLE sales_customer_day (
         day VARCHAR(10) NOT NULL, customer_key VARCHAR(36) NOT NULL,
         sales_count BIGINT NOT NULL,
         PRIMARY KEY (day, customer_key)) WITHOUT ROWID""",
    """CREATE TABLE sales_cashier_day (
         day VARCHAR(10) NOT NULL, cashier_id VARCHAR(36) NOT NULL,
         sales_count BIGINT NOT NULL, sales_amount BIGINT NOT NULL,
         PRIMARY KEY (day, cashier_id)) WITHOUT ROWID""",
]

_HOUR_COLS = ("day, hour, sales_count, sales_amount, line_count, qty_milli, refund_count, "
              "refund_amount")
_PRODUCT_COLS = "product_id, sku, name, unit, qty_milli, amount, line_count, sales_count"
_PRODUCT_UPSERT = """ON CONFLICT ({key}, product_id) DO UPDATE SET
       sku = max(sku, excluded.sku), name = max(name, excluded.name),
       unit = max(unit, excluded.unit), qty_milli = qty_milli + excluded.qty_milli,
       amount = amount + excluded.amount, line_count = line_count + 1,
       sales_count = sales_count + excluded.sales_count"""

#: The statements that recompute every summary from the raw rows (also a trigger body).
REBUILD = [
    *(f"DELETE FROM {t}" for t in TABLES),
    f"""INSERT INTO sales_hour_summary ({_HOUR_COLS})
SELECT d, h, sum(sc), sum(sa), sum(lc), sum(q), sum(rc), sum(ra) FROM (
  SELECT {_day('created_at')} AS d, {_hour('created_at')} AS h, count(*) AS sc,
         sum(payable) AS sa, 0 AS lc, 0 AS q, 0 AS rc, 0 AS ra FROM sale GROUP BY 1, 2
  UNION ALL
  SELECT {_day('s.created_at')}, {_hour('s.created_at')}, 0, 0, count(*), sum(l.qty_milli),
         0, 0 FROM sale_line l JOIN sale s ON s.id = l.sale_id GROUP BY 1, 2
  UNION ALL
  SELECT {_day('created_at')}, {_hour('created_at')}, 0, 0, 0, 0, count(*), sum(gross)
    FROM refund GROUP BY 1, 2)
WHERE d IS NOT NULL GROUP BY d, h""",
    f"""INSERT INTO sales_product_day (day, {_PRODUCT_COLS})
SELECT {_day('s.created_at')}, l.product_id, max(l.sku), max(l.name), max(l.unit),
       sum(l.qty_milli), sum(l.gross), count(*), count(DISTINCT l.sale_id)
  FROM sale_line l JOIN sale s ON s.id = l.sale_id WHERE {_Z} IS NOT NULL GROUP BY 1, 2""",
    f"""INSERT INTO sales_product_month (month, {_PRODUCT_COLS})
SELECT substr(day, 1, 7), product_id, max(sku), max(name), max(unit), sum(qty_milli),
       sum(amount), sum(line_count), sum(sales_count)
  FROM sales_product_day GROUP BY 1, 2""",
    f"""INSERT INTO sales_customer_day (day, customer_key, sales_count)
SELECT {_day('created_at')}, coalesce(customer_id, ''), count(*) FROM sale
 WHERE {_Z} IS NOT NULL GROUP BY 1, 2""",
    f"""INSERT INTO sales_cashier_day (day, cashier_id, sales_count, sales_amount)
SELECT {_day('created_at')}, cashier_id, count(*), sum(payable) FROM sale
 WHERE {_Z} IS NOT NULL GROUP BY 1, 2""",
    "UPDATE sales_summary_state SET stale = (shift IS NULL) WHERE id = 1",
]

_LIVE = f"WHEN {_Z} IS NOT NULL"


def _zone_trigger(name: str, event: str, value: str, row: str) -> str:
    """On a change of the ``timezone`` setting that changes the zone: follow it and
    rebuild (a zone change is rare; the rebuild is seconds on a year of sales)."""
    body = ";\n".join([
        f"UPDATE sales_summary_state SET timezone = {value}, "
        f"offset_minutes = {_offset_case(value)}, shift = {_shift_case(value)}, stale = 1 "
        "WHERE id = 1", *REBUILD])
    return (f"CREATE TRIGGER {name} AFTER {event} ON setting\n"
            f"WHEN {row}.key = 'timezone' AND {value} IS NOT "
            "(SELECT timezone FROM sales_summary_state WHERE id = 1)\n"
            f"BEGIN\n{body};\nEND")


_SETTING_VALUE = f"coalesce(NULLIF(NEW.value, ''), '{DEFAULT_ZONE}')"

TRIGGERS = [
    f"""CREATE TRIGGER sales_summary_sale AFTER INSERT ON sale {_LIVE}
BEGIN
  INSERT INTO sales_hour_summary ({_HOUR_COLS})
  VALUES ({_day('NEW.created_at')}, {_hour('NEW.created_at')}, 1, NEW.payable, 0, 0, 0, 0)
  ON CONFLICT (day, hour) DO UPDATE SET sales_count = sales_count + 1,
     sales_amount = sales_amount + excluded.sales_amount;
  INSERT INTO sales_cashier_day (day, cashier_id, sales_count, sales_amount)
  VALUES ({_day('NEW.created_at')}, NEW.cashier_id, 1, NEW.payable)
  ON CONFLICT (day, cashier_id) DO UPDATE SET sales_count = sales_count + 1,
     sales_amount = sales_amount + excluded.sales_amount;
  INSERT INTO sales_customer_day (day, customer_key, sales_count)
  VALUES ({_day('NEW.created_at')}, coalesce(NEW.customer_id, ''), 1)
  ON CONFLICT (day, customer_key) DO UPDATE SET sales_count = sales_count + 1;
END""",
    # A line counts its sale for the product once: when no other line of the same sale
    # names the product (sale_id is indexed).
    f"""CREATE TRIGGER sales_summary_line AFTER INSERT ON sale_line {_LIVE}
BEGIN
  INSERT INTO sales_hour_summary ({_HOUR_COLS})
  SELECT {_day('s.created_at')}, {_hour('s.created_at')}, 0, 0, 1, NEW.qty_milli, 0, 0
    FROM sale s WHERE s.id = NEW.sale_id
  ON CONFLICT (day, hour) DO UPDATE SET line_count = line_count + 1,
     qty_milli = qty_milli + excluded.qty_milli;
  INSERT INTO sales_product_day (day, {_PRODUCT_COLS})
  SELECT {_day('s.created_at')}, NEW.product_id, NEW.sku, NEW.name, NEW.unit,
         NEW.qty_milli, NEW.gross, 1,
         NOT EXISTS (SELECT 1 FROM sale_line o WHERE o.sale_id = NEW.sale_id
                     AND o.product_id = NEW.product_id AND o.id <> NEW.id)
    FROM sale s WHERE s.id = NEW.sale_id
  {_PRODUCT_UPSERT.format(key='day')};
  INSERT INTO sales_product_month (month, {_PRODUCT_COLS})
  SELECT substr({_day('s.created_at')}, 1, 7), NEW.product_id, NEW.sku, NEW.name,
         NEW.unit, NEW.qty_milli, NEW.gross, 1,
         NOT EXISTS (SELECT 1 FROM sale_line o WHERE o.sale_id = NEW.sale_id
                     AND o.product_id = NEW.product_id AND o.id <> NEW.id)
    FROM sale s WHERE s.id = NEW.sale_id
  {_PRODUCT_UPSERT.format(key='month')};
END""",
    f"""CREATE TRIGGER sales_summary_refund AFTER INSERT ON refund {_LIVE}
BEGIN
  INSERT INTO sales_hour_summary ({_HOUR_COLS})
  VALUES ({_day('NEW.created_at')}, {_hour('NEW.created_at')}, 0, 0, 0, 0, 1, NEW.gross)
  ON CONFLICT (day, hour) DO UPDATE SET refund_count = refund_count + 1,
     refund_amount = refund_amount + excluded.refund_amount;
END""",
    """CREATE TRIGGER sales_summary_sale_changed AFTER UPDATE OF created_at, payable,
       cashier_id, customer_id ON sale
WHEN NEW.created_at IS NOT OLD.created_at OR NEW.payable IS NOT OLD.payable
  OR NEW.cashier_id IS NOT OLD.cashier_id OR NEW.customer_id IS NOT OLD.customer_id
BEGIN UPDATE sales_summary_state SET stale = 1 WHERE id = 1 AND stale = 0; END""",
    """CREATE TRIGGER sales_summary_sale_deleted AFTER DELETE ON sale
BEGIN UPDATE sales_summary_state SET stale = 1 WHERE id = 1 AND stale = 0; END""",
    _zone_trigger("sales_summary_zone_set", "INSERT", _SETTING_VALUE, "NEW"),
    _zone_trigger("sales_summary_zone_changed", "UPDATE OF value", _SETTING_VALUE, "NEW"),
    _zone_trigger("sales_summary_zone_removed", "DELETE", f"'{DEFAULT_ZONE}'", "OLD"),
]

TRIGGER_NAMES = ("sales_summary_sale", "sales_summary_line", "sales_summary_refund",
                 "sales_summary_sale_changed", "sales_summary_sale_deleted",
                 "sales_summary_zone_set", "sales_summary_zone_changed",
                 "sales_summary_zone_removed")

_ZONE_NOW = (f"coalesce((SELECT NULLIF(value, '') FROM setting WHERE key = 'timezone'), "
             f"'{DEFAULT_ZONE}')")
#: The state row for the shop's zone at the time (the migration's first step).
INIT_STATE = (f"INSERT INTO sales_summary_state (id, timezone, offset_minutes, shift, stale) "
              f"SELECT 1, {_ZONE_NOW}, {_offset_case(_ZONE_NOW)}, {_shift_case(_ZONE_NOW)}, 1")


def create(conn: Connection) -> None:
    """Tables, state, a first build from the rows already there, then the triggers."""
    for stmt in (*TABLES_DDL, INIT_STATE, *REBUILD, *TRIGGERS):
        conn.exec_driver_sql(stmt)


def drop(conn: Connection) -> None:
    for name in TRIGGER_NAMES:
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    for t in (*TABLES, "sales_summary_state"):
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {t}")


#: :data:`REBUILD` for a caller outside a trigger: each sale's local day and hour are
#: worked out once (a temporary table) instead of once per line. Same figures; the drift
#: check (:func:`differences`) compares against :data:`REBUILD` itself.
_PLACED = """CREATE TEMP TABLE sales_summary_placed (
  id VARCHAR(36) NOT NULL PRIMARY KEY, day VARCHAR(10) NOT NULL, hour INTEGER NOT NULL)
  WITHOUT ROWID"""
FAST_REBUILD = [
    *(f"DELETE FROM {t}" for t in TABLES),
    "DROP TABLE IF EXISTS temp.sales_summary_placed",
    _PLACED,
    f"""INSERT INTO temp.sales_summary_placed (id, day, hour)
SELECT id, {_day('created_at')}, {_hour('created_at')} FROM sale WHERE {_Z} IS NOT NULL""",
    f"""INSERT INTO sales_hour_summary ({_HOUR_COLS})
SELECT d, h, sum(sc), sum(sa), sum(lc), sum(q), sum(rc), sum(ra) FROM (
  SELECT p.day AS d, p.hour AS h, count(*) AS sc, sum(s.payable) AS sa, 0 AS lc, 0 AS q,
         0 AS rc, 0 AS ra
    FROM sale s JOIN temp.sales_summary_placed p ON p.id = s.id GROUP BY 1, 2
  UNION ALL
  SELECT p.day, p.hour, 0, 0, count(*), sum(l.qty_milli), 0, 0
    FROM sale_line l JOIN temp.sales_summary_placed p ON p.id = l.sale_id GROUP BY 1, 2
  UNION ALL
  SELECT {_day('created_at')}, {_hour('created_at')}, 0, 0, 0, 0, count(*), sum(gross)
    FROM refund WHERE {_Z} IS NOT NULL GROUP BY 1, 2)
GROUP BY d, h""",
    f"""INSERT INTO sales_product_day (day, {_PRODUCT_COLS})
SELECT p.day, l.product_id, max(l.sku), max(l.name), max(l.unit), sum(l.qty_milli),
       sum(l.gross), count(*), count(DISTINCT l.sale_id)
  FROM sale_line l JOIN temp.sales_summary_placed p ON p.id = l.sale_id GROUP BY 1, 2""",
    *(x for x in REBUILD if x.startswith("INSERT INTO sales_product_month")),
    """INSERT INTO sales_customer_day (day, customer_key, sales_count)
SELECT p.day, coalesce(s.customer_id, ''), count(*)
  FROM sale s JOIN temp.sales_summary_placed p ON p.id = s.id GROUP BY 1, 2""",
    """INSERT INTO sales_cashier_day (day, cashier_id, sales_count, sales_amount)
SELECT p.day, s.cashier_id, count(*), sum(s.payable)
  FROM sale s JOIN temp.sales_summary_placed p ON p.id = s.id GROUP BY 1, 2""",
    "DROP TABLE temp.sales_summary_placed",
    REBUILD[-1],
]


def rebuild(conn: Connection) -> None:
    """Recompute every summary from the raw rows, in the caller's transaction (the
    recovery path, and the benchmark's after it rewrote ``sale.created_at``)."""
    for stmt in FAST_REBUILD:
        conn.exec_driver_sql(stmt)


@dataclass(frozen=True, slots=True)
class SummaryState:
    timezone: str
    offset_minutes: int | None
    stale: bool

    def usable_for(self, timezone: str, offset_minutes: int) -> bool:
        """Whether a report in ``timezone`` (at this offset) may read the summaries."""
        return (not self.stale and self.timezone == timezone
                and self.offset_minutes == offset_minutes)


def state(conn: Connection) -> SummaryState | None:
    """The summaries' zone and freshness; None where the schema has none (older file)."""
    if conn.execute(text("SELECT 1 FROM sqlite_master WHERE type = 'table' "
                         "AND name = 'sales_summary_state'")).first() is None:
        return None
    row = conn.execute(text("SELECT timezone, offset_minutes, stale "
                            "FROM sales_summary_state WHERE id = 1")).first()
    if row is None:
        return None
    return SummaryState(str(row[0]), None if row[1] is None else int(row[1]), bool(row[2]))


def differences(conn: Connection) -> dict[str, int]:
    """Rows of each summary that differ from a fresh computation from the raw rows (0
    everywhere when they agree): the check that they never drifted. Read-only: the
    fresh figures go to temporary tables dropped at the end."""
    out: dict[str, int] = {}
    for t in TABLES:
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS temp.fresh_{t}")
        conn.exec_driver_sql(f"CREATE TEMP TABLE fresh_{t} AS SELECT * FROM main.{t} "
                             "WHERE 0")
    for stmt in REBUILD:
        if stmt.startswith("DELETE") or stmt.startswith("UPDATE"):
            continue
        fresh = stmt
        for t in TABLES:
            fresh = fresh.replace(f"INSERT INTO {t} ", f"INSERT INTO temp.fresh_{t} ")
            fresh = fresh.replace(f"FROM {t} ", f"FROM temp.fresh_{t} ")
        conn.exec_driver_sql(fresh)
    for t in TABLES:
        n = conn.execute(text(
            f"SELECT (SELECT count(*) FROM (SELECT * FROM main.{t} EXCEPT "
            f"SELECT * FROM temp.fresh_{t})) + (SELECT count(*) FROM (SELECT * FROM "
            f"temp.fresh_{t} EXCEPT SELECT * FROM main.{t}))")).scalar_one()
        out[t] = int(n)
        conn.exec_driver_sql(f"DROP TABLE temp.fresh_{t}")
    return out


__all__ = ["DEFAULT_ZONE", "FIXED_ZONES", "REBUILD", "TABLES", "TRIGGERS", "SummaryState",
           "create", "differences", "drop", "rebuild", "state"]

"""per-day sales summary for the tenant's analytics (issue 14)

Revision ID: c0007
Revises: c0006
Create Date: 2026-12-07

Run under ``SET ROLE <prefix>_owner`` by ``sync.central.admin.init`` like c0001.

Sales by the store's local day and hour, by product per day and per month, by customer
and by cashier per day, per tenant and terminal (``store_id`` beside), so the analytics
read a few thousand rows instead of a year of sale lines (``services.analytics``).

- Kept by statement-level AFTER INSERT triggers on ``sale``, ``sale_line`` and ``refund``
  over their transition tables: only the rows an INSERT really added are counted, so a
  re-sent push (``ON CONFLICT DO NOTHING``) never counts twice, and a bulk push or COPY
  aggregates once per statement. They run in the push's own transaction.
- The zone: ``central.sales_summary_zone(tenant, store)`` is the store's ``timezone``
  setting when it is one of the zones the tills summarise, else Asia/Jakarta. A change of
  that setting (a row trigger on ``store_setting``) rebuilds the store's summaries in the
  same transaction; ``services.analytics_summary`` reads them only for a report in the
  same zone.
- Who writes: nobody but the triggers. Their functions are SECURITY DEFINER (this
  migration's role, the schema owner), and the owner gets policies only where the
  triggers need them: ALL on the summaries, SELECT on sale, sale_line, store and
  store_setting (the owner is NOLOGIN, entered only by the administrator). Terminals and
  readers get SELECT on the summaries within their tenant, as on the history tables.
- ``central.sales_summary_rebuild(tenant, store)`` (NULL: all) recomputes from the raw
  rows: the first build here, the zone change, and the administrator's recovery path
  (``sync.central.sales_summary.rebuild``).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'c0007'
down_revision = 'c0006'
branch_labels = None
depends_on = None

S = "central"
TENANT = "tenant_id = (SELECT central.current_tenant())"
SUMMARIES = ("sales_hour_summary", "sales_product_day", "sales_product_month",
             "sales_customer_day", "sales_cashier_day")
READ_FOR_TRIGGERS = ("sale", "sale_line", "refund", "store", "store_setting")
ZONES = ("Asia/Jakarta", "Asia/Pontianak", "Asia/Makassar", "Asia/Jayapura", "UTC",
         "Etc/UTC")


def _roles() -> tuple[str, str, str]:
    prefix = op.get_bind().execute(sa.text(
        "SELECT role_prefix FROM central.installation")).scalar_one()
    return f'"{prefix}_terminal"', f'"{prefix}_reader"', f'"{prefix}_owner"'


def _uuid(name: str) -> sa.Column[str]:
    return sa.Column(name, sa.UUID(as_uuid=False), nullable=False)


def _n(name: str) -> sa.Column[int]:
    return sa.Column(name, sa.BigInteger(), nullable=False)


def _tables() -> None:
    op.create_table(
        'sales_hour_summary',
        _uuid('tenant_id'), sa.Column('day', sa.Text(), nullable=False), _uuid('terminal_id'),
        sa.Column('hour', sa.Integer(), nullable=False), _uuid('store_id'),
        _n('sales_count'), _n('sales_amount'), _n('line_count'), _n('qty_milli'),
        _n('refund_count'), _n('refund_amount'),
        sa.PrimaryKeyConstraint('tenant_id', 'day', 'terminal_id', 'hour',
                                name=op.f('pk_sales_hour_summary')),
        schema=S)
    for name, key in (("sales_product_day", "day"), ("sales_product_month", "month")):
        op.create_table(
            name,
            _uuid('tenant_id'), sa.Column(key, sa.Text(), nullable=False),
            _uuid('terminal_id'), _uuid('product_id'), _uuid('store_id'),
            sa.Column('sku', sa.Text(), nullable=False),
            sa.Column('name', sa.Text(), nullable=False),
            sa.Column('unit', sa.Text(), nullable=False),
            _n('qty_milli'), _n('amount'), _n('line_count'), _n('sales_count'),
            sa.PrimaryKeyConstraint('tenant_id', key, 'terminal_id', 'product_id',
                                    name=op.f(f'pk_{name}')),
            schema=S)
        op.create_index(op.f(f'ix_{name}_tenant_id_product_id'), name,
                        ['tenant_id', 'product_id'], unique=False, schema=S)
    op.create_table(
        'sales_customer_day',
        _uuid('tenant_id'), sa.Column('day', sa.Text(), nullable=False), _uuid('terminal_id'),
        sa.Column('customer_key', sa.Text(), nullable=False), _uuid('store_id'),
        _n('sales_count'),
        sa.PrimaryKeyConstraint('tenant_id', 'day', 'terminal_id', 'customer_key',
                                name=op.f('pk_sales_customer_day')),
        schema=S)
    op.create_table(
        'sales_cashier_day',
        _uuid('tenant_id'), sa.Column('day', sa.Text(), nullable=False), _uuid('terminal_id'),
        _uuid('cashier_id'), _uuid('store_id'), _n('sales_count'), _n('sales_amount'),
        sa.PrimaryKeyConstraint('tenant_id', 'day', 'terminal_id', 'cashier_id',
                                name=op.f('pk_sales_cashier_day')),
        schema=S)


_ZONE_LIST = ", ".join(f"'{z}'" for z in ZONES)
# The stores' zones, as a join: (tenant_id, store_id, zone) for the stores of the tenants
# in play (a store without a row, which cannot happen, would count as Asia/Jakarta).
_DAY = "to_char(timezone({z}, {t}), 'YYYY-MM-DD')"
_HOUR = "extract(hour FROM timezone({z}, {t}))::int"


def _day(z: str, t: str) -> str:
    return _DAY.format(z=z, t=t)


def _hour(z: str, t: str) -> str:
    return _HOUR.format(z=z, t=t)


FUNCTIONS = f"""
CREATE FUNCTION central.sales_summary_zone(p_tenant uuid, p_store uuid) RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
  SELECT coalesce((SELECT value FROM central.store_setting
                    WHERE tenant_id = p_tenant AND store_id = p_store AND key = 'timezone'
                      AND deleted_at IS NULL AND value IN ({_ZONE_LIST})), 'Asia/Jakarta')
$$;

CREATE FUNCTION central.sales_summary_sale() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
  WITH zones AS (
    SELECT st.tenant_id, st.id AS store_id,
           central.sales_summary_zone(st.tenant_id, st.id) AS zone
      FROM central.store st WHERE st.tenant_id IN (SELECT DISTINCT tenant_id FROM new_rows)),
  placed AS (
    SELECT n.tenant_id, n.terminal_id, n.store_id, n.cashier_id, n.customer_id, n.payable,
           timezone(coalesce(z.zone, 'Asia/Jakarta'), n.created_at) AS t
      FROM new_rows n LEFT JOIN zones z
        ON z.tenant_id = n.tenant_id AND z.store_id = n.store_id),
  hours AS (
    INSERT INTO central.sales_hour_summary AS x (tenant_id, day, terminal_id, hour, store_id,
        sales_count, sales_amount, line_count, qty_milli, refund_count, refund_amount)
    SELECT tenant_id, to_char(t, 'YYYY-MM-DD'), terminal_id, extract(hour FROM t)::int,
           store_id, count(*), sum(payable), 0, 0, 0, 0
      FROM placed GROUP BY 1, 2, 3, 4, 5
    ON CONFLICT (tenant_id, day, terminal_id, hour) DO UPDATE
      SET sales_count = x.sales_count + excluded.sales_count,
          sales_amount = x.sales_amount + excluded.sales_amount
    RETURNING 1),
  cashiers AS (
    INSERT INTO central.sales_cashier_day AS x (tenant_id, day, terminal_id, cashier_id,
        store_id, sales_count, sales_amount)
    SELECT tenant_id, to_char(t, 'YYYY-MM-DD'), terminal_id, cashier_id, store_id, count(*),
           sum(payable)
      FROM placed GROUP BY 1, 2, 3, 4, 5
    ON CONFLICT (tenant_id, day, terminal_id, cashier_id) DO UPDATE
      SET sales_count = x.sales_count + excluded.sales_count,
          sales_amount = x.sales_amount + excluded.sales_amount
    RETURNING 1)
  INSERT INTO central.sales_customer_day AS x (tenant_id, day, terminal_id, customer_key,
      store_id, sales_count)
  SELECT tenant_id, to_char(t, 'YYYY-MM-DD'), terminal_id, coalesce(customer_id::text, ''),
         store_id, count(*)
    FROM placed GROUP BY 1, 2, 3, 4, 5
  ON CONFLICT (tenant_id, day, terminal_id, customer_key) DO UPDATE
    SET sales_count = x.sales_count + excluded.sales_count;
  RETURN NULL;
END $$;

-- A sale counts for a product once: the (sale, product) pairs of this statement whose
-- every line came in with it (a line of the pair already there counted the sale).
CREATE FUNCTION central.sales_summary_line() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
  WITH pairs AS (
    SELECT tenant_id, sale_id, product_id, count(*) AS k, sum(qty_milli) AS qty,
           sum(gross) AS amount, max(sku) AS sku, max(name) AS name, max(unit) AS unit
      FROM new_rows GROUP BY 1, 2, 3),
  zones AS (
    SELECT st.tenant_id, st.id AS store_id,
           central.sales_summary_zone(st.tenant_id, st.id) AS zone
      FROM central.store st WHERE st.tenant_id IN (SELECT DISTINCT tenant_id FROM new_rows)),
  placed AS (
    SELECT p.*, s.terminal_id, s.store_id,
           timezone(coalesce(z.zone, 'Asia/Jakarta'), s.created_at) AS t,
           (SELECT count(*) FROM central.sale_line o WHERE o.tenant_id = p.tenant_id
              AND o.sale_id = p.sale_id AND o.product_id = p.product_id) = p.k AS first
      FROM pairs p JOIN central.sale s ON s.tenant_id = p.tenant_id AND s.id = p.sale_id
      LEFT JOIN zones z ON z.tenant_id = s.tenant_id AND z.store_id = s.store_id),
  hours AS (
    INSERT INTO central.sales_hour_summary AS x (tenant_id, day, terminal_id, hour, store_id,
        sales_count, sales_amount, line_count, qty_milli, refund_count, refund_amount)
    SELECT tenant_id, to_char(t, 'YYYY-MM-DD'), terminal_id, extract(hour FROM t)::int,
           store_id, 0, 0, sum(k), sum(qty), 0, 0
      FROM placed GROUP BY 1, 2, 3, 4, 5
    ON CONFLICT (tenant_id, day, terminal_id, hour) DO UPDATE
      SET line_count = x.line_count + excluded.line_count,
          qty_milli = x.qty_milli + excluded.qty_milli
    RETURNING 1),
  days AS (
    INSERT INTO central.sales_product_day AS x (tenant_id, day, terminal_id, product_id,
        store_id, sku, name, unit, qty_milli, amount, line_count, sales_count)
    SELECT tenant_id, to_char(t, 'YYYY-MM-DD'), terminal_id, product_id, store_id,
           max(sku), max(name), max(unit), sum(qty), sum(amount), sum(k),
           count(*) FILTER (WHERE first)
      FROM placed GROUP BY 1, 2, 3, 4, 5
    ON CONFLICT (tenant_id, day, terminal_id, product_id) DO UPDATE
      SET sku = greatest(x.sku, excluded.sku), name = greatest(x.name, excluded.name),
          unit = greatest(x.unit, excluded.unit),
          qty_milli = x.qty_milli + excluded.qty_milli, amount = x.amount + excluded.amount,
          line_count = x.line_count + excluded.line_count,
          sales_count = x.sales_count + excluded.sales_count
    RETURNING 1)
  INSERT INTO central.sales_product_month AS x (tenant_id, month, terminal_id, product_id,
      store_id, sku, name, unit, qty_milli, amount, line_count, sales_count)
  SELECT tenant_id, to_char(t, 'YYYY-MM'), terminal_id, product_id, store_id,
         max(sku), max(name), max(unit), sum(qty), sum(amount), sum(k),
         count(*) FILTER (WHERE first)
    FROM placed GROUP BY 1, 2, 3, 4, 5
  ON CONFLICT (tenant_id, month, terminal_id, product_id) DO UPDATE
    SET sku = greatest(x.sku, excluded.sku), name = greatest(x.name, excluded.name),
        unit = greatest(x.unit, excluded.unit),
        qty_milli = x.qty_milli + excluded.qty_milli, amount = x.amount + excluded.amount,
        line_count = x.line_count + excluded.line_count,
        sales_count = x.sales_count + excluded.sales_count;
  RETURN NULL;
END $$;

CREATE FUNCTION central.sales_summary_refund() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
  INSERT INTO central.sales_hour_summary AS x (tenant_id, day, terminal_id, hour, store_id,
      sales_count, sales_amount, line_count, qty_milli, refund_count, refund_amount)
  SELECT tenant_id, to_char(t, 'YYYY-MM-DD'), terminal_id, extract(hour FROM t)::int,
         store_id, 0, 0, 0, 0, count(*), sum(gross)
    FROM (SELECT n.*, timezone(coalesce(z.zone, 'Asia/Jakarta'), n.created_at) AS t
            FROM new_rows n LEFT JOIN (SELECT st.tenant_id, st.id AS store_id,
                   central.sales_summary_zone(st.tenant_id, st.id) AS zone
              FROM central.store st
             WHERE st.tenant_id IN (SELECT DISTINCT tenant_id FROM new_rows)) z
              ON z.tenant_id = n.tenant_id AND z.store_id = n.store_id) r
   GROUP BY 1, 2, 3, 4, 5
  ON CONFLICT (tenant_id, day, terminal_id, hour) DO UPDATE
    SET refund_count = x.refund_count + excluded.refund_count,
        refund_amount = x.refund_amount + excluded.refund_amount;
  RETURN NULL;
END $$;

-- Recompute from the raw rows: one store (p_store), a tenant (p_store NULL), or all.
CREATE FUNCTION central.sales_summary_rebuild(p_tenant uuid, p_store uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog SET work_mem = '64MB' AS $$
BEGIN
  DELETE FROM central.sales_hour_summary WHERE (p_tenant IS NULL OR tenant_id = p_tenant)
     AND (p_store IS NULL OR store_id = p_store);
  DELETE FROM central.sales_product_day WHERE (p_tenant IS NULL OR tenant_id = p_tenant)
     AND (p_store IS NULL OR store_id = p_store);
  DELETE FROM central.sales_product_month WHERE (p_tenant IS NULL OR tenant_id = p_tenant)
     AND (p_store IS NULL OR store_id = p_store);
  DELETE FROM central.sales_customer_day WHERE (p_tenant IS NULL OR tenant_id = p_tenant)
     AND (p_store IS NULL OR store_id = p_store);
  DELETE FROM central.sales_cashier_day WHERE (p_tenant IS NULL OR tenant_id = p_tenant)
     AND (p_store IS NULL OR store_id = p_store);
  CREATE TEMP TABLE sales_summary_sales ON COMMIT DROP AS
    SELECT s.tenant_id, s.id, s.terminal_id, s.store_id, s.cashier_id, s.customer_id,
           s.payable, timezone(coalesce(z.zone, 'Asia/Jakarta'), s.created_at) AS t
      FROM central.sale s LEFT JOIN (
           SELECT st.tenant_id, st.id AS store_id,
                  central.sales_summary_zone(st.tenant_id, st.id) AS zone
             FROM central.store st) z
        ON z.tenant_id = s.tenant_id AND z.store_id = s.store_id
     WHERE (p_tenant IS NULL OR s.tenant_id = p_tenant)
       AND (p_store IS NULL OR s.store_id = p_store);
  CREATE INDEX ON sales_summary_sales (tenant_id, id);
  ANALYZE sales_summary_sales;
  INSERT INTO central.sales_hour_summary (tenant_id, day, terminal_id, hour, store_id,
      sales_count, sales_amount, line_count, qty_milli, refund_count, refund_amount)
  SELECT tenant_id, day, terminal_id, hour, store_id, sum(sc), sum(sa), sum(lc), sum(q),
         sum(rc), sum(ra) FROM (
    SELECT tenant_id, to_char(t, 'YYYY-MM-DD') AS day, terminal_id,
           extract(hour FROM t)::int AS hour, store_id, count(*) AS sc, sum(payable) AS sa,
           0 AS lc, 0 AS q, 0 AS rc, 0 AS ra
      FROM sales_summary_sales GROUP BY 1, 2, 3, 4, 5
    UNION ALL
    SELECT s.tenant_id, to_char(s.t, 'YYYY-MM-DD'), s.terminal_id,
           extract(hour FROM s.t)::int, s.store_id, 0, 0, count(*), sum(l.qty_milli), 0, 0
      FROM central.sale_line l JOIN sales_summary_sales s
        ON s.tenant_id = l.tenant_id AND s.id = l.sale_id
     GROUP BY 1, 2, 3, 4, 5
    UNION ALL
    SELECT tenant_id, to_char(t, 'YYYY-MM-DD'), terminal_id, extract(hour FROM t)::int,
           store_id, 0, 0, 0, 0, count(*), sum(gross)
      FROM (SELECT r.*, timezone(coalesce(z.zone, 'Asia/Jakarta'), r.created_at) AS t
              FROM central.refund r LEFT JOIN (
                   SELECT st.tenant_id, st.id AS store_id,
                          central.sales_summary_zone(st.tenant_id, st.id) AS zone
                     FROM central.store st) z
                ON z.tenant_id = r.tenant_id AND z.store_id = r.store_id
             WHERE (p_tenant IS NULL OR r.tenant_id = p_tenant)
               AND (p_store IS NULL OR r.store_id = p_store)) r
     GROUP BY 1, 2, 3, 4, 5) u
  GROUP BY 1, 2, 3, 4, 5;
  INSERT INTO central.sales_product_day (tenant_id, day, terminal_id, product_id, store_id,
      sku, name, unit, qty_milli, amount, line_count, sales_count)
  SELECT s.tenant_id, to_char(s.t, 'YYYY-MM-DD'), s.terminal_id, l.product_id, s.store_id,
         max(l.sku), max(l.name), max(l.unit), sum(l.qty_milli), sum(l.gross), count(*),
         count(DISTINCT l.sale_id)
    FROM central.sale_line l JOIN sales_summary_sales s
      ON s.tenant_id = l.tenant_id AND s.id = l.sale_id
   GROUP BY 1, 2, 3, 4, 5;
  INSERT INTO central.sales_product_month (tenant_id, month, terminal_id, product_id,
      store_id, sku, name, unit, qty_milli, amount, line_count, sales_count)
  SELECT tenant_id, substr(day, 1, 7), terminal_id, product_id, store_id, max(sku),
         max(name), max(unit), sum(qty_milli), sum(amount), sum(line_count),
         sum(sales_count)
    FROM central.sales_product_day WHERE (p_tenant IS NULL OR tenant_id = p_tenant)
     AND (p_store IS NULL OR store_id = p_store)
   GROUP BY 1, 2, 3, 4, 5;
  INSERT INTO central.sales_customer_day (tenant_id, day, terminal_id, customer_key,
      store_id, sales_count)
  SELECT tenant_id, to_char(t, 'YYYY-MM-DD'), terminal_id, coalesce(customer_id::text, ''),
         store_id, count(*)
    FROM sales_summary_sales GROUP BY 1, 2, 3, 4, 5;
  INSERT INTO central.sales_cashier_day (tenant_id, day, terminal_id, cashier_id, store_id,
      sales_count, sales_amount)
  SELECT tenant_id, to_char(t, 'YYYY-MM-DD'), terminal_id, cashier_id, store_id, count(*),
         sum(payable)
    FROM sales_summary_sales GROUP BY 1, 2, 3, 4, 5;
  DROP TABLE sales_summary_sales;
END $$;

CREATE FUNCTION central.sales_summary_zone_changed() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.key = 'timezone' THEN
    PERFORM central.sales_summary_rebuild(OLD.tenant_id, OLD.store_id);
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.key = 'timezone' AND (TG_OP = 'INSERT'
      OR (OLD.tenant_id, OLD.store_id, OLD.key) IS DISTINCT FROM
         (NEW.tenant_id, NEW.store_id, NEW.key)) THEN
    PERFORM central.sales_summary_rebuild(NEW.tenant_id, NEW.store_id);
  END IF;
  RETURN NULL;
END $$;
"""

TRIGGERS = """
CREATE TRIGGER sales_summary AFTER INSERT ON central.sale
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION central.sales_summary_sale();
CREATE TRIGGER sales_summary AFTER INSERT ON central.sale_line
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION central.sales_summary_line();
CREATE TRIGGER sales_summary AFTER INSERT ON central.refund
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION central.sales_summary_refund();
CREATE TRIGGER sales_summary_zone AFTER INSERT OR UPDATE OR DELETE ON central.store_setting
  FOR EACH ROW EXECUTE FUNCTION central.sales_summary_zone_changed();
"""

FUNCTION_NAMES = ("sales_summary_zone(uuid, uuid)", "sales_summary_sale()",
                  "sales_summary_line()", "sales_summary_refund()",
                  "sales_summary_rebuild(uuid, uuid)", "sales_summary_zone_changed()")


def _security() -> None:
    terminal, reader, owner = _roles()
    op.execute(FUNCTIONS)
    for fn in FUNCTION_NAMES:
        op.execute(f"REVOKE ALL ON FUNCTION {S}.{fn} FROM PUBLIC")
    # Trigger functions cannot be called directly; the grant mirrors log_change's.
    for fn in ("sales_summary_sale()", "sales_summary_line()", "sales_summary_refund()"):
        op.execute(f"GRANT EXECUTE ON FUNCTION {S}.{fn} TO {terminal}")
    # the reports ask which zone a store's summaries are in
    op.execute(f"GRANT EXECUTE ON FUNCTION {S}.sales_summary_zone(uuid, uuid) "
               f"TO {terminal}, {reader}")
    for t in SUMMARIES:
        op.execute(f"ALTER TABLE {S}.{t} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {S}.{t} FORCE ROW LEVEL SECURITY")
        op.execute(f"REVOKE ALL ON {S}.{t} FROM PUBLIC")
        op.execute(f"GRANT SELECT ON {S}.{t} TO {terminal}, {reader}")
        op.execute(f"CREATE POLICY tenant_read ON {S}.{t} FOR SELECT TO {terminal}, {reader} "
                   f"USING ({TENANT})")
        op.execute(f"CREATE POLICY summary_triggers ON {S}.{t} FOR ALL TO {owner} "
                   "USING (true) WITH CHECK (true)")
    for t in READ_FOR_TRIGGERS:
        op.execute(f"CREATE POLICY summary_triggers ON {S}.{t} FOR SELECT TO {owner} "
                   "USING (true)")
    # CREATE TRIGGER needs no policy; the first build reads as the owner (policies above).
    op.execute(TRIGGERS)
    op.execute(f"SELECT {S}.sales_summary_rebuild(NULL, NULL)")


def upgrade() -> None:
    _tables()
    _security()


def downgrade() -> None:
    for t in ("sale", "sale_line", "refund"):
        op.execute(f"DROP TRIGGER IF EXISTS sales_summary ON {S}.{t}")
    op.execute(f"DROP TRIGGER IF EXISTS sales_summary_zone ON {S}.store_setting")
    for t in READ_FOR_TRIGGERS:
        op.execute(f"DROP POLICY IF EXISTS summary_triggers ON {S}.{t}")
    for fn in FUNCTION_NAMES:
        op.execute(f"DROP FUNCTION IF EXISTS {S}.{fn}")
    for t in SUMMARIES:
        op.execute(f"DROP TABLE IF EXISTS {S}.{t} CASCADE")

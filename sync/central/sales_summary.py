"""Central's per-day sales summaries (migration c0007): the administrator's rebuild and
the check that they equal the raw rows.

The triggers keep them (see the migration's docstring); :func:`rebuild` recomputes a
tenant's (or one store's, or everyone's) from ``sale``, ``sale_line`` and ``refund`` with
``central.sales_summary_rebuild`` in the caller's transaction, and :func:`differences`
counts the rows of each summary that a fresh computation would not give (0 everywhere
when they agree). Both run as the administrator (or the schema owner)."""

from __future__ import annotations

from sqlalchemy import Connection, text

TABLES = ("sales_hour_summary", "sales_product_day", "sales_product_month",
          "sales_customer_day", "sales_cashier_day")


def rebuild(conn: Connection, tenant_id: str | None = None, store_id: str | None = None
            ) -> None:
    conn.execute(text("SELECT central.sales_summary_rebuild(CAST(:t AS uuid), "
                      "CAST(:s AS uuid))"), {"t": tenant_id, "s": store_id})


def differences(conn: Connection, tenant_id: str | None = None) -> dict[str, int]:
    """Per summary, rows that differ from a fresh rebuild of the same tenant (or all),
    computed inside a savepoint that is rolled back: nothing changes."""
    where = "" if tenant_id is None else "WHERE tenant_id = CAST(:t AS uuid)"
    args = {"t": tenant_id}

    def snapshot() -> dict[str, set[str]]:
        return {t: {str(r[0]) for r in conn.execute(text(
            f"SELECT to_jsonb(x)::text FROM central.{t} x {where}"), args)} for t in TABLES}

    kept = snapshot()
    save = conn.begin_nested()
    try:
        rebuild(conn, tenant_id)
        fresh = snapshot()
    finally:
        save.rollback()
    return {t: len(kept[t] ^ fresh[t]) for t in TABLES}


__all__ = ["TABLES", "differences", "rebuild"]

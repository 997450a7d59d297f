"""Shared pieces of the sync fault tests (test_sync_kill, test_sync_redelivery,
test_sync_three_terminals).

- Tills: copies of the session's demo shop, each made a terminal of its own (its own
  terminal code, so receipt numbers differ; outbox event ids of its own; only the store's
  first till reports the set-up, see ``new_till_shop``), enrolled into one tenant of a
  real central PostgreSQL.
- Central compared with tills ROW BY ROW: every sale, line, payment, refund, stock
  movement, journal entry and line, event (and product) of the till, column by column,
  against the tenant's rows at central (only the columns central fills itself — its own
  terminal/store/tenant ids, ``received_at`` — are left out). Multisets, so a duplicate
  shows as a difference too.
- A second, fresh central database (``fresh_central``), for the single in-order delivery
  that the shuffled one is compared with.
- ``sync_child``: the real ``warungin sync --once`` in a child process of this interpreter.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from psycopg import sql
from sqlalchemy import text

from app.enroll import INSTALL_ID_SECRET, central_credentials, enroll
from app.secrets import secret_store_for
from app.shop import Shop, open_shop
from local_db.ids import uuid7
from local_db.store import write_settings
from services.selling import LineRequest, PaymentRequest, SaleRequest
from services.shifts import close_shift, open_shift, shift_report
from services.users import Actor
from services.verify import verify_database
from sync.push import CentralLink
from tests.central.conftest import (
    CentralDB,
    Tenant,
    Terminal,
    fresh_central,
    make_terminal,
)
from tests.conftest import login
from tests.faults import killpoints
from tests.sync.push.test_push import fresh_event_ids

ROOT = Path(__file__).resolve().parents[2]

Row = tuple[Any, ...]


# --- tills ----------------------------------------------------------------------------------

@dataclass
class Till:
    code: str  # terminal code: receipt numbers are DEMO-<code>-000123
    shop: Shop
    term: Terminal
    link: CentralLink

    @property
    def folder(self) -> Path:
        return self.shop.folder


def copy_shop_files(source: Path, target: Path) -> Path:
    """A consistent file copy of a closed (or idle) till: the WAL is checkpointed first."""
    shutil.copytree(source, target)
    conn = sqlite3.connect(target / "warungin.db")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return target


def new_till_shop(template: Path, folder: Path, code: str, *,
                  reports_setup: bool = True) -> Shop:
    """A copy of the demo shop as terminal ``code`` of the store: the same catalogue, users
    and opening stock (the same ids, as a store's tills share them), its own terminal code.

    ``reports_setup``: this till's outbox holds the set-up (catalogue, opening stock, first
    shift) with event ids of its own. Otherwise the till is one set up after the store's
    first till reported all that: its outbox starts empty (the set-up events are marked sent
    and pruned, the counter starts again at 0, so ``verify`` stays clean), it gets a local
    terminal id of its own and opens its own shift. Without this, two tills would report the
    same opening-stock rows and shift, and which one central records as their terminal
    would depend on which arrived first."""
    shop = open_shop(copy_shop_files(template, folder))
    with shop.uow() as uow:
        settings: dict[str, str] = {"terminal_code": code}
        if not reports_setup:
            settings["terminal_id"] = uuid7()
            uow.conn.execute(text("UPDATE outbox SET status = 'sent'"))
            uow.conn.execute(text("DELETE FROM outbox"))
            uow.conn.execute(text("UPDATE counter SET value = 0 WHERE name = 'outbox'"))
        write_settings(uow.conn, settings)
        uow.commit()
    shop.reload()
    if reports_setup:
        fresh_event_ids(shop)
    else:
        cashier = login(shop, "Sari", "1234")
        with shop.uow() as uow:
            open_shift(uow, shop.config, cashier, 200_000)
    return shop


def enrol_till(db: CentralDB, tenant: Tenant, shop: Shop, code: str) -> Till:
    term = make_terminal(db, tenant, code)
    enroll(shop, term.code)
    creds = central_credentials(shop)
    install_id = secret_store_for(shop).get(INSTALL_ID_SECRET)
    assert install_id
    return Till(code, shop, term, CentralLink(creds.dsn, creds.password, install_id))


def catalogue(shop: Shop) -> list[tuple[str, str]]:
    """(sku, unit) of every active product."""
    with shop.uow(write=False) as uow:
        return [(str(s), str(u)) for s, u in uow.conn.execute(text(
            "SELECT sku, unit FROM product WHERE active = 1 ORDER BY sku"))]


def sale_request(rng: Any, items: list[tuple[str, str]], *, lines: int | None = None,
                 favourites: list[tuple[str, str]] | None = None,
                 favourite_share: float = 0.0) -> SaleRequest:
    """A valid cash sale: 1-4 lines (whole pieces, or fractions of a kilo or litre), a
    share of them from ``favourites``; paid with more than enough cash."""
    picked: dict[str, str] = {}
    for _ in range(lines or rng.randint(1, 4)):
        pool = favourites if favourites and rng.random() < favourite_share else items
        sku, unit = rng.choice(pool)
        picked[sku] = unit
    req = [LineRequest(sku, 1000 * rng.randint(1, 3) if unit == "pcs"
                       else rng.choice([250, 500, 750, 1500]))
           for sku, unit in picked.items()]
    return SaleRequest(tuple(req), (PaymentRequest("cash", 5_000_000),))


def rollover_shift(shop: Shop, actor: Actor, float_amount: int = 200_000) -> None:
    """End of a day: close the open shift counting exactly the expected cash (notes of
    Rp 100.000 and coins of Rp 100), open the next one."""
    with shop.uow(write=False) as uow:
        expected = shift_report(uow, shop.config).expected_cash
    counted = {"100000": expected // 100_000, "100": (expected % 100_000) // 100}
    with shop.uow() as uow:
        close_shift(uow, shop.config, actor, counted)
    with shop.uow() as uow:
        open_shift(uow, shop.config, actor, float_amount)


def settle(db: CentralDB, timeout_s: float = 120.0) -> None:
    """Wait until every transaction on the server that began before now has ended, so a
    pull sees everything committed so far (the pull's horizon is cluster-wide: a long
    transaction elsewhere on the server holds it back for a while)."""
    with db.connect(autocommit=True) as c:
        (mark,) = c.execute("SELECT pg_current_xact_id()::text").fetchone() or ("0",)
        deadline = time.monotonic() + timeout_s
        while not (c.execute("SELECT central.pull_horizon() > %s::xid8", (mark,))
                   .fetchone() or (False,))[0]:
            assert time.monotonic() < deadline, "a transaction on the server stays open"
            time.sleep(0.05)


# --- a fresh central database -------------------------------------------------------------

# --- the real 'warungin sync --once' in a child process ----------------------------------

def sync_command(folder: Path, batch_size: int) -> list[str]:
    """The real ``warungin sync --once``, through the harness that installs the SIGKILL
    fault-point handler when the environment names a point (tests/faults/killpoints.py)."""
    return [sys.executable, "-m", "tests.faults.killpoints", "sync", "--once",
            "--data-dir", str(folder), "--batch-size", str(batch_size)]


def child_env(fault: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in (killpoints.ENV, "WARUNGIN_DATA_DIR")}
    if fault is not None:
        env[killpoints.ENV] = fault
    return env


def sync_child(folder: Path, *, batch_size: int, fault: str | None = None,
               timeout: float = 120) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(sync_command(folder, batch_size), cwd=ROOT, env=child_env(fault),
                          capture_output=True, timeout=timeout, check=False)


def drained(folder: Path, *, batch_size: int) -> dict[str, Any]:
    """A child ``sync --once`` that must finish by itself; its JSON report."""
    done = sync_child(folder, batch_size=batch_size)
    assert done.returncode == 0, done.stderr.decode()
    report: dict[str, Any] = json.loads(done.stdout)
    return report


# --- rows, compared column by column ------------------------------------------------------

U, T, V, J, B = "uuid", "ts", "value", "json", "bool"

#: table -> its columns as the till and central both have them, with their kind. The ids
#: central fills from the pushing terminal's login (tenant_id, terminal_id, store_id) and
#: what only central has (received_at, refund.to_kasbon...) are not among them.
CONTENT: dict[str, list[tuple[str, str]]] = {
    "sale": [("id", U), ("seq", V), ("receipt_no", V), ("shift_id", U), ("cashier_id", U),
             ("customer_id", U), ("created_at", T), ("subtotal", V), ("discount_total", V),
             ("net_total", V), ("tax_total", V), ("total", V), ("rounding", V),
             ("payable", V), ("change", V), ("status", V)],
    "sale_line": [("id", U), ("sale_id", U), ("line_no", V), ("product_id", U), ("sku", V),
                  ("name", V), ("unit", V), ("qty_milli", V), ("list_price", V),
                  ("unit_price", V), ("line_discount", V), ("order_discount", V),
                  ("gross", V), ("net", V), ("tax", V), ("cost", V), ("tax_class", V)],
    "payment": [("id", U), ("sale_id", U), ("method", V), ("amount", V), ("tendered", V),
                ("change", V), ("status", V), ("provider_ref", V)],
    "refund": [("id", U), ("seq", V), ("refund_no", V), ("sale_id", U), ("shift_id", U),
               ("user_id", U), ("approved_by", U), ("reason", V), ("method", V),
               ("gross", V), ("net", V), ("tax", V), ("cost", V), ("created_at", T)],
    "refund_line": [("id", U), ("refund_id", U), ("sale_line_id", U), ("qty_milli", V),
                    ("gross", V), ("net", V), ("tax", V), ("cost", V)],
    "stock_movement": [("id", U), ("product_id", U), ("qty_milli", V), ("kind", V),
                       ("ref_id", U), ("unit_cost", V), ("reason", V), ("supplier", V),
                       ("user_id", U), ("created_at", T)],
    "journal_entry": [("id", U), ("kind", V), ("ref_id", U), ("memo", V), ("created_at", T)],
    "journal_line": [("entry_id", U), ("line_no", V), ("account_code", V), ("debit", V),
                     ("credit", V)],
    "event": [("event_id", U), ("seq", V), ("type", V), ("schema_version", V),
              ("payload", J), ("created_at", T)],
}
#: The product as the till holds it and as central holds it (pushed by the till).
PRODUCT: list[tuple[str, str]] = [
    ("id", U), ("sku", V), ("name", V), ("category_id", U), ("unit", V), ("price", V),
    ("cost", V), ("tax_class", V), ("tracks_stock", B), ("low_stock_milli", V),
    ("active", B), ("updated_at", T)]

BUSINESS = ("sale", "sale_line", "payment", "refund", "refund_line", "stock_movement",
            "journal_entry", "journal_line")

# Local tables and expressions where they differ from central's.
_LOCAL_FROM = {"event": "outbox"}
_LOCAL_EXPR = {("event", "event_id"): "id",
               ("journal_line", "line_no"):
                   "ROW_NUMBER() OVER (PARTITION BY entry_id ORDER BY id)"}


def norm(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == U:
        return str(value).lower()
    if kind == T:
        when = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
        return when.astimezone(UTC)
    if kind == J:
        data = json.loads(value) if isinstance(value, str) else value
        return json.dumps(data, sort_keys=True)
    if kind == B:
        return bool(value)
    return value


def _norm_rows(cols: list[tuple[str, str]], rows: Iterable[Row]) -> Counter[Row]:
    return Counter(tuple(norm(kind, v) for (_, kind), v in zip(cols, r, strict=True))
                   for r in rows)


def local_rows(shop: Shop, tables: Iterable[str] = (*BUSINESS, "event"),
               *, product: bool = False) -> dict[str, Counter[Row]]:
    out: dict[str, Counter[Row]] = {}
    with shop.uow(write=False) as uow:
        for t in tables:
            cols = CONTENT[t]
            exprs = ", ".join(_LOCAL_EXPR.get((t, c), f'"{c}"') for c, _ in cols)
            rows = uow.conn.execute(text(f"SELECT {exprs} FROM {_LOCAL_FROM.get(t, t)}"))
            out[t] = _norm_rows(cols, rows)
        if product:
            exprs = ", ".join(c for c, _ in PRODUCT)
            out["product"] = _norm_rows(PRODUCT, uow.conn.execute(
                text(f"SELECT {exprs} FROM product")))
    return out


def central_rows(db: CentralDB, tenant_id: str, tables: Iterable[str] = (*BUSINESS, "event"),
                 *, terminal_id: str | None = None, product: bool = False
                 ) -> dict[str, Counter[Row]]:
    """The tenant's rows at central (only ``terminal_id``'s if given), read as the
    administrator so that nothing is hidden."""
    out: dict[str, Counter[Row]] = {}
    with db.connect() as c:
        for t in tables:
            cols = CONTENT[t]
            where = "tenant_id = %s" + (" AND terminal_id = %s" if terminal_id else "")
            args = (tenant_id, terminal_id) if terminal_id else (tenant_id,)
            out[t] = _norm_rows(cols, c.execute(
                f"SELECT {', '.join(f'{n}' for n, _ in cols)} FROM central.{t} WHERE {where}",
                args).fetchall())
        if product:
            out["product"] = _norm_rows(PRODUCT, c.execute(
                f"SELECT {', '.join(n for n, _ in PRODUCT)} FROM central.product "
                "WHERE tenant_id = %s", (tenant_id,)).fetchall())
    return out


def differences(expected: Mapping[str, Counter[Row]], got: Mapping[str, Counter[Row]],
                *, show: int = 3) -> dict[str, str]:
    """Per table: what is missing from ``got`` and what is extra (duplicates included)."""
    out: dict[str, str] = {}
    for t in sorted(set(expected) | set(got)):
        want, have = expected.get(t, Counter()), got.get(t, Counter())
        missing, extra = want - have, have - want
        if missing or extra:
            out[t] = (f"{sum(missing.values())} missing, e.g. {list(missing)[:show]}; "
                      f"{sum(extra.values())} extra, e.g. {list(extra)[:show]}")
    return out


def outbox_status(shop: Shop) -> dict[str, int]:
    with shop.uow(write=False) as uow:
        return {str(s): int(n) for s, n in uow.conn.execute(
            text("SELECT status, count(*) FROM outbox GROUP BY status"))}


def assert_verified(shop: Shop) -> None:
    with shop.uow(write=False) as uow:
        report = verify_database(uow.conn)
    assert report.ok, report.as_dict()["first_break"]


def assert_exactly_once(db: CentralDB, shop: Shop, tenant_id: str, terminal_id: str, *,
                        product: bool = True) -> dict[str, int]:
    """Central holds exactly this till's events and business rows (content and count), no
    duplicate, nothing quarantined; the outbox is all 'sent'; the till verifies clean.
    Returns the row counts compared."""
    local = local_rows(shop, product=product)
    central = central_rows(db, tenant_id, product=product)
    diff = differences(local, central)
    assert not diff, diff
    with db.connect() as c:
        dup = c.execute(
            "SELECT count(*) - count(DISTINCT event_id), count(*) - count(DISTINCT seq), "
            "(SELECT count(*) - count(DISTINCT receipt_no) FROM central.sale "
            " WHERE tenant_id = %s), "
            "(SELECT count(*) FROM central.quarantine WHERE tenant_id = %s), "
            "count(*) FILTER (WHERE terminal_id <> %s) "
            "FROM central.event WHERE tenant_id = %s",
            (tenant_id, tenant_id, terminal_id, tenant_id)).fetchone()
    assert dup == (0, 0, 0, 0, 0), dup
    status = outbox_status(shop)
    assert set(status) == {"sent"}, status
    assert_verified(shop)
    return {t: sum(rows.values()) for t, rows in local.items()}


def tenant_labels(db: CentralDB, tenant_id: str) -> dict[str, str]:
    """The tenant's own ids (tenant, stores, terminals) -> names that do not depend on the
    database: 'tenant', 'store:S1', 'terminal:T01'."""
    labels = {tenant_id: "tenant"}
    with db.connect() as c:
        for sid, code in c.execute("SELECT id::text, code FROM central.store "
                                   "WHERE tenant_id = %s", (tenant_id,)):
            labels[str(sid)] = f"store:{code}"
        for tid, code in c.execute("SELECT id::text, code FROM central.terminal "
                                   "WHERE tenant_id = %s", (tenant_id,)):
            labels[str(tid)] = f"terminal:{code}"
    return labels


#: Columns written by central itself when a row arrives (clock, transaction id, log
#: position, login names, enrolment): they record WHEN and AS WHOM something arrived, not
#: WHAT arrived, and differ between two databases even for the same delivery.
CENTRAL_SIDE = {
    "event": {"received_at"},
    "journal_entry": {"received_at"},
    "expense_category": {"updated_at"},
    "accounting_period": {"updated_at", "closed_at"},
    "quarantine": {"quarantined_at"},
    "tenant": {"created_at"},
    "store": {"created_at"},
    "terminal": {"created_at", "enrolled_at", "install_id", "last_seen_at", "role_name"},
    "principal": {"role_name"},
    "category": {"updated_at"},
    "barcode": {"updated_at"},
    "users": {"updated_at"},
    "store_setting": {"updated_at"},
    "product_price": {"xid", "changed_at"},
    # The write log of the pull: its position (id, xid) and clock. What it logged (table,
    # key, operation, which terminal) is compared.
    "change_log": {"id", "xid", "changed_at"},
    # Issue 15's tables: when central took the row.
    "loyalty_entry": {"received_at"},
    "consent_event": {"received_at"},
    "customer_tombstone": {"recorded_at"},
    "daily_summary_claim": {"claimed_at"},
}


def _label(value: Any, labels: Mapping[str, str]) -> Any:
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True)
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    s = str(value)
    return labels.get(s.lower(), value if isinstance(value, (int, bool)) else s)


def tenant_dump(db: CentralDB, tenant_id: str, tables: Iterable[str]
                ) -> dict[str, Counter[Row]]:
    """Every row of the tenant in ``tables``, all columns but the central-side ones, ids
    of the tenant/stores/terminals replaced by their labels."""
    labels = tenant_labels(db, tenant_id)
    out: dict[str, Counter[Row]] = {}
    with db.connect() as c:
        for t in tables:
            cols = [str(n) for (n,) in c.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = "
                "'central' AND table_name = %s ORDER BY ordinal_position", (t,))]
            keep = [n for n in cols if n not in CENTRAL_SIDE.get(t, set())]
            assert keep, t
            rows = c.execute(sql.SQL("SELECT {} FROM central.{} WHERE tenant_id = %s").format(
                sql.SQL(", ").join(sql.Identifier(n) for n in keep), sql.Identifier(t)),
                (tenant_id,)).fetchall()
            out[t] = Counter(tuple(_label(v, labels) for v in r) for r in rows)
    return out


__all__ = ["BUSINESS", "CONTENT", "ROOT", "Till", "assert_exactly_once", "assert_verified",
           "catalogue", "central_rows", "copy_shop_files", "differences", "drained",
           "enrol_till", "fresh_central", "local_rows", "new_till_shop", "outbox_status",
           "rollover_shift", "sale_request", "settle", "sync_child", "tenant_dump"]

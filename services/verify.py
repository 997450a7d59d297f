"""``verify``: check the whole terminal database and report the first break of each rule.

Every check is set-based SQL over the whole file (one pass per rule, bad rows filtered in
SQL, so a healthy database of 200,000 sales returns almost no rows to Python). The audit
chain alone is recomputed in Python, streamed in ``seq`` order. Run it inside one read
transaction (``UnitOfWork(db, write=False)``) so that every check sees the same snapshot.

A check that cannot even run (a damaged file) is reported as broken with the database's
own message; the other checks still run.

SQLite's own checks (``integrity``, ``foreign_keys``) and how the slow full integrity check
runs beside the others are :mod:`local_db.integrity`; this module holds the business rules
and the report.

Checks, in report order:

- ``integrity``: SQLite's full ``PRAGMA integrity_check`` (local_db.integrity);
- ``foreign_keys``: ``PRAGMA foreign_key_check`` (local_db.integrity);
- ``journal_balanced``: every journal entry has two or more lines, debits = credits > 0;
- ``journal_orphan_lines``: no journal line without its entry;
- ``trial_balance``: the sum of all debits equals the sum of all credits;
- ``stock_levels``: each cached level equals the sum of that product's movements, and every
  product with movements has a level row;
- ``receipt_sequence`` / ``refund_sequence`` / ``outbox_sequence``: ``seq`` runs 1..N without
  a gap and the counter (``receipt``, ``refund``, ``outbox``) equals N;
- ``sale_lines``: every sale has lines, and their grosses add up to the sale's total;
- ``sale_payments``: every sale's payments add up to its payable;
- ``sale_journal``: exactly one journal entry of kind ``sale`` per sale (and none orphaned);
- ``sale_outbox``: exactly one ``sale.completed`` outbox event per sale (and none orphaned);
- ``sale_audit``: exactly one ``sale.complete`` audit record per sale (and none orphaned);
- ``refund_lines`` / ``refund_journal`` / ``refund_outbox``: every refund has its lines, one
  journal entry of kind ``refund`` and one ``sale.refunded`` outbox event;
- ``audit_chain``: ``seq`` 1..N, each ``prev_hash`` is the hash before it, each hash
  recomputes (:func:`local_db.store.audit_hash`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError

from local_db.integrity import Finding, cannot_run, foreign_keys, integrity_aside
from local_db.store import GENESIS_HASH, AuditFields, audit_hash


@dataclass(frozen=True, slots=True)
class CheckResult:
    name: str
    ok: bool
    counts: Mapping[str, int]
    first_break: str | None = None  # one sentence that says where to look
    detail: Mapping[str, Any] | None = None  # the same, as data
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "ok": self.ok, "counts": dict(self.counts),
                "first_break": self.first_break,
                "detail": dict(self.detail) if self.detail is not None else None,
                "seconds": round(self.seconds, 3)}


@dataclass(frozen=True, slots=True)
class VerifyReport:
    checks: tuple[CheckResult, ...]
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    @property
    def failures(self) -> tuple[CheckResult, ...]:
        return tuple(c for c in self.checks if not c.ok)

    @property
    def first_failure(self) -> CheckResult | None:
        return next((c for c in self.checks if not c.ok), None)

    def check(self, name: str) -> CheckResult:
        for c in self.checks:
            if c.name == name:
                return c
        raise KeyError(name)

    def as_dict(self) -> dict[str, Any]:
        first = self.first_failure
        return {"ok": self.ok, "seconds": round(self.seconds, 3),
                "failed": [c.name for c in self.failures],
                "first_break": (None if first is None
                                else {"check": first.name, "break": first.first_break}),
                "checks": [c.as_dict() for c in self.checks]}


#: A check function: what it finds (the runner adds the name and the time).
_Check = Callable[[Connection], Finding]


def _rows(conn: Connection, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
    return list(conn.exec_driver_sql(sql, params).all())


def _one(conn: Connection, sql: str, params: tuple[Any, ...] = ()) -> Any:
    return conn.exec_driver_sql(sql, params).one()


def _int(value: Any) -> int:
    return int(value or 0)


# --- the ledger --------------------------------------------------------------------------

def _journal_balanced(conn: Connection) -> Finding:
    entries = _int(_one(conn, "SELECT COUNT(*) FROM journal_entry")[0])
    bad = _rows(conn, """
        SELECT id, kind, ref_id, memo, n, d, c, COUNT(*) OVER () FROM (
            SELECT je.rowid AS r, je.id, je.kind, je.ref_id, je.memo, a.n, a.d, a.c
            FROM (SELECT entry_id, COUNT(*) AS n, SUM(debit) AS d, SUM(credit) AS c
                  FROM journal_line GROUP BY entry_id
                  HAVING COUNT(*) < 2 OR SUM(debit) != SUM(credit) OR SUM(debit) = 0) a
            JOIN journal_entry je ON je.id = a.entry_id
            UNION ALL
            SELECT je.rowid, je.id, je.kind, je.ref_id, je.memo, 0, 0, 0
            FROM journal_entry je
            WHERE NOT EXISTS (SELECT 1 FROM journal_line jl WHERE jl.entry_id = je.id))
        ORDER BY r LIMIT 1""")
    if not bad:
        return Finding({"entries": entries, "unbalanced": 0})
    eid, kind, ref_id, memo, n, debit, credit, count = bad[0]
    if n < 2:
        what = f"has {n} line(s), needs at least 2"
    elif debit != credit:
        what = f"debits {debit} != credits {credit}"
    else:
        what = "posts nothing (debits = credits = 0)"
    return Finding({"entries": entries, "unbalanced": _int(count)},
                    f"journal entry {eid} (kind {kind}, ref {ref_id}, {memo}) {what}",
                    {"entry_id": eid, "kind": kind, "ref_id": ref_id, "memo": memo,
                     "lines": n, "debit": debit, "credit": credit})


def _journal_orphans(conn: Connection) -> Finding:
    lines = _int(_one(conn, "SELECT COUNT(*) FROM journal_line")[0])
    bad = _rows(conn, """
        SELECT jl.id, jl.entry_id, jl.account_code, jl.debit, jl.credit, COUNT(*) OVER ()
        FROM journal_line jl
        WHERE NOT EXISTS (SELECT 1 FROM journal_entry je WHERE je.id = jl.entry_id)
        ORDER BY jl.id LIMIT 1""")
    if not bad:
        return Finding({"lines": lines, "orphans": 0})
    lid, entry_id, account, debit, credit, count = bad[0]
    return Finding({"lines": lines, "orphans": _int(count)},
                    f"journal line {lid} ({account} Dr {debit} Cr {credit}) belongs to no "
                    f"entry (entry_id {entry_id})",
                    {"line_id": lid, "entry_id": entry_id, "account": account,
                     "debit": debit, "credit": credit})


def _trial_balance(conn: Connection) -> Finding:
    n, debit, credit = _one(conn, "SELECT COUNT(*), COALESCE(SUM(debit), 0), "
                                  "COALESCE(SUM(credit), 0) FROM journal_line")
    counts = {"lines": _int(n), "debit": _int(debit), "credit": _int(credit)}
    if debit == credit:
        return Finding(counts)
    return Finding(counts, f"total debits {debit} != total credits {credit} "
                            f"(difference {debit - credit})",
                    {"debit": debit, "credit": credit, "difference": debit - credit})


# --- stock -------------------------------------------------------------------------------

def _stock_levels(conn: Connection) -> Finding:
    levels = _int(_one(conn, "SELECT COUNT(*) FROM stock_level")[0])
    moves = _int(_one(conn, "SELECT COUNT(*) FROM stock_movement")[0])
    bad = _rows(conn, """
        SELECT ids.product_id, p.sku, sl.qty_milli, COALESCE(mv.q, 0), COALESCE(mv.n, 0),
               COUNT(*) OVER ()
        FROM (SELECT product_id FROM stock_level
              UNION SELECT product_id FROM stock_movement) ids
        LEFT JOIN stock_level sl ON sl.product_id = ids.product_id
        LEFT JOIN (SELECT product_id, SUM(qty_milli) AS q, COUNT(*) AS n
                   FROM stock_movement GROUP BY product_id) mv
               ON mv.product_id = ids.product_id
        LEFT JOIN product p ON p.id = ids.product_id
        WHERE sl.product_id IS NULL OR sl.qty_milli != COALESCE(mv.q, 0)
        ORDER BY p.sku, ids.product_id LIMIT 1""")
    counts = {"levels": levels, "movements": moves}
    if not bad:
        return Finding({**counts, "mismatches": 0})
    pid, sku, level, moved, n, count = bad[0]
    what = (f"has {n} movement(s) summing to {moved} but no stock level row" if level is None
            else f"stock level {level} != sum of its {n} movement(s) {moved}")
    return Finding({**counts, "mismatches": _int(count)},
                    f"product {sku or '?'} ({pid}): {what} (thousandths)",
                    {"product_id": pid, "sku": sku, "level_milli": level,
                     "movements_milli": moved, "movements": n})


# --- gapless sequences -------------------------------------------------------------------

def _sequence(conn: Connection, *, table: str, label_col: str | None, counter: str,
              what: str) -> Finding:
    n, lo, hi = _one(conn, f"SELECT COUNT(*), MIN(seq), MAX(seq) FROM {table}")
    n, lo, hi = _int(n), (None if lo is None else int(lo)), (None if hi is None else int(hi))
    value = conn.exec_driver_sql("SELECT value FROM counter WHERE name = ?",
                                 (counter,)).scalar()
    counts = {"rows": n, "max_seq": hi or 0, "counter": _int(value)}
    if value is None:
        return Finding(counts, f"the counter '{counter}' is missing", {"counter": counter})
    distinct = _int(_one(conn, f"SELECT COUNT(DISTINCT seq) FROM {table}")[0]) if n else 0
    if distinct != n:
        dup = _one(conn, f"SELECT seq, COUNT(*) FROM {table} GROUP BY seq HAVING COUNT(*) > 1 "
                         "ORDER BY seq LIMIT 1")
        return Finding({**counts, "duplicates": n - distinct},
                        f"{what} seq {dup[0]} is used {dup[1]} times", {"seq": dup[0]})

    def label(seq: int) -> str:
        return "" if label_col is None else _label(conn, table, label_col, seq)

    if lo is not None and lo < 1:
        return Finding({**counts, "missing": 0},
                        f"{what} seq {lo}{label(lo)} is out of range (sequences start at 1)",
                        {"seq": lo})
    if hi is not None and hi != n:
        gap = 1 if lo != 1 else _int(_one(conn, f"""
            SELECT a.seq + 1 FROM {table} a
            WHERE a.seq < ? AND NOT EXISTS (SELECT 1 FROM {table} b WHERE b.seq = a.seq + 1)
            ORDER BY a.seq LIMIT 1""", (hi,))[0])
        before = f"; {gap - 1}{label(gap - 1)} is followed by " if gap > 1 else "; "
        after = _int(_one(conn, f"SELECT MIN(seq) FROM {table} WHERE seq > ?", (gap,))[0])
        return Finding({**counts, "missing": hi - n},
                        f"{what} seq {gap} is missing{before}{after}{label(after)}",
                        {"missing_seq": gap, "next_seq": after, "missing": hi - n})
    if _int(value) != n:
        more = "ahead of" if _int(value) > n else "behind"
        return Finding({**counts, "missing": max(_int(value) - n, 0)},
                        f"the counter '{counter}' is {value} but the {what} rows run 1..{n} "
                        f"(counter {more} the rows: seq {n + 1} is missing)"
                        if _int(value) > n else
                        f"the counter '{counter}' is {value} but the {what} rows run 1..{n} "
                        f"(counter {more} the rows: the next number would be reused)",
                        {"counter": _int(value), "rows": n})
    return Finding({**counts, "missing": 0})


def _label(conn: Connection, table: str, col: str, seq: int) -> str:
    row = conn.exec_driver_sql(f"SELECT {col} FROM {table} WHERE seq = ?", (seq,)).first()
    return f" ({row[0]})" if row is not None else ""


def _receipts(conn: Connection) -> Finding:
    return _sequence(conn, table="sale", label_col="receipt_no", counter="receipt",
                     what="receipt")


def _refunds(conn: Connection) -> Finding:
    return _sequence(conn, table="refund", label_col="refund_no", counter="refund",
                     what="refund")


def _outbox(conn: Connection) -> Finding:
    return _sequence(conn, table="outbox", label_col="type", counter="outbox",
                     what="outbox event")


# --- every sale whole --------------------------------------------------------------------

# One pass over the sales: per-sale facts from each child table, only broken sales returned.
# One pass over the sales. The WHERE clause probes the index on each child table; the detail
# columns are computed only for the sales that fail, which a healthy database has none of.
_GROSS = "(SELECT COALESCE(SUM(gross), 0) FROM sale_line WHERE sale_id = s.id)"
_PAID = "(SELECT COALESCE(SUM(amount), 0) FROM payment WHERE sale_id = s.id)"
_ENTRIES = "(SELECT COUNT(*) FROM journal_entry WHERE ref_id = s.id AND kind = 'sale')"
_EVENTS = "(SELECT COUNT(*) FROM outbox WHERE aggregate_id = s.id AND type = 'sale.completed')"
_SALE_FACTS = f"""
    SELECT s.seq, s.id, s.receipt_no, s.total, s.payable,
           (SELECT COUNT(*) FROM sale_line WHERE sale_id = s.id) AS lines, {_GROSS} AS gross,
           (SELECT COUNT(*) FROM payment WHERE sale_id = s.id) AS payments, {_PAID} AS paid,
           {_ENTRIES} AS entries, {_EVENTS} AS events
    FROM sale s
    WHERE NOT EXISTS (SELECT 1 FROM sale_line WHERE sale_id = s.id)
       OR {_GROSS} != s.total OR {_PAID} != s.payable OR {_ENTRIES} != 1 OR {_EVENTS} != 1
    ORDER BY s.seq"""

# audit_log has no index on entity_id: its sale records are counted once, grouped, and joined.
_SALE_AUDITS = """
    SELECT s.seq, s.id, s.receipt_no, COALESCE(a.n, 0), COUNT(*) OVER ()
    FROM sale s
    LEFT JOIN (SELECT entity_id, COUNT(*) AS n FROM audit_log
               WHERE action = 'sale.complete' GROUP BY entity_id) a ON a.entity_id = s.id
    WHERE COALESCE(a.n, 0) != 1
    ORDER BY s.seq LIMIT 1"""

_SALE_ORPHANS = {
    "sale_journal": ("journal entry", """
        SELECT je.id, je.ref_id, COUNT(*) OVER () FROM journal_entry je
        WHERE je.kind = 'sale'
          AND NOT EXISTS (SELECT 1 FROM sale s WHERE s.id = je.ref_id)
        ORDER BY je.rowid LIMIT 1"""),
    "sale_outbox": ("sale.completed outbox event", """
        SELECT o.seq, o.aggregate_id, COUNT(*) OVER () FROM outbox o
        WHERE o.type = 'sale.completed'
          AND NOT EXISTS (SELECT 1 FROM sale s WHERE s.id = o.aggregate_id)
        ORDER BY o.seq LIMIT 1"""),
    "sale_audit": ("sale.complete audit record", """
        SELECT a.seq, a.entity_id, COUNT(*) OVER () FROM audit_log a
        WHERE a.action = 'sale.complete'
          AND NOT EXISTS (SELECT 1 FROM sale s WHERE s.id = a.entity_id)
        ORDER BY a.seq LIMIT 1"""),
}


def _sale_problem(check: str, row: Any) -> str | None:
    if check == "sale_lines":
        if row.lines == 0:
            return "has no lines"
        if row.gross != row.total:
            return (f"its {row.lines} line(s) add up to {row.gross}, not the sale total "
                    f"{row.total}")
    elif check == "sale_payments":
        if row.paid != row.payable:
            return (f"its {row.payments} payment(s) add up to {row.paid}, not the payable "
                    f"{row.payable}")
    elif check == "sale_journal":
        if row.entries != 1:
            return f"has {row.entries} journal entries of kind 'sale' (needs exactly 1)"
    elif check == "sale_outbox":
        if row.events != 1:
            return f"has {row.events} 'sale.completed' outbox events (needs exactly 1)"
    return None


_SALE_FACT_CHECKS = ("sale_lines", "sale_payments", "sale_journal", "sale_outbox")
_SALE_CHECKS = (*_SALE_FACT_CHECKS, "sale_audit")


def _sale_checks(conn: Connection) -> dict[str, Finding]:
    sales = _int(_one(conn, "SELECT COUNT(*) FROM sale")[0])
    broken: dict[str, int] = {name: 0 for name in _SALE_CHECKS}
    first: dict[str, tuple[str, dict[str, Any]]] = {}
    for row in conn.exec_driver_sql(_SALE_FACTS):
        for name in _SALE_FACT_CHECKS:
            problem = _sale_problem(name, row)
            if problem is None:
                continue
            broken[name] += 1
            if name not in first:
                first[name] = (f"sale {row.receipt_no} (seq {row.seq}, id {row.id}) {problem}",
                               {"sale_id": row.id, "seq": row.seq, "receipt_no": row.receipt_no,
                                **{k: getattr(row, k) for k in (
                                    "total", "payable", "lines", "gross", "payments", "paid",
                                    "entries", "events")}})
    audit = _rows(conn, _SALE_AUDITS)
    if audit:
        seq, sid, receipt_no, n, count = audit[0]
        broken["sale_audit"] = _int(count)
        first["sale_audit"] = (
            f"sale {receipt_no} (seq {seq}, id {sid}) has {n} 'sale.complete' audit records "
            "(needs exactly 1)", {"sale_id": sid, "seq": seq, "receipt_no": receipt_no,
                                  "audits": n})
    out: dict[str, Finding] = {}
    for name in _SALE_CHECKS:
        counts = {"sales": sales, "broken": broken[name]}
        if name in _SALE_ORPHANS:
            what, sql = _SALE_ORPHANS[name]
            orphan = _rows(conn, sql)
            counts["orphans"] = _int(orphan[0][2]) if orphan else 0
            if orphan and name not in first:
                key, ref, _n = orphan[0]
                first[name] = (f"{what} {key} refers to sale {ref}, which does not exist",
                               {"orphan": key, "sale_id": ref})
        sentence, detail = first.get(name, (None, None))
        out[name] = Finding(counts, sentence, detail)
    return out


# --- every refund whole ------------------------------------------------------------------

_REFUND_FACTS = """
    SELECT r.seq, r.id, r.refund_no, r.sale_id,
           (SELECT COUNT(*) FROM refund_line rl WHERE rl.refund_id = r.id) AS lines,
           (SELECT COUNT(*) FROM journal_entry je
             WHERE je.ref_id = r.id AND je.kind = 'refund') AS entries,
           (SELECT COUNT(*) FROM outbox o
             WHERE o.aggregate_id = r.id AND o.type = 'sale.refunded') AS events
    FROM refund r
    WHERE lines = 0 OR entries != 1 OR events != 1
    ORDER BY r.seq"""

_REFUND_CHECKS: dict[str, Callable[[Any], str | None]] = {
    "refund_lines": lambda r: None if r.lines else "has no lines",
    "refund_journal": lambda r: None if r.entries == 1 else
    f"has {r.entries} journal entries of kind 'refund' (needs exactly 1)",
    "refund_outbox": lambda r: None if r.events == 1 else
    f"has {r.events} 'sale.refunded' outbox events (needs exactly 1)",
}


def _refund_checks(conn: Connection) -> dict[str, Finding]:
    refunds = _int(_one(conn, "SELECT COUNT(*) FROM refund")[0])
    broken = {name: 0 for name in _REFUND_CHECKS}
    first: dict[str, tuple[str, dict[str, Any]]] = {}
    for row in conn.exec_driver_sql(_REFUND_FACTS):
        for name, rule in _REFUND_CHECKS.items():
            problem = rule(row)
            if problem is None:
                continue
            broken[name] += 1
            first.setdefault(name, (
                f"refund {row.refund_no} (seq {row.seq}, id {row.id}) {problem}",
                {"refund_id": row.id, "seq": row.seq, "refund_no": row.refund_no,
                 "sale_id": row.sale_id, "lines": row.lines, "entries": row.entries,
                 "events": row.events}))
    return {name: Finding({"refunds": refunds, "broken": broken[name]},
                           *first.get(name, (None, None)))
            for name in _REFUND_CHECKS}


# --- the audit chain ---------------------------------------------------------------------

def _audit_chain(conn: Connection) -> Finding:
    expected_seq = 1
    prev = GENESIS_HASH
    count = broken = 0
    first: tuple[str, dict[str, Any]] | None = None
    result = conn.exec_driver_sql(
        "SELECT seq, id, created_at, action, actor_id, approver_id, entity, entity_id, "
        "details, prev_hash, hash FROM audit_log ORDER BY seq")
    for seq, rid, created, action, actor, approver, entity, entity_id, details, \
            prev_hash, stored in result:
        count += 1
        problem: str | None = None
        if seq != expected_seq:
            problem = (f"seq {seq} follows seq {expected_seq - 1} (expected {expected_seq}: "
                       "records are missing)" if seq > expected_seq
                       else f"seq {seq} out of order (expected {expected_seq})")
        elif prev_hash != prev:
            problem = ("its prev_hash does not match the hash of the record before it "
                       "(the chain is cut here, or the record before was altered)")
        elif audit_hash(prev_hash, AuditFields(seq, rid, created, action, actor, approver,
                                               entity, entity_id, details)) != stored:
            problem = "its hash does not match its content (the record was altered)"
        if problem is not None:
            broken += 1
            if first is None:
                first = (f"audit record seq {seq} ({action} {entity} {entity_id}): {problem}",
                         {"seq": seq, "id": rid, "action": action, "entity": entity,
                          "entity_id": entity_id})
        prev = stored
        expected_seq = seq + 1
    if first is None:
        return Finding({"records": count, "broken": 0})
    return Finding({"records": count, "broken": broken}, first[0], first[1])


# --- running them ------------------------------------------------------------------------

_SINGLE: tuple[tuple[str, _Check], ...] = (
    ("foreign_keys", foreign_keys),
    ("journal_balanced", _journal_balanced),
    ("journal_orphan_lines", _journal_orphans),
    ("trial_balance", _trial_balance),
    ("stock_levels", _stock_levels),
    ("receipt_sequence", _receipts),
    ("refund_sequence", _refunds),
    ("outbox_sequence", _outbox),
)

CHECK_NAMES: tuple[str, ...] = (("integrity",) + tuple(n for n, _ in _SINGLE) + _SALE_CHECKS
                                + tuple(_REFUND_CHECKS) + ("audit_chain",))


def _timed(name: str, fn: Callable[[], Finding]) -> CheckResult:
    started = time.perf_counter()
    try:
        outcome = fn()
    except DBAPIError as exc:
        outcome = cannot_run(exc)
    return CheckResult(name, outcome.first_break is None, outcome.counts, outcome.first_break,
                       outcome.detail, time.perf_counter() - started)


def _timed_group(names: tuple[str, ...],
                 fn: Callable[[], dict[str, Finding]]) -> list[CheckResult]:
    started = time.perf_counter()
    try:
        outcomes = fn()
    except DBAPIError as exc:
        failed = cannot_run(exc)
        outcomes = {n: failed for n in names}
    spent = (time.perf_counter() - started) / len(names)
    return [CheckResult(n, outcomes[n].first_break is None, outcomes[n].counts,
                        outcomes[n].first_break, outcomes[n].detail, spent) for n in names]


def verify_database(conn: Connection) -> VerifyReport:
    """Run every check on ``conn`` (read-only; one read transaction for one snapshot).

    SQLite's full integrity check, the slowest, runs meanwhile on a read-only connection of
    its own in a worker thread, when the database is a file (local_db.integrity).
    """
    started = time.perf_counter()
    with integrity_aside(conn) as integrity_found:
        logical = [_timed(name, partial(fn, conn)) for name, fn in _SINGLE]
        logical += _timed_group(_SALE_CHECKS, partial(_sale_checks, conn))
        logical += _timed_group(tuple(_REFUND_CHECKS), partial(_refund_checks, conn))
        logical.append(_timed("audit_chain", partial(_audit_chain, conn)))
        found = integrity_found()
    integrity = CheckResult("integrity", found.first_break is None, found.counts,
                            found.first_break, found.detail, found.seconds)
    return VerifyReport((integrity, *logical), time.perf_counter() - started)


__all__ = ["CHECK_NAMES", "CheckResult", "VerifyReport", "verify_database"]

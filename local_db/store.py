"""Low-level writes every use case shares: counters, outbox, audit chain, journal, settings.

These take the Core connection of the current unit of work, so they join its transaction;
none of them commits.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, insert, select, text

from local_db.fastpath import hot_execute, insert_sql

from local_db.ids import now_iso, uuid7
from local_db.models import (
    AuditRecord,
    Counter,
    JournalEntry,
    JournalLine,
    OutboxEvent,
    ProviderJob,
    Setting,
)

#: Version of the outbox payload shapes; central accepts this and every older version.
#: 2: sale.completed carries its stock movements in full (all the stock_movement fields),
#: not only id, product_id and qty_milli (sync/push_rows.py upcasts version 1 events).
EVENT_SCHEMA_VERSION = 2
GENESIS_HASH = "0" * 64


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


# Every sale runs these, so they go through local_db.fastpath (see there why).
_NEXT = "UPDATE counter SET value = value + 1 WHERE name = ? RETURNING value"
_LAST_AUDIT = "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"


def next_counter(conn: Connection, name: str) -> int:
    """Increment a gapless counter inside the caller's transaction (rolled back with it)."""
    row = hot_execute(conn, _NEXT, (name,))
    if row is None:
        raise LookupError(f"no counter named {name}")
    return int(row[0])


def counter_value(conn: Connection, name: str) -> int:
    value = conn.execute(select(Counter.value).where(Counter.name == name)).scalar()
    return int(value or 0)


def append_outbox(conn: Connection, event_type: str, payload: Mapping[str, Any], *,
                  aggregate_id: str | None = None, created_at: str | None = None) -> int:
    seq = next_counter(conn, "outbox")
    hot_execute(conn, insert_sql(OutboxEvent), {
        "seq": seq, "id": uuid7(), "type": event_type, "schema_version": EVENT_SCHEMA_VERSION,
        "aggregate_id": aggregate_id, "payload": canonical_json(payload),
        "created_at": created_at or now_iso(), "status": "pending", "sent_at": None,
        "last_error": None})
    return seq


def add_provider_job(conn: Connection, *, provider: str, kind: str, ref_id: str,
                     idempotency_key: str, payload: Mapping[str, Any]) -> str:
    job_id = uuid7()
    stamp = now_iso()
    conn.execute(insert(ProviderJob).values(
        id=job_id, provider=provider, kind=kind, ref_id=ref_id, state="pending", attempts=0,
        next_attempt_at=stamp, idempotency_key=idempotency_key,
        payload=canonical_json(payload), created_at=stamp, updated_at=stamp))
    return job_id


@dataclass(frozen=True, slots=True)
class AuditFields:
    seq: int
    id: str
    created_at: str
    action: str
    actor_id: str | None
    approver_id: str | None
    entity: str
    entity_id: str | None
    details: str


def audit_hash(prev_hash: str, f: AuditFields) -> str:
    body = canonical_json([prev_hash, f.seq, f.id, f.created_at, f.action, f.actor_id,
                           f.approver_id, f.entity, f.entity_id, f.details])
    return hashlib.sha256(body.encode()).hexdigest()


def append_audit(conn: Connection, action: str, *, entity: str, entity_id: str | None,
                 actor_id: str | None, approver_id: str | None = None,
                 details: Mapping[str, Any] | None = None,
                 created_at: str | None = None) -> int:
    last = hot_execute(conn, _LAST_AUDIT)
    seq, prev = (int(last[0]) + 1, str(last[1])) if last else (1, GENESIS_HASH)
    fields = AuditFields(seq, uuid7(), created_at or now_iso(), action, actor_id, approver_id,
                         entity, entity_id, canonical_json(details or {}))
    hot_execute(conn, insert_sql(AuditRecord), {
        "seq": fields.seq, "id": fields.id, "created_at": fields.created_at, "action": action,
        "actor_id": actor_id, "approver_id": approver_id, "entity": entity,
        "entity_id": entity_id, "details": fields.details, "prev_hash": prev,
        "hash": audit_hash(prev, fields)})
    return seq


def post_journal(conn: Connection, *, kind: str, ref_id: str | None, memo: str,
                 lines: Iterable[tuple[str, int, int]], created_at: str | None = None,
                 entry_id: str | None = None) -> str:
    """Post ``(account, debit, credit)`` lines, then seal them with the entry row.

    Zero lines are dropped. The database refuses the entry unless debits equal credits.
    """
    entry_id = entry_id or uuid7()
    rows = [{"entry_id": entry_id, "account_code": a, "debit": d, "credit": c}
            for a, d, c in lines if d or c]
    if rows:
        hot_execute(conn, insert_sql(JournalLine), rows)
    hot_execute(conn, insert_sql(JournalEntry), {"id": entry_id, "kind": kind, "ref_id": ref_id,
                                                 "memo": memo,
                                                 "created_at": created_at or now_iso()})
    return entry_id


def read_settings(conn: Connection) -> dict[str, str]:
    return {k: v for k, v in conn.execute(select(Setting.key, Setting.value))}


def write_settings(conn: Connection, values: Mapping[str, str]) -> None:
    for key, value in values.items():
        conn.execute(text("INSERT INTO setting(key, value) VALUES (:k, :v) "
                          "ON CONFLICT(key) DO UPDATE SET value = excluded.value"),
                     {"k": key, "v": value})

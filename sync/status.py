"""The figures the sync panel, the status bar and ``warungin sync status`` show.

Read from the local database only (no network), so they are there offline too: what is
waiting, since when, the last good push, what central refused and why, the sequence gaps
central reported at the last push, a clone-guard refusal if there was one, and the
terminal's clock skew against central at the last sync.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text

from local_db.engine import Database
from local_db.ids import age_seconds
from local_db.store import read_settings
from local_db.uow import UnitOfWork
from sync.clock import last_skew
from sync.push import SETTING_GAPS, SETTING_LAST_PUSH, SETTING_REFUSED

RECENT_QUARANTINED = 20


def sync_status(db: Database, *, now: datetime | None = None) -> dict[str, Any]:
    now = now or datetime.now(UTC)
    with UnitOfWork(db, write=False) as uow:
        c = uow.conn
        pending, oldest = c.execute(text(
            "SELECT count(*), min(created_at) FROM outbox WHERE status = 'pending'")).one()
        quarantined = c.execute(text(
            "SELECT count(*) FROM outbox WHERE status = 'quarantined'")).scalar_one()
        recent = [{"seq": int(r[0]), "type": str(r[1]), "reason": r[2]} for r in c.execute(text(
            "SELECT seq, type, last_error FROM outbox WHERE status = 'quarantined' "
            "ORDER BY seq DESC LIMIT :n"), {"n": RECENT_QUARANTINED})]
        settings = read_settings(c)
    gaps = settings.get(SETTING_GAPS)
    return {
        "enrolled": "central.terminal_id" in settings,
        "pending": int(pending),
        "oldest_pending_at": oldest,
        "oldest_pending_age_s": age_seconds(oldest, now),
        "last_push_at": settings.get(SETTING_LAST_PUSH),
        "quarantined": int(quarantined),
        "quarantined_recent": recent,
        "central_gaps": None if gaps is None else int(gaps),
        "refused": settings.get(SETTING_REFUSED),
        # The terminal clock against central's at the last sync (sync/clock.py): shown and
        # flagged above 5 minutes, never used to order anything.
        **last_skew(settings),
    }


__all__ = ["sync_status"]

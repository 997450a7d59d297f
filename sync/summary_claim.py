"""Claims of a store's daily summary at central (``central.daily_summary_claim``).

``services.schedule_summary`` asks :meth:`CentralClaims.claim` before it sends: one INSERT
``ON CONFLICT DO NOTHING`` as this terminal's own role (row-level security fixes the tenant
and the terminal: the row names ``current_tenant()`` and ``current_terminal()``). The row
landing means this till sends; otherwise the holder is read back. Any connection or server
error is :class:`~services.schedule_summary.ClaimUnavailable` (the offline rule decides).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import psycopg

from services.schedule_summary import Claim, ClaimUnavailable

Connect = Callable[[], psycopg.Connection[tuple[Any, ...]]]

_CLAIM = ("INSERT INTO central.daily_summary_claim (tenant_id, store_id, day, recipient, "
          "terminal_id) VALUES (central.current_tenant(), %s, %s, %s, "
          "central.current_terminal()) ON CONFLICT DO NOTHING RETURNING terminal_id")
_HOLDER = ("SELECT terminal_id FROM central.daily_summary_claim WHERE tenant_id = "
           "central.current_tenant() AND store_id = %s AND day = %s AND recipient = %s")


class CentralClaims:
    def __init__(self, connect: Connect, terminal_id: str) -> None:
        self._connect = connect
        self._terminal_id = terminal_id

    @property
    def terminal_id(self) -> str:
        return self._terminal_id

    def claim(self, store_id: str, day: date, recipient_key: str) -> Claim:
        args = (store_id, day.isoformat(), recipient_key)
        try:
            with self._connect() as conn:
                row = conn.execute(_CLAIM, args).fetchone()
                if row is not None:
                    return Claim(True, str(row[0]))
                held = conn.execute(_HOLDER, args).fetchone()
        except psycopg.Error as exc:
            raise ClaimUnavailable(type(exc).__name__) from exc
        if held is None:  # cannot happen under the UNIQUE key; treat as not reachable
            raise ClaimUnavailable("claim neither inserted nor found")
        return Claim(False, str(held[0]))


__all__ = ["CentralClaims"]

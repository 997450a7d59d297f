"""The device-token registry: FCM registration tokens of users' and customers' devices.

A token is registered (or refreshed: registered again) at a till, deactivated by the FCM
job when Google says it is dead (``UNREGISTERED``, ``SENDER_ID_MISMATCH``, an invalid
token) or by a person, and listed for the push sender. Every change writes an outbox event
carrying the row's whole state, so central learns it (sync/push_rows.py) and every till of
the tenant gets it through the pull (sync/pull.py).

Rules
-----
- A token's id is derived from the token itself (:func:`token_id`, a UUIDv5), so two tills
  registering the same device offline name the same row: no duplicates to merge.
- ``updated_at`` is when the row's state (owner, platform, active, reason) was decided; a
  change older than the one a row holds never overrides it, on the till or at central. So
  a deactivation sticks unless a later registration refreshes the token, and
  ``last_seen_at`` only moves forward.
- A token is not printed whole anywhere: views show a prefix and "…" (``display``), their
  repr hides the token, and no audit record or error message carries it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, text

from local_db.ids import now_iso
from local_db.store import append_audit, append_outbox
from local_db.uow import UnitOfWork
from services.errors import BadInput, Conflict, NotFound
from services.users import Actor, authorize

OWNER_TYPES = ("user", "customer")
PLATFORMS = ("android", "ios", "web")
MAX_TOKEN = 4096
MAX_REASON = 80
SHOWN = 12  # characters of a token shown before "…"

EVENT_REGISTERED = "device_token.registered"
EVENT_DEACTIVATED = "device_token.deactivated"

# Fixed namespace of Warungin's token ids (uuid5 of the token within it).
_NAMESPACE = uuid.UUID("6f1d2a3e-8c7b-5e4f-9a0b-1c2d3e4f5a6b")

_COLUMNS = ("id, owner_type, owner_id, token, platform, active, last_seen_at, "
            "deactivated_reason, created_at, updated_at")


def token_id(token: str) -> str:
    """The registry id of a token: the same on every till and at central."""
    return str(uuid.uuid5(_NAMESPACE, token))


def shown(token: str) -> str:
    """What a person sees of a token: its first characters and "…"."""
    return token[:SHOWN] + "…" if len(token) > SHOWN else token[:4] + "…"


@dataclass(frozen=True, slots=True)
class DeviceTokenView:
    id: str
    owner_type: str
    owner_id: str
    token: str = field(repr=False)  # the push sender needs it; nobody reads it in a log
    platform: str
    active: bool
    last_seen_at: str
    deactivated_reason: str | None
    created_at: str
    updated_at: str

    @property
    def display(self) -> str:
        return shown(self.token)

    def as_dict(self) -> dict[str, Any]:
        """For JSON output: the token as its display form only."""
        return {"id": self.id, "owner_type": self.owner_type, "owner_id": self.owner_id,
                "token": self.display, "platform": self.platform, "active": self.active,
                "last_seen_at": self.last_seen_at,
                "deactivated_reason": self.deactivated_reason,
                "created_at": self.created_at, "updated_at": self.updated_at}


# --- checks ---------------------------------------------------------------------------------

def clean_token(token: str) -> str:
    if not isinstance(token, str) or not token:
        raise BadInput("a device token is needed", field="token")
    if len(token) > MAX_TOKEN:
        raise BadInput(f"a device token is at most {MAX_TOKEN} characters", field="token")
    if any(ch.isspace() for ch in token) or not token.isprintable():
        raise BadInput("a device token has no spaces, line breaks or control characters "
                       "(copy it again)", field="token")
    return token


def _owner_type(value: str) -> str:
    if value not in OWNER_TYPES:
        raise BadInput(f"the owner is one of {', '.join(OWNER_TYPES)}", field="owner_type")
    return value


def _platform(value: str) -> str:
    v = (value or "").strip().lower()
    if v not in PLATFORMS:
        raise BadInput(f"the platform is one of {', '.join(PLATFORMS)}", field="platform")
    return v


def _reason(value: str) -> str:
    v = " ".join((value or "").split())
    if not v:
        raise BadInput("say why the token is deactivated", field="reason")
    return v[:MAX_REASON]


def _check_owner(conn: Connection, owner_type: str, oid: str) -> None:
    if owner_type == "user":
        row = conn.execute(text('SELECT active FROM "user" WHERE id = :i'), {"i": oid}).first()
        if row is None:
            raise NotFound("no user with this id", field="owner_id")
        if not row[0]:
            raise Conflict("this user is not active", field="owner_id")
    else:
        row = conn.execute(text("SELECT erased_at FROM customer WHERE id = :i"),
                           {"i": oid}).first()
        if row is None:
            raise NotFound("no customer with this id", field="owner_id")
        if row[0] is not None:
            raise Conflict("this customer's data was erased", field="owner_id")


def _authorize_for(uow: UnitOfWork, actor: Actor, owner_type: str, owner_id: str,
                   what: str) -> Actor:
    # One's own device, or a customer's at the counter: any user with their PIN. Another
    # person's device: a supervisor.
    own = owner_type == "customer" or owner_id == actor.id
    return authorize(uow, actor, "cashier" if own else "supervisor", what)


# --- rows -------------------------------------------------------------------------------------

def _view(row: Any) -> DeviceTokenView:
    return DeviceTokenView(str(row[0]), str(row[1]), str(row[2]), str(row[3]), str(row[4]),
                           bool(row[5]), str(row[6]), None if row[7] is None else str(row[7]),
                           str(row[8]), str(row[9]))


def _load(conn: Connection, tid: str) -> DeviceTokenView | None:
    row = conn.execute(text(f"SELECT {_COLUMNS} FROM device_token WHERE id = :i"),
                       {"i": tid}).first()
    return None if row is None else _view(row)


def _event(conn: Connection, event_type: str, v: DeviceTokenView) -> None:
    """The row's whole state: central (and every other till) merges it by ``updated_at``."""
    append_outbox(conn, event_type, {
        "id": v.id, "owner_type": v.owner_type, "owner_id": v.owner_id, "token": v.token,
        "platform": v.platform, "active": v.active, "last_seen_at": v.last_seen_at,
        "deactivated_reason": v.deactivated_reason, "created_at": v.created_at,
        "updated_at": v.updated_at}, aggregate_id=v.id, created_at=v.updated_at)


# --- use cases --------------------------------------------------------------------------------

def register_token(uow: UnitOfWork, actor: Actor, *, owner_type: str, owner_id: str,
                   token: str, platform: str) -> DeviceTokenView:
    """Register a device token, or refresh it: a token already known moves its
    ``last_seen_at``, is reactivated and re-owned if needed. One transaction; central hears
    of it through the outbox."""
    kind = _owner_type(owner_type)
    clean = clean_token(token)
    plat = _platform(platform)
    oid = (owner_id or "").strip()
    if not oid:
        raise BadInput("the owner's id is needed", field="owner_id")
    conn = uow.conn
    _authorize_for(uow, actor, kind, oid, "registering a device for push messages")
    _check_owner(conn, kind, oid)
    tid = token_id(clean)
    stamp = now_iso()
    before = _load(conn, tid)
    if before is None:
        conn.execute(text(
            "INSERT INTO device_token (id, owner_type, owner_id, token, platform, active, "
            "last_seen_at, deactivated_reason, created_at, updated_at) VALUES (:i, :ot, :oi, "
            ":t, :p, 1, :at, NULL, :at, :at)"),
            {"i": tid, "ot": kind, "oi": oid, "t": clean, "p": plat, "at": stamp})
    else:
        conn.execute(text(
            "UPDATE device_token SET owner_type = :ot, owner_id = :oi, platform = :p, "
            "active = 1, deactivated_reason = NULL, updated_at = :at, "
            "last_seen_at = max(last_seen_at, :at) WHERE id = :i"),
            {"i": tid, "ot": kind, "oi": oid, "p": plat, "at": stamp})
    view = _load(conn, tid)
    assert view is not None
    append_audit(conn, "device_token.register" if before is None else "device_token.refresh",
                 entity="device_token", entity_id=tid, actor_id=actor.id,
                 details={"owner_type": kind, "owner_id": oid, "platform": plat,
                          "reactivated": before is not None and not before.active},
                 created_at=stamp)
    _event(conn, EVENT_REGISTERED, view)
    uow.commit()
    return view


def deactivate_token(conn: Connection, token_id: str, reason: str, now: str) -> bool:
    """Deactivate a token inside the caller's transaction (the FCM job handler, on
    ``UNREGISTERED`` / ``SENDER_ID_MISMATCH`` / an invalid token). True when it was active
    and now is not; False when unknown or already inactive (nothing written). Commits
    nothing."""
    current = _load(conn, token_id)
    if current is None or not current.active:
        return False
    why = " ".join((reason or "").split())[:MAX_REASON] or "deactivated"
    conn.execute(text("UPDATE device_token SET active = 0, deactivated_reason = :r, "
                      "updated_at = :at WHERE id = :i"), {"i": token_id, "r": why, "at": now})
    after = _load(conn, token_id)
    assert after is not None
    _event(conn, EVENT_DEACTIVATED, after)
    return True


def find_token(conn: Connection, token_id_or_token: str) -> DeviceTokenView:
    """A token by its registry id or by the token itself."""
    value = (token_id_or_token or "").strip()
    if not value:
        raise BadInput("name the token (its id or the token)", field="token")
    found = _load(conn, value) or _load(conn, token_id(value))
    if found is None:
        raise NotFound("no such device token", field="token")
    return found


def deactivate(uow: UnitOfWork, actor: Actor, token_id_or_token: str,
               reason: str) -> DeviceTokenView:
    """A person deactivates a token (a lost phone, a sold tablet)."""
    why = _reason(reason)
    conn = uow.conn
    current = find_token(conn, token_id_or_token)
    _authorize_for(uow, actor, current.owner_type, current.owner_id,
                   "deactivating a device token")
    if not current.active:
        raise Conflict("this device token is already inactive", field="token")
    stamp = now_iso()
    deactivate_token(conn, current.id, why, stamp)
    append_audit(conn, "device_token.deactivate", entity="device_token", entity_id=current.id,
                 actor_id=actor.id, details={"reason": why}, created_at=stamp)
    after = _load(conn, current.id)
    assert after is not None
    uow.commit()
    return after


def active_tokens(conn: Connection, owner_type: str, owner_id: str
                  ) -> tuple[DeviceTokenView, ...]:
    """The owner's active tokens, the most recently seen first (what a push goes to)."""
    rows = conn.execute(text(
        f"SELECT {_COLUMNS} FROM device_token WHERE owner_type = :ot AND owner_id = :oi "
        "AND active = 1 ORDER BY last_seen_at DESC, id"),
        {"ot": _owner_type(owner_type), "oi": owner_id})
    return tuple(_view(r) for r in rows)


def list_tokens(uow: UnitOfWork, *, owner_type: str | None = None, active: bool | None = None,
                limit: int = 200) -> tuple[DeviceTokenView, ...]:
    where: list[str] = []
    params: dict[str, Any] = {"n": max(1, min(int(limit), 1000))}
    if owner_type is not None:
        where.append("owner_type = :ot")
        params["ot"] = _owner_type(owner_type)
    if active is not None:
        where.append("active = :a")
        params["a"] = 1 if active else 0
    clause = f"WHERE {' AND '.join(where)} " if where else ""
    rows = uow.conn.execute(text(
        f"SELECT {_COLUMNS} FROM device_token {clause}"
        "ORDER BY last_seen_at DESC, id LIMIT :n"), params)
    return tuple(_view(r) for r in rows)


__all__ = ["EVENT_DEACTIVATED", "EVENT_REGISTERED", "MAX_TOKEN", "OWNER_TYPES", "PLATFORMS",
           "DeviceTokenView", "active_tokens", "clean_token", "deactivate", "deactivate_token",
           "find_token", "list_tokens", "register_token", "shown", "token_id"]

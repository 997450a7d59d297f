"""Users, roles, PIN checks with lockout, and permission checks done in the services."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Connection, select, update

from local_db.ids import now_iso, uuid7
from local_db.models import User
from local_db.store import append_audit
from local_db.uow import UnitOfWork
from services.errors import BadInput, Conflict, NotFound, Refused
from services.pins import check_pin, hash_pin
from services.shop import ROLES

MAX_FAILED_PINS = 5
RANK = {"cashier": 1, "supervisor": 2, "owner": 3}
_PIN_RE = re.compile(r"^\d{4,8}$")


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is acting; handed to every use case that needs rights."""

    id: str
    name: str
    role: str

    def at_least(self, role: str) -> bool:
        return RANK[self.role] >= RANK[role]


def require(actor: Actor, role: str, what: str) -> None:
    if not actor.at_least(role):
        raise Refused(f"{what} needs a {role} (you are {actor.role})", field="user")


def validate_pin(pin: str) -> str:
    if not _PIN_RE.match(pin or ""):
        raise BadInput("a PIN is 4 to 8 digits", field="pin")
    return pin


def create_user(uow: UnitOfWork, by: Actor | None, *, name: str, role: str, pin: str) -> Actor:
    """Add a user. ``by`` is None only for the first owner of a new shop."""
    name = (name or "").strip()
    if not name or len(name) > 60:
        raise BadInput("a name of 1 to 60 characters is needed", field="name")
    if role not in ROLES:
        raise BadInput(f"role must be one of {', '.join(ROLES)}", field="role")
    validate_pin(pin)
    session = uow.session
    if by is not None:
        require(by, "owner", "adding users")
    elif session.scalar(select(User.id).limit(1)) is not None:
        raise Refused("only an owner can add users", field="user")
    if session.scalar(select(User.id).where(User.name == name)) is not None:
        raise Conflict(f"a user named '{name}' exists", field="name")
    user_id = uuid7()
    session.add(User(id=user_id, name=name, role=role, pin_hash=hash_pin(pin), failed_pins=0,
                     locked=False, active=True, created_at=now_iso()))
    session.flush()
    append_audit(uow.conn, "user.create", entity="user", entity_id=user_id,
                 actor_id=by.id if by else None, details={"name": name, "role": role})
    return Actor(user_id, name, role)


def find_user(uow: UnitOfWork, name_or_id: str) -> User:
    user = uow.session.scalar(select(User).where(
        (User.name == name_or_id) | (User.id == name_or_id)))
    if user is None or not user.active:
        raise NotFound(f"no active user '{name_or_id}'", field="user")
    return user


def authenticate(uow: UnitOfWork, name_or_id: str, pin: str) -> Actor:
    """Check a PIN. Failures are counted and committed even though the caller is refused:
    the fifth wrong PIN in a row locks the user until a supervisor or owner unlocks it."""
    user = find_user(uow, name_or_id)
    if user.locked:
        raise Refused(f"user '{user.name}' is locked after {MAX_FAILED_PINS} wrong PINs; "
                      "a supervisor or owner must unlock it", field="pin")
    if not check_pin(pin or "", user.pin_hash):
        failed = user.failed_pins + 1
        locked = failed >= MAX_FAILED_PINS
        uow.session.execute(update(User).where(User.id == user.id)
                            .values(failed_pins=failed, locked=locked))
        if locked:
            append_audit(uow.conn, "user.locked", entity="user", entity_id=user.id,
                         actor_id=user.id, details={"failed_pins": failed})
        uow.commit()
        left = MAX_FAILED_PINS - failed
        raise Refused("wrong PIN" + (f" ({left} tries left)" if left > 0 else
                                     "; the user is now locked"), field="pin")
    if user.failed_pins:
        uow.session.execute(update(User).where(User.id == user.id).values(failed_pins=0))
    return Actor(user.id, user.name, user.role)


def approve(uow: UnitOfWork, name_or_id: str | None, pin: str | None, role: str,
            what: str) -> Actor:
    """A second person's PIN authorising something (refund, void, discount over limit)."""
    if not name_or_id or not pin:
        raise Refused(f"{what} needs a {role} PIN", field="approver")
    approver = authenticate(uow, name_or_id, pin)
    if not approver.at_least(role):
        raise Refused(f"{what} needs a {role}; {approver.name} is a {approver.role}",
                      field="approver")
    return approver


def unlock_user(uow: UnitOfWork, by: Actor, name_or_id: str) -> None:
    require(by, "supervisor", "unlocking a user")
    user = find_user(uow, name_or_id)
    uow.session.execute(update(User).where(User.id == user.id)
                        .values(failed_pins=0, locked=False))
    append_audit(uow.conn, "user.unlock", entity="user", entity_id=user.id, actor_id=by.id)


def change_role(uow: UnitOfWork, by: Actor, name_or_id: str, role: str) -> None:
    require(by, "owner", "changing roles")
    if role not in ROLES:
        raise BadInput(f"role must be one of {', '.join(ROLES)}", field="role")
    user = find_user(uow, name_or_id)
    if user.id == by.id and role != "owner":
        # So that a shop never loses its last owner by a slip of the hand.
        raise BadInput("you cannot take the owner role from yourself; another owner can",
                       field="role")
    uow.session.execute(update(User).where(User.id == user.id).values(role=role))
    append_audit(uow.conn, "user.role", entity="user", entity_id=user.id, actor_id=by.id,
                 details={"from": user.role, "to": role})


def change_pin(uow: UnitOfWork, by: Actor, name_or_id: str, pin: str) -> None:
    user = find_user(uow, name_or_id)
    if by.id != user.id:
        require(by, "owner", "changing another user's PIN")
    validate_pin(pin)
    uow.session.execute(update(User).where(User.id == user.id)
                        .values(pin_hash=hash_pin(pin), failed_pins=0, locked=False))
    append_audit(uow.conn, "user.pin", entity="user", entity_id=user.id, actor_id=by.id)


@dataclass(frozen=True, slots=True)
class UserChoice:
    """Someone who may log in at the till, as the login screen lists them: no PIN data."""

    name: str
    role: str
    locked: bool


def login_choices(uow: UnitOfWork) -> tuple[UserChoice, ...]:
    """The active users by name, locked ones too (the screen says they are locked)."""
    rows = uow.session.execute(select(User.name, User.role, User.locked)
                               .where(User.active).order_by(User.name)).all()
    return tuple(UserChoice(str(n), str(r), bool(locked)) for n, r, locked in rows)


@dataclass(frozen=True, slots=True)
class UserRow:
    """A user as the owner's Users screen lists them: no PIN data."""

    id: str
    name: str
    role: str
    locked: bool
    failed_pins: int


def list_users(conn: Connection, by: Actor) -> list[UserRow]:
    """The active users by name, for an owner managing them."""
    require(by, "owner", "managing users")
    rows = conn.execute(
        select(User.id, User.name, User.role, User.locked, User.failed_pins)
        .where(User.active).order_by(User.name)).all()
    return [UserRow(str(i), str(n), str(r), bool(lk), int(f)) for i, n, r, lk, f in rows]

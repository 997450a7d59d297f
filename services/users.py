"""Users, roles, PIN checks with lockout, and who may act: the rule every use case applies.

Who may act (issue 10; the CLI, the desktop program and scheduled jobs all go through it)
------------------------------------------------------------------------------------------
1. **A locked or inactive user never acts**, by any path. A PIN check refuses a locked user
   (:func:`authenticate`), and every use case re-reads the acting user's row in its own
   unit of work (:func:`authorize`, :func:`may_sell`): an :class:`Actor` value made before
   the lock (a till session signed in an hour ago, a job holding an actor) does not outlive
   it. The stored role counts, not the one the value was made with.
2. **Without a PIN, only selling.** The till's default actor — the cashier who opened the
   open shift, used when a command names no user (:func:`shift_cashier`) — has
   ``pin_checked=False`` and may only complete sales. Every other act that changes the shop
   (cash in/out and no-sale, opening and closing a shift, stock receive/adjust/count,
   product edits and imports, refunds, kasbon repayments, customers, users, settings,
   keys, provider jobs, settlements, outbox retry/discard) needs an actor whose PIN was
   checked for this command or session (:func:`acting`, :func:`authenticate`).
3. **The role where the act requires it**, as each use case names it (:func:`authorize`);
   a second person's PIN (:func:`approve`, an :class:`Approval` value handed to the use
   case) where the act needs someone above the actor: refunds, voids, discounts over the
   limit, a drawer opened without a sale, and a cash out beyond the drawer's expected cash
   or above the store setting ``cash_out.approval_above`` (services.shifts). A supervisor
   or owner acting with their own PIN approves their own cash out.
4. The audit records name who acted (``actor_id``) and who approved (``approver_id``).

The services decide all of this; callers only gather who acts and the PIN (the CLI from
``--user`` and ``WARUNGIN_PIN`` or a prompt, never a PIN on the command line).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Connection, select, update

from local_db.fastpath import hot_execute
from local_db.ids import now_iso, uuid7
from local_db.models import Shift, User
from local_db.store import append_audit
from local_db.uow import UnitOfWork
from services.errors import BadInput, Conflict, NotFound, Refused
from services.pins import check_pin, hash_pin
from services.shifts_query import open_shift_id
from services.shop import ROLES

MAX_FAILED_PINS = 5
RANK = {"cashier": 1, "supervisor": 2, "owner": 3}
_PIN_RE = re.compile(r"^\d{4,8}$")


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is acting; handed to every use case that needs rights. ``pin_checked`` says the
    user's PIN was checked for this command or session (made by :func:`authenticate`);
    the till's default actor (:func:`shift_cashier`) has not, and may only sell."""

    id: str
    name: str
    role: str
    pin_checked: bool = False

    def at_least(self, role: str) -> bool:
        return RANK[self.role] >= RANK[role]


@dataclass(frozen=True, slots=True)
class Approval:
    """A second person's name and PIN, handed to a use case that checks it (refunds,
    discounts over the limit, cash out beyond the drawer)."""

    user: str
    pin: str


def _needs_pin(what: str) -> Refused:
    return Refused(f"{what} needs the acting user's PIN: say who acts (--user NAME, with "
                   "the PIN in WARUNGIN_PIN or typed when asked); without a PIN the shift's "
                   "cashier may only sell", field="pin")


def require(actor: Actor, role: str, what: str) -> None:
    """The actor's PIN was checked and their role covers ``role``. Pure: use cases call
    :func:`authorize`, which also re-reads the user (locked, inactive, current role)."""
    if not actor.pin_checked:
        raise _needs_pin(what)
    if not actor.at_least(role):
        raise Refused(f"{what} needs a {role} (you are {actor.role})", field="user")


_USER_STATE = "SELECT name, role, locked, active FROM user WHERE id = ?"


def _current(conn: Connection, actor: Actor, *, field: str) -> Actor:
    """The actor as stored now: refused if the user is gone, inactive or locked."""
    # On the sale path (every sale asks): the connection's own cursor, not a Core select.
    row = hot_execute(conn, _USER_STATE, (actor.id,))
    if row is None or not row[3]:
        raise Refused(f"'{actor.name}' is not an active user", field=field)
    if row[2]:
        raise Refused(f"user '{row[0]}' is locked after {MAX_FAILED_PINS} wrong PINs; a "
                      "supervisor or owner must unlock it before they act again", field=field)
    return Actor(actor.id, str(row[0]), str(row[1]), actor.pin_checked)


def may_sell(conn: Connection, actor: Actor) -> Actor:
    """Selling: the one act the till's default actor (no PIN) may do; never a locked or
    inactive user."""
    return _current(conn, actor, field="user")


def authorize(uow: UnitOfWork, actor: Actor, role: str, what: str) -> Actor:
    """Every act but selling: the user is active and not locked (read now), their PIN was
    checked, and their stored role covers ``role``. Returns the actor as stored."""
    current = _current(uow.conn, actor, field="user")
    require(current, role, what)
    return current


def authorize_approver(uow: UnitOfWork, approver: Actor, role: str, what: str) -> Actor:
    """An approval given earlier as a value (a supervisor's grant at the till): still an
    active, unlocked user whose stored role covers ``role``."""
    current = _current(uow.conn, approver, field="approver")
    if not current.pin_checked or not current.at_least(role):
        raise Refused(f"{what} needs a {role}'s PIN", field="approver")
    return current


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
        authorize(uow, by, "owner", "adding users")
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
    return Actor(user_id, name, role, pin_checked=True)  # its PIN was just set


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
    return Actor(user.id, user.name, user.role, pin_checked=True)


def acting(uow: UnitOfWork, name_or_id: str, pin: str) -> Actor:
    """Who acts, proven by their PIN now (the CLI's ``--user``): :func:`authenticate`, whose
    failures are counted and committed, and which refuses a locked user."""
    return authenticate(uow, name_or_id, pin)


def shift_cashier(conn: Connection, terminal_id: str) -> Actor | None:
    """The till's default actor: the cashier who opened the open shift, without a PIN
    (``pin_checked=False``): enough to sell (:func:`may_sell`), nothing else. None when no
    shift is open; refused when that user is locked or inactive."""
    sid = open_shift_id(conn, terminal_id)
    if sid is None:
        return None
    row = conn.execute(select(User.id, User.name, User.role)
                       .join(Shift, Shift.opened_by == User.id).where(Shift.id == sid)).first()
    if row is None:
        return None
    return may_sell(conn, Actor(str(row[0]), str(row[1]), str(row[2]), pin_checked=False))


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
    authorize(uow, by, "supervisor", "unlocking a user")
    user = find_user(uow, name_or_id)
    uow.session.execute(update(User).where(User.id == user.id)
                        .values(failed_pins=0, locked=False))
    append_audit(uow.conn, "user.unlock", entity="user", entity_id=user.id, actor_id=by.id)


def change_role(uow: UnitOfWork, by: Actor, name_or_id: str, role: str) -> None:
    authorize(uow, by, "owner", "changing roles")
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
    authorize(uow, by, "owner" if by.id != user.id else "cashier",
              "changing another user's PIN" if by.id != user.id else "changing your PIN")
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

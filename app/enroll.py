"""The terminal's side of enrolment: redeem a one-time code from ``warungin central
add-terminal`` and remember how to reach central.

Where things go (ARCHITECTURE.md, Security): the password and the install id go to the
secret store (the OS keyring; a demo shop's labelled file), never to SQLite or the log.
The local settings get only ids and the DSN without password: ``tenant_id``,
``central.store_id``, ``central.terminal_id``, ``central.role``, ``central.dsn``.

Redeeming the code replaces the code's password with a fresh one in the same central
transaction that sets ``terminal.enrolled_at``, so the code works once (that talk with
central is :mod:`sync.central.enroll`; this module composes it with the secrets and settings). Order, so that no
crash can strand the terminal: new secrets to the secret store, then the central commit,
then the local settings. If the central commit fails the previous secrets are put back;
if we crash after it, running ``enroll`` again with the same code finishes the local part
(the install id in the secret store proves this machine is the one that redeemed it).
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import func, select

from app.secrets import SecretStore, secret_store_for
from app.shop import Shop
from local_db.models import OutboxEvent
from local_db.store import read_settings, write_settings
from services.errors import Conflict, Refused
from sync.central.admin import EnrolmentCode
from sync.central.connect import redact_dsn
from sync.central.enroll import redeeming

PASSWORD_SECRET = "central/password"
INSTALL_ID_SECRET = "central/install_id"

SETTING_TENANT = "tenant_id"
SETTING_STORE = "central.store_id"
SETTING_TERMINAL = "central.terminal_id"
SETTING_ROLE = "central.role"
SETTING_DSN = "central.dsn"


@dataclass(frozen=True, slots=True)
class Enrolment:
    tenant_id: str
    store_id: str
    terminal_id: str
    role: str
    dsn: str  # without password
    resumed: bool  # True when this run only finished a previous, interrupted enrolment

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class CentralCredentials:
    dsn: str
    password: str

    def __repr__(self) -> str:
        return f"CentralCredentials(dsn={self.dsn!r}, password='***')"


def _pending_outbox(shop: Shop) -> int:
    with shop.uow(write=False) as uow:
        return int(uow.session.scalar(select(func.count()).select_from(OutboxEvent)
                                      .where(OutboxEvent.status == "pending")) or 0)


def _check_may_enrol(shop: Shop, code: EnrolmentCode) -> None:
    """A terminal with unsent work stays with the identity that made it: its pending events
    carry seqs that only make sense for that tenant and terminal at central."""
    with shop.uow(write=False) as uow:
        settings = read_settings(uow.conn)
    enrolled_terminal = settings.get(SETTING_TERMINAL)
    if enrolled_terminal is None:
        return  # never enrolled: its history goes up to the tenant it joins now
    pending = _pending_outbox(shop)
    if not pending:
        return
    if settings.get(SETTING_TENANT) != code.tenant_id:
        raise Conflict(f"this till has {pending} events not yet sent to its tenant "
                       f"{settings.get(SETTING_TENANT)}; it cannot join another tenant until "
                       "they are sent", field="code")
    if enrolled_terminal != code.terminal_id:
        raise Conflict(f"this till has {pending} events not yet sent as terminal "
                       f"{enrolled_terminal}; it cannot become another terminal until they "
                       "are sent (ask for a new code for the same terminal)", field="code")


def _remember(shop: Shop, code: EnrolmentCode) -> None:
    with shop.uow() as uow:
        write_settings(uow.conn, {
            SETTING_TENANT: code.tenant_id, SETTING_STORE: code.store_id,
            SETTING_TERMINAL: code.terminal_id, SETTING_ROLE: code.role,
            SETTING_DSN: redact_dsn(code.dsn)})
        uow.commit()
    shop.reload()


def enroll(shop: Shop, code_text: str, *, store: SecretStore | None = None) -> Enrolment:
    code = EnrolmentCode.decode(code_text)
    store = store or secret_store_for(shop)
    _check_may_enrol(shop, code)
    dsn = redact_dsn(code.dsn)
    with redeeming(code) as central:
        seat = central.seat()
        if seat.enrolled:
            if seat.install_id is not None and store.get(INSTALL_ID_SECRET) == seat.install_id \
                    and store.get(PASSWORD_SECRET) is not None:
                _remember(shop, code)  # our own enrolment, interrupted before this step
                return Enrolment(code.tenant_id, code.store_id, code.terminal_id, code.role,
                                 dsn, resumed=True)
            raise Refused("this enrolment code was already used; ask the administrator for "
                          "a new one ('warungin central reissue-code')", field="code")

        new_password = secrets.token_urlsafe(32)
        install_id = str(uuid.uuid4())
        previous = {name: store.get(name) for name in (PASSWORD_SECRET, INSTALL_ID_SECRET)}
        store.set(PASSWORD_SECRET, new_password)
        store.set(INSTALL_ID_SECRET, install_id)
        try:
            central.claim(install_id, new_password)
        except BaseException:
            for name, value in previous.items():
                if value is None:
                    store.delete(name)
                else:
                    store.set(name, value)
            raise
    _remember(shop, code)
    return Enrolment(code.tenant_id, code.store_id, code.terminal_id, code.role, dsn,
                     resumed=False)


def central_credentials(shop: Shop, store: SecretStore | None = None) -> CentralCredentials:
    """How this terminal reaches central (for the push/pull engine)."""
    with shop.uow(write=False) as uow:
        settings = read_settings(uow.conn)
    dsn = settings.get(SETTING_DSN)
    if dsn is None:
        raise Conflict("this till is not enrolled with a central database; run "
                       "'warungin enroll CODE'", field="central")
    password = (store or secret_store_for(shop)).get(PASSWORD_SECRET)
    if password is None:
        raise Conflict("the central password is missing from the secret store; ask the "
                       "administrator for a new code and enrol again", field="central")
    return CentralCredentials(dsn, password)


__all__ = ["CentralCredentials", "Enrolment", "central_credentials", "enroll"]

"""The store settings screen's use cases: what an owner sees there, and the provider and
central credentials they set or clear.

Which credentials exist, who may touch them (owners), how each value is checked and what
the audit log says are decided here. The values themselves go to a :class:`SecretStore`
(the port: the OS keyring or a demo shop's labelled file, ``app.secrets``), never to
SQLite; only whether each is set comes back. The central connection string is kept in the
``central.dsn`` setting without its password (as ``warungin enroll`` does); a password typed
into it goes to the secret store. Parsing a connection string is the PostgreSQL driver's
job, so the caller hands in a :class:`ConnectionStrings` (``sync.central.connect``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import Connection, delete

from local_db.models import Setting
from local_db.store import append_audit, read_settings, write_settings
from local_db.uow import UnitOfWork
from services.errors import BadInput, Refused
from services.store_settings import (
    LANGUAGES,
    PAPER_WIDTHS,
    PRINTER_KINDS,
    ROUNDING_MODES,
    ROUNDING_UNITS,
    StoreSettings,
    read_store_settings,
)
from services.users import Actor, require

#: The credentials the settings screen takes: Midtrans server and client keys, the central
#: database's connection string (stored without its password) and password.
CREDENTIAL_KEYS = ("midtrans_server_key", "midtrans_client_key", "central_dsn",
                   "central_password")
#: Where each credential lives in the secret store (names shared with app.provider_wiring
#: and the enrolment, which read them).
SECRET_NAMES = {
    "midtrans_server_key": "midtrans-server-key",
    "midtrans_client_key": "midtrans-client-key",
    "central_password": "central/password",
}
CENTRAL_DSN_SETTING = "central.dsn"


class SecretStoreUnavailable(Exception):
    """The secret store cannot be used (no secure keyring...): an environment fault whose
    message says why and how to fix it."""


class SecretStore(Protocol):
    """Secrets by name. ``get`` returns None for a name never set. Each method raises
    :class:`SecretStoreUnavailable` when the store cannot be used."""

    def get(self, name: str) -> str | None: ...

    def set(self, name: str, value: str) -> None: ...

    def delete(self, name: str) -> None: ...


class ConnectionStrings(Protocol):
    """How PostgreSQL connection strings are read (``sync.central.connect`` is one)."""

    def parse_dsn(self, dsn: str) -> dict[str, str]: ...

    def redact_dsn(self, dsn: str) -> str: ...


@dataclass(frozen=True, slots=True)
class CredentialState:
    """Whether one credential is set. The value itself never leaves the secret store."""

    key: str  # one of CREDENTIAL_KEYS
    is_set: bool


@dataclass(frozen=True, slots=True)
class SettingsView:
    """The store settings screen: the settings, the credentials' states, and the choices
    the form offers (from services.store_settings' own rules)."""

    store: StoreSettings
    credentials: tuple[CredentialState, ...]
    printer_kinds: tuple[str, ...] = PRINTER_KINDS
    paper_widths: tuple[int, ...] = PAPER_WIDTHS
    rounding_units: tuple[int, ...] = ROUNDING_UNITS
    rounding_modes: tuple[str, ...] = ROUNDING_MODES
    languages: tuple[str, ...] = LANGUAGES
    #: Why the secret store cannot be used (no secure keyring...), or None when it can.
    keyring_problem: str | None = None


def settings_view(conn: Connection, actor: Actor, secrets: SecretStore) -> SettingsView:
    """What an owner sees. Without a usable secret store the settings still show, and the
    credentials part says why it cannot."""
    require(actor, "owner", "the store settings")
    dsn_set = bool(read_settings(conn).get(CENTRAL_DSN_SETTING))
    problem: str | None = None
    try:
        creds = tuple(CredentialState(key, dsn_set if key == "central_dsn"
                                      else secrets.get(SECRET_NAMES[key]) is not None)
                      for key in CREDENTIAL_KEYS)
    except SecretStoreUnavailable as exc:
        problem = str(exc)
        creds = tuple(CredentialState(key, dsn_set and key == "central_dsn")
                      for key in CREDENTIAL_KEYS)
    return SettingsView(read_store_settings(conn), creds, keyring_problem=problem)


def _known(actor: Actor, key: str) -> None:
    require(actor, "owner", "setting credentials")
    if key not in CREDENTIAL_KEYS:
        raise BadInput(f"unknown credential '{key}'", field="credential")


def _put(secrets: SecretStore, field: str, name: str, value: str) -> None:
    """Into the secret store, or a refusal saying why not (no secure keyring: never a
    plaintext fallback)."""
    try:
        secrets.set(name, value)
    except SecretStoreUnavailable as exc:
        raise Refused(str(exc), field=field) from None


def set_credential(uow: UnitOfWork, actor: Actor, secrets: SecretStore, key: str, value: str,
                   *, dsns: ConnectionStrings) -> None:
    """Set one credential (audited by name, never by value); commits."""
    _known(actor, key)
    value = (value or "").strip()
    if not value:
        raise BadInput("enter a value (or use Clear to remove it)", field=key)
    if key != "central_dsn":
        if any(c.isspace() for c in value):
            raise BadInput("a key has no spaces", field=key)
        _put(secrets, key, SECRET_NAMES[key], value)
        append_audit(uow.conn, "provider.credentials", entity="credential", entity_id=key,
                     actor_id=actor.id, details={"set": key})
        uow.commit()
        return
    params = dsns.parse_dsn(value)
    if not params.get("host") and not params.get("hostaddr"):
        raise BadInput("the connection string names no host", field=key)
    password = params.get("password")
    if password:
        _put(secrets, key, SECRET_NAMES["central_password"], password)
    write_settings(uow.conn, {CENTRAL_DSN_SETTING: dsns.redact_dsn(value)})
    append_audit(uow.conn, "central.credentials", entity="central", entity_id=None,
                 actor_id=actor.id, details={"set": ["dsn"] + (["password"] if password else [])})
    uow.commit()


def clear_credential(uow: UnitOfWork, actor: Actor, secrets: SecretStore, key: str) -> None:
    """Remove one credential (audited); commits."""
    _known(actor, key)
    if key == "central_dsn":
        uow.conn.execute(delete(Setting).where(Setting.key == CENTRAL_DSN_SETTING))
    else:
        try:
            secrets.delete(SECRET_NAMES[key])
        except SecretStoreUnavailable as exc:
            raise Refused(str(exc), field=key) from None
    append_audit(uow.conn, "credential.clear", entity="credential", entity_id=key,
                 actor_id=actor.id, details={"cleared": key})
    uow.commit()

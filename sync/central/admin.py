"""Administration of a central database: init, tenants, stores, terminals, enrolment codes.

Runs as the administrator: a superuser, or a role with CREATEROLE and BYPASSRLS that may
create schemas in the database. Nothing here is reachable with a terminal's role.

Roles (cluster-wide names, so each central database gets its own random prefix, kept in
``central.installation`` and reused by every later ``init``):

- ``<prefix>_owner``    NOLOGIN; owns the schema and every table, function and trigger.
                        No terminal or person is a member; FORCEd RLS binds it too.
- ``<prefix>_terminal`` NOLOGIN group carrying the terminals' grants.
- ``<prefix>_reader``   NOLOGIN group carrying read grants for tenant owner roles.
- ``<prefix>_t_<hex>``  one LOGIN role per terminal (member of ``_terminal``), password
                        random, stored centrally only as a SCRAM verifier.
- ``<prefix>_o_<hex>``  one NOLOGIN owner role per tenant (member of ``_reader``): it reads
                        the whole tenant. Grant it to a person's login role, who then uses
                        ``SET ROLE``, so owners never share a password.

Which role is which tenant and terminal is the ``central.principal`` table (role_name ->
tenant_id, terminal_id), read by the policies through ``central.current_tenant()`` and
``central.current_terminal()``: a role name is only a label, the mapping is data.

Enrolment codes are one-time: the code carries the terminal's first password, and
``warungin enroll`` replaces that password with a new one (held only in the terminal's
secret store) in the same central transaction that sets ``terminal.enrolled_at``. After
that the code is spent: its password no longer logs in, and the terminal row says so.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import secrets
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from psycopg import sql
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.pool import NullPool

from local_db.ids import uuid7
from services.errors import BadInput, Conflict, NotFound, Refused
from services.loyalty_settings import PREFIX as LOYALTY_PREFIX
from sync.central.connect import (
    admin_connect,
    redact_dsn,
    scram_verifier,
    terminal_dsn,
)
from sync.central.schema import HEAD_REVISION, SCHEMA, secret_looking

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
CODE_PREFIX = "WGC1."
TERMINAL_CONNECTION_LIMIT = 8
_IDENT = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


# --- roles ------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Roles:
    prefix: str

    @property
    def owner(self) -> str:
        return f"{self.prefix}_owner"

    @property
    def terminal(self) -> str:
        return f"{self.prefix}_terminal"

    @property
    def reader(self) -> str:
        return f"{self.prefix}_reader"

    def for_terminal(self, terminal_id: str) -> str:
        return f"{self.prefix}_t_{terminal_id.replace('-', '')}"

    def for_tenant_owner(self, tenant_id: str) -> str:
        return f"{self.prefix}_o_{tenant_id.replace('-', '')}"


def ident(name: str) -> str:
    """A role name we made, double-quoted; anything else is refused (never spliced)."""
    if not _IDENT.match(name):
        raise ValueError(f"not a role name Warungin makes: {name!r}")
    return f'"{name}"'


def check_uuid(value: str, field: str) -> str:
    v = value.strip().lower()
    if not _UUID.match(v):
        raise BadInput("must be a UUID", field=field)
    return v


def _new_prefix(database: str) -> str:
    # Readable (names the database) and unique (a database dropped and made again under the
    # same name must not inherit the old one's roles).
    stem = re.sub(r"[^a-z0-9]", "", database.lower())[:16] or "db"
    return f"wg_{stem}_{secrets.token_hex(2)}"


# --- engines ------------------------------------------------------------------------------

def admin_engine(dsn: str) -> Engine:
    return create_engine("postgresql+psycopg://", poolclass=NullPool,
                         creator=lambda: admin_connect(dsn))


@contextmanager
def admin_transaction(dsn: str) -> Iterator[Connection]:
    engine = admin_engine(dsn)
    try:
        with engine.begin() as conn:
            yield conn
    finally:
        engine.dispose()


def _raw(conn: Connection) -> Any:
    return conn.connection.dbapi_connection


def roles_of(conn: Connection) -> Roles:
    prefix = conn.execute(text("SELECT role_prefix FROM central.installation")).scalar()
    if prefix is None:
        raise Conflict("this database has no Warungin central schema yet; run "
                       "'warungin central init' first", field="dsn")
    return Roles(str(prefix))


def _has_schema(conn: Connection) -> bool:
    return bool(conn.execute(text(
        "SELECT to_regclass('central.installation') IS NOT NULL")).scalar())


# --- init -----------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class InitResult:
    dsn: str
    role_prefix: str
    owner_role: str
    revision_before: str | None
    revision: str
    created_roles: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _check_admin(conn: Connection) -> None:
    row = conn.execute(text("SELECT rolsuper, rolcreaterole, rolbypassrls FROM pg_roles "
                            "WHERE rolname = current_user")).one()
    if not (row[0] or (row[1] and row[2])):
        raise Refused("the administrator's role must be a superuser, or have CREATEROLE and "
                      "BYPASSRLS", field="dsn")


def _ensure_role(conn: Connection, name: str, created: list[str], options: str = "") -> None:
    exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name})
    if exists.scalar() is None:
        conn.exec_driver_sql(f"CREATE ROLE {ident(name)} NOLOGIN {options}".strip())
        created.append(name)


def _bootstrap(conn: Connection) -> tuple[Roles, list[str]]:
    """Schema, the installation record and the fixed roles: what Alembic cannot make for
    itself because its migrations run as the owner role."""
    conn.exec_driver_sql(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
    conn.exec_driver_sql(
        f"CREATE TABLE IF NOT EXISTS {SCHEMA}.installation ("
        " singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),"
        " role_prefix text NOT NULL UNIQUE,"
        " created_at timestamptz NOT NULL DEFAULT now())")
    conn.exec_driver_sql(f"REVOKE ALL ON {SCHEMA}.installation FROM PUBLIC")
    prefix = conn.execute(text(f"SELECT role_prefix FROM {SCHEMA}.installation")).scalar()
    if prefix is None:
        database = str(conn.execute(text("SELECT current_database()")).scalar())
        prefix = _new_prefix(database)
        conn.execute(text(f"INSERT INTO {SCHEMA}.installation (role_prefix) VALUES (:p)"),
                     {"p": prefix})
    roles = Roles(str(prefix))
    created: list[str] = []
    # NOINHERIT and no members: nobody can act as the owner except by SET ROLE from an
    # administrator.
    _ensure_role(conn, roles.owner, created, "NOINHERIT")
    _ensure_role(conn, roles.terminal, created)
    _ensure_role(conn, roles.reader, created)
    superuser = conn.execute(text("SELECT rolsuper FROM pg_roles "
                                  "WHERE rolname = current_user")).scalar()
    if not superuser:
        member = conn.execute(text("SELECT pg_has_role(current_user, :r, 'MEMBER')"),
                              {"r": roles.owner}).scalar()
        if not member:  # needed for SET ROLE and ALTER ... OWNER TO
            conn.exec_driver_sql(f"GRANT {ident(roles.owner)} TO CURRENT_USER")
    conn.exec_driver_sql(f"ALTER SCHEMA {SCHEMA} OWNER TO {ident(roles.owner)}")
    # The migrations (run as the owner) read the prefix to name the roles they grant to.
    conn.exec_driver_sql(f"GRANT SELECT ON {SCHEMA}.installation TO {ident(roles.owner)}")
    conn.exec_driver_sql(f"REVOKE ALL ON SCHEMA {SCHEMA} FROM PUBLIC")
    return roles, created


def current_revision(conn: Connection) -> str | None:
    if not conn.execute(text("SELECT to_regclass('central.alembic_version') IS NOT NULL")
                        ).scalar():
        return None
    value = conn.execute(text("SELECT version_num FROM central.alembic_version")).scalar()
    return None if value is None else str(value)


def _upgrade(conn: Connection, roles: Roles, revision: str) -> None:
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = conn
    # Everything the migrations make belongs to the NOLOGIN owner role.
    conn.exec_driver_sql(f"SET LOCAL ROLE {ident(roles.owner)}")
    command.upgrade(cfg, revision)  # on failure the transaction, and SET LOCAL, roll back
    conn.exec_driver_sql("RESET ROLE")


def init(dsn: str, revision: str = "head") -> InitResult:
    """Create or upgrade the central schema, roles and policies. Idempotent: a second run
    changes nothing. One transaction: a failure leaves the database as it was."""
    with admin_transaction(dsn) as conn:
        _check_admin(conn)
        # Two administrators running init at once would race on CREATE ROLE.
        conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('warungin.central.init'))"))
        roles, created = _bootstrap(conn)
        before = current_revision(conn)
        if before != HEAD_REVISION or revision != "head":
            _upgrade(conn, roles, revision)
        after = current_revision(conn) or ""
    return InitResult(redact_dsn(dsn), roles.prefix, roles.owner, before, after,
                      tuple(created))


# --- tenants and stores ---------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class TenantCreated:
    tenant_id: str
    name: str
    owner_role: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _ready(conn: Connection) -> Roles:
    if not _has_schema(conn):
        raise Conflict("this database has no Warungin central schema yet; run "
                       "'warungin central init' first", field="dsn")
    if current_revision(conn) != HEAD_REVISION:
        raise Conflict("the central schema is not up to date; run 'warungin central init'",
                       field="dsn")
    return roles_of(conn)


def add_tenant(dsn: str, name: str) -> TenantCreated:
    name = name.strip()
    if not name:
        raise BadInput("a tenant needs a name", field="name")
    tenant_id = uuid7()
    with admin_transaction(dsn) as conn:
        roles = _ready(conn)
        conn.execute(text("INSERT INTO central.tenant (tenant_id, name) VALUES (:t, :n)"),
                     {"t": tenant_id, "n": name})
        owner = roles.for_tenant_owner(tenant_id)
        conn.exec_driver_sql(f"CREATE ROLE {ident(owner)} NOLOGIN IN ROLE "
                             f"{ident(roles.reader)}")
        conn.execute(text("INSERT INTO central.principal (role_name, tenant_id, kind) "
                          "VALUES (:r, :t, 'owner')"), {"r": owner, "t": tenant_id})
    return TenantCreated(tenant_id, name, owner)


def _tenant_exists(conn: Connection, tenant_id: str) -> None:
    found = conn.execute(text("SELECT 1 FROM central.tenant WHERE tenant_id = :t"),
                         {"t": tenant_id}).scalar()
    if found is None:
        raise NotFound(f"no tenant {tenant_id}", field="tenant")


@dataclass(frozen=True, slots=True)
class StoreCreated:
    tenant_id: str
    store_id: str
    code: str
    name: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def add_store(dsn: str, tenant_id: str, code: str, name: str) -> StoreCreated:
    tenant_id = check_uuid(tenant_id, "tenant")
    code, name = code.strip(), name.strip()
    if not code:
        raise BadInput("a store needs a code", field="code")
    if not name:
        raise BadInput("a store needs a name", field="name")
    store_id = uuid7()
    with admin_transaction(dsn) as conn:
        _ready(conn)
        _tenant_exists(conn, tenant_id)
        taken = conn.execute(text("SELECT 1 FROM central.store WHERE tenant_id = :t "
                                  "AND code = :c"), {"t": tenant_id, "c": code}).scalar()
        if taken:
            raise Conflict(f"the tenant already has a store {code}", field="code")
        conn.execute(text("INSERT INTO central.store (tenant_id, id, code, name) "
                          "VALUES (:t, :s, :c, :n)"),
                     {"t": tenant_id, "s": store_id, "c": code, "n": name})
        # The tenant's courier and loyalty configurations are tenant-wide
        # (``set_tenant_settings`` writes them to every store): a new store starts with them.
        conn.execute(text(
            "INSERT INTO central.store_setting (tenant_id, store_id, key, value) "
            "SELECT tenant_id, :s, key, value FROM central.store_setting "
            "WHERE tenant_id = :t AND deleted_at IS NULL "
            "AND left(key, strpos(key, '.')) = ANY(CAST(:prefixes AS text[])) "
            "AND store_id = (SELECT id FROM central.store WHERE tenant_id = :t AND id <> :s "
            "ORDER BY created_at, id LIMIT 1)"),
            {"t": tenant_id, "s": store_id, "prefixes": list(TENANT_WIDE_PREFIXES)})
    return StoreCreated(tenant_id, store_id, code, name)


# --- the tenant's courier configuration ---------------------------------------------------------

COURIER_PREFIX = "courier."
COURIER_CLIENTS = ("biteship", "jne", "jnt", "pos")
COURIER_NOTIFY = ("none", "whatsapp", "sms")
MAX_SETTING_VALUE = 500
#: The courier keys the tills read (the contract of issues 12/13); others are refused, so
#: a typo never silently configures nothing.
COURIER_KEYS = frozenset({
    "courier.enabled", "courier.default", "courier.notify",
    *(f"courier.origin.{k}" for k in ("name", "phone", "address", "postal_code", "area_id",
                                      "code", "city")),
    "courier.biteship.base_url",
    "courier.jne.base_url", "courier.jne.username", "courier.jne.branch",
    "courier.jne.customer_id",
    "courier.jnt.base_url", "courier.jnt.order_url", "courier.jnt.tariff_url",
    "courier.jnt.track_url", "courier.jnt.username", "courier.jnt.eccompanyid",
    "courier.pos.base_url", "courier.pos.customer_id",
})


@dataclass(frozen=True, slots=True)
class CourierConfig:
    """A tenant's courier configuration as central holds it (no secrets, by rule)."""

    tenant_id: str
    stores: tuple[str, ...]
    settings: dict[str, str]
    changed: int  # store_setting rows written by this call (0: it was already so)

    def as_dict(self) -> dict[str, Any]:
        return {"tenant_id": self.tenant_id, "stores": list(self.stores),
                "settings": dict(sorted(self.settings.items())), "changed": self.changed}


def _courier_value(key: str, raw: str) -> str:
    value = raw.strip()
    if len(value) > MAX_SETTING_VALUE or not value.isprintable():
        raise BadInput(f"at most {MAX_SETTING_VALUE} printable characters", field=key)
    if key == "courier.enabled":
        names = [n.strip().lower() for n in value.split(",") if n.strip()]
        wrong = [n for n in names if n not in COURIER_CLIENTS]
        if wrong or not names:
            raise BadInput(f"a comma list of {', '.join(COURIER_CLIENTS)}", field=key)
        return ",".join(dict.fromkeys(names))
    if key == "courier.default":
        parts = [p.strip().lower() for p in value.split(":")]
        if len(parts) != 3 or not all(parts) or parts[0] not in COURIER_CLIENTS:
            raise BadInput("client:company:service, e.g. biteship:jne:reg", field=key)
        return ":".join(parts)
    if key == "courier.notify":
        if value.lower() not in COURIER_NOTIFY:
            raise BadInput(f"one of {', '.join(COURIER_NOTIFY)}", field=key)
        return value.lower()
    if key.endswith("_url") and not value.startswith(("https://", "http://")):
        raise BadInput("a URL starting with https:// (or http:// for a simulator)",
                       field=key)
    return value


def check_courier_settings(values: Mapping[str, str | None]) -> dict[str, str | None]:
    """The changes, checked before anything is written: a key that looks like a secret is
    refused (credentials stay in each till's keyring), an unknown key or a bad value names
    itself. ``None`` or an empty value removes the key."""
    clean: dict[str, str | None] = {}
    for key, raw in values.items():
        k = key.strip()
        if secret_looking(k):
            raise Refused(f"{k} looks like a secret: credentials never go to central (they "
                          "reach the tills in clear); put them in each till's keyring with "
                          "'warungin providers'", field=k)
        if k not in COURIER_KEYS:
            raise BadInput(f"not a courier setting; known: {', '.join(sorted(COURIER_KEYS))}",
                           field=k)
        clean[k] = None if raw is None or not raw.strip() else _courier_value(k, raw)
    return clean


def set_couriers(dsn: str, tenant_id: str, values: Mapping[str, str | None]) -> CourierConfig:
    """Write the tenant's courier configuration to every one of its stores' settings (one
    transaction); each till pulls its store's settings, so every till of the tenant gets
    the same configuration. Unchanged rows are not rewritten (nothing to pull). With no
    values it only reads."""
    tenant_id = check_uuid(tenant_id, "tenant")
    clean = check_courier_settings(values)
    done = set_tenant_settings(dsn, tenant_id, COURIER_PREFIX, lambda _current: clean)
    return CourierConfig(tenant_id, done.stores, done.settings, done.changed)


# --- tenant-wide settings (one key prefix, the same in every store) ----------------------------

#: Setting prefixes that are tenant-wide: written to every store by their ``central``
#: command, and copied to a store added later (each one word and a dot: ``add_store``
#: compares a key's first word).
TENANT_WIDE_PREFIXES = (COURIER_PREFIX, LOYALTY_PREFIX)


@dataclass(frozen=True, slots=True)
class TenantSettings:
    """A tenant's settings under one prefix as central holds them after a change."""

    stores: tuple[str, ...]
    settings: dict[str, str]
    changed: int  # store_setting rows written (0: it was already so)


def _tenant_settings(conn: Connection, tenant_id: str, stores: tuple[str, ...],
                     prefix: str) -> dict[str, str]:
    if not stores:
        return {}
    return {str(k): str(v) for k, v in conn.execute(text(
        "SELECT key, value FROM central.store_setting WHERE tenant_id = :t AND store_id = :s "
        "AND deleted_at IS NULL AND starts_with(key, :prefix)"),
        {"t": tenant_id, "s": stores[0], "prefix": prefix})}


def set_tenant_settings(dsn: str, tenant_id: str, prefix: str,
                        changes: Callable[[dict[str, str]], Mapping[str, str | None]]
                        ) -> TenantSettings:
    """Write settings under ``prefix`` to every store of the tenant in one transaction.
    ``changes`` gets what central holds now (the first store's rows) and returns the keys
    to write (``None`` removes one); whatever it raises rolls everything back, so a caller
    validates there against the current state. Unchanged rows are not rewritten (nothing
    to pull); an empty result only reads. A key outside ``prefix`` or looking like a
    secret is refused (``store_setting`` reaches every till in clear)."""
    tenant_id = check_uuid(tenant_id, "tenant")
    with admin_transaction(dsn) as conn:
        _ready(conn)
        _tenant_exists(conn, tenant_id)
        stores = tuple(str(s) for (s,) in conn.execute(text(
            "SELECT id FROM central.store WHERE tenant_id = :t ORDER BY created_at, id"),
            {"t": tenant_id}))
        clean = dict(changes(_tenant_settings(conn, tenant_id, stores, prefix)))
        for key in clean:
            if not key.startswith(prefix):
                raise BadInput(f"not a {prefix}* setting", field=key)
            if secret_looking(key):
                raise Refused(f"{key} looks like a secret: credentials never go to central",
                              field=key)
        if clean and not stores:
            raise Conflict("the tenant has no store yet; add one first", field="tenant")
        changed = 0
        for key, value in clean.items():
            args = {"t": tenant_id, "k": key, "v": value, "stores": list(stores)}
            if value is None:
                changed += conn.execute(text(
                    "UPDATE central.store_setting SET deleted_at = now(), updated_at = now() "
                    "WHERE tenant_id = :t AND key = :k AND deleted_at IS NULL"), args).rowcount
                continue
            changed += conn.execute(text(
                "INSERT INTO central.store_setting (tenant_id, store_id, key, value) "
                "SELECT :t, s, :k, :v FROM unnest(CAST(:stores AS uuid[])) AS s "
                "ON CONFLICT (tenant_id, store_id, key) DO UPDATE SET value = excluded.value, "
                "updated_at = now(), deleted_at = NULL "
                "WHERE central.store_setting.value IS DISTINCT FROM excluded.value "
                "OR central.store_setting.deleted_at IS NOT NULL"), args).rowcount
        settings = _tenant_settings(conn, tenant_id, stores, prefix)
    return TenantSettings(stores, settings, changed)


# --- terminals and enrolment codes ------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class EnrolmentCode:
    """What a terminal needs to reach central the first time. Its password is good once."""

    dsn: str  # no password; user = the terminal's role
    role: str
    password: str
    tenant_id: str
    store_id: str
    terminal_id: str

    def encode(self) -> str:
        body = json.dumps({"v": 1, "dsn": self.dsn, "role": self.role,
                           "password": self.password, "tenant": self.tenant_id,
                           "store": self.store_id, "terminal": self.terminal_id},
                          separators=(",", ":"), sort_keys=True)
        return CODE_PREFIX + base64.urlsafe_b64encode(body.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, code: str) -> EnrolmentCode:
        code = "".join(code.split())
        if not code.startswith(CODE_PREFIX):
            raise BadInput("not a Warungin enrolment code (it starts with WGC1.)",
                           field="code")
        body = code[len(CODE_PREFIX):]
        try:
            raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
            data = json.loads(raw)
        except (binascii.Error, ValueError):
            raise BadInput("the enrolment code is damaged (copy it again)",
                           field="code") from None
        if not isinstance(data, dict) or data.get("v") != 1:
            raise BadInput("unknown enrolment code version", field="code")
        try:
            fields = {k: str(data[k]) for k in
                      ("dsn", "role", "password", "tenant", "store", "terminal")}
        except KeyError as exc:
            raise BadInput(f"the enrolment code lacks {exc.args[0]}", field="code") from None
        ident(fields["role"])  # a role name we made, or the code was tampered with
        return cls(fields["dsn"], fields["role"], fields["password"],
                   check_uuid(fields["tenant"], "code"), check_uuid(fields["store"], "code"),
                   check_uuid(fields["terminal"], "code"))

    def __repr__(self) -> str:  # never show the password, even in a traceback
        return (f"EnrolmentCode(dsn={self.dsn!r}, role={self.role!r}, password='***', "
                f"tenant_id={self.tenant_id!r}, store_id={self.store_id!r}, "
                f"terminal_id={self.terminal_id!r})")


@dataclass(frozen=True, slots=True)
class TerminalCreated:
    tenant_id: str
    store_id: str
    terminal_id: str
    code: str
    role: str
    dsn: str
    enrolment_code: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def __repr__(self) -> str:
        return (f"TerminalCreated(terminal_id={self.terminal_id!r}, role={self.role!r}, "
                f"enrolment_code='***')")


def _set_password(conn: Connection, role: str, *, create_in: str | None) -> str:
    """A new random password for ``role`` (created when ``create_in`` names its group),
    sent to the server only as a SCRAM verifier. Returns the clear password."""
    password = secrets.token_urlsafe(32)
    raw = _raw(conn)
    verifier = sql.Literal(scram_verifier(raw, role, password)).as_string(raw)
    if create_in is not None:
        conn.exec_driver_sql(
            f"CREATE ROLE {ident(role)} LOGIN PASSWORD {verifier} "
            f"CONNECTION LIMIT {TERMINAL_CONNECTION_LIMIT} IN ROLE {ident(create_in)}")
    else:
        conn.exec_driver_sql(f"ALTER ROLE {ident(role)} PASSWORD {verifier}")
    return password


def add_terminal(dsn: str, tenant_id: str, store_id: str, code: str, *,
                 terminal_id: str | None = None, public_dsn: str | None = None
                 ) -> TerminalCreated:
    """A terminal, its LOGIN role and its one-time enrolment code.

    ``terminal_id``: pass the till's own terminal id (``warungin status``) so central and
    the till name it alike; a new id is made otherwise. ``public_dsn``: where terminals
    reach central, if not where the administrator does."""
    tenant_id = check_uuid(tenant_id, "tenant")
    store_id = check_uuid(store_id, "store")
    code = code.strip()
    if not code:
        raise BadInput("a terminal needs a code", field="code")
    terminal_id = check_uuid(terminal_id, "terminal_id") if terminal_id else uuid7()
    with admin_transaction(dsn) as conn:
        roles = _ready(conn)
        _tenant_exists(conn, tenant_id)
        if conn.execute(text("SELECT 1 FROM central.store WHERE tenant_id = :t AND id = :s"),
                        {"t": tenant_id, "s": store_id}).scalar() is None:
            raise NotFound(f"the tenant has no store {store_id}", field="store")
        if conn.execute(text("SELECT 1 FROM central.terminal WHERE id = :i"),
                        {"i": terminal_id}).scalar():
            raise Conflict(f"a terminal {terminal_id} already exists", field="terminal_id")
        if conn.execute(text("SELECT 1 FROM central.terminal WHERE tenant_id = :t "
                             "AND store_id = :s AND code = :c"),
                        {"t": tenant_id, "s": store_id, "c": code}).scalar():
            raise Conflict(f"the store already has a terminal {code}", field="code")
        role = roles.for_terminal(terminal_id)
        conn.execute(text("INSERT INTO central.terminal (tenant_id, id, store_id, code, "
                          "role_name) VALUES (:t, :i, :s, :c, :r)"),
                     {"t": tenant_id, "i": terminal_id, "s": store_id, "c": code, "r": role})
        conn.execute(text("INSERT INTO central.principal (role_name, tenant_id, terminal_id, "
                          "kind) VALUES (:r, :t, :i, 'terminal')"),
                     {"r": role, "t": tenant_id, "i": terminal_id})
        password = _set_password(conn, role, create_in=roles.terminal)
    where = terminal_dsn(dsn, role, public_dsn)
    enrol = EnrolmentCode(where, role, password, tenant_id, store_id, terminal_id)
    return TerminalCreated(tenant_id, store_id, terminal_id, code, role, where,
                           enrol.encode())


def reissue_code(dsn: str, terminal_id: str, *, public_dsn: str | None = None
                 ) -> TerminalCreated:
    """A new one-time code for an existing terminal (a replaced PC, a lost keyring): its
    password changes, so the old credentials stop working, and it may enrol again."""
    terminal_id = check_uuid(terminal_id, "terminal")
    with admin_transaction(dsn) as conn:
        roles = _ready(conn)
        row = conn.execute(text("SELECT tenant_id, store_id, code, role_name FROM "
                                "central.terminal WHERE id = :i FOR UPDATE"),
                           {"i": terminal_id}).one_or_none()
        if row is None:
            raise NotFound(f"no terminal {terminal_id}", field="terminal")
        tenant_id, store_id, code, role = (str(v) for v in row)
        if role != roles.for_terminal(terminal_id):
            raise Conflict("the terminal's role does not match its id", field="terminal")
        conn.execute(text("UPDATE central.terminal SET enrolled_at = NULL, install_id = NULL "
                          "WHERE id = :i"), {"i": terminal_id})
        password = _set_password(conn, role, create_in=None)
    where = terminal_dsn(dsn, role, public_dsn)
    enrol = EnrolmentCode(where, role, password, tenant_id, store_id, terminal_id)
    return TerminalCreated(tenant_id, store_id, terminal_id, code, role, where,
                           enrol.encode())

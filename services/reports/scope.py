"""Which figures a back-office report shows: this till's, the whole shop's (the tenant at
central) or one store's — and, when central cannot be read, this till's, saying so.

The back office (helper screens, on a background thread: nothing here touches Qt) calls
:func:`run_scoped` with the scope the owner chose. "This till" reads the till's own
database. "Shop" and "store" read central through a :class:`CentralOpener` the program
supplies (``app.reports_central.central_opener``: the till's own central role, or an owner
login, walled by row-level security); the report is the same catalogue report
(``services.reports.catalogue.run``) on central's tables. The result says where the figures
come from and the time they are as of:

- this till: the moment the report was read;
- central: central's snapshot time (one REPEATABLE READ transaction), plus the oldest last
  push of the tills in scope (what central cannot know yet is newer than that).

Offline (central unreachable, or this till not enrolled, or the login may not read it) a
shop or store scope falls back to this till's figures, and the result says so
(``fell_back`` and ``reason``): an owner never mistakes one till for the whole shop.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal, Protocol

from sqlalchemy import Connection

from services.errors import BadInput, Refused, ShopError
from services.reports import catalogue
from services.reports.queries import NameDecryptor
from services.reports.source import ReportSource, local_source
from services.reports.values import Period, Report

ScopeKind = Literal["till", "tenant", "store"]
Origin = Literal["till", "central"]
KINDS: tuple[ScopeKind, ...] = ("till", "tenant", "store")


class CentralOffline(ShopError):
    """Central cannot be read now (no network, not enrolled, connection broke)."""

    code = "central_offline"


@dataclass(frozen=True, slots=True)
class Scope:
    """This till, the whole shop (every store of the tenant) or one store."""

    kind: ScopeKind = "till"
    store_id: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise BadInput(f"a scope is one of {', '.join(KINDS)}", field="scope")
        if (self.kind == "store") != (self.store_id is not None):
            raise BadInput("a store scope names its store (and only a store scope does)",
                           field="store")

    @classmethod
    def till(cls) -> Scope:
        return cls("till")

    @classmethod
    def tenant(cls) -> Scope:
        return cls("tenant")

    @classmethod
    def store(cls, store_id: str) -> Scope:
        return cls("store", store_id)

    @property
    def central(self) -> bool:
        """Whether the figures of this scope come from central."""
        return self.kind != "till"


@dataclass(frozen=True, slots=True)
class CentralRead:
    """An open, read-only central transaction for one scope (from a :class:`CentralOpener`)."""

    conn: Connection
    source: ReportSource
    as_of: str  # central's snapshot time, UTC ISO
    oldest_push_at: str | None = None  # the least recent last push of the tills in scope
    tenant_name: str | None = None


class CentralOpener(Protocol):
    """Opens central for a scope in the shop's time zone; raises :class:`CentralOffline`
    when it cannot be read (or :class:`services.errors.Refused` when this login may not)."""

    def __call__(self, scope: Scope, timezone: str) -> AbstractContextManager[CentralRead]:
        ...


@dataclass(frozen=True, slots=True)
class ScopedReport:
    """A report and where its figures come from."""

    report: Report
    scope: Scope  # what the owner asked for
    origin: Origin  # where the figures were read
    as_of: str  # UTC ISO: when the figures are as of
    fell_back: bool = False  # asked for central, shows this till's figures
    reason: str | None = None  # why it fell back (for the owner to read)
    oldest_push_at: str | None = None
    tenant_name: str | None = None

    @property
    def shown_scope(self) -> Scope:
        """The scope the figures really cover (this till after a fall-back)."""
        return Scope.till() if self.fell_back else self.scope


ReportRunner = Callable[..., Report]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def run_scoped(conn: Connection, name: str, period: Period | None, scope: Scope, *,
               central: CentralOpener | None = None, source: ReportSource | None = None,
               decrypt_name: NameDecryptor | None = None,
               decrypt_phone: NameDecryptor | None = None,
               runner: ReportRunner | None = None,
               clock: Callable[[], str] = _now) -> ScopedReport:
    """Run catalogue report ``name`` for ``scope``.

    ``conn`` is this till's database (read for "till" and for a fall-back), ``source`` its
    report source (default: the till's tables in the shop's zone). ``central`` opens central
    for shop and store scopes; without it (a till not enrolled) they fall back. A report
    error (bad input, a bug) is raised, never turned into a fall-back: only "central cannot
    be read" is."""
    run = runner or catalogue.run
    local = source if source is not None else local_source(conn)

    def on_till(reason: str | None) -> ScopedReport:
        stamp = clock()
        report = run(conn, name, period, source=local, decrypt_name=decrypt_name,
                     decrypt_phone=decrypt_phone)
        return ScopedReport(report, scope, "till", stamp, fell_back=reason is not None,
                            reason=reason)

    if not scope.central:
        return on_till(None)
    if central is None:
        return on_till("this till is not connected to a central database: showing this "
                       "till's figures")
    try:
        with central(scope, local.timezone) as read:
            report = run(read.conn, name, period, source=read.source,
                         decrypt_name=decrypt_name, decrypt_phone=decrypt_phone)
            return ScopedReport(report, scope, "central", read.as_of,
                                oldest_push_at=read.oldest_push_at,
                                tenant_name=read.tenant_name)
    except CentralOffline as exc:
        return on_till(f"central cannot be reached ({exc}): showing this till's figures")
    except Refused as exc:
        return on_till(f"central refused this login ({exc}): showing this till's figures")


__all__ = ["CentralOffline", "CentralOpener", "CentralRead", "KINDS", "Origin",
           "ReportRunner", "Scope", "ScopeKind", "ScopedReport", "run_scoped"]

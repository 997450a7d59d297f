"""Where a report reads from: the tables of one engine, and the one place where the two
engines differ (how a stored time is compared and bucketed into the shop's hours and days).

- The till (SQLite): times are ISO-8601 UTC text written by ``local_db.ids.now_iso``
  (``2026-11-26T17:35:20.123456+00:00``, always that width), so a range compares text with
  text in the same format (index-friendly), and ``strftime``/``date`` with a minutes
  modifier move a time into the shop's zone. Indonesian zones (WIB/WITA/WIT) keep one
  offset all year; a zone whose offset changes inside a report's range is refused.
- Central (PostgreSQL): ``timestamptz``; a range compares with aware datetimes and
  ``timezone(zone, t)`` gives the local wall time to bucket.

Central rows carry ``tenant_id``: row-level security already limits an owner to their
tenant; the source adds ``tenant_id = central.current_tenant()`` on every history table and
join (so PostgreSQL uses the tenant indexes) and, on request, one store or one terminal.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import (
    BigInteger,
    Connection,
    Integer,
    and_,
    Table,
    cast,
    column,
    extract,
    func,
    literal,

    select,
    true,
    union_all,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.expression import FromClause, TableClause

from local_db.models import (
    Account,
    AccountingPeriod,
    AuditRecord,
    CashMovement,
    Category,
    Customer,
    Expense,
    ExpenseCategory,
    JournalEntry,
    JournalLine,
    KasbonEntry,
    OutboxEvent,
    Payable,
    PayablePayment,
    Payment,
    Product,
    ProviderJob,
    Refund,
    RefundLine,
    Sale,
    SaleLine,
    Setting,
    Shift,
    StockMovement,
    User,
)
from services.errors import BadInput

DEFAULT_TIMEZONE = "Asia/Jakarta"

Engine = Literal["local", "central"]


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise BadInput(f"unknown time zone {name!r}", field="timezone") from None


class FullScan(TableClause):
    """A table read whole, rendered ``name NOT INDEXED`` on SQLite.

    Summing every stock movement per product, SQLite would otherwise walk the
    ``product_id`` index and fetch each row from the table in index order (random reads,
    8x slower than one pass with a temporary b-tree for the grouping)."""

    inherit_cache = True


@compiles(FullScan, "sqlite")
def _full_scan(element: FullScan, compiler: Any, **kw: Any) -> str:
    text: str = compiler.visit_table(element, **kw)
    return f"{text} NOT INDEXED" if kw.get("asfrom") else text


def _full_scan_of(table: FromClause) -> FullScan:
    assert isinstance(table, Table)
    return FullScan(table.name, *(column(c.name, c.type) for c in table.c))


def _utc_seconds(column: ColumnElement[Any]) -> ColumnElement[str]:
    """``YYYY-MM-DDTHH:MM:SS`` of a till's UTC stamp. SQLite's date functions keep only
    milliseconds and round: 16:59:59.9999 would become 17:00:00.000 (the next day in
    Jakarta), so the fraction is cut off first (the stamps are UTC, see the module doc)."""
    return func.substr(column, 1, 19)


def _current_tenant() -> ColumnElement[Any]:
    """``(SELECT central.current_tenant())``: a sub-select, as the row-level security policy
    writes it, so PostgreSQL evaluates it once as an init plan and plans the query around a
    known value (called bare it is volatile per row: the planner walked all of a year's
    sale lines through an index, 2.4 s, where a hash join takes 0.3 s)."""
    return select(func.central.current_tenant()).scalar_subquery()


@dataclass(frozen=True, slots=True)
class ReportSource:
    """The tables a report reads and how this engine handles time.

    ``kasbon`` is a selectable with columns ``customer_id``, ``amount`` (+ owed, - paid or
    refunded) and ``created_at``: the till's ``kasbon_entry`` table; on central (which has
    no such table) the same entries derived from kasbon payments of sales, refunds taken
    off kasbon and the ``kasbon.repaid`` events."""

    engine: Engine
    timezone: str
    sale: FromClause
    sale_line: FromClause
    payment: FromClause
    refund: FromClause
    refund_line: FromClause
    stock_movement: FromClause
    product: FromClause
    customer: FromClause
    kasbon: FromClause
    store_id: str | None = None  # central only: one store of the tenant
    terminal_id: str | None = None  # central only: one terminal
    # The books (services.books). ``journal_entry``/``journal_line`` exist on both engines;
    # the rest may be None where an engine has no such table (central until it maps them):
    # a statement that needs a missing one says so instead of guessing.
    journal_entry: FromClause | None = None
    journal_line: FromClause | None = None
    account: FromClause | None = None  # the till's chart; central derives types from codes
    expense: FromClause | None = None
    expense_category: FromClause | None = None
    payable: FromClause | None = None
    payable_payment: FromClause | None = None
    accounting_period: FromClause | None = None
    # The drawer and the sync (the Z and sync-health reports): the till has its shifts,
    # cash movements, audit log (voids), outbox and provider jobs; central has none of
    # these but keeps every pushed event, the quarantine and the terminals (and their
    # stores). A report reads what its engine has and says what it cannot know.
    shift: FromClause | None = None
    cash_movement: FromClause | None = None
    audit_log: FromClause | None = None
    user: FromClause | None = None
    category: FromClause | None = None
    outbox: FromClause | None = None
    provider_job: FromClause | None = None
    event: FromClause | None = None
    quarantine: FromClause | None = None
    terminal: FromClause | None = None
    store: FromClause | None = None

    # --- time ----------------------------------------------------------------------

    def _offset_minutes(self, period_start: datetime, period_end: datetime) -> int:
        tz = zone(self.timezone)
        first = period_start.replace(tzinfo=tz).utcoffset()
        last = period_end.replace(tzinfo=tz).utcoffset()
        assert first is not None and last is not None
        if first != last:
            raise BadInput(f"the time zone {self.timezone} changes its offset inside this "
                           "range; report each side of the change separately", field="to")
        return int(first.total_seconds() // 60)

    def bounds(self, start: date, end: date) -> tuple[Any, Any]:
        """Bind values for ``start <= created_at < end`` (shop-local dates)."""
        tz = zone(self.timezone)
        lo = datetime.combine(start, time(0), tz).astimezone(UTC)
        hi = datetime.combine(end, time(0), tz).astimezone(UTC)
        if self.engine == "central":
            return lo, hi
        return (lo.isoformat(timespec="microseconds"), hi.isoformat(timespec="microseconds"))

    def in_range(self, column: ColumnElement[Any], start: date, end: date
                 ) -> ColumnElement[bool]:
        lo, hi = self.bounds(start, end)
        return and_(column >= lo, column < hi)

    def local_day(self, column: ColumnElement[Any], start: date, end: date
                  ) -> ColumnElement[str]:
        """The shop-local date of a stored time, as ``YYYY-MM-DD`` text."""
        if self.engine == "central":
            return func.to_char(func.timezone(self.timezone, column), "YYYY-MM-DD")
        minutes = self._offset_minutes(datetime.combine(start, time(0)),
                                       datetime.combine(end, time(0)))
        return func.date(_utc_seconds(column), f"{minutes:+d} minutes")

    def local_hour(self, column: ColumnElement[Any], day: date) -> ColumnElement[int]:
        """The shop-local hour (0..23) of a stored time."""
        if self.engine == "central":
            return cast(extract("hour", func.timezone(self.timezone, column)), Integer)
        start = datetime.combine(day, time(0))
        minutes = self._offset_minutes(start, start + timedelta(days=1))
        return cast(func.strftime("%H", _utc_seconds(column), f"{minutes:+d} minutes"),
                    Integer)

    # --- scope and joins -----------------------------------------------------------

    def same_tenant(self, left: FromClause, right: FromClause) -> ColumnElement[bool]:
        """Extra join condition between two tables (the tenant key on central)."""
        if self.engine == "central":
            return left.c.tenant_id == right.c.tenant_id
        return true()

    def scope(self, table: FromClause) -> ColumnElement[bool]:
        """The rows of a history table (sale, refund, stock_movement, kasbon) that this
        report covers: on central, the owner's tenant and the chosen store or terminal."""
        if self.engine != "central":
            return true()
        conds: list[ColumnElement[bool]] = []
        if "tenant_id" in table.c:
            conds.append(table.c.tenant_id == _current_tenant())
        if self.store_id is not None:
            conds.append(table.c.store_id == self.store_id)
        if self.terminal_id is not None:
            conds.append(table.c.terminal_id == self.terminal_id)
        return and_(true(), *conds)

    def events_in_scope(self, event: FromClause, terminal: FromClause
                        ) -> ColumnElement[bool]:
        """Central's ``event`` rows of this report (joined to ``terminal`` by the caller):
        the owner's tenant and the chosen store (the terminal's) or terminal."""
        conds: list[ColumnElement[bool]] = [event.c.tenant_id == _current_tenant()]
        if self.store_id is not None:
            conds.append(terminal.c.store_id == self.store_id)
        if self.terminal_id is not None:
            conds.append(event.c.terminal_id == self.terminal_id)
        return and_(*conds)

    def live_products(self) -> ColumnElement[bool]:
        p = self.product
        cond = and_(p.c.active == true(), p.c.tracks_stock == true())
        if self.engine == "central":
            return and_(cond, p.c.deleted_at.is_(None),
                        p.c.tenant_id == _current_tenant())
        return cond

    def customer_name(self) -> ColumnElement[Any]:
        """The customer's name column: plain text on the till, ciphertext on central."""
        return self.customer.c.name if self.engine == "local" else self.customer.c.name_enc


def local_source(conn: Connection | None = None, timezone: str | None = None) -> ReportSource:
    """The till's own tables; the zone from ``timezone``, else the shop's ``timezone``
    setting (read through ``conn``), else Asia/Jakarta."""
    if timezone is None and conn is not None:
        timezone = conn.execute(select(Setting.value).where(Setting.key == "timezone")
                                ).scalar()
    tz = timezone or DEFAULT_TIMEZONE
    zone(tz)
    return ReportSource(
        engine="local", timezone=tz,
        sale=Sale.__table__, sale_line=SaleLine.__table__, payment=Payment.__table__,
        refund=Refund.__table__, refund_line=RefundLine.__table__,
        stock_movement=_full_scan_of(StockMovement.__table__), product=Product.__table__,
        customer=Customer.__table__, kasbon=KasbonEntry.__table__,
        journal_entry=JournalEntry.__table__, journal_line=JournalLine.__table__,
        account=Account.__table__, expense=Expense.__table__,
        expense_category=ExpenseCategory.__table__, payable=Payable.__table__,
        payable_payment=PayablePayment.__table__,
        accounting_period=AccountingPeriod.__table__,
        shift=Shift.__table__, cash_movement=CashMovement.__table__,
        audit_log=AuditRecord.__table__, user=User.__table__, category=Category.__table__,
        outbox=OutboxEvent.__table__, provider_job=ProviderJob.__table__)


def central_source(tables: Mapping[str, FromClause], timezone: str = DEFAULT_TIMEZONE, *,
                   store_id: str | None = None, terminal_id: str | None = None
                   ) -> ReportSource:
    """Central's tables (``sync.central.schema.metadata.tables``, keyed ``central.<name>``
    or ``<name>``), optionally one store or one terminal of the tenant.

    Central has no kasbon table: the entries are derived here, with the same meaning and
    signs as the till's ``kasbon_entry`` rows (sale +, refund -, repayment -)."""
    def t(name: str) -> FromClause:
        return tables[f"central.{name}"] if f"central.{name}" in tables else tables[name]

    zone(timezone)
    sale, payment, refund, event, terminal = (t("sale"), t("payment"), t("refund"),
                                              t("event"), t("terminal"))
    money = BigInteger()
    on_sale = sale.join(payment, and_(payment.c.tenant_id == sale.c.tenant_id,
                                      payment.c.sale_id == sale.c.id))
    sold = (select(sale.c.tenant_id, sale.c.store_id, sale.c.terminal_id,
                   sale.c.customer_id.label("customer_id"),
                   cast(payment.c.amount, money).label("amount"),
                   sale.c.created_at.label("created_at"))
            .select_from(on_sale)
            .where(payment.c.method == "kasbon", sale.c.customer_id.is_not(None)))
    refunded = (select(refund.c.tenant_id, refund.c.store_id, refund.c.terminal_id,
                       sale.c.customer_id, cast(-refund.c.to_kasbon, money),
                       refund.c.created_at)
                .select_from(refund.join(sale, and_(sale.c.tenant_id == refund.c.tenant_id,
                                                    sale.c.id == refund.c.sale_id)))
                .where(refund.c.to_kasbon != 0, sale.c.customer_id.is_not(None)))
    payload = event.c.payload
    repaid = (select(event.c.tenant_id, terminal.c.store_id, event.c.terminal_id,
                     cast(func.jsonb_extract_path_text(payload, "customer_id"),
                          sale.c.customer_id.type),
                     cast(-cast(func.jsonb_extract_path_text(payload, "amount"), money), money),
                     func.coalesce(event.c.created_at, event.c.received_at))
              .select_from(event.join(terminal, and_(terminal.c.tenant_id == event.c.tenant_id,
                                                     terminal.c.id == event.c.terminal_id)))
              .where(event.c.type == "kasbon.repaid",
                     # a quarantined event was not applied: it never happened at central
                     ~select(literal(1)).where(
                         t("quarantine").c.event_id == event.c.event_id).exists()))
    kasbon = union_all(sold, refunded, repaid).subquery("kasbon")
    return ReportSource(
        engine="central", timezone=timezone, sale=sale, sale_line=t("sale_line"),
        payment=payment, refund=refund, refund_line=t("refund_line"),
        stock_movement=t("stock_movement"), product=t("product"), customer=t("customer"),
        kasbon=kasbon, store_id=store_id, terminal_id=terminal_id,
        # The books (central migration c0006): every till's journal, its expenses and
        # payables; no account table (types come from the codes, services.books.chart);
        # periods closed for the tenant, and journal_entry.received_at for late postings.
        journal_entry=t("journal_entry"), journal_line=t("journal_line"), account=None,
        expense=t("expense"), expense_category=t("expense_category"), payable=t("payable"),
        payable_payment=t("payable_payment"), accounting_period=t("accounting_period"),
        # No shift, cash movement, audit, outbox or provider-job tables on central: the
        # shifts' Z reports and cash movements arrive only as events (shift.closed,
        # cash.*), which the Z report reads from ``event``.
        user=t("users"),
        category=t("category"), event=event, quarantine=t("quarantine"),
        terminal=terminal, store=t("store"))

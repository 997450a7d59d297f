"""Sales invoices in Jurnal.id's import layout ("Impor Penagihan Penjualan", template Jurnal).

Columns (the required ones, marked ``*`` as in Jurnal's template; Jurnal's help centre
documents the optional ``Email``, ``Billing Address``, ``Shipping Address`` and
``Shipping Date`` too, which a till does not know, so they are not written — Jurnal's own
template leaves empty optional columns out as well)::

    *Customer,*Invoice Date,*Due Date,*Invoice Number,*Product Name,*Quantity,*Unit Price

- One sale = one invoice: its rows share ``*Invoice Number`` (the receipt number) and each
  row is one product line. ``*Customer`` is the customer's name, or ``Umum`` for a walk-in
  sale (on central, where names are encrypted, ``Pelanggan <short id>``).
- Dates ``dd/mm/yyyy`` (the store-local day of the sale). ``*Due Date`` is the invoice date,
  or for a sale (partly) on kasbon the invoice date plus the store setting
  ``invoice.due_days`` (when set).
- Numbers: no thousands separators, ``.`` as the decimal point, no currency symbol
  (``1.5``, ``4500``, ``3333.33``).
- The amount of a line is what it added to net sales: after its discounts, with the PPN
  included in the price (an inclusive tax class) but not PPN added on top of it (an
  exclusive class: that tax is in the summary's ``tax_on_top``, not in the file). Cash
  rounding is not a product line and is left out. So ``Σ quantity x unit price`` of the
  file equals the period's sales after discounts, and minus the refunds made in the period
  (the summary's ``refunds``; booked in Jurnal as sales returns of the invoice they came
  from) it equals the period's net sales.
- ``*Quantity x *Unit Price`` is the line's amount exactly: when the amount is not the
  quantity times a price in whole rupiah (a discount spread over 3 items), the line becomes
  two rows of the same product (``q - r`` at ``p`` and ``r`` at ``p + 1``, ``p, r =
  divmod(amount, q)``); a weighed quantity whose price needs more than two decimals is one
  row of quantity ``1`` at the line's amount.
- Jurnal takes at most 500 product rows per invoice: a sale with more rows is written as
  several invoices numbered ``<receipt no>-1``, ``<receipt no>-2``, ... of at most 500 rows
  each (rows in line order; a line split in two rows may straddle two invoices). A sale
  with 500 rows or fewer keeps its receipt number.

Text cells a spreadsheet would run as a formula get a leading ``'`` (``services.csv_cells``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from sqlalchemy import Connection, and_, func, literal, select

from local_db.models import Setting
from services.csv_cells import escape_cell, unescape_cell
from services.errors import BadInput
from services.exports import ExportFile
from services.money import MILLI, milli_to_decimal
from services.reports.source import ReportSource, local_source, zone
from services.reports.values import Period, customer_ref
from services.tax_reports import tax_classes

HEADER = ("*Customer", "*Invoice Date", "*Due Date", "*Invoice Number", "*Product Name",
          "*Quantity", "*Unit Price")
MAX_ROWS_PER_INVOICE = 500
WALK_IN = "Umum"
DUE_DAYS_SETTING = "invoice.due_days"


@dataclass(frozen=True, slots=True)
class SaleLineDoc:
    name: str
    qty_milli: int
    amount: int  # what the line added to net sales (see the module's doc)


@dataclass(frozen=True, slots=True)
class SaleDoc:
    receipt_no: str
    customer: str
    day: date
    due: date
    lines: tuple[SaleLineDoc, ...]


@dataclass(frozen=True, slots=True)
class JurnalRow:
    customer: str
    invoice_date: date
    due_date: date
    invoice_number: str
    product_name: str
    quantity: Decimal
    unit_price: Decimal

    @property
    def amount(self) -> Decimal:
        return self.quantity * self.unit_price


# --- pure: lines to rows ----------------------------------------------------------------

def _price(value: Decimal) -> Decimal:
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def line_rows(qty_milli: int, amount: int) -> list[tuple[Decimal, Decimal]]:
    """(quantity, unit price) rows whose products add up to ``amount`` exactly."""
    qty = milli_to_decimal(qty_milli)
    if qty_milli <= 0:
        return [(Decimal(1), Decimal(amount))]
    if (amount * MILLI) % qty_milli == 0:
        return [(qty, Decimal(amount * MILLI // qty_milli))]
    if qty_milli % MILLI == 0:
        n = qty_milli // MILLI
        p, r = divmod(amount, n)
        return [(Decimal(n - r), Decimal(p)), (Decimal(r), Decimal(p + 1))]
    if (amount * MILLI * 100) % qty_milli == 0:
        return [(qty, Decimal(amount * MILLI * 100 // qty_milli) / 100)]
    return [(Decimal(1), Decimal(amount))]


def invoice_rows(sales: Iterable[SaleDoc]) -> list[JurnalRow]:
    """Every sale's rows, split into invoices of at most 500 rows (see the module's doc)."""
    out: list[JurnalRow] = []
    for sale in sales:
        rows = [(ln.name, q, p) for ln in sale.lines for q, p in line_rows(ln.qty_milli,
                                                                           ln.amount)]
        chunks = [rows[i:i + MAX_ROWS_PER_INVOICE]
                  for i in range(0, len(rows), MAX_ROWS_PER_INVOICE)]
        for k, chunk in enumerate(chunks, start=1):
            number = sale.receipt_no if len(chunks) == 1 else f"{sale.receipt_no}-{k}"
            out += [JurnalRow(sale.customer, sale.day, sale.due, number, name, q, _price(p))
                    for name, q, p in chunk]
    return out


def _number(value: Decimal) -> str:
    text = format(value.normalize(), "f") if value != value.to_integral_value() \
        else str(int(value))
    return text


def _day(d: date) -> str:
    return d.strftime("%d/%m/%Y")


def to_jurnal_csv(rows: Iterable[JurnalRow]) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(HEADER)
    for r in rows:
        w.writerow([escape_cell(r.customer), _day(r.invoice_date), _day(r.due_date),
                    escape_cell(r.invoice_number), escape_cell(r.product_name),
                    _number(r.quantity), _number(r.unit_price)])
    return out.getvalue()


def _parse_day(text: str, field: str) -> date:
    try:
        return datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError:
        raise BadInput("a date is written dd/mm/yyyy", field=field) from None


def _parse_number(text: str, field: str) -> Decimal:
    if not text or "," in text or not all(ch.isdigit() or ch in ".-" for ch in text):
        raise BadInput(f"'{text[:20]}' is not a plain number ('.' decimal, no separators)",
                       field=field)
    try:
        return Decimal(text)
    except InvalidOperation:
        raise BadInput(f"'{text[:20]}' is not a number", field=field) from None


def read_jurnal_csv(text: str) -> tuple[JurnalRow, ...]:
    """Read a file in this layout back (header, dates, numbers, ≤ 500 rows per invoice)."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None or tuple(header) != HEADER:
        raise BadInput(f"the header must be {','.join(HEADER)}", field="header")
    rows: list[JurnalRow] = []
    per_invoice: dict[str, int] = {}
    for n, cells in enumerate(reader, start=2):
        if not cells:
            continue
        if len(cells) != len(HEADER):
            raise BadInput(f"has {len(cells)} cells, not {len(HEADER)}", field=f"row {n}")
        if not all(cells[i] for i in range(len(HEADER))):
            raise BadInput("every column marked * is required", field=f"row {n}")
        number = unescape_cell(cells[3])
        per_invoice[number] = per_invoice.get(number, 0) + 1
        if per_invoice[number] > MAX_ROWS_PER_INVOICE:
            raise BadInput(f"invoice {number} has more than {MAX_ROWS_PER_INVOICE} rows",
                           field=f"row {n} *Invoice Number")
        rows.append(JurnalRow(
            unescape_cell(cells[0]), _parse_day(cells[1], f"row {n} *Invoice Date"),
            _parse_day(cells[2], f"row {n} *Due Date"), number, unescape_cell(cells[4]),
            _parse_number(cells[5], f"row {n} *Quantity"),
            _parse_number(cells[6], f"row {n} *Unit Price")))
    return tuple(rows)


def jurnal_total(rows: Iterable[JurnalRow]) -> int:
    """Σ quantity x unit price, which is whole rupiah for a file of this module."""
    total = sum((r.amount for r in rows), Decimal(0))
    if total != total.to_integral_value():
        raise BadInput(f"the rows add up to {total}, not whole rupiah", field="*Unit Price")
    return int(total)


# --- reading the sales ------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class JurnalExport:
    period: Period
    sales: tuple[SaleDoc, ...]
    rows: tuple[JurnalRow, ...]
    refunds: int  # refunds made in the period, same measure as the lines
    tax_on_top: int  # PPN added on top of exclusive prices (not in the file)

    @property
    def total(self) -> int:
        return sum(ln.amount for s in self.sales for ln in s.lines)

    @property
    def net_sales(self) -> int:
        return self.total - self.refunds

    @property
    def invoices(self) -> int:
        return len({r.invoice_number for r in self.rows})


def _due_days(conn: Connection, src: ReportSource) -> int:
    if src.engine != "local":
        return 0
    value = conn.execute(select(Setting.value).where(Setting.key == DUE_DAYS_SETTING)
                         ).scalar()
    try:
        return max(0, int(value)) if value not in (None, "") else 0
    except ValueError:
        return 0


def jurnal_export(conn: Connection, period: Period, *, source: ReportSource | None = None
                  ) -> JurnalExport:
    """The sales of ``period`` as Jurnal.id invoices (on the till, or central's tenant)."""
    src = source if source is not None else local_source(conn)
    tz = zone(src.timezone)
    exclusive = {c for c, info in tax_classes(conn, src).items() if not info.inclusive}
    due_days = _due_days(conn, src)
    s, ln, pay, c = src.sale, src.sale_line, src.payment, src.customer
    r, rl = src.refund, src.refund_line
    start, end = period.start, period.end
    on_kasbon = {str(x) for x in conn.execute(
        select(pay.c.sale_id).select_from(pay.join(s, and_(s.c.id == pay.c.sale_id,
                                                           src.same_tenant(s, pay))))
        .where(src.scope(s), src.in_range(s.c.created_at, start, end),
               pay.c.method == "kasbon").distinct()).scalars()}
    q = (select(s.c.id, s.c.receipt_no, s.c.created_at, s.c.customer_id,
                src.customer_name(), ln.c.name, ln.c.qty_milli, ln.c.gross, ln.c.tax,
                ln.c.tax_class)
         .select_from(ln.join(s, and_(s.c.id == ln.c.sale_id, src.same_tenant(s, ln)))
                      .outerjoin(c, and_(c.c.id == s.c.customer_id, src.same_tenant(s, c))))
         .where(src.scope(s), src.in_range(s.c.created_at, start, end))
         .order_by(s.c.created_at, s.c.id, ln.c.line_no))
    sales: list[SaleDoc] = []
    current: list[SaleLineDoc] = []
    head: tuple[str, str, date, date] | None = None
    last_id: str | None = None
    on_top = 0
    for sid, receipt, at, cust_id, cust_name, name, qty, gross, tax, klass in conn.execute(q):
        if str(sid) != last_id:
            if head is not None:
                sales.append(SaleDoc(*head, lines=tuple(current)))
            day = (at if isinstance(at, datetime) else datetime.fromisoformat(str(at))
                   ).astimezone(tz).date()
            if cust_id is None:
                customer = WALK_IN
            elif src.engine == "local" and cust_name:
                customer = str(cust_name)
            else:
                customer = f"Pelanggan {customer_ref(str(cust_id))}"
            due = day + timedelta(days=due_days) if str(sid) in on_kasbon else day
            head, current, last_id = (str(receipt), customer, day, due), [], str(sid)
        top = int(tax) if klass in exclusive else 0
        on_top += top
        current.append(SaleLineDoc(str(name), int(qty), int(gross) - top))
    if head is not None:
        sales.append(SaleDoc(*head, lines=tuple(current)))
    klass = func.coalesce(ln.c.tax_class, literal("?"))
    refunds = 0
    for k, g, t in conn.execute(
            select(klass, func.coalesce(func.sum(rl.c.gross), 0),
                   func.coalesce(func.sum(rl.c.tax), 0))
            .select_from(rl.join(r, and_(r.c.id == rl.c.refund_id, src.same_tenant(r, rl)))
                         .outerjoin(ln, and_(ln.c.id == rl.c.sale_line_id,
                                             src.same_tenant(ln, rl))))
            .where(src.scope(r), src.in_range(r.c.created_at, start, end)).group_by(klass)):
        refunds += int(g) - (int(t) if k in exclusive else 0)
    return JurnalExport(period, tuple(sales), tuple(invoice_rows(sales)), refunds, on_top)


def jurnal_export_file(conn: Connection, period: Period, *,
                       source: ReportSource | None = None) -> ExportFile:
    export = jurnal_export(conn, period, source=source)
    body = to_jurnal_csv(export.rows).encode("utf-8")
    notes = ("Retur di periode ini tidak ada di berkas: catat sebagai retur penjualan di "
             "Jurnal. / Refunds of the period are not in the file: book them as sales "
             "returns in Jurnal.",) if export.refunds else ()
    return ExportFile(
        kind="jurnal", period=period, body=body, media_type="text/csv",
        suggested_name=f"jurnal-id-penjualan-{period.start.isoformat()}-"
                       f"{period.last.isoformat()}.csv",
        rows=len(export.rows),
        totals={"invoices": export.invoices, "sales": len(export.sales),
                "total": export.total, "refunds": export.refunds,
                "net_sales": export.net_sales, "tax_on_top": export.tax_on_top},
        notes=notes)


def sale_docs(rows: Sequence[JurnalRow]) -> dict[str, Decimal]:
    """Σ quantity x unit price per invoice number (for checks)."""
    out: dict[str, Decimal] = {}
    for r in rows:
        out[r.invoice_number] = out.get(r.invoice_number, Decimal(0)) + r.amount
    return out


__all__ = ["HEADER", "MAX_ROWS_PER_INVOICE", "WALK_IN", "JurnalExport", "JurnalRow",
           "SaleDoc", "SaleLineDoc", "invoice_rows", "jurnal_export", "jurnal_export_file",
           "jurnal_total", "line_rows", "read_jurnal_csv", "sale_docs", "to_jurnal_csv"]

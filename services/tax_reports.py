"""The monthly PPN (VAT) report: output tax per tax class, input tax from goods received.

One calendar month of the store's own days (``"YYYY-MM"``). Since 2025 (PMK 131/2024) PPN is
12%; on most goods it applies to a base (DPP nilai lain) of 11/12 of the price (11%
effective: PPN = 11/111 of an inclusive price), on luxury goods to the full price. Rates are
data (the ``tax_class`` table), the same rows the till priced the sales with.

Output tax (pajak keluaran), per tax class (``sale_line.tax_class``):

- DPP (tax base) = the lines' ``net`` of the sales made in the month minus the ``net`` of the
  refund lines made in the month (a refund reduces the month it is made in);
- DPP nilai lain = DPP x the class's base fraction (11/12), whole rupiah
  (``services.money.to_rupiah``, the one rounding point);
- PPN = the lines' own ``tax`` minus the refund lines' own ``tax``. Never recomputed: the
  report equals the sum of the sales' and refunds' tax rows, which is what the ledger booked
  to PPN payable (2-1200).

Input tax (pajak masukan): goods received in the month with the supplier's faktur pajak number
or an input tax (``goods_receipt.faktur_no`` / ``input_tax``). Only a PKP shop credits it.
Goods receipts live on the till only: on central the input tax section is empty and a note
says so.

PKP: whether the shop is VAT-registered is the store setting ``pkp`` (``"1"``), its NPWP
``store.npwp`` (``services.store_settings``: the back office's store settings, the keys the
till has always priced with). A shop that is not PKP charges no PPN (``services.tax``): the
report says so, and shows the (zero) tax its sales carry.

The same code runs on the till (SQLite) and on central (PostgreSQL) through a
:class:`~services.reports.source.ReportSource`. Central has no ``tax_class`` table: the
classes are those of migration 0001 (:data:`SEEDED_TAX_CLASSES`; the till never edits them,
a test holds the copy equal to the till's table), and PKP/NPWP come from the tenant's
``central.store_setting`` rows (one store's when the source is scoped to a store).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, and_, column, func, literal, select, table
from sqlalchemy.sql.elements import ColumnElement

from local_db.models import GoodsReceipt, Setting, TaxClass
from services.errors import BadInput
from services.money import to_rupiah
from services.reports.source import ReportSource, local_source
from services.reports.values import Column, Period, ReportSpec, Table, TableReport

#: The setting that says the shop is VAT-registered ("1"), and the one with its NPWP.
PKP_SETTING = "pkp"
NPWP_SETTING = "store.npwp"

#: The tax classes migration 0001 seeds: code, name, rate, DPP numerator, DPP denominator,
#: inclusive. Used where there is no ``tax_class`` table (central).
SEEDED_TAX_CLASSES: tuple[tuple[str, str, str, int, int, bool], ...] = (
    ("PPN", "PPN 12% atas DPP 11/12 (umum)", "0.12", 11, 12, True),
    ("PPN_EXCL", "PPN 12% atas DPP 11/12, belum termasuk", "0.12", 11, 12, False),
    ("PPNBM", "PPN 12% barang mewah", "0.12", 1, 1, True),
    ("BEBAS", "Dibebaskan PPN (exempt)", "0", 1, 1, True),
)

Runner = Callable[[Connection, Period | None, ReportSource], TableReport]


# --- values ------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class TaxClassInfo:
    code: str
    name: str
    rate: Decimal  # 0.12
    base_numerator: int  # DPP nilai lain = DPP x numerator / denominator
    base_denominator: int
    inclusive: bool

    @property
    def rate_bp(self) -> int:
        return int(self.rate * 10000)

    @property
    def base_text(self) -> str:
        return f"{self.base_numerator}/{self.base_denominator}"


@dataclass(frozen=True, slots=True)
class OutputTaxRow:
    """One tax class's output tax in the month (sales minus refunds made in it)."""

    tax_class: str
    name: str
    rate_bp: int  # 1200 = 12 %
    base_numerator: int
    base_denominator: int
    inclusive: bool
    sales_count: int  # sale lines of the class
    sales_gross: int  # what customers paid for them
    sales_dpp: int  # their net (tax base)
    sales_tax: int
    refund_count: int  # refund lines of the class
    refund_gross: int
    refund_dpp: int
    refund_tax: int

    @property
    def dpp(self) -> int:
        return self.sales_dpp - self.refund_dpp

    @property
    def dpp_other(self) -> int:
        """DPP nilai lain: DPP x the class's base fraction, whole rupiah."""
        return to_rupiah(Decimal(self.dpp) * self.base_numerator / self.base_denominator)

    @property
    def tax(self) -> int:
        return self.sales_tax - self.refund_tax

    @property
    def gross(self) -> int:
        return self.sales_gross - self.refund_gross


@dataclass(frozen=True, slots=True)
class InputTaxRow:
    """Goods received with a supplier's faktur pajak (or an input tax) in the month."""

    receipt_id: str
    day: date  # store-local
    supplier: str
    document_no: str | None
    faktur_no: str | None
    total_cost: int
    input_tax: int


@dataclass(frozen=True, slots=True)
class PpnReport:
    month: str  # YYYY-MM
    period: Period
    pkp: bool
    npwp: str  # digits, "" when none
    output: tuple[OutputTaxRow, ...]  # by tax class code
    input: tuple[InputTaxRow, ...]  # by day; empty for a shop that is not PKP
    engine: str = "local"

    @property
    def output_dpp(self) -> int:
        return sum(r.dpp for r in self.output)

    @property
    def output_dpp_other(self) -> int:
        return sum(r.dpp_other for r in self.output)

    @property
    def output_tax(self) -> int:
        return sum(r.tax for r in self.output)

    @property
    def input_tax(self) -> int:
        return sum(r.input_tax for r in self.input) if self.pkp else 0

    @property
    def payable(self) -> int:
        """Output minus input tax: > 0 to pay (kurang bayar), < 0 carried (lebih bayar)."""
        return self.output_tax - self.input_tax

    def notes(self) -> tuple[str, ...]:
        out: list[str] = []
        if not self.pkp:
            out.append("Toko ini bukan PKP (setelan pkp): tidak memungut PPN dan tidak "
                       "mengkreditkan pajak masukan. / This shop is not VAT-registered (PKP, "
                       "setting pkp): it charges no PPN and credits no input tax.")
        elif not self.npwp:
            out.append("NPWP toko belum diisi (setelan store.npwp). / The store's NPWP is "
                       "not set (setting store.npwp).")
        else:
            out.append(f"NPWP {self.npwp}")
        if self.engine == "central":
            out.append("Pajak masukan dicatat di kasir (penerimaan barang), tidak di pusat. / "
                       "Input tax is on the tills (goods received), not on central.")
        return tuple(out)

    def report(self) -> TableReport:
        return TableReport(
            name="ppn", title_id=f"Laporan PPN {self.month}",
            title_en=f"PPN (VAT) report {self.month}", period=self.period,
            tables=(self._output_table(), self._input_table(), self._summary_table()),
            notes=self.notes())

    def _output_table(self) -> Table:
        cols = (Column("tax_class", "Kelas pajak", "Tax class"),
                Column("name", "Nama", "Name"),
                Column("rate_bp", "Tarif", "Rate", "percent"),
                Column("base", "Pecahan DPP", "DPP fraction", "text"),
                Column("gross", "Penjualan bersih", "Net sales", "money"),
                Column("sales_dpp", "DPP penjualan", "Sales DPP", "money"),
                Column("refund_dpp", "DPP retur", "Refund DPP", "money"),
                Column("dpp", "DPP", "Tax base (DPP)", "money"),
                Column("dpp_other", "DPP nilai lain", "Other tax base", "money"),
                Column("sales_tax", "PPN penjualan", "Sales PPN", "money"),
                Column("refund_tax", "PPN retur", "Refund PPN", "money"),
                Column("tax", "PPN keluaran", "Output PPN", "money"))
        rows = tuple((r.tax_class, r.name, r.rate_bp, f"{r.base_numerator}/{r.base_denominator}",
                      r.gross, r.sales_dpp, r.refund_dpp, r.dpp, r.dpp_other, r.sales_tax,
                      r.refund_tax, r.tax) for r in self.output)
        totals = (None, None, None, None, sum(r.gross for r in self.output),
                  sum(r.sales_dpp for r in self.output), sum(r.refund_dpp for r in self.output),
                  self.output_dpp, self.output_dpp_other,
                  sum(r.sales_tax for r in self.output),
                  sum(r.refund_tax for r in self.output), self.output_tax)
        return Table("output", "Pajak keluaran per kelas pajak", "Output tax by tax class",
                     cols, rows, totals)

    def _input_table(self) -> Table:
        cols = (Column("day", "Tanggal", "Date", "date"),
                Column("supplier", "Pemasok", "Supplier"),
                Column("document_no", "No. dokumen", "Document no."),
                Column("faktur_no", "No. faktur pajak", "Tax invoice no."),
                Column("total_cost", "Nilai barang", "Goods value", "money"),
                Column("input_tax", "PPN masukan", "Input PPN", "money"))
        rows = tuple((r.day, r.supplier, r.document_no or "", r.faktur_no or "", r.total_cost,
                      r.input_tax) for r in self.input)
        return Table("input", "Pajak masukan (penerimaan barang)", "Input tax (goods received)",
                     cols, rows, (None, None, None, None, sum(r.total_cost for r in self.input),
                                  self.input_tax))

    def _summary_table(self) -> Table:
        cols = (Column("item", "Uraian", "Item"), Column("amount", "Jumlah", "Amount", "money"))
        return Table("summary", "Ringkasan PPN", "PPN summary", cols, (
            ("PPN keluaran / output tax", self.output_tax),
            ("PPN masukan / input tax", self.input_tax),
            ("Kurang (lebih) bayar / payable (carried)", self.payable),
        ))


# --- inputs ------------------------------------------------------------------------------

def month_period(month: str, *, field: str = "month") -> Period:
    """``"YYYY-MM"`` -> the store-local dates of that month (``[first day, next first day)``)."""
    text = (month or "").strip()
    if len(text) != 7 or text[4] != "-" or not (text[:4].isdigit() and text[5:].isdigit()):
        raise BadInput("a month is written YYYY-MM (e.g. 2026-11)", field=field)
    year, mon = int(text[:4]), int(text[5:])
    if not 1 <= mon <= 12 or year < 2000:
        raise BadInput("a month is written YYYY-MM, month 01 to 12", field=field)
    start = date(year, mon, 1)
    end = date(year + 1, 1, 1) if mon == 12 else date(year, mon + 1, 1)
    return Period(start, end)


def month_of(period: Period, *, field: str = "from") -> str:
    """The month a period covers exactly (refused unless it is one whole calendar month)."""
    month = f"{period.start.year:04d}-{period.start.month:02d}"
    if period.start.day != 1 or month_period(month) != period:
        raise BadInput("a tax month runs from its first day to the first day of the next "
                       "(e.g. --from 2026-11-01 --to 2026-12-01, or --month 2026-11)",
                       field=field)
    return month


def tax_classes(conn: Connection, source: ReportSource | None = None
                ) -> dict[str, TaxClassInfo]:
    """The tax classes by code: the till's table, or migration 0001's seed on central."""
    if source is not None and source.engine == "central":
        rows: list[tuple[Any, ...]] = list(SEEDED_TAX_CLASSES)
    else:
        rows = [tuple(r) for r in conn.execute(select(
            TaxClass.code, TaxClass.name, TaxClass.rate, TaxClass.base_numerator,
            TaxClass.base_denominator, TaxClass.inclusive))]
    return {str(c): TaxClassInfo(str(c), str(n), Decimal(str(r)), int(a), int(b), bool(i))
            for c, n, r, a, b, i in rows}


def shop_tax_settings(conn: Connection, source: ReportSource | None = None
                      ) -> tuple[bool, str]:
    """(PKP, NPWP digits) from the store settings: the till's ``setting`` table; on central
    the tenant's ``store_setting`` rows (the chosen store's, else any store that is PKP)."""
    if source is not None and source.engine == "central":
        ss = table("store_setting", column("tenant_id"), column("store_id"), column("key"),
                   column("value"), column("deleted_at"), schema="central")
        q = (select(ss.c.key, ss.c.value)
             .where(ss.c.key.in_((PKP_SETTING, NPWP_SETTING)), ss.c.deleted_at.is_(None),
                    ss.c.tenant_id == func.central.current_tenant()))
        if source.store_id is not None:
            q = q.where(ss.c.store_id == source.store_id)
        values = [(str(k), str(v)) for k, v in conn.execute(q)]
        pkp = any(k == PKP_SETTING and v == "1" for k, v in values)
        npwps = sorted({v for k, v in values if k == NPWP_SETTING and v})
        return pkp, (npwps[0] if npwps else "")
    got = dict(conn.execute(select(Setting.key, Setting.value)
                            .where(Setting.key.in_((PKP_SETTING, NPWP_SETTING)))).all())
    return got.get(PKP_SETTING, "0") == "1", (got.get(NPWP_SETTING) or "").strip()


# --- the report --------------------------------------------------------------------------

def _sum(col: ColumnElement[Any]) -> ColumnElement[Any]:
    return func.coalesce(func.sum(col), 0)


def _output_rows(conn: Connection, src: ReportSource, period: Period,
                 classes: Mapping[str, TaxClassInfo]) -> tuple[OutputTaxRow, ...]:
    s, ln, r, rl = src.sale, src.sale_line, src.refund, src.refund_line
    start, end = period.start, period.end
    sold = {str(row[0]): [int(v) for v in row[1:]] for row in conn.execute(
        select(ln.c.tax_class, func.count(), _sum(ln.c.gross), _sum(ln.c.net), _sum(ln.c.tax))
        .select_from(ln.join(s, and_(s.c.id == ln.c.sale_id, src.same_tenant(s, ln))))
        .where(src.scope(s), src.in_range(s.c.created_at, start, end))
        .group_by(ln.c.tax_class))}
    # A refund whose sale line is not here (central: another till's sale not pushed yet)
    # still counts, under the class "?": the month's totals never lose it.
    klass = func.coalesce(ln.c.tax_class, literal("?"))
    back = {str(row[0]): [int(v) for v in row[1:]] for row in conn.execute(
        select(klass, func.count(), _sum(rl.c.gross), _sum(rl.c.net), _sum(rl.c.tax))
        .select_from(rl.join(r, and_(r.c.id == rl.c.refund_id, src.same_tenant(r, rl)))
                     .outerjoin(ln, and_(ln.c.id == rl.c.sale_line_id,
                                         src.same_tenant(ln, rl))))
        .where(src.scope(r), src.in_range(r.c.created_at, start, end))
        .group_by(klass))}
    rows = []
    for code in sorted(set(sold) | set(back)):
        info = classes.get(code) or TaxClassInfo(code, "?", Decimal(0), 1, 1, True)
        n, g, d, t = sold.get(code, [0, 0, 0, 0])
        rn, rg, rd, rt = back.get(code, [0, 0, 0, 0])
        rows.append(OutputTaxRow(
            tax_class=code, name=info.name, rate_bp=info.rate_bp,
            base_numerator=info.base_numerator, base_denominator=info.base_denominator,
            inclusive=info.inclusive, sales_count=n, sales_gross=g, sales_dpp=d, sales_tax=t,
            refund_count=rn, refund_gross=rg, refund_dpp=rd, refund_tax=rt))
    return tuple(rows)


def _input_rows(conn: Connection, src: ReportSource, period: Period
                ) -> tuple[InputTaxRow, ...]:
    if src.engine != "local":
        return ()
    g = GoodsReceipt.__table__
    day = src.local_day(g.c.created_at, period.start, period.end)
    rows = conn.execute(
        select(g.c.id, day, g.c.supplier, g.c.document_no, g.c.faktur_no, g.c.total_cost,
               g.c.input_tax)
        .where(src.in_range(g.c.created_at, period.start, period.end),
               (g.c.input_tax != 0) | g.c.faktur_no.is_not(None))
        .order_by(g.c.created_at, g.c.id)).all()
    return tuple(InputTaxRow(str(i), date.fromisoformat(str(d)), str(sup), doc, fak, int(cost),
                             int(tax)) for i, d, sup, doc, fak, cost, tax in rows)


def ppn_report(conn: Connection, month: str, *, source: ReportSource | None = None
               ) -> PpnReport:
    """The PPN report of ``month`` (``"YYYY-MM"``, the store's local month)."""
    period = month_period(month)
    src = source if source is not None else local_source(conn)
    pkp, npwp = shop_tax_settings(conn, src)
    output = _output_rows(conn, src, period, tax_classes(conn, src))
    inputs = _input_rows(conn, src, period) if pkp else ()
    return PpnReport(month=month.strip(), period=period, pkp=pkp, npwp=npwp, output=output,
                     input=inputs, engine=src.engine)


def _run_ppn(conn: Connection, period: Period | None, source: ReportSource) -> TableReport:
    if period is None:
        raise BadInput("the PPN report is of one month: give --month or --from/--to",
                       field="from")
    return ppn_report(conn, month_of(period), source=source).report()


PPN_SPEC = ReportSpec("ppn", "Laporan PPN (bulanan)", "PPN (VAT) report (monthly)", True)

REPORTS: Mapping[str, tuple[ReportSpec, Runner]] = {"ppn": (PPN_SPEC, _run_ppn)}

__all__ = [
    "NPWP_SETTING", "PKP_SETTING", "REPORTS", "SEEDED_TAX_CLASSES", "InputTaxRow",
    "OutputTaxRow", "PpnReport", "TaxClassInfo", "month_of", "month_period",
    "ppn_report", "shop_tax_settings", "tax_classes",
]

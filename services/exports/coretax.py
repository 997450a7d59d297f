"""Coretax: the month's retail sales reported "digunggung" (in one sum), as the XML Coretax
accepts for SPT Masa PPN section I.A.5 ("penyerahan ... dengan Faktur Pajak yang dilaporkan
secara digunggung"): a PKP retailer does not issue a faktur per walk-in customer, it reports
the month's turnover in one retail document.

Layout (``RetailInvoiceBulk``, the template Coretax serves from the SPT's "Unggah XML" menu;
element names and order are checked by :func:`validate_retail_xml`)::

    <RetailInvoiceBulk xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                       xsi:noNamespaceSchemaLocation="schema.xsd">
      <TIN>seller NPWP, 16 digits</TIN>
      <TaxPeriodMonth>11</TaxPeriodMonth>   (1..12, no leading zero)
      <TaxPeriodYear>2026</TaxPeriodYear>
      <ListOfRetailInvoice>
        <RetailInvoice>
          <TrxCode>Normal</TrxCode>          (I.A.5: PPN collected)
          <BuyerName>-</BuyerName>           (walk-in buyers, unknown)
          <BuyerIdOpt>NIK</BuyerIdOpt>
          <BuyerIdNumber>0000000000000000</BuyerIdNumber>
          <GoodServiceOpt>A</GoodServiceOpt> (A goods, B services)
          <SerialNo>DEMO-202611-1</SerialNo> (our reference: store code, month, row)
          <TransactionDate>2026-11-30</TransactionDate>  (last day of the tax month)
          <TaxBaseSellingPrice>100000</TaxBaseSellingPrice>
          <OtherTaxBaseSellingPrice>91666.67</OtherTaxBaseSellingPrice>
          <VAT>11000</VAT>
          <STLG>0</STLG>                     (PPnBM: none)
          <Info/>
        </RetailInvoice>
      </ListOfRetailInvoice>
    </RetailInvoiceBulk>

The figures come from :func:`services.tax_reports.ppn_report` (one source for the report and
the file):

- ``TaxBaseSellingPrice`` (harga jual/DPP) = the month's turnover before PPN: the sale lines'
  ``net`` after discounts minus the refund lines' ``net`` made in the month, whole rupiah.
- ``OtherTaxBaseSellingPrice`` (DPP nilai lain) = TaxBase x the class's base fraction (11/12
  since PMK 131/2024), to the sen (2 decimals, half up), as Odoo's ``l10n_id_efaktur_coretax``
  writes ``OtherTaxBase`` (``100000`` -> ``91666.67``).
- ``VAT`` = the PPN the sales carried minus the refunds' (the rows the ledger booked to PPN
  payable). It can differ by a few rupiah from OtherTaxBase x 12% because the till rounds
  each line; :attr:`RetailRow.vat_rounding` says by how much.

One ``RetailInvoice`` per group of tax classes with the same rate and base fraction: the
general 11/12 classes (``PPN``, ``PPN_EXCL``) in one, luxury goods on the full price
(``PPNBM``: OtherTaxBase = TaxBase) in another. Exempt or zero-rate classes are not I.A.5
supplies (they are I.B, a separate upload) and are left out; :attr:`CoretaxExport.left_out`
says how much. Only a PKP shop files this: a shop that is not (setting ``pkp``) is refused,
so is one without its NPWP (setting ``store.npwp``). A 15-digit NPWP (the pre-2024 form) is
written as the 16-digit TIN Coretax uses: a leading ``0``.
"""

from __future__ import annotations

import calendar
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import Connection, select

from local_db.models import Setting
from services.errors import BadInput, Refused
from services.reports.source import ReportSource
from services.exports import ExportFile
from services.reports.values import Period
from services.tax_reports import NPWP_SETTING, PKP_SETTING, PpnReport, month_of, ppn_report

XSI = "http://www.w3.org/2001/XMLSchema-instance"
ROOT = "RetailInvoiceBulk"
HEAD = ("TIN", "TaxPeriodMonth", "TaxPeriodYear", "ListOfRetailInvoice")
ROW = "RetailInvoice"
ROW_FIELDS = ("TrxCode", "BuyerName", "BuyerIdOpt", "BuyerIdNumber", "GoodServiceOpt",
              "SerialNo", "TransactionDate", "TaxBaseSellingPrice",
              "OtherTaxBaseSellingPrice", "VAT", "STLG", "Info")
TRX_CODE = "Normal"
BUYER_NAME = "-"
BUYER_ID_OPT = "NIK"
UNKNOWN_NIK = "0000000000000000"
GOODS = "A"
SEN = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class RetailRow:
    serial_no: str
    tax_classes: tuple[str, ...]
    vat_rate: int  # 12 (percent), for people: the retail layout has no rate element
    base_numerator: int
    base_denominator: int
    tax_base: int  # TaxBaseSellingPrice, whole rupiah
    other_tax_base: Decimal  # OtherTaxBaseSellingPrice, to the sen
    vat: int  # what the sales carried, minus refunds

    @property
    def vat_rounding(self) -> int:
        """VAT charged minus OtherTaxBase x rate rounded to the rupiah (per-line rounding)."""
        expected = (self.other_tax_base * self.vat_rate / 100).quantize(
            Decimal(1), rounding=ROUND_HALF_UP)
        return self.vat - int(expected)


@dataclass(frozen=True, slots=True)
class CoretaxExport:
    month: str
    tin: str  # 16 digits
    transaction_date: date  # the month's last day
    rows: tuple[RetailRow, ...]
    left_out: int  # DPP of exempt / zero-rate classes, not in this upload (I.B)

    @property
    def tax_base(self) -> int:
        return sum(r.tax_base for r in self.rows)

    @property
    def other_tax_base(self) -> Decimal:
        return sum((r.other_tax_base for r in self.rows), Decimal(0))

    @property
    def vat(self) -> int:
        return sum(r.vat for r in self.rows)

    def xml(self) -> bytes:
        return retail_xml(self)


def _amount(value: Decimal | int) -> str:
    """A plain decimal: no separators, no currency, no trailing zeros (``91666.67``,
    ``110000``)."""
    d = Decimal(value)
    if d == d.to_integral_value():
        return str(int(d))
    return format(d.quantize(SEN), "f")


def tin_of(npwp: str) -> str:
    """The 16-digit TIN of an NPWP: 16 digits as they are, 15 with a leading zero."""
    digits = "".join(ch for ch in npwp if ch.isdigit())
    if len(digits) == 15:
        return "0" + digits
    if len(digits) == 16:
        return digits
    raise BadInput(f"the store's NPWP must have 15 or 16 digits (has {len(digits)})",
                   field=NPWP_SETTING)


def _store_code(conn: Connection) -> str:
    return str(conn.execute(select(Setting.value).where(Setting.key == "store_code")).scalar()
               or "WRG")


def retail_export_of(report: PpnReport, *, store_code: str) -> CoretaxExport:
    """The Coretax retail rows of a PPN report (refused unless PKP with an NPWP)."""
    if not report.pkp:
        raise Refused("Coretax retail reporting is for PKP (VAT-registered) shops; this shop "
                      "is not PKP (store setting pkp)", field=PKP_SETTING)
    if not report.npwp:
        raise BadInput("the store's NPWP is needed for Coretax: set it in the store settings",
                       field=NPWP_SETTING)
    tin = tin_of(report.npwp)
    groups: dict[tuple[int, int, int], list[str]] = {}
    left_out = 0
    for r in report.output:
        if r.rate_bp == 0:
            left_out += r.dpp
            continue
        groups.setdefault((r.rate_bp, r.base_numerator, r.base_denominator), []).append(
            r.tax_class)
    by_class = {r.tax_class: r for r in report.output}
    year, mon = int(report.month[:4]), int(report.month[5:])
    rows: list[RetailRow] = []
    # the general 11/12 group first, then full-base groups (luxury goods)
    order = sorted(groups.items(), key=lambda kv: (kv[0][1] == kv[0][2], kv[0]))
    for n, (key, codes) in enumerate(order, start=1):
        rate_bp, num, den = key
        base = sum(by_class[c].dpp for c in codes)
        other = (Decimal(base) * num / den).quantize(SEN, rounding=ROUND_HALF_UP)
        vat = sum(by_class[c].tax for c in codes)
        if base < 0:
            raise BadInput(f"the month's refunds exceed its sales in tax classes "
                           f"{', '.join(codes)}: Coretax takes no negative turnover",
                           field="month")
        rows.append(RetailRow(
            serial_no=f"{store_code}-{year:04d}{mon:02d}-{n}", tax_classes=tuple(codes),
            vat_rate=rate_bp // 100, base_numerator=num, base_denominator=den,
            tax_base=base, other_tax_base=other, vat=vat))
    if not rows:
        raise BadInput(f"no taxed sales in {report.month}: nothing to report to Coretax",
                       field="month")
    last = date(year, mon, calendar.monthrange(year, mon)[1])
    return CoretaxExport(month=report.month, tin=tin, transaction_date=last, rows=tuple(rows),
                         left_out=left_out)


def retail_export(conn: Connection, month: str, *, source: ReportSource | None = None
                  ) -> CoretaxExport:
    """The month's Coretax retail export, from the PPN report of the same month."""
    report = ppn_report(conn, month, source=source)
    return retail_export_of(report, store_code=_store_code(conn)
                            if source is None or source.engine == "local" else "WRG")


def coretax_export_file(conn: Connection, period: Period, *,
                        source: ReportSource | None = None) -> ExportFile:
    """The retail export of the month ``period`` covers exactly, checked against the
    layout before it is handed out."""
    month = month_of(period)
    export = retail_export(conn, month, source=source)
    body = export.xml()
    validate_retail_xml(body)
    notes: tuple[str, ...] = ()
    if export.left_out:
        notes = (f"DPP {export.left_out} of exempt or zero-rate classes is not in this file "
                 "(SPT I.B, a separate upload).",)
    return ExportFile(
        kind="coretax", period=period, body=body, media_type="application/xml",
        suggested_name=f"coretax-digunggung-{month}.xml", rows=len(export.rows),
        totals={"tax_base": export.tax_base, "other_tax_base": _amount(export.other_tax_base),
                "vat": export.vat, "left_out": export.left_out, "tin": export.tin,
                "transaction_date": export.transaction_date.isoformat()},
        notes=notes)


def retail_xml(export: CoretaxExport) -> bytes:
    """The ``RetailInvoiceBulk`` document (UTF-8, with an XML declaration)."""
    ET.register_namespace("xsi", XSI)
    root = ET.Element(ROOT, {f"{{{XSI}}}noNamespaceSchemaLocation": "schema.xsd"})
    year, mon = int(export.month[:4]), int(export.month[5:])
    ET.SubElement(root, "TIN").text = export.tin
    ET.SubElement(root, "TaxPeriodMonth").text = str(mon)
    ET.SubElement(root, "TaxPeriodYear").text = str(year)
    listing = ET.SubElement(root, "ListOfRetailInvoice")
    for r in export.rows:
        row = ET.SubElement(listing, ROW)
        values = (TRX_CODE, BUYER_NAME, BUYER_ID_OPT, UNKNOWN_NIK, GOODS, r.serial_no,
                  export.transaction_date.isoformat(), _amount(r.tax_base),
                  _amount(r.other_tax_base), _amount(r.vat), "0", "")
        for name, value in zip(ROW_FIELDS, values, strict=True):
            ET.SubElement(row, name).text = value or None
    ET.indent(root, space="  ")
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return body + b"\n"


def _digits(text: str | None, n: int) -> bool:
    return text is not None and text.isdigit() and text.isascii() and len(text) == n


_AMOUNT_RE = re.compile(r"^(0|[1-9][0-9]*)(\.[0-9]{1,2})?$")


def _is_amount(text: str | None) -> bool:
    return text is not None and _AMOUNT_RE.match(text) is not None


def validate_retail_xml(data: bytes) -> None:
    """Check a document against the retail layout: well-formed, the root, the element names
    and their order, and each value's form. Raises BadInput naming the element (field)."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise BadInput(f"not well-formed XML ({exc})", field="xml") from None
    if root.tag != ROOT:
        raise BadInput(f"the root element must be {ROOT}, not {root.tag}", field="xml")
    if tuple(child.tag for child in root) != HEAD:
        raise BadInput(f"{ROOT} holds {', '.join(HEAD)} in this order", field=ROOT)
    if not _digits(root.findtext("TIN"), 16):
        raise BadInput("TIN is the seller's 16-digit NPWP", field="TIN")
    month = root.findtext("TaxPeriodMonth") or ""
    if not (month.isdigit() and not month.startswith("0") and 1 <= int(month) <= 12):
        raise BadInput("TaxPeriodMonth is 1 to 12", field="TaxPeriodMonth")
    if not _digits(root.findtext("TaxPeriodYear"), 4):
        raise BadInput("TaxPeriodYear has four digits", field="TaxPeriodYear")
    listing = root.find("ListOfRetailInvoice")
    assert listing is not None
    rows = list(listing)
    if not rows or any(r.tag != ROW for r in rows):
        raise BadInput(f"ListOfRetailInvoice holds one or more {ROW}",
                       field="ListOfRetailInvoice")
    for i, row in enumerate(rows):
        where = f"{ROW}[{i}]"
        if tuple(c.tag for c in row) != ROW_FIELDS:
            raise BadInput(f"{ROW} holds {', '.join(ROW_FIELDS)} in this order", field=where)
        day = row.findtext("TransactionDate") or ""
        try:
            date.fromisoformat(day)
        except ValueError:
            raise BadInput("TransactionDate is YYYY-MM-DD",
                           field=f"{where}.TransactionDate") from None
        if len(day) != 10:
            raise BadInput("TransactionDate is YYYY-MM-DD", field=f"{where}.TransactionDate")
        for name in ("TaxBaseSellingPrice", "OtherTaxBaseSellingPrice", "VAT", "STLG"):
            if not _is_amount(row.findtext(name)):
                raise BadInput(f"{name} is a plain amount (digits, '.' and at most two "
                               "decimals)", field=f"{where}.{name}")
        if not _digits(row.findtext("BuyerIdNumber"), 16):
            raise BadInput("BuyerIdNumber has 16 digits", field=f"{where}.BuyerIdNumber")
        if row.findtext("GoodServiceOpt") not in ("A", "B"):
            raise BadInput("GoodServiceOpt is A or B", field=f"{where}.GoodServiceOpt")


__all__ = ["ROW_FIELDS", "CoretaxExport", "RetailRow", "coretax_export_file", "retail_export",
           "retail_export_of",
           "retail_xml", "tin_of", "validate_retail_xml"]

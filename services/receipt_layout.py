"""A receipt laid out as lines of monospaced text for a given width. Pure value code.

Thermal printers print font A at 32 characters on 58 mm paper and 48 on 80 mm paper
(:data:`PAPER_COLUMNS`). Every line here is at most ``width`` characters, already aligned
with spaces (centred titles, amounts flush right), so the same lines print on any ESC/POS
printer, show in a terminal and go into the PDF. Amounts (``Rp 15.000``) are never broken:
when a label and its amount do not fit on one line, the label wraps and the amount gets a
line of its own, flush right. Long product names wrap on word boundaries.

A line may ask for emphasis: ``bold`` (the store's name) or ``tall`` (the total, printed
bold and double height: double *height* keeps the line's width, so the amount stays in its
column on 58 mm paper too).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from services import formatting as fmt
from services.receipts import Receipt, ReceiptLine

#: Characters per line at font A.
PAPER_COLUMNS = {58: 32, 80: 48}
MIN_WIDTH = 24

LABELS: dict[str, dict[str, str]] = {
    "id": {
        "receipt_no": "No. struk", "refund_no": "No. retur", "date": "Tanggal",
        "cashier": "Kasir", "customer": "Pelanggan", "subtotal": "Subtotal",
        "discount": "Diskon", "line_discount": "Diskon", "tax_added": "PPN",
        "tax_included": "Termasuk PPN", "rounding": "Pembulatan", "total": "TOTAL",
        "refund_total": "TOTAL RETUR", "change": "Kembali", "paid": "Bayar",
        "returned": "Dikembalikan", "copy": "*** SALINAN / COPY ***", "refund": "RETUR",
        "refund_of": "Dari struk", "reason": "Alasan", "approved_by": "Disetujui",
        "npwp": "NPWP", "items": "item", "shipped": "Dikirim", "waybill": "No. resi",
        "waybill_pending": "menunggu", "delivered": "Diterima", "returned_parcel": "Kembali",
        "promo_code": "Kode promo",
    },
    "en": {
        "receipt_no": "Receipt", "refund_no": "Refund no.", "date": "Date",
        "cashier": "Cashier", "customer": "Customer", "subtotal": "Subtotal",
        "discount": "Discount", "line_discount": "Discount", "tax_added": "VAT (PPN)",
        "tax_included": "Incl. VAT (PPN)", "rounding": "Rounding", "total": "TOTAL",
        "refund_total": "REFUND TOTAL", "change": "Change", "paid": "Paid",
        "returned": "Paid back", "copy": "*** COPY / SALINAN ***", "refund": "REFUND",
        "refund_of": "Of receipt", "reason": "Reason", "approved_by": "Approved by",
        "npwp": "NPWP", "items": "items", "shipped": "Shipped by", "waybill": "Airway bill",
        "waybill_pending": "pending", "delivered": "Delivered", "returned_parcel": "Returned",
        "promo_code": "Promo code",
    },
}

METHODS: dict[str, dict[str, str]] = {
    "id": {"cash": "Tunai", "kasbon": "Kasbon", "edc": "Kartu (EDC)", "qris": "QRIS",
           "gopay": "GoPay", "shopeepay": "ShopeePay", "va_bca": "Transfer VA BCA",
           "va_bni": "Transfer VA BNI", "va_bri": "Transfer VA BRI",
           "va_permata": "Transfer VA Permata", "midtrans": "QRIS / e-wallet"},
    "en": {"cash": "Cash", "kasbon": "Store credit (kasbon)", "edc": "Card (EDC)",
           "qris": "QRIS", "gopay": "GoPay", "shopeepay": "ShopeePay",
           "va_bca": "BCA VA transfer", "va_bni": "BNI VA transfer",
           "va_bri": "BRI VA transfer", "va_permata": "Permata VA transfer",
           "midtrans": "QRIS / e-wallet"},
}


@dataclass(frozen=True, slots=True)
class LaidLine:
    text: str  # at most the layout's width, aligned with spaces
    bold: bool = False
    tall: bool = False  # bold and double height (the total)


def columns_for_paper(paper_mm: int) -> int:
    """Characters per line for 58 or 80 mm paper (anything else: the nearer of the two)."""
    return PAPER_COLUMNS[80 if paper_mm >= 69 else 58]


def money(amount: int, language: str = "id") -> str:
    """``Rp 15.000`` (``Rp 15,000`` on an English receipt): services.formatting."""
    return fmt.money(amount, language)


def quantity(line: ReceiptLine, language: str = "id") -> str:
    """``2`` for pieces; ``0,75 kg`` for weighed goods (Indonesian decimal comma;
    ``0.75 kg`` in English): services.formatting."""
    return fmt.quantity(line.qty_milli, line.unit if line.weighed else None, language)


#: Couriers' names as printed (a code not listed prints in capitals).
COURIERS = {"jne": "JNE", "jnt": "J&T", "pos": "POS Indonesia", "sicepat": "SiCepat",
            "anteraja": "AnterAja"}


def courier_text(company: str, service_code: str) -> str:
    """``JNE REG``, ``J&T EZ``."""
    return f"{COURIERS.get(company, company.upper())} {service_code.upper()}".strip()


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width, break_long_words=True, break_on_hyphens=False) or [""]


def _center(text: str, width: int, *, bold: bool = False) -> list[LaidLine]:
    return [LaidLine(part.center(width).rstrip(), bold=bold) for part in _wrap(text, width)]


def pair(left: str, right: str, width: int, *, indent: int = 0,
         tall: bool = False, bold: bool = False) -> list[LaidLine]:
    """``left`` flush left and ``right`` flush right on one line if both fit; otherwise the
    left part wraps and ``right`` (an amount, never broken) ends the last line or gets one
    of its own."""
    pad = " " * indent
    if len(pad) + len(left) + 1 + len(right) <= width:
        gap = width - len(pad) - len(left) - len(right)
        return [LaidLine(pad + left + " " * gap + right, bold=bold, tall=tall)]
    parts = _wrap(left, width - indent)
    out = [LaidLine(pad + p, bold=bold, tall=tall) for p in parts]
    last = out[-1].text
    if len(last) + 1 + len(right) <= width:
        out[-1] = LaidLine(last + " " * (width - len(last) - len(right)) + right,
                           bold=bold, tall=tall)
    else:
        out.append(LaidLine(right[-width:].rjust(width), bold=bold, tall=tall))
    return out


def layout_receipt(receipt: Receipt, width: int) -> tuple[LaidLine, ...]:
    """The receipt as lines of at most ``width`` characters."""
    if width < MIN_WIDTH:
        raise ValueError(f"a receipt needs at least {MIN_WIDTH} characters per line")
    lang = receipt.language if receipt.language in LABELS else "id"
    t = LABELS[lang]
    methods = METHODS[lang]
    rule = LaidLine("-" * width)
    out: list[LaidLine] = []

    # --- the store ------------------------------------------------------------------------
    out += _center(receipt.store_name, width, bold=True)
    if receipt.store_address:
        for part in receipt.store_address.replace("\r", "").split("\n"):
            if part.strip():
                out += _center(part.strip(), width)
    if receipt.npwp:
        out += _center(f"{t['npwp']}: {receipt.npwp}", width)
    for text in receipt.header:
        out += _center(text, width)
    if receipt.copy:
        out += _center(t["copy"], width, bold=True)
    if receipt.kind == "refund":
        out += _center(t["refund"], width, bold=True)
    out.append(rule)

    # --- who, when --------------------------------------------------------------------------
    number_label = t["refund_no"] if receipt.kind == "refund" else t["receipt_no"]
    out += pair(number_label, receipt.number, width)
    if receipt.refund_of:
        out += pair(t["refund_of"], receipt.refund_of, width)
    out += pair(t["date"], f"{receipt.issued_at:%d/%m/%Y %H:%M} {receipt.zone}".strip(),
                width)
    out += pair(t["cashier"], receipt.cashier, width)
    if receipt.customer:
        out += pair(t["customer"], receipt.customer, width)
    if receipt.approved_by:
        out += pair(t["approved_by"], receipt.approved_by, width)
    if receipt.reason:
        out += pair(t["reason"], receipt.reason, width)
    out.append(rule)

    # --- the lines --------------------------------------------------------------------------
    for line in receipt.lines:
        out += [LaidLine(p) for p in _wrap(line.name, width)]
        if receipt.kind == "refund":
            detail = quantity(line, lang)
            out += pair(detail, money(-line.line_total, lang), width, indent=2)
            continue
        gross_before = line.line_total + line.line_discount
        detail = f"{quantity(line, lang)} x {money(line.unit_price, lang)}"
        out += pair(detail, money(gross_before, lang), width, indent=2)
        if line.line_discount:
            out += pair(t["line_discount"], money(-line.line_discount, lang), width, indent=2)
    out.append(rule)

    # --- totals -----------------------------------------------------------------------------
    if receipt.kind == "refund":
        if receipt.rounding:
            out += pair(t["rounding"], money(-receipt.rounding, lang), width)
        out += pair(t["refund_total"], money(-receipt.payable, lang), width, tall=True)
        if receipt.tax_included:
            out += pair(t["tax_included"], money(-receipt.tax_included, lang), width)
        out.append(rule)
        for tender in receipt.tenders:
            out += pair(f"{t['returned']} {methods.get(tender.method, tender.method)}",
                        money(tender.amount, lang), width)
    else:
        count = len(receipt.lines)
        out += pair(f"{t['subtotal']} ({count} {t['items']})", money(receipt.subtotal, lang),
                    width)
        if receipt.discount_total:
            out += pair(t["discount"], money(-receipt.discount_total, lang), width)
        if receipt.promo_code:  # the order discount is the code's
            out += pair(t["promo_code"], receipt.promo_code, width, indent=2)
        if receipt.tax_added:
            out += pair(t["tax_added"], money(receipt.tax_added, lang), width)
        if receipt.rounding:
            out += pair(t["rounding"], money(receipt.rounding, lang), width)
        out += pair(t["total"], money(receipt.payable, lang), width, tall=True)
        if receipt.tax_included:
            out += pair(t["tax_included"], money(receipt.tax_included, lang), width)
        out.append(rule)
        for tender in receipt.tenders:
            out += pair(methods.get(tender.method, tender.method), money(tender.tendered, lang),
                        width)
        if receipt.change or receipt.took_cash:
            out += pair(t["change"], money(receipt.change, lang), width, bold=True)
    out.append(rule)

    # --- parcels: courier and airway bill (and, on a reprint, delivered or returned) --------
    if receipt.shipments:
        for parcel in receipt.shipments:
            out += pair(t["shipped"], courier_text(parcel.courier_company,
                                                   parcel.service_code), width)
            out += pair(t["waybill"], parcel.waybill_id or t["waybill_pending"], width)
            if parcel.status == "delivered":
                out += pair("", t["delivered"], width)
            elif parcel.status == "returned":
                out += pair("", t["returned_parcel"], width)
        out.append(rule)

    # --- footer -----------------------------------------------------------------------------
    for text in receipt.footer:
        out += _center(text, width)
    return tuple(out)


def as_text(lines: tuple[LaidLine, ...]) -> str:
    return "\n".join(line.text for line in lines) + "\n"


__all__ = ["COURIERS", "LaidLine", "PAPER_COLUMNS", "as_text", "columns_for_paper",
           "courier_text", "layout_receipt",
           "pair", "quantity"]

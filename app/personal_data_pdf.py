"""A customer's data export (``services.personal_data``) as a PDF the person can read:
Bahasa Indonesia by default, English on request; money as ``Rp 15.000``, times on the
store's clock with WIB/WITA/WIT (``services.formatting``). reportlab is imported only when
a PDF is asked for."""

from __future__ import annotations

import io
from typing import Any

from services import formatting as fmt
from services.personal_data import CustomerDataExport

TEXTS: dict[str, dict[str, str]] = {
    "title": {"id": "Data pribadi pelanggan", "en": "Customer's personal data"},
    "made": {"id": "Dibuat {at} oleh {who}", "en": "Made {at} by {who}"},
    "law": {"id": "Salinan data menurut UU No. 27 Tahun 2022 tentang Pelindungan Data Pribadi.",
            "en": "A copy of the data under Indonesia's Personal Data Protection Law "
                  "(UU No. 27/2022)."},
    "profile": {"id": "Profil", "en": "Profile"},
    "name": {"id": "Nama", "en": "Name"},
    "phone": {"id": "Telepon", "en": "Phone"},
    "email": {"id": "Email", "en": "Email"},
    "address": {"id": "Alamat", "en": "Address"},
    "consent": {"id": "Setuju menerima pemasaran", "en": "Agrees to marketing"},
    "limit": {"id": "Batas kasbon", "en": "Kasbon limit"},
    "since": {"id": "Terdaftar sejak", "en": "Customer since"},
    "erased": {"id": "Data dihapus pada", "en": "Data erased on"},
    "yes": {"id": "Ya", "en": "Yes"},
    "no": {"id": "Tidak", "en": "No"},
    "none": {"id": "Tidak ada.", "en": "None."},
    "sales": {"id": "Pembelian", "en": "Purchases"},
    "receipt": {"id": "No. struk", "en": "Receipt no."},
    "time": {"id": "Waktu", "en": "Time"},
    "item": {"id": "Barang", "en": "Item"},
    "qty": {"id": "Jumlah", "en": "Qty"},
    "price": {"id": "Harga", "en": "Price"},
    "amount": {"id": "Nilai", "en": "Amount"},
    "total": {"id": "Total", "en": "Total"},
    "paid": {"id": "Dibayar", "en": "Paid"},
    "refund": {"id": "Retur", "en": "Refund"},
    "all_sales": {"id": "Total semua pembelian", "en": "All purchases"},
    "kasbon": {"id": "Kasbon", "en": "Store credit (kasbon)"},
    "kind": {"id": "Jenis", "en": "Kind"},
    "balance": {"id": "Saldo", "en": "Balance"},
    "points": {"id": "Poin", "en": "Points"},
    "points_none": {"id": "Program poin belum dipakai.", "en": "No points programme."},
    "messages": {"id": "Pesan yang dikirim", "en": "Messages sent"},
    "channel": {"id": "Saluran", "en": "Channel"},
    "purpose": {"id": "Keperluan", "en": "Purpose"},
    "status": {"id": "Status", "en": "Status"},
    "to": {"id": "Tujuan", "en": "To"},
    "devices": {"id": "Perangkat", "en": "Devices"},
    "platform": {"id": "Platform", "en": "Platform"},
    "active": {"id": "Aktif", "en": "Active"},
    "registered": {"id": "Didaftarkan", "en": "Registered"},
    "consents": {"id": "Riwayat persetujuan", "en": "Consent history"},
    "granted": {"id": "Diberikan", "en": "Given"},
    "withdrawn": {"id": "Ditarik", "en": "Withdrawn"},
    "source": {"id": "Lewat", "en": "Through"},
    "who": {"id": "Oleh", "en": "By"},
    "customer": {"id": "pelanggan sendiri", "en": "the customer"},
    "page": {"id": "Halaman {n}", "en": "Page {n}"},
}
KASBON_KINDS = {"sale": ("Belanja", "Purchase"), "repayment": ("Pembayaran", "Repayment"),
                "refund": ("Retur", "Refund")}
PURPOSES = {"transactional": ("Transaksi", "Transactional"),
            "marketing": ("Pemasaran", "Marketing"), "alert": ("Pemberitahuan", "Alert")}
STATUSES = {"queued": ("Antre", "Queued"), "sent": ("Terkirim", "Sent"),
            "delivered": ("Sampai", "Delivered"), "read": ("Dibaca", "Read"),
            "rejected": ("Ditolak", "Rejected"), "failed": ("Gagal", "Failed"),
            "unknown": ("Belum pasti", "Unknown")}
CHANNELS = {"whatsapp": ("WhatsApp", "WhatsApp"), "sms": ("SMS", "SMS"),
            "email": ("Email", "Email"), "push": ("Notifikasi", "Push")}
SOURCES = {"till": ("Kasir", "Till"), "cli": ("Perintah", "Command line"),
           "office": ("Kantor", "Back office"), "unsubscribe": ("Tautan berhenti", "Unsubscribe link"),
           "stop": ("Balasan STOP", "STOP reply"), "import": ("Impor", "Import"),
           "erasure": ("Penghapusan data", "Data erasure")}


def _t(key: str, lang: str) -> str:
    return TEXTS[key]["en" if lang == "en" else "id"]


def _pick(table: dict[str, tuple[str, str]], code: str, lang: str) -> str:
    pair = table.get(code)
    return code if pair is None else pair[1 if lang == "en" else 0]


def to_pdf(data: CustomerDataExport, lang: str = "id") -> bytes:
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

    zone = data.zone
    c = data.customer

    def when(moment: str | None) -> str:
        return "" if not moment else fmt.datetime_text(moment, zone, lang)

    def rp(amount: int) -> str:
        return fmt.money(int(amount), lang)

    styles = getSampleStyleSheet()
    body = styles["BodyText"].clone("pdBody", fontName="Helvetica", fontSize=8.5, leading=11)
    bold = body.clone("pdBold", fontName="Helvetica-Bold")
    small = styles["Normal"].clone("pdSmall", fontSize=8.5, leading=11, textColor=colors.grey)
    h1 = styles["Title"].clone("pdTitle", fontSize=16, leading=20, alignment=0)
    h2 = styles["Heading2"].clone("pdH2", fontSize=12, leading=15, spaceBefore=10)
    width = A4[0] - 36 * mm

    def para(value: Any, style: Any = body) -> Any:
        return Paragraph(escape(str(value)), style)

    right_body = body.clone("pdRight", alignment=TA_RIGHT)
    right_bold = bold.clone("pdRightBold", alignment=TA_RIGHT)

    def table(head: list[str] | None, rows: list[list[Any]], widths: list[float],
              bold_rows: tuple[int, ...] = (), right: tuple[int, ...] = ()) -> Any:
        """A grid; ``right``: the columns holding figures (right-aligned)."""
        def style(col: int, strong: bool) -> Any:
            if col in right:
                return right_bold if strong else right_body
            return bold if strong else body
        cells = [] if head is None else [[para(h, style(i, True)) for i, h in enumerate(head)]]
        cells += [[para(v, style(j, i in bold_rows)) for j, v in enumerate(row)]
                  for i, row in enumerate(rows)]
        t = LongTable(cells, colWidths=[w * width for w in widths],
                      repeatRows=0 if head is None else 1, hAlign="LEFT")
        look = [("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP")]
        if head is not None:
            look.append(("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke))
        t.setStyle(TableStyle(look))
        return t

    flow: list[Any] = []
    if data.store_name:
        flow.append(para(data.store_name, bold))
    flow.append(para(_t("title", lang), h1))
    flow.append(para(_t("made", lang).format(at=when(data.generated_at),
                                              who=data.generated_by), small))
    flow.append(para(_t("law", lang), small))

    flow.append(para(_t("profile", lang), h2))
    yes_no = _t("yes", lang) if c.consent_marketing else _t("no", lang)
    profile = [[_t("name", lang), c.name], [_t("phone", lang), c.phone or "-"],
               [_t("email", lang), c.email or "-"], [_t("address", lang), c.address or "-"],
               [_t("consent", lang), yes_no], [_t("limit", lang), rp(c.credit_limit)],
               [_t("since", lang), when(c.created_at)]]
    if c.erased_at:
        profile.append([_t("erased", lang), when(c.erased_at)])
    flow.append(table(None, profile, [0.3, 0.7], bold_rows=()))

    flow.append(para(_t("sales", lang), h2))
    if not data.sales:
        flow.append(para(_t("none", lang)))
    for s in data.sales:
        rows: list[list[Any]] = [[ln.name, fmt.quantity(ln.qty_milli, ln.unit, lang),
                                  rp(ln.unit_price), rp(ln.gross)] for ln in s.lines]
        paid = ", ".join(f"{fmt.payment_method(p.method, lang)} {rp(p.amount)}"
                         for p in s.payments)
        rows.append([_t("total", lang), "", "", rp(s.payable)])
        marks = [len(rows) - 1]
        if paid:
            rows.append([f"{_t('paid', lang)}: {paid}", "", "", ""])
        for r in s.refunds:
            rows.append([f"{_t('refund', lang)} {r.refund_no}", when(r.created_at), "",
                         rp(-r.gross)])
        flow.append(para(f"{s.receipt_no} · {when(s.created_at)}", bold))
        flow.append(table([_t("item", lang), _t("qty", lang), _t("price", lang),
                           _t("amount", lang)], rows, [0.46, 0.16, 0.19, 0.19],
                          tuple(marks), right=(1, 2, 3)))
        flow.append(Spacer(1, 3 * mm))
    if data.sales:
        flow.append(para(f"{_t('all_sales', lang)}: {rp(data.sales_total)}", bold))

    flow.append(para(_t("kasbon", lang), h2))
    if data.kasbon:
        flow.append(table([_t("time", lang), _t("kind", lang), _t("amount", lang)],
                          [[when(k.created_at), _pick(KASBON_KINDS, k.kind, lang),
                            rp(k.amount)] for k in data.kasbon], [0.4, 0.3, 0.3],
                          right=(2,)))
    flow.append(para(f"{_t('balance', lang)}: {rp(data.kasbon_balance)}", bold))

    flow.append(para(_t("points", lang), h2))
    if not data.points:
        flow.append(para(_t("points_none", lang)))
    for pt in data.points:
        if not pt.rows:
            continue
        cols = [k for k in ("created_at", "kind", "points", "tier", "reason")
                if k in pt.rows[0]] or list(pt.rows[0])[:5]
        flow.append(table(cols, [[when(str(r[k])) if k == "created_at" and r[k] else
                                  ("" if r[k] is None else r[k]) for k in cols]
                                 for r in pt.rows], [1 / len(cols)] * len(cols)))
    if data.points_balance is not None:
        flow.append(para(f"{_t('balance', lang)}: {fmt.number(data.points_balance, lang)}",
                         bold))

    flow.append(para(_t("messages", lang), h2))
    if data.messages:
        flow.append(table(
            [_t("time", lang), _t("channel", lang), _t("purpose", lang), _t("status", lang),
             _t("to", lang)],
            [[when(m.sent_at or m.created_at), _pick(CHANNELS, m.channel, lang),
              _pick(PURPOSES, m.purpose, lang), _pick(STATUSES, m.status, lang),
              m.address or "-"] for m in data.messages],
            [0.24, 0.13, 0.17, 0.13, 0.33]))
    else:
        flow.append(para(_t("none", lang)))

    if data.devices:
        flow.append(para(_t("devices", lang), h2))
        flow.append(table([_t("platform", lang), "Token", _t("active", lang),
                           _t("registered", lang)],
                          [[d.platform, d.token, _t("yes" if d.active else "no", lang),
                            when(d.created_at)] for d in data.devices],
                          [0.2, 0.35, 0.15, 0.3]))

    flow.append(para(_t("consents", lang), h2))
    names = dict(data.actor_names)
    if data.consents:
        flow.append(table(
            [_t("time", lang), _t("consent", lang), _t("source", lang), _t("who", lang)],
            [[when(ch.created_at), _t("granted" if ch.granted else "withdrawn", lang),
              _pick(SOURCES, ch.source, lang),
              _t("customer", lang) if ch.actor == "customer" else names.get(ch.actor, ch.actor)]
             for ch in data.consents], [0.28, 0.2, 0.22, 0.3]))
    else:
        flow.append(para(_t("none", lang)))

    def footer(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 7.5)
        canvas.setFillColor(colors.grey)
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm,
                               _t("page", lang).format(n=doc.page))
        canvas.restoreState()

    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm,
                            topMargin=16 * mm, bottomMargin=18 * mm,
                            title=_t("title", lang), author=data.store_name or "Warungin",
                            creator="Warungin")
    doc.build(flow, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()


__all__ = ["TEXTS", "to_pdf"]

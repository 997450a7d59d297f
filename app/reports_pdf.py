"""Any report value rendered to PDF (reportlab, imported only when a PDF is asked for, so
the till's start-up never pays for it).

Same tables as the CSV/HTML exports (``services.reports.export``): titles, a header row,
figures formatted for people by ``services.formatting`` (``Rp 15.000``, ``0,75``,
``12,98 %``, payment methods in words), totals in bold; A4, landscape when a table
has many columns; long tables continue on the next page with the header repeated.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any

from services.reports import Report, Table, tables_of
from services.formatting import datetime_text
from services.reports.export import TOTAL_EN, TOTAL_ID, display_value

_NUMERIC = ("money", "qty", "int", "percent")  # right-aligned


def to_pdf(report: Report, title: str, lang: str = "id", note: str | None = None,
           shop_name: str | None = None, zone_name: str | None = None,
           made_at: datetime | None = None) -> bytes:
    """The report as a PDF document (bytes). Figures through ``services.formatting``; the
    time it was made on the store's clock (``zone_name``, the setting ``timezone``; default
    Asia/Jakarta) with WIB/WITA/WIT, never UTC."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        LongTable,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        TableStyle,
    )
    from xml.sax.saxutils import escape

    tables = tables_of(report)
    wide = max(len(t.columns) for t in tables) > 7
    size = landscape(A4) if wide else A4
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=size, leftMargin=12 * mm, rightMargin=12 * mm,
                            topMargin=12 * mm, bottomMargin=12 * mm, title=title,
                            author=shop_name or "Warungin", creator="Warungin")
    styles = getSampleStyleSheet()
    cell = styles["BodyText"].clone("cell", fontSize=8, leading=10)
    flow: list[Any] = [Paragraph(escape(title), styles["Title"])]
    made = datetime_text(made_at or datetime.now(UTC), zone_name, lang)
    sub = " · ".join(x for x in (shop_name, note, made) if x)
    flow.append(Paragraph(escape(sub), styles["Italic"]))

    def row_cells(table: Table, row: tuple[Any, ...], bold: bool) -> list[Any]:
        out_row: list[Any] = []
        for c, v in zip(table.columns, row, strict=True):
            text = escape(display_value(c, v, lang))
            if c.kind == "text" or c.kind == "date":
                out_row.append(Paragraph(f"<b>{text}</b>" if bold else text, cell))
            else:
                out_row.append(text)
        return out_row

    for table in tables:
        flow.append(Spacer(1, 5 * mm))
        flow.append(Paragraph(escape(table.title(lang)), styles["Heading2"]))
        data: list[list[Any]] = [[Paragraph(f"<b>{escape(c.title(lang))}</b>", cell)
                                  for c in table.columns]]
        data += [row_cells(table, r, False) for r in table.rows]
        if table.totals is not None:
            totals = list(table.totals)
            if totals and totals[0] is None:
                totals[0] = TOTAL_EN if lang == "en" else TOTAL_ID
            data.append(row_cells(table, tuple(totals), True))
        if len(data) == 1:
            data.append([Paragraph("—", cell)] + [""] * (len(table.columns) - 1))
        t = LongTable(data, repeatRows=1, hAlign="LEFT")
        style = [("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                 ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.92, 0.92, 0.92)),
                 ("FONTSIZE", (0, 0), (-1, -1), 8),
                 ("VALIGN", (0, 0), (-1, -1), "TOP")]
        for i, c in enumerate(table.columns):
            if c.kind in _NUMERIC:
                style.append(("ALIGN", (i, 1), (i, -1), "RIGHT"))
        if table.totals is not None:
            style += [("FONTNAME", (0, -1), (-1, -1), "Helvetica-Bold"),
                      ("LINEABOVE", (0, -1), (-1, -1), 1, colors.black)]
        t.setStyle(TableStyle(style))
        flow.append(t)
    doc.build(flow)
    return out.getvalue()

"""Any report value rendered to PDF (reportlab, imported only when a PDF is asked for, so
the till's start-up never pays for it).

Same tables as the CSV/HTML exports (``services.reports.export``), figures formatted for
people by ``services.formatting`` (``Rp 15.000``, ``0,75``, ``12,98 %``, payment methods
in words, the time it was made on the store's clock with WIB/WITA/WIT). What a person sees:

- on the first page the store's header (name, address, NPWP when the shop has one), then
  the report's title once (a table is not titled again when it is the report's subject),
  then what the report covers and when it was made;
- on every page a footer ``Halaman 2 dari 10`` / ``Page 2 of 10`` (with the store's name);
- columns as wide as what they hold (measured with the font): codes, units, dates and
  figures never wrap, names wrap only when the page is too narrow for them; A4 portrait
  unless a table needs the width of landscape;
- sales by hour: a bar chart of the hours the shop was open (first to last sale) beside a
  table of only the hours with sales — no rows of zeros (the CSV keeps all 24 hours);
- long tables continue on the next page with the header repeated; totals in bold;
- a report made of tables (``TableReport``: the books, tax, analytics) says when its figures
  are as of (central reads) and carries its notes under the title; revenue by day gets a
  line chart (net sales and its 7- and 28-day moving averages) above its table, and the
  hour-of-week heatmap a shaded grid (days down, hours across, darker = more sold); sales
  by day and the daily Z report a bar chart of each day's sales above their table.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from services import formatting as fmt
from services.reports import Report, Table, tables_of
from services.reports.export import TOTAL_EN, TOTAL_ID, display_value
from services.reports.values import Column, TableReport, Words

#: Table keys drawn as a chart above the table (services.analytics).
LINE_CHART_KEY = "revenue_day"
#: Tables by day drawn as a bar chart of one of their columns above the table: sales by
#: day (what was paid), the daily Z report (net sales).
DAY_BARS = {"sales_by_day": "sales", "z_days": "net"}
HEATMAP_KEY = "heatmap"
WEEKDAYS = {"id": ("Sen", "Sel", "Rab", "Kam", "Jum", "Sab", "Min"),
            "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")}
_WEEKDAY_NAMES = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


def revenue_series(table: Table) -> tuple[list[str], list[list[int]]]:
    """(day labels, [net, 7-day average, 28-day average]) of a revenue-by-day table."""
    keys = [c.key for c in table.columns]
    day, net, ma7, ma28 = (keys.index(k) for k in ("start", "net", "ma7", "ma28"))
    labels = [r[day].strftime("%d-%m") for r in table.rows]
    return labels, [[int(r[i]) for r in table.rows] for i in (net, ma7, ma28)]


def day_series(table: Table, key: str) -> tuple[list[str], list[int]]:
    """(day labels ``dd-mm``, amounts of column ``key``) of a table by day."""
    keys = [c.key for c in table.columns]
    day, amount = keys.index("day"), keys.index(key)
    return ([r[day].strftime("%d-%m") for r in table.rows],
            [int(r[amount] or 0) for r in table.rows])


def heat_grid(table: Table) -> list[list[int]]:
    """7 x 24 amounts (Monday first) of an hour-of-week table (rows: weekday name, hour,
    count, amount)."""
    grid = [[0] * 24 for _ in range(7)]
    for weekday, hour, _n, amount in table.rows:
        grid[_WEEKDAY_NAMES.index(str(weekday))][int(hour)] += int(amount)
    return grid

_NUMERIC = ("money", "qty", "int", "percent")  # right-aligned
_WRAPS = ("text",)  # names and labels wrap when the page is too narrow; nothing else does
FONT, BOLD, SIZE = "Helvetica", "Helvetica-Bold", 8
PAD = 4.0  # points left and right of a cell's text
MIN_TEXT = 80.0  # a wrapping column is never narrower than this (points), words allowing
MARGIN_MM = 12


def page_label(page: int, pages: int, lang: str = "id") -> str:
    """``Halaman 2 dari 10`` / ``Page 2 of 10``."""
    if lang == "en":
        return f"Page {fmt.number(page, lang)} of {fmt.number(pages, lang)}"
    return f"Halaman {fmt.number(page, lang)} dari {fmt.number(pages, lang)}"


def _hours_table(table: Table, lang: str, zone_name: str | None) -> Table:
    """The dashboard's sales by hour with only the hours that had sales, each written as
    the hour it covers (``06:00–07:00``) and the zone in the column title (``Jam (WIB)``)."""
    zone = fmt.zone_label(zone_name)
    hour = Column("hour", f"Jam ({zone})", f"Hour ({zone})")
    rows = tuple((f"{h:02d}:00–{(h + 1) % 24:02d}:00", n, a)
                 for h, n, a in table.rows if n or a)
    return Table(table.key, table.title_id, table.title_en, (hour, *table.columns[1:]),
                 rows, table.totals)


def _open_hours(table: Table) -> list[tuple[int, int]]:
    """(hour, amount) from the first to the last hour with sales."""
    busy = [h for h, n, a in table.rows if n or a]
    if not busy:
        return []
    amounts = {h: a for h, _n, a in table.rows}
    return [(h, int(amounts.get(h, 0))) for h in range(min(busy), max(busy) + 1)]


def _cells(table: Table, lang: str) -> list[list[str]]:
    """Every row as the texts a person reads (totals last, ``TOTAL`` in its first cell)."""
    rows = [[display_value(c, v, lang) for c, v in zip(table.columns, r, strict=True)]
            for r in table.rows]
    if table.totals is not None:
        totals = [display_value(c, v, lang)
                  for c, v in zip(table.columns, table.totals, strict=True)]
        if totals and not totals[0]:
            totals[0] = TOTAL_EN if lang == "en" else TOTAL_ID
        rows.append(totals)
    return rows


def _width(text: str, bold: bool = False) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth
    return float(stringWidth(text, BOLD if bold else FONT, SIZE))


def _longest_word(text: str, bold: bool = False) -> float:
    return max((_width(w, bold) for w in text.split()), default=0.0)


def _measure(table: Table, cells: Sequence[Sequence[str]], lang: str
             ) -> tuple[list[float], list[float], list[float]]:
    """Per column, in points (padding included): ``natural`` (nothing wraps), ``snug``
    (only the column titles wrap, at spaces) and ``least`` (titles wrap and names wrap down
    to :data:`MIN_TEXT`, or their longest word); codes, units, dates and figures never
    wrap."""
    has_totals = table.totals is not None
    extra = 2 * PAD + 1  # the padding, and a point for the rounding of reportlab's wrap
    natural, snug, least = [], [], []
    for i, c in enumerate(table.columns):
        title = c.title(lang)
        body = [(_width(r[i], has_totals and k == len(cells) - 1), r[i])
                for k, r in enumerate(cells)]
        widest = max((w for w, _ in body), default=0.0)
        title_word = _longest_word(title, True)
        natural.append(max(widest, _width(title, True)) + extra)
        snug.append(max(widest, title_word) + extra)
        floor = widest
        if c.kind in _WRAPS:
            words = max((_longest_word(t) for _, t in body), default=0.0)
            floor = max(words, min(widest, MIN_TEXT))
        least.append(max(floor, title_word) + extra)
    return natural, snug, least


def column_widths(table: Table, cells: Sequence[Sequence[str]], lang: str, avail: float
                  ) -> tuple[list[float], bool]:
    """Each column's width in points and whether the table fits ``avail``. Every column
    first gets the least it needs (:func:`_measure`); the space left goes to the columns
    that would still wrap, names before titles, in proportion to what they lack."""
    natural, snug, least = _measure(table, cells, lang)
    if sum(natural) <= avail:
        return natural, True
    if sum(least) > avail:
        return least, False
    low, high = (least, snug) if sum(snug) > avail else (snug, natural)
    lack = [h - m for h, m in zip(high, low, strict=True)]
    share = (avail - sum(low)) / sum(lack) if sum(lack) else 0.0
    return [m + d * share for m, d in zip(low, lack, strict=True)], True


def needs_landscape(tables: Sequence[Table], cells: Sequence[Sequence[Sequence[str]]],
                    lang: str, portrait_width: float) -> bool:
    """Whether some table cannot show its names unwrapped on a portrait page (its titles
    may wrap)."""
    return any(sum(_measure(t, c, lang)[1]) > portrait_width
               for t, c in zip(tables, cells, strict=True))


def to_pdf(report: Report, title: str, lang: str = "id", note: str | None = None,
           shop_name: str | None = None, zone_name: str | None = None,
           made_at: datetime | None = None, *, address: str | None = None,
           npwp: str | None = None, where: str | None = None) -> bytes:
    """The report as a PDF document (bytes).

    ``title``: the report's name and period (printed once); ``shop_name``, ``address``,
    ``npwp``: the store's header (``services.store_settings``; empty parts are left out);
    ``where``: what part of the shop it covers (``Terminal T01``, a central tenant or
    store); ``note``: a remark under the title. The time it was made is written on the
    store's clock (``zone_name``, the setting ``timezone``; default Asia/Jakarta) with
    WIB/WITA/WIT, never UTC."""
    from xml.sax.saxutils import escape

    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import (
        CondPageBreak,
        KeepTogether,
        LongTable,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        TableStyle,
    )
    from reportlab.platypus import Table as RlTable

    margin = MARGIN_MM * mm
    tables = list(tables_of(report))
    hours_at = next((i for i, t in enumerate(tables) if t.key == "by_hour"), None)
    open_hours: list[tuple[int, int]] = []
    if hours_at is not None:
        open_hours = _open_hours(tables[hours_at])
        tables[hours_at] = _hours_table(tables[hours_at], lang, zone_name)
    # A table without rows says so (below), without a TOTAL of nothing.
    tables = [t if t.rows or t.totals is None else
              Table(t.key, t.title_id, t.title_en, t.columns, t.rows) for t in tables]
    cells = [_cells(t, lang) for t in tables]

    # Portrait unless a table needs landscape's width to show its names unwrapped.
    size = landscape(A4) if needs_landscape(tables, cells, lang, A4[0] - 2 * margin) else A4
    avail = size[0] - 2 * margin

    made = fmt.datetime_text(made_at or datetime.now(UTC), zone_name, lang)
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=size, leftMargin=margin, rightMargin=margin,
                            topMargin=margin, bottomMargin=margin + 4 * mm, title=title,
                            author=shop_name or "Warungin", creator="Warungin")
    styles = getSampleStyleSheet()
    cell = styles["BodyText"].clone("cell", fontName=FONT, fontSize=SIZE, leading=SIZE + 2)
    head = cell.clone("head", fontName=BOLD)
    head_right = head.clone("headRight", alignment=TA_RIGHT)
    store_style = styles["Normal"].clone("store", fontName=BOLD, fontSize=12, leading=15)
    small = styles["Normal"].clone("small", fontSize=9, leading=11, textColor=colors.grey)
    title_style = styles["Title"].clone("reportTitle", fontSize=16, leading=20,
                                        alignment=0, spaceBefore=6, spaceAfter=2)

    flow: list[Any] = []
    if shop_name:
        flow.append(Paragraph(escape(shop_name), store_style))
    if address:
        flow.append(Paragraph(escape(address).replace("\n", "<br/>"), small))
    if npwp:
        flow.append(Paragraph(escape(f"NPWP {npwp}"), small))
    flow.append(Paragraph(escape(title), title_style))
    made_word = "Made" if lang == "en" else "Dibuat"
    as_of = None
    if isinstance(report, TableReport) and report.as_of:
        # A statement as of a day (the balance sheet: ``2026-10-31``) says the day; a
        # central read says the moment, on the store's clock.
        as_of = ("Figures as of " if lang == "en" else "Angka per ") + (
            fmt.date_text(date.fromisoformat(report.as_of), lang) if len(report.as_of) == 10
            else fmt.datetime_text(datetime.fromisoformat(report.as_of), zone_name, lang))
    sub = " · ".join(x for x in (where, note, as_of, f"{made_word} {made}") if x)
    flow.append(Paragraph(escape(sub), small))
    if isinstance(report, TableReport):
        for line in report.notes:
            text = line.text(lang) if isinstance(line, Words) else line
            flow.append(Paragraph(escape(text), small))

    def rl_table(table: Table, texts: list[list[str]], width: float) -> Any:
        widths, _ = column_widths(table, texts, lang, width)
        last = len(texts) - 1
        data: list[list[Any]] = [[
            Paragraph(escape(c.title(lang)), head_right if c.kind in _NUMERIC else head)
            for c in table.columns]]
        for k, row in enumerate(texts):
            bold = table.totals is not None and k == last
            data.append([Paragraph(f"<b>{escape(v)}</b>" if bold else escape(v), cell)
                         if c.kind in _WRAPS else v
                         for c, v in zip(table.columns, row, strict=True)])
        t = LongTable(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
        style = [("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                 ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.92, 0.92, 0.92)),
                 ("FONTNAME", (0, 0), (-1, -1), FONT),
                 ("FONTSIZE", (0, 0), (-1, -1), SIZE),
                 ("LEFTPADDING", (0, 0), (-1, -1), PAD),
                 ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
                 ("TOPPADDING", (0, 0), (-1, -1), 2),
                 ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                 ("VALIGN", (0, 0), (-1, -1), "TOP")]
        for i, c in enumerate(table.columns):
            if c.kind in _NUMERIC:
                style.append(("ALIGN", (i, 1), (i, -1), "RIGHT"))
        if table.totals is not None and texts:
            style += [("FONTNAME", (0, -1), (-1, -1), BOLD),
                      ("LINEABOVE", (0, -1), (-1, -1), 1, colors.black)]
        t.setStyle(TableStyle(style))
        return t

    def hours_chart(width: float) -> Any:
        height = 150.0
        d = Drawing(width, height)
        chart = VerticalBarChart()
        chart.x, chart.y = 58, 22
        chart.width, chart.height = width - 66, height - 34
        chart.data = [[a for _h, a in open_hours]]
        chart.categoryAxis.categoryNames = [f"{h:02d}" for h, _a in open_hours]
        chart.categoryAxis.labels.fontName = FONT
        chart.categoryAxis.labels.fontSize = 7
        chart.valueAxis.valueMin = 0
        chart.valueAxis.labels.fontName = FONT
        chart.valueAxis.labels.fontSize = 7
        chart.valueAxis.labelTextFormat = lambda v: fmt.money(int(v), lang)
        chart.bars[0].fillColor = colors.Color(0.18, 0.45, 0.7)
        chart.bars[0].strokeColor = None
        d.add(chart)
        return d

    def line_chart(table: Table, width: float) -> Any:
        from reportlab.graphics.charts.legends import Legend
        from reportlab.graphics.charts.linecharts import HorizontalLineChart
        labels, series = revenue_series(table)
        height = 190.0
        d = Drawing(width, height)
        chart = HorizontalLineChart()
        chart.x, chart.y = 62, 34
        chart.width, chart.height = width - 72, height - 60
        chart.data = series
        step = max(1, len(labels) // 12)  # about a dozen dates under the axis
        chart.categoryAxis.categoryNames = [x if i % step == 0 else ""
                                            for i, x in enumerate(labels)]
        chart.categoryAxis.labels.fontName = FONT
        chart.categoryAxis.labels.fontSize = 6.5
        chart.categoryAxis.labels.angle = 0
        chart.valueAxis.valueMin = min(0, *(min(x) for x in series if x))
        chart.valueAxis.labels.fontName = FONT
        chart.valueAxis.labels.fontSize = 7
        chart.valueAxis.labelTextFormat = lambda v: fmt.money(int(v), lang)
        shades = (colors.Color(0.75, 0.82, 0.9), colors.Color(0.18, 0.45, 0.7),
                  colors.Color(0.85, 0.4, 0.1))
        for k, shade in enumerate(shades):
            chart.lines[k].strokeColor = shade
            chart.lines[k].strokeWidth = 1 if k == 0 else 1.8
        d.add(chart)
        names = (("Net", "7-day average", "28-day average") if lang == "en"
                 else ("Bersih", "Rata-rata 7 hari", "Rata-rata 28 hari"))
        legend = Legend()
        legend.x, legend.y = 62, height - 8
        legend.fontName, legend.fontSize = FONT, 7
        legend.alignment = "right"
        legend.columnMaximum = 1
        legend.colorNamePairs = list(zip(shades, names, strict=True))
        d.add(legend)
        return d

    def day_bars(table: Table, key: str, width: float) -> Any:
        labels, amounts = day_series(table, key)
        height = 150.0
        d = Drawing(width, height)
        chart = VerticalBarChart()
        chart.x, chart.y = 62, 22
        chart.width, chart.height = width - 72, height - 34
        chart.data = [amounts]
        step = max(1, len(labels) // 12)  # about a dozen dates under the axis
        chart.categoryAxis.categoryNames = [x if i % step == 0 else ""
                                            for i, x in enumerate(labels)]
        chart.categoryAxis.labels.fontName = FONT
        chart.categoryAxis.labels.fontSize = 6.5
        chart.valueAxis.valueMin = min(0, *amounts)
        chart.valueAxis.labels.fontName = FONT
        chart.valueAxis.labels.fontSize = 7
        chart.valueAxis.labelTextFormat = lambda v: fmt.money(int(v), lang)
        chart.bars[0].fillColor = colors.Color(0.18, 0.45, 0.7)
        chart.bars[0].strokeColor = None
        d.add(chart)
        return d

    def heatmap(table: Table, width: float) -> Any:
        from reportlab.graphics.shapes import Rect, String
        grid = heat_grid(table)
        top = max((v for row in grid for v in row), default=0)
        label_w, cell_h = 28.0, 14.0
        cell_w = min(18.0, (width - label_w) / 24)
        height = cell_h * 7 + 16
        d = Drawing(label_w + cell_w * 24, height)
        for day in range(7):
            y = height - 16 - (day + 1) * cell_h
            d.add(String(0, y + 4, WEEKDAYS["en" if lang == "en" else "id"][day],
                         fontName=FONT, fontSize=7))
            for hour in range(24):
                share = grid[day][hour] / top if top else 0.0
                shade = colors.Color(1 - 0.82 * share, 1 - 0.55 * share, 1 - 0.3 * share)
                d.add(Rect(label_w + hour * cell_w, y, cell_w, cell_h, fillColor=shade,
                           strokeColor=colors.Color(0.85, 0.85, 0.85), strokeWidth=0.25))
        for hour in range(0, 24, 2):
            d.add(String(label_w + hour * cell_w + 1, height - 12, f"{hour:02d}",
                         fontName=FONT, fontSize=6.5))
        return d

    for i, (table, texts) in enumerate(zip(tables, cells, strict=True)):
        heading = None
        if i > 0:  # the first table is what the title names: not titled again
            # A table's title never ends a page without rows of its table under it (a
            # long table still starts on the page it is titled on).
            flow.append(CondPageBreak(30 * mm))
            heading = Paragraph(escape(table.title(lang)), styles["Heading3"])
        else:
            flow.append(Spacer(1, 4 * mm))
        if table.key == "by_hour" and open_hours:
            grid = rl_table(table, texts, avail)
            grid_w = sum(column_widths(table, texts, lang, avail)[0])
            chart_w = min(avail - grid_w - 8 * mm, 120 * mm)
            if chart_w >= 60 * mm:
                pair = RlTable([[grid, hours_chart(chart_w)]],
                               colWidths=[grid_w + 8 * mm, chart_w], hAlign="LEFT")
                pair.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                          ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                          ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
                flow.append(KeepTogether([heading, pair]) if heading else pair)
                continue
            flow += [x for x in (heading, hours_chart(min(avail, 140 * mm)), grid) if x]
            continue
        if heading is not None:
            flow.append(heading)
        if table.key == LINE_CHART_KEY and len(table.rows) > 1:
            flow += [line_chart(table, min(avail, 180 * mm)), Spacer(1, 3 * mm)]
        elif table.key == HEATMAP_KEY and table.rows:
            flow += [heatmap(table, min(avail, 180 * mm)), Spacer(1, 3 * mm)]
        elif table.key in DAY_BARS and len(table.rows) > 1:
            flow += [day_bars(table, DAY_BARS[table.key], min(avail, 180 * mm)),
                     Spacer(1, 3 * mm)]
        if not texts:  # a sentence, not a grid of empty cells
            flow.append(Paragraph("No data." if lang == "en" else "Tidak ada data.", small))
            continue
        flow.append(rl_table(table, texts, avail))

    footer_left = " · ".join(x for x in (shop_name, made) if x)

    class NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab has no stubs
        """Holds every page until the end, then writes ``Halaman n dari N`` on each."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, 1):
                self.__dict__.update(state)
                self.setFont(FONT, 7.5)
                self.setFillColor(colors.grey)
                y = margin - 2 * mm
                if footer_left:
                    self.drawString(margin, y, footer_left)
                self.drawRightString(size[0] - margin, y, page_label(number, total, lang))
                super().showPage()
            super().save()

    doc.build(flow, canvasmaker=NumberedCanvas)
    return out.getvalue()

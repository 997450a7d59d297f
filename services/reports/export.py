"""Any report value rendered to CSV, HTML or plain data (pure: no I/O).

- CSV keeps machine values so a spreadsheet can sum them: money as whole rupiah, quantities
  as decimals with a point (``0.75``), percentages as ``12.34``, dates ``YYYY-MM-DD``, flags
  ``1``/``0``. Text cells that a spreadsheet would run as a formula (``=``, ``+``, ``-``,
  ``@``, tab, CR first) get a leading ``'`` (services.csv_cells); numbers never do. A
  report with several tables (the dashboard) writes each as a block: its title on one
  row, the header, the rows, a ``TOTAL`` row when it has totals, a blank row.
- HTML (and the PDF, ``app.reports_pdf``) is for people: every figure through
  ``services.formatting`` (``Rp 15.000``, ``0,75``, ``12,98 %``, methods in words, dates
  ``07-12-2026``, the time it was made on the store's clock with WIB/WITA/WIT), every text
  escaped (product and customer names come from people).
- ``to_data`` gives JSON-ready dicts (the CLI's ``--format json``).
"""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Sequence
from dataclasses import asdict, fields, is_dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from services import formatting as fmt
from services.csv_cells import escape_cell
from services.money import milli_to_decimal
from services.reports.tables import tables_of
from services.reports.values import Column, Report, Table, TableReport, Words

TOTAL_ID, TOTAL_EN = "TOTAL", "TOTAL"
_NOTE = Column("note", "Catatan", "Note")
_NUMERIC = ("money", "qty", "int", "percent")


def _qty(milli: int) -> str:
    value = milli_to_decimal(milli).normalize()
    return format(value, "f") if value == value.to_integral() else str(value)


def machine_value(column: Column, value: Any, lang: str = "id") -> str:
    """A cell as CSV text (see the module's conventions); a :class:`Words` cell in
    ``lang``."""
    if value is None:
        return ""
    if isinstance(value, Words):
        return escape_cell(value.text(lang))
    if isinstance(value, bool):
        return "1" if value else "0"
    if column.kind == "qty" and isinstance(value, int):
        return _qty(value)
    if column.kind == "percent" and isinstance(value, int):
        return str((Decimal(value) / 100).quantize(Decimal("0.01")))
    if isinstance(value, date):
        return value.isoformat()
    if column.kind in _NUMERIC and isinstance(value, (int, Decimal)):
        return str(value)  # a number, even a negative one: never escaped
    return escape_cell(str(value))  # text from people: never a formula (services.csv_cells)


def display_value(column: Column, value: Any, lang: str = "id") -> str:
    """A cell as a person reads it, through ``services.formatting`` (``Rp 15.000``,
    ``0,75``, ``12,98 %``, ``Tunai``, ``ya``, ``07-12-2026``; English in English)."""
    if value is None:
        return ""
    if isinstance(value, Words):
        return value.text(lang)
    if isinstance(value, bool):
        yes, no = ("ya", "") if lang != "en" else ("yes", "")
        return yes if value else no
    if column.kind == "money" and isinstance(value, int):
        return fmt.money(value, lang)
    if column.kind == "qty" and isinstance(value, int):
        return fmt.quantity(value, None, lang)
    if column.kind == "percent" and isinstance(value, int):
        return fmt.percent(value, lang)
    if column.kind == "int" and isinstance(value, int):
        return fmt.number(value, lang)
    if column.kind == "method" and isinstance(value, str):
        return fmt.payment_method(value, lang)
    if isinstance(value, date):
        return fmt.date_text(value, lang)
    return str(value)


def _write_table(w: Any, table: Table, lang: str, with_title: bool) -> None:
    if with_title:
        w.writerow([escape_cell(table.title(lang))])
    w.writerow([escape_cell(c.title(lang)) for c in table.columns])
    for row in table.rows:
        w.writerow([machine_value(c, v, lang)
                    for c, v in zip(table.columns, row, strict=True)])
    if table.totals is not None:
        cells = [machine_value(c, v, lang)
                 for c, v in zip(table.columns, table.totals, strict=True)]
        if cells and not cells[0]:
            cells[0] = TOTAL_EN if lang == "en" else TOTAL_ID
        w.writerow(cells)


def to_csv(report: Report, lang: str = "id") -> str:
    """The report as CSV text (one header row per table)."""
    return tables_to_csv(tables_of(report), lang)


def tables_to_csv(tables: Sequence[Table], lang: str = "id") -> str:
    """Titled tables as CSV text: one table plain, several as titled blocks."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    if len(tables) == 1:
        _write_table(w, tables[0], lang, with_title=False)
    else:
        for i, table in enumerate(tables):
            if i:
                w.writerow([])
            _write_table(w, table, lang, with_title=True)
    return out.getvalue()


_CSS = """
body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 24px; color: #222; }
h1 { font-size: 20px; } h2 { font-size: 16px; margin-top: 24px; }
table { border-collapse: collapse; margin-top: 8px; }
th, td { border: 1px solid #bbb; padding: 4px 8px; }
th { background: #eee; text-align: left; }
td.num { text-align: right; white-space: nowrap; }
tr.total td { font-weight: bold; border-top: 2px solid #444; }
p.note { color: #555; font-size: 12px; }
"""


def _html_table(table: Table, lang: str) -> str:
    esc = html.escape
    head = "".join(f"<th>{esc(c.title(lang))}</th>" for c in table.columns)
    body = []

    def cells(row: tuple[Any, ...]) -> str:
        out = []
        for c, v in zip(table.columns, row, strict=True):
            cls = ' class="num"' if c.kind in _NUMERIC else ""
            out.append(f"<td{cls}>{esc(display_value(c, v, lang))}</td>")
        return "".join(out)

    for row in table.rows:
        body.append(f"<tr>{cells(row)}</tr>")
    if table.totals is not None:
        total_cells = cells(table.totals)
        label = TOTAL_EN if lang == "en" else TOTAL_ID
        if table.totals and table.totals[0] is None:
            total_cells = total_cells.replace("<td></td>", f"<td>{label}</td>", 1)
        body.append(f'<tr class="total">{total_cells}</tr>')
    return (f"<h2>{esc(table.title(lang))}</h2>\n<table>\n<thead><tr>{head}</tr></thead>\n"
            f"<tbody>\n" + "\n".join(body) + "\n</tbody>\n</table>")


def to_html(report: Report, title: str, lang: str = "id", note: str | None = None) -> str:
    """A standalone HTML page: ``title`` on top, then every table of the report."""
    esc = html.escape
    parts = [f"<!DOCTYPE html>\n<html lang=\"{'en' if lang == 'en' else 'id'}\">\n<head>\n"
             f"<meta charset=\"utf-8\">\n<title>{esc(title)}</title>\n"
             f"<style>{_CSS}</style>\n</head>\n<body>\n<h1>{esc(title)}</h1>"]
    if note:
        parts.append(f'<p class="note">{esc(note)}</p>')
    if isinstance(report, TableReport):  # what the figures cannot show (central's limits)
        parts += [f'<p class="note">{esc(display_value(_NOTE, line, lang))}</p>'
                  for line in report.notes]
    parts += [_html_table(t, lang) for t in tables_of(report)]
    parts.append("</body>\n</html>\n")
    return "\n".join(parts)


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def to_data(report: Report) -> dict[str, Any]:
    """The report as JSON-ready data (dates as ``YYYY-MM-DD``)."""
    assert is_dataclass(report)
    return {f.name: _plain(asdict(report)[f.name]) for f in fields(report)}

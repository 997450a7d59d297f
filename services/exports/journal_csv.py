"""The journal as a generic double-entry CSV, for any accounting program or spreadsheet.

Layout: UTF-8, comma-separated, CRLF line ends, one header row, then one row per journal line;
the lines of an entry are consecutive and every entry balances (its debits equal its
credits)::

    date,entry_number,account_code,account_name,debit,credit,memo,source_document
    2026-11-03,0193f1c2-...,1-1100,Kas laci (cash drawer),15000,0,DEMO-T01-000001,sale DEMO-T01-000001
    2026-11-03,0193f1c2-...,4-1000,Penjualan (sales revenue),0,13514,DEMO-T01-000001,sale DEMO-T01-000001

- ``date``: the store-local day the entry was posted, ``YYYY-MM-DD`` (setting ``timezone``).
- ``entry_number``: the journal entry's id (a UUIDv7: unique across tills, stable between
  exports, and in creation order when sorted).
- ``account_code`` / ``account_name``: the chart of accounts (``account`` table).
- ``debit`` / ``credit``: whole rupiah, digits only (no separators, no currency); one of the
  two is 0.
- ``memo``: the entry's memo (receipt number, supplier, reason...).
- ``source_document``: the entry's kind and the document it books: ``sale <receipt no>``,
  ``refund <refund no>``, ``goods.received <supplier's document no>``, otherwise
  ``<kind> <id of the business row>``.

Text cells that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@`` first) get a
leading ``'`` (``services.csv_cells``); :func:`read_journal_csv` takes it off again.

The period: entries whose posting time falls in ``[start, end)`` of the store-local dates —
the same entries a trial balance of the period sums, so the totals per account of an export
equal the period's trial balance (tested by reading the file back).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Connection, and_, select

from local_db.models import Account, GoodsReceipt, JournalEntry, JournalLine, Refund, Sale
from services.csv_cells import escape_cell, unescape_cell
from services.errors import BadInput
from services.exports import ExportFile
from services.reports.source import local_source, zone
from services.reports.values import Period

HEADER = ("date", "entry_number", "account_code", "account_name", "debit", "credit", "memo",
          "source_document")


@dataclass(frozen=True, slots=True)
class JournalRow:
    day: date
    entry_number: str
    account_code: str
    account_name: str
    debit: int
    credit: int
    memo: str
    source_document: str


def journal_rows(conn: Connection, period: Period) -> tuple[JournalRow, ...]:
    """The journal lines of the entries posted in ``period`` (the till's books)."""
    src = local_source(conn)
    tz = zone(src.timezone)
    e, ln, a = JournalEntry.__table__, JournalLine.__table__, Account.__table__
    s, r, g = Sale.__table__, Refund.__table__, GoodsReceipt.__table__
    q = (select(e.c.id, e.c.created_at, e.c.kind, e.c.ref_id, e.c.memo, ln.c.account_code,
                a.c.name, ln.c.debit, ln.c.credit, s.c.receipt_no, r.c.refund_no,
                g.c.document_no)
         .select_from(e.join(ln, ln.c.entry_id == e.c.id)
                      .outerjoin(a, a.c.code == ln.c.account_code)
                      .outerjoin(s, and_(e.c.kind == "sale", s.c.id == e.c.ref_id))
                      .outerjoin(r, and_(e.c.kind == "refund", r.c.id == e.c.ref_id))
                      .outerjoin(g, and_(e.c.kind == "goods.received", g.c.id == e.c.ref_id)))
         .where(src.in_range(e.c.created_at, period.start, period.end))
         .order_by(e.c.created_at, e.c.id, ln.c.id))
    out = []
    for (eid, at, kind, ref, memo, code, name, debit, credit, receipt, refund_no,
         doc) in conn.execute(q):
        number = receipt or refund_no or doc or (str(ref) if ref else "")
        out.append(JournalRow(
            day=datetime.fromisoformat(str(at)).astimezone(tz).date(), entry_number=str(eid),
            account_code=str(code), account_name=str(name or code), debit=int(debit),
            credit=int(credit), memo=str(memo or ""),
            source_document=f"{kind} {number}".strip()))
    return tuple(out)


def to_journal_csv(rows: Iterable[JournalRow]) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(HEADER)
    for r in rows:
        w.writerow([r.day.isoformat(), escape_cell(r.entry_number), escape_cell(r.account_code),
                    escape_cell(r.account_name), str(r.debit), str(r.credit),
                    escape_cell(r.memo), escape_cell(r.source_document)])
    return out.getvalue()


def _amount(text: str, field: str) -> int:
    if not (text.isascii() and text.isdigit()):
        raise BadInput(f"'{text[:20]}' is not a whole rupiah amount", field=field)
    return int(text)


def read_journal_csv(text: str) -> tuple[JournalRow, ...]:
    """Read an export back. Refuses (BadInput naming row and column) a wrong header, an
    amount that is not whole rupiah, a line with both or neither side, an unbalanced
    entry."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None or tuple(header) != HEADER:
        raise BadInput(f"the header must be {','.join(HEADER)}", field="header")
    rows: list[JournalRow] = []
    balance: dict[str, int] = {}
    for n, cells in enumerate(reader, start=2):
        if not cells:
            continue
        if len(cells) != len(HEADER):
            raise BadInput(f"has {len(cells)} cells, not {len(HEADER)}", field=f"row {n}")
        try:
            day = date.fromisoformat(cells[0])
        except ValueError:
            raise BadInput("the date is YYYY-MM-DD", field=f"row {n} date") from None
        debit = _amount(cells[4], f"row {n} debit")
        credit = _amount(cells[5], f"row {n} credit")
        if (debit == 0) == (credit == 0):
            raise BadInput("a line has a debit or a credit, not both or neither",
                           field=f"row {n} debit")
        entry = unescape_cell(cells[1])
        balance[entry] = balance.get(entry, 0) + debit - credit
        rows.append(JournalRow(day, entry, unescape_cell(cells[2]), unescape_cell(cells[3]),
                               debit, credit, unescape_cell(cells[6]), unescape_cell(cells[7])))
    for entry, diff in balance.items():
        if diff:
            raise BadInput(f"entry {entry} does not balance (debit - credit = {diff})",
                           field="entry_number")
    return tuple(rows)


def totals_by_account(rows: Iterable[JournalRow]) -> dict[str, int]:
    """Debit minus credit per account code (a trial balance of the rows)."""
    out: dict[str, int] = {}
    for r in rows:
        out[r.account_code] = out.get(r.account_code, 0) + r.debit - r.credit
    return out


def journal_export_file(conn: Connection, period: Period) -> ExportFile:
    rows = journal_rows(conn, period)
    body = to_journal_csv(rows).encode("utf-8")
    debit = sum(r.debit for r in rows)
    credit = sum(r.credit for r in rows)
    return ExportFile(
        kind="journal", period=period, body=body, media_type="text/csv",
        suggested_name=f"jurnal-umum-{period.start.isoformat()}-{period.last.isoformat()}.csv",
        rows=len(rows),
        totals={"entries": len({r.entry_number for r in rows}), "debit": debit,
                "credit": credit})


__all__ = ["HEADER", "JournalRow", "journal_export_file", "journal_rows", "read_journal_csv",
           "to_journal_csv", "totals_by_account"]

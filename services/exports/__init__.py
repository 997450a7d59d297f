"""Exports for the tax office and for accounting software (owner only).

- :mod:`services.exports.coretax` — the month's retail sales "digunggung", in Coretax's
  ``RetailInvoiceBulk`` XML (PKP shops only);
- :mod:`services.exports.jurnal_id` — sales invoices in Jurnal.id's import CSV layout;
- :mod:`services.exports.journal_csv` — the journal as a generic double-entry CSV, with a
  reader (round trips are tested).

:func:`run_export` makes one by kind over a period (Coretax: exactly one calendar month) and
returns an :class:`ExportFile` (the bytes and what they hold); :func:`export_for` does the
same for an owner and refuses anyone else — the CLI (``warungin export``) and the screens
call it, so who may is decided here once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import Connection

from services.errors import BadInput
from services.reports.source import ReportSource
from services.reports.values import Period
from services.users import Actor, require

KINDS = ("jurnal", "journal", "coretax")
READER_ROLE = "owner"


@dataclass(frozen=True, slots=True)
class ExportFile:
    kind: str  # jurnal | journal | coretax
    period: Period
    body: bytes
    media_type: str  # text/csv | application/xml
    suggested_name: str
    rows: int  # data rows (CSV) or retail rows (XML)
    totals: Mapping[str, int | str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()


def run_export(conn: Connection, kind: str, period: Period, *,
               source: ReportSource | None = None) -> ExportFile:
    """One export by kind over ``period`` (store-local dates ``[start, end)``)."""
    if kind == "jurnal":
        from services.exports.jurnal_id import jurnal_export_file
        return jurnal_export_file(conn, period, source=source)
    if kind == "journal":
        from services.exports.journal_csv import journal_export_file
        return journal_export_file(conn, period)
    if kind == "coretax":
        from services.exports.coretax import coretax_export_file
        return coretax_export_file(conn, period, source=source)
    raise BadInput(f"an export is one of {', '.join(KINDS)}", field="kind")


def export_for(conn: Connection, actor: Actor, kind: str, period: Period, *,
               source: ReportSource | None = None) -> ExportFile:
    """:func:`run_export` for an owner (the books and tax are the owner's)."""
    require(actor, READER_ROLE, "exports")
    return run_export(conn, kind, period, source=source)


__all__ = ["KINDS", "ExportFile", "export_for", "run_export"]

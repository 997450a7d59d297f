"""The files the back office reads and writes: a catalogue CSV the person picked, and a
report exported to CSV, HTML or PDF (written aside, then renamed: never half a file)."""

from __future__ import annotations

from pathlib import Path

from services.errors import BadInput
from services.formatting import date_text
from services.reports import Period, Report
from services.reports.catalogue import spec_of
from services.reports import export as reports_export
from services.store_settings import StoreSettings
from ui.backend_office import EXPORT_FORMATS

MAX_CSV_BYTES = 20 * 1024 * 1024


def read_csv_file(path: str) -> bytes:
    file = Path(path)
    try:
        if file.stat().st_size > MAX_CSV_BYTES:
            raise BadInput("the file is larger than 20 MB", field="file")
        return file.read_bytes()
    except OSError as exc:
        raise BadInput(f"the file cannot be read ({exc.strerror})", field="file") from None


def check_export(fmt: str, path: str) -> None:
    """Before the report runs: a format the screen offers and a file to write."""
    if fmt not in EXPORT_FORMATS:
        raise BadInput(f"format must be one of {', '.join(EXPORT_FORMATS)}", field="format")
    if not path:
        raise BadInput("choose a file to write", field="file")


def write_report(report: Report, key: str, period: Period, fmt: str, path: str, lang: str,
                 store: StoreSettings, zone_name: str | None = None) -> str:
    """The report as ``fmt`` in ``path``; returns the path written. ``store``: the PDF's
    header (name, address, NPWP); ``zone_name``: the store's time zone, for the time the
    PDF says it was made (WIB/WITA/WIT)."""
    spec = spec_of(key)  # any report of the catalogue, not only the five built in
    title = spec.title(lang)
    note = None
    if spec.takes_period:
        note = date_text(period.start, lang) if spec.single_day else period.label()
    if fmt == "csv":
        data = reports_export.to_csv(report, lang).encode("utf-8-sig")  # Excel reads it
    elif fmt == "html":
        data = reports_export.to_html(report, title, lang, note).encode("utf-8")
    else:
        from app.reports_pdf import to_pdf  # reportlab loads only when a PDF is asked for
        data = to_pdf(report, title, lang, note, shop_name=store.store_name,
                      zone_name=zone_name, address=store.address, npwp=store.npwp)
    target = Path(path)
    tmp = target.with_name(target.name + ".part")
    try:
        tmp.write_bytes(data)
        tmp.replace(target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise BadInput(f"the file cannot be written ({exc.strerror})", field="file") from None
    return str(target)

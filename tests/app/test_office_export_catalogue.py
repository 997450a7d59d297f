"""The Reports screen's export (app/desktop/office.py -> office_files.write_report) takes
every report of the catalogue, not only the five built in: the daily Z, a statement, sync
health and stock value by category, as CSV and PDF with their titles."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from pypdf import PdfReader

from app.gui import GuiBackend
from app.shop import Shop


def test_catalogue_reports_export_from_the_reports_screen(shop: Shop, tmp_path: Path) -> None:
    backend = GuiBackend(shop)
    backend.core.login("Wati", "9999")
    today = backend.books.today()
    end = today + timedelta(days=1)
    for key, title in (("z-report", "Laporan harian (Z)"), ("pnl", "Laba rugi"),
                       ("sync-health", "Kesehatan sinkronisasi"),
                       ("stock-value", "Nilai stok per kategori")):
        pdf = backend.office.export_report(key, today, end, "pdf", str(tmp_path / f"{key}.pdf"))
        text = "\n".join(p.extract_text() for p in PdfReader(pdf).pages)
        assert title in text, key
        csv_path = backend.office.export_report(key, today, end, "csv",
                                                str(tmp_path / f"{key}.csv"))
        assert Path(csv_path).read_bytes().startswith(b"\xef\xbb\xbf")  # Excel's BOM

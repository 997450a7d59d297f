"""Receipts out of the till: printed on the shop's ESC/POS printer, or saved as a PDF.

The sale is committed before anything prints (ARCHITECTURE.md, the local write path), so a
printer that is off, unplugged or out of reach is an environment fault the cashier is told
about: :func:`print_receipt` then returns ``PrintOutcome(printed=False, message=...)``
naming the printer, and never raises into the till. An unknown receipt number is bad input
and is refused (``NotFound``, field ``receipt_no``) like everywhere else.

The cash drawer is kicked only by the first print of a sale that took cash, when
``printer.drawer`` is on; a reprint (``copy=True``) never opens the drawer (a drawer opened
without a sale needs a supervisor).

Nothing heavy is imported here: python-escpos and reportlab load when a receipt is printed.
"""

from __future__ import annotations

import logging
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from app.printing.config import PrinterSettings, printer_settings
from app.shop import Shop
from local_db.store import read_settings
from local_db.uow import UnitOfWork
from services.errors import BadInput, NotFound
from services.receipt_layout import LaidLine, layout_receipt
from services.receipts import Receipt, receipt_for, refund_receipt_for
from services.shop import ShopConfig

log = logging.getLogger("warungin.printing")

PDF_COLUMNS = 40


@dataclass(frozen=True, slots=True)
class PrintOutcome:
    printed: bool
    printer: str  # the printer as a person knows it ("network printer 10.0.0.9:9100")
    drawer_kicked: bool
    message: str


def load_receipt(uow: UnitOfWork, config: ShopConfig, number: str, *,
                 copy: bool = False) -> Receipt:
    """The receipt of a sale by its receipt number, or of a refund by its refund number."""
    try:
        return receipt_for(uow, config, number, copy=copy)
    except NotFound as not_a_sale:
        try:
            return refund_receipt_for(uow, config, number, copy=copy)
        except NotFound:
            raise not_a_sale from None


def _read(shop: Shop, number: str, copy: bool) -> tuple[Receipt, dict[str, str]]:
    with shop.uow(write=False) as uow:
        receipt = load_receipt(uow, shop.config, number, copy=copy)
        settings = read_settings(uow.conn)
    return receipt, settings


def receipt_lines(receipt: Receipt, settings: PrinterSettings) -> tuple[LaidLine, ...]:
    return layout_receipt(receipt, settings.columns)


def _printer(raw: dict[str, str]) -> PrinterSettings | PrintOutcome:
    """The store's printer, or the outcome that says why there is none to print on."""
    try:
        settings = printer_settings(raw)
    except BadInput as exc:
        return PrintOutcome(False, raw.get("printer.kind", "none"), False,
                            f"the printer settings are wrong: {exc}")
    if settings.kind == "none":
        return PrintOutcome(False, "none", False,
                            "no receipt printer is set up (store settings, printer)")
    return settings


def _print(settings: PrinterSettings, lines: tuple[LaidLine, ...], qr_data: str, *,
           kick: bool, what: str) -> PrintOutcome:
    from app.printing.escpos import PrinterUnavailable, render, send

    job = render(lines, qr_data, qr_native=settings.qr_native, kick_drawer=kick)
    name = settings.describe()
    try:
        send(settings, job)
    except PrinterUnavailable as exc:
        log.warning("%s not printed on %s: %s", what, name, exc)
        return PrintOutcome(False, name, False,
                            f"{name} cannot be reached ({exc}); {what} is saved: "
                            "print it again when the printer is back")
    return PrintOutcome(True, name, kick, f"{what} printed on {name}")


def print_receipt(shop: Shop, receipt_no: str, *, copy: bool = False) -> PrintOutcome:
    """Print the receipt of ``receipt_no`` on the store's printer (blocking: the till calls
    it on the pool lane)."""
    receipt, raw = _read(shop, receipt_no, copy)
    settings = _printer(raw)
    if isinstance(settings, PrintOutcome):
        return settings
    kick = settings.drawer and receipt.took_cash and not receipt.copy
    return _print(settings, receipt_lines(receipt, settings), receipt.number, kick=kick,
                  what=f"receipt {receipt.number}")


def print_text(shop: Shop, lines: Sequence[str], *, what: str = "report") -> PrintOutcome:
    """Print plain text lines (an X or Z report) on the store's printer, then cut. Lines
    wider than the paper wrap; the drawer stays shut."""
    with shop.uow(write=False) as uow:
        raw = read_settings(uow.conn)
    settings = _printer(raw)
    if isinstance(settings, PrintOutcome):
        return settings
    width = settings.columns
    laid = tuple(LaidLine(part) for line in lines
                 for part in ([line.rstrip()] if len(line.rstrip()) <= width
                              else textwrap.wrap(line, width) or [""]))
    return _print(settings, laid, "", kick=False, what=what)


def receipt_pdf(shop: Shop, receipt_no: str, path: Path, *, copy: bool = False) -> Path:
    """Save the receipt of ``receipt_no`` as a PDF at ``path``; returns the path."""
    receipt, _ = _read(shop, receipt_no, copy)
    from app.printing.pdf import write_pdf

    return write_pdf(layout_receipt(receipt, PDF_COLUMNS), receipt.number, Path(path),
                     title=f"{receipt.store_name} {receipt.number}",
                     author=receipt.store_name)


__all__ = ["PrintOutcome", "load_receipt", "print_receipt", "print_text", "receipt_pdf"]

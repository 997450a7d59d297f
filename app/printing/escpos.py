"""Receipts on ESC/POS thermal printers, through python-escpos.

The whole job is rendered first into python-escpos's ``Dummy`` printer (bytes in memory),
then sent to the device in one write. So a printer that is off or unplugged fails before
anything is half-printed, and what the tests read from a File printer is exactly what a
real printer receives.

The QR code of the receipt number is sent *native* by default (``GS ( k``: the printer
draws it): about 40 bytes instead of a raster image of several kilobytes (which takes
seconds over a 9600-baud serial line), drawn sharp at the printer's own dot size, and
supported by the ESC/POS firmware of the common 58 mm and 80 mm printers sold in Indonesia
(Epson TM-T82/T20, Xprinter XP-58/XP-80, Rongta, Zjiang/POS-58 with current firmware). A
very old printer that ignores ``GS ( k`` prints nothing where the code should be; for it
the setting ``printer.qr = image`` sends the code as a raster image (``GS v 0``) instead.

The total prints bold and double *height* (``ESC !``/``GS !``): double width would halve
the characters a line holds and push a large amount out of its column on 58 mm paper.

python-escpos (and with it Pillow, pyusb, pyserial) is imported when a receipt is printed,
never at program start.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from app.printing.config import PrinterSettings, network_target, serial_target, usb_target
from services.receipt_layout import LaidLine

log = logging.getLogger("warungin.printing")

#: Seconds to reach a network or serial printer before the till says it is unreachable.
CONNECT_TIMEOUT = 3.0
#: Module (dot) size of the native QR code: 6 dots a module is about 16 mm for a receipt
#: number on a 203-dpi head.
QR_MODULE = 6


class PrinterUnavailable(Exception):
    """The printer could not be reached or refused the job (an environment fault)."""


def render(lines: tuple[LaidLine, ...], qr_data: str, *, qr_native: bool = True,
           kick_drawer: bool = False) -> bytes:
    """The print job as ESC/POS bytes: init, drawer kick, text, QR, feed and cut."""
    from escpos.constants import QR_ECLEVEL_M
    from escpos.printer import Dummy

    p = Dummy()
    p.hw("INIT")
    if kick_drawer:
        # Pin 2 (ESC p 0): the drawer opens while the receipt prints.
        p.cashdraw(2)
    p.set(align="left", font="a", normal_textsize=True, bold=False)
    for line in lines:
        if line.tall:
            p.set(bold=True, double_height=True)
            p.textln(line.text)
            p.set(bold=False, normal_textsize=True)
        elif line.bold:
            p.set(bold=True)
            p.textln(line.text)
            p.set(bold=False)
        else:
            p.textln(line.text)
    if qr_data:
        p.ln()
        if qr_native:
            p.set(align="center")
            p.qr(qr_data, ec=QR_ECLEVEL_M, size=QR_MODULE, native=True)
            p.ln()
            p.set(align="left")
        else:
            p.qr(qr_data, ec=QR_ECLEVEL_M, size=QR_MODULE, native=False, center=True)
    p.cut()
    return bytes(p.output)


def _device(settings: PrinterSettings) -> Any:
    """The python-escpos printer for the settings (not opened yet)."""
    if settings.kind == "file":
        from escpos.printer import File
        return File(devfile=settings.target, auto_flush=False)
    if settings.kind == "network":
        host, port = network_target(settings.target)
        return _network_printer()(host=host, port=port, timeout=CONNECT_TIMEOUT)
    if settings.kind == "serial":
        from escpos.printer import Serial
        dev, baud = serial_target(settings.target)
        return Serial(devfile=dev, baudrate=baud, timeout=CONNECT_TIMEOUT)
    if settings.kind == "usb":
        from escpos.printer import Usb
        vid, pid, in_ep, out_ep = usb_target(settings.target)
        return Usb(idVendor=vid, idProduct=pid, in_ep=in_ep, out_ep=out_ep,
                   timeout=int(CONNECT_TIMEOUT * 1000))  # pyusb counts milliseconds
    raise PrinterUnavailable(f"no printer of kind '{settings.kind}'")


_NETWORK: type[Any] | None = None


def _network_printer() -> type[Any]:
    """python-escpos's Network printer, opening its socket with socket.create_connection:
    the library's own open() leaves the socket of a failed connect unclosed (one leaked
    file descriptor per receipt while the printer is off), and knows IPv4 only."""
    global _NETWORK
    if _NETWORK is None:
        import socket

        from escpos.exceptions import DeviceNotFoundError
        from escpos.printer import Network

        class ClosingNetwork(Network):  # type: ignore[misc]
            def open(self, raise_not_found: bool = True) -> None:
                if self._device:
                    self.close()
                self.device: socket.socket | None = None
                try:
                    self.device = socket.create_connection((self.host, self.port),
                                                           timeout=self.timeout)
                except OSError as exc:
                    raise DeviceNotFoundError(
                        f"could not connect to {self.host}:{self.port}: "
                        f"{exc.strerror or exc}") from exc

        _NETWORK = ClosingNetwork
    return _NETWORK


def send(settings: PrinterSettings, job: bytes) -> None:
    """Send ``job`` to the printer in one write; faults become :class:`PrinterUnavailable`.

    Caught: python-escpos's errors (device not found), OSError (refused, timed out, no such
    device file, permission; pyserial's and pyusb's errors are OSErrors) and ValueError
    (pyusb's "no USB backend": libusb is not installed)."""
    with _ONE_JOB_AT_A_TIME:
        _send(settings, job)


#: A reprint asked for while a receipt is still printing waits for it: two jobs written to
#: one device at once would interleave on the paper (or fail with "device busy").
_ONE_JOB_AT_A_TIME = threading.Lock()


def _send(settings: PrinterSettings, job: bytes) -> None:
    from escpos.exceptions import Error as EscposError

    printer = None
    try:
        printer = _device(settings)
        printer.open()
        printer._raw(job)  # python-escpos's documented way to send a Dummy's output
        flush = getattr(printer, "flush", None)
        if callable(flush):
            flush()
    except (EscposError, OSError, ValueError) as exc:
        detail = " ".join(str(exc).split()) or type(exc).__name__
        if isinstance(exc, ValueError) and "backend" in detail.lower():
            detail = "USB support (libusb) is not installed on this computer"
        raise PrinterUnavailable(detail) from exc
    finally:
        if printer is not None:
            try:
                printer.close()
            except (EscposError, OSError, ValueError) as exc:
                log.warning("closing %s: %s", settings.describe(), exc)

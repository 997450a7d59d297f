"""The receipt printer as the store's settings describe it (the back office writes them).

``printer.kind``: none | file | usb | serial | network (default none)
``printer.target``: for file a path (a device file such as /dev/usb/lp0 on Linux);
for usb ``VID:PID`` in hex (``0416:5011``), optionally ``:IN_EP:OUT_EP`` (hex, defaults
82:01); for serial ``/dev/ttyUSB0`` or ``COM3``, optionally ``:BAUD`` (default 9600); for
network ``host`` or ``host:port`` (default 9100, the raw-printing port of every network
receipt printer).
``printer.paper_mm``: 58 or 80 (default 58): 32 or 48 characters a line at font A.
``printer.drawer``: "1" (default) kicks the cash drawer on sales that took cash.
``printer.qr``: native (default) or image — see app/printing/escpos.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from services.errors import BadInput
from services.receipt_layout import columns_for_paper

KINDS = ("none", "file", "usb", "serial", "network")
DEFAULT_PORT = 9100
DEFAULT_BAUD = 9600


@dataclass(frozen=True, slots=True)
class PrinterSettings:
    kind: str = "none"
    target: str = ""
    paper_mm: int = 58
    drawer: bool = True
    qr_native: bool = True

    @property
    def columns(self) -> int:
        return columns_for_paper(self.paper_mm)

    def describe(self) -> str:
        """The printer as a person at the till knows it."""
        if self.kind == "none":
            return "none"
        if self.kind == "network":
            host, port = network_target(self.target)
            return f"network printer {host}:{port}"
        if self.kind == "usb":
            return f"USB printer {self.target.upper()}"
        if self.kind == "serial":
            dev, baud = serial_target(self.target)
            return f"serial printer {dev} ({baud} baud)"
        return f"printer file {self.target}"


def _bool(value: str | None, default: bool) -> bool:
    if value is None or not value.strip():
        return default
    return value.strip().lower() in ("1", "true", "yes", "on", "ya")


def printer_settings(s: Mapping[str, str]) -> PrinterSettings:
    """Parse the ``printer.*`` settings; a wrong value is refused naming its key."""
    kind = (s.get("printer.kind") or "none").strip().lower()
    if kind not in KINDS:
        raise BadInput(f"unknown printer kind '{kind}' (one of {', '.join(KINDS)})",
                       field="printer.kind")
    target = (s.get("printer.target") or "").strip()
    paper_text = (s.get("printer.paper_mm") or "58").strip()
    if paper_text not in ("58", "80"):
        raise BadInput(f"paper width must be 58 or 80 mm, not '{paper_text}'",
                       field="printer.paper_mm")
    qr = (s.get("printer.qr") or "native").strip().lower()
    if qr not in ("native", "image"):
        raise BadInput("QR mode must be native or image", field="printer.qr")
    settings = PrinterSettings(kind, target, int(paper_text),
                               _bool(s.get("printer.drawer"), True), qr == "native")
    if kind != "none":
        if not target:
            raise BadInput(f"a {kind} printer needs printer.target", field="printer.target")
        if kind == "usb":
            usb_target(target)
        elif kind == "network":
            network_target(target)
        elif kind == "serial":
            serial_target(target)
    return settings


def _hex(part: str, what: str) -> int:
    try:
        value = int(part.strip().removeprefix("0x").removeprefix("0X"), 16)
    except ValueError:
        raise BadInput(f"'{part}' is not a hex {what}", field="printer.target") from None
    if not 0 <= value <= 0xFFFF:
        raise BadInput(f"'{part}' is not a USB {what}", field="printer.target")
    return value


def usb_target(target: str) -> tuple[int, int, int, int]:
    """``VID:PID[:IN:OUT]`` -> (vendor, product, in endpoint, out endpoint)."""
    parts = target.split(":")
    if len(parts) not in (2, 4):
        raise BadInput(f"USB printer target '{target}' is not VID:PID (hex, e.g. 0416:5011)",
                       field="printer.target")
    vid, pid = _hex(parts[0], "vendor id"), _hex(parts[1], "product id")
    if len(parts) == 4:
        return vid, pid, _hex(parts[2], "endpoint"), _hex(parts[3], "endpoint")
    return vid, pid, 0x82, 0x01


def network_target(target: str) -> tuple[str, int]:
    host, sep, port_text = target.rpartition(":")
    if not sep:
        host, port_text = target, str(DEFAULT_PORT)
    if not host or not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise BadInput(f"network printer target '{target}' is not host[:port]",
                       field="printer.target")
    return host, int(port_text)


def serial_target(target: str) -> tuple[str, int]:
    dev, sep, baud = target.rpartition(":")
    if sep and baud.isdigit():
        return dev, int(baud)
    return target, DEFAULT_BAUD

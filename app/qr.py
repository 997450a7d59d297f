"""QR codes drawn locally from Midtrans's ``qr_string`` (never fetched from its image URL:
the till may be offline from everything but the charge call, and a local drawing cannot be
swapped in transit)."""

from __future__ import annotations

import io

import qrcode


def qr_text(data: str) -> str:
    """The QR code as text blocks for a terminal (two modules per character row)."""
    code = qrcode.QRCode(border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(data)
    code.make(fit=True)
    out = io.StringIO()
    code.print_ascii(out=out, invert=True)
    return out.getvalue()


def qr_matrix(data: str) -> list[list[bool]]:
    """The modules (True = dark), for the Qt till to paint."""
    code = qrcode.QRCode(border=0, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(data)
    code.make(fit=True)
    return [list(row) for row in code.get_matrix()]

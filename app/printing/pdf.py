"""A receipt as a PDF (to e-mail or keep), drawn with reportlab.

The same laid-out lines as the thermal printer, in Courier on an 80 mm wide page as tall as
the receipt, with the QR code of the receipt number below. reportlab is imported only here,
inside the function (the till's cold start must not pay for it). Pages are written
uncompressed: a receipt is a few kilobytes either way, and its text stays searchable with
plain tools.
"""

from __future__ import annotations

import os
from pathlib import Path

from services.receipt_layout import LaidLine

PAGE_WIDTH_MM = 80
MARGIN_MM = 4
COLUMNS = 40
FONT_SIZE = 8.5  # 40 Courier characters (0.6 em each) fill the 72 mm between the margins
LEADING = FONT_SIZE * 1.25
QR_MM = 28


def write_pdf(lines: tuple[LaidLine, ...], qr_data: str, path: Path, *, title: str,
              author: str) -> Path:
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    margin = MARGIN_MM * mm
    width = PAGE_WIDTH_MM * mm
    text_height = sum(LEADING * (2 if line.tall else 1) for line in lines)
    qr_size = QR_MM * mm if qr_data else 0.0
    height = margin * 2 + text_height + (qr_size + LEADING if qr_data else 0)

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    canvas = Canvas(str(partial), pagesize=(width, height), pageCompression=0)
    canvas.setTitle(title)
    canvas.setAuthor(author)
    canvas.setCreator("Warungin")
    y = height - margin
    for line in lines:
        if line.tall:
            # Double height, same width: the thermal printer's look.
            y -= LEADING * 2
            text = canvas.beginText(margin, y + LEADING * 0.3)
            text.setFont("Courier-Bold", FONT_SIZE * 2)
            text.setHorizScale(50)
        else:
            y -= LEADING
            text = canvas.beginText(margin, y + LEADING * 0.25)
            text.setFont("Courier-Bold" if line.bold else "Courier", FONT_SIZE)
            text.setHorizScale(100)  # the text state outlives a text object: reset it
        text.textOut(line.text)
        canvas.drawText(text)
    if qr_data:
        widget = QrCodeWidget(qr_data, barLevel="M")
        x0, y0, x1, y1 = widget.getBounds()
        drawing = Drawing(qr_size, qr_size,
                          transform=[qr_size / (x1 - x0), 0, 0, qr_size / (y1 - y0), 0, 0])
        drawing.add(widget)
        renderPDF.draw(drawing, canvas, (width - qr_size) / 2, margin)
    canvas.showPage()
    canvas.save()
    os.replace(partial, path)
    return path

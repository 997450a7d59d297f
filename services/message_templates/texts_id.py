"""Bahasa Indonesia texts (see the package's docstring)."""

from __future__ import annotations

_SHIP_TAIL = ("Lacak paket di situs {courier} dengan nomor resi {waybill}.")

TEXTS: dict[str, dict[str, str]] = {
    "receipt": {
        "subject": "Struk {receipt_no} dari {store_name}",
        "text": ("*{store_name}*\n"
                 "Terima kasih sudah berbelanja. Ini struk belanja Anda.\n"
                 "No. struk: {receipt_no}\nTanggal: {when}\nTotal: {total}\n\n"
                 "```\n{receipt_text}```"),
        "email_text": ("Terima kasih sudah berbelanja di {store_name}.\n\n"
                       "Struk {receipt_no} ({when}), total {total}. Struknya terlampir "
                       "sebagai PDF.\n\n{receipt_text}"),
        "html": ("<p>Terima kasih sudah berbelanja di <b>{store_name}</b>.</p>"
                 "<p>Struk {receipt_no} ({when}), total <b>{total}</b>. Struknya terlampir "
                 "sebagai PDF.</p><pre style=\"font-family:monospace\">{receipt_text}</pre>"),
    },
    "shipment_created": {
        "subject": "Pesanan {receipt_no} sudah dikirim",
        "text": ("{store_name}: paket pesanan {receipt_no} untuk {recipient_name} sudah "
                 "diserahkan ke kurir {courier}, nomor resi {waybill}. " + _SHIP_TAIL),
    },
    "shipment_delivered": {
        "subject": "Pesanan {receipt_no} sudah diterima",
        "text": ("{store_name}: paket pesanan {receipt_no} untuk {recipient_name} "
                 "({courier}, resi {waybill}) sudah diterima. Terima kasih!"),
    },
    "shipment_returned": {
        "subject": "Pesanan {receipt_no} dikembalikan",
        "text": ("{store_name}: paket pesanan {receipt_no} untuk {recipient_name} "
                 "({courier}, resi {waybill}) dikembalikan ke toko. Hubungi kami untuk "
                 "mengatur pengiriman ulang."),
    },
    "low_stock": {
        "subject": "{store_name}: {count} produk hampir habis",
        "text": "{store_name}: {count} produk hampir habis.\n{items}",
    },
    "daily_summary": {
        "subject": "{store_name}: ringkasan {day}",
        "text": ("{store_name}, ringkasan {day}: penjualan {sales_total} dari {sales_count} "
                 "transaksi ({change} dibanding hari sebelumnya)."),
    },
    "promo": {
        "subject": "Kabar dari {store_name}",
        "text": "Halo {name}, {text}\n\n{store_name}\n(Balas STOP untuk berhenti menerima promo.)",
    },
}

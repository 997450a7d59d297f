"""Words on the screen: Bahasa Indonesia by default, English selectable.

For now the catalogue is a dict per language, keyed by a message id. Next step (issue 5):
Qt Linguist ``.ts`` sources and compiled ``.qm`` files in ``resources/``, loaded with a
QTranslator; the ids here become the ``tr()`` source texts' disambiguation, so the screens
keep calling :func:`tr` unchanged.

Refusal messages come from the services (in English today) and are shown as they are:
translating them belongs with the services' message ids, not here.
"""

from __future__ import annotations

from services.money import format_rupiah

DEFAULT_LANGUAGE = "id"

CATALOGUE: dict[str, dict[str, str]] = {
    "id": {
        "app.title": "Warungin — {store}",
        "error.bug": "Terjadi kesalahan program. Detailnya tercatat di log; coba lagi.",
        "login.title": "Masuk",
        "login.user": "Pengguna",
        "login.pin": "PIN",
        "login.ok": "Masuk (Enter)",
        "login.clear": "Hapus",
        "login.checking": "Memeriksa PIN…",
        "login.locked_suffix": " (terkunci)",
        "login.pick_user": "Pilih pengguna dulu.",
        "login.pin_needed": "Masukkan PIN.",
        "role.cashier": "kasir",
        "role.supervisor": "supervisor",
        "role.owner": "pemilik",
        "till.scan_placeholder": "Pindai barcode atau ketik SKU / nama, lalu Enter",
        "till.search": "Cari (F2)",
        "till.pay_cash": "Bayar tunai (F9)",
        "till.clear": "Kosongkan (Esc)",
        "till.plus": "+ (F6)",
        "till.minus": "− (F5)",
        "till.remove": "Hapus baris (Del)",
        "till.logout": "Keluar (F12)",
        "till.col.item": "Barang",
        "till.col.qty": "Jml",
        "till.col.price": "Harga",
        "till.col.total": "Total",
        "till.subtotal": "Subtotal",
        "till.discount": "Diskon",
        "till.tax": "PPN",
        "till.tax_included": "PPN (termasuk)",
        "main.loading": "Membuka toko…",
        "main.open_failed": "Toko tidak bisa dibuka: {error}",
        "till.rounding": "Pembulatan",
        "till.total": "TOTAL",
        "till.cash_due": "Tunai dibayar",
        "till.unknown": "Barang tidak dikenal: {code}",
        "till.added": "{name} ditambahkan",
        "till.empty_cart": "Keranjang kosong: pindai barang dulu.",
        "till.cleared": "Keranjang dikosongkan.",
        "till.sale_done": "Transaksi selesai — struk {receipt}, kembalian {change}",
        "till.saving": "Menyimpan transaksi…",
        "till.cashier": "Kasir: {name} ({role})",
        "till.no_results": "Tidak ada hasil",
        "pay.title": "Bayar tunai",
        "pay.due": "Harus dibayar",
        "pay.given": "Uang diterima",
        "pay.change": "Kembalian",
        "pay.short": "Kurang {amount}",
        "pay.exact": "Uang pas",
        "pay.confirm": "Selesai (Enter)",
        "pay.cancel": "Batal (Esc)",
        "status.offline": "Offline",
        "status.online": "Online",
        "status.offline_tip": "Belum ada server pusat yang diatur untuk kasir ini, dan "
                              "sinkronisasi belum dibuat: semua transaksi tersimpan di "
                              "komputer ini dan menunggu di antrean kirim.",
        "status.online_tip": "Server pusat sudah diatur, tetapi koneksi belum diperiksa "
                             "(sinkronisasi belum dibuat).",
        "status.pending": "Antre kirim: {count}",
        "status.pending_age": "Antre kirim: {count} (tertua {age})",
        "status.jobs": "Tugas penyedia: {count}",
        "status.unknown": "Status: memuat…",
        "age.seconds": "{n} dtk",
        "age.minutes": "{n} mnt",
        "age.hours": "{n} jam",
        "age.days": "{n} hari",
        "demo": "DEMO",
        "lang.switch": "English",
    },
    "en": {
        "app.title": "Warungin — {store}",
        "error.bug": "Something went wrong in the program. The details are in the log; "
                     "try again.",
        "login.title": "Log in",
        "login.user": "User",
        "login.pin": "PIN",
        "login.ok": "Log in (Enter)",
        "login.clear": "Clear",
        "login.checking": "Checking PIN…",
        "login.locked_suffix": " (locked)",
        "login.pick_user": "Choose a user first.",
        "login.pin_needed": "Enter the PIN.",
        "role.cashier": "cashier",
        "role.supervisor": "supervisor",
        "role.owner": "owner",
        "till.scan_placeholder": "Scan a barcode or type SKU / name, then Enter",
        "till.search": "Search (F2)",
        "till.pay_cash": "Pay cash (F9)",
        "till.clear": "Clear (Esc)",
        "till.plus": "+ (F6)",
        "till.minus": "− (F5)",
        "till.remove": "Remove line (Del)",
        "till.logout": "Log out (F12)",
        "till.col.item": "Item",
        "till.col.qty": "Qty",
        "till.col.price": "Price",
        "till.col.total": "Total",
        "till.subtotal": "Subtotal",
        "till.discount": "Discount",
        "till.tax": "VAT (PPN)",
        "till.tax_included": "VAT (PPN, included)",
        "main.loading": "Opening the shop…",
        "main.open_failed": "The shop cannot be opened: {error}",
        "till.rounding": "Rounding",
        "till.total": "TOTAL",
        "till.cash_due": "Cash due",
        "till.unknown": "Unknown item: {code}",
        "till.added": "{name} added",
        "till.empty_cart": "The cart is empty: scan an item first.",
        "till.cleared": "Cart cleared.",
        "till.sale_done": "Sale complete — receipt {receipt}, change {change}",
        "till.saving": "Saving the sale…",
        "till.cashier": "Cashier: {name} ({role})",
        "till.no_results": "No results",
        "pay.title": "Pay cash",
        "pay.due": "Due",
        "pay.given": "Cash received",
        "pay.change": "Change",
        "pay.short": "Short by {amount}",
        "pay.exact": "Exact",
        "pay.confirm": "Done (Enter)",
        "pay.cancel": "Cancel (Esc)",
        "status.offline": "Offline",
        "status.online": "Online",
        "status.offline_tip": "No central server is configured for this till, and sync is "
                              "not built yet: every sale is stored on this computer and "
                              "waits in the send queue.",
        "status.online_tip": "A central server is configured, but the connection is not "
                             "checked yet (sync is not built yet).",
        "status.pending": "To send: {count}",
        "status.pending_age": "To send: {count} (oldest {age})",
        "status.jobs": "Provider jobs: {count}",
        "status.unknown": "Status: loading…",
        "age.seconds": "{n} s",
        "age.minutes": "{n} min",
        "age.hours": "{n} h",
        "age.days": "{n} days",
        "demo": "DEMO",
        "lang.switch": "Bahasa Indonesia",
    },
}

_language = DEFAULT_LANGUAGE


def register(catalogue: dict[str, dict[str, str]]) -> None:
    """Add a screen's own words (``{"id": {...}, "en": {...}}``) to the catalogue.

    Each area of the program keeps its words beside its screens and registers them when
    its module is imported, so areas grow without touching one shared table. Registering
    an id twice with a different text is a bug (two screens would fight over it)."""
    for lang, texts in catalogue.items():
        have = CATALOGUE.setdefault(lang, {})
        for key, text in texts.items():
            if have.get(key, text) != text:
                raise ValueError(f"message id '{key}' ({lang}) is already registered "
                                 "with another text")
            have[key] = text


def set_language(code: str) -> None:
    global _language
    if code not in CATALOGUE:
        raise ValueError(f"no translation for language '{code}' (have {sorted(CATALOGUE)})")
    _language = code


def language() -> str:
    return _language


def tr(key: str, **values: object) -> str:
    """The text of ``key`` in the current language. A missing id is a bug: it raises in
    tests rather than showing a blank button to a cashier."""
    text = CATALOGUE[_language].get(key)
    if text is None:
        text = CATALOGUE[DEFAULT_LANGUAGE][key]
    return text.format(**values) if values else text


def rupiah(amount: int) -> str:
    """``Rp 15.000``: the one way the screens show money."""
    return format_rupiah(amount)


def age(seconds: float) -> str:
    """A short, rough age ("5 mnt") for how long something has waited."""
    s = max(0, int(seconds))
    if s < 60:
        return tr("age.seconds", n=s)
    if s < 3600:
        return tr("age.minutes", n=s // 60)
    if s < 86400:
        return tr("age.hours", n=s // 3600)
    return tr("age.days", n=s // 86400)

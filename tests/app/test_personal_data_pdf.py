"""The customer's data export as a PDF: what a reader extracts from it (Indonesian by
default, English on request), money as ``Rp 15.000``, times on the store's clock."""

from __future__ import annotations

import io

from pypdf import PdfReader

from app.personal_data_pdf import to_pdf
from app.secrets import cipher_for
from app.shop import Shop
from services import formatting as fmt
from services.consents import CUSTOMER, record_consent
from services.personal_data import export_customer
from services.users import Actor
from tests.services.test_personal_data import ADDRESS, EMAIL, NAME, PHONE, with_history


def _text(pdf: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


def test_pdf_holds_the_whole_export_in_words(shop: Shop, cashier: Actor, supervisor: Actor,
                                             owner: Actor) -> None:
    h = with_history(shop, cashier, supervisor)
    with shop.uow() as uow:
        record_consent(uow, CUSTOMER, h.customer_id, False, "stop")
    cipher = cipher_for(shop)
    with shop.uow() as uow:
        data = export_customer(uow, cipher, owner, h.customer_id, fmt="pdf")
    pdf = to_pdf(data)
    assert pdf.startswith(b"%PDF")
    plain = " ".join(_text(pdf).split())
    for expected in (NAME, PHONE, EMAIL, ADDRESS, *h.receipts, "Data pribadi pelanggan",
                     "Pembelian", "Kasbon", "Pesan yang dikirim", "Riwayat persetujuan",
                     "Balasan STOP", "pelanggan sendiri", supervisor.name,
                     fmt.money(h.payables[0]), fmt.money(sum(h.payables)),
                     fmt.money(h.payables[1] - 2_000), "Pemasaran", "WIB"):
        assert expected in plain, expected
    assert "Rp 2" in plain and "." in fmt.money(h.payables[0])  # Rp 20.000 style
    english = " ".join(_text(to_pdf(data, "en")).split())
    for expected in ("Customer's personal data", "Purchases", "Consent history",
                     "STOP reply", "the customer", fmt.money(sum(h.payables), "en")):
        assert expected in english, expected

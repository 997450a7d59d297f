"""Shared by the messaging tests (services, e2e, faults, CLI): a sale with a customer, a
cipher, row counts. No tests here."""

from __future__ import annotations

import json
from typing import Any

from app.secrets import cipher_for
from app.shop import Shop
from local_db.store import write_settings
from services.crypto import FieldCipher
from services.customers import create_customer
from services.selling import LineRequest, PaymentRequest, SaleRequest, complete_sale
from services.users import Actor
from tests.helpers import scalar

PHONE = "0812-3456-7890"
PHONE_E164 = "+6281234567890"
EMAIL = "ibu.sari@contoh.id"


def cipher(shop: Shop) -> FieldCipher:
    return cipher_for(shop)


def customer(shop: Shop, supervisor: Actor, *, phone: str | None = PHONE,
             email: str | None = EMAIL, consent: bool = False, name: str = "Ibu Sari") -> str:
    c = cipher(shop)
    with shop.uow() as uow:
        view = create_customer(uow, c, supervisor, name=name, phone=phone,
                               email=email, consent_marketing=consent)
    return view.id


def sale(shop: Shop, cashier: Actor, customer_id: str | None = None) -> tuple[str, str]:
    """(sale id, receipt number) of a small cash sale."""
    req = SaleRequest((LineRequest("MI-0001", 2000),), (PaymentRequest("cash", 20_000),),
                      customer_id=customer_id)
    with shop.uow() as uow:
        done = complete_sale(uow, shop.config, cashier, req)
    return done.id, done.receipt_no


def settings(shop: Shop, **values: str) -> None:
    with shop.uow() as uow:
        write_settings(uow.conn, {k.replace("__", "."): v for k, v in values.items()})
        uow.commit()


def count(shop: Shop, table: str, where: str = "1=1", **params: Any) -> int:
    return int(scalar(shop, f"SELECT COUNT(*) FROM {table} WHERE {where}", **params))


def job_of(shop: Shop, message_id: str) -> dict[str, Any]:
    import sqlite3
    conn = sqlite3.connect(shop.folder / "warungin.db")
    try:
        conn.row_factory = sqlite3.Row
        row = conn.execute("SELECT j.* FROM provider_job j JOIN message m ON m.job_id = j.id "
                           "WHERE m.id = ?", (message_id,)).fetchone()
        out = dict(row)
        out["payload"] = json.loads(out["payload"])
        return out
    finally:
        conn.close()

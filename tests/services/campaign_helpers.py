"""Shared by the campaign tests (services, faults, CLI, UI, demo): many customers at once,
dated sales, settings. No tests here."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert

from app.secrets import cipher_for
from app.shop import Shop
from local_db.ids import now_iso, seeding_clock, uuid7
from local_db.models import Customer
from local_db.store import write_settings
from services.selling import LineRequest, PaymentRequest, SaleRequest, SaleResult, complete_sale
from services.users import Actor


def add_customers(shop: Shop, n: int, *, consent: bool = True, prefix: str = "Pelanggan",
                  email: bool = True, phone: bool = True, start: int = 0) -> list[str]:
    """``n`` customers in one transaction (mobile numbers +62812xxxxxxx, emails
    cNNNN@contoh.id), encrypted as services.customers does; ids in creation order."""
    cipher = cipher_for(shop)
    ids: list[str] = []
    rows = []
    stamp = now_iso()
    for i in range(start, start + n):
        cid = uuid7()
        ids.append(cid)
        number = f"+62812{i:07d}"
        rows.append({
            "id": cid, "name": f"{prefix} {i}",
            "phone_enc": cipher.encrypt(number, record_id=cid, field="phone") if phone else None,
            "phone_index": cipher.blind_index(number) if phone else None,
            "email_enc": (cipher.encrypt(f"c{i:05d}@contoh.id", record_id=cid, field="email")
                          if email else None),
            "address_enc": None, "key_id": cipher.active_key_id,
            "consent_marketing": consent, "credit_limit": 0, "created_at": stamp,
            "updated_at": stamp, "erased_at": None})
    with shop.uow() as uow:
        uow.conn.execute(insert(Customer), rows)
        uow.commit()
    return ids


def sale_at(shop: Shop, cashier: Actor, customer_id: str | None, at: datetime, *,
            qty: int = 1, sku: str = "MI-0001", promo_code: str | None = None) -> SaleResult:
    """A cash sale stamped ``at`` (the seeding clock, as the demo history does)."""
    req = SaleRequest((LineRequest(sku, qty * 1000),), (PaymentRequest("cash", 10_000_000),),
                      customer_id=customer_id, promo_code=promo_code)
    with seeding_clock(at):
        with shop.uow() as uow:
            return complete_sale(uow, shop.config, cashier, req)


def settings(shop: Shop, **values: str) -> None:
    with shop.uow() as uow:
        write_settings(uow.conn, {k.replace("__", "."): v for k, v in values.items()})
        uow.commit()

"""Small helpers for tests that read the real database files."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy import text

from app.shop import Shop

if TYPE_CHECKING:
    from services.payments import ChargeView
    from services.selling import SaleRequest, SaleResult
    from services.users import Actor
    from sync.midtrans.client import MidtransClient


def scalar(shop: Shop, sql: str, **params: Any) -> Any:
    with shop.uow(write=False) as uow:
        return uow.session.execute(text(sql), params).scalar()


def counts(shop: Shop) -> dict[str, int]:
    """Row counts of every business table: 'nothing written' means these do not change."""
    tables = ["sale", "sale_line", "payment", "stock_movement", "journal_entry", "journal_line",
              "audit_log", "outbox", "kasbon_entry", "refund", "cash_movement", "product",
              "barcode"]
    with shop.uow(write=False) as uow:
        return {t: int(uow.session.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar() or 0)
                for t in tables}


def trial_balance(shop: Shop) -> dict[str, int]:
    with shop.uow(write=False) as uow:
        rows = uow.session.execute(text(
            "SELECT account_code, SUM(debit) - SUM(credit) FROM journal_line "
            "GROUP BY account_code")).all()
    return {str(a): int(b) for a, b in rows}


def stock_of(shop: Shop, sku: str) -> tuple[int, int]:
    """(cached level, sum of movements) for a product."""
    with shop.uow(write=False) as uow:
        row = uow.session.execute(text(
            "SELECT l.qty_milli, (SELECT COALESCE(SUM(qty_milli), 0) FROM stock_movement m "
            "WHERE m.product_id = p.id) FROM product p JOIN stock_level l "
            "ON l.product_id = p.id WHERE p.sku = :s"), {"s": sku}).one()
    return int(row[0]), int(row[1])


def till_checkout(shop: Shop, actor: Actor, req: SaleRequest, *, wait: float,
                  show: Callable[[ChargeView], None] | None = None, poll_seconds: float = 1.0,
                  client: MidtransClient | None = None,
                  sleep: Callable[[float], None] | None = None) -> SaleResult:
    """The one checkout (services.checkout) with this till's Midtrans charge port, as the
    pay dialog and ``warungin sale`` use it. ``show`` sees the first view only (the QR the
    customer scans), as a cashier would act on it once."""
    from app.provider_wiring import till_charges
    from services.checkout import checkout
    shown: list[ChargeView] = []

    def first(view: ChargeView) -> None:
        if not shown:
            shown.append(view)
            if show is not None:
                show(view)
    charges = till_charges(shop, wait=wait, on_view=first, poll_seconds=poll_seconds,
                           client=client, sleep=sleep)
    return checkout(shop.uow, shop.config, actor, req, charges=charges)

"""Helpers for the books tests (no tests here): a history made through the real use cases
at chosen store-local moments (``local_db.ids.seeding_clock``), and independent figures from
plain SQL over the raw rows."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import text

from app.secrets import cipher_for
from app.shop import Shop
from local_db.ids import seeding_clock
from services.cart import Discount
from services.customers import create_customer
from services.ports import ProviderPayment
from services.selling import LineRequest, PaymentRequest, SaleRequest, SaleResult, complete_sale
from services.users import Actor

WIB = ZoneInfo("Asia/Jakarta")


@contextmanager
def at(y: int, m: int, d: int, h: int = 10, minute: int = 0) -> Iterator[None]:
    """Everything inside happens at this store-local (WIB) moment."""
    with seeding_clock(datetime(y, m, d, h, minute, tzinfo=WIB)):
        yield


def utc_of(day: date) -> str:
    """The till's stamp of the first instant of a store-local day."""
    return (datetime.combine(day, time(0), WIB).astimezone(ZoneInfo("UTC"))
            .isoformat(timespec="microseconds"))


class SettledPort:
    """A payment port whose provider payments are all settled (no network)."""

    def is_settled(self, payment: ProviderPayment) -> bool:
        return True

    def taken(self, payment: ProviderPayment, sale_id: str) -> None:
        return None


def customer(shop: Shop, by: Actor, name: str, limit: int = 10_000_000) -> str:
    cipher = cipher_for(shop)
    with shop.uow() as uow:
        return create_customer(uow, cipher, by, name=name, credit_limit=limit).id


def price_of(shop: Shop, lines: list[tuple[str, int]], discount_pct: int = 0) -> int:
    from decimal import Decimal

    from services.cart import price_cart
    from services.selling import build_cart
    probe = SaleRequest(tuple(LineRequest(c, q) for c, q in lines),
                        (PaymentRequest("cash", 10**9),),
                        Discount(percent=Decimal(discount_pct)) if discount_pct else Discount())
    with shop.uow(write=False) as uow:
        return price_cart(build_cart(uow.conn, probe), shop.config.tax_rules,
                          pkp=shop.config.pkp).total


def sell(shop: Shop, actor: Actor, lines: list[tuple[str, int]], method: str = "cash", *,
         customer_id: str | None = None, discount_pct: int = 0) -> SaleResult:
    """A sale paid in full by one method (cash rounded up to Rp 100 with some change)."""
    from decimal import Decimal
    total = price_of(shop, lines, discount_pct)
    amount = -(-total // 100) * 100 + 1_000 if method == "cash" else total
    ref = "test-ref" if method in ("qris", "gopay", "shopeepay") else None
    req = SaleRequest(tuple(LineRequest(c, q) for c, q in lines),
                      (PaymentRequest(method, amount, provider_ref=ref),),
                      Discount(percent=Decimal(discount_pct)) if discount_pct else Discount(),
                      customer_id=customer_id)
    with shop.uow() as uow:
        return complete_sale(uow, shop.config, actor, req, payments_port=SettledPort())


def q(shop: Shop, sql: str, **params: Any) -> int:
    with shop.uow(write=False) as uow:
        return int(uow.conn.execute(text(sql), params).scalar() or 0)


def raw_balance(shop: Shop, code_like: str, lo: str | None, hi: str | None, *,
                closing: bool = True) -> int:
    """Σ debit − credit of the accounts LIKE ``code_like``, entries dated in [lo, hi)."""
    sql = ("SELECT COALESCE(SUM(l.debit - l.credit), 0) FROM journal_line l "
           "JOIN journal_entry e ON e.id = l.entry_id WHERE l.account_code LIKE :c "
           "AND (:lo IS NULL OR e.created_at >= :lo) AND (:hi IS NULL OR e.created_at < :hi)")
    if not closing:
        sql += " AND e.kind != 'period.close'"
    return q(shop, sql, c=code_like, lo=lo, hi=hi)


def raw_revenue(shop: Shop, lo: str, hi: str) -> int:
    """Revenue net of PPN from the sale and refund rows."""
    return (q(shop, "SELECT COALESCE(SUM(net_total), 0) FROM sale WHERE created_at >= :lo "
                    "AND created_at < :hi", lo=lo, hi=hi)
            - q(shop, "SELECT COALESCE(SUM(net), 0) FROM refund WHERE created_at >= :lo "
                      "AND created_at < :hi", lo=lo, hi=hi))


def raw_cogs(shop: Shop, lo: str, hi: str) -> int:
    return (q(shop, "SELECT COALESCE(SUM(l.cost), 0) FROM sale_line l JOIN sale s "
                    "ON s.id = l.sale_id WHERE s.created_at >= :lo AND s.created_at < :hi",
              lo=lo, hi=hi)
            - q(shop, "SELECT COALESCE(SUM(cost), 0) FROM refund WHERE created_at >= :lo "
                      "AND created_at < :hi", lo=lo, hi=hi))


def raw_kasbon(shop: Shop, hi: str) -> int:
    return q(shop, "SELECT COALESCE(SUM(amount), 0) FROM kasbon_entry WHERE created_at < :hi",
             hi=hi)


def next_day(day: date) -> date:
    return day + timedelta(days=1)

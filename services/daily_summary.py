"""The daily summary to the owner: the figures and the email's text.

Every figure is a report's own (no second way of computing a sale):

- sales of the day, of the day before and of the same weekday a week before:
  ``services.reports.queries.sales_summary`` (``DaySales``: ``sales`` = what customers
  paid, ``refunds`` = refund gross, **net = sales − refunds**, the reports' net sales);
- the payment mix: that day's ``DaySales.by_method`` (payments of the day's sales);
- top products: ``product_sales`` of the day (refunds of the day taken off);
- low stock: ``stock_levels`` (negative or at/below the threshold), lowest first;
- kasbon due: ``services.books.ageing.receivables_ageing`` as of the day (past due = all but
  the "current" bucket).

When and to whom it is sent, exactly once per store, day and recipient, is
:mod:`services.schedule_summary`.
"""

from __future__ import annotations

import dataclasses
import html
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Connection

from services.books.ageing import receivables_ageing
from services.formatting import date_text, money, payment_method, percent_of, quantity
from services.messaging_templates import Rendered, render
from services.reports.queries import product_sales, sales_summary, stock_levels
from services.reports.source import ReportSource
from services.reports.values import DaySales, Period, ProductSalesRow, StockRow

TOP_PRODUCTS = 5
LOW_STOCK_LINES = 10


@dataclass(frozen=True, slots=True)
class DailySummary:
    day: date
    today: DaySales
    yesterday: DaySales
    last_week: DaySales  # the same weekday a week before
    payment_mix: tuple[tuple[str, int], ...]  # (method, rupiah), largest first
    top_products: tuple[ProductSalesRow, ...]
    low_stock: tuple[StockRow, ...]
    low_stock_count: int
    kasbon_total: int  # everything owed at the end of the day
    kasbon_due: int  # past its due date
    kasbon_due_customers: int


def build_summary(conn: Connection, day: date, *, source: ReportSource | None = None
                  ) -> DailySummary:
    """The summary of the store's ``day`` (see the module doc for where each figure comes
    from). Reads only."""
    week = sales_summary(conn, Period(day - timedelta(days=7), day + timedelta(days=1)),
                         source=source)
    by_day = {d.day: d for d in week.days}
    today, yesterday, last_week = (by_day[day], by_day[day - timedelta(days=1)],
                                   by_day[day - timedelta(days=7)])
    mix = tuple(sorted(((m, a) for m, a in today.by_method.items() if a),
                       key=lambda x: (-x[1], x[0])))
    tops = tuple(r for r in product_sales(conn, Period.day(day), source=source).rows
                 if r.qty_milli > 0)[:TOP_PRODUCTS]
    levels = stock_levels(conn, source=source)
    low = sorted((r for r in levels.rows if r.negative or (r.low and r.low_stock_milli > 0)),
                 key=lambda r: (r.level_milli, r.sku))
    ageing = receivables_ageing(conn, day, source=source)
    due_rows = [r for r in ageing.rows if sum(r.buckets[1:]) > 0]
    return DailySummary(
        day=day, today=today, yesterday=yesterday, last_week=last_week, payment_mix=mix,
        top_products=tops, low_stock=tuple(low[:LOW_STOCK_LINES]), low_stock_count=len(low),
        kasbon_total=ageing.total, kasbon_due=sum(sum(r.buckets[1:]) for r in due_rows),
        kasbon_due_customers=len(due_rows))


# --- the email ------------------------------------------------------------------------

_WORDS = {
    "id": {"net": "Penjualan bersih", "today": "hari ini", "yesterday": "kemarin",
           "last_week": "minggu lalu", "gross": "Penjualan", "refunds": "Retur",
           "tx": "transaksi", "mix": "Pembayaran", "top": "Produk terlaris",
           "low": "Stok menipis", "kasbon": "Kasbon jatuh tempo", "of_total": "dari total",
           "customers": "pelanggan", "none": "tidak ada", "vs": "dibanding"},
    "en": {"net": "Net sales", "today": "today", "yesterday": "yesterday",
           "last_week": "last week", "gross": "Sales", "refunds": "Refunds",
           "tx": "transactions", "mix": "Payments", "top": "Top products",
           "low": "Low stock", "kasbon": "Kasbon past due", "of_total": "of a total",
           "customers": "customers", "none": "none", "vs": "vs"},
}


def change_text(now: int, before: int, lang: str) -> str:
    """``+12,50 %`` against ``before`` (``-`` when there is nothing to compare with)."""
    if before == 0:
        return "-"
    text = percent_of(now - before, before, lang)
    return text if text.startswith("-") else "+" + text


def detail_lines(s: DailySummary, lang: str) -> list[str]:
    w = _WORDS["en" if lang == "en" else "id"]
    t = s.today
    lines = [
        f"{w['net']}: {money(t.net, lang)} ({w['today']}) · "
        f"{money(s.yesterday.net, lang)} ({w['yesterday']}, "
        f"{change_text(t.net, s.yesterday.net, lang)}) · "
        f"{money(s.last_week.net, lang)} ({w['last_week']}, "
        f"{change_text(t.net, s.last_week.net, lang)})",
        f"{w['gross']}: {money(t.sales, lang)} ({t.sales_count} {w['tx']}) · "
        f"{w['refunds']}: {money(t.refunds, lang)} ({t.refunds_count})",
        f"{w['mix']}: " + (", ".join(f"{payment_method(m, lang)} {money(a, lang)}"
                                    for m, a in s.payment_mix) or w["none"]),
        "",
        f"{w['top']}:",
        *([f"{i}. {r.name} — {quantity(r.qty_milli, r.unit, lang)} · "
           f"{money(r.amount, lang)}" for i, r in enumerate(s.top_products, start=1)]
          or [w["none"]]),
        "",
        f"{w['low']} ({s.low_stock_count}):",
        *([f"- {r.name} ({r.sku}): {quantity(r.level_milli, r.unit, lang)}"
           for r in s.low_stock] or [w["none"]]),
        "",
        f"{w['kasbon']}: {money(s.kasbon_due, lang)} ({s.kasbon_due_customers} "
        f"{w['customers']}), {w['of_total']} {money(s.kasbon_total, lang)}",
    ]
    return lines


def summary_variables(s: DailySummary, store_name: str, lang: str) -> dict[str, str]:
    """The ``daily_summary`` template's variables: net sales of the day and the change
    against the day before."""
    return {"store_name": store_name, "day": date_text(s.day, lang),
            "sales_total": money(s.today.net, lang),
            "sales_count": str(s.today.sales_count),
            "change": change_text(s.today.net, s.yesterday.net, lang)}


def render_summary(s: DailySummary, store_name: str, lang: str) -> Rendered:
    """The email: the ``daily_summary`` template (subject and first paragraph), then the
    details (comparisons, refunds, payment mix, top products, low stock, kasbon due)."""
    base = render("daily_summary", lang, "email", summary_variables(s, store_name, lang))
    lines = detail_lines(s, lang)
    text = base.text + "\n\n" + "\n".join(lines)
    blocks = "\n".join(lines).split("\n\n")
    body = (base.html or "") + "".join(
        "<p>" + html.escape(b).replace("\n", "<br>") + "</p>" for b in blocks if b.strip())
    return dataclasses.replace(base, text=text, html=body)


__all__ = ["DailySummary", "build_summary", "change_text", "detail_lines", "render_summary",
           "summary_variables"]

"""Each report value as titled tables (for CSV/HTML/PDF export and previews).

The values do not know their tables (this module imports them, never the other way round)."""

from __future__ import annotations

from services.formatting import date_text, payment_method, ratio_bp
from services.reports.values import (
    Column,
    Dashboard,
    DaySales,
    KasbonOutstanding,
    KasbonRow,
    ProductSales,
    Report,
    SalesSummary,
    StockLevels,
    Table,
    TableReport,
)

SKU = Column("sku", "SKU", "SKU")
NAME = Column("name", "Nama", "Name")
UNIT = Column("unit", "Satuan", "Unit")


def method_title(method: str, lang: str = "id") -> str:
    """A payment method as people name it (``va_bca`` -> ``VA BCA``): services.formatting."""
    return payment_method(method, lang)


def _stock_columns() -> tuple[Column, ...]:
    return (SKU, NAME, UNIT, Column("level_milli", "Stok", "Level", "qty"),
            Column("low_stock_milli", "Titik pesan ulang", "Reorder point", "qty"),
            Column("cost", "Harga pokok", "Unit cost", "money"),
            Column("value", "Nilai stok", "Stock value", "money"),
            Column("negative", "Minus", "Negative", "flag"),
            Column("low", "Menipis", "Low", "flag"))


def dashboard_tables(d: Dashboard) -> tuple[Table, ...]:
    summary = Table(
        "summary", f"Ringkasan {date_text(d.day)}", f"Summary {date_text(d.day, 'en')}",
        (Column("sales_count", "Transaksi", "Sales", "int"),
         Column("sales_total", "Total penjualan", "Sales total", "money"),
         Column("average_sale", "Rata-rata", "Average sale", "money"),
         Column("refunds_count", "Retur", "Refunds", "int"),
         Column("refunds_total", "Nilai retur", "Refund amount", "money"),
         Column("kasbon_outstanding", "Kasbon belum lunas", "Kasbon outstanding", "money"),
         Column("kasbon_customers", "Pelanggan berutang", "Customers owing", "int")),
        ((d.sales_count, d.sales_total, d.average_sale, d.refunds_count, d.refunds_total,
          d.kasbon_outstanding, d.kasbon_customers),))
    hours = Table(
        "by_hour", "Penjualan per jam", "Sales by hour",
        (Column("hour", "Jam", "Hour", "int"), Column("sales_count", "Transaksi", "Sales", "int"),
         Column("amount", "Jumlah", "Amount", "money")),
        tuple((h.hour, h.sales_count, h.amount) for h in d.by_hour),
        (None, d.sales_count, d.sales_total))
    mix = Table(
        "payment_mix", "Metode pembayaran", "Payment methods",
        (Column("method", "Metode", "Method", "method"),
         Column("count", "Pembayaran", "Payments", "int"),
         Column("amount", "Jumlah", "Amount", "money")),
        tuple((m.method, m.count, m.amount) for m in d.payment_mix),
        (None, sum(m.count for m in d.payment_mix), sum(m.amount for m in d.payment_mix)))
    top = Table(
        "top_products", "Produk terlaris", "Top products",
        (SKU, NAME, UNIT, Column("qty_milli", "Qty", "Qty", "qty"),
         Column("amount", "Jumlah", "Amount", "money")),
        tuple((t.sku, t.name, t.unit, t.qty_milli, t.amount) for t in d.top_products))
    low = Table("low_stock", "Stok menipis", "Low stock", _stock_columns(),
                tuple((s.sku, s.name, s.unit, s.level_milli, s.low_stock_milli, s.cost, s.value,
                       s.negative, s.low) for s in d.low_stock))
    return (summary, hours, mix, top, low)


def sales_summary_tables(s: SalesSummary) -> tuple[Table, ...]:
    cols = (Column("day", "Tanggal", "Date", "date"),
            Column("sales_count", "Transaksi", "Sales", "int"),
            Column("sales", "Penjualan", "Sales amount", "money"),
            Column("refunds_count", "Retur", "Refunds", "int"),
            Column("refunds", "Nilai retur", "Refund amount", "money"),
            Column("net", "Bersih", "Net", "money"),
            Column("ppn", "PPN", "VAT (PPN)", "money"),
            Column("revenue", "Pendapatan (DPP)", "Revenue excl. VAT", "money"),
            Column("discounts", "Diskon", "Discounts", "money"),
            Column("rounding", "Pembulatan", "Rounding", "money"),
            *(Column(f"method.{m}", method_title(m, "id"), method_title(m, "en"), "money")
              for m in s.methods))

    def row(x: DaySales) -> tuple[object, ...]:
        return (x.day, x.sales_count, x.sales, x.refunds_count, x.refunds, x.net, x.ppn,
                x.revenue, x.discounts, x.rounding, *(x.by_method[m] for m in s.methods))

    t = s.totals
    totals = (None, *row(t)[1:])
    title = s.period.label()
    return (Table("sales_by_day", f"Penjualan harian {title}", f"Sales by day {title}", cols,
                  tuple(row(d) for d in s.days), totals),)


def product_sales_tables(p: ProductSales) -> tuple[Table, ...]:
    cols = (SKU, NAME, UNIT, Column("qty_milli", "Qty", "Qty", "qty"),
            Column("amount", "Penjualan", "Sales amount", "money"),
            Column("revenue", "Pendapatan (DPP)", "Revenue excl. VAT", "money"),
            Column("cost", "HPP", "COGS", "money"),
            Column("margin", "Laba kotor", "Gross margin", "money"),
            Column("margin_bp", "Margin %", "Margin %", "percent"))
    title = p.period.label()
    return (Table("product_sales", f"Penjualan per produk {title}",
                  f"Sales by product {title}", cols,
                  tuple((r.sku, r.name, r.unit, r.qty_milli, r.amount, r.revenue, r.cost,
                         r.margin, r.margin_bp) for r in p.rows),
                  (None, None, None, None, p.amount, p.revenue, p.cost, p.margin,
                   ratio_bp(p.margin, p.revenue))),)


def stock_levels_tables(s: StockLevels) -> tuple[Table, ...]:
    return (Table("stock_levels", "Stok", "Stock levels", _stock_columns(),
                  tuple((r.sku, r.name, r.unit, r.level_milli, r.low_stock_milli, r.cost,
                         r.value, r.negative, r.low) for r in s.rows),
                  (None, None, None, None, None, None, s.value, s.negative_count,
                   s.low_count)),)


def kasbon_tables(k: KasbonOutstanding) -> tuple[Table, ...]:
    """Who owes: the customer's short reference (never the UUID: the JSON export keeps
    it), name, masked phone (a column only when the caller could decrypt phones), owed,
    limit."""
    with_phone = any(r.phone for r in k.rows)
    cols = (Column("ref", "Ref.", "Ref."),
            Column("label", "Pelanggan", "Customer"),
            *((Column("phone", "Telepon", "Phone"),) if with_phone else ()),
            Column("balance", "Sisa kasbon", "Owed", "money"),
            Column("credit_limit", "Batas kredit", "Credit limit", "money"),
            Column("over_limit", "Lewat batas", "Over limit", "flag"))

    def row(r: KasbonRow) -> tuple[object, ...]:
        return (r.ref, r.label, *((r.phone or "",) if with_phone else ()), r.balance,
                r.credit_limit, r.over_limit)

    return (Table("kasbon", "Kasbon belum lunas", "Kasbon outstanding", cols,
                  tuple(row(r) for r in k.rows),
                  (None, f"{k.customers}", *((None,) if with_phone else ()), k.total, None,
                   None)),)


def tables_of(report: Report) -> tuple[Table, ...]:
    """Any report as its titled tables: what export, PDF and previews show."""
    if isinstance(report, Dashboard):
        return dashboard_tables(report)
    if isinstance(report, SalesSummary):
        return sales_summary_tables(report)
    if isinstance(report, ProductSales):
        return product_sales_tables(report)
    if isinstance(report, StockLevels):
        return stock_levels_tables(report)
    if isinstance(report, KasbonOutstanding):
        return kasbon_tables(report)
    if isinstance(report, TableReport):
        return report.tables
    raise TypeError(f"not a report: {type(report).__name__}")

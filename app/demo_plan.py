"""The plan of the demo shop's trading (pure: no database): what a warung's day looks like
— its hours and their weights, how many sales, which products in which baskets, suppliers,
regular customers, cash tendered and counted — drawn from a ``random.Random`` so the same
seed gives the same days. ``app.demo_history`` drives the real use cases with it.
"""

from __future__ import annotations

import csv
import io
import math
import random
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from decimal import Decimal
from itertools import accumulate

from app.demo import catalogue_text
from services.catalogue import WEIGHED_UNITS
from services.shifts import DENOMINATIONS


MIN_SALES, MAX_SALES = 60, 150

#: The demo's store zone (``app.demo.seed_base`` writes it as the ``timezone`` setting).
DEMO_TIMEZONE = "Asia/Jakarta"


OPEN_HOUR = 6


CLOSE_HOUR = 22


#: Relative sales per opening hour on a weekday: the school-and-work morning, a quiet
#: afternoon, the evening when people come home and cook.
HOUR_WEIGHTS = {6: 5.0, 7: 9.0, 8: 8.0, 9: 5.0, 10: 4.0, 11: 4.0, 12: 5.0, 13: 3.0,
                14: 3.0, 15: 4.0, 16: 6.0, 17: 8.0, 18: 10.0, 19: 10.0, 20: 7.0, 21: 4.0}


#: Weekend: no school run, people at home through the day.
WEEKEND_HOUR_FACTOR = {7: 0.8, 9: 1.5, 10: 1.6, 11: 1.6, 12: 1.5, 13: 1.5, 14: 1.4, 15: 1.4}


#: Sales on a typical Monday .. Sunday (before payday and the day's luck).
WEEKDAY_SALES = (65, 62, 64, 66, 72, 98, 106)


#: How often a category turns up on a line (within it, a few products sell most).
CATEGORY_WEIGHTS = {
    "Minuman": 16.0, "Mi Instan": 14.0, "Makanan Ringan": 13.0, "Rokok": 11.0,
    "Sembako": 10.0, "Kopi & Teh": 8.0, "Roti & Susu": 6.0, "Kebutuhan Rumah": 5.0,
    "Pulsa & Lainnya": 5.0, "Perlengkapan Mandi": 4.0, "Sayur & Bumbu": 4.0,
    "Obat & Kesehatan": 3.0, "Segar": 2.0, "Jasa": 2.0,
}


MORNING_BOOST = {"Kopi & Teh": 2.5, "Roti & Susu": 2.5, "Rokok": 1.3}


EVENING_BOOST = {"Mi Instan": 1.8, "Sembako": 1.4, "Sayur & Bumbu": 1.6, "Segar": 1.6}


LINES_PER_SALE = ((1, 2, 3, 4, 5, 6), (45, 28, 14, 7, 4, 2))


NOTES = (2_000, 5_000, 10_000, 20_000, 50_000, 100_000)


#: The first receipt, DEMO-T01-000001, on any date: two packets of instant noodles, cash.
FIRST_SALE = ("MI-0001", 2_000)


#: (supplier, categories, weekdays it delivers (Mon=0), how the shop pays it).
SUPPLIERS: tuple[tuple[str, frozenset[str], tuple[int, ...], str], ...] = (
    ("CV Sumber Rejeki (grosir sembako)",
     frozenset({"Sembako", "Mi Instan", "Kebutuhan Rumah", "Perlengkapan Mandi",
                "Obat & Kesehatan", "Kopi & Teh"}), (0, 3), "payable"),
    ("UD Segar Jaya (minuman & makanan ringan)",
     frozenset({"Minuman", "Makanan Ringan", "Roti & Susu"}), (1, 4), "payable"),
    ("Agen rokok Pak Harun", frozenset({"Rokok"}), (2, 5), "bank"),
    ("Pasar Kosambi (sayur, ayam)", frozenset({"Sayur & Bumbu", "Segar"}),
     (0, 1, 2, 3, 4, 5), "bank"),
    ("Pangkalan gas & galon Bu Yanti", frozenset({"Pulsa & Lainnya"}), (0, 2, 4, 5),
     "payable"),
)


#: Products the distributors have had none of lately: no deliveries in the last days.
RUN_LOW_PRODUCTS = 6


RUN_LOW_DAYS = 35


#: Regulars with kasbon: (name, credit limit, how often they buy on credit, address).
CUSTOMERS = (
    ("Bu Ani", 500_000, 3.0, "Gg. Melati No. 4, Bandung"),
    ("Pak Joko", 750_000, 2.0, "Jl. Kenanga No. 12, Bandung"),
    ("Bu Siti", 300_000, 2.5, "Gg. Mawar No. 7, Bandung"),
    ("Mas Dedi", 250_000, 1.5, "Jl. Cempaka No. 3, Bandung"),
    ("Bu Rina", 400_000, 1.5, "Gg. Anggrek No. 9, Bandung"),
    ("Pak Ujang", 600_000, 1.0, "Jl. Flamboyan No. 21, Bandung"),
    ("Teh Euis", 200_000, 1.0, "Gg. Dahlia No. 2, Bandung"),
    ("Kang Asep", 350_000, 0.8, "Jl. Teratai No. 15, Bandung"),
)


PHONE_PREFIXES = ("0812", "0813", "0821", "0852", "0857", "0878", "0896", "0819")


EXPENSES = (("bayar iuran sampah", 15_000, 25_000), ("beli kantong plastik", 20_000, 40_000),
            ("bensin motor antar galon", 15_000, 30_000), ("beli lakban & nota", 10_000, 20_000),
            ("ongkos angkot ke pasar", 8_000, 15_000), ("bayar tukang parkir", 5_000, 10_000))


WALK_AWAY_REASONS = ("pembeli batal", "uang pembeli kurang", "pembeli ganti pikiran")


REFUND_REASONS = ("kemasan rusak", "sudah kedaluwarsa", "salah beli, belum dibuka",
                  "rasa tidak sesuai")


@dataclass
class PlannedProduct:
    sku: str
    category: str
    unit: str
    cost: int
    tracks: bool
    low_milli: int
    qty_cum: tuple[tuple[int, ...], list[int]] = ((), [])  # quantities, cumulative weights
    weight: float = 0.0
    daily_milli: float = 0.0  # expected sales per day (for ordering)


@dataclass
class RegularCustomer:
    id: str
    name: str
    limit: int
    weight: float


def sales_count(day: date, rng: random.Random) -> int:
    base = WEEKDAY_SALES[day.weekday()]
    payday = 1.1 if day.day >= 25 or day.day <= 2 else 1.0
    n = round(base * payday * rng.uniform(0.9, 1.1))
    return max(MIN_SALES, min(MAX_SALES, n))


def hour_weights(day: date) -> tuple[list[int], list[float]]:
    weekend = day.weekday() >= 5
    hours = sorted(HOUR_WEIGHTS)
    return hours, [HOUR_WEIGHTS[h] * (WEEKEND_HOUR_FACTOR.get(h, 1.0) if weekend else 1.0)
                   for h in hours]


def at(day: date, tz: tzinfo, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=tz)


def sale_times(day: date, tz: tzinfo, n: int, rng: random.Random) -> list[datetime]:
    hours, weights = hour_weights(day)
    picked = rng.choices(hours, weights=weights, k=n)
    times = [at(day, tz, h, rng.randrange(60), rng.randrange(60)) for h in picked]
    return sorted(times)


def catalogue(seed: int) -> list[PlannedProduct]:
    """The demo catalogue's products, each with its share of the lines and its expected
    sales per day."""
    rng = random.Random(f"{seed}:products")
    rows = sorted(csv.DictReader(io.StringIO(catalogue_text())), key=lambda r: r["sku"])
    products = [PlannedProduct(r["sku"], r["category"], r["unit"], int(r["cost"]),
                         r["tracks_stock"] == "1",
                         int(Decimal(r["low_stock"] or "0") * 1000))
                for r in rows if r.get("active", "1") == "1"]
    by_cat: dict[str, list[PlannedProduct]] = {}
    for p in products:
        by_cat.setdefault(p.category, []).append(p)
        qtys, weights = qty_choices(p)
        p.qty_cum = (qtys, list(accumulate(weights)))
    for cat, members in by_cat.items():
        # Within a category a few products sell most (a Pareto-like share each).
        shares = [rng.paretovariate(1.3) for _ in members]
        total = sum(shares)
        for p, share in zip(members, shares, strict=True):
            p.weight = CATEGORY_WEIGHTS.get(cat, 2.0) * share / total
    expected_demand(products)
    return products


def opening_stock(products: list[PlannedProduct]) -> dict[str, int]:
    """What the shop starts with: about three weeks of each product's sales."""
    return {p.sku: max(1, math.ceil((p.daily_milli * 21 + 2 * p.low_milli) / 1000)) * 1000
            for p in products if p.tracks}


def table(products: list[PlannedProduct], boost: dict[str, float]) -> tuple[list[PlannedProduct],
                                                                        list[float]]:
    chosen = [p for p in products if p.weight > 0]
    return chosen, list(accumulate(p.weight * boost.get(p.category, 1.0) for p in chosen))


def qty_choices(p: PlannedProduct) -> tuple[tuple[int, ...], tuple[int, ...]]:
    if p.unit == "liter":
        return (500, 1_000, 2_000), (40, 45, 15)
    if p.unit in WEIGHED_UNITS:
        return (250, 500, 1_000, 1_500, 2_000), (25, 35, 25, 8, 7)
    if p.category == "Mi Instan":
        return (1_000, 2_000, 3_000, 4_000, 5_000), (40, 30, 12, 8, 10)
    if p.category == "Jasa":
        return (1_000, 2_000, 5_000, 10_000), (40, 25, 20, 15)
    if p.category == "Minuman":
        return (1_000, 2_000, 3_000, 6_000), (70, 18, 7, 5)
    return (1_000, 2_000, 3_000), (82, 13, 5)


def expected_demand(products: list[PlannedProduct]) -> None:
    """Each product's expected sales per day, for the shop's orders (a rough estimate)."""
    per_day = sum(WEEKDAY_SALES) / 7
    lines = sum(n * w for n, w in zip(*LINES_PER_SALE, strict=True)) / sum(LINES_PER_SALE[1])
    total_weight = sum(p.weight for p in products)
    for p in products:
        qtys, weights = qty_choices(p)
        mean_qty = sum(q * w for q, w in zip(qtys, weights, strict=True)) / sum(weights)
        p.daily_milli = per_day * lines * p.weight / total_weight * mean_qty


def cash_tender(due: int, rng: random.Random) -> int:
    r = rng.random()
    if r < 0.35:
        return due
    if due > NOTES[-1]:
        step = 50_000 if r < 0.8 else 100_000
        return -(-due // step) * step
    fits = [n for n in NOTES if n >= due]
    if r < 0.8 or len(fits) == 1:
        return fits[0]
    return fits[1]


def count(amount: int) -> dict[str, int]:
    """A drawer count: notes and coins, largest first, adding up to ``amount``."""
    counted: dict[str, int] = {}
    left = amount
    for denom in sorted(DENOMINATIONS, reverse=True):
        n, left = divmod(left, denom)
        if n:
            counted[str(denom)] = n
    if left:
        raise ValueError(f"Rp {amount} cannot be counted in rupiah notes and coins")
    return counted

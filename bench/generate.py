"""A deterministic generator of large shop databases for the benchmarks.

Same seed and sizes give the same catalogue (SKUs, names, barcodes, prices) and the same
sequence of sales (lines, quantities, tenders), hence the same sale totals. Identities
(UUIDv7) and wall-clock stamps are made by the real code and differ between runs: they are
identity and data, never order, so nothing measured depends on them.

Everything is written through the real use cases, so ``verify`` sees consistent data:

- the shop itself is :func:`app.demo.seed_demo` (settings, users, ~185 demo products with
  opening stock, an open shift by the cashier);
- products go through :func:`services.catalogue.upsert_products` (FTS triggers, stock-level
  rows and outbox events included), validated first, ``PRODUCT_BATCH`` per transaction;
- opening stock for the products that sell goes through :func:`services.stock.receive_goods`;
- sales go through :func:`services.selling.complete_sale`. ``complete_sale`` ends with
  ``uow.commit()`` and does nothing after it but build its result, so its commit can be
  deferred cleanly: :class:`BatchUnitOfWork` turns that call into a no-op and commits
  ``SALE_BATCH`` sales at once. Generated sales never fail; if one did, its whole batch
  would roll back and generation would stop without leaving a cached database behind.

The files are built with ``synchronous=OFF`` (a crash while generating only loses a cache
entry) and cached under ``<work_dir>/`` keyed by (seed, products, sales), so repeated runs
reuse them. A folder counts as cached only once its ``ready.json`` marker is written.
"""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

from app.demo import catalogue_text, seed_demo
from app.paths import db_path
from app.shop import Shop, open_shop
from local_db.uow import UnitOfWork
from services.barcodes import with_check_digit
from services.catalogue import (
    WEIGHED_UNITS,
    ProductInput,
    tax_class_codes,
    upsert_products,
    validate_product,
)
from services.money import line_amount, round_cash
from services.selling import LineRequest, PaymentRequest, SaleRequest, complete_sale
from services.stock import ReceivedLine, receive_goods
from services.users import Actor, authenticate

#: Bump when the generated data changes shape, so old cache folders are not reused.
GENERATOR_VERSION = 1
PRODUCT_BATCH = 5_000
SALE_BATCH = 500
STOCK_BATCH = 500
#: How many products make up the "fast movers" most sales pick from.
POPULAR = 2_000
CASHIER = ("Sari", "1234")
SUPERVISOR = ("Budi", "5678")

Log = Callable[[str], None]


def _stderr(msg: str) -> None:
    sys.stderr.write(msg + "\n")
    sys.stderr.flush()


# --- word lists: (category, SKU code, unit, price range in rupiah, tax class, names, sizes)
# Names are generic warung goods with made-up brand words, so the catalogue reads like a
# real minimarket shelf without copying anyone's product list.
_BRANDS = ["Sedap", "Jaya", "Makmur", "Sentosa", "Sumber", "Rasa", "Nusantara", "Merapi",
           "Bromo", "Cahaya", "Mawar", "Melati", "Garuda", "Rajawali", "Kenari", "Pelangi",
           "Mentari", "Segar", "Lestari", "Berkah", "Abadi", "Sinar", "Citra", "Dewi",
           "Bintang", "Kencana", "Harapan", "Sejahtera", "Mutiara", "Permata", "Kartika",
           "Wangi", "Ceria", "Sakura", "Tunas", "Sari", "Indah", "Puri", "Selera", "Nikmat"]

_CATEGORIES: list[tuple[str, str, str, tuple[int, int], str, list[str], list[str],
                        list[str]]] = [
    ("Mi Instan", "MI", "pcs", (2_500, 6_000), "PPN",
     ["Mie Goreng", "Mie Kuah", "Mie Cup", "Bihun Instan", "Mie Telur"],
     ["Ayam Bawang", "Soto", "Kari Ayam", "Rendang", "Sambal Matah", "Iga Penyet",
      "Cabe Ijo", "Original", "Jumbo", "Pedas"], ["70 g", "75 g", "80 g", "85 g", "120 g"]),
    ("Minuman", "MN", "pcs", (3_000, 12_000), "PPN",
     ["Teh Botol", "Teh Melati", "Kopi Susu", "Air Mineral", "Jus Jeruk", "Susu UHT",
      "Minuman Isotonik", "Soda Gembira", "Es Kopi"],
     ["Original", "Less Sugar", "Coklat", "Stroberi", "Melon", "Vanila", "Leci", "Apel"],
     ["200 ml", "250 ml", "330 ml", "350 ml", "500 ml", "600 ml", "1,5 L"]),
    ("Kopi & Teh", "KT", "pcs", (1_500, 35_000), "PPN",
     ["Kopi Bubuk", "Kopi Sachet", "Kopi Tubruk", "Teh Celup", "Teh Tubruk", "Kopi Mix"],
     ["Robusta", "Arabika", "Gula Aren", "Jahe", "Melati", "Susu", "Mocca", "Tanpa Gula"],
     ["20 g", "25 g", "65 g", "165 g", "200 g", "isi 10", "isi 25"]),
    ("Makanan Ringan", "SN", "pcs", (1_000, 18_000), "PPN",
     ["Keripik Singkong", "Keripik Kentang", "Kacang Goreng", "Wafer", "Biskuit",
      "Kerupuk Udang", "Rempeyek", "Makaroni Pedas", "Roti Sobek", "Coklat Batang"],
     ["Balado", "Original", "Keju", "Jagung Bakar", "Rumput Laut", "Pedas Manis",
      "Coklat", "Pandan"], ["15 g", "30 g", "60 g", "100 g", "150 g", "250 g"]),
    ("Sembako", "SB", "pcs", (4_000, 80_000), "BEBAS",
     ["Beras", "Gula Pasir", "Minyak Goreng", "Tepung Terigu", "Garam", "Kecap Manis",
      "Saus Sambal", "Santan", "Telur Ayam", "Kedelai"],
     ["Premium", "Medium", "Curah", "Pulen", "Kemasan", "Ekonomis", "Super"],
     ["250 g", "500 g", "1 kg", "2 kg", "5 kg", "1 L", "2 L", "isi 10"]),
    ("Sembako Curah", "CR", "kg", (12_000, 40_000), "BEBAS",
     ["Beras Curah", "Gula Curah", "Telur Curah", "Bawang Merah", "Bawang Putih",
      "Cabai Rawit", "Kacang Hijau", "Terigu Curah"],
     ["Lokal", "Super", "Kupas", "Pilihan", "Biasa"], []),
    ("Perlengkapan Mandi", "MD", "pcs", (2_000, 45_000), "PPN",
     ["Sabun Mandi", "Sampo", "Pasta Gigi", "Sikat Gigi", "Sabun Cair", "Deodoran",
      "Bedak Bayi", "Minyak Kayu Putih"],
     ["Sereh", "Lemon", "Mint", "Aloe Vera", "Anti Ketombe", "Herbal", "Bunga", "Sensitif"],
     ["10 ml", "70 ml", "85 g", "100 ml", "170 ml", "340 ml", "sachet"]),
    ("Kebutuhan Rumah", "RT", "pcs", (1_500, 60_000), "PPN",
     ["Deterjen Bubuk", "Sabun Cuci Piring", "Pewangi Pakaian", "Pembersih Lantai",
      "Obat Nyamuk Bakar", "Tisu Gulung", "Korek Api", "Lilin", "Baterai", "Kantong Plastik"],
     ["Lavender", "Jeruk Nipis", "Apel", "Pinus", "Ekstra", "Hemat", "Anti Bakteri"],
     ["isi 6", "isi 10", "400 ml", "800 ml", "1 kg", "refill", "sachet"]),
    ("Rokok", "RK", "pcs", (12_000, 38_000), "PPNBM",
     ["Kretek Filter", "Kretek", "Putih Mild", "Klobot"],
     ["Merah", "Hitam", "Biru", "Hijau", "Gold"], ["isi 12", "isi 16", "isi 20"]),
    ("Bumbu Dapur", "BM", "pcs", (500, 15_000), "PPN",
     ["Bumbu Nasi Goreng", "Bumbu Rendang", "Penyedap Rasa", "Kaldu Ayam", "Merica Bubuk",
      "Ketumbar Bubuk", "Terasi", "Bumbu Soto"],
     ["Pedas", "Original", "Spesial", "Instan", "Sapi", "Ayam"],
     ["sachet", "8 g", "40 g", "100 g", "250 g"]),
]

#: Notes a customer hands over (Rp 2.000 to Rp 100.000).
_NOTES = (2_000, 5_000, 10_000, 20_000, 50_000, 100_000)


def _demo_barcodes() -> set[str]:
    codes: set[str] = set()
    for line in catalogue_text().splitlines()[1:]:
        for field in line.split(","):
            if field.isdigit() and len(field) == 13:
                codes.add(field)
    return codes


def _price(rng: random.Random, lo: int, hi: int) -> int:
    # Shelf prices end in Rp 500 (Rp 100 below Rp 2.000), as warung price tags do.
    step = 100 if hi <= 2_000 else 500
    return max(step, round(rng.uniform(lo, hi) / step) * step)


def generate_products(seed: int, n: int) -> list[ProductInput]:
    """``n`` products with unique SKUs and unique valid EAN-13 barcodes (prefix 899)."""
    rng = random.Random(f"products:{seed}")
    taken = _demo_barcodes()
    # 9 free digits after the 899 prefix; sampling a range draws without repeats.
    bodies = rng.sample(range(10**9), n + len(taken))
    codes = (c for c in (with_check_digit(f"899{b:09d}") for b in bodies) if c not in taken)
    products: list[ProductInput] = []
    for i in range(n):
        cat, code, unit, (lo, hi), tax, kinds, variants, sizes = rng.choice(_CATEGORIES)
        name = f"{rng.choice(kinds)} {rng.choice(_BRANDS)} {rng.choice(variants)}"
        if sizes:
            name += f" {rng.choice(sizes)}"
        price = _price(rng, lo, hi)
        cost = int(price * rng.uniform(0.72, 0.9)) // 50 * 50
        # Goods sold by weight are scanned by a scale label, not a maker's barcode.
        barcodes: tuple[str, ...] = () if unit in WEIGHED_UNITS else (next(codes),)
        if barcodes and rng.random() < 0.05:  # a carton and a piece barcode
            barcodes += (next(codes),)
        products.append(ProductInput(
            sku=f"B{code}-{i + 1:06d}", name=name, price=price, cost=cost, unit=unit,
            category=cat, tax_class=tax, barcodes=barcodes, tracks_stock=True,
            low_stock_milli=(5_000 if unit not in WEIGHED_UNITS else 2_000)))
    return products


@dataclass(frozen=True, slots=True)
class SalePlan:
    """The sales to make: their requests and the opening stock the fast movers get."""

    sales: list[SaleRequest]
    opening_stock: list[ReceivedLine]


def _qty(rng: random.Random, unit: str) -> int:
    if unit in WEIGHED_UNITS:
        return rng.choice((250, 500, 750, 1_000, 1_500, 2_000))
    return rng.choices((1_000, 2_000, 3_000, 5_000), weights=(70, 18, 8, 4))[0]


def plan_sales(seed: int, products: Sequence[ProductInput], m: int, *,
               rounding_unit: int = 100) -> SalePlan:
    """``m`` sales of 1-6 lines (mostly fast movers), paid mostly cash, some by EDC card."""
    rng = random.Random(f"sales:{seed}")
    if not products:
        return SalePlan([], [])
    popular = rng.sample(range(len(products)), min(POPULAR, len(products)))
    # A flattened Zipf: a few products sell a lot, a long tail sells a little.
    cum_weights = list(accumulate(1.0 / (rank + 10) for rank in range(len(popular))))
    sold_units: dict[int, int] = {}
    sales: list[SaleRequest] = []
    for _ in range(m):
        n_lines = rng.choices((1, 2, 3, 4, 5, 6), weights=(20, 25, 25, 15, 10, 5))[0]
        lines: list[LineRequest] = []
        total = 0
        for _ in range(n_lines):
            if rng.random() < 0.8:
                idx = rng.choices(popular, cum_weights=cum_weights)[0]
            else:
                idx = rng.randrange(len(products))
            p = products[idx]
            qty = _qty(rng, p.unit)
            code = p.barcodes[0] if p.barcodes and rng.random() < 0.9 else p.sku
            lines.append(LineRequest(code, qty))
            total += line_amount(p.price, qty)
            sold_units[idx] = sold_units.get(idx, 0) + qty
        if rng.random() < 0.12:
            payment = PaymentRequest("edc", total)  # a card on the bank's machine: exact
        else:
            due = round_cash(total, rounding_unit, "nearest")
            note = next((x for x in _NOTES if x >= due), None)
            tendered = note if note is not None else -(-due // 100_000) * 100_000
            if rng.random() < 0.3:
                tendered = due  # exact money
            payment = PaymentRequest("cash", tendered)
        sales.append(SaleRequest(tuple(lines), (payment,)))
    # Opening stock: about what will sell, plus a margin, so few levels end up negative.
    stock = [ReceivedLine(products[idx].sku, -(-int(units * 1.1) // 1000) * 1000 + 12_000,
                          products[idx].cost)
             for idx, units in sorted(sold_units.items())]
    return SalePlan(sales, stock)


class BatchUnitOfWork(UnitOfWork):
    """A unit of work whose ``commit()`` is deferred to :meth:`flush` (generator only).

    ``complete_sale`` calls ``uow.commit()`` as its last write; here that only counts the
    sale, and :meth:`flush` commits the whole batch in one transaction.
    """

    pending = 0

    def __enter__(self) -> BatchUnitOfWork:
        super().__enter__()
        return self

    def commit(self) -> None:
        self.pending += 1

    def flush(self) -> None:
        super().commit()
        self.pending = 0


@dataclass(frozen=True, slots=True)
class DataSet:
    folder: Path
    db: Path
    seed: int
    products: int
    sales: int
    cached: bool
    product_seconds: float
    sale_seconds: float


def _login(shop: Shop, who: tuple[str, str]) -> Actor:
    with shop.uow() as uow:
        actor = authenticate(uow, who[0], who[1])
        uow.commit()
    return actor


def insert_products(shop: Shop, products: Sequence[ProductInput],
                    log: Log | None = None) -> None:
    with shop.uow(write=False) as uow:
        classes = tax_class_codes(uow.conn)
    for i, p in enumerate(products):
        validate_product(p, classes, prefix=f"products[{i}].")
    for start in range(0, len(products), PRODUCT_BATCH):
        with shop.uow() as uow:
            upsert_products(uow, list(products[start:start + PRODUCT_BATCH]))
            uow.commit()
        if log and (start // PRODUCT_BATCH) % 4 == 3:
            log(f"  products: {start + PRODUCT_BATCH:,}/{len(products):,}")


def make_sales(shop: Shop, plan: SalePlan, log: Log | None = None) -> None:
    supervisor = _login(shop, SUPERVISOR)
    for start in range(0, len(plan.opening_stock), STOCK_BATCH):
        with shop.uow() as uow:
            receive_goods(uow, supervisor, supplier="Stok awal (benchmark)",
                          lines=plan.opening_stock[start:start + STOCK_BATCH],
                          paid_from="capital")
    cashier = _login(shop, CASHIER)
    config = shop.config
    began = time.perf_counter()
    for start in range(0, len(plan.sales), SALE_BATCH):
        with BatchUnitOfWork(shop.db) as uow:
            for req in plan.sales[start:start + SALE_BATCH]:
                complete_sale(uow, config, cashier, req)
            uow.flush()
        done = start + SALE_BATCH
        if log and done % 10_000 == 0:
            rate = done / (time.perf_counter() - began)
            log(f"  sales: {done:,}/{len(plan.sales):,} ({rate:,.0f}/s)")


def checkpoint(db: Path) -> None:
    # Fold the WAL into the main file so the folder can be copied file by file.
    conn = sqlite3.connect(db)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def cache_folder(work_dir: Path, seed: int, products: int, sales: int) -> Path:
    return work_dir / f"shop-v{GENERATOR_VERSION}-seed{seed}-p{products}-s{sales}"


def _read_ready(folder: Path) -> dict[str, float] | None:
    marker = folder / "ready.json"
    if not marker.exists() or not db_path(folder).exists():
        return None
    data: dict[str, float] = json.loads(marker.read_text("utf-8"))
    return data


def build_dataset(work_dir: Path, *, seed: int, products: int, sales: int,
                  log: Log | None = _stderr) -> DataSet:
    """The cached shop for (seed, products, sales), generated on first use.

    A shop with sales starts from a copy of the cached shop with the same products and no
    sales, so the catalogue is generated once for all sales sizes.
    """
    work_dir.mkdir(parents=True, exist_ok=True)
    folder = cache_folder(work_dir, seed, products, sales)
    ready = _read_ready(folder)
    if ready is not None:
        return DataSet(folder, db_path(folder), seed, products, sales, True,
                       ready["product_seconds"], ready["sale_seconds"])
    building = folder.with_name(folder.name + ".building")
    shutil.rmtree(building, ignore_errors=True)
    product_seconds = 0.0
    if sales:
        base = build_dataset(work_dir, seed=seed, products=products, sales=0, log=log)
        shutil.copytree(base.folder, building)
        (building / "ready.json").unlink()
        product_seconds = base.product_seconds
    else:
        building.mkdir(parents=True)
    shop = open_shop(building, synchronous="OFF")
    try:
        catalogue = generate_products(seed, products)
        if not sales:
            seed_demo(shop)
            if log:
                log(f"generating {products:,} products (seed {seed}) in {building}")
            began = time.perf_counter()
            insert_products(shop, catalogue, log)
            product_seconds = time.perf_counter() - began
        sale_seconds = 0.0
        if sales:
            if log:
                log(f"generating {sales:,} sales through complete_sale (seed {seed})")
            plan = plan_sales(seed, catalogue, sales, rounding_unit=shop.config.rounding_unit)
            began = time.perf_counter()
            make_sales(shop, plan, log)
            sale_seconds = time.perf_counter() - began
    finally:
        shop.close()
    checkpoint(db_path(building))
    (building / "ready.json").write_text(json.dumps(
        {"seed": seed, "products": products, "sales": sales,
         "product_seconds": product_seconds, "sale_seconds": sale_seconds}), "utf-8")
    shutil.rmtree(folder, ignore_errors=True)
    building.rename(folder)
    return DataSet(folder, db_path(folder), seed, products, sales, False, product_seconds,
                   sale_seconds)


def copy_dataset(data: DataSet, target: Path) -> Path:
    """A private copy of a cached shop, for a benchmark that writes to it."""
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(data.folder, target)
    return target


def sale_totals(db: Path) -> Iterator[tuple[int, int, int]]:
    """(seq, total, payable) of every sale, in receipt order (for determinism checks)."""
    conn = sqlite3.connect(db)
    try:
        yield from conn.execute("SELECT seq, total, payable FROM sale ORDER BY seq")
    finally:
        conn.close()

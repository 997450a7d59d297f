"""Barcode lookup + add to cart, with a large catalogue.

Each scan is what the till does: a read unit of work, :func:`services.catalogue.lookup_item`,
then :meth:`services.cart.Cart.add` (a cart of up to ``CART_SIZE`` lines, then a new one).
The baseline is the bare barcode SELECT on a plain ``sqlite3`` connection to the same file.
Scans and baseline queries alternate in blocks so both see the same machine and cache.
"""

from __future__ import annotations

import random
import sqlite3
import time
from pathlib import Path

from app.paths import db_path
from app.shop import open_shop
from bench.generate import build_dataset
from bench.report import Emit, Figure, figure, percentile, print_figure
from services.cart import Cart
from services.catalogue import lookup_item

DEFAULT_SAMPLES = 5_000
CART_SIZE = 25
BLOCK = 100
WARMUP = 200
_RAW_LOOKUP = ("SELECT p.id, p.sku, p.name, p.unit, p.price, p.cost, p.tax_class, "
               "p.tracks_stock FROM barcode b JOIN product p ON p.id = b.product_id "
               "WHERE b.code = ? AND p.active")


def scan_codes(db: Path, seed: int, n: int) -> list[str]:
    """``n`` barcodes of the catalogue, drawn with repeats (popular goods get scanned often)."""
    conn = sqlite3.connect(db)
    try:
        codes = [str(r[0]) for r in conn.execute("SELECT code FROM barcode ORDER BY code")]
    finally:
        conn.close()
    rng = random.Random(f"lookup:{seed}")
    return [rng.choice(codes) for _ in range(n)]


def measure(work_dir: Path, *, seed: int = 1, products: int = 100_000,
            samples: int = DEFAULT_SAMPLES, emit: Emit = print_figure) -> list[Figure]:
    data = build_dataset(work_dir, seed=seed, products=products, sales=0)
    codes = scan_codes(data.db, seed, WARMUP + samples)
    shop = open_shop(data.folder)
    raw = sqlite3.connect(db_path(data.folder), isolation_level=None)
    svc: list[float] = []
    base: list[float] = []
    try:
        cart = Cart()
        for start in range(0, len(codes), BLOCK):
            block = codes[start:start + BLOCK]
            for code in block:
                began = time.perf_counter()
                with shop.uow(write=False) as uow:
                    item = lookup_item(uow.conn, code)
                cart = cart.add(item, 1_000)
                svc.append(time.perf_counter() - began)
                if len(cart.lines) >= CART_SIZE:
                    cart = Cart()
            for code in block:
                began = time.perf_counter()
                row = raw.execute(_RAW_LOOKUP, (code,)).fetchone()
                base.append(time.perf_counter() - began)
                assert row is not None
    finally:
        raw.close()
        shop.close()
    svc_ms = [t * 1000 for t in svc[WARMUP:]]
    base_ms = [t * 1000 for t in base[WARMUP:]]
    figures = [
        figure("lookup_add.p50", "ms", percentile(svc_ms, 50),
               baseline=percentile(base_ms, 50), n=len(svc_ms), products=products),
        figure("lookup_add.p99", "ms", percentile(svc_ms, 99),
               baseline=percentile(base_ms, 99), target=2.0, n=len(svc_ms),
               products=products),
    ]
    for f in figures:
        emit(f)
    return figures

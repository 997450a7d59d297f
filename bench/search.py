"""Search as you type, with a large catalogue.

Queries are keystrokes of typing sessions drawn from the catalogue itself: the first word of
a product name typed letter by letter (1-6 letters), then the second word; SKU prefixes; and
barcode prefixes (1-6 digits, then longer). Each keystroke is one
:func:`services.catalogue.search_products` call in its own read unit of work, as a search box
would run it. The baseline runs the same SQL (FTS5 ``MATCH`` with prefix terms, and the
barcode range scan for digits) on a plain ``sqlite3`` connection to the same file.
"""

from __future__ import annotations

import random
import re
import sqlite3
import time
from pathlib import Path

from app.paths import db_path
from app.shop import open_shop
from bench.generate import build_dataset
from bench.report import Emit, Figure, figure, percentile, print_figure
from services.catalogue import search_products

DEFAULT_SESSIONS = 600
LIMIT = 20
WARMUP = 100
_TOKEN = re.compile(r"\w+", re.UNICODE)


def typing_queries(db: Path, seed: int, sessions: int) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute("SELECT p.name, p.sku, MIN(b.code) FROM product p "
                            "LEFT JOIN barcode b ON b.product_id = p.id "
                            "GROUP BY p.pk ORDER BY p.pk").fetchall()
    finally:
        conn.close()
    rng = random.Random(f"search:{seed}")
    queries: list[str] = []
    for _ in range(sessions):
        name, sku, code = rng.choice(rows)
        kind = rng.random()
        if kind < 0.6 or (kind >= 0.8 and not code):
            words = str(name).lower().split()
            first = words[0]
            queries += [first[:n] for n in range(1, min(6, len(first)) + 1)]
            if len(words) > 1 and rng.random() < 0.6:
                second = words[1]
                queries += [f"{first} {second[:n]}" for n in range(1, min(6, len(second)) + 1)]
        elif kind < 0.8:
            typed = str(sku).lower()
            queries += [typed[:n] for n in range(1, min(6, len(typed)) + 1)] + [typed]
        else:
            digits = str(code)
            queries += [digits[:n] for n in (1, 2, 3, 4, 5, 6, 8, 10, 13)]
    return queries


def raw_search(conn: sqlite3.Connection, query: str, limit: int = LIMIT) -> int:
    """The SQL of ``search_products`` without the layers above it; returns the hit count."""
    query = query.strip()
    seen: set[str] = set()
    if query.isdigit():
        for r in conn.execute(
                "SELECT p.id, p.sku, p.name, p.price, p.unit FROM barcode b "
                "JOIN product p ON p.id = b.product_id "
                "WHERE b.code >= ? AND b.code < ? AND p.active ORDER BY b.code LIMIT ?",
                (query, query + "\uffff", limit)):
            seen.add(r[0])
    tokens = _TOKEN.findall(query)
    if tokens and len(seen) < limit:
        match = " ".join(f'"{t}"*' for t in tokens)
        for r in conn.execute(
                "SELECT p.id, p.sku, p.name, p.price, p.unit FROM product_fts f "
                "JOIN product p ON p.pk = f.rowid WHERE product_fts MATCH ? AND p.active "
                "LIMIT ?", (match, limit)):
            if len(seen) >= limit:
                break
            seen.add(r[0])
    return len(seen)


def measure(work_dir: Path, *, seed: int = 1, products: int = 100_000,
            sessions: int = DEFAULT_SESSIONS, emit: Emit = print_figure) -> list[Figure]:
    data = build_dataset(work_dir, seed=seed, products=products, sales=0)
    queries = typing_queries(data.db, seed, sessions)
    shop = open_shop(data.folder)
    raw = sqlite3.connect(db_path(data.folder), isolation_level=None)
    warmup = min(WARMUP, len(queries) // 5)
    svc: list[float] = []
    base: list[float] = []
    try:
        for i, q in enumerate(queries):
            began = time.perf_counter()
            with shop.uow(write=False) as uow:
                hits = search_products(uow.conn, q, limit=LIMIT)
            t_svc = time.perf_counter() - began
            began = time.perf_counter()
            raw_hits = raw_search(raw, q)
            t_raw = time.perf_counter() - began
            assert len(hits) == raw_hits, (q, len(hits), raw_hits)
            if i >= warmup:
                svc.append(t_svc * 1000)
                base.append(t_raw * 1000)
    finally:
        raw.close()
        shop.close()
    figures = [
        figure("search.p50", "ms", percentile(svc, 50), baseline=percentile(base, 50),
               n=len(svc), products=products),
        figure("search.p99", "ms", percentile(svc, 99), baseline=percentile(base, 99),
               target=10.0, n=len(svc), products=products),
    ]
    for f in figures:
        emit(f)
    return figures

"""``warungin bench``: the performance figures of issue 2, one JSON line per figure.

Large data sets come from :mod:`bench.generate` and are cached under ``--work-dir``
(default ``./bench-data``, gitignored) keyed by (seed, products, sales), so only the first
run pays for generating them. The benchmark modules are imported only when this command
runs, so the rest of the CLI starts without them: the one-folder build (build.spec) leaves
the ``bench`` package out, and there ``warungin bench`` says so instead of crashing the CLI.
"""

from __future__ import annotations

import argparse
import importlib
from pathlib import Path

from services.errors import Conflict

BENCHMARKS = ("sale_commit", "lookup", "search", "verify", "push", "pull", "cold_start",
              "shipments", "messages", "analytics", "report_pdf", "loyalty_commit",
              "stock_alerts", "campaigns")
#: ``--sales`` when not given: the verify database, and the push catch-up (issue 3);
#: analytics and the month's PDF read the cold-start shop (~1,000,000 sale lines).
DEFAULT_SALES = {"verify": 200_000, "push": 20_000, "cold_start": 352_500,
                 "analytics": 352_500, "report_pdf": 352_500}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("bench", parents=[common],
                       help="run the performance benchmarks (one JSON line per figure)")
    p.add_argument("--only", choices=BENCHMARKS, action="append",
                   help="run only this benchmark (repeatable); default: all")
    p.add_argument("--products", type=int, default=100_000,
                   help="catalogue size for lookup, search, verify and the pull "
                        "(default 100000)")
    p.add_argument("--sales", type=int, default=None,
                   help="sales in the verify database (default 200000) and queued for the "
                        "push catch-up (default 20000)")
    p.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    p.add_argument("--work-dir", default="bench-data",
                   help="where generated databases are cached (default ./bench-data)")
    p.add_argument("--samples", type=int, default=None,
                   help="timed repetitions per benchmark (default: each benchmark's own)")
    p.set_defaults(handler=run)


def _positive(value: int, name: str) -> int:
    if value < 1:
        from services.errors import BadInput
        raise BadInput("must be at least 1", field=name)
    return value


def _require_bench() -> None:
    """A clear refusal where the ``bench`` package is not installed (the one-folder build)."""
    try:
        importlib.import_module("bench")
    except ModuleNotFoundError as exc:
        if exc.name != "bench":
            raise  # something bench itself needs is missing: a real error
        raise Conflict("the benchmarks are not part of this build; run 'warungin bench' from "
                       "a source checkout (pip install -e .)", field="bench") from None


def run(args: argparse.Namespace) -> int:
    products = _positive(args.products, "products")
    given = None if args.sales is None else _positive(args.sales, "sales")
    sales = given or DEFAULT_SALES["verify"]
    samples = None if args.samples is None else _positive(args.samples, "samples")
    work = Path(args.work_dir).expanduser()
    chosen = args.only or list(BENCHMARKS)
    _require_bench()
    from bench.generate import cache_folder
    from bench.report import print_figure
    was_cached = {n: (cache_folder(work, args.seed, products, n) / "ready.json").exists()
                  for n in (0, sales)}
    for name in BENCHMARKS:
        if name not in chosen:
            continue
        module = importlib.import_module(f"bench.{name}")
        kwargs: dict[str, int] = {"seed": args.seed}
        if name in ("sale_commit", "loyalty_commit", "stock_alerts"):
            kwargs.update({} if samples is None else {"samples": samples})
        elif name == "lookup":
            kwargs.update(products=products, **({} if samples is None else {"samples": samples}))
        elif name == "search":
            kwargs.update(products=products, **({} if samples is None else {"sessions": samples}))
        elif name == "push":
            kwargs.update(sales=given or DEFAULT_SALES["push"])
        elif name == "pull":
            kwargs.update(products=products)
        elif name in ("shipments", "messages", "campaigns"):
            pass  # their own fixed loads (issue 12: 200 parcels; issue 13: 1,000 messages;
            # issue 15: a 5,000-recipient campaign queued, 500 sent at the rate limit)
        elif name in ("analytics", "report_pdf"):
            # The cold-start shop spread over a year (issue 14): analytics over ~1,000,000
            # sale lines on SQLite and PostgreSQL, and November's 30,000 sales as a PDF.
            kwargs.update(products=products, sales=given or DEFAULT_SALES[name],
                          **({} if samples is None else {"samples": samples}))
        elif name == "cold_start":
            # 100,000 products and just over 1,000,000 sale lines (issue 5).
            kwargs.update(products=products, sales=given or DEFAULT_SALES["cold_start"],
                          **({} if samples is None else {"samples": samples}))
        else:
            kwargs.update(products=products, sales=sales)
        module.measure(work, emit=print_figure, **kwargs)
    _report_generation(work, args.seed, products, sales, chosen, was_cached)
    return 0


def _report_generation(work: Path, seed: int, products: int, sales: int,
                       chosen: list[str], was_cached: dict[int, bool]) -> None:
    """How long the cached data sets took to generate (once, whether or not cached now)."""
    from bench.generate import build_dataset
    from bench.report import print_figure
    if not {"lookup", "search", "verify"} & set(chosen):
        return
    data = build_dataset(work, seed=seed, products=products,
                         sales=sales if "verify" in chosen else 0)
    print_figure({"name": "generate.products", "unit": "s",
                  "value": round(data.product_seconds, 2), "n": products,
                  "cached": was_cached[0]})
    if "verify" in chosen:
        print_figure({"name": "generate.sales", "unit": "s",
                      "value": round(data.sale_seconds, 2), "n": sales,
                      "cached": was_cached[sales]})

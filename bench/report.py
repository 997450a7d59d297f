"""Figures: percentiles and the one-JSON-line-per-figure output every benchmark shares."""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Callable, Sequence
from typing import Any

Figure = dict[str, Any]
Emit = Callable[[Figure], None]


def percentile(samples: Sequence[float], pct: float) -> float:
    """The nearest-rank percentile (no interpolation: it is a time some call really took)."""
    if not samples:
        raise ValueError("no samples")
    ordered = sorted(samples)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def median(samples: Sequence[float]) -> float:
    ordered = sorted(samples)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def figure(name: str, unit: str, value: float | None, *, baseline: float | None = None,
           target: float | None = None, target_of: str = "value",
           **extra: Any) -> Figure:
    """One figure. ``target_of`` says whether the target bounds the value or the ratio
    (the sale-commit target is a ratio, the others are times)."""
    out: Figure = {"name": name, "unit": unit,
                   "value": None if value is None else round(value, 4)}
    ratio = None
    if baseline is not None:
        out["baseline"] = round(baseline, 4)
        if value is not None and baseline > 0:
            ratio = value / baseline
            out["ratio"] = round(ratio, 2)
    if target is not None:
        out["target"] = target
        out["target_of"] = target_of
        bounded = ratio if target_of == "ratio" else value
        out["ok"] = bounded is not None and bounded <= target
    out.update(extra)
    return out


def print_figure(fig: Figure) -> None:
    sys.stdout.write(json.dumps(fig, ensure_ascii=False) + "\n")
    sys.stdout.flush()

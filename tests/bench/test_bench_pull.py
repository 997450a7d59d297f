"""A tiny run of the pull benchmark against the real PostgreSQL: the shape of its output and
that the catalogue really arrived (no timing is asserted here)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli.main import main


def test_pull_benchmark_prints_json_figures(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["bench", "--only", "pull", "--products", "300", "--work-dir", str(tmp_path)])
    assert code == 0
    figures = [json.loads(line) for line in capsys.readouterr().out.splitlines()
               if line.strip()]
    (fig,) = figures
    assert fig["name"] == "pull.catalogue" and fig["unit"] == "s"
    for key in ("value", "baseline", "ratio", "target"):
        assert isinstance(fig[key], (int, float)), key
    assert fig["target_of"] == "value" and isinstance(fig["ok"], bool)
    # Every product, price and barcode made at central went through the cursor; products
    # and barcodes arrived, prices stayed central history; the baseline wrote the same rows.
    central = fig["central_rows"]
    assert central["product"] == central["product_price"] == 300
    assert fig["changes"] == sum(central.values())
    assert fig["history_only"] == 300 and fig["complete"] is True
    assert fig["local_rows"] == {"category": central["category"], "product": 300,
                                 "barcode": central["barcode"], "product_fts": 300}

"""bench/messages.py runs end to end on a small load (the real figures: warungin bench)."""

from __future__ import annotations

from pathlib import Path

from bench.messages import measure


def test_message_bench_smoke(tmp_path: Path) -> None:
    seen: list[dict[str, object]] = []
    figures = measure(tmp_path, messages=20, limit=40.0, samples=6, emit=seen.append)
    names = [str(f["name"]) for f in figures]
    assert names == ["message.sale_commit_with_receipt.median", "message.receipt_queue.median",
                     "message.whatsapp_rate", "message.whatsapp_rate_share"]
    assert seen == figures and all("message" in n for n in names)
    by = {f["name"]: f for f in figures}
    assert by["message.whatsapp_rate"]["n"] == 20 and by["message.whatsapp_rate"]["baseline"] == 40
    assert by["message.sale_commit_with_receipt.median"]["baseline"] is not None

"""A customer's data export as the bytes of a file (JSON or PDF), and writing it so that
only its owner can read it (it holds a person's data). Used by the CLI and the back office."""

from __future__ import annotations

import json
import os
from pathlib import Path

from services.personal_data import CustomerDataExport


def render(data: CustomerDataExport, fmt: str, lang: str = "id") -> bytes:
    if fmt == "pdf":
        from app.personal_data_pdf import to_pdf
        return to_pdf(data, lang)
    return json.dumps(data.as_dict(), ensure_ascii=False, indent=2).encode("utf-8")


def write_private(path: Path, data: bytes) -> None:
    """Write a file only its owner can read (mode 0600, also when it existed before)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)


__all__ = ["render", "write_private"]

"""Where the shop's files live: ``--data-dir`` > ``WARUNGIN_DATA_DIR`` > the user data folder."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

DB_NAME = "warungin.db"


def data_dir(explicit: str | None = None) -> Path:
    chosen = explicit or os.environ.get("WARUNGIN_DATA_DIR")
    path = Path(chosen).expanduser() if chosen else Path(user_data_dir("warungin", "Warungin"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def db_path(folder: Path) -> Path:
    return folder / DB_NAME

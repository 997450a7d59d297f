"""Opening the shop: the composition of database, configuration and secrets for one data folder."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from app.paths import db_path
from local_db.engine import Database
from local_db.migrate import prepare
from local_db.uow import UnitOfWork
from services.shop import ShopConfig, load_config


@dataclass
class Shop:
    folder: Path
    db: Database
    _config: ShopConfig | None = None

    @property
    def config(self) -> ShopConfig:
        if self._config is None:
            with UnitOfWork(self.db, write=False) as uow:
                self._config = load_config(uow.conn)
        return self._config

    def reload(self) -> None:
        self._config = None

    def uow(self, *, write: bool = True) -> UnitOfWork:
        return UnitOfWork(self.db, write=write)

    def has_shop(self) -> bool:
        from sqlalchemy import select

        from local_db.models import Setting
        with UnitOfWork(self.db, write=False) as uow:
            return uow.session.scalar(select(Setting.value)
                                      .where(Setting.key == "terminal_id")) is not None

    def close(self) -> None:
        self.db.dispose()


def open_shop(folder: Path, *, synchronous: str = "FULL", check: bool = True) -> Shop:
    """``check=False``: see local_db.migrate.prepare (the desktop program checks later)."""
    return Shop(folder, prepare(db_path(folder), synchronous=synchronous, check=check))


@contextmanager
def shop_at(folder: Path) -> Iterator[Shop]:
    shop = open_shop(folder)
    try:
        yield shop
    finally:
        shop.close()

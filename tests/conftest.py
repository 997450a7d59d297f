"""Shared fixtures: real SQLite files in a temporary folder, an in-memory keyring."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

from app.demo import seed_demo
from app.shop import Shop, open_shop
from local_db.uow import UnitOfWork
from services.users import Actor, authenticate


class MemoryKeyring(KeyringBackend):
    """A keyring that lives in this process only (never the developer's real keyring)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One seeded demo shop per test session; each test gets its own copy of the files."""
    folder = tmp_path_factory.mktemp("demo-template")
    shop = open_shop(folder)
    seed_demo(shop)
    shop.close()
    return folder


@pytest.fixture
def shop(demo_template: Path, tmp_path: Path) -> Iterator[Shop]:
    import shutil
    import sqlite3
    folder = tmp_path / "shop"
    shutil.copytree(demo_template, folder)
    # A WAL database copied file-by-file is consistent only if the WAL was checkpointed.
    conn = sqlite3.connect(folder / "warungin.db")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    s = open_shop(folder)
    yield s
    s.close()


def login(shop: Shop, name: str, pin: str) -> Actor:
    with UnitOfWork(shop.db) as uow:
        actor = authenticate(uow, name, pin)
        uow.commit()
    return actor


@pytest.fixture
def cashier(shop: Shop) -> Actor:
    return login(shop, "Sari", "1234")


@pytest.fixture
def supervisor(shop: Shop) -> Actor:
    return login(shop, "Budi", "5678")


@pytest.fixture
def owner(shop: Shop) -> Actor:
    return login(shop, "Wati", "9999")


# --- the end of the test process ------------------------------------------------------------

_EXIT_STATUS: list[int] = []


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    _EXIT_STATUS.append(int(exitstatus))


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """End the process with pytest's own status once everything is reported.

    After the UI tests, PySide6 can abort while the interpreter tears down its objects at
    exit ("Fatal Python error: bool_dealloc", status 134, reproducible with
    tests/ui/test_shift_ui.py + tests/ui/test_tasks.py on their own) — after every test
    passed and the summary was printed. Exiting here skips only that teardown; the status
    is pytest's, so a failing test still fails the run."""
    if "PySide6" in sys.modules and _EXIT_STATUS:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(_EXIT_STATUS[-1])

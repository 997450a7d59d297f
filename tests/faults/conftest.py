"""Fixtures of the sync fault tests: the central session database of the central and push
tests, and a second central database for comparisons (see sync_helpers.fresh_central)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.central.conftest import CentralDB, central_db  # noqa: F401  (a fixture, re-exported)
from tests.faults.sync_helpers import fresh_central


@pytest.fixture(scope="session")
def reference_central() -> Iterator[CentralDB]:
    """A second, separate central database: the one that gets the single in-order delivery
    the shuffled deliveries to ``central_db`` are compared with."""
    with fresh_central() as db:
        yield db

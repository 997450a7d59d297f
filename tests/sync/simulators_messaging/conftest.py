from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.sync.simulators_messaging.shared import HTTP


@pytest.fixture(scope="session", autouse=True)
def _close_http() -> Iterator[None]:
    yield
    HTTP.close()

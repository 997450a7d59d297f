"""The app tests that need central reuse the central tests' session database."""

from tests.central.conftest import central_db  # noqa: F401  (a fixture, re-exported)

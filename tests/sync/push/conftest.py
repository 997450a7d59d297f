"""The central tests' session database, shared with the push tests."""

from tests.central.conftest import central_db  # noqa: F401  (a fixture, re-exported)

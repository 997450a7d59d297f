"""The pull tests reuse the central session database of the push tests."""

from tests.central.conftest import central_db  # noqa: F401  (a fixture, re-exported)

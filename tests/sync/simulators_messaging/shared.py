"""One keep-alive httpx client for these tests: a new client per call costs ~50 ms of TLS setup
(conftest.py closes it at the end of the session)."""

from __future__ import annotations

import httpx

HTTP = httpx.Client(timeout=2.0)

"""The shared plumbing of the messaging clients: transport faults and scrubbing."""

from __future__ import annotations

import httpx
import pytest

from sync.messaging.base import scrub, transport_reply


@pytest.mark.parametrize("exc,send,read", [
    (httpx.ConnectError("refused"), "retry", "retry"),
    (httpx.ConnectTimeout("slow"), "retry", "retry"),
    (httpx.PoolTimeout("pool"), "retry", "retry"),
    (httpx.UnsupportedProtocol("ftp"), "rejected", "rejected"),
    (httpx.ReadTimeout("timed out"), "unknown", "retry"),
    (httpx.WriteTimeout("timed out"), "unknown", "retry"),
    (httpx.RemoteProtocolError("Server disconnected"), "unknown", "retry"),
    (httpx.ReadError("reset"), "unknown", "retry"),
])
def test_transport_faults(exc: Exception, send: str, read: str) -> None:
    assert transport_reply(exc, safe_to_repeat=False, timeout=1.0).outcome == send
    assert transport_reply(exc, safe_to_repeat=True, timeout=1.0).outcome == read


def test_a_transport_message_never_carries_the_exception_text() -> None:
    reply = transport_reply(httpx.ReadTimeout("https://x/?To=%2B6281234567890"),
                            safe_to_repeat=False, timeout=3.0)
    assert reply.message is not None and "628" not in reply.message
    assert "3s" in reply.message


def test_scrub_removes_addresses_numbers_and_secrets_but_not_codes_or_dates() -> None:
    text = ("The 'To' number +62 812-3456-7890 is invalid; whatsapp:+6281234567890; "
            "ana.b@example.co.id bounced; key SECRET123; error 21211 on 2027-01-15")
    out = scrub(text, ["SECRET123"])
    assert "812" not in out and "ana.b" not in out and "SECRET123" not in out
    assert "21211" in out and "2027-01-15" in out
    assert out.count("<number>") == 2 and "<email>" in out

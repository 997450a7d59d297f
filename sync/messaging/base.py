"""What the three messaging clients share: transport faults as values, provider waits, scrubbing.

Shaped like django-anymail's backends: every client turns whatever happens to one request
into a :class:`services.message_port.SendReply`; nothing a provider or the network does is
raised. The transport part is decided here, once:

- the request certainly never left (connection refused, DNS failure, connect timeout, no
  free connection in the pool): ``retry``: nothing can have happened at the provider;
- a bad base URL setting (unsupported scheme, malformed URL): ``rejected``: retrying the
  same setting cannot help;
- anything after the request may have been written (read/write timeout, the peer closing
  the connection, a protocol error, a dropped reply): ``unknown`` for a send, which is not
  idempotent at SendGrid or Twilio; a read-only lookup (Twilio fetch/list) makes it ``retry``.

A rate limit is a :class:`sync.jobs.ratelimit.RateLimits` per client: a request takes a
token from its group's bucket first, waiting at most ``max_wait`` seconds (a longer wait
comes back as ``retry`` with ``retry_after`` instead of blocking the dispatcher's thread);
a 429 holds the whole bucket for the provider's wait, so every caller of that client stops.

Messages put on a reply never hold secrets or personal data: provider error texts echo
phone numbers and addresses ("The 'To' number +62... is not a valid phone number"), so
:func:`scrub` replaces them, and a transport fault is described by its kind only.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from datetime import UTC, datetime

import httpx

from services.message_port import Delivery, SendReply
from sync.jobs.backoff import retry_after_seconds
from sync.jobs.ratelimit import RateLimits

log = logging.getLogger(__name__)

#: Wall-clock seconds since the epoch (time.time): for HTTP-dates, Unix reset times and
#: token expiry. Tests inject a fixed one.
WallClock = Callable[[], float]

#: Longest a send waits for its rate-limit token before answering ``retry`` instead.
DEFAULT_MAX_WAIT = 5.0

_EMAIL = re.compile(r"[^\s@'\"<>(),;:]+@[^\s@'\"<>(),;:]+\.[^\s@'\"<>(),;:]+")
_PHONE = re.compile(r"(?:whatsapp:)?\+?\d[\d\s().-]{6,}\d")
#: Fewer digits than this is a date, an error code or an amount, not a phone number.
_PHONE_DIGITS = 9
_MAX_MESSAGE = 400


def _phone_or_not(match: re.Match[str]) -> str:
    digits = sum(c.isdigit() for c in match.group(0))
    return "<number>" if digits >= _PHONE_DIGITS else match.group(0)


def scrub(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` without secrets, email addresses or phone numbers, and not too long."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    text = _EMAIL.sub("<email>", text)
    text = _PHONE.sub(_phone_or_not, text)
    return text[:_MAX_MESSAGE]


def transport_reply(exc: Exception, *, safe_to_repeat: bool, timeout: float) -> SendReply:
    """The reply for an httpx exception. ``safe_to_repeat``: the request was a read (GET),
    so "perhaps processed" does not matter and ``unknown`` becomes ``retry``."""
    kind = type(exc).__name__
    if isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)):
        return SendReply("retry", message=f"{kind}: could not connect; nothing was sent")
    if isinstance(exc, (httpx.UnsupportedProtocol, httpx.InvalidURL)):
        return SendReply("rejected", message=f"{kind}: the provider's base URL setting is "
                                             "not usable")
    if isinstance(exc, httpx.TimeoutException):
        what = f"{kind}: no reply within {timeout:g}s"
    elif isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)):
        what = f"{kind}: the connection was dropped before a full reply"
    else:
        what = f"{kind}: the reply was lost"
    if safe_to_repeat:
        return SendReply("retry", message=what)
    return SendReply("unknown", message=what + "; the provider may have sent it")


def wall_now(clock: WallClock) -> datetime:
    return datetime.fromtimestamp(clock(), tz=UTC)


def provider_wait(headers: Mapping[str, str], clock: WallClock) -> float | None:
    """The wait a 429/5xx answer asks for: Retry-After (seconds or an HTTP-date) or
    X-RateLimit-Reset (a Unix time, or seconds), via :func:`sync.jobs.backoff.retry_after_seconds`."""
    return retry_after_seconds(dict(headers.items()), wall_now(clock))


def observe_rate_headers(limits: RateLimits, group: str, headers: Mapping[str, str],
                         clock: WallClock) -> None:
    """X-RateLimit-Remaining/-Reset on an ordinary answer: never plan on more than that."""
    remaining = headers.get("x-ratelimit-remaining")
    if remaining is None:
        return
    try:
        left = int(remaining.strip())
    except ValueError:
        return
    reset = provider_wait({"x-ratelimit-reset": headers.get("x-ratelimit-reset", "0")}, clock)
    bucket = limits.bucket(group)
    if bucket is not None:
        bucket.observe_remaining(left, reset or 0.0)


def take_token(limits: RateLimits, group: str, max_wait: float) -> SendReply | None:
    """Take a rate-limit token for ``group``; a ``retry`` reply when that would take longer
    than ``max_wait`` seconds (nothing is taken or sent then)."""
    bucket = limits.bucket(group)
    if bucket is None:
        return None
    if bucket.acquire(timeout=max_wait):
        return None
    wait = max(bucket.wait_time(), 0.0)
    return SendReply("retry", message=f"client rate limit for {group}: waiting {wait:.1f}s",
                     retry_after=wait)


def hold(limits: RateLimits, group: str, seconds: float | None, default: float = 1.0) -> float:
    """A 429: nobody sends through ``group`` for the provider's wait (or ``default``)."""
    wait = seconds if seconds is not None and seconds > 0 else default
    limits.hold(group, wait)
    return wait


def json_or_none(response: httpx.Response) -> object:
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:  # HTML error pages from proxies, truncated JSON
        return None


def each(message_ids: Iterable[str], status: str, *, provider_message_id: str | None = None,
         error: str | None = None, error_code: str | None = None) -> tuple[Delivery, ...]:
    """One :class:`Delivery` per recipient, all in the same standing."""
    return tuple(Delivery(m, status, provider_message_id=provider_message_id, error=error,
                          error_code=error_code) for m in message_ids)


def refused_here(field: str, message: str, message_ids: Iterable[str] = ()) -> SendReply:
    """Our own check said no before any HTTP: ``rejected``, ``error_code`` names the field
    (``recipients``, ``to``, ``token``...), and nothing was sent."""
    text = f"{field}: {message}"
    return SendReply("rejected", deliveries=each(message_ids, "rejected", error=text,
                                                 error_code=field),
                     message=text, error_code=field)


def with_deliveries(reply: SendReply, message_ids: Iterable[str]) -> SendReply:
    """A transport reply for a send: ``unknown``/``rejected`` get one delivery per recipient
    in that standing; ``retry`` stays without (nothing happened to anybody)."""
    if reply.outcome == "retry":
        return reply
    status = "unknown" if reply.outcome == "unknown" else "rejected"
    return replace(reply, deliveries=each(message_ids, status, error=reply.message,
                                          error_code=reply.error_code))


__all__ = ["DEFAULT_MAX_WAIT", "WallClock", "each", "hold", "json_or_none",
           "observe_rate_headers", "provider_wait", "refused_here", "scrub", "take_token",
           "transport_reply", "wall_now", "with_deliveries"]

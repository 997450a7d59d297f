"""What every courier client shares: one httpx.Client, rate limits, and the turning of
transport failures into :class:`~services.courier_port.CourierReply` values.

The shape follows django-anymail's backends: a base that owns the HTTP session and knows
how a request can fail, and one small module per provider that builds that provider's
payloads and reads its answers. A provider module calls :meth:`CourierHttp.send`, which
returns either an :class:`Answer` (the courier said something: the provider module decides
what) or a finished :class:`CourierReply` (nothing usable came back).

How a failure is classified (``write`` = the call changes something at the courier: create,
confirm, cancel; reads are quotes, look-ups and tracking, even when sent as a POST):

==============================================  ==========  ==========
failure                                          write       read
==============================================  ==========  ==========
connect refused / connect timeout / pool full    retry       retry
  (the request never left this machine)
bad base URL (unsupported protocol, invalid)     rejected    rejected
read timeout, dropped or garbled reply           unknown     retry
  (it may have been acted on)
HTTP 408                                         unknown     retry
HTTP 429 (+ Retry-After / X-RateLimit-Reset /    retry       retry
  RateLimit-Reset: ``retry_after``; the
  endpoint group's bucket is held that long)
HTTP 5xx                                         unknown     retry
==============================================  ==========  ==========

No courier documents that a 5xx on a create means "not done", so a write's 5xx is
``unknown``: look the shipment up before sending it again. Everything else (2xx, 3xx, the
other 4xx) is the provider module's to read, because couriers put business errors in HTTP
200 bodies (JNE, J&T).

Never logged: bodies, addresses, phones, names, keys. A log line holds the provider, the
method, the endpoint group, the HTTP status and the outcome.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import httpx

from services.courier_port import CourierReply
from sync.jobs.backoff import retry_after_seconds
from sync.jobs.ratelimit import RateLimits

log = logging.getLogger(__name__)

#: Western Indonesia Time: JNE, J&T and POS stamp their history in it without saying so.
WIB = timezone(timedelta(hours=7))
#: The ``field`` of a rejection caused by refused credentials (401/403, a bad key).
CREDENTIALS = "credentials"
#: When a 429 names no wait, hold the group this long.
DEFAULT_429_WAIT = 1.0
_MESSAGE_CAP = 300
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
#: +62 / 62 / 08 followed by 7-12 more digits, spaces or dashes between them allowed.
_PHONE = re.compile(r"(?<![\w])(\+?62|0)8[\d\- ]{6,14}\d(?!\w)")


@dataclass(frozen=True, slots=True)
class Answer:
    """An HTTP answer the courier gave: status, headers and the JSON body (None if the body
    is empty or not JSON)."""

    status: int
    headers: Mapping[str, str]
    body: Any
    has_body: bool

    @property
    def obj(self) -> Mapping[str, Any]:
        """The body if it is a JSON object, else an empty mapping."""
        return self.body if isinstance(self.body, dict) else {}


class CourierHttp:
    """One provider account at one base URL: the session, its rate limits, its redaction list.

    Thread-safe as far as httpx.Client and RateLimits are: one instance may serve the
    dispatcher's provider thread and a batch's workers.
    """

    def __init__(self, provider: str, *, base_url: str = "", timeout: float = 10.0,
                 limits: RateLimits | None = None, headers: Mapping[str, str] | None = None,
                 auth: httpx.Auth | tuple[str, str] | None = None,
                 transport: httpx.BaseTransport | None = None, max_wait: float = 2.0,
                 secrets: tuple[str, ...] = (),
                 now: Callable[[], datetime] | None = None) -> None:
        self.provider = provider
        self.limits = limits if limits is not None else RateLimits({})
        self.max_wait = max_wait
        self._secrets = tuple(s for s in secrets if s)
        self._now = now or (lambda: datetime.now(UTC))
        self.client = httpx.Client(
            base_url=base_url.rstrip("/"), timeout=httpx.Timeout(timeout), transport=transport,
            headers={"Accept": "application/json", **(headers or {})}, auth=auth,
            follow_redirects=False)

    def close(self) -> None:
        self.client.close()

    def now(self) -> datetime:
        return self._now()

    def redact(self, text: str) -> str:
        """Keys out, and phone numbers and e-mail addresses a courier echoes in an error
        message (messages end up in job rows' last_error, which hold no personal data)."""
        for secret in self._secrets:
            text = text.replace(secret, "***")
        text = _EMAIL.sub("[email]", text)
        text = _PHONE.sub("[phone]", text)
        return text[:_MESSAGE_CAP]

    def reply(self, outcome: str, message: str, **kw: Any) -> CourierReply:
        return CourierReply(outcome, message=self.redact(f"{self.provider}: {message}"), **kw)

    # --- sending ------------------------------------------------------------------------

    def send(self, method: str, url: str, *, group: str, write: bool,
             json_body: Any = None, form: Mapping[str, str] | None = None,
             content: bytes | None = None, headers: Mapping[str, str] | None = None,
             auth: httpx.Auth | tuple[str, str] | None = None) -> Answer | CourierReply:
        """One request through the group's rate limit. A reply when nothing usable came back
        (see the module table), else the answer for the provider module to read."""
        bucket = self.limits.bucket(group)
        if bucket is not None and not bucket.acquire(timeout=self.max_wait):
            wait = bucket.wait_time()
            return self.reply("retry", f"{group} rate limit: waiting {wait:.1f}s",
                              retry_after=max(wait, 0.001))
        if json_body is not None:
            content = json.dumps(json_body, separators=(",", ":")).encode()
            headers = {"Content-Type": "application/json", **(headers or {})}
        extra: dict[str, Any] = {}
        if auth is not None:
            extra["auth"] = auth
        try:
            response = self.client.request(method, url, content=content, data=form,
                                           headers=headers, **extra)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            # Never left this machine: nothing can have happened at the courier.
            reply = self.reply("retry", f"not sent ({self._exc(exc)})")
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
            reply = self.reply("rejected", f"bad base URL ({self._exc(exc)})", field="base_url")
        except (httpx.HTTPError, httpx.StreamError) as exc:
            # Read/write timeout, dropped connection, protocol error: it may have been done.
            if write:
                reply = self.reply("unknown", f"no answer after sending ({self._exc(exc)}): "
                                   "look it up before sending again")
            else:
                reply = self.reply("retry", f"no answer ({self._exc(exc)})")
        else:
            answer = self._answer(response)
            reply_or_answer = self._classify(answer, group=group, write=write)
            log.debug("%s %s %s -> http %s", self.provider, method, group, response.status_code)
            return reply_or_answer
        log.debug("%s %s %s -> %s", self.provider, method, group, reply.outcome)
        return reply

    def _exc(self, exc: Exception) -> str:
        text = str(exc).strip()
        return type(exc).__name__ + (f": {text}" if text else "")

    def _answer(self, response: httpx.Response) -> Answer:
        body: Any = None
        if response.content:
            try:
                body = response.json()
            except ValueError:  # HTML from a proxy, truncated JSON...
                body = None
        return Answer(response.status_code, response.headers, body, bool(response.content))

    def _classify(self, answer: Answer, *, group: str, write: bool) -> Answer | CourierReply:
        status = answer.status
        if status == 429:
            wait = retry_after_seconds(dict(answer.headers), self.now())
            wait = DEFAULT_429_WAIT if wait is None or wait <= 0 else wait
            self.limits.hold(group, wait)
            return self.reply("retry", f"rate limited (HTTP 429), wait {wait:.1f}s",
                              retry_after=wait)
        if status >= 500 or status == 408:
            detail = error_text(answer.obj) or f"HTTP {status}"
            if write:
                return self.reply("unknown", f"{detail} (HTTP {status}): perhaps done, look "
                                  "it up before sending again")
            retry_after = retry_after_seconds(dict(answer.headers), self.now())
            return self.reply("retry", f"{detail} (HTTP {status})", retry_after=retry_after)
        if 200 <= status < 300:
            self._observe(answer, group)
        return answer

    def _observe(self, answer: Answer, group: str) -> None:
        """Rate-limit headers on a good answer: never plan on more than the courier allows."""
        lowered = {k.lower(): v for k, v in answer.headers.items()}
        raw = lowered.get("x-ratelimit-remaining", lowered.get("ratelimit-remaining"))
        bucket = self.limits.bucket(group)
        if raw is None or bucket is None:
            return
        remaining = as_int(raw)
        if remaining is None:
            return
        resets = {k: v for k, v in lowered.items()
                  if k in ("x-ratelimit-reset", "ratelimit-reset")}
        reset_in = retry_after_seconds(resets, self.now()) if resets else None
        bucket.observe_remaining(remaining, reset_in if reset_in is not None else 1.0)


# --- reading answers ----------------------------------------------------------------------


def as_int(value: Any) -> int | None:
    """An integer from 15000, 15000.0, "15000", "15000.00" (rupiah, grams); None otherwise."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str):
        match = re.fullmatch(r"\s*(-?\d{1,18})(?:\.0*)?\s*", value)
        return int(match.group(1)) if match else None
    return None


def as_str(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (str, int, float)):
        text = str(value).strip()
        return text or None
    return None


def truthy(value: Any) -> bool | None:
    """A success flag sent as a bool or as text: True, "true", "1" / False, "false",
    "Error"... (None if absent)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value != 0
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes", "ok", "success", "sukses")
    return False


#: Texts couriers send for "failed" in a status or success flag.
_FALSE_WORDS = frozenset({"false", "error", "0", "fail", "failed", "gagal", "no"})


def falsy(value: Any) -> bool:
    """True only for an explicit failure flag: False, "false", "Error", "0"... (an absent
    flag or an unfamiliar word is not a failure)."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, str):
        return value.strip().lower() in _FALSE_WORDS
    return False


def as_dict(value: Any) -> Mapping[str, Any]:
    """A JSON object as it is, anything else an empty mapping."""
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    """A list as it is, a single object as a list of one (POS, JNE), anything else empty."""
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        return [value]
    return []


def error_text(body: Mapping[str, Any]) -> str | None:
    for key in ("error", "message", "error_message", "desc", "reason", "msg"):
        text = as_str(body.get(key))
        if text:
            return text
    return None


def etd_days(text: Any) -> tuple[int | None, int | None]:
    """ "2 - 3", "2-3 Days", "1" -> (2, 3), (1, 1); None when it says nothing."""
    numbers = [int(n) for n in re.findall(r"\d+", as_str(text) or "")]
    if not numbers:
        return None, None
    return min(numbers[:2]), max(numbers[:2])


_STAMP_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M:%S", "%d-%m-%Y %H:%M",
                  "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%Y/%m/%d %H:%M:%S")


def utc_iso(value: Any, *, naive_tz: timezone = WIB) -> str | None:
    """ISO-8601 UTC text (as local_db.ids.now_iso writes it) from a courier's stamp: ISO
    with an offset or ``Z``, or one of the local formats (read as ``naive_tz``, WIB)."""
    text = as_str(value)
    if text is None:
        return None
    when: datetime | None = None
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        for fmt in _STAMP_FORMATS:
            try:
                when = datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=naive_tz)
    return when.astimezone(UTC).isoformat(timespec="microseconds")


def digits(value: str | None) -> int | None:
    """A postal code as the integer Biteship wants (None if it is not all digits)."""
    if value is None:
        return None
    text = value.strip()
    return int(text) if text.isdigit() else None


def kilograms(grams: int) -> int:
    """Whole kilograms rounded up, at least 1 (JNE and J&T bill whole kilograms)."""
    return max(1, -(-grams // 1000))


__all__ = ["CREDENTIALS", "WIB", "Answer", "CourierHttp", "as_dict", "as_int", "as_list", "as_str",
           "digits", "error_text", "etd_days", "falsy", "kilograms", "truthy", "utc_iso"]

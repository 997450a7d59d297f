"""SendGrid v3 Mail Send (``POST /v3/mail/send``) as an :class:`~services.message_port.EmailSender`.

One request carries up to 1,000 recipients, each its own personalization (its own ``to``,
optional subject and substitutions) with ``custom_args: {"message_id": <our message id>}``,
so the event webhook can find each message row by its ``message_id`` custom arg.

Replies (providers.md section 3):

- ``202``: ``ok``; every recipient's :class:`Delivery` is ``queued`` (accepted, not
  delivered) with ``provider_message_id`` = the ``X-Message-Id`` header: one id for the
  whole request. SendGrid's event ``sg_message_id`` *starts with* that id (it adds
  ``.filter...`` per recipient), so match an event on the prefix, or better on the
  ``message_id`` custom arg, which is per recipient.
- ``400``/``413`` and any other 4xx: ``rejected``, the message lists each error's field and
  text (scrubbed of addresses); ``401``/``403``: ``rejected`` + ``credentials_refused``.
- ``429``: ``retry`` with ``retry_after`` = ``X-RateLimit-Reset`` (a Unix time) minus now;
  the client's ``mail`` bucket is held until then.
- ``5xx``: **``unknown``**. SendGrid has no idempotency key and documents 500/503 only as
  "server errors", not as "nothing was queued"; a repeat might mail every recipient twice.
  So the reply says "perhaps accepted" and the messaging rule decides (a receipt may be
  re-sent, a campaign chunk should not). ``retry_after`` carries any wait the answer asked for.
- transport faults: see :mod:`sync.messaging.base` (refused connection ``retry``; timeout
  after sending, dropped reply ``unknown``).

Our own checks refuse before any HTTP (``rejected``, ``error_code`` naming the field):
no recipients or more than 1,000 (``recipients``), no sender (``sender_email``), no subject
for some recipient (``subject``), no content (``text``), a body over 30 MB (``attachments``).
"""

from __future__ import annotations

import base64
import json
import logging
import time
from collections.abc import Mapping
from typing import Any, Final

import httpx

from services.message_port import EmailOut, SendReply
from sync.jobs.ratelimit import Limit, RateLimits
from sync.messaging.base import (
    DEFAULT_MAX_WAIT,
    WallClock,
    each,
    hold,
    json_or_none,
    observe_rate_headers,
    provider_wait,
    refused_here,
    scrub,
    take_token,
    transport_reply,
    with_deliveries,
)

log = logging.getLogger(__name__)

DEFAULT_BASE_URL: Final = "https://api.sendgrid.com"
MAIL_SEND_PATH: Final = "/v3/mail/send"
MAX_RECIPIENTS: Final = 1000
MAX_REQUEST_BYTES: Final = 30 * 1024 * 1024
#: The rate-limit group of every mail/send request.
GROUP: Final = "mail"
#: SendGrid publishes no fixed mail/send rate; this only keeps a runaway loop polite (one
#: request may carry 1,000 recipients). A 429 still holds the bucket until X-RateLimit-Reset.
DEFAULT_LIMITS: Final[Mapping[str, Limit]] = {GROUP: Limit(rate=10.0)}


def mail_payload(mail: EmailOut) -> dict[str, Any] | SendReply:
    """The ``mail/send`` JSON body for ``mail``, or a ``rejected`` reply naming the field
    our own checks refuse (nothing is sent then)."""
    ids = [r.message_id for r in mail.recipients]
    if not mail.recipients:
        return refused_here("recipients", "at least one recipient is needed")
    if len(mail.recipients) > MAX_RECIPIENTS:
        return refused_here("recipients", f"at most {MAX_RECIPIENTS} recipients per request "
                            f"(got {len(mail.recipients)}); split the batch", ids)
    if not mail.sender_email.strip():
        return refused_here("sender_email", "the sender address is missing", ids)
    if not mail.subject.strip() and any(not (r.subject or "").strip() for r in mail.recipients):
        return refused_here("subject", "a subject is needed", ids)
    if not mail.text and not mail.html:
        return refused_here("text", "the mail has no content", ids)
    personalizations: list[dict[str, Any]] = []
    for r in mail.recipients:
        if not r.email.strip() or "@" not in r.email:
            return refused_here("recipients", "a recipient address is malformed", ids)
        to: dict[str, str] = {"email": r.email}
        if r.name:
            to["name"] = r.name
        p: dict[str, Any] = {"to": [to], "custom_args": {"message_id": r.message_id}}
        if r.subject:
            p["subject"] = r.subject
        if r.substitutions:
            p["substitutions"] = dict(r.substitutions)
        personalizations.append(p)
    sender: dict[str, str] = {"email": mail.sender_email}
    if mail.sender_name:
        sender["name"] = mail.sender_name
    # text/plain must come first (SendGrid refuses the other order).
    content: list[dict[str, str]] = []
    if mail.text:
        content.append({"type": "text/plain", "value": mail.text})
    if mail.html:
        content.append({"type": "text/html", "value": mail.html})
    body: dict[str, Any] = {"personalizations": personalizations, "from": sender,
                            "content": content}
    if mail.subject:
        body["subject"] = mail.subject
    if mail.attachments:
        body["attachments"] = [
            {"content": base64.b64encode(a.content).decode("ascii"), "filename": a.filename,
             "type": a.content_type, "disposition": "attachment"}
            for a in mail.attachments
        ]
    if mail.categories:
        body["categories"] = list(mail.categories)
    return body


def _errors_text(parsed: object) -> str | None:
    """``{"errors":[{"message","field","help"}]}`` as "field: message; ..." (scrubbed)."""
    if not isinstance(parsed, dict):
        return None
    errors = parsed.get("errors")
    if not isinstance(errors, list):
        return None
    parts: list[str] = []
    for e in errors:
        if not isinstance(e, dict):
            continue
        message = e.get("message")
        field = e.get("field")
        text = str(message) if message is not None else "error"
        parts.append(f"{field}: {text}" if field else text)
    return scrub("; ".join(parts)) if parts else None


def _retry_after_only(headers: Mapping[str, str], clock: WallClock) -> float | None:
    # Every SendGrid answer carries X-RateLimit-Reset: on a 5xx it is only the window's
    # roll-over, not a wait asked for. Retry-After, if a proxy sent one, is.
    value = headers.get("retry-after")
    return provider_wait({"retry-after": value}, clock) if value is not None else None


class SendGridClient:
    """One SendGrid API key at one base URL (the real API, the EU host or the simulator).

    Thread-safe as far as httpx.Client is; the rate-limit buckets are shared by every caller.
    """

    name = "sendgrid"

    def __init__(self, base_url: str, api_key: str, *, timeout: float = 10.0,
                 limits: RateLimits | None = None, clock: WallClock = time.time,
                 max_wait: float = DEFAULT_MAX_WAIT,
                 transport: httpx.BaseTransport | None = None) -> None:
        self._api_key = api_key
        self._timeout = timeout
        self._clock = clock
        self._max_wait = max_wait
        self.limits = limits if limits is not None else RateLimits(DEFAULT_LIMITS)
        self._http = httpx.Client(
            base_url=(base_url or DEFAULT_BASE_URL).rstrip("/"),
            timeout=httpx.Timeout(timeout),
            transport=transport,
            headers={"Authorization": f"Bearer {api_key}", "Accept": "application/json",
                     "Content-Type": "application/json"},
            follow_redirects=False,
        )

    def __repr__(self) -> str:  # never the key
        return f"SendGridClient(base_url={str(self._http.base_url)!r})"

    def __enter__(self) -> SendGridClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def send(self, mail: EmailOut) -> SendReply:
        payload = mail_payload(mail)
        if isinstance(payload, SendReply):
            return payload
        ids = [r.message_id for r in mail.recipients]
        content = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
        if len(content) > MAX_REQUEST_BYTES:
            return refused_here("attachments", "the mail is over SendGrid's 30 MB limit", ids)
        waited = take_token(self.limits, GROUP, self._max_wait)
        if waited is not None:
            return waited
        try:
            response = self._http.post(MAIL_SEND_PATH, content=content)
        except httpx.HTTPError as exc:
            reply = with_deliveries(
                transport_reply(exc, safe_to_repeat=False, timeout=self._timeout), ids)
        else:
            reply = self._reply(response, ids)
        log.debug("sendgrid mail/send (%d recipients) -> %s", len(ids), reply.outcome)
        return reply

    def _reply(self, response: httpx.Response, ids: list[str]) -> SendReply:
        status = response.status_code
        if 200 <= status < 300:
            observe_rate_headers(self.limits, GROUP, response.headers, self._clock)
            sg_id = response.headers.get("x-message-id") or None
            return SendReply("ok", deliveries=each(ids, "queued", provider_message_id=sg_id))
        text = _errors_text(json_or_none(response)) or f"HTTP {status}"
        code = str(status)
        if status == 429:
            wait = hold(self.limits, GROUP, provider_wait(response.headers, self._clock))
            return SendReply("retry", message=f"rate limited: {text}", error_code=code,
                             retry_after=wait)
        if status in (401, 403):
            return SendReply("rejected", deliveries=each(ids, "rejected", error=text,
                                                         error_code=code),
                             message=f"credentials refused: {text}", error_code=code,
                             credentials_refused=True)
        if 400 <= status < 500:
            return SendReply("rejected", deliveries=each(ids, "rejected", error=text,
                                                         error_code=code),
                             message=text, error_code=code)
        # 5xx (and any odd status): perhaps queued; see the module docstring.
        return SendReply("unknown", deliveries=each(ids, "unknown", error=text,
                                                    error_code=code),
                         message=f"server error, perhaps accepted: {text}", error_code=code,
                         retry_after=_retry_after_only(response.headers, self._clock))


__all__ = ["DEFAULT_BASE_URL", "DEFAULT_LIMITS", "GROUP", "MAX_RECIPIENTS", "SendGridClient",
           "mail_payload"]

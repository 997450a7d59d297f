"""Twilio Programmable Messaging (SMS and WhatsApp) as a :class:`~services.message_port.TextSender`.

``POST /2010-04-01/Accounts/{AccountSid}/Messages.json``, form-encoded, HTTP Basic
``AccountSid:AuthToken`` (providers.md section 4):

- ``To``/``From`` in E.164, both prefixed ``whatsapp:`` for WhatsApp; a sender starting
  ``MG`` is a Messaging Service and goes as ``MessagingServiceSid`` instead of ``From``;
- ``Body`` for free text, or ``ContentSid`` + ``ContentVariables`` (a JSON string) for an
  approved template (needed for WhatsApp outside the 24-hour window, else error 63016). When
  a ``content_sid`` is given only the template is sent; ``body`` is then ignored;
- ``StatusCallback`` when the message asks for one.

Replies:

- ``201``: ``ok``; the :class:`Delivery` carries the ``sid`` and Twilio's status mapped by
  :data:`TWILIO_STATUS` (queued/accepted/scheduled -> queued, sending/sent -> sent,
  delivered, read, undelivered/failed -> failed, canceled -> rejected), Twilio's own word in
  ``provider_status``;
- ``{"code","message","more_info","status"}`` errors: ``429`` or code ``20429`` -> ``retry``
  (never processed, so always safe; the ``text`` bucket of that channel is held for
  Retry-After or a second); ``401`` (and ``403`` with 20003) -> ``rejected`` +
  ``credentials_refused``; other 4xx (21211 invalid To, 63016 template needed, 21610 the
  recipient sent STOP...) -> ``rejected`` with ``error_code`` = Twilio's code;
- ``5xx``, a timeout after sending, a dropped reply: ``unknown``. Twilio has no idempotency
  key, so the caller must not blindly send again: :meth:`TwilioClient.find_sent` first.

Our own checks refuse before any HTTP (``rejected``, ``error_code`` naming the field): a
``to`` that is not a valid E.164 mobile number (``phonenumbers``), an unknown ``channel``, no
``sender``, no body and no template (``body``), a body over 1,600 characters.

Looking a message up after ``unknown`` (:meth:`find_sent`): list ``Messages.json`` filtered
by ``To`` and ``From`` (``DateSent>=YYYY-MM-DD``, the day ``since_iso`` falls on less the
allowed clock skew, ``PageSize=50``, newest first) and match on our side:

- an outbound message to the same address from the same sender (or the same Messaging
  Service) created at or after ``since_iso`` minus ``clock_skew`` (the till's clock may be
  off; Twilio's ``date_created`` is Twilio's);
- free text: the body must be equal (surrounding white space aside). The customer's text is
  never altered to carry a tag;
- a template: Twilio lists the *rendered* body, which we cannot rebuild; it matches when every
  non-empty content variable's value appears in that body (so the notice for another order
  number does not match).

A message still queued has no ``date_sent`` and is left out by the ``DateSent`` filter, so
when the filtered page has no match a second page without it (same To/From, newest first) is
read. Only the first page of each is read: more than 50 messages to one customer from one
sender since a send is not a case a till meets.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any, Final

import httpx
import phonenumbers

from services.message_port import Delivery, SendReply, TextOut
from sync.jobs.ratelimit import Limit, RateLimits
from sync.messaging.base import (
    DEFAULT_MAX_WAIT,
    WallClock,
    hold,
    json_or_none,
    provider_wait,
    refused_here,
    scrub,
    take_token,
    transport_reply,
    with_deliveries,
)

log = logging.getLogger(__name__)

DEFAULT_BASE_URL: Final = "https://api.twilio.com"
CHANNELS: Final = ("sms", "whatsapp")
MAX_BODY: Final = 1600
#: Per channel (one sender each per shop): WhatsApp's default is 10 messages/s per sender;
#: SMS long codes are slower in practice, 10/s keeps within a Messaging Service's queue.
DEFAULT_LIMITS: Final[Mapping[str, Limit]] = {"whatsapp": Limit(rate=10.0),
                                              "sms": Limit(rate=10.0)}
#: Twilio's status -> the normalized delivery status.
TWILIO_STATUS: Final[Mapping[str, str]] = {
    "queued": "queued", "accepted": "queued", "scheduled": "queued",
    "sending": "sent", "sent": "sent", "partially_delivered": "sent",
    "delivered": "delivered", "read": "read",
    "undelivered": "failed", "failed": "failed",
    "canceled": "rejected",
}
_SID = re.compile(r"[A-Za-z0-9]{2,64}")
_CREDENTIAL_CODES = frozenset({20003})
_RATE_CODES = frozenset({20429})
_MOBILE_TYPES = frozenset({phonenumbers.PhoneNumberType.MOBILE,
                           phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE})


def check_mobile(number: str) -> str | None:
    """Why ``number`` cannot take an SMS/WhatsApp (None when it can): it must be E.164 as
    written (``+6281234567890``), valid, and a mobile (or possibly mobile) number."""
    if not number.startswith("+"):
        return "not in E.164 form (+country code and number)"
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return "not a phone number"
    if not phonenumbers.is_valid_number(parsed):
        return "not a valid phone number"
    if str(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)) != number:
        return "not in E.164 form (no spaces or leading zero)"
    if phonenumbers.number_type(parsed) not in _MOBILE_TYPES:
        return "not a mobile number"
    return None


def _address(channel: str, number: str) -> str:
    return f"whatsapp:{number}" if channel == "whatsapp" else number


def message_form(text: TextOut) -> dict[str, str] | SendReply:
    """The form fields of the create call, or a ``rejected`` reply naming the field."""
    ids = [text.message_id]
    if text.channel not in CHANNELS:
        return refused_here("channel", f"must be one of {', '.join(CHANNELS)}", ids)
    problem = check_mobile(text.to)
    if problem is not None:
        return refused_here("to", problem, ids)
    if not text.sender.strip():
        return refused_here("sender", "no sender number or Messaging Service", ids)
    form: dict[str, str] = {"To": _address(text.channel, text.to)}
    if text.sender.startswith("MG"):
        form["MessagingServiceSid"] = text.sender
    else:
        form["From"] = _address(text.channel, text.sender)
    if text.content_sid:
        form["ContentSid"] = text.content_sid
        if text.content_variables:
            form["ContentVariables"] = json.dumps(dict(text.content_variables),
                                                  ensure_ascii=False, separators=(",", ":"))
    elif text.body and text.body.strip():
        if len(text.body) > MAX_BODY:
            return refused_here("body", f"at most {MAX_BODY} characters", ids)
        form["Body"] = text.body
    else:
        return refused_here("body", "no text and no template", ids)
    if text.status_callback:
        form["StatusCallback"] = text.status_callback
    return form


def _str(value: object) -> str | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (str, int)):
        return str(value)
    return None


def delivery_of(message_id: str, resource: Mapping[str, Any]) -> Delivery:
    """A Twilio Message resource as our :class:`Delivery`."""
    status = _str(resource.get("status")) or ""
    error = _str(resource.get("error_message"))
    return Delivery(message_id, TWILIO_STATUS.get(status, "unknown"),
                    provider_message_id=_str(resource.get("sid")),
                    provider_status=status or None,
                    error=scrub(error) if error else None,
                    error_code=_str(resource.get("error_code")))


def _created(resource: Mapping[str, Any]) -> datetime | None:
    raw = resource.get("date_created")
    if not isinstance(raw, str):
        return None
    try:
        when = parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        try:
            when = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def _parse_since(since_iso: str) -> datetime | None:
    try:
        when = datetime.fromisoformat(since_iso.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def matches(text: TextOut, resource: Mapping[str, Any], since: datetime) -> bool:
    """Whether a listed Message resource is ``text`` sent at or after ``since``."""
    direction = _str(resource.get("direction")) or ""
    if not direction.startswith("outbound"):
        return False
    if resource.get("to") != _address(text.channel, text.to):
        return False
    if text.sender.startswith("MG"):
        if resource.get("messaging_service_sid") != text.sender:
            return False
    elif resource.get("from") != _address(text.channel, text.sender):
        return False
    created = _created(resource)
    if created is None or created < since:
        return False
    body = _str(resource.get("body")) or ""
    if text.content_sid:
        return all(v in body for v in text.content_variables.values() if v)
    return body.strip() == (text.body or "").strip()


class TwilioClient:
    """One Twilio account (Account SID + Auth Token) at one base URL (Twilio or the simulator).

    Thread-safe as far as httpx.Client is; the per-channel buckets are shared by every caller.
    """

    name = "twilio"

    def __init__(self, base_url: str, account_sid: str, auth_token: str, *,
                 timeout: float = 10.0, limits: RateLimits | None = None,
                 clock: WallClock = time.time, max_wait: float = DEFAULT_MAX_WAIT,
                 clock_skew: float = 300.0,
                 transport: httpx.BaseTransport | None = None) -> None:
        if not _SID.fullmatch(account_sid):
            raise ValueError("account_sid must be letters and digits (AC...)")
        self.account_sid = account_sid
        self._secrets = (auth_token,)
        self._timeout = timeout
        self._clock = clock
        self._max_wait = max_wait
        self._skew = timedelta(seconds=clock_skew)
        self.limits = limits if limits is not None else RateLimits(DEFAULT_LIMITS)
        self._messages = f"/2010-04-01/Accounts/{account_sid}/Messages"
        self._http = httpx.Client(
            base_url=(base_url or DEFAULT_BASE_URL).rstrip("/"),
            timeout=httpx.Timeout(timeout),
            transport=transport,
            auth=httpx.BasicAuth(account_sid, auth_token),
            headers={"Accept": "application/json"},
            follow_redirects=False,
        )

    def __repr__(self) -> str:  # never the token
        return f"TwilioClient(base_url={str(self._http.base_url)!r})"

    def __enter__(self) -> TwilioClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    # --- calls -------------------------------------------------------------------------

    def send(self, text: TextOut) -> SendReply:
        form = message_form(text)
        if isinstance(form, SendReply):
            return form
        waited = take_token(self.limits, text.channel, self._max_wait)
        if waited is not None:
            return waited
        try:
            response = self._http.post(f"{self._messages}.json", data=form)
        except httpx.HTTPError as exc:
            reply = with_deliveries(
                transport_reply(exc, safe_to_repeat=False, timeout=self._timeout),
                [text.message_id])
        else:
            reply = self._reply(response, text.message_id, group=text.channel, is_read=False)
        log.debug("twilio %s send -> %s", text.channel, reply.outcome)
        return reply

    def fetch(self, provider_message_id: str, *, message_id: str = "") -> SendReply:
        """``GET .../Messages/{sid}.json``: the message's current status. ``message_id`` (ours)
        is put on the :class:`Delivery` when given; the port's call leaves it empty."""
        if not _SID.fullmatch(provider_message_id):
            return refused_here("provider_message_id", "not a Twilio message sid")
        try:
            response = self._http.get(f"{self._messages}/{provider_message_id}.json")
        except httpx.HTTPError as exc:
            return transport_reply(exc, safe_to_repeat=True, timeout=self._timeout)
        return self._reply(response, message_id, group=None, is_read=True)

    def find_sent(self, text: TextOut, since_iso: str) -> SendReply:
        """After ``unknown``: ``ok`` with the matching message's delivery, ``ok`` with none
        when Twilio has no such message (sending now is safe), or the lookup's own failure
        (``retry``/``rejected``). How a message matches: see the module docstring."""
        since = _parse_since(since_iso)
        if since is None:
            return refused_here("since_iso", "not an ISO-8601 time")
        if text.channel not in CHANNELS:
            return refused_here("channel", f"must be one of {', '.join(CHANNELS)}")
        since -= self._skew
        params: dict[str, str] = {"To": _address(text.channel, text.to), "PageSize": "50"}
        if not text.sender.startswith("MG"):
            params["From"] = _address(text.channel, text.sender)
        for dated in (True, False):
            query = dict(params)
            if dated:
                query["DateSent>"] = since.astimezone(UTC).date().isoformat()
            try:
                response = self._http.get(f"{self._messages}.json", params=query)
            except httpx.HTTPError as exc:
                return transport_reply(exc, safe_to_repeat=True, timeout=self._timeout)
            parsed = json_or_none(response)
            if response.status_code != 200 or not isinstance(parsed, dict):
                return self._reply(response, text.message_id, group=None, is_read=True)
            listed = parsed.get("messages")
            for resource in listed if isinstance(listed, list) else ():
                if isinstance(resource, dict) and matches(text, resource, since):
                    return SendReply("ok", deliveries=(delivery_of(text.message_id, resource),))
        return SendReply("ok", message="no such message at Twilio: not sent")

    # --- plumbing ----------------------------------------------------------------------

    def _reply(self, response: httpx.Response, message_id: str, *, group: str | None,
               is_read: bool) -> SendReply:
        status = response.status_code
        parsed = json_or_none(response)
        body: Mapping[str, Any] = parsed if isinstance(parsed, dict) else {}
        if 200 <= status < 300:
            if not _str(body.get("sid")):
                # Twilio answered yes but we cannot read what: for a create that is
                # "perhaps sent", for a read simply a failed read.
                text = f"HTTP {status} without a readable message resource"
                if is_read:
                    return SendReply("retry", message=text)
                return with_deliveries(SendReply("unknown", message=text), [message_id])
            return SendReply("ok", deliveries=(delivery_of(message_id, body),))
        code_raw = body.get("code")
        code = code_raw if isinstance(code_raw, int) and not isinstance(code_raw, bool) else None
        error_code = str(code) if code is not None else str(status)
        message = _str(body.get("message"))
        text = scrub(f"{error_code}: {message}" if message else f"HTTP {status}", self._secrets)
        ids = [message_id] if message_id and not is_read else []
        if status == 429 or code in _RATE_CODES:
            wait = provider_wait(response.headers, self._clock)
            if group is not None:
                wait = hold(self.limits, group, wait)
            return SendReply("retry", message=f"rate limited: {text}", error_code=error_code,
                             retry_after=wait)
        if status == 401 or code in _CREDENTIAL_CODES:
            return SendReply("rejected", deliveries=_rejected(ids, text, error_code),
                             message=f"credentials refused: {text}", error_code=error_code,
                             credentials_refused=True)
        if 400 <= status < 500:
            return SendReply("rejected", deliveries=_rejected(ids, text, error_code),
                             message=text, error_code=error_code)
        wait = provider_wait(response.headers, self._clock)
        if is_read:
            return SendReply("retry", message=text, error_code=error_code, retry_after=wait)
        # 5xx on a create: Twilio may have queued it. Look it up (find_sent) before sending.
        return SendReply("unknown", deliveries=tuple(
            Delivery(m, "unknown", error=text, error_code=error_code) for m in ids),
            message=f"server error, perhaps sent: {text}", error_code=error_code,
            retry_after=wait)


def _rejected(ids: list[str], text: str, code: str) -> tuple[Delivery, ...]:
    return tuple(Delivery(m, "rejected", error=text, error_code=code) for m in ids)


__all__ = ["CHANNELS", "DEFAULT_BASE_URL", "DEFAULT_LIMITS", "TWILIO_STATUS", "TwilioClient",
           "check_mobile", "delivery_of", "matches", "message_form"]

"""A Twilio Programmable Messaging simulator (SMS and WhatsApp) on 127.0.0.1.

Faithful enough for the official ``twilio`` library, unchanged: point it here with
``client.api.base_url = sim.base_url`` (the library's own ``Domain.base_url`` attribute; no
edge/region set, so the library keeps the URL as given).

- ``POST /2010-04-01/Accounts/{AccountSid}/Messages.json`` (form-encoded, HTTP Basic
  ``AccountSid:AuthToken``): Twilio's validation and error codes (21604 no To, 21211 To not
  a valid number, 21614 not a mobile number, 21603 no From, 21212 bad From, 21602 no
  Body/MediaUrl/ContentSid, 21617 Body over 1600 characters, 21910 From/To channels differ,
  21655 unknown ContentSid, 21656 bad ContentVariables), 201 with the Message resource
  exactly as Twilio shapes it (``SM`` + 32 hex, ``num_segments`` as a string, RFC 2822
  dates, ``price`` null until sent, ...).
- Statuses advance on the simulator's clock (``step_seconds`` apart): ``accepted`` (with a
  Messaging Service) -> ``queued`` -> ``sent`` -> ``delivered``, WhatsApp sometimes ``read``
  (a seeded draw), numbers marked :meth:`TwilioSimulator.set_undeliverable` end
  ``undelivered`` with error 30003.
- WhatsApp's 24-hour customer-service window per (From, To): free text (Body/MediaUrl) with
  no inbound message from that customer in the last 24 h is accepted (201 ``queued``), then
  fails asynchronously -- status ``failed``, ``error_code`` 63016 on fetch -- which is how
  the real API reports it (Twilio documents 63016 as a logged error of the message, not an
  HTTP 400 of the create call). An approved template (``ContentSid``, registered in the
  simulator) is always allowed. :meth:`TwilioSimulator.inbound` (``POST /_sim/inbound``)
  opens the window: a customer wrote to the shop.
- ``GET .../Messages/{sid}.json`` fetch; ``GET .../Messages.json`` list, newest first,
  filters ``To``, ``From``, ``DateSent`` (that UTC day; the library sends a date as its
  midnight), ``DateSent<``/``DateSent>`` (what the library sends; ``DateSent<=``/
  ``DateSent>=`` too; inclusive; a date or an ISO datetime;
  compared with ``date_sent``, or ``date_created`` while not yet sent), paged with
  ``PageSize``/``Page``/``PageToken`` and Twilio's page keys.
- 401 code 20003, 404 code 20404, 429 code 20429, 5xx 20500/20503.

Control over HTTP besides the common ones: ``POST /_sim/inbound`` ``{"from","to"}``,
``POST /_sim/undeliverable`` ``{"to","code"?}``, ``POST /_sim/templates``
``{"content_sid"?, "body", "name"?}``, ``GET /_sim/templates``, ``GET /_sim/messages/{sid}``.
Run alone: ``python -m sync.simulators.twilio --port N``.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import copy
import hashlib
import hmac
import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import parse_qs, parse_qsl, quote, urlencode

from sync.simulators.messaging_common import (
    Clock,
    MessagingSimulator,
    Outcome,
    RateState,
    required_field,
)
from sync.simulators.server import Answer, Request, serve_in_foreground

DEFAULT_ACCOUNT_SID = "AC" + "5a" * 16
DEFAULT_AUTH_TOKEN = "simulator-token"
SANDBOX_WHATSAPP = "whatsapp:+14155238886"  # Twilio's WhatsApp sandbox sender
SERVICE_SMS_SENDER = "+15005550006"
API_VERSION = "2010-04-01"
SESSION_WINDOW = 24 * 3600.0
MAX_BODY = 1600
_E164 = re.compile(r"\+[1-9]\d{6,14}")
_ID_MOBILE = re.compile(r"\+628[1-35-9]\d{7,10}")
_ALPHA_SENDER = re.compile(r"(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}")
_MESSAGING_SERVICE = re.compile(r"MG[0-9a-f]{32}")
_CONTENT_SID = re.compile(r"HX[0-9a-f]{32}")
_PATH = re.compile(r"/2010-04-01/Accounts/([^/]+)/Messages(?:/([^/]+))?\.json")
_GSM7 = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡"
    "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM7_EXT = set("^{}\\[~]|€\f")
_ERROR_TEXT = {
    30003: "Unreachable destination handset",
    30005: "Unknown destination handset",
    30006: "Landline or unreachable carrier",
    30007: "Message filtered",
    63003: "Channel could not find To address",
    63016: "Failed to send freeform message because you are outside the allowed window. "
           "If you are using WhatsApp, please use a Message Template.",
    63024: "Invalid message recipient",
}
_PRICE = {"sms": "-0.41010", "whatsapp": "-0.00500"}
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def template_sid(name: str) -> str:
    """A stable ``HX`` ContentSid for a template name (the defaults below use it)."""
    return "HX" + hashlib.md5(name.encode("utf-8"), usedforsecurity=False).hexdigest()


# Approved WhatsApp templates registered in every new simulator: name -> body ({{n}}
# placeholders filled from ContentVariables). ContentSid = template_sid(name).
DEFAULT_TEMPLATES: dict[str, str] = {
    "receipt.id": "Terima kasih telah berbelanja di {{1}}. Struk {{2}}: {{3}}",
    "receipt.en": "Thank you for shopping at {{1}}. Receipt {{2}}: {{3}}",
    "shipment_created.id": "Pesanan {{1}} dikirim dengan {{2}}, resi {{3}}.",
    "shipment_created.en": "Order {{1}} shipped with {{2}}, waybill {{3}}.",
    "shipment_delivered.id": "Pesanan {{1}} sudah diterima. Terima kasih!",
    "shipment_delivered.en": "Order {{1}} was delivered. Thank you!",
    "shipment_returned.id": "Pesanan {{1}} dikembalikan ke toko.",
    "shipment_returned.en": "Order {{1}} was returned to the shop.",
    "owner_summary.id": "Ringkasan {{1}}: penjualan {{2}}.",
    "owner_summary.en": "Summary {{1}}: sales {{2}}.",
    "promo.id": "{{1}}",
    "promo.en": "{{1}}",
}


class _Invalid(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _error(status: int, code: int, message: str, **extra: Any) -> Answer:
    body = {"code": code, "message": message,
            "more_info": f"https://www.twilio.com/docs/errors/{code}", "status": status}
    body.update(extra)
    return Answer(status, body)


def rfc2822(epoch: float) -> str:
    """Twilio's date text: ``Mon, 07 Dec 2026 16:42:21 +0000`` (locale-independent)."""
    dt = datetime.fromtimestamp(int(epoch), UTC)
    return (f"{_DAYS[dt.weekday()]}, {dt.day:02d} {_MONTHS[dt.month - 1]} {dt.year} "
            f"{dt.hour:02d}:{dt.minute:02d}:{dt.second:02d} +0000")


def segments(body: str) -> int:
    """SMS segments: GSM-7 160/153 septets, else UCS-2 70/67 code units."""
    if not body:
        return 1
    if all(ch in _GSM7 or ch in _GSM7_EXT for ch in body):
        units = sum(2 if ch in _GSM7_EXT else 1 for ch in body)
        return 1 if units <= 160 else math.ceil(units / 153)
    units = len(body.encode("utf-16-le")) // 2
    return 1 if units <= 70 else math.ceil(units / 67)


@dataclass(slots=True)
class _Message:
    obj: dict[str, Any]  # exactly what fetch shows
    channel: str  # sms | whatsapp
    created: float
    seq: int
    outbound: bool
    plan: list[tuple[float, str, int | None]] = field(default_factory=list)
    content_sid: str | None = None
    content_variables: dict[str, str] = field(default_factory=dict)
    media_url: list[str] = field(default_factory=list)
    status_callback: str | None = None
    sent_at: float | None = None


class TwilioSimulator(MessagingSimulator):
    """Thread-safe Twilio Messages API (one account)."""

    name = "twilio"
    endpoints = ("create", "fetch", "list")
    default_apply_to = ("create",)

    def __init__(
        self,
        *,
        seed: int = 0,
        rate_limit: float | None = None,
        clock: Clock | None = None,
        account_sid: str = DEFAULT_ACCOUNT_SID,
        auth_token: str = DEFAULT_AUTH_TOKEN,
        senders: Iterable[str] | None = None,
        templates: Mapping[str, str] | None = None,
        step_seconds: float = 1.0,
        read_chance: float = 0.5,
        undeliverable: Iterable[str] = (),
    ) -> None:
        """``senders``: the From numbers the account owns (None: any); ``templates``:
        ContentSid -> body, registered besides :data:`DEFAULT_TEMPLATES`; ``step_seconds``:
        the time between status steps; ``read_chance``: how often a delivered WhatsApp
        message is later read; ``undeliverable``: To numbers whose messages end undelivered
        (30003)."""
        super().__init__(seed=seed, rate_limit=rate_limit, clock=clock)
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.step_seconds = step_seconds
        self.read_chance = read_chance
        self._senders = None if senders is None else {_bare(s) for s in senders}
        self._templates: dict[str, dict[str, str]] = {}
        for name, text in DEFAULT_TEMPLATES.items():
            self._templates[template_sid(name)] = {"name": name, "body": text}
        for sid, text in (templates or {}).items():
            self.register_template(text, content_sid=sid)
        self._undeliverable: dict[str, int] = {_bare(n): 30003 for n in undeliverable}
        self._windows: dict[tuple[str, str], float] = {}
        self._messages: list[_Message] = []
        self._by_sid: dict[str, _Message] = {}

    # --- control ---------------------------------------------------------------------------

    def register_template(self, body: str, *, content_sid: str | None = None,
                          name: str | None = None) -> str:
        """Register an approved template; returns its ContentSid (``HX`` + 32 hex)."""
        sid = content_sid or template_sid(name or body)
        if not _CONTENT_SID.fullmatch(sid):
            raise ValueError("content_sid must be HX followed by 32 hex digits")
        with self._lock:
            self._templates[sid] = {"name": name or sid, "body": body}
        return sid

    def templates(self) -> dict[str, dict[str, str]]:
        """ContentSid -> ``{"name", "body"}`` of every registered template."""
        with self._lock:
            return copy.deepcopy(self._templates)

    def inbound(self, from_: str, to: str, body: str = "") -> str:
        """A customer (``from_``) wrote on WhatsApp to the shop's number (``to``): opens the
        24-hour window for free text from ``to`` to ``from_``. Returns the inbound sid."""
        customer, business = _whatsapp(from_), _whatsapp(to)
        with self._lock:
            now = self.now()
            self._windows[(business, customer)] = now
            message = self._new(
                channel="whatsapp", from_=customer, to=business, body=body,
                status="received", direction="inbound", service=None, outbound=False)
            message.obj["date_sent"] = rfc2822(now)
            return str(message.obj["sid"])

    def window_open(self, from_: str, to: str) -> bool:
        """Whether free text from the shop (``from_``) to the customer (``to``) is allowed."""
        with self._lock:
            last = self._windows.get((_whatsapp(from_), _whatsapp(to)))
            return last is not None and self.now() - last < SESSION_WINDOW

    def set_undeliverable(self, number: str, code: int = 30003) -> None:
        """Messages to this number (SMS or WhatsApp) end ``undelivered`` with ``code``."""
        with self._lock:
            self._undeliverable[_bare(number)] = code

    def message(self, sid: str) -> dict[str, Any] | None:
        """The message resource as fetch shows it now (None if unknown)."""
        with self._lock:
            msg = self._by_sid.get(sid)
            if msg is None:
                return None
            self._refresh(msg)
            return copy.deepcopy(msg.obj)

    def outbox(self) -> list[dict[str, Any]]:
        """Every outbound message accepted, oldest first: ``sid``, ``channel``, ``from``,
        ``to``, ``body`` (a template rendered), ``content_sid``, ``content_variables``,
        ``media_url``, ``messaging_service_sid``, ``status_callback``, ``status`` and
        ``error_code`` (as of now on the simulator clock), ``accepted_at``."""
        with self._lock:
            entries = []
            for msg in self._messages:
                if not msg.outbound:
                    continue
                self._refresh(msg)
                entries.append({
                    "sid": msg.obj["sid"], "channel": msg.channel, "from": msg.obj["from"],
                    "to": msg.obj["to"], "body": msg.obj["body"],
                    "content_sid": msg.content_sid,
                    "content_variables": dict(msg.content_variables),
                    "media_url": list(msg.media_url),
                    "messaging_service_sid": msg.obj["messaging_service_sid"],
                    "status_callback": msg.status_callback, "status": msg.obj["status"],
                    "error_code": msg.obj["error_code"], "accepted_at": msg.created,
                })
            return entries

    def accepted(self, key: str) -> int:
        """How many outbound messages match ``key``: their sid, their exact Body, or a
        value in their StatusCallback URL's query (2+ = sent twice)."""
        with self._lock:
            count = 0
            for msg in self._messages:
                if not msg.outbound:
                    continue
                callback_values: list[str] = []
                if msg.status_callback and "?" in msg.status_callback:
                    query = msg.status_callback.split("?", 1)[1]
                    callback_values = [v for _, v in parse_qsl(query)]
                if key in (msg.obj["sid"], msg.obj["body"]) or key in callback_values:
                    count += 1
            return count

    def reset(self) -> None:
        super().reset()
        with self._lock:
            self._messages.clear()
            self._by_sid.clear()
            self._windows.clear()

    def _control_extra(self, method: str, parts: list[str], body: Any) -> Answer | None:
        if method == "POST" and parts == ["inbound"]:
            sid = self.inbound(str(required_field(body, "from")), str(required_field(body, "to")),
                               str(body.get("body", "")))
            return Answer(200, {"ok": True, "sid": sid})
        if method == "POST" and parts == ["undeliverable"]:
            self.set_undeliverable(str(required_field(body, "to")), int(body.get("code", 30003)))
            return Answer(200, {"ok": True})
        if method == "POST" and parts == ["templates"]:
            sid = self.register_template(str(required_field(body, "body")),
                                         content_sid=body.get("content_sid"),
                                         name=body.get("name"))
            return Answer(200, {"ok": True, "content_sid": sid})
        if method == "GET" and parts == ["templates"]:
            return Answer(200, {"templates": self.templates()})
        if method == "GET" and len(parts) == 2 and parts[0] == "messages":
            found = self.message(parts[1])
            if found is None:
                raise KeyError(f"message {parts[1]}")
            return Answer(200, found)
        return None

    # --- the API -------------------------------------------------------------------------------

    def _api(self, request: Request) -> Answer:
        match = _PATH.fullmatch(request.path)
        if match is None:
            return _error(404, 20404, f"The requested resource {request.path} was not found")
        account, sid = match.group(1), match.group(2)
        if not self._authorized(request.headers.get("authorization"), account):
            return _error(401, 20003, "Authenticate",
                          detail="Your AccountSid or AuthToken was incorrect.")
        if sid is not None:
            if request.method != "GET":
                return _error(405, 20004, "Method not allowed")
            return self._call("fetch", lambda: self._fetch(request.path, sid))
        if request.method == "POST":
            form = parse_qs(request.body.decode("utf-8", "replace"), keep_blank_values=True)
            hint = form["To"][0] if form.get("To") else None
            return self._call("create", lambda: self._create(form), hint=hint)
        if request.method == "GET":
            return self._call("list", lambda: self._list(request.path, request.query))
        return _error(405, 20004, "Method not allowed")

    def _authorized(self, header: str | None, account: str) -> bool:
        if not header or not header.startswith("Basic "):
            return False
        try:
            decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return False
        user, _, password = decoded.partition(":")
        return (hmac.compare_digest(user.encode(), self.account_sid.encode())
                and hmac.compare_digest(password.encode(), self.auth_token.encode())
                and account == self.account_sid)

    def _too_many(self, endpoint: str, state: RateState | None) -> Answer:
        return _error(429, 20429, "Too Many Requests")

    def _server_error(self, endpoint: str, status: int) -> Answer:
        if status == 503:
            return _error(503, 20503, "Service Unavailable")
        return _error(500, 20500, "Internal Server Error")

    # --- create ----------------------------------------------------------------------------------

    def _create(self, form: Mapping[str, list[str]]) -> Outcome:
        try:
            with self._lock:
                msg = self._accept(form)
        except _Invalid as exc:
            return Outcome(_error(400, exc.code, exc.message))
        with self._lock:
            obj = copy.deepcopy(msg.obj)
        return Outcome(Answer(201, obj), ref=str(obj["sid"]), recorded=True)

    def _accept(self, form: Mapping[str, list[str]]) -> _Message:
        """Validate like Twilio and record the message (lock held)."""

        def one(name: str) -> str | None:
            values = form.get(name)
            return values[0] if values else None

        to, from_ = one("To"), one("From")
        service = one("MessagingServiceSid")
        body = one("Body") or ""
        media = [u for u in form.get("MediaUrl", []) if u]
        content_sid = one("ContentSid")
        if not to:
            raise _Invalid(21604, "A 'To' phone number is required.")
        channel = "whatsapp" if to.startswith("whatsapp:") else "sms"
        number = _bare(to)
        if not _E164.fullmatch(number) or number.startswith("+620"):
            raise _Invalid(21211, f"The 'To' number {to} is not a valid phone number.")
        if number.startswith("+62") and not _ID_MOBILE.fullmatch(number):
            raise _Invalid(21614, f"'To' number {to} is not a valid mobile number")
        if service is not None and not _MESSAGING_SERVICE.fullmatch(service):
            raise _Invalid(21701, f"The Messaging Service Sid {service} is invalid.")
        if not from_ and service is None:
            raise _Invalid(21603, "A 'From' phone number is required.")
        if from_:
            from_channel = "whatsapp" if from_.startswith("whatsapp:") else "sms"
            if from_channel != channel:
                raise _Invalid(21910, "Invalid From and To pair. From and To should be of "
                                      "the same channel")
            sender = _bare(from_)
            if not (_E164.fullmatch(sender)
                    or (channel == "sms" and _ALPHA_SENDER.fullmatch(sender))):
                raise _Invalid(21212, f"The 'From' number {from_} is not a valid phone "
                                      "number, shortcode, or alphanumeric sender ID.")
            if self._senders is not None and sender not in self._senders:
                if channel == "whatsapp":
                    raise _Invalid(63007, "Twilio could not find a Channel with the "
                                          "specified From address")
                raise _Invalid(21606, "The From phone number is not a valid, SMS-capable "
                                      "inbound phone number or short code for your account.")
        variables: dict[str, str] = {}
        if content_sid is not None:
            if content_sid not in self._templates:
                raise _Invalid(21655, "The ContentSid is Invalid.")
            raw_vars = one("ContentVariables")
            if raw_vars:
                try:
                    parsed = json.loads(raw_vars)
                except ValueError:
                    parsed = None
                if not isinstance(parsed, dict):
                    raise _Invalid(21656, "The ContentVariables Parameter is invalid.")
                variables = {str(k): str(v) for k, v in parsed.items()}
            body = _render(self._templates[content_sid]["body"], variables)
        elif not body and not media:
            raise _Invalid(21602, "Message body is required.")
        if len(body) > MAX_BODY:
            raise _Invalid(21617, "The concatenated message body exceeds the 1600 "
                                  "character limit.")
        if not from_:
            from_ = SANDBOX_WHATSAPP if channel == "whatsapp" else SERVICE_SMS_SENDER
            initial = "accepted"
            from_shown: str | None = None  # a Messaging Service picks the sender later
        else:
            initial = "accepted" if service is not None else "queued"
            from_shown = from_
        msg = self._new(channel=channel, from_=from_shown, to=to, body=body, status=initial,
                        direction="outbound-api", service=service, outbound=True,
                        media=len(media))
        msg.content_sid = content_sid
        msg.content_variables = variables
        msg.media_url = media
        msg.status_callback = one("StatusCallback")
        self._plan(msg, from_, content_sid is not None)
        return msg

    def _new(self, *, channel: str, from_: str | None, to: str, body: str, status: str,
             direction: str, service: str | None, outbound: bool, media: int = 0) -> _Message:
        now = self.now()
        prefix = "MM" if media else "SM"
        sid = prefix + self._rng.randbytes(16).hex()
        uri = f"/{API_VERSION}/Accounts/{self.account_sid}/Messages/{sid}"
        obj: dict[str, Any] = {
            "account_sid": self.account_sid,
            "api_version": API_VERSION,
            "body": body,
            "date_created": rfc2822(now),
            "date_sent": None,
            "date_updated": rfc2822(now),
            "direction": direction,
            "error_code": None,
            "error_message": None,
            "from": from_,
            "messaging_service_sid": service,
            "num_media": str(media),
            "num_segments": "1" if channel == "whatsapp" else str(segments(body)),
            "price": None,
            "price_unit": "USD",
            "sid": sid,
            "status": status,
            "subresource_uris": {"media": f"{uri}/Media.json",
                                 "feedback": f"{uri}/Feedback.json"},
            "to": to,
            "uri": f"{uri}.json",
        }
        msg = _Message(obj=obj, channel=channel, created=now, seq=len(self._messages),
                       outbound=outbound)
        self._messages.append(msg)
        self._by_sid[sid] = msg
        return msg

    def _plan(self, msg: _Message, sender: str, templated: bool) -> None:
        """The statuses this message will go through, and when (lock held)."""
        step, t0 = self.step_seconds, msg.created
        if msg.obj["status"] == "accepted":
            msg.plan.append((t0 + step / 2, "queued", None))
        to = str(msg.obj["to"])
        if msg.obj["from"] is None:
            msg.plan.append((t0 + step / 2, "from:" + sender, None))
        if msg.channel == "whatsapp" and not templated and not self.window_open(sender, to):
            msg.plan.append((t0 + step, "failed", 63016))
            return
        msg.plan.append((t0 + step, "sent", None))
        code = self._undeliverable.get(_bare(to))
        if code is not None:
            msg.plan.append((t0 + 2 * step, "undelivered", code))
            return
        msg.plan.append((t0 + 2 * step, "delivered", None))
        if msg.channel == "whatsapp" and self._rng.random() < self.read_chance:
            msg.plan.append((t0 + 5 * step, "read", None))

    def _refresh(self, msg: _Message) -> None:
        """Apply the status steps that are due on the simulator clock (lock held)."""
        now = self.now()
        while msg.plan and msg.plan[0][0] <= now:
            at, status, code = msg.plan.pop(0)
            if status.startswith("from:"):
                msg.obj["from"] = status[5:]
                continue
            msg.obj["status"] = status
            msg.obj["date_updated"] = rfc2822(at)
            if status == "sent":
                msg.sent_at = at
                msg.obj["date_sent"] = rfc2822(at)
                msg.obj["price"] = _PRICE[msg.channel]
            if code is not None:
                msg.obj["error_code"] = code
                msg.obj["error_message"] = _ERROR_TEXT.get(code, "Message delivery failed")

    # --- fetch and list ------------------------------------------------------------------

    def _fetch(self, path: str, sid: str) -> Outcome:
        with self._lock:
            msg = self._by_sid.get(sid)
            if msg is None:
                return Outcome(_error(404, 20404, f"The requested resource {path} was not "
                                                  "found"))
            self._refresh(msg)
            return Outcome(Answer(200, copy.deepcopy(msg.obj)), ref=sid)

    def _list(self, path: str, query: str) -> Outcome:
        params = parse_qsl(query, keep_blank_values=True)
        filters: list[tuple[str, str]] = []
        page_size, page, token = 50, 0, None
        try:
            for key, value in params:
                if key == "PageSize":
                    page_size = int(value)
                    if not 1 <= page_size <= 1000:
                        raise ValueError
                elif key == "Page":
                    page = int(value)
                    if page < 0:
                        raise ValueError
                elif key == "PageToken":
                    token = value
                elif key in ("To", "From", "DateSent", "DateSent<", "DateSent>",
                             "DateSent<=", "DateSent>="):
                    if key.startswith("DateSent"):
                        _when(value)
                    filters.append((key, value))
        except ValueError:
            return Outcome(_error(400, 20001, "Invalid paging or filter parameter"))
        with self._lock:
            rows = []
            for msg in sorted(self._messages, key=lambda m: (m.created, m.seq), reverse=True):
                self._refresh(msg)
                if all(_matches(msg, k, v) for k, v in filters):
                    rows.append(msg)
            start = page * page_size
            if token and token.startswith("PA"):
                sids = [str(m.obj["sid"]) for m in rows]
                if token[2:] in sids:
                    start = sids.index(token[2:]) + 1
            chunk = rows[start:start + page_size]
            more = start + page_size < len(rows)
            messages = [copy.deepcopy(m.obj) for m in chunk]

        def uri(n: int, page_token: str | None) -> str:
            items = [*filters, ("PageSize", str(page_size)), ("Page", str(n))]
            if page_token:
                items.append(("PageToken", page_token))
            return path + "?" + urlencode(items, quote_via=quote)

        body = {
            "end": start + len(chunk) - 1 if chunk else start,
            "first_page_uri": uri(0, None),
            "messages": messages,
            "next_page_uri": (uri(page + 1, "PA" + str(chunk[-1].obj["sid"]))
                              if more and chunk else None),
            "page": page,
            "page_size": page_size,
            "previous_page_uri": uri(page - 1, None) if page > 0 else None,
            "start": start,
            "uri": uri(page, token),
        }
        return Outcome(Answer(200, body))


def _bare(number: str) -> str:
    return number[len("whatsapp:"):] if number.startswith("whatsapp:") else number


def _whatsapp(number: str) -> str:
    return number if number.startswith("whatsapp:") else "whatsapp:" + number


def _render(text: str, variables: Mapping[str, str]) -> str:
    return re.sub(r"\{\{\s*(\w+)\s*\}\}", lambda m: variables.get(m.group(1), m.group(0)), text)


def _when(value: str) -> tuple[float, bool]:
    """A DateSent filter value: (epoch seconds, whether it names a whole day)."""
    if re.fullmatch(r"\d{4}-\d\d-\d\d", value):
        day = date.fromisoformat(value)
        return datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp(), True
    text = value[:-1] + "+00:00" if value.endswith("Z") else value
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp(), False


def _matches(msg: _Message, key: str, value: str) -> bool:
    if key == "To":
        return bool(msg.obj["to"] == value)
    if key == "From":
        return bool(msg.obj["from"] == value)
    at = msg.sent_at if msg.sent_at is not None else msg.created
    if not msg.outbound:
        at = msg.created
    at = float(int(at))  # Twilio dates have whole seconds
    moment, whole_day = _when(value)
    if key == "DateSent":  # "sent on this date": the whole UTC day, even given a datetime
        day = moment - moment % 86400
        return day <= at < day + 86400
    low, high = (moment, moment + 86400 - 1) if whole_day else (moment, moment)
    if key.startswith("DateSent<"):
        return at <= high
    return at >= low


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the Twilio simulator in the foreground.")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--account-sid", default=DEFAULT_ACCOUNT_SID)
    parser.add_argument("--auth-token", default=DEFAULT_AUTH_TOKEN)
    parser.add_argument("--rate-limit", type=float, default=None,
                        help="requests per second per endpoint (default: unlimited)")
    args = parser.parse_args(argv)
    sim = TwilioSimulator(seed=args.seed, account_sid=args.account_sid,
                          auth_token=args.auth_token, rate_limit=args.rate_limit)
    return serve_in_foreground(sim.start, sim.stop, args.port)


if __name__ == "__main__":
    raise SystemExit(main())

"""A SendGrid v3 Mail Send simulator: a real HTTP server on 127.0.0.1 for tests and demos.

Faithful enough for the official ``sendgrid`` library, unchanged
(``SendGridAPIClient(api_key, host=sim.base_url)``): ``POST /v3/mail/send`` with Bearer auth,
SendGrid's validation and error bodies (``{"errors":[{"message","field","help"}]}``),
**202 with an empty body** and an ``X-Message-Id`` header, ``X-RateLimit-Limit/Remaining/
Reset`` (Unix time) on every response, 429 ``too many requests``, 413 over the size limit and
``mail_settings.sandbox_mode.enable`` answering 200 without sending.

The outbox holds one entry per recipient (to, cc and bcc of every personalization): what a
newcomer looks at (``GET /_sim/outbox``). :meth:`SendGridSimulator.accepted` counts entries
by X-Message-Id or by a custom_args value, so a mail sent twice shows as 2.

Faults (seeded): see :class:`sync.simulators.messaging_common.MessagingSimulator`; the one
endpoint is ``send``. Run alone: ``python -m sync.simulators.sendgrid --port N``.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import copy
import hmac
import json
import re
from collections.abc import Mapping
from typing import Any

from sync.simulators.messaging_common import (
    Clock,
    MessagingSimulator,
    Outcome,
    RateState,
    http_date_seconds,
)
from sync.simulators.server import Answer, Request, serve_in_foreground

DEFAULT_API_KEY = "SG.SIMULATOR"
MAX_BYTES = 30 * 1024 * 1024  # the documented 30 MB total message size
MAX_PERSONALIZATIONS = 1000
MAX_RECIPIENTS = 1000
SEND_AT_MAX_AHEAD = 72 * 3600
_EMAIL = re.compile(r"[^@\s\"<>,;]+@[^@\s\"<>,;]+\.[^@\s\"<>,;]+")
_HELP = "http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html#message"
_AUTH_ERROR = ("The provided authorization grant is invalid, expired, or revoked")


class _Invalid(Exception):
    def __init__(self, message: str, field: str | None, help_anchor: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.help = f"{_HELP}.{help_anchor}" if help_anchor else None


def _error(status: int, message: str, field: str | None = None,
           help_text: str | None = None) -> Answer:
    return Answer(status, {"errors": [{"message": message, "field": field,
                                       "help": help_text}]})


class SendGridSimulator(MessagingSimulator):
    """Thread-safe SendGrid ``/v3/mail/send``."""

    name = "sendgrid"
    endpoints = ("send",)
    default_apply_to = ("send",)

    def __init__(
        self,
        *,
        seed: int = 0,
        rate_limit: float | None = None,
        clock: Clock | None = None,
        api_key: str = DEFAULT_API_KEY,
        max_bytes: int = MAX_BYTES,
    ) -> None:
        super().__init__(seed=seed, rate_limit=rate_limit, clock=clock)
        self.api_key = api_key
        self.max_bytes = max_bytes
        self._outbox: list[dict[str, Any]] = []
        self._requests: list[dict[str, Any]] = []
        self._sandboxed = 0

    # --- inspection ----------------------------------------------------------------------

    def outbox(self) -> list[dict[str, Any]]:
        """One entry per recipient accepted, oldest first: ``x_message_id``, ``to``,
        ``to_name``, ``kind`` (to|cc|bcc), ``personalization`` (its index), ``from``,
        ``subject``, ``text``, ``html``, ``attachments`` (file names), ``custom_args``
        (top-level merged with the personalization's), ``categories``, ``template_id``,
        ``dynamic_template_data``, ``send_at``, ``accepted_at`` (simulator clock)."""
        with self._lock:
            return copy.deepcopy(self._outbox)

    def requests(self) -> list[dict[str, Any]]:
        """Every accepted request body as sent, with its ``x_message_id``, oldest first."""
        with self._lock:
            return copy.deepcopy(self._requests)

    def accepted(self, key: str) -> int:
        """How many outbox entries carry this X-Message-Id or this custom_args value
        (for a per-recipient custom arg: 2+ means the recipient got the mail twice)."""
        with self._lock:
            return sum(1 for entry in self._outbox
                       if entry["x_message_id"] == key or key in entry["custom_args"].values())

    def sandboxed(self) -> int:
        """How many valid sandbox-mode requests were answered (never sent)."""
        with self._lock:
            return self._sandboxed

    def reset(self) -> None:
        super().reset()
        with self._lock:
            self._outbox.clear()
            self._requests.clear()
            self._sandboxed = 0

    # --- the API -------------------------------------------------------------------------

    def _api(self, request: Request) -> Answer:
        if request.path.rstrip("/") != "/v3/mail/send":
            return _error(404, "resource not found")
        if request.method != "POST":
            return _error(405, "method not allowed")
        if not self._authorized(request.headers.get("authorization")):
            return _error(401, _AUTH_ERROR)
        return self._call("send", lambda: self._send(request.body))

    def _authorized(self, header: str | None) -> bool:
        if not header or not header.startswith("Bearer "):
            return False
        return hmac.compare_digest(header[7:].strip().encode(), self.api_key.encode())

    def _send(self, raw: bytes) -> Outcome:
        if len(raw) > self.max_bytes:
            return Outcome(_error(413, "Payload Too Large"))
        try:
            body = json.loads(raw) if raw.strip() else None
        except ValueError:
            body = None
        if not isinstance(body, dict):
            return Outcome(_error(400, "Bad Request", None, None))
        try:
            recipients = _validate(body, self.now())
        except _Invalid as exc:
            return Outcome(_error(400, exc.message, exc.field, exc.help))
        settings = body.get("mail_settings")
        sandbox = settings.get("sandbox_mode") if isinstance(settings, Mapping) else None
        if isinstance(sandbox, Mapping) and sandbox.get("enable") is True:
            with self._lock:
                self._sandboxed += 1
            return Outcome(Answer(200, text=b"", content_type="text/plain; charset=utf-8"))
        with self._lock:
            message_id = base64.urlsafe_b64encode(self._rng.randbytes(16)).decode().rstrip("=")
            now = self.now()
            for entry in recipients:
                entry["x_message_id"] = message_id
                entry["accepted_at"] = now
                self._outbox.append(entry)
            self._requests.append({"x_message_id": message_id, "accepted_at": now,
                                   "body": copy.deepcopy(body)})
        answer = Answer(202, text=b"", content_type="text/plain; charset=utf-8",
                        headers={"X-Message-Id": message_id})
        return Outcome(answer, ref=message_id, recorded=True)

    def _too_many(self, endpoint: str, state: RateState | None) -> Answer:
        return Answer(429, {"errors": [{"field": None, "message": "too many requests"}]})

    def _server_error(self, endpoint: str, status: int) -> Answer:
        text = "internal error" if status == 500 else "service unavailable"
        return _error(status, text)

    def _decorate(self, answer: Answer, state: RateState) -> Answer:
        answer.headers.setdefault("X-RateLimit-Limit", str(state.limit))
        answer.headers.setdefault("X-RateLimit-Remaining", str(state.remaining))
        answer.headers.setdefault("X-RateLimit-Reset", http_date_seconds(state.reset))
        return answer


# --- validation (what SendGrid refuses, with its field names) -------------------------------


def _email(value: Any, field: str) -> tuple[str, str | None]:
    if not isinstance(value, Mapping) or not isinstance(value.get("email"), str):
        raise _Invalid("The email parameter is required.", f"{field}.email")
    email = value["email"]
    if not _EMAIL.fullmatch(email):
        raise _Invalid("Does not contain a valid address.", f"{field}.email")
    name = value.get("name")
    if name is not None and not isinstance(name, str):
        raise _Invalid("Invalid type. Expected: string, given: "
                       f"{type(name).__name__}.", f"{field}.name")
    return email, name


def _string_map(value: Any, field: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, Mapping) or not all(isinstance(v, str) for v in value.values()):
        raise _Invalid("Invalid type. Expected: object of strings.", field)
    return {str(k): v for k, v in value.items()}


def _validate(body: Mapping[str, Any], now: float) -> list[dict[str, Any]]:
    """Raise :class:`_Invalid` like SendGrid; else one outbox entry per recipient."""
    sender = body.get("from")
    if sender is None:
        raise _Invalid("The from object must be provided for every email send. It is an "
                       "object that requires the email parameter, but may also contain a "
                       "name parameter.", "from", "from")
    from_email, from_name = _email(sender, "from")
    personalizations = body.get("personalizations")
    if not isinstance(personalizations, list) or not personalizations:
        raise _Invalid("The personalizations field is required and must have at least one "
                       "personalization.", "personalizations", "personalizations")
    if len(personalizations) > MAX_PERSONALIZATIONS:
        raise _Invalid(f"You may not have more than {MAX_PERSONALIZATIONS} personalizations "
                       "per API request.", "personalizations", "personalizations")
    template_id = body.get("template_id")
    if template_id is not None and not isinstance(template_id, str):
        raise _Invalid("The template_id must be a string.", "template_id", "template_id")
    text, html = _content(body.get("content"), template_id)
    subject = body.get("subject")
    if subject is not None and not isinstance(subject, str):
        raise _Invalid("Invalid type. Expected: string.", "subject", "subject")
    attachments = _attachments(body.get("attachments"))
    top_args = _string_map(body.get("custom_args"), "custom_args")
    categories = body.get("categories") or []
    if not isinstance(categories, list) or not all(isinstance(c, str) for c in categories):
        raise _Invalid("Categories must be strings.", "categories", "categories")
    top_send_at = _send_at(body.get("send_at"), "send_at", now)
    entries: list[dict[str, Any]] = []
    for index, person in enumerate(personalizations):
        field = f"personalizations.{index}"
        if not isinstance(person, Mapping):
            raise _Invalid("Invalid type. Expected: object.", field, "personalizations")
        to = person.get("to")
        if not isinstance(to, list) or not to:
            raise _Invalid("The to array is required for all personalization objects, and "
                           "must have at least one email object with a valid email address.",
                           f"{field}.to", "personalizations.to")
        p_subject = person.get("subject", subject)
        if not template_id and not (isinstance(p_subject, str) and p_subject):
            raise _Invalid("The subject is required. You can get around this requirement if "
                           "you use a template with a subject defined or if every "
                           "personalization has a subject defined.", "subject", "subject")
        seen: set[str] = set()
        args = dict(top_args)
        args.update(_string_map(person.get("custom_args"), f"{field}.custom_args"))
        send_at = _send_at(person.get("send_at"), f"{field}.send_at", now) or top_send_at
        data = person.get("dynamic_template_data")
        for kind in ("to", "cc", "bcc"):
            people = person.get(kind) or []
            if not isinstance(people, list):
                raise _Invalid("Invalid type. Expected: array.", f"{field}.{kind}")
            for j, who in enumerate(people):
                email, name = _email(who, f"{field}.{kind}.{j}")
                if email.lower() in seen:
                    raise _Invalid("Each email address in the personalization block should be "
                                   "unique between to, cc, and bcc. We found the first "
                                   "duplicate instance of [" + email + "] in the "
                                   f"personalizations.{index}.{kind} field.",
                                   f"personalizations.{index}.{kind}",
                                   "personalizations")
                seen.add(email.lower())
                entries.append({
                    "to": email, "to_name": name, "kind": kind, "personalization": index,
                    "from": from_email, "from_name": from_name,
                    "subject": p_subject, "text": text, "html": html,
                    "attachments": attachments, "custom_args": dict(args),
                    "categories": list(categories), "template_id": template_id,
                    "dynamic_template_data": copy.deepcopy(data), "send_at": send_at,
                })
    if len(entries) > MAX_RECIPIENTS:
        raise _Invalid(f"The total number of recipients must be at most {MAX_RECIPIENTS}.",
                       "personalizations", "personalizations")
    return entries


def _content(content: Any, template_id: str | None) -> tuple[str | None, str | None]:
    if content is None or content == []:
        if template_id:
            return None, None
        raise _Invalid("Unless a valid template_id is provided, the content parameter is "
                       "required. There must be at least one defined content block. We "
                       "typically suggest both text/plain and text/html blocks are included, "
                       "but only one block is required.", "content", "content")
    if not isinstance(content, list):
        raise _Invalid("Invalid type. Expected: array.", "content", "content")
    types: list[str] = []
    text = html = None
    for index, block in enumerate(content):
        if not isinstance(block, Mapping):
            raise _Invalid("Invalid type. Expected: object.", f"content.{index}", "content")
        ctype, value = block.get("type"), block.get("value")
        if not isinstance(ctype, str) or not ctype:
            raise _Invalid("The content type is required.", f"content.{index}.type",
                           "content.type")
        if not isinstance(value, str) or not value:
            raise _Invalid("The content value must be a string at least one character in "
                           "length.", f"content.{index}.value", "content.value")
        if ctype in types:
            raise _Invalid("If present, text/plain and text/html may only be provided once.",
                           f"content.{index}.type", "content.type")
        types.append(ctype)
        if ctype == "text/plain":
            text = value
        elif ctype == "text/html":
            html = value
    if "text/plain" in types and types[0] != "text/plain":
        raise _Invalid("If present, text/plain must be first, followed by text/html, "
                       "followed by any other content.", "content", "content.type")
    return text, html


def _attachments(value: Any) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise _Invalid("Invalid type. Expected: array.", "attachments", "attachments")
    names: list[str] = []
    for index, item in enumerate(value):
        field = f"attachments.{index}"
        if not isinstance(item, Mapping):
            raise _Invalid("Invalid type. Expected: object.", field, "attachments")
        content, filename = item.get("content"), item.get("filename")
        if not isinstance(content, str) or not content:
            raise _Invalid("The attachment content is required.", f"{field}.content",
                           "attachments.content")
        try:
            base64.b64decode(content, validate=True)
        except (binascii.Error, ValueError):
            raise _Invalid("The attachment content must be base64 encoded.",
                           f"{field}.content", "attachments.content") from None
        if not isinstance(filename, str) or not filename:
            raise _Invalid("The attachment filename parameter is required.",
                           f"{field}.filename", "attachments.filename")
        names.append(filename)
    return names


def _send_at(value: Any, field: str, now: float) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Invalid("Invalid type. Expected: integer.", field, "send_at")
    if value > now + SEND_AT_MAX_AHEAD:
        raise _Invalid("The send_at parameter must be at most 72 hours in the future.",
                       field, "send_at")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the SendGrid simulator in the foreground.")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--api-key", default=DEFAULT_API_KEY)
    parser.add_argument("--rate-limit", type=float, default=None,
                        help="requests per second (default: unlimited)")
    args = parser.parse_args(argv)
    sim = SendGridSimulator(seed=args.seed, api_key=args.api_key, rate_limit=args.rate_limit)
    return serve_in_foreground(sim.start, sim.stop, args.port)


if __name__ == "__main__":
    raise SystemExit(main())

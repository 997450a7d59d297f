"""httpx clients for SendGrid, Twilio and FCM, implementing :mod:`services.message_port`.

Build them from the store's settings and secrets (names in notes/contract-12-13.md)::

    email = make_email_sender(settings, secrets)   # SendGridClient  (EmailSender)
    text = make_text_sender(settings, secrets)     # TwilioClient    (TextSender)
    push = make_push_sender(settings, secrets)     # FcmClient       (PushSender)

``settings`` is the ``setting`` table as a mapping (``local_db.store.read_settings``);
``secrets`` anything with ``get(name) -> str | None`` (``app.secrets.secret_store_for``).
A missing credential raises :class:`services.errors.Refused` whose ``field`` names the
setting key or secret name to fill in. Each client is closed with ``close()``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

import httpx

from services.errors import Refused
from sync.jobs.ratelimit import RateLimits
from sync.messaging.fcm import DEFAULT_BASE_URL as FCM_BASE_URL
from sync.messaging.fcm import DEFAULT_TOKEN_URL as FCM_TOKEN_URL
from sync.messaging.fcm import FcmClient
from sync.messaging.sendgrid import DEFAULT_BASE_URL as SENDGRID_BASE_URL
from sync.messaging.sendgrid import SendGridClient
from sync.messaging.twilio import DEFAULT_BASE_URL as TWILIO_BASE_URL
from sync.messaging.twilio import TwilioClient

SENDGRID_API_KEY = "sendgrid-api-key"
TWILIO_AUTH_TOKEN = "twilio-auth-token"
FCM_SERVICE_ACCOUNT = "fcm-service-account"


class Secrets(Protocol):
    def get(self, name: str) -> str | None: ...


def _setting(settings: Mapping[str, str], key: str, default: str | None = None) -> str:
    value = (settings.get(key) or "").strip()
    if value:
        return value
    if default is not None:
        return default
    raise Refused(f"messaging is not set up: {key} is missing", field=key)


def _secret(secrets: Secrets, name: str) -> str:
    value = secrets.get(name)
    if not value or not value.strip():
        raise Refused(f"messaging is not set up: the {name} credential is missing", field=name)
    return value.strip()


def make_email_sender(settings: Mapping[str, str], secrets: Secrets, *, timeout: float = 10.0,
                      limits: RateLimits | None = None,
                      transport: httpx.BaseTransport | None = None) -> SendGridClient:
    base = _setting(settings, "messaging.sendgrid.base_url", SENDGRID_BASE_URL)
    return SendGridClient(base, _secret(secrets, SENDGRID_API_KEY), timeout=timeout,
                          limits=limits, transport=transport)


def make_text_sender(settings: Mapping[str, str], secrets: Secrets, *, timeout: float = 10.0,
                     limits: RateLimits | None = None,
                     transport: httpx.BaseTransport | None = None) -> TwilioClient:
    base = _setting(settings, "messaging.twilio.base_url", TWILIO_BASE_URL)
    sid = _setting(settings, "messaging.twilio.account_sid")
    token = _secret(secrets, TWILIO_AUTH_TOKEN)
    try:
        return TwilioClient(base, sid, token, timeout=timeout, limits=limits,
                            transport=transport)
    except ValueError as exc:
        raise Refused(str(exc), field="messaging.twilio.account_sid") from None


def make_push_sender(settings: Mapping[str, str], secrets: Secrets, *, timeout: float = 10.0,
                     limits: RateLimits | None = None,
                     transport: httpx.BaseTransport | None = None) -> FcmClient:
    base = _setting(settings, "messaging.fcm.base_url", FCM_BASE_URL)
    token_url = _setting(settings, "messaging.fcm.token_url", FCM_TOKEN_URL)
    project = (settings.get("messaging.fcm.project_id") or "").strip() or None
    account = _secret(secrets, FCM_SERVICE_ACCOUNT)
    try:
        return FcmClient(base, token_url, account, timeout=timeout, limits=limits,
                         project_id=project, transport=transport)
    except ValueError as exc:
        raise Refused(str(exc), field=FCM_SERVICE_ACCOUNT) from None


__all__ = ["FCM_SERVICE_ACCOUNT", "SENDGRID_API_KEY", "TWILIO_AUTH_TOKEN", "FcmClient",
           "SendGridClient", "Secrets", "TwilioClient", "make_email_sender", "make_push_sender",
           "make_text_sender"]

"""Which message job handlers this till runs, and what they are given.

``message_handlers(shop)`` builds the SendGrid, Twilio and FCM clients from the store's
settings and the secret store (names in notes/contract-12-13.md) and yields the dispatcher's
handlers for the providers that are set up; the lead merges them into
``app.provider_wiring.provider_handlers``. A provider that is not set up has no handler: its
jobs wait, and ``message_notes(shop)`` says why in the sync panel.

The receipt PDF of an email is rendered here, at send time (reportlab lives only in app):
the email handler is given :func:`receipt_attachments`, which renders the committed sale's
receipt (it never changes) with ``app.printing.receipt_pdf``. Nothing of the PDF is stored.

``messaging_simulators(shop)`` starts the SendGrid, Twilio and FCM simulators on 127.0.0.1
and points a *demo* shop at them (settings and the demo's throwaway secrets), for
``warungin demo --simulators`` and the messaging benchmark.
"""

from __future__ import annotations

import importlib
import json
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from app.secrets import SecretsUnavailable, cipher_for, secret_store_for
from app.shop import Shop
from local_db.ids import uuid7
from local_db.models import Sale
from local_db.store import read_settings, write_settings
from services.errors import Conflict, Refused
from services.message_port import Attachment
from sync.jobs.ratelimit import Limit, RateLimits, TokenBucket

if TYPE_CHECKING:
    from sync.jobs.model import JobHandler
    from sync.message_jobs import AttachmentSource

PDF_TYPE = "application/pdf"
DEFAULT_TWILIO_RATE = 10.0
#: Share of a sender's rate limit we pace at (see twilio_limits).
PACE_MARGIN = 0.97


def receipt_attachments(shop: Shop) -> AttachmentSource:
    """(ref_type, ref_id, locale) -> the receipt PDF of a sale, for an email receipt."""

    def attach(ref_type: str, ref_id: str, locale: str) -> Sequence[Attachment]:
        if ref_type != "sale":
            return ()
        from app.printing import receipt_pdf
        with shop.uow(write=False) as uow:
            receipt_no = uow.conn.execute(select(Sale.receipt_no)
                                          .where(Sale.id == ref_id)).scalar()
        if receipt_no is None:
            return ()
        with tempfile.TemporaryDirectory(prefix="warungin-receipt-") as folder:
            path = receipt_pdf(shop, str(receipt_no), Path(folder) / "receipt.pdf")
            content = path.read_bytes()
        name = ("struk" if locale == "id" else "receipt") + f"-{receipt_no}.pdf"
        return (Attachment(name, PDF_TYPE, content),)
    return attach


def _rate(settings: Mapping[str, str], key: str, default: float) -> float:
    try:
        value = float(settings.get(key) or default)
    except ValueError:
        return default
    return value if 0 < value <= 1000 else default


def twilio_limits(settings: Mapping[str, str]) -> RateLimits:
    """Twilio's per-sender pace: the sender's limit (``messaging.twilio.whatsapp_rate`` /
    ``sms_rate``, messages per second, default 10: WhatsApp's default per sender) less
    :data:`PACE_MARGIN`, in evenly spaced sends (burst 1). A limit is counted over a sliding
    one-second window of *arrivals*: sends spaced exactly at the limit put an 11th request
    in a window whenever the network delays one more than the one ten before it, and each
    429 stops the sender for a second; a saved-up burst earns 429s the same way."""
    return RateLimits({kind: Limit(rate=_rate(settings, f"messaging.twilio.{kind}_rate",
                                              DEFAULT_TWILIO_RATE) * PACE_MARGIN, burst=1.0)
                       for kind in ("whatsapp", "sms")})


@contextmanager
def message_handlers(shop: Shop, *, timeout: float = 10.0
                     ) -> Iterator[Mapping[tuple[str, str], JobHandler]]:
    """The message handlers of the providers set up on this till, their clients closed
    afterwards."""
    from sync.message_jobs import FcmPushHandler, SendGridEmailHandler, TwilioTextHandler
    from sync.messaging import make_email_sender, make_push_sender, make_text_sender
    with shop.uow(write=False) as uow:
        settings = read_settings(uow.conn)
    try:
        secrets = secret_store_for(shop)
        cipher = cipher_for(shop, secrets)
    except SecretsUnavailable:
        yield {}
        return
    handlers: dict[tuple[str, str], JobHandler] = {}
    with ExitStack() as stack:
        try:
            email = make_email_sender(settings, secrets, timeout=timeout)
        except Refused:
            pass
        else:
            stack.callback(email.close)
            if (settings.get("messaging.email.from") or "").strip():
                handlers[("sendgrid", "email")] = SendGridEmailHandler(
                    shop.db, cipher, email, attachments=receipt_attachments(shop))
        try:
            text = make_text_sender(settings, secrets, timeout=timeout,
                                    limits=twilio_limits(settings))
        except Refused:
            pass
        else:
            stack.callback(text.close)
            polls = TokenBucket(_rate(settings, "messaging.twilio.whatsapp_rate",
                                      DEFAULT_TWILIO_RATE), burst=1.0)
            for kind in ("sms", "whatsapp"):
                if (settings.get(f"messaging.twilio.{kind}_from") or "").strip():
                    handlers[("twilio", kind)] = TwilioTextHandler(
                        shop.db, cipher, text, poll_limit=polls)
        try:
            push = make_push_sender(settings, secrets, timeout=timeout)
        except Refused:
            pass
        else:
            stack.callback(push.close)
            handlers[("fcm", "push")] = FcmPushHandler(shop.db, cipher, push)
        yield handlers


def message_notes(shop: Shop) -> dict[str, str]:
    """Per messaging provider not set up on this till: what is missing (for the sync panel).
    A provider that is ready has no note."""
    from sync.messaging import make_email_sender, make_push_sender, make_text_sender
    with shop.uow(write=False) as uow:
        settings = read_settings(uow.conn)
    try:
        secrets = secret_store_for(shop)
    except SecretsUnavailable as exc:
        return {p: str(exc) for p in ("sendgrid", "twilio", "fcm")}
    notes: dict[str, str] = {}
    for provider, make, command in (("sendgrid", make_email_sender, "sendgrid"),
                                    ("twilio", make_text_sender, "twilio"),
                                    ("fcm", make_push_sender, "fcm")):
        try:
            client: Any = make(settings, secrets)
        except Refused as exc:
            notes[provider] = (f"{provider} is not set up on this till ({exc.message}): "
                               f"the owner runs 'warungin providers {command}'; its messages "
                               "wait here (nothing is lost)")
            continue
        client.close()
    if "sendgrid" not in notes and not (settings.get("messaging.email.from") or "").strip():
        notes["sendgrid"] = ("no sender address (messaging.email.from): the owner runs "
                             "'warungin providers sendgrid --from ...'")
    if "twilio" not in notes:
        missing = [k for k in ("sms", "whatsapp")
                   if not (settings.get(f"messaging.twilio.{k}_from") or "").strip()]
        if len(missing) == 2:
            notes["twilio"] = ("no sender number (messaging.twilio.sms_from / whatsapp_from): "
                               "the owner runs 'warungin providers twilio'")
    return notes


# --- simulators (demo shops and the benchmark only) ---------------------------------------

@dataclass(frozen=True, slots=True)
class MessagingSimulators:
    """The running simulators (objects of sync.simulators.*) and their URLs."""

    sendgrid: Any
    twilio: Any
    fcm: Any | None
    urls: Mapping[str, str]


#: Approved templates a demo shop's Twilio simulator is given besides its own (receipt and
#: shipment notices): the variables numbered in services.message_templates.VARIABLES order.
DEMO_TEMPLATES = {
    ("low_stock", "id"): "{{1}}: {{2}} produk hampir habis.",
    ("low_stock", "en"): "{{1}}: {{2}} products are running low.",
    ("daily_summary", "id"): "{{1}}, ringkasan {{2}}: penjualan {{3}} dari {{4}} transaksi "
                             "({{5}}).",
    ("daily_summary", "en"): "{{1}}, summary of {{2}}: sales {{3}} from {{4}} transactions "
                             "({{5}}).",
    ("promo", "id"): "Halo {{2}}, {{3}} ({{1}})",
    ("promo", "en"): "Hello {{2}}, {{3}} ({{1}})",
}

DEMO_SENDERS = {"messaging.email.from": "struk@warung-demo.test",
                "messaging.twilio.sms_from": "+15005550006",
                "messaging.twilio.whatsapp_from": "+14155238886"}


def demo_service_account(project_id: str = "warungin-demo") -> dict[str, str]:
    """A throwaway service account (a fresh RSA key) for a demo shop's FCM simulator."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    return {"type": "service_account", "project_id": project_id,
            "private_key_id": "demo-" + uuid7()[-12:], "private_key": pem,
            "client_email": f"firebase-adminsdk-demo@{project_id}.iam.gserviceaccount.com",
            "token_uri": "https://oauth2.googleapis.com/token"}


def _fcm_simulator(seed: int) -> tuple[Any, str | None]:
    """The FCM simulator (accepting any well-formed device token, as a demo's phones) and
    the service-account JSON its token endpoint accepts."""
    try:
        module = importlib.import_module("sync.simulators.fcm")
    except ModuleNotFoundError:
        return None, None
    info = demo_service_account()
    sim = module.FcmSimulator.for_service_account(info, seed=seed, accept_any_token=True)
    return sim, json.dumps(info)


@contextmanager
def messaging_simulators(shop: Shop, *, seed: int = 0, rate_limit: float | None = None,
                         ports: Mapping[str, int] | None = None
                         ) -> Iterator[MessagingSimulators]:
    """Start the messaging simulators and point this demo shop at them (settings, and the
    demo's throwaway secrets); they stop when the block ends. ``rate_limit``: requests per
    second each simulator allows (e.g. 10 for WhatsApp's default sender limit)."""
    if not shop.config.demo:
        raise Conflict("simulators are only for a demo shop", field="data_dir")
    from sync.simulators import sendgrid as sg
    from sync.simulators import twilio as tw
    ports = dict(ports or {})
    with ExitStack() as stack:
        sendgrid = sg.SendGridSimulator(seed=seed, rate_limit=rate_limit)
        twilio = tw.TwilioSimulator(seed=seed, rate_limit=rate_limit)
        urls = {"sendgrid": sendgrid.start(ports.get("sendgrid", 0)),
                "twilio": twilio.start(ports.get("twilio", 0))}
        stack.callback(sendgrid.stop)
        stack.callback(twilio.stop)
        fcm, account = _fcm_simulator(seed)
        if fcm is not None:
            urls["fcm"] = fcm.start(ports.get("fcm", 0))
            stack.callback(fcm.stop)
        values = {**DEMO_SENDERS, "messaging.sendgrid.base_url": urls["sendgrid"],
                  "messaging.twilio.base_url": urls["twilio"],
                  "messaging.twilio.account_sid": twilio.account_sid}
        for template in ("receipt", "shipment_created", "shipment_delivered",
                         "shipment_returned"):
            for locale in ("id", "en"):
                values[f"messaging.twilio.template.{template}.{locale}"] = \
                    tw.template_sid(f"{template}.{locale}")
        for (template, locale), body in DEMO_TEMPLATES.items():
            values[f"messaging.twilio.template.{template}.{locale}"] = \
                twilio.register_template(body, name=f"{template}.{locale}")
        store = secret_store_for(shop)
        store.set("sendgrid-api-key", sendgrid.api_key)
        store.set("twilio-auth-token", twilio.auth_token)
        if fcm is not None:
            values["messaging.fcm.base_url"] = urls["fcm"]
            values["messaging.fcm.token_url"] = urls["fcm"] + "/token"
            values["messaging.fcm.project_id"] = str(fcm.project_id)
            if account:
                store.set("fcm-service-account", str(account))
        with shop.uow() as uow:
            write_settings(uow.conn, values)
            uow.commit()
        yield MessagingSimulators(sendgrid, twilio, fcm, urls)


__all__ = ["DEMO_SENDERS", "MessagingSimulators", "message_handlers", "message_notes",
           "messaging_simulators", "receipt_attachments"]

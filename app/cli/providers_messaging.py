"""``warungin providers sendgrid|twilio|fcm``: where this till's messaging providers are,
their senders, and their credentials.

Settings (store settings, no secrets) come from flags; the credential comes on standard
input, never as an argument (shell history and the process list would keep it), and goes
to the secret store (the OS keyring): SendGrid's API key, Twilio's Auth Token, FCM's
service-account JSON (the whole file on stdin). ``--keep-secret`` changes settings only.
Owner only; each change is audited (which settings, never the secret).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from typing import Any

from app.cli.common import acting_user, add_user_args, opened_shop
from app.cli.output import emit
from local_db.store import append_audit, write_settings
from services.customers import normalise_email, normalise_phone
from services.errors import BadInput
from services.users import require

SECRETS = {"sendgrid": "sendgrid-api-key", "twilio": "twilio-auth-token",
           "fcm": "fcm-service-account"}
_ACCOUNT_SID = re.compile(r"^AC[0-9a-fA-F]{32}$")
_MESSAGING_SERVICE = re.compile(r"^MG[0-9a-fA-F]{32}$")
_CONTENT_SID = re.compile(r"^HX[0-9a-fA-F]{32}$")
_TEMPLATE_KEY = re.compile(r"^[a-z_]{1,40}\.(id|en)$")


def register_messaging(ps: argparse._SubParsersAction[argparse.ArgumentParser],
                       common: argparse.ArgumentParser) -> None:
    s = ps.add_parser("sendgrid", parents=[common],
                      help="SendGrid email: sender and API key (key read from stdin)")
    add_user_args(s)
    s.add_argument("--url", help="base URL (default https://api.sendgrid.com; a simulator)")
    s.add_argument("--from", dest="sender", help="the sender address (verified at SendGrid)")
    s.add_argument("--from-name", help="the sender's name (default: the store's name)")
    s.add_argument("--keep-secret", action="store_true", help="change settings only")
    s.set_defaults(handler=run_sendgrid)

    t = ps.add_parser("twilio", parents=[common],
                      help="Twilio SMS/WhatsApp: account, senders, approved templates and "
                           "Auth Token (token read from stdin)")
    add_user_args(t)
    t.add_argument("--url", help="base URL (default https://api.twilio.com; a simulator)")
    t.add_argument("--account-sid", help="the Account SID (AC...)")
    t.add_argument("--sms-from", help="the SMS sender: a number or a Messaging Service (MG...)")
    t.add_argument("--whatsapp-from", help="the WhatsApp sender number")
    t.add_argument("--template", action="append", default=[], metavar="NAME.LOCALE=HX...",
                   help="an approved WhatsApp template's ContentSid, e.g. receipt.id=HX... "
                        "(repeatable; empty value removes it)")
    t.add_argument("--keep-secret", action="store_true", help="change settings only")
    t.set_defaults(handler=run_twilio)

    f = ps.add_parser("fcm", parents=[common],
                      help="Firebase Cloud Messaging push: the service-account JSON on stdin")
    add_user_args(f)
    f.add_argument("--url", help="base URL (default https://fcm.googleapis.com; a simulator)")
    f.add_argument("--token-url", help="OAuth token URL (default "
                                       "https://oauth2.googleapis.com/token)")
    f.add_argument("--project-id", help="the Firebase project (default: the JSON's)")
    f.add_argument("--keep-secret", action="store_true", help="change settings only")
    f.set_defaults(handler=run_fcm)


def _url(value: str | None, field: str) -> str | None:
    if value is None:
        return None
    url = value.strip().rstrip("/")
    if not url.startswith(("https://", "http://127.0.0.1", "http://localhost")):
        raise BadInput("the URL must be https (or a local simulator)", field=field)
    return url


def _number(value: str, field: str) -> str:
    try:
        return normalise_phone(value)
    except BadInput as exc:
        raise BadInput(exc.message, field=field) from None


def _secret_line(name: str) -> str:
    value = sys.stdin.readline().strip()
    if not value:
        raise BadInput(f"give the {name} on standard input (or --keep-secret)", field=name)
    return value


def _save(args: argparse.Namespace, provider: str, values: dict[str, str],
          secret: str | None) -> None:
    from app.secrets import secret_store_for
    with opened_shop(args) as shop:
        actor = acting_user(shop, args, default_to_shift=False)
        require(actor, "owner", "setting provider credentials")
        if secret is not None:
            secret_store_for(shop).set(SECRETS[provider], secret)
        with shop.uow() as uow:
            write_settings(uow.conn, values)
            append_audit(uow.conn, "provider.credentials", entity="provider",
                         entity_id=provider, actor_id=actor.id,
                         details={"settings": values, "secret": secret is not None})
            uow.commit()
    out: dict[str, Any] = {"provider": provider, "settings": values}
    out[SECRETS[provider]] = "stored in the keyring" if secret is not None else "unchanged"
    emit(out)


def run_sendgrid(args: argparse.Namespace) -> int:
    values: dict[str, str] = {}
    url = _url(args.url, "url")
    if url:
        values["messaging.sendgrid.base_url"] = url
    if args.sender is not None:
        try:
            values["messaging.email.from"] = normalise_email(args.sender)
        except BadInput as exc:
            raise BadInput(exc.message, field="from") from None
    if args.from_name is not None:
        name = " ".join(args.from_name.split())
        if not name or len(name) > 100:
            raise BadInput("a sender name is 1 to 100 characters", field="from_name")
        values["messaging.email.from_name"] = name
    secret = None if args.keep_secret else _secret_line("api_key")
    _save(args, "sendgrid", values, secret)
    return 0


def run_twilio(args: argparse.Namespace) -> int:
    values: dict[str, str] = {}
    url = _url(args.url, "url")
    if url:
        values["messaging.twilio.base_url"] = url
    if args.account_sid is not None:
        if not _ACCOUNT_SID.match(args.account_sid.strip()):
            raise BadInput("an Account SID is AC followed by 32 hex digits",
                           field="account_sid")
        values["messaging.twilio.account_sid"] = args.account_sid.strip()
    if args.sms_from is not None:
        raw = args.sms_from.strip()
        values["messaging.twilio.sms_from"] = (raw if _MESSAGING_SERVICE.match(raw)
                                               else _number(raw, "sms_from"))
    if args.whatsapp_from is not None:
        values["messaging.twilio.whatsapp_from"] = _number(
            args.whatsapp_from.removeprefix("whatsapp:"), "whatsapp_from")
    for pair in args.template:
        key, sep, sid = pair.partition("=")
        if not sep or not _TEMPLATE_KEY.match(key.strip()):
            raise BadInput("a template is NAME.LOCALE=HX... (e.g. receipt.id=HX...)",
                           field="template")
        if sid.strip() and not _CONTENT_SID.match(sid.strip()):
            raise BadInput("a ContentSid is HX followed by 32 hex digits", field="template")
        values[f"messaging.twilio.template.{key.strip()}"] = sid.strip()
    secret = None if args.keep_secret else _secret_line("auth_token")
    _save(args, "twilio", values, secret)
    return 0


def run_fcm(args: argparse.Namespace) -> int:
    values: dict[str, str] = {}
    url = _url(args.url, "url")
    if url:
        values["messaging.fcm.base_url"] = url
    token_url = _url(args.token_url, "token_url")
    if token_url:
        values["messaging.fcm.token_url"] = token_url
    secret = None
    if not args.keep_secret:
        secret = sys.stdin.read().strip()
        try:
            info = json.loads(secret) if secret else None
        except ValueError:
            info = None
        if not isinstance(info, dict) or info.get("type") != "service_account" or not all(
                isinstance(info.get(k), str) and info.get(k)
                for k in ("client_email", "private_key")):
            raise BadInput("give the service-account JSON on standard input (type "
                           "service_account, with client_email and private_key)",
                           field="service_account")
        if not args.project_id and isinstance(info.get("project_id"), str):
            values["messaging.fcm.project_id"] = info["project_id"]
    if args.project_id:
        if not re.match(r"^[a-z0-9-]{4,40}$", args.project_id):
            raise BadInput("a Firebase project id is lowercase letters, digits and '-'",
                           field="project_id")
        values["messaging.fcm.project_id"] = args.project_id
    _save(args, "fcm", values, secret)
    return 0


__all__ = ["SECRETS", "register_messaging", "run_fcm", "run_sendgrid", "run_twilio"]

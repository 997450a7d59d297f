"""Bulk messages (many recipients, a row each) and owner alerts.

``queue_messages`` is the growth issue's entry (campaigns, alerts): one template to many
customers, users or typed addresses, a message row per recipient with the dedupe key
``<bulk_id>:<keyed hash of the address>`` (a re-run sends nobody twice), email recipients
chunked at most 1,000 per SendGrid job (``mail:<bulk_id>:<chunk_no>``), SMS/WhatsApp/push a
job per message (Twilio and FCM take one recipient per request; the clients pace them at the
providers' limits). Marketing goes only to customers with ``consent_marketing``.
``queue_owner_alert`` sends low-stock alerts and daily summaries by the shop's owner channel.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import Connection, func, select

from local_db.ids import now_iso
from local_db.models import Customer, ProviderJob, User
from local_db.store import add_provider_job, append_audit, read_settings
from local_db.uow import UnitOfWork
from services.crypto import FieldCipher
from services.errors import BadInput
from services.message_templates import VARIABLES
from services.messaging_queue import address_for, message_locale, queue_one, recipient_hash
from services.messaging_rows import PROVIDER_OF, PURPOSES, MessageRow, message_by_dedupe
from services.messaging_templates import Rendered, check_template, render
from services.users import Actor, authorize

#: Recipients of one SendGrid request at most (personalizations per mail/send).
EMAIL_CHUNK = 1000
_BULK_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,40}$")
#: The "name" of a recipient with no name on record (a typed address).
NO_NAME = {"id": "Pelanggan", "en": "customer"}


@dataclass(frozen=True, slots=True)
class Recipient:
    """Who a bulk message goes to: a customer or a user (by id), or a typed address."""

    kind: str  # customer | user | address
    value: str = field(repr=False)

    @classmethod
    def customer(cls, customer_id: str) -> Recipient:
        return cls("customer", customer_id)

    @classmethod
    def user(cls, user_id: str) -> Recipient:
        return cls("user", user_id)

    @classmethod
    def address(cls, address: str) -> Recipient:
        return cls("address", address)


@dataclass(frozen=True, slots=True)
class BulkResult:
    bulk_id: str
    queued: int  # new message rows
    already: int  # queued by an earlier run (nobody twice)
    excluded_no_consent: int  # marketing to customers without consent (or typed addresses)
    excluded_no_address: int  # no phone/email/device on record, erased, or not a mobile
    message_ids: tuple[str, ...]  # the new rows
    job_ids: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "message_ids": list(self.message_ids),
                "job_ids": list(self.job_ids)}


@dataclass(frozen=True, slots=True)
class _Target:
    address: str = field(repr=False)
    name: str = field(repr=False)
    customer_id: str | None = None
    user_id: str | None = None
    device_token_id: str | None = None


def _customer_targets(conn: Connection, cipher: FieldCipher, customer_id: str, channel: str,
                      marketing: bool) -> list[_Target] | str:
    c = conn.execute(select(Customer.id, Customer.name, Customer.phone_enc, Customer.email_enc,
                            Customer.consent_marketing, Customer.erased_at)
                     .where(Customer.id == customer_id)).one_or_none()
    if c is None:
        raise BadInput(f"no customer '{customer_id}'", field="recipients")
    if marketing and not c.consent_marketing:
        return "consent"
    if c.erased_at is not None:
        return "address"
    if channel == "push":
        from services.device_tokens import active_tokens
        return [_Target(t.token, str(c.name), customer_id=str(c.id), device_token_id=t.id)
                for t in active_tokens(conn, "customer", str(c.id))] or "address"
    token = c.email_enc if channel == "email" else c.phone_enc
    if token is None:
        return "address"
    plain = cipher.decrypt(token, record_id=str(c.id), field="email" if channel == "email"
                           else "phone")
    try:
        return [_Target(address_for(channel, plain), str(c.name), customer_id=str(c.id))]
    except BadInput:
        return "address"


def _user_targets(conn: Connection, user_id: str, channel: str,
                  addresses: Mapping[str, str]) -> list[_Target] | str:
    u = conn.execute(select(User.id, User.name, User.active).where(User.id == user_id)).one_or_none()
    if u is None:
        raise BadInput(f"no user '{user_id}'", field="recipients")
    if not u.active:
        return "address"
    if channel == "push":
        from services.device_tokens import active_tokens
        return [_Target(t.token, str(u.name), user_id=str(u.id), device_token_id=t.id)
                for t in active_tokens(conn, "user", str(u.id))] or "address"
    # Staff have no address on record; an owner alert's address is messaging.owner_to.
    raw = addresses.get(str(u.id))
    if raw is None:
        return "address"
    return [_Target(address_for(channel, raw, field_name="recipients"), str(u.name),
                    user_id=str(u.id))]


def _targets(conn: Connection, cipher: FieldCipher, r: Recipient, channel: str,
             marketing: bool, lang: str,
             addresses: Mapping[str, str]) -> list[_Target] | str:
    if r.kind == "customer":
        return _customer_targets(conn, cipher, r.value, channel, marketing)
    if r.kind == "user":
        return _user_targets(conn, r.value, channel, addresses)
    if r.kind == "address":
        if marketing:
            return "consent"  # no consent on record for a typed address
        return [_Target(address_for(channel, r.value, field_name="recipients"), NO_NAME[lang])]
    raise BadInput("a recipient is a customer, a user or an address", field="recipients")


def _next_chunk(conn: Connection, bulk_id: str) -> int:
    return int(conn.execute(select(func.count()).select_from(ProviderJob).where(
        ProviderJob.idempotency_key.like(f"mail:{bulk_id}:%"))).scalar() or 0)


def _queue_bulk(conn: Connection, cipher: FieldCipher, *, channel: str, template: str,
                purpose: str, recipients: Sequence[Recipient], variables: Mapping[str, str],
                bulk_id: str, lang: str, now: str, addresses: Mapping[str, str] | None = None,
                ) -> BulkResult:
    if channel not in PROVIDER_OF:
        raise BadInput(f"the channel is one of {', '.join(PROVIDER_OF)}", field="channel")
    if purpose not in PURPOSES:
        raise BadInput(f"the purpose is one of {', '.join(PURPOSES)}", field="purpose")
    if not _BULK_ID.match(bulk_id or ""):
        raise BadInput("a bulk id is 1 to 40 letters, digits, '_', '.', ':' or '-'",
                       field="bulk_id")
    check_template(template)
    marketing = purpose == "marketing"
    needs_name = "name" in VARIABLES[template] and "name" not in variables
    shared = dict(variables)
    consent = no_address = already = 0
    new_rows: list[MessageRow] = []
    jobs: list[str] = []
    pending_email: list[tuple[_Target, Rendered, dict[str, str], str]] = []
    seen: set[str] = set()
    for r in recipients:
        found = _targets(conn, cipher, r, channel, marketing, lang, addresses or {})
        if found == "consent":
            consent += 1
            continue
        if isinstance(found, str) or not found:
            no_address += 1
            continue
        for t in found:
            values = {**shared, "name": t.name} if needs_name else dict(shared)
            dedupe = f"{bulk_id}:{recipient_hash(cipher, channel, t.address)}"
            if dedupe in seen:
                continue
            seen.add(dedupe)
            if message_by_dedupe(conn, dedupe) is not None:
                already += 1
                continue
            rendered = render(template, lang, channel, values)
            if channel == "email":
                pending_email.append((t, rendered, values, dedupe))
                continue
            row = queue_one(conn, cipher, channel=channel, purpose=purpose,
                                rendered=rendered, address=t.address, dedupe_key=dedupe,
                                variables=values, now=now, customer_id=t.customer_id,
                                user_id=t.user_id, device_token_id=t.device_token_id,
                                bulk_id=bulk_id, ref_type="bulk", ref_id=bulk_id)
            new_rows.append(row)
            if row.job_id:
                jobs.append(row.job_id)
    first = _next_chunk(conn, bulk_id) if pending_email else 0
    for n, start in enumerate(range(0, len(pending_email), EMAIL_CHUNK)):
        chunk = pending_email[start:start + EMAIL_CHUNK]
        job_id = add_provider_job(conn, provider="sendgrid", kind="email", ref_id=bulk_id,
                                  idempotency_key=f"mail:{bulk_id}:{first + n}",
                                  payload={"bulk_id": bulk_id, "chunk": first + n,
                                           "purpose": purpose})
        jobs.append(job_id)
        for t, rendered, values, dedupe in chunk:
            row = queue_one(conn, cipher, channel=channel, purpose=purpose,
                                rendered=rendered, address=t.address, dedupe_key=dedupe,
                                variables=values, now=now, job=False, job_id=job_id,
                                customer_id=t.customer_id, user_id=t.user_id,
                                bulk_id=bulk_id, ref_type="bulk", ref_id=bulk_id)
            new_rows.append(row)
    return BulkResult(bulk_id, len(new_rows), already, consent, no_address,
                      tuple(r.id for r in new_rows), tuple(jobs))


def queue_messages(uow: UnitOfWork, cipher: FieldCipher, actor: Actor, *, channel: str,
                   template: str, purpose: str, recipients: Sequence[Recipient],
                   variables: Mapping[str, str], bulk_id: str, locale: str | None = None
                   ) -> BulkResult:
    """Queue one template to many recipients, a row per recipient, and commit. A template
    variable ``name`` not given is filled per recipient (the customer's or user's name).
    Marketing needs the owner and each customer's consent; alerts and transactional bulk a
    supervisor. Email recipients are chunked, at most 1,000 per SendGrid job. Running the
    same ``bulk_id`` again sends nobody twice (already queued recipients are counted)."""
    if purpose not in PURPOSES:
        raise BadInput(f"the purpose is one of {', '.join(PURPOSES)}", field="purpose")
    current = authorize(uow, actor, "owner" if purpose == "marketing" else "supervisor",
                        f"sending {purpose} messages")
    conn = uow.conn
    lang = message_locale(read_settings(conn), locale)
    now = now_iso()
    result = _queue_bulk(conn, cipher, channel=channel, template=template, purpose=purpose,
                         recipients=recipients, variables=variables, bulk_id=bulk_id,
                         lang=lang, now=now)
    append_audit(conn, "message.bulk", entity="message_bulk", entity_id=bulk_id,
                 actor_id=current.id, details={
                     "channel": channel, "template": template, "purpose": purpose,
                     "queued": result.queued, "already": result.already,
                     "excluded_no_consent": result.excluded_no_consent,
                     "excluded_no_address": result.excluded_no_address}, created_at=now)
    uow.commit()
    return result


# --- owner alerts ------------------------------------------------------------------------

def queue_owner_alert(conn: Connection, cipher: FieldCipher, template: str,
                      variables: Mapping[str, str], *, now: str | None = None,
                      dedupe: str | None = None) -> tuple[str, ...]:
    """Queue an alert to the owner (low stock, daily summary) by ``messaging.owner_channel``
    (push: every active device of the shop's owners, or of the user ``messaging.owner_to``
    names; whatsapp/sms/email: the address in ``messaging.owner_to``), inside the caller's
    transaction. ``dedupe`` says what makes two alerts the same (default: the template and its
    variables, so the same summary of the same day is sent once). Returns the new message
    ids (empty when no owner channel is set up or it was queued already)."""
    settings = read_settings(conn)
    channel = settings.get("messaging.owner_channel", "")
    if channel not in ("push", "whatsapp", "sms", "email"):
        return ()
    now = now or now_iso()
    values = {k: str(v) for k, v in variables.items()}
    basis = dedupe or hashlib.sha256(repr(sorted(values.items())).encode()).hexdigest()[:24]
    bulk_id = f"alert:{template[:14]}:{basis}"[:40]
    owner_to = settings.get("messaging.owner_to", "").strip()
    if channel == "push":
        ids = [owner_to] if owner_to else [str(i) for i in conn.execute(
            select(User.id).where(User.role == "owner", User.active)).scalars()]
        recipients: list[Recipient] = [Recipient.user(i) for i in ids]
    elif owner_to:
        recipients = [Recipient.address(owner_to)]
    else:
        return ()
    result = _queue_bulk(conn, cipher, channel=channel, template=template, purpose="alert",
                         recipients=recipients, variables=values, bulk_id=bulk_id,
                         lang=message_locale(settings), now=now)
    for message_id in result.message_ids:
        append_audit(conn, "message.queue", entity="message", entity_id=message_id,
                     actor_id=None, details={"channel": channel, "template": template,
                                             "purpose": "alert"}, created_at=now)
    return result.message_ids


__all__ = ["EMAIL_CHUNK", "NO_NAME", "BulkResult", "Recipient", "queue_messages",
           "queue_owner_alert"]

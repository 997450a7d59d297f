"""Campaigns: compose, preview the audience, schedule, send with a holdout.

A campaign is a channel (push, email, SMS, WhatsApp), an audience
(:mod:`services.campaign_audience`: consent only), a text (the ``promo`` template, the
customer's name filled per recipient), an optional promo code (:mod:`services.promo_codes`),
a cost in rupiah and a send time. Only the owner makes, sends or cancels one.

Sending (:func:`send_campaign`, or :func:`send_due_campaigns` when its time comes) is one
transaction: the audience is drawn at that moment, the holdout taken by the recorded seed
(``campaign_recipient`` rows, arm ``send`` or ``holdout``), and the send group queued under
the bulk id ``cmp:<campaign id>`` with the rows, keys and jobs of
``services.messaging_bulk.queue_messages``, written in batches
(:mod:`services.campaign_queue`): email chunked at 1,000 personalizations per SendGrid
request, Twilio and FCM a job per message, paced by the clients at the providers' limits.
The holdout gets no message row at all. A campaign already sent is never sent again (its status
is read inside the write lock, and the dedupe keys hold even if it were).

Opting out: SMS and WhatsApp texts end "Balas STOP untuk berhenti" (the template); emails
carry an unsubscribe line: the setting ``campaign.unsubscribe_url`` when the shop has a page
for it, else a ``mailto:`` link to the shop's sender address with the subject STOP (a till
behind NAT receives no web requests). A STOP reply or an unsubscribe request reaches the
shop's inbox/phone, and is recorded with :func:`opt_out` (``warungin campaign opt-out``),
which withdraws consent through ``services.consents`` (logged, sent to central) and stops
the person's marketing messages still queued, at once.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Connection, insert, select, update

from local_db.fastpath import hot_execute, insert_sql
from local_db.ids import now_iso, uuid7
from local_db.models import MESSAGE_CHANNELS, Campaign, CampaignRecipient, User
from local_db.store import append_audit, canonical_json, read_settings
from local_db.uow import UnitOfWork
from services.campaign_audience import (
    Audience,
    AudienceCount,
    draw_holdout,
    parse_audience,
    split_audience,
)
from services.crypto import FieldCipher
from services.errors import BadInput, Conflict, NotFound
from services.formatting import parse_moment
from services.campaign_queue import queue_targets
from services.messaging_queue import message_locale
from services.promo_codes import PromoSpec, PromoView, check_spec, insert_promo, promo_view
from services.users import Actor, authorize

DEFAULT_HOLDOUT = Decimal("0.10")
MAX_TEXT = 700
TEMPLATE = "promo"
UNSUBSCRIBE = {"id": "Berhenti menerima promo: {link}", "en": "Unsubscribe: {link}"}
PROMO_LINE = {"id": "Kode promo: {code} (berlaku s.d. {until})",
              "en": "Promo code: {code} (valid until {until})"}


@dataclass(frozen=True, slots=True)
class CampaignView:
    id: str
    name: str
    channel: str
    status: str
    audience: Mapping[str, Any]
    message_text: str
    locale: str
    cost: int
    holdout_share: str
    seed: int
    scheduled_at: str | None
    sent_at: str | None
    bulk_id: str
    audience_size: int | None
    send_size: int | None
    holdout_size: int | None
    excluded_no_consent: int | None
    excluded_opted_out: int | None
    excluded_no_address: int | None
    created_at: str
    promo: PromoView | None
    already: bool = False

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["audience"] = dict(self.audience)
        out["promo"] = None if self.promo is None else self.promo.as_dict()
        return out


def campaign_view(conn: Connection, campaign_id: str, *, already: bool = False
                  ) -> CampaignView:
    c = conn.execute(select(Campaign).where(Campaign.id == (campaign_id or "").strip())
                     ).first()
    if c is None:
        raise NotFound(f"no campaign '{campaign_id}'", field="campaign_id")
    return CampaignView(c.id, c.name, c.channel, c.status, json.loads(c.audience),
                        c.message_text, c.locale, c.cost, c.holdout_share, c.seed,
                        c.scheduled_at, c.sent_at, c.bulk_id, c.audience_size, c.send_size,
                        c.holdout_size, c.excluded_no_consent, c.excluded_opted_out,
                        c.excluded_no_address, c.created_at,
                        promo_view(conn, campaign_id=c.id), already)


def _share(value: Decimal | str | None) -> Decimal:
    if value is None:
        return DEFAULT_HOLDOUT
    try:
        share = Decimal(str(value))
    except InvalidOperation:
        raise BadInput("a share between 0 and 0.5, e.g. 0.10", field="holdout_share") from None
    if not Decimal(0) <= share <= Decimal("0.5"):
        raise BadInput("a share between 0 and 0.5, e.g. 0.10", field="holdout_share")
    return share


def _when(value: str | datetime | None, field: str) -> str | None:
    if value is None or value == "":
        return None
    try:
        moment = parse_moment(value)
    except (TypeError, ValueError):
        raise BadInput("a date and time, ISO-8601", field=field) from None
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _text(value: str) -> str:
    clean = (value or "").strip()
    if not clean:
        raise BadInput("the campaign needs a text", field="text")
    if len(clean) > MAX_TEXT:
        raise BadInput(f"at most {MAX_TEXT} characters", field="text")
    if "{" in clean or "}" in clean:
        raise BadInput("no braces in the text (the name is added by itself)", field="text")
    return clean


def create_campaign(uow: UnitOfWork, actor: Actor, *, name: str, channel: str,
                    text: str, audience: Mapping[str, Any] | Audience | None = None,
                    cost: int = 0, scheduled_at: str | datetime | None = None,
                    holdout_share: Decimal | str | None = None, seed: int | None = None,
                    promo: PromoSpec | None = None, locale: str | None = None
                    ) -> CampaignView:
    """Compose a campaign (owner): a draft, or scheduled when ``scheduled_at`` is given.
    ``seed`` draws the holdout (a random one is made and recorded when not given). Commits.
    """
    current = authorize(uow, actor, "owner", "making a campaign")
    conn = uow.conn
    clean_name = (name or "").strip()
    if not clean_name or len(clean_name) > 120:
        raise BadInput("1 to 120 characters", field="name")
    if channel not in MESSAGE_CHANNELS:
        raise BadInput(f"the channel is one of {', '.join(MESSAGE_CHANNELS)}", field="channel")
    body = _text(text)
    aud = audience if isinstance(audience, Audience) else parse_audience(audience)
    if isinstance(cost, bool) or not isinstance(cost, int) or cost < 0:
        raise BadInput("whole rupiah, not negative", field="cost")
    share = _share(holdout_share)
    when = _when(scheduled_at, "scheduled_at")
    if seed is not None and not 0 <= seed < 2 ** 62:
        raise BadInput("a whole number from 0", field="seed")
    spec = None if promo is None else check_spec(promo)
    lang = message_locale(read_settings(conn), locale)
    stamp = now_iso()
    campaign_id = uuid7()
    conn.execute(insert(Campaign).values(
        id=campaign_id, name=clean_name, channel=channel,
        status="scheduled" if when else "draft", audience=canonical_json(aud.as_dict()),
        message_text=body, locale=lang, cost=cost, holdout_share=str(share),
        seed=secrets.randbits(48) if seed is None else seed, scheduled_at=when, sent_at=None,
        bulk_id=f"cmp:{campaign_id}", created_by=current.id, created_at=stamp,
        updated_at=stamp))
    if spec is not None:
        insert_promo(conn, spec, campaign_id=campaign_id, created_by=current.id, now=stamp)
    append_audit(conn, "campaign.create", entity="campaign", entity_id=campaign_id,
                 actor_id=current.id, details={"channel": channel, "cost": cost,
                                               "scheduled_at": when,
                                               "promo": None if spec is None else spec.code},
                 created_at=stamp)
    uow.commit()
    return campaign_view(conn, campaign_id)


def _audience_of(c: Any) -> Audience:
    return parse_audience(json.loads(c.audience))


def load_campaign(conn: Connection, campaign_id: str) -> Any:
    c = conn.execute(select(Campaign).where(Campaign.id == (campaign_id or "").strip())
                     ).first()
    if c is None:
        raise NotFound(f"no campaign '{campaign_id}'", field="campaign_id")
    return c


def preview_campaign(uow: UnitOfWork, cipher: FieldCipher, actor: Actor, campaign_id: str,
                     *, now: datetime | None = None) -> AudienceCount:
    """How many the campaign would reach now, who is excluded and why, and the holdout."""
    authorize(uow, actor, "owner", "previewing a campaign")
    c = load_campaign(uow.conn, campaign_id)
    moment = parse_moment(now or now_iso())
    return split_audience(uow.conn, cipher, _audience_of(c), c.channel,
                          Decimal(c.holdout_share), moment).count


def preview_audience(uow: UnitOfWork, cipher: FieldCipher, actor: Actor, *, channel: str,
                     audience: Mapping[str, Any] | None,
                     holdout_share: Decimal | str | None = None,
                     now: datetime | None = None) -> AudienceCount:
    """The same count for a campaign still being composed (the screen's live count)."""
    authorize(uow, actor, "owner", "previewing a campaign")
    if channel not in MESSAGE_CHANNELS:
        raise BadInput(f"the channel is one of {', '.join(MESSAGE_CHANNELS)}", field="channel")
    return split_audience(uow.conn, cipher, parse_audience(audience), channel,
                          _share(holdout_share), parse_moment(now or now_iso())).count


def full_text(conn: Connection, c: Any) -> str:
    """The campaign's text with its promo code line and, for email, the unsubscribe line."""
    settings = read_settings(conn)
    lang = c.locale if c.locale in ("id", "en") else "id"
    parts = [c.message_text]
    promo = promo_view(conn, campaign_id=c.id)
    if promo is not None:
        parts.append(PROMO_LINE[lang].format(code=promo.code, until=promo.valid_until[:10]))
    if c.channel == "email":
        link = settings.get("campaign.unsubscribe_url", "").strip()
        if not link:
            sender = settings.get("messaging.email.from", "").strip()
            link = f"mailto:{sender}?subject=STOP" if sender else ""
        if link:
            parts.append(UNSUBSCRIBE[lang].format(link=link))
    return "\n\n".join(parts)


@dataclass(frozen=True, slots=True)
class SendResult:
    campaign: CampaignView
    queued: int
    already_queued: int
    job_ids: int

    def as_dict(self) -> dict[str, Any]:
        return {"campaign": self.campaign.as_dict(), "queued": self.queued,
                "already_queued": self.already_queued, "jobs": self.job_ids}


def _send(uow: UnitOfWork, cipher: FieldCipher, actor: Actor, c: Any,
          now: datetime) -> SendResult:
    conn = uow.conn
    share = Decimal(c.holdout_share)
    split = split_audience(conn, cipher, _audience_of(c), c.channel, share, now)
    members = draw_holdout(split.reachable, share, int(c.seed))
    if members:
        hot_execute(conn, insert_sql(CampaignRecipient), [
            {"campaign_id": c.id, "customer_id": cid, "arm": arm, "draw": place}
            for cid, arm, place in members])
    stamp = parse_moment(now).astimezone(UTC).isoformat(timespec="microseconds")
    count = split.count
    conn.execute(update(Campaign).where(Campaign.id == c.id).values(
        status="sent", sent_at=stamp, audience_size=count.matching, send_size=count.send,
        holdout_size=count.holdout, excluded_no_consent=count.no_consent,
        excluded_opted_out=count.opted_out, excluded_no_address=count.no_address,
        updated_at=stamp))
    store = read_settings(conn)
    variables = {"store_name": store.get("store_name") or store.get("store_code", ""),
                 "text": full_text(conn, c)}
    sending = [t for cid, arm, _ in members if arm == "send" for t in split.targets[cid]]
    result = queue_targets(conn, cipher, channel=c.channel, template=TEMPLATE,
                           locale=c.locale, bulk_id=c.bulk_id, ref_id=c.id,
                           variables=variables, targets=sending, now=stamp)
    append_audit(conn, "message.bulk", entity="message_bulk", entity_id=c.bulk_id,
                 actor_id=actor.id, details={
                     "channel": c.channel, "template": TEMPLATE, "purpose": "marketing",
                     "queued": result.queued, "already": result.already,
                     "holdout": count.holdout, "excluded_no_consent": count.no_consent,
                     "excluded_opted_out": count.opted_out,
                     "excluded_no_address": count.no_address}, created_at=stamp)
    uow.commit()
    return SendResult(campaign_view(conn, c.id), result.queued, result.already, result.jobs)


def send_campaign(uow: UnitOfWork, cipher: FieldCipher, actor: Actor, campaign_id: str,
                  *, now: datetime | None = None) -> SendResult:
    """Send a draft or scheduled campaign now (owner). A campaign already sent is returned
    as it is (``already``), nothing written; a cancelled one is refused."""
    current = authorize(uow, actor, "owner", "sending a campaign")
    c = load_campaign(uow.conn, campaign_id)
    if c.status == "sent":
        return SendResult(campaign_view(uow.conn, c.id, already=True), 0, 0, 0)
    if c.status == "cancelled":
        raise Conflict("this campaign was cancelled", field="campaign_id")
    append_audit(uow.conn, "campaign.send", entity="campaign", entity_id=c.id,
                 actor_id=current.id, details={"scheduled_at": c.scheduled_at})
    return _send(uow, cipher, current, c, parse_moment(now or now_iso()))


def send_due_campaigns(uow: UnitOfWork, now: datetime, cipher: FieldCipher
                       ) -> tuple[SendResult, ...]:
    """The scheduler's job: send every scheduled campaign whose time has come, each in its
    own transaction, as the owner who scheduled it (re-read: a locked or demoted owner's
    campaign is not sent). Idempotent: a sent campaign is never picked again."""
    stamp = parse_moment(now).astimezone(UTC).isoformat(timespec="microseconds")
    due = [str(i) for i in uow.conn.execute(select(Campaign.id).where(
        Campaign.status == "scheduled", Campaign.scheduled_at <= stamp)
        .order_by(Campaign.scheduled_at, Campaign.id)).scalars()]
    if uow.conn.in_transaction():
        uow.conn.rollback()  # each campaign below is its own transaction
    done: list[SendResult] = []
    for campaign_id in due:
        c = load_campaign(uow.conn, campaign_id)
        if c.status != "scheduled":
            uow.conn.rollback()
            continue
        user = uow.conn.execute(select(User.id, User.name, User.role)
                                .where(User.id == c.created_by)).one()
        owner = Actor(str(user.id), str(user.name), str(user.role), pin_checked=True)
        append_audit(uow.conn, "campaign.send", entity="campaign", entity_id=c.id,
                     actor_id=None, details={"scheduled_at": c.scheduled_at, "by": "job"})
        done.append(_send(uow, cipher, owner, c, now))
    return tuple(done)


def cancel_campaign(uow: UnitOfWork, actor: Actor, campaign_id: str) -> CampaignView:
    """Cancel a draft or scheduled campaign (owner); a sent one cannot be called back."""
    current = authorize(uow, actor, "owner", "cancelling a campaign")
    c = load_campaign(uow.conn, campaign_id)
    if c.status == "sent":
        raise Conflict("this campaign was sent already", field="campaign_id")
    stamp = now_iso()
    uow.conn.execute(update(Campaign).where(Campaign.id == c.id).values(
        status="cancelled", updated_at=stamp))
    append_audit(uow.conn, "campaign.cancel", entity="campaign", entity_id=c.id,
                 actor_id=current.id, created_at=stamp)
    uow.commit()
    return campaign_view(uow.conn, c.id)


def list_campaigns(uow: UnitOfWork, actor: Actor, *, limit: int = 200
                   ) -> tuple[CampaignView, ...]:
    authorize(uow, actor, "supervisor", "seeing campaigns")
    ids = uow.conn.execute(select(Campaign.id).order_by(Campaign.created_at.desc(),
                                                        Campaign.id.desc()).limit(limit)
                           ).scalars()
    return tuple(campaign_view(uow.conn, str(i)) for i in ids)


def opt_out(uow: UnitOfWork, actor: Actor, customer_id: str, *, source: str = "stop"
            ) -> dict[str, Any]:
    """Record a customer's opt-out (a STOP reply or an unsubscribe request that reached the
    shop, or asked at the till) and commit: consent withdrawn and logged
    (services.consents), their queued marketing messages stopped at once."""
    from services.consents import CUSTOMER, record_consent
    if source not in ("stop", "unsubscribe", "till", "cli", "office"):
        raise BadInput("source is stop, unsubscribe, till, cli or office", field="source")
    authorize(uow, actor, "cashier", "recording an opt-out")
    who: Actor | Any = CUSTOMER if source in ("stop", "unsubscribe") else actor
    outcome = record_consent(uow, who, (customer_id or "").strip(), False, source)
    return outcome.as_dict()


__all__ = ["DEFAULT_HOLDOUT", "TEMPLATE", "CampaignView", "SendResult", "campaign_view", "load_campaign",
           "cancel_campaign", "create_campaign", "full_text", "list_campaigns", "opt_out",
           "preview_audience", "preview_campaign", "send_campaign", "send_due_campaigns"]

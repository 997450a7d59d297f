"""A campaign's audience: who matches its filters, who may be sent (consent only), and the
seeded holdout draw.

Filters (all optional, all must hold): ``segments`` (RFM segment codes, from the nightly
cache), ``tiers`` (loyalty tier codes, ``services.loyalty_tiers.customer_tiers``),
``last_purchase_after`` / ``last_purchase_before`` (store days YYYY-MM-DD, inclusive; a
customer who never bought matches neither), ``spend_min`` / ``spend_max`` (rupiah spent in
the RFM window, refunds taken off). Erased customers never match.

Of the matching customers, only those with ``consent_marketing`` are eligible. The others
are counted: ``opted_out`` (their latest consent event withdrew consent: a STOP reply, an
unsubscribe link, a request at the till) and ``no_consent`` (never gave it). Eligible
customers the channel cannot reach (no email, no mobile number, no active device for push)
are counted as ``no_address``. Holdout and send group are drawn from the reachable ones, so
both groups could have been sent.

The holdout (:func:`draw_holdout`): the reachable customers sorted by id, shuffled by
``random.Random(seed)``; the first round-half-up(share × n) of the shuffle are the holdout.
The same audience and seed always give the same holdout.
"""

from __future__ import annotations

import importlib
import random
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import phonenumbers
from sqlalchemy import Connection, select, text

from local_db.models import SEGMENT_CODES, Customer
from local_db.store import read_settings
from services.crypto import FieldCipher
from services.errors import BadInput
from services.formatting import local
from services.messaging_queue import address_for
from services.segments import RfmRules, activities, segment_members

#: Indonesian mobile numbers by phonenumbers' own metadata (its pattern and lengths for a
#: mobile in region ID). A stored phone is E.164 already (services.customers), so matching
#: it here spares the full parse (0.4 ms a number: most of the time of queuing 5,000);
#: anything that does not match takes the full check (messaging_queue.address_for).
def _id_mobile() -> tuple[re.Pattern[str], frozenset[int]]:
    meta = phonenumbers.PhoneMetadata.metadata_for_region("ID")
    desc = None if meta is None else meta.mobile
    if desc is None or not desc.national_number_pattern:
        return re.compile(r"(?!)"), frozenset()  # no metadata: every number takes the check
    return re.compile(str(desc.national_number_pattern)), frozenset(desc.possible_length or ())


_ID_MOBILE, _ID_MOBILE_LENGTHS = _id_mobile()


def _indonesian_mobile(e164: str) -> bool:
    national = e164[3:]
    return (e164.startswith("+62") and national.isdigit()
            and len(national) in _ID_MOBILE_LENGTHS
            and _ID_MOBILE.fullmatch(national) is not None)


_KEYS = {"segments", "tiers", "last_purchase_after", "last_purchase_before", "spend_min",
         "spend_max"}


@dataclass(frozen=True, slots=True)
class Audience:
    segments: tuple[str, ...] = ()
    tiers: tuple[str, ...] = ()
    last_purchase_after: str | None = None  # store day, inclusive
    last_purchase_before: str | None = None  # store day, inclusive
    spend_min: int | None = None
    spend_max: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(self).items()
                if v not in (None, ())}


def _codes(value: Any, field: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [v for v in value.split(",") if v.strip()]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise BadInput("a list of codes", field=field)
    return tuple(sorted({v.strip() for v in value}))


def _day(value: Any, field: str) -> str | None:
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise BadInput("a day, YYYY-MM-DD", field=field) from None


def _amount(value: Any, field: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise BadInput("whole rupiah", field=field)
    try:
        amount = int(str(value).replace(".", ""))
    except ValueError:
        raise BadInput("whole rupiah", field=field) from None
    if amount < 0:
        raise BadInput("must not be negative", field=field)
    return amount


def parse_audience(data: Mapping[str, Any] | None) -> Audience:
    """An audience from JSON-like input; unknown keys and bad values name their field."""
    data = data or {}
    if not isinstance(data, Mapping):
        raise BadInput("the audience is an object of filters", field="audience")
    unknown = set(data) - _KEYS
    if unknown:
        raise BadInput(f"unknown filter {sorted(unknown)[0]} (one of {', '.join(sorted(_KEYS))})",
                       field="audience")
    a = Audience(_codes(data.get("segments"), "audience.segments"),
                 _codes(data.get("tiers"), "audience.tiers"),
                 _day(data.get("last_purchase_after"), "audience.last_purchase_after"),
                 _day(data.get("last_purchase_before"), "audience.last_purchase_before"),
                 _amount(data.get("spend_min"), "audience.spend_min"),
                 _amount(data.get("spend_max"), "audience.spend_max"))
    bad = [c for c in a.segments if c not in SEGMENT_CODES]
    if bad:
        raise BadInput(f"unknown segment {bad[0]} (one of {', '.join(SEGMENT_CODES)})",
                       field="audience.segments")
    if a.spend_min is not None and a.spend_max is not None and a.spend_min > a.spend_max:
        raise BadInput("at least spend_min", field="audience.spend_max")
    if (a.last_purchase_after and a.last_purchase_before
            and a.last_purchase_after > a.last_purchase_before):
        raise BadInput("on or after last_purchase_after", field="audience.last_purchase_before")
    return a


def customer_tiers(conn: Connection) -> Mapping[str, str]:
    """Customer id -> tier code, from the loyalty helper's module (imported when a tier
    filter is used, so campaigns work in a build without loyalty)."""
    try:
        module = importlib.import_module("services.loyalty_tiers")
    except ModuleNotFoundError:
        raise BadInput("loyalty tiers are not available in this build",
                       field="audience.tiers") from None
    tiers: Mapping[str, str] = module.customer_tiers(conn)
    return tiers


@dataclass(frozen=True, slots=True)
class AudienceCount:
    matching: int
    eligible: int  # consent and reachable on the channel
    no_consent: int
    opted_out: int
    no_address: int
    holdout: int
    send: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class AudienceSplit:
    count: AudienceCount
    reachable: tuple[str, ...]  # sorted customer ids
    targets: Mapping[str, list[Target]] = field(default_factory=dict, repr=False)


def _matching(conn: Connection, a: Audience, now: datetime) -> list[str]:
    settings = read_settings(conn)
    rules = RfmRules.from_settings(settings)
    acts = activities(conn, now, rules)
    ids = set(acts)
    if a.segments:
        ids &= segment_members(conn, a.segments)
    if a.tiers:
        tiers = customer_tiers(conn)
        ids = {c for c in ids if tiers.get(c) in a.tiers}
    zone_name = settings.get("timezone")
    out = []
    for cid in sorted(ids):
        act, _first, last = acts[cid]
        if a.last_purchase_after or a.last_purchase_before:
            if last is None:
                continue
            day = local(last, zone_name).date().isoformat()
            if a.last_purchase_after and day < a.last_purchase_after:
                continue
            if a.last_purchase_before and day > a.last_purchase_before:
                continue
        if a.spend_min is not None and act.spend < a.spend_min:
            continue
        if a.spend_max is not None and act.spend > a.spend_max:
            continue
        out.append(cid)
    return out


def _withdrawn(conn: Connection) -> set[str]:
    """Customers whose latest consent event withdrew consent (services.consents' log)."""
    has_log = conn.execute(text("SELECT 1 FROM sqlite_master WHERE type='table' "
                                "AND name='consent_event'")).first()
    if not has_log:
        return set()
    rows = conn.execute(text(
        "SELECT e.customer_id, e.granted FROM consent_event e WHERE e.created_at = ("
        "SELECT MAX(x.created_at) FROM consent_event x WHERE x.customer_id = e.customer_id)"))
    return {str(c) for c, granted in rows if not granted}


@dataclass(frozen=True, slots=True)
class Target:
    """Where a member's message goes: an address (E.164 or email) or a device token."""

    customer_id: str
    name: str = field(repr=False)
    address: str = field(repr=False)
    device_token_id: str | None = None


def _reachable(conn: Connection, cipher: FieldCipher, channel: str,
               rows: list[Any]) -> dict[str, list[Target]]:
    out: dict[str, list[Target]] = {}
    if channel == "push":
        tokens: dict[str, list[tuple[str, str]]] = {}
        for tid, owner, token in conn.execute(text(
                "SELECT id, owner_id, token FROM device_token WHERE owner_type = 'customer' "
                "AND active = 1 ORDER BY last_seen_at DESC, id")):
            tokens.setdefault(str(owner), []).append((str(tid), str(token)))
        for r in rows:
            found = tokens.get(str(r.id))
            if found:
                out[str(r.id)] = [Target(str(r.id), str(r.name), token, tid)
                                  for tid, token in found]
        return out
    for r in rows:
        enc = r.email_enc if channel == "email" else r.phone_enc
        if enc is None:
            continue
        plain = cipher.decrypt(enc, record_id=str(r.id),
                               field="email" if channel == "email" else "phone")
        if channel != "email" and _indonesian_mobile(plain):
            address = plain  # stored E.164 (services.customers): an Indonesian mobile
        else:
            try:
                address = address_for(channel, plain)
            except BadInput:
                continue
        out[str(r.id)] = [Target(str(r.id), str(r.name), address)]
    return out


def split_audience(conn: Connection, cipher: FieldCipher, a: Audience, channel: str,
                   share: Decimal, now: datetime) -> AudienceSplit:
    """Who matches, who is excluded and why, and how many the holdout will take."""
    matching = _matching(conn, a, now)
    wanted = set(matching)
    rows = [r for r in conn.execute(select(
        Customer.id, Customer.name, Customer.consent_marketing, Customer.email_enc,
        Customer.phone_enc)
        .where(Customer.erased_at.is_(None))).all() if str(r.id) in wanted]
    withdrawn = _withdrawn(conn)
    consenting = [r for r in rows if r.consent_marketing]
    refused = [str(r.id) for r in rows if not r.consent_marketing]
    opted_out = sum(1 for c in refused if c in withdrawn)
    targets = _reachable(conn, cipher, channel, consenting)
    reachable = sorted(targets)
    holdout = holdout_size(len(reachable), share)
    count = AudienceCount(len(matching), len(reachable), len(refused) - opted_out, opted_out,
                          len(consenting) - len(reachable), holdout, len(reachable) - holdout)
    return AudienceSplit(count, tuple(reachable), targets)


def holdout_size(n: int, share: Decimal) -> int:
    return int((Decimal(n) * share).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def draw_holdout(customer_ids: tuple[str, ...], share: Decimal, seed: int
                 ) -> list[tuple[str, str, int]]:
    """(customer id, arm, place in the shuffle) for each member, deterministic by seed."""
    order = sorted(customer_ids)
    random.Random(seed).shuffle(order)
    k = holdout_size(len(order), share)
    return [(cid, "holdout" if i < k else "send", i) for i, cid in enumerate(order)]


__all__ = ["Audience", "AudienceCount", "AudienceSplit", "Target", "customer_tiers", "draw_holdout",
           "holdout_size", "parse_audience", "split_audience"]

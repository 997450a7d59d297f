"""A campaign's results: attribution, lift against the holdout, and ROI.

**Touch.** A campaign message to a customer that the provider took (``sent_at`` set) and
did not fail or reject afterwards. Its window runs from ``sent_at`` for the channel's hours:
``campaign.window_hours.whatsapp`` (72), ``.sms`` (72), ``.email`` (120), ``.push`` (24).

**Attribution** (one campaign per sale, :func:`attribute`): a sale that used a campaign's
promo code belongs to that campaign; otherwise to the campaign of the customer's latest
touch at or before the sale whose window still covers it (last touch); otherwise to none.

**Groups.** The *send group* is everyone the seeded draw put in the send arm (whether or not
the provider took their message: a failed send is part of what the campaign did); the
*holdout* is everyone drawn into the holdout (never sent). A member *converted* when they
have at least one qualifying purchase:

- send group: a sale attributed to this campaign;
- holdout: a sale in [campaign sent_at, sent_at + the channel's window) not attributed to
  another campaign, or a sale attributed to this campaign by its promo code.

**Figures.** conversion = converted members / group size; **lift** = conversion(send) −
conversion(holdout). Gross profit of a sale = Σ lines (net − cost at the ledger's COGS)
less its refunds (net − cost) recorded up to now. gp_per_member = the group's gross profit
on its qualifying sales / group size. **Incremental gross profit = (gp_per_member(send) −
gp_per_member(holdout)) × send group size**, and **ROI = (incremental gross profit − cost) /
cost**. "Attributed revenue" (Σ of attributed sales' totals less their refunds) is shown
beside, labelled as what it is: revenue the campaign claims, not revenue it caused.

No invented rates: with a holdout smaller than ``campaign.min_holdout`` (default 20
members), an empty send group, or no cost (ROI), the figure is None and ``notes`` say why.
Computed exactly (fractions), shown as decimals with 4 places; rupiah rounded half up.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from typing import Any

from sqlalchemy import text

from local_db.ids import now_iso
from local_db.store import read_settings
from local_db.uow import UnitOfWork
from services.campaigns import load_campaign
from services.errors import BadInput
from services.formatting import parse_moment
from services.users import Actor, authorize

WINDOW_HOURS = {"whatsapp": 72, "sms": 72, "email": 120, "push": 24}
MIN_HOLDOUT = 20
LABEL_ATTRIBUTED = "attributed revenue (claimed by last touch or code, not incremental)"


def window_hours(settings: Mapping[str, str]) -> dict[str, int]:
    out = {}
    for channel, default in WINDOW_HOURS.items():
        key = f"campaign.window_hours.{channel}"
        raw = settings.get(key, "").strip()
        try:
            hours = int(raw) if raw else default
        except ValueError:
            raise BadInput("whole hours", field=key) from None
        if not 1 <= hours <= 24 * 90:
            raise BadInput("1 to 2160 hours", field=key)
        out[channel] = hours
    return out


@dataclass(frozen=True, slots=True)
class Touch:
    campaign_id: str
    customer_id: str
    at: datetime
    until: datetime  # at + the channel's window


@dataclass(frozen=True, slots=True)
class SaleFact:
    id: str
    customer_id: str
    at: datetime
    revenue: int  # total less refunds
    gross_profit: int  # Σ (net − cost) less refunds' (net − cost)


def attribute(sales: Iterable[SaleFact], touches: Iterable[Touch],
              code_campaign: Mapping[str, str]) -> dict[str, str | None]:
    """sale id -> campaign id (or None): the promo code's campaign, else the last touch
    whose window covers the sale (ties: the larger campaign id). Pure."""
    by_customer: dict[str, list[Touch]] = defaultdict(list)
    for t in touches:
        by_customer[t.customer_id].append(t)
    out: dict[str, str | None] = {}
    for s in sales:
        if s.id in code_campaign:
            out[s.id] = code_campaign[s.id]
            continue
        best: Touch | None = None
        for t in by_customer.get(s.customer_id, ()):
            if t.at <= s.at < t.until and (best is None or (t.at, t.campaign_id) >
                                           (best.at, best.campaign_id)):
                best = t
        out[s.id] = None if best is None else best.campaign_id
    return out


def _ratio(value: Fraction | None) -> str | None:
    if value is None:
        return None
    scaled = value * 10_000
    n = (scaled.numerator * 2 + scaled.denominator) // (scaled.denominator * 2)  # half up
    sign = "-" if n < 0 else ""
    n = abs(n)
    return f"{sign}{n // 10_000}.{n % 10_000:04d}"


def _rupiah(value: Fraction) -> int:
    return int((value.numerator * 2 + value.denominator) // (value.denominator * 2))


@dataclass(frozen=True, slots=True)
class GroupFigures:
    size: int
    converted: int
    conversion: str | None
    gross_profit: int
    gp_per_member: str | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class CampaignResults:
    campaign_id: str
    channel: str
    sent_at: str | None
    as_of: str
    window_hours: int
    window_open: bool  # a touch's window has not closed yet: figures may still move
    messages: Mapping[str, int]
    send_group: GroupFigures
    holdout: GroupFigures
    attributed_sales: int
    attributed_revenue: int
    attributed_revenue_label: str
    attributed_gross_profit: int
    promo_uses: int
    cost: int
    lift: str | None
    incremental_gross_profit: int | None
    roi: str | None
    formula: str = ("lift = conversion(send) - conversion(holdout); incremental gross profit "
                    "= (gp per member(send) - gp per member(holdout)) x send size; "
                    "ROI = (incremental gross profit - cost) / cost")
    notes: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["messages"] = dict(self.messages)
        out["notes"] = list(self.notes)
        return out


@dataclass(frozen=True, slots=True)
class Measured:
    """The pure part of the results (what the independent test recomputes)."""

    send: GroupFigures
    holdout: GroupFigures
    lift: Fraction | None
    incremental: Fraction | None
    roi: Fraction | None
    notes: tuple[str, ...]


def measure(campaign_id: str, arms: Mapping[str, str], facts: Iterable[SaleFact],
            owner_of: Mapping[str, str | None], sent_at: datetime, window: timedelta,
            cost: int, min_holdout: int) -> Measured:
    """Conversion, lift, incremental gross profit and ROI from the members' arms, their
    sales and each sale's attributed campaign (the module's definitions). Pure."""
    qualifying: dict[str, list[SaleFact]] = defaultdict(list)
    for s in facts:
        arm = arms.get(s.customer_id)
        owner = owner_of.get(s.id)
        if arm == "send" and owner == campaign_id:
            qualifying[s.customer_id].append(s)
        elif arm == "holdout" and (owner == campaign_id or (
                owner is None and sent_at <= s.at < sent_at + window)):
            qualifying[s.customer_id].append(s)
    groups: dict[str, GroupFigures] = {}
    exact: dict[str, tuple[int, Fraction | None, Fraction | None]] = {}
    for arm in ("send", "holdout"):
        members = [c for c, a in arms.items() if a == arm]
        converted = sum(1 for c in members if qualifying.get(c))
        gp = sum(s.gross_profit for c in members for s in qualifying.get(c, ()))
        size = len(members)
        conv = Fraction(converted, size) if size else None
        per = Fraction(gp, size) if size else None
        exact[arm] = (size, conv, per)
        groups[arm] = GroupFigures(size, converted, _ratio(conv), gp, _ratio(per))
    notes: list[str] = []
    n_send, conv_s, per_s = exact["send"]
    n_hold, conv_h, per_h = exact["holdout"]
    lift = incremental = roi = None
    if n_send == 0:
        notes.append("nobody was in the send group: nothing to measure")
    elif n_hold == 0:
        notes.append("no holdout: lift and ROI cannot be measured without one")
    elif n_hold < min_holdout:
        notes.append(f"the holdout has {n_hold} members, fewer than {min_holdout} "
                     "(campaign.min_holdout): too small to measure lift and ROI")
    else:
        assert conv_s is not None and conv_h is not None
        assert per_s is not None and per_h is not None
        lift = conv_s - conv_h
        incremental = (per_s - per_h) * n_send
        if cost > 0:
            roi = (incremental - cost) / cost
        else:
            notes.append("no cost recorded: ROI is undefined")
    return Measured(groups["send"], groups["holdout"], lift, incremental, roi, tuple(notes))


# --- reading the facts --------------------------------------------------------------------

_TOUCHES = text(
    "SELECT c.id, c.channel, m.customer_id, m.sent_at FROM message m "
    "JOIN campaign c ON c.bulk_id = m.bulk_id "
    "WHERE m.sent_at IS NOT NULL AND m.customer_id IS NOT NULL "
    "AND m.status NOT IN ('failed', 'rejected') AND m.sent_at >= :start AND m.sent_at <= :now")
_SALES = text(
    "SELECT s.id, s.customer_id, s.created_at, s.total, "
    "(SELECT COALESCE(SUM(l.net - l.cost), 0) FROM sale_line l WHERE l.sale_id = s.id), "
    "(SELECT COALESCE(SUM(r.gross), 0) FROM refund r WHERE r.sale_id = s.id "
    " AND r.created_at <= :now), "
    "(SELECT COALESCE(SUM(r.net - r.cost), 0) FROM refund r WHERE r.sale_id = s.id "
    " AND r.created_at <= :now) "
    "FROM sale s JOIN campaign_recipient cr ON cr.customer_id = s.customer_id "
    "AND cr.campaign_id = :cid WHERE s.created_at >= :start AND s.created_at <= :now")
_CODES = text(
    "SELECT r.sale_id, p.campaign_id FROM promo_redemption r "
    "JOIN promo_code p ON p.id = r.promo_code_id WHERE p.campaign_id IS NOT NULL "
    "AND r.created_at >= :start")
_ARMS = text("SELECT customer_id, arm FROM campaign_recipient WHERE campaign_id = :cid")
_STATUSES = text("SELECT status, COUNT(*) FROM message WHERE bulk_id = :bulk GROUP BY status")


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def campaign_results(uow: UnitOfWork, actor: Actor, campaign_id: str, *,
                     now: datetime | None = None) -> CampaignResults:
    """The results of a sent campaign as of ``now`` (supervisor: customer figures)."""
    authorize(uow, actor, "supervisor", "seeing campaign results")
    conn = uow.conn
    c = load_campaign(conn, campaign_id)
    moment = parse_moment(now or now_iso())
    settings = read_settings(conn)
    hours = window_hours(settings)
    min_holdout = int(settings.get("campaign.min_holdout", "") or MIN_HOLDOUT)
    window = timedelta(hours=hours[c.channel])
    messages = {str(s): int(n) for s, n in conn.execute(_STATUSES, {"bulk": c.bulk_id})}
    if c.sent_at is None:
        empty = GroupFigures(0, 0, None, 0, None)
        return CampaignResults(c.id, c.channel, None, _iso(moment), hours[c.channel], False,
                               messages, empty, empty, 0, 0, LABEL_ATTRIBUTED, 0, 0, c.cost,
                               None, None, None, notes=("not sent yet",))
    sent_at = parse_moment(c.sent_at)
    longest = timedelta(hours=max(hours.values()))
    bounds = {"start": _iso(sent_at - longest), "now": _iso(moment)}
    touches = [Touch(str(cid), str(cust), parse_moment(at),
                     parse_moment(at) + timedelta(hours=hours[str(ch)]))
               for cid, ch, cust, at in conn.execute(_TOUCHES, bounds)]
    facts = [SaleFact(str(i), str(cust), parse_moment(at), int(total) - int(ref_gross),
                      int(gp) - int(ref_gp))
             for i, cust, at, total, gp, ref_gross, ref_gp in conn.execute(
                 _SALES, {"cid": c.id, "start": _iso(sent_at), "now": _iso(moment)})]
    codes = {str(s): str(cid) for s, cid in conn.execute(_CODES, {"start": _iso(sent_at)})}
    owner_of = attribute(facts, touches, codes)
    arms = {str(cust): str(arm) for cust, arm in conn.execute(_ARMS, {"cid": c.id})}
    m = measure(c.id, arms, facts, owner_of, sent_at, window, c.cost, min_holdout)
    mine = [s for s in facts if owner_of.get(s.id) == c.id]
    last_touch = max((t.at for t in touches if t.campaign_id == c.id), default=sent_at)
    return CampaignResults(
        campaign_id=c.id, channel=c.channel, sent_at=c.sent_at, as_of=_iso(moment),
        window_hours=hours[c.channel], window_open=moment < max(last_touch, sent_at) + window,
        messages=messages, send_group=m.send, holdout=m.holdout,
        attributed_sales=len(mine), attributed_revenue=sum(s.revenue for s in mine),
        attributed_revenue_label=LABEL_ATTRIBUTED,
        attributed_gross_profit=sum(s.gross_profit for s in mine),
        promo_uses=sum(1 for s in facts if codes.get(s.id) == c.id), cost=c.cost,
        lift=_ratio(m.lift),
        incremental_gross_profit=None if m.incremental is None else _rupiah(m.incremental),
        roi=_ratio(m.roi), notes=m.notes)


__all__ = ["LABEL_ATTRIBUTED", "MIN_HOLDOUT", "WINDOW_HOURS", "CampaignResults",
           "GroupFigures", "Measured", "SaleFact", "Touch", "attribute", "campaign_results",
           "measure", "window_hours"]

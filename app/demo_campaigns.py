"""The demo shop's engagement segments and a finished campaign (issue 15), added after its
traded history.

:func:`add_demo_campaigns` runs, through the real use cases and stamped with the seeding
clock at the moment each pretends to happen:

1. the nightly segment job as of ten days ago (``recompute_segments``), so the campaign's
   audience can be a segment;
2. a WhatsApp campaign composed and sent by the owner ten days ago at 09:00 store time to
   every consenting regular (``create_campaign`` / ``send_campaign``), with a promo code
   valid for a week and its seeded holdout. The demo has only a handful of regulars, so
   half of them are held out (the default tenth of four would be nobody); the results
   screen then shows, honestly, that a holdout this small measures nothing;
3. what Twilio said about each message, recorded as the dispatcher's handler records it
   (``record_deliveries``: sent, then delivered, the job succeeded). Nothing goes to the
   network;
4. the nightly segment job as of now.

The sales in the campaign's window are the history's own: attribution, lift and ROI are
computed from them (``warungin campaign results``). Deterministic for a seed and a now.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from app.demo import DEMO_USERS
from app.demo_plan import DEMO_TIMEZONE
from app.secrets import cipher_for
from app.shop import Shop
from local_db.ids import seeding_clock
from local_db.jobs import set_state
from local_db.models import Message
from services.campaigns import create_campaign, send_campaign
from services.formatting import zone
from services.message_port import Delivery
from services.messaging_outgoing import record_deliveries
from services.promo_codes import PromoSpec
from services.segments import recompute_segments
from services.users import authenticate

DAYS_AGO = 10
HOLDOUT = Decimal("0.5")
COST = 15_000  # the WhatsApp conversations' price, rupiah


@dataclass(frozen=True, slots=True)
class DemoCampaigns:
    campaign_id: str
    sent_at: str
    send: int
    holdout: int
    delivered: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _sid(seed: int, message_id: str) -> str:
    return "SM" + hashlib.md5(f"{seed}:{message_id}".encode(),
                              usedforsecurity=False).hexdigest()


def add_demo_campaigns(shop: Shop, *, seed: int, now: datetime) -> DemoCampaigns:
    now = now.astimezone(UTC)
    tz = zone(DEMO_TIMEZONE)
    day = (now.astimezone(tz) - timedelta(days=DAYS_AGO)).date()
    sent_at = datetime.combine(day, time(9, 0), tzinfo=tz).astimezone(UTC)
    name, _role, pin = next(u for u in DEMO_USERS if u[1] == "owner")
    cipher = cipher_for(shop)
    with seeding_clock(sent_at - timedelta(hours=8)), shop.uow() as uow:
        recompute_segments(uow, sent_at - timedelta(hours=8))
    with seeding_clock(sent_at - timedelta(minutes=30)):
        with shop.uow() as uow:
            owner = authenticate(uow, name, pin)
            uow.commit()
        with shop.uow() as uow:
            campaign = create_campaign(
                uow, owner, name="Promo awal bulan", channel="whatsapp",
                text="belanja Rp 50.000 ke atas minggu ini dapat potongan 5%.", cost=COST,
                holdout_share=HOLDOUT, seed=seed, scheduled_at=sent_at,
                promo=PromoSpec("HEMAT5", percent=Decimal(5), valid_from=sent_at.isoformat(),
                                valid_until=(sent_at + timedelta(days=7)).isoformat(),
                                per_customer_limit=1, min_spend=50_000))
    with seeding_clock(sent_at), shop.uow() as uow:
        sent = send_campaign(uow, cipher, owner, campaign.id, now=sent_at)
    with shop.uow() as uow:
        ids = [str(i) for i in uow.conn.execute(select(Message.id).where(
            Message.bulk_id == campaign.bulk_id).order_by(Message.id)).scalars()]
        for n, message_id in enumerate(ids):
            took = sent_at + timedelta(seconds=2 + n)
            sid = _sid(seed, message_id)
            for step, status, at in (("sent", "sent", took),
                                     ("delivered", "delivered", took + timedelta(seconds=5))):
                record_deliveries(uow.conn, [Delivery(message_id, status, sid, step)],
                                  at.isoformat(timespec="microseconds"))
            job_id = uow.conn.execute(select(Message.job_id).where(
                Message.id == message_id)).scalar()
            if job_id is not None:
                set_state(uow.conn, str(job_id), from_states=("pending",), state="succeeded",
                          now=(took + timedelta(seconds=5)).isoformat(), last_error=None,
                          attempts=1)
        uow.commit()
    with seeding_clock(now), shop.uow() as uow:
        recompute_segments(uow, now)
    return DemoCampaigns(campaign.id, sent_at.isoformat(), sent.campaign.send_size or 0,
                         sent.campaign.holdout_size or 0, len(ids))


__all__ = ["DemoCampaigns", "add_demo_campaigns"]

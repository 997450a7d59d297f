"""``warungin campaign create|list|preview|send|results|cancel|opt-out``: marketing campaigns.

``campaign create --name N --channel whatsapp --text T [--audience JSON] [--cost RP]
[--at ISO] [--holdout 0.10] [--seed N] [--promo-code KODE --promo-percent P |
--promo-amount RP --promo-from ISO --promo-until ISO --promo-limit N]`` composes one (owner);
``preview ID`` counts who it would reach now (consent only; exclusions counted);
``send ID`` sends it now (the seeded holdout is never sent; a sent campaign is not sent
again); ``results ID`` shows lift against the holdout, incremental gross profit and ROI
beside the attributed revenue; ``opt-out CUSTOMER --source stop|unsubscribe|till`` records a
STOP reply or an unsubscribe request that reached the shop. JSON out.
"""

from __future__ import annotations

import argparse
from decimal import Decimal

from app.cli.common import acting_user, add_user_args, opened_shop, read_json
from app.cli.customers import secrets_guard
from app.cli.output import emit
from app.secrets import cipher_for
from services.campaign_results import campaign_results
from services.campaigns import (
    cancel_campaign,
    create_campaign,
    list_campaigns,
    opt_out,
    preview_campaign,
    send_campaign,
)
from services.errors import BadInput
from services.money import decimal_value, rupiah
from services.promo_codes import PromoSpec

CHANNELS = ("whatsapp", "sms", "email", "push")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("campaign", parents=[common], help="marketing campaigns with a holdout")
    cs = p.add_subparsers(dest="campaign_command", required=True)

    c = cs.add_parser("create", parents=[common], help="compose a campaign (owner)")
    add_user_args(c)
    c.add_argument("--name", required=True)
    c.add_argument("--channel", required=True, choices=CHANNELS)
    c.add_argument("--text", required=True, help="the message; the customer's name is added")
    c.add_argument("--audience", default="{}",
                   help='filters as JSON, e.g. {"segments": ["berisiko"], "spend_min": 100000}')
    c.add_argument("--cost", default="0", help="what the campaign costs, rupiah")
    c.add_argument("--at", help="send time (ISO-8601); without it the campaign is a draft")
    c.add_argument("--holdout", default="0.10", help="share held out (default 0.10)")
    c.add_argument("--seed", type=int, help="the holdout draw's seed (default: random)")
    c.add_argument("--locale", choices=("id", "en"))
    c.add_argument("--promo-code")
    c.add_argument("--promo-percent")
    c.add_argument("--promo-amount")
    c.add_argument("--promo-from", help="valid from (ISO-8601)")
    c.add_argument("--promo-until", help="valid until (ISO-8601, not included)")
    c.add_argument("--promo-limit", type=int, default=1, help="uses per customer (default 1)")
    c.add_argument("--promo-min-spend", default="0")
    c.set_defaults(handler=run_create)

    lst = cs.add_parser("list", parents=[common], help="campaigns, newest first")
    add_user_args(lst)
    lst.set_defaults(handler=run_list)

    for name, handler, what in (("preview", run_preview, "count who it would reach now"),
                                ("send", run_send, "send it now (owner)"),
                                ("results", run_results, "lift, incremental profit, ROI"),
                                ("cancel", run_cancel, "cancel a draft or scheduled one")):
        q = cs.add_parser(name, parents=[common], help=what)
        add_user_args(q)
        q.add_argument("campaign_id")
        q.set_defaults(handler=handler)

    o = cs.add_parser("opt-out", parents=[common],
                      help="record a customer's STOP reply or unsubscribe request")
    add_user_args(o)
    o.add_argument("customer_id")
    o.add_argument("--source", default="stop", choices=("stop", "unsubscribe", "till", "cli"))
    o.set_defaults(handler=run_opt_out)


def _promo(args: argparse.Namespace) -> PromoSpec | None:
    if not args.promo_code:
        return None
    return PromoSpec(
        code=args.promo_code,
        percent=None if args.promo_percent is None else decimal_value(
            args.promo_percent, field="promo.percent"),
        amount=None if args.promo_amount is None else rupiah(args.promo_amount,
                                                             field="promo.amount"),
        valid_from=args.promo_from or "", valid_until=args.promo_until or "",
        per_customer_limit=args.promo_limit,
        min_spend=rupiah(args.promo_min_spend, field="promo.min_spend"))


@secrets_guard
def run_create(args: argparse.Namespace) -> int:
    audience = read_json(args.audience, field="audience")
    if not isinstance(audience, dict):
        raise BadInput("the audience is a JSON object of filters", field="audience")
    with opened_shop(args) as shop:
        actor = acting_user(shop, args, default_to_shift=False)
        with shop.uow() as uow:
            view = create_campaign(uow, actor, name=args.name, channel=args.channel,
                                   text=args.text, audience=audience,
                                   cost=rupiah(args.cost, field="cost"), scheduled_at=args.at,
                                   holdout_share=Decimal(args.holdout) if args.holdout
                                   else None, seed=args.seed, promo=_promo(args),
                                   locale=args.locale)
        emit(view.as_dict())
        return 0


def run_list(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        actor = acting_user(shop, args, default_to_shift=False)
        with shop.uow(write=False) as uow:
            rows = list_campaigns(uow, actor)
        emit([r.as_dict() for r in rows])
        return 0


@secrets_guard
def run_preview(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        actor = acting_user(shop, args, default_to_shift=False)
        cipher = cipher_for(shop)
        with shop.uow(write=False) as uow:
            count = preview_campaign(uow, cipher, actor, args.campaign_id)
        emit(count.as_dict())
        return 0


@secrets_guard
def run_send(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        actor = acting_user(shop, args, default_to_shift=False)
        cipher = cipher_for(shop)
        with shop.uow() as uow:
            result = send_campaign(uow, cipher, actor, args.campaign_id)
        emit(result.as_dict())
        return 0


def run_results(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        actor = acting_user(shop, args, default_to_shift=False)
        with shop.uow(write=False) as uow:
            results = campaign_results(uow, actor, args.campaign_id)
        emit(results.as_dict())
        return 0


def run_cancel(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        actor = acting_user(shop, args, default_to_shift=False)
        with shop.uow() as uow:
            view = cancel_campaign(uow, actor, args.campaign_id)
        emit(view.as_dict())
        return 0


def run_opt_out(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        actor = acting_user(shop, args, default_to_shift=False)
        with shop.uow() as uow:
            outcome = opt_out(uow, actor, args.customer_id, source=args.source)
        emit(outcome)
        return 0

"""``warungin messages send|list|status``: queue a receipt or a template message, and see the
message log.

- ``messages send --receipt RECEIPT_NO --channel whatsapp|email [--to NUMBER_OR_ADDRESS]``:
  the sale's receipt ("kirim struk") to the sale's customer or a typed number/address; the
  shift's cashier may do it without a PIN, like selling.
- ``messages send --template NAME --channel C (--to ADDR | --customer ID)... --var k=v ...
  [--purpose alert|transactional|marketing] [--bulk-id ID]``: a template to recipients (a
  supervisor's PIN; marketing the owner's, to customers with consent only). The same bulk id
  again sends nobody twice; without ``--bulk-id`` it is made from the channel, template,
  variables and recipients, so running the same command twice queues nothing new.
- ``messages list [--channel C] [--status S] [--limit N]``, ``messages status MESSAGE_ID``.

Queuing writes the message rows and their provider jobs; ``warungin jobs`` (or the running
till) sends them. JSON on stdout; bad input exits 2 naming the field.
"""

from __future__ import annotations

import argparse
import hashlib
import json

from app.cli.common import acting_user, add_user_args, opened_shop
from app.cli.output import emit
from services.errors import BadInput
from services.messaging import (
    TEMPLATES,
    Recipient,
    list_messages,
    message_status,
    queue_messages,
    receipt_sale_id,
    send_receipt,
)

CHANNELS = ("whatsapp", "email", "sms", "push")
STATUSES = ("queued", "sent", "delivered", "read", "rejected", "failed", "unknown")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("messages", parents=[common],
                       help="send a receipt or a template message; the message log")
    ms = p.add_subparsers(dest="messages_command", required=True)

    s = ms.add_parser("send", parents=[common],
                      help="queue a receipt (--receipt) or a template message (--template)")
    add_user_args(s)
    what = s.add_mutually_exclusive_group()
    what.add_argument("--receipt", metavar="RECEIPT_NO", help="send this sale's receipt")
    what.add_argument("--template", choices=TEMPLATES, help="send this template")
    s.add_argument("--channel", required=True, choices=CHANNELS)
    s.add_argument("--to", action="append", default=[],
                   help="a phone number or email address (repeatable for a template)")
    s.add_argument("--customer", action="append", default=[],
                   help="a customer's id (repeatable; a template only)")
    s.add_argument("--var", action="append", default=[], metavar="NAME=VALUE",
                   help="a template variable (repeatable)")
    s.add_argument("--purpose", choices=("alert", "transactional", "marketing"),
                   default="alert", help="a template's purpose (default alert)")
    s.add_argument("--bulk-id", help="what makes a re-run send nobody twice")
    s.add_argument("--locale", choices=("id", "en"), help="the language (default: the shop's)")
    s.set_defaults(handler=run_send)

    ls = ms.add_parser("list", parents=[common], help="the newest messages first")
    ls.add_argument("--channel", choices=CHANNELS)
    ls.add_argument("--status", choices=STATUSES)
    ls.add_argument("--limit", type=int, default=50)
    ls.set_defaults(handler=run_list)

    st = ms.add_parser("status", parents=[common], help="one message and its job")
    st.add_argument("message_id", metavar="MESSAGE_ID")
    st.set_defaults(handler=run_status)


def _variables(pairs: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise BadInput(f"'{pair}' is not NAME=VALUE", field="var")
        out[name.strip()] = value
    return out


def _bulk_id(args: argparse.Namespace, variables: dict[str, str]) -> str:
    if args.bulk_id:
        return str(args.bulk_id)
    basis = json.dumps([args.channel, args.template, sorted(variables.items()),
                        sorted(args.to), sorted(args.customer)], ensure_ascii=False)
    return "cli-" + hashlib.sha256(basis.encode()).hexdigest()[:24]


def run_send(args: argparse.Namespace) -> int:
    from app.secrets import cipher_for
    if not args.receipt and not args.template:
        raise BadInput("say what to send: --receipt RECEIPT_NO or --template NAME",
                       field="receipt")
    with opened_shop(args) as shop:
        cipher = cipher_for(shop)
        if args.receipt:
            if args.channel not in ("whatsapp", "email"):
                raise BadInput("a receipt goes by whatsapp or email", field="channel")
            if len(args.to) > 1 or args.customer or args.var:
                raise BadInput("a receipt goes to one recipient: --to once at most",
                               field="to")
            actor = acting_user(shop, args)
            with shop.uow() as uow:
                sale_id = receipt_sale_id(uow, args.receipt)
                view = send_receipt(uow, cipher, actor, sale_id, channel=args.channel,
                                    to=args.to[0] if args.to else None, locale=args.locale)
            emit(view.as_dict())
            return 0
        recipients = ([Recipient.address(a) for a in args.to]
                      + [Recipient.customer(c) for c in args.customer])
        if not recipients:
            raise BadInput("give the recipients: --to or --customer", field="to")
        variables = _variables(args.var)
        actor = acting_user(shop, args, default_to_shift=False)
        with shop.uow() as uow:
            result = queue_messages(uow, cipher, actor, channel=args.channel,
                                    template=args.template, purpose=args.purpose,
                                    recipients=recipients, variables=variables,
                                    bulk_id=_bulk_id(args, variables), locale=args.locale)
        emit(result.as_dict())
    return 0


def run_list(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop, shop.uow(write=False) as uow:
        rows = list_messages(uow, channel=args.channel, status=args.status, limit=args.limit)
    emit([r.as_dict() for r in rows])
    return 0


def run_status(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop, shop.uow(write=False) as uow:
        view = message_status(uow, args.message_id)
    emit(view.as_dict())
    return 0

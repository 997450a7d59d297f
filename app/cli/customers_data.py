"""``warungin customers export|consent``: a customer's right to their data (UU PDP).

``customers export CUSTOMER --format json|pdf --out FILE [--lang id|en]`` writes a copy of
everything the till holds about the customer (supervisor or owner, ``--user``; audited);
without ``--out`` a JSON export goes to stdout. ``customers consent CUSTOMER
--grant|--withdraw --source till|cli|office|import`` records a consent change with who
and where. ``customers erase`` (app/cli/customers.py) erases. CUSTOMER is the customer's id
or phone number. The file is created readable by its owner only (it holds personal data).
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from app.cli.common import acting_user, add_user_args, opened_shop
from app.cli.customers import secrets_guard
from app.cli.output import emit
from app.personal_data_files import render, write_private
from app.secrets import cipher_for
from app.shop import Shop
from services.consents import CONSENT_SOURCES, record_consent
from services.crypto import FieldCipher
from services.errors import BadInput, NotFound
from services.personal_data import FORMATS, export_customer

_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
                   r"[0-9a-fA-F]{12}$")
#: What a user may name as the source; unsubscribe/stop are refused by the service (they are
#: the customer's own acts, recorded by the campaigns' opt-out handling).
SOURCES = tuple(s for s in CONSENT_SOURCES if s != "erasure")


def register_into(cs: argparse._SubParsersAction[argparse.ArgumentParser],
                  common: argparse.ArgumentParser) -> None:
    """Adds the subcommands to ``warungin customers`` (called by app/cli/customers.py)."""
    x = cs.add_parser("export", parents=[common],
                      help="a copy of a customer's data, JSON or PDF (supervisor/owner)")
    add_user_args(x)
    x.add_argument("customer", help="the customer's id or phone number")
    x.add_argument("--format", choices=FORMATS, default="json")
    x.add_argument("--out", help="the file to write (JSON goes to stdout without it)")
    x.add_argument("--lang", choices=("id", "en"), default="id", help="the PDF's language")
    x.set_defaults(handler=secrets_guard(run_export))

    c = cs.add_parser("consent", parents=[common],
                      help="record a customer giving or withdrawing marketing consent")
    add_user_args(c)
    c.add_argument("customer", help="the customer's id or phone number")
    way = c.add_mutually_exclusive_group(required=True)
    way.add_argument("--grant", action="store_true")
    way.add_argument("--withdraw", action="store_true")
    c.add_argument("--source", choices=SOURCES, default="cli",
                   help="where the customer said so (default: cli)")
    c.set_defaults(handler=secrets_guard(run_consent))


def resolve(shop: Shop, cipher: FieldCipher, customer: str) -> str:
    """A customer's id from an id or a phone number."""
    text = (customer or "").strip()
    if _UUID.match(text):
        return text.lower()
    from services.customers import find_by_phone

    with shop.uow(write=False) as uow:
        found = find_by_phone(uow, cipher, text)
    if found is None:
        raise NotFound("no customer with this phone number", field="customer")
    return found.id


def run_export(args: argparse.Namespace) -> int:
    if args.format == "pdf" and not args.out:
        raise BadInput("a PDF needs --out FILE", field="out")
    with opened_shop(args) as shop:
        actor = acting_user(shop, args, default_to_shift=False)
        cipher = cipher_for(shop)
        customer_id = resolve(shop, cipher, args.customer)
        with shop.uow() as uow:
            data = export_customer(uow, cipher, actor, customer_id, fmt=args.format)
        if not args.out:
            emit(data.as_dict())
            return 0
        out = Path(args.out)
        write_private(out, render(data, args.format, args.lang))
        emit({"customer_id": customer_id, "format": args.format, "out": str(out),
              "sales": len(data.sales), "messages": len(data.messages),
              "kasbon_entries": len(data.kasbon), "consents": len(data.consents),
              "bytes": out.stat().st_size})
        return 0


def run_consent(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        actor = acting_user(shop, args, default_to_shift=False)
        cipher = cipher_for(shop)
        customer_id = resolve(shop, cipher, args.customer)
        with shop.uow() as uow:
            outcome = record_consent(uow, actor, customer_id, bool(args.grant), args.source)
        emit(outcome.as_dict())
        return 0

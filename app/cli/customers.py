"""``warungin customers add|update|find|show|erase|export|consent``: customers, their personal
data encrypted (export and consent: app/cli/customers_data.py)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from functools import wraps

from app.cli.common import acting_user, add_user_args, opened_shop
from app.cli.output import emit
from app.secrets import SecretsUnavailable, cipher_for
from services.crypto import CryptoError
from services.customers import (
    KEEP,
    create_customer,
    erase_customer,
    find_by_phone,
    get_customer,
    search_customers,
    update_customer,
)
from services.money import rupiah

#: Exit status when the secrets (keyring, data key) cannot be reached: an environment fault,
#: not bad input (2) nor a refusal (3) nor a damaged database (4).
EXIT_SECRETS = 5

Handler = Callable[[argparse.Namespace], int]


def secrets_guard(handler: Handler) -> Handler:
    """Turn a missing keyring or data key into its plain message and exit status."""
    @wraps(handler)
    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except SecretsUnavailable as exc:
            sys.stderr.write(f"error: {exc}\n")
            return EXIT_SECRETS
        except CryptoError as exc:
            sys.stderr.write(f"error: customer data cannot be decrypted: {exc}\n")
            return EXIT_SECRETS
    return run


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("customers", parents=[common], help="customers (personal data encrypted)")
    cs = p.add_subparsers(dest="customers_command", required=True)

    a = cs.add_parser("add", parents=[common], help="add a customer")
    add_user_args(a)
    a.add_argument("--name", required=True)
    a.add_argument("--phone", help="e.g. 0812-3456-7890 (stored as +6281234567890)")
    a.add_argument("--email")
    a.add_argument("--address")
    a.add_argument("--consent", action="store_true", help="agrees to marketing messages")
    a.add_argument("--credit-limit", default="0",
                   help="kasbon limit in rupiah; above zero needs a supervisor")
    a.set_defaults(handler=secrets_guard(run_add))

    u = cs.add_parser("update", parents=[common],
                      help="change a customer's fields (an empty value clears one)")
    add_user_args(u)
    u.add_argument("customer_id")
    u.add_argument("--name")
    u.add_argument("--phone")
    u.add_argument("--email")
    u.add_argument("--address")
    u.add_argument("--consent", action=argparse.BooleanOptionalAction, default=None)
    u.add_argument("--credit-limit")
    u.set_defaults(handler=secrets_guard(run_update))

    f = cs.add_parser("find", parents=[common], help="find customers by phone or by name")
    how = f.add_mutually_exclusive_group(required=True)
    how.add_argument("--phone", help="exact phone number (any common form)")
    how.add_argument("--name", help="part of the name")
    f.set_defaults(handler=secrets_guard(run_find))

    s = cs.add_parser("show", parents=[common], help="one customer, decrypted")
    s.add_argument("customer_id")
    s.set_defaults(handler=secrets_guard(run_show))

    e = cs.add_parser("erase", parents=[common],
                      help="erase a customer's personal data (UU PDP / GDPR); needs the owner")
    add_user_args(e)
    e.add_argument("customer_id")
    e.add_argument("--even-with-kasbon", action="store_true",
                   help="erase although the customer still owes kasbon")
    e.set_defaults(handler=run_erase)

    from app.cli.customers_data import register_into  # export, consent (UU PDP)
    register_into(cs, common)


def run_add(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        limit = rupiah(args.credit_limit, field="credit_limit")
        actor = acting_user(shop, args)
        cipher = cipher_for(shop)
        with shop.uow() as uow:
            view = create_customer(uow, cipher, actor, name=args.name, phone=args.phone,
                                   email=args.email, address=args.address,
                                   consent_marketing=args.consent, credit_limit=limit)
        emit(view.as_dict())
        return 0


def run_update(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        limit = KEEP if args.credit_limit is None else rupiah(args.credit_limit,
                                                               field="credit_limit")
        actor = acting_user(shop, args)
        cipher = cipher_for(shop)
        with shop.uow() as uow:
            view = update_customer(
                uow, cipher, actor, args.customer_id,
                name=KEEP if args.name is None else args.name,
                phone=KEEP if args.phone is None else (args.phone or None),
                email=KEEP if args.email is None else (args.email or None),
                address=KEEP if args.address is None else (args.address or None),
                consent_marketing=KEEP if args.consent is None else bool(args.consent),
                credit_limit=limit)
        emit(view.as_dict())
        return 0


def run_find(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        if args.phone is not None:
            cipher = cipher_for(shop)
            with shop.uow(write=False) as uow:
                found = find_by_phone(uow, cipher, args.phone)
            emit([] if found is None else [found.as_dict()])
        else:
            with shop.uow(write=False) as uow:
                hits = search_customers(uow, args.name)
            emit([h.as_dict() for h in hits])
        return 0


def run_show(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        cipher = cipher_for(shop)
        with shop.uow(write=False) as uow:
            view = get_customer(uow, cipher, args.customer_id)
        emit(view.as_dict())
        return 0


def run_erase(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        actor = acting_user(shop, args, default_to_shift=False)
        with shop.uow() as uow:
            result = erase_customer(uow, actor, args.customer_id,
                                    allow_outstanding_kasbon=args.even_with_kasbon)
        emit(result.as_dict())
        return 0

"""``warungin sale``: complete a sale read as JSON on stdin (``--stream``: one per line)."""

from __future__ import annotations

import argparse
import sys

from app.cli.common import acting_user, add_user_args, opened_shop, read_json
from app.cli.main import emit, fail
from app.shop import Shop
from services.checkout import checkout
from services.errors import ShopError
from services.payments import ChargeView
from services.sale_input import parse_sale
from services.selling import SaleRequest, SaleResult
from services.tender import PROVIDER_METHODS
from services.users import Actor


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("sale", parents=[common], help="complete a sale read as JSON on stdin")
    add_user_args(p)
    p.add_argument("--stream", action="store_true",
                   help="read one sale per line; print each committed sale as one JSON line")
    p.add_argument("--wait", type=float, default=300.0,
                   help="seconds to wait for a QRIS/e-wallet/VA payment before cancelling it")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        actor = acting_user(shop, args)
        if not args.stream:
            req = parse_sale(read_json(sys.stdin.read(), field="sale"))
            emit(_sell(shop, actor, req, args.wait).as_dict())
            return 0
        failures = 0
        for n, line in enumerate(sys.stdin, start=1):
            if not line.strip():
                continue
            try:
                req = parse_sale(read_json(line, field=f"line {n}"))
                result = _sell(shop, actor, req, args.wait)
            except ShopError as exc:
                failures += 1
                fail(exc)
                continue
            emit(result.as_dict())  # flushed: printed only after the commit
        return 0 if failures == 0 else 2


def describe(view: ChargeView) -> str:
    """What the cashier reads out or shows the customer (stderr)."""
    a = view.attempt
    lines = [f"{a.method.upper()} Rp {a.amount:,} — order {a.order_id}".replace(",", ".")]
    if view.va_number:
        lines.append(f"Transfer ke virtual account {(view.va_bank or '').upper()}: "
                     f"{view.va_number}")
    if view.qr_string:
        lines.append(f"QR: {view.qr_string}")
    if view.deeplink_url:
        lines.append(f"Deeplink: {view.deeplink_url}")
    if view.expiry_time:
        lines.append(f"Berlaku sampai {view.expiry_time} WIB")
    if view.final is not None:
        lines.append(f"Status: {view.final}" + (f" ({view.message})" if view.message else ""))
    return "\n".join(lines)


def _show(view: ChargeView) -> None:
    sys.stderr.write(describe(view) + "\n")
    if view.qr_string and sys.stderr.isatty():
        from app.qr import qr_text
        sys.stderr.write(qr_text(view.qr_string))  # scannable straight off the screen
    sys.stderr.flush()


def _sell(shop: Shop, actor: Actor, req: SaleRequest, wait: float) -> SaleResult:
    """The one checkout (services.checkout), with the Midtrans charge port only when the
    sale has a provider payment: a cash-only till never loads keyring, httpx or a client."""
    charges = None
    if any(p.method in PROVIDER_METHODS for p in req.payments):
        from app.provider_wiring import till_charges
        charges = till_charges(shop, wait=wait, on_view=_show)
    return checkout(shop.uow, shop.config, actor, req, charges=charges)

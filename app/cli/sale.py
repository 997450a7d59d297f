"""``warungin sale``: complete a sale read as JSON on stdin (``--stream``: one per line)."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Iterator

from app.cli.args import read_stdin, seconds_between
from app.cli.common import acting_user, add_user_args, opened_shop, read_json
from app.cli.output import emit
from app.shop import Shop
from local_db.migrate import DatabaseDamaged
from services.checkout import checkout
from services.errors import BadInput, ShopError
from services.payments import ChargeView
from services.sale_input import amount_due, as_written, parse_sale
from services.selling import SaleRequest, SaleResult
from services.tender import PROVIDER_METHODS
from services.users import Actor

log = logging.getLogger("warungin.sale")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("sale", parents=[common], help="complete a sale read as JSON on stdin")
    add_user_args(p)
    p.add_argument("--stream", action="store_true",
                   help="read one sale per line; print one JSON line per input line: the "
                        "committed sale, or {line, error, field, message} for a line not "
                        "sold; exit 0 if every line was sold, else 1 (a bug), 2 (bad "
                        "input) or 3 (refused), the first that applies")
    p.add_argument("--wait", type=seconds_between(0, 3600), default=300.0,
                   help="seconds to wait for a QRIS/e-wallet/VA payment before cancelling it")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        actor = acting_user(shop, args)
        if not args.stream:
            emit(_sale_from(shop, actor, read_json(read_stdin("sale"), field="sale"),
                            args.wait).as_dict())
            return 0
        return _stream(shop, actor, args.wait)


def _input_lines() -> Iterator[str]:
    """stdin line by line. Bytes are decoded here (surrogateescape, as Python decodes
    stdin itself under a UTF-8 locale), so a line that is not UTF-8 is refused by the JSON
    check for that line alone, whatever the locale's error handler would have done."""
    raw = getattr(sys.stdin, "buffer", None)
    if raw is None:
        yield from sys.stdin
        return
    for line in raw:
        yield line.decode("utf-8", "surrogateescape")


def _stream(shop: Shop, actor: Actor, wait: float) -> int:
    """One sale per line. A line not sold (refused, or a bug) gets one JSON error line with
    its number and field, and the stream goes on; a sale's line is printed only after its
    commit, as before. Bugs are logged with their traceback."""
    seen: set[int] = set()
    for n, line in enumerate(_input_lines(), start=1):
        if not line.strip():
            continue
        try:
            result = _sale_from(shop, actor, read_json(line, field="sale"), wait)
        except ShopError as exc:
            seen.add(2 if isinstance(exc, BadInput) else 3)
            _refused_line(n, exc.as_dict())
            sys.stderr.write(f"error: line {n}: {exc}\n")
            sys.stderr.flush()
            continue
        except DatabaseDamaged:
            raise
        except Exception as exc:  # a bug: to the log with its traceback; the next line sells
            log.exception("sale --stream: line %d was not sold", n)
            seen.add(1)
            _refused_line(n, {"error": "internal",
                              "message": f"unexpected {type(exc).__name__}; nothing of this "
                                         "line was committed (see the log)"})
            continue
        emit(result.as_dict())  # flushed: printed only after the commit
    return min(seen) if seen else 0


def _refused_line(n: int, error: dict[str, str]) -> None:
    emit({"line": n, **error})


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


def _sale_from(shop: Shop, actor: Actor, data: object, wait: float) -> SaleResult:
    """The sale written in ``data``, sold. A lone non-cash payment without an amount pays
    the amount due; a refusal names the field as ``data`` wrote it (``lines[0].sku``)."""
    def due(req: SaleRequest) -> int:
        with shop.uow(write=False) as uow:
            return amount_due(uow.conn, shop.config, req)

    try:
        return _sell(shop, actor, parse_sale(data, amount_due=due), wait)
    except ShopError as exc:
        raise as_written(exc, data) from None


def _sell(shop: Shop, actor: Actor, req: SaleRequest, wait: float) -> SaleResult:
    """The one checkout (services.checkout), with the Midtrans charge port only when the
    sale has a provider payment: a cash-only till never loads keyring, httpx or a client."""
    charges = None
    if any(p.method in PROVIDER_METHODS for p in req.payments):
        from app.provider_wiring import till_charges
        charges = till_charges(shop, wait=wait, on_view=_show)
    return checkout(shop.uow, shop.config, actor, req, charges=charges)

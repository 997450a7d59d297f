"""``warungin report NAME``: owners' reports, on this till or on central for the tenant.

    warungin report sales --from 2026-11-01 --to 2026-12-01 --format csv --out nov.csv
    warungin report dashboard                       # today, JSON on stdout
    warungin report stock --format pdf --out stok.pdf
    warungin report products --from 2026-11-01 --to 2026-12-01 --central \\
        --dsn "host=pusat.example user=wati dbname=warungin"   # the whole tenant

NAME is any report of the catalogue (``services.reports.catalogue``): dashboard, sales,
products, stock, kasbon, the analytics (revenue, revenue-weekly, revenue-monthly, heatmap,
basket, top-products, repeat-customers, cashiers) and the books' and tax reports when this
build has them (``warungin report --help`` lists them). Dates are the shop's local dates;
``--to`` is the first day NOT included (default: the day after ``--from``; default
``--from``: today). ``--central`` runs the same report on the central PostgreSQL as the
tenant's owner role (the login in ``--dsn`` must have been granted it; its password comes
from PGPASSWORD or ~/.pgpass, never from the command line), optionally for one
``--store`` or ``--terminal`` (ids). Central keeps customers' names encrypted: kasbon rows
there show a short customer id unless ``--names-from-till`` lets this till's data key
(``--data-dir``) decrypt them.

On this till ``--user NAME`` (the PIN from ``WARUNGIN_PIN`` or asked) runs the report as
that user, and the services refuse anyone but an owner (as the back office does); without
it, the report is read by whoever holds the shop's data folder on this computer.

Output: ``--format json`` (default) prints the report's data; csv and html print the
document unless ``--out FILE``; pdf needs ``--out``. With ``--out`` a JSON line says what
was written. The PDF opens with the store's header (name, address, NPWP from the store
settings) and numbers its pages. The kasbon report names customers by a short reference
(the last 8 digits of the id; JSON keeps the whole id) and, on this till, which holds the
data key, their phone masked (``+62 ••• 7890``).
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from app.cli.common import acting_user, add_user_args
from app.cli.output import emit
from services.errors import BadInput
from services.reports import Period, Report, local_source, report_for, run_report
from services.reports import catalogue
from services.reports.values import REPORTS as BUILT_IN
from services.reports.values import TableReport
from services.reports.export import to_csv, to_data, to_html
from services.reports.source import DEFAULT_TIMEZONE, zone

DSN_ENV = "WARUNGIN_CENTRAL_DSN"
FORMATS = ("json", "csv", "html", "pdf")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("report", parents=[common], help="owners' reports (this till or central)",
                       description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    # Not argparse choices: the catalogue imports every report module, which only a
    # report needs (every other command starts without them); an unknown name is refused
    # by run() with the list of names.
    p.add_argument("name", metavar="NAME", help="which report: " + ", ".join(BUILT_IN)
                   + " and the catalogue's others (a wrong name lists them all)")
    p.add_argument("--from", dest="start", help="first day, YYYY-MM-DD (default: today)")
    p.add_argument("--to", dest="end", help="first day NOT included, YYYY-MM-DD "
                                            "(default: the day after --from)")
    p.add_argument("--as-of", dest="as_of",
                   help="the balance sheet, ageing or payables as they stood at the end of "
                        "this day, YYYY-MM-DD (default: now)")
    p.add_argument("--format", choices=FORMATS, default="json")
    p.add_argument("--out", help="write the document to this file")
    p.add_argument("--lang", choices=("id", "en"), default="id", help="column titles")
    p.add_argument("--central", action="store_true",
                   help="run on the central PostgreSQL for the whole tenant")
    p.add_argument("--dsn", help=f"central connection of an owner's login (or {DSN_ENV})")
    p.add_argument("--role", help="the tenant owner role to enter (default: the one the "
                                  "login may become)")
    p.add_argument("--tenant", help="tenant id, when the login may read several")
    p.add_argument("--store", help="central: only this store (id)")
    p.add_argument("--terminal", help="central: only this terminal (id)")
    p.add_argument("--timezone", help="central: the shop's time zone (default "
                                      f"{DEFAULT_TIMEZONE}; on the till its setting)")
    p.add_argument("--names-from-till", action="store_true",
                   help="central kasbon: decrypt names with this till's data key")
    add_user_args(p)
    p.set_defaults(handler=run)


def _day(text: str, field: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise BadInput("a date is written YYYY-MM-DD", field=field) from None


def _period(args: argparse.Namespace, tz: str) -> Period | None:
    spec = catalogue.spec_of(args.name)
    if args.as_of and not spec.as_of:
        raise BadInput(f"the {args.name} report takes no --as-of"
                       + (": give --from/--to" if spec.takes_period else ""), field="as_of")
    if not spec.takes_period:
        if args.start or args.end:
            raise BadInput(f"the {args.name} report is of now: it takes no dates"
                           + (" (--as-of D: as it stood that day)" if spec.as_of else ""),
                           field="from" if args.start else "to")
        return Period.day(_day(args.as_of, "as_of")) if args.as_of else None
    if args.end and not args.start:
        raise BadInput("--to needs --from", field="from")
    start = args.start or datetime.now(zone(tz)).date().isoformat()
    period = Period.parse(start, args.end)
    if spec.single_day and period.last != period.start:
        what = "the dashboard" if args.name == "dashboard" else f"the {args.name} report"
        raise BadInput(f"{what} is of one day: give only --from", field="to")
    return period


def _title(args: argparse.Namespace, period: Period | None, where: str = "") -> str:
    spec = catalogue.spec_of(args.name)
    text = spec.title(args.lang)
    if period is not None:
        text += f" {period.label()}"
    return f"{text} · {where}" if where else text


def _write(args: argparse.Namespace, report: Report, title: str, note: str | None,
           zone_name: str | None = None, pdf_head: dict[str, Any] | None = None) -> None:
    """``pdf_head``: the PDF's store header and title (``app.reports_pdf.to_pdf``'s
    ``title``, ``shop_name``, ``address``, ``npwp``, ``where``); other formats keep
    ``title``."""
    fmt = args.format
    if fmt == "json":
        data: Any = {"report": args.name, "title": title, **to_data(report)}
        if note:
            data["note"] = note
        if not args.out:
            emit(data)
            return
        import json
        body: bytes = json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
    elif fmt == "csv":
        body = to_csv(report, args.lang).encode("utf-8")
    elif fmt == "html":
        body = to_html(report, title, args.lang, note).encode("utf-8")
    else:
        if not args.out:
            raise BadInput("a PDF goes to a file: give --out FILE", field="out")
        from app.reports_pdf import to_pdf
        head = dict(pdf_head or {})
        body = to_pdf(report, head.pop("title", title), args.lang, note,
                      zone_name=zone_name, **head)  # stamped WIB, WITA or WIT
    if args.out:
        out = Path(args.out)
        try:
            out.write_bytes(body)
        except OSError as exc:
            raise BadInput(f"cannot write {out} ({exc.strerror})", field="out") from None
        emit({"report": args.name, "format": fmt, "out": str(out), "bytes": len(body)})
    else:
        sys.stdout.write(body.decode("utf-8"))
        sys.stdout.flush()


def run(args: argparse.Namespace) -> int:
    catalogue.spec_of(args.name)  # an unknown name: refused with the names there are
    if args.central:
        return _run_central(args)
    for flag in ("dsn", "role", "tenant", "store", "terminal", "timezone"):
        if getattr(args, flag):
            raise BadInput(f"--{flag} is for --central reports", field=flag)
    if args.names_from_till:
        raise BadInput("--names-from-till is for --central reports", field="names_from_till")
    from app.cli.common import opened_shop
    from services.store_settings import read_store_settings
    note = None
    with opened_shop(args) as shop:
        actor = acting_user(shop, args, default_to_shift=False) if args.user else None
        decrypt_phone = None
        if args.name == "kasbon":
            decrypt_phone, note = _phone_decryptor(shop)
        with shop.uow(write=False) as uow:
            source = local_source(uow.conn)
            period = _period(args, source.timezone)
            if args.name not in BUILT_IN:
                report = catalogue.run_for(uow.conn, actor, args.name, period,
                                           source=source)
            elif actor is None:
                report = run_report(uow.conn, args.name, period, source=source,
                                    decrypt_phone=decrypt_phone)
            else:
                report = report_for(uow.conn, actor, args.name, period, source=source,
                                    decrypt_phone=decrypt_phone)
            store = read_store_settings(uow.conn) if args.format == "pdf" else None
        title = _title(args, period, f"{shop.config.store_name} {shop.config.terminal_code}")
        pdf_head = None
        if store is not None:
            pdf_head = {"title": _title(args, period),
                        "shop_name": store.store_name or shop.config.store_name,
                        "address": store.address, "npwp": store.npwp,
                        "where": f"Terminal {shop.config.terminal_code}"}
    _write(args, report, title, note, source.timezone, pdf_head)
    return 0


def _phone_decryptor(shop: Any) -> tuple[Any, str | None]:
    """The kasbon report's phones are ciphertext: with this till's data key they are shown
    masked (``+62 ••• 7890``). Without a key (a shop that never stored a phone has none)
    or with the keyring out of reach, the report shows the short reference only and says
    why (the note)."""
    from app.secrets import SecretsUnavailable, active_key_id, cipher_for
    if active_key_id(shop) is None:
        return None, None
    try:
        cipher = cipher_for(shop)
    except SecretsUnavailable as exc:
        return None, (f"Nomor telepon tidak ditampilkan: kunci data tidak terbaca ({exc}). / "
                      "Phone numbers not shown: the data key cannot be read.")

    def decrypt(customer_id: str, token: str) -> str:
        return cipher.decrypt(token, record_id=customer_id, field="phone")
    return decrypt, None


def _run_central(args: argparse.Namespace) -> int:
    from app.reports_central import owner_connection, run_central_report, tenant_of
    if args.user:
        raise BadInput("--user is for this till's reports: on central the owner role in "
                       "--dsn decides", field="user")
    dsn = args.dsn or os.environ.get(DSN_ENV)
    if not dsn:
        raise BadInput(f"give the central database with --dsn or {DSN_ENV}", field="dsn")
    tz = args.timezone or DEFAULT_TIMEZONE
    zone(tz)
    period = _period(args, tz)
    decrypt = decrypt_phone = None
    if args.names_from_till:
        from app.cli.common import shop_from
        from app.secrets import cipher_for
        shop = shop_from(args)
        try:
            cipher = cipher_for(shop)
        finally:
            shop.close()

        def decrypt(customer_id: str, token: str) -> str:
            return cipher.decrypt(token, record_id=customer_id, field="name")

        def decrypt_phone(customer_id: str, token: str) -> str:
            return cipher.decrypt(token, record_id=customer_id, field="phone")
    with owner_connection(dsn, role=args.role, tenant_id=args.tenant) as conn:
        tenant = tenant_of(conn)
        if args.name in BUILT_IN:
            report = run_central_report(conn, args.name, period, timezone=tz,
                                        store_id=args.store, terminal_id=args.terminal,
                                        decrypt_name=decrypt, decrypt_phone=decrypt_phone)
        else:
            from app.reports_central import central_report_source
            source = central_report_source(timezone=tz, store_id=args.store,
                                           terminal_id=args.terminal)
            report = catalogue.run(conn, args.name, period, source=source)
    if isinstance(report, TableReport) and report.as_of is None:
        # What central held when it was read (one REPEATABLE READ snapshot).
        from dataclasses import replace
        report = replace(report, as_of=datetime.now(UTC).isoformat(timespec="seconds"))
    where = "pusat: " + str(tenant.get("name", "?"))
    if args.store:
        where += f" (toko {args.store[:8]})"
    if args.terminal:
        where += f" (terminal {args.terminal[:8]})"
    note = None
    if args.name == "kasbon" and decrypt is None:
        note = ("Nama pelanggan terenkripsi di pusat; ditampilkan ID pendek. / Customer "
                "names are encrypted at central; short ids shown.")
    pdf_head = {"title": _title(args, period), "shop_name": str(tenant.get("name") or ""),
                "where": where}
    _write(args, report, _title(args, period, where), note, tz, pdf_head)
    return 0

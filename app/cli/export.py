"""``warungin export jurnal|journal|coretax``: the books out, for the accountant or the tax office.

    warungin export jurnal  --month 2026-11 --out penjualan-nov.csv --user Wati
    warungin export journal --from 2026-11-01 --to 2026-12-01 --out jurnal-nov.csv --user Wati
    warungin export coretax --month 2026-11 --out coretax-nov.xml --user Wati

- ``jurnal``: the period's sales invoices in Jurnal.id's import CSV (services.exports.jurnal_id);
- ``journal``: the period's journal as a generic double-entry CSV (services.exports.journal_csv);
- ``coretax``: the month's retail sales "digunggung" as Coretax's RetailInvoiceBulk XML, for a
  PKP shop with its NPWP in the store settings (services.exports.coretax).

The period is ``--month YYYY-MM`` or ``--from``/``--to`` (store-local dates, ``--to`` the first
day NOT included); Coretax takes exactly one calendar month. Exports are the owner's:
``--user NAME`` (the PIN from ``WARUNGIN_PIN`` or asked) must be an owner. The file goes to
``--out``; stdout gets one JSON line: the kind, the file, its rows and totals.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.common import acting_user, add_user_args
from app.cli.output import emit
from services.errors import BadInput
from services.exports import KINDS, export_for
from services.reports.values import Period
from services.tax_reports import month_period


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("export", parents=[common], help="exports for Jurnal.id, any "
                       "accounting program (journal CSV) and Coretax (owner)",
                       description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("kind", choices=KINDS, help="what to export")
    p.add_argument("--month", help="the month, YYYY-MM")
    p.add_argument("--from", dest="start", help="first day, YYYY-MM-DD")
    p.add_argument("--to", dest="end", help="first day NOT included, YYYY-MM-DD")
    p.add_argument("--out", help="the file to write")
    add_user_args(p)
    p.set_defaults(handler=run)


def period_of(args: argparse.Namespace) -> Period:
    if args.month:
        if args.start or args.end:
            raise BadInput("give --month or --from/--to, not both", field="month")
        return month_period(args.month, field="month")
    if not args.start:
        raise BadInput("give --month YYYY-MM or --from YYYY-MM-DD --to YYYY-MM-DD",
                       field="from")
    if not args.end:
        raise BadInput("give --to (the first day NOT included)", field="to")
    return Period.parse(args.start, args.end)


def run(args: argparse.Namespace) -> int:
    from app.cli.common import opened_shop
    if not args.out:
        raise BadInput("say where the file goes with --out FILE", field="out")
    period = period_of(args)
    with opened_shop(args) as shop:
        actor = acting_user(shop, args, default_to_shift=False)
        with shop.uow(write=False) as uow:
            exported = export_for(uow.conn, actor, args.kind, period)
    out = Path(args.out)
    try:
        out.write_bytes(exported.body)
    except OSError as exc:
        raise BadInput(f"cannot write {out} ({exc.strerror})", field="out") from None
    emit({"export": exported.kind, "file": str(out), "bytes": len(exported.body),
          "rows": exported.rows, "totals": dict(exported.totals),
          "period": {"from": period.start.isoformat(), "to": period.end.isoformat()},
          "notes": list(exported.notes)})
    return 0

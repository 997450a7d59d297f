"""``warungin sync --once`` (push everything pending now) and ``warungin sync status``.

Both report the terminal's clock skew against central (``skew_s``, ``skew_flagged`` above
5 minutes; ``--once`` measures it afresh, ``status`` shows the last measurement). The skew
never reorders anything: the push follows the outbox sequence.

This is where the secret store is read: the sync package never imports ``app``, so the
credentials and the install id are handed to it here.
"""

from __future__ import annotations

import argparse

from app.cli.args import int_between
from app.cli.common import opened_shop
from app.cli.output import emit
from app.enroll import INSTALL_ID_SECRET, central_credentials
from app.secrets import cipher_for, secret_store_for
from services.errors import Conflict
from sync.clock import SkewProbe, record
from sync.pull import pull_once, pull_status
from sync.push import CentralLink, push_once
from sync.status import sync_status


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("sync", parents=[common],
                       help="send this till's events to central and pull central's changes "
                            "('--once') or show the sync figures ('status'), as JSON")
    p.add_argument("what", nargs="?", choices=["status"], help="'status': the figures only")
    p.add_argument("--once", action="store_true",
                   help="push everything pending, pull what central changed, then exit")
    p.add_argument("--batch-size", type=int_between(1, 10_000), default=200,
                   help="events per central transaction")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    with opened_shop(args) as shop:
        if args.what == "status":
            emit({**sync_status(shop.db), "pull": pull_status(shop.db)})
            return 0
        if not args.once:
            raise Conflict("say 'warungin sync --once' (push now) or 'warungin sync status'; "
                           "the continuous worker runs inside the desktop program",
                           field="sync")
        store = secret_store_for(shop)
        creds = central_credentials(shop, store)
        install_id = store.get(INSTALL_ID_SECRET)
        if install_id is None:
            raise Conflict("the install id is missing from the secret store; enrol this "
                           "machine again", field="central")
        link = CentralLink(creds.dsn, creds.password, install_id)
        cipher = cipher_for(shop, store)
        # The clock skew is measured on the first central connection (sync/clock.py) and
        # kept even if the pass fails afterwards; it is shown, never used to order.
        probe = SkewProbe(link.connect)
        try:
            report = push_once(shop.db, link, batch_size=max(1, args.batch_size),
                               connect=probe)
            # After the push, so our own changes are at central first (they come back as
            # echoes and are skipped); customers' names come down encrypted, hence the cipher.
            pulled = pull_once(shop.db, link, cipher=cipher, connect=probe)
        finally:
            if probe.reading is not None:
                record(shop.db, probe.reading)
        clock = None if probe.reading is None else {
            "skew_s": probe.reading.skew_s, "skew_flagged": probe.reading.flagged,
            "round_trip_s": probe.reading.round_trip_s}
        emit({**report.as_dict(), "pull": pulled.as_dict(), "clock": clock,
              "status": {**sync_status(shop.db), "pull": pull_status(shop.db)}})
        return 0

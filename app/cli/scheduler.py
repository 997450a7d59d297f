"""``warungin scheduler run|jobs|log|summary``: the shop's scheduler (``app.scheduler``).

``scheduler run`` runs it in the foreground until Ctrl+C (a shop PC without the desktop
program open); ``scheduler jobs`` lists the jobs and their next run from the settings;
``scheduler log`` the scheduled emails' log (sent, skipped, failed with the reason);
``scheduler summary`` runs the daily summary's rule once now (sends what is due, logs what
was missed). JSON out.
"""

from __future__ import annotations

import argparse
import signal
import threading
from datetime import UTC, datetime

from app.cli.common import opened_shop
from app.cli.output import emit


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("scheduler", parents=[common], help="scheduled jobs and emails")
    s = p.add_subparsers(dest="scheduler_command", required=True)
    s.add_parser("run", parents=[common], help="run the scheduler until Ctrl+C"
                 ).set_defaults(handler=run_run)
    s.add_parser("jobs", parents=[common], help="the jobs and their next run"
                 ).set_defaults(handler=run_jobs)
    lg = s.add_parser("log", parents=[common], help="the scheduled emails' log")
    lg.add_argument("--limit", type=int, default=200)
    lg.set_defaults(handler=run_log)
    s.add_parser("summary", parents=[common], help="send the daily summary if due now"
                 ).set_defaults(handler=run_summary)


def run_run(args: argparse.Namespace) -> int:
    from app.scheduler import ShopScheduler
    stop = threading.Event()
    with opened_shop(args) as shop:
        scheduler = ShopScheduler(shop)
        previous = signal.signal(signal.SIGTERM, lambda *_a: stop.set())
        scheduler.start()
        emit({"running": True, "jobs": [j.as_dict() for j in scheduler.jobs()]})
        try:
            while not stop.wait(1.0):
                pass
        except KeyboardInterrupt:
            pass
        finally:
            scheduler.stop()
            signal.signal(signal.SIGTERM, previous)
    return 0


def run_jobs(args: argparse.Namespace) -> int:
    from app.scheduler import ShopScheduler
    with opened_shop(args) as shop:
        emit([j.as_dict() for j in ShopScheduler(shop).planned(datetime.now(UTC))])
    return 0


def run_log(args: argparse.Namespace) -> int:
    from services.schedule_summary import email_log
    with opened_shop(args) as shop, shop.uow(write=False) as uow:
        emit([r.as_dict() for r in email_log(uow.conn, args.limit)])
    return 0


def run_summary(args: argparse.Namespace) -> int:
    from app.scheduler import ShopScheduler
    with opened_shop(args) as shop:
        emit([o.as_dict() for o in ShopScheduler(shop).run_summary()])
    return 0

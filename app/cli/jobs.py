"""``warungin jobs``: run provider jobs once, show the channels, replay or discard a job.

    warungin jobs --once              run every provider's due jobs once (JSON report)
    warungin jobs status              per-provider figures (JSON)
    warungin jobs replay JOB_ID       put a dead job back (a supervisor, or --approver/PIN)
    warungin jobs discard JOB_ID      give up on a pending/failed/unknown job (same rights)
"""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import Any

from app.cli.common import acting_user, add_approver_args, add_user_args, approval_from, opened_shop
from app.cli.output import emit
from services.errors import BadInput
from services.provider_jobs import discard_job, replay_dead_job
from sync.jobs import Dispatcher


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("jobs", parents=[common], help="provider jobs (payments, couriers, "
                       "messages): run, status, replay, discard")
    p.add_argument("--once", action="store_true", help="run every provider's due jobs once")
    p.set_defaults(handler=run_once)
    jobs = p.add_subparsers(dest="jobs_command")
    s = jobs.add_parser("status", parents=[common], help="per-provider figures as JSON")
    s.set_defaults(handler=run_status)
    for name, handler, text in (("replay", run_replay, "put a dead job back in the queue"),
                                ("discard", run_discard, "give up on a job (it goes dead)")):
        c = jobs.add_parser(name, parents=[common], help=text)
        c.add_argument("job_id")
        add_user_args(c)
        add_approver_args(c, "the move (not needed when a supervisor acts)")
        c.set_defaults(handler=handler)


def run_once(args: argparse.Namespace) -> int:
    if not args.once:
        raise BadInput("say what to do: --once, status, replay JOB_ID or discard JOB_ID",
                       field="jobs")
    from app.provider_wiring import provider_handlers  # keyring/httpx only when used
    with opened_shop(args) as shop, provider_handlers(shop) as handlers:
        report = Dispatcher(shop.db, handlers).run_once()
        emit(report.as_dict())
        return 0


def run_status(args: argparse.Namespace) -> int:
    from app.provider_wiring import provider_handlers  # keyring/httpx only when used
    with opened_shop(args) as shop:
        # A fresh dispatcher knows no breaker history: status shows the queue, and breakers
        # as "closed"; the running program's own dispatcher reports live breaker states.
        with provider_handlers(shop) as handlers:
            figures = Dispatcher(shop.db, handlers).channel_figures()
        emit({p: f.as_dict() for p, f in figures.items()})
        return 0


def _move(args: argparse.Namespace, what: Any) -> int:
    with opened_shop(args) as shop:
        actor = acting_user(shop, args)
        given = approval_from(args)
        approval = (given.user, given.pin) if given else None
        with shop.uow() as uow:
            row = what(uow, actor, args.job_id, approval)
        emit({**asdict(row), "payload": dict(row.payload),
              "result": None if row.result is None else dict(row.result)})
        return 0


def run_replay(args: argparse.Namespace) -> int:
    return _move(args, replay_dead_job)


def run_discard(args: argparse.Namespace) -> int:
    return _move(args, discard_job)

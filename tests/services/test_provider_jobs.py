"""Replay and discard of provider jobs: a supervisor's moves, audited; the panel's list.

Also the ``warungin jobs`` commands in-process (they are thin: the same use cases)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import text

from app.cli.main import main
from app.shop import Shop
from local_db.ids import uuid7
from local_db.jobs import UNRESOLVED_PREFIX, job_row, set_state
from local_db.store import add_provider_job
from services.errors import Conflict, NotFound, Refused
from services.provider_jobs import discard_job, job_list, replay_dead_job
from services.users import Actor


def _job(shop: Shop, state: str = "pending", *, provider: str = "midtrans",
         last_error: str | None = None, attempts: int = 0) -> str:
    with shop.uow() as uow:
        job_id = add_provider_job(uow.conn, provider=provider, kind="charge", ref_id=uuid7(),
                                  idempotency_key=uuid7(), payload={"amount": 15_000})
        if state != "pending":
            set_state(uow.conn, job_id, from_states=("pending",), state=state,
                      now="2025-01-01T00:00:00.000000+00:00", last_error=last_error,
                      attempts=attempts)
        uow.commit()
    return job_id


def _state(shop: Shop, job_id: str) -> tuple[str, int, str | None]:
    with shop.uow(write=False) as uow:
        r = job_row(uow.conn, job_id)
    assert r is not None
    return r.state, r.attempts, r.last_error


def _audits(shop: Shop, action: str) -> list[dict[str, Any]]:
    with shop.uow(write=False) as uow:
        rows = uow.session.execute(text(
            "SELECT actor_id, approver_id, entity, entity_id, details FROM audit_log "
            "WHERE action = :a ORDER BY seq"), {"a": action}).all()
    return [{"actor_id": r.actor_id, "approver_id": r.approver_id, "entity": r.entity,
             "entity_id": r.entity_id, "details": json.loads(r.details)} for r in rows]


def test_supervisor_replays_a_dead_job(shop: Shop, supervisor: Actor) -> None:
    job_id = _job(shop, "dead", last_error="gave up after 8 tries: HTTP 503", attempts=8)
    with shop.uow() as uow:
        replayed = replay_dead_job(uow, supervisor, job_id)
    assert (replayed.state, replayed.attempts, replayed.last_error) == ("pending", 0, None)
    assert replayed.next_attempt_at is not None
    assert _state(shop, job_id) == ("pending", 0, None)
    [audit] = _audits(shop, "job.replay")
    assert audit["actor_id"] == supervisor.id and audit["approver_id"] == supervisor.id
    assert audit["entity"] == "provider_job" and audit["entity_id"] == job_id
    assert audit["details"]["reason"] == "gave up after 8 tries: HTTP 503"
    assert audit["details"]["to"] == "pending" and audit["details"]["attempts"] == 8


def test_cashier_needs_a_supervisor_pin_to_replay(shop: Shop, cashier: Actor,
                                                  supervisor: Actor) -> None:
    job_id = _job(shop, "dead", last_error="bad", attempts=8)
    with shop.uow() as uow, pytest.raises(Refused):
        replay_dead_job(uow, cashier, job_id)
    with shop.uow() as uow, pytest.raises(Refused):
        replay_dead_job(uow, cashier, job_id, ("Sari", "1234"))  # a cashier approving
    with shop.uow() as uow, pytest.raises(Refused):
        replay_dead_job(uow, cashier, job_id, ("Budi", "0000"))  # a wrong PIN
    assert _state(shop, job_id) == ("dead", 8, "bad")
    assert _audits(shop, "job.replay") == []
    with shop.uow() as uow:
        replay_dead_job(uow, cashier, job_id, ("Budi", "5678"))
    assert _state(shop, job_id)[0] == "pending"
    [audit] = _audits(shop, "job.replay")
    assert audit["actor_id"] == cashier.id and audit["approver_id"] == supervisor.id


def test_only_a_dead_job_is_replayed(shop: Shop, supervisor: Actor) -> None:
    job_id = _job(shop, "failed", last_error="502", attempts=2)
    with shop.uow() as uow, pytest.raises(Conflict):
        replay_dead_job(uow, supervisor, job_id)
    with shop.uow() as uow, pytest.raises(NotFound):
        replay_dead_job(uow, supervisor, uuid7())
    assert _state(shop, job_id) == ("failed", 2, "502")


def test_replay_of_an_unresolved_job_asks_before_sending(shop: Shop,
                                                         supervisor: Actor) -> None:
    job_id = _job(shop, "dead", last_error=UNRESOLVED_PREFIX + "gave up: timeout",
                  attempts=8)
    with shop.uow() as uow:
        assert replay_dead_job(uow, supervisor, job_id).state == "unknown"
    assert _audits(shop, "job.replay")[0]["details"]["to"] == "unknown"


@pytest.mark.parametrize("state", ["pending", "failed", "unknown"])
def test_supervisor_discards_a_job(shop: Shop, supervisor: Actor, state: str) -> None:
    job_id = _job(shop, state, last_error=None if state == "pending" else "x", attempts=1)
    with shop.uow() as uow:
        discarded = discard_job(uow, supervisor, job_id)
    assert discarded.state == "dead" and discarded.next_attempt_at is None
    assert discarded.last_error is not None and "discarded by Budi" in discarded.last_error
    # A job whose outcome was unknown keeps saying so: a replay must ask first.
    assert discarded.last_error.startswith(UNRESOLVED_PREFIX) == (state == "unknown")
    [audit] = _audits(shop, "job.discard")
    assert audit["actor_id"] == supervisor.id and audit["approver_id"] == supervisor.id
    assert audit["details"]["from"] == state


def test_discard_needs_a_supervisor_and_an_open_job(shop: Shop, cashier: Actor,
                                                    owner: Actor) -> None:
    job_id = _job(shop)
    with shop.uow() as uow, pytest.raises(Refused):
        discard_job(uow, cashier, job_id)
    assert _state(shop, job_id) == ("pending", 0, None)
    for state in ("succeeded", "dead", "in_flight"):
        other = _job(shop, state)
        with shop.uow() as uow, pytest.raises(Conflict):
            discard_job(uow, owner, other)
    with shop.uow() as uow:
        d = discard_job(uow, cashier, job_id, ("Budi", "5678"))
    assert d.last_error == "discarded by Sari (approved by Budi)"
    assert len(_audits(shop, "job.discard")) == 1


def test_job_list_filters(shop: Shop) -> None:
    a = _job(shop)
    b = _job(shop, "dead", last_error="x")
    c = _job(shop, provider="jne")
    with shop.uow(write=False) as uow:
        assert [r.id for r in job_list(uow.conn)] == [c, b, a]
        assert [r.id for r in job_list(uow.conn, provider="midtrans")] == [b, a]
        assert [r.id for r in job_list(uow.conn, states=("dead",))] == [b]
        assert job_list(uow.conn)[0].payload == {"amount": 15_000}


# -- the commands ------------------------------------------------------------------------


def _cli(shop: Shop, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, Any]:
    code = main(["jobs", *args, "--data-dir", str(shop.folder)])
    out = capsys.readouterr()
    return code, (json.loads(out.out) if out.out.strip() else out.err)


def test_jobs_commands(shop: Shop, capsys: pytest.CaptureFixture[str],
                       monkeypatch: pytest.MonkeyPatch) -> None:
    pending = _job(shop, provider="nowhere")  # a provider no wiring will ever handle
    dead = _job(shop, "dead", last_error="gave up after 8 tries: 503", attempts=8)
    code, status = _cli(shop, capsys, "status")
    assert code == 0
    assert status["nowhere"]["pending"] == 1 and status["midtrans"]["dead"] == 1
    assert status["nowhere"]["breaker"] == "closed"
    # No handler for it: the job waits, it is not harmed.
    code, report = _cli(shop, capsys, "--once")
    assert code == 0
    assert report["nowhere"]["performed"] == 0
    assert report["nowhere"]["missing_handlers"] == ["charge"]
    assert _state(shop, pending) == ("pending", 0, None)
    # PINs come from the environment (or a prompt), never the command line.
    code, err = _cli(shop, capsys, "replay", dead, "--user", "Sari", "--pin", "1234")
    assert code == 2 and "command line" in err
    monkeypatch.setenv("WARUNGIN_PIN", "1234")
    code, err = _cli(shop, capsys, "replay", dead, "--user", "Sari")
    assert code == 3 and "supervisor" in err
    monkeypatch.setenv("WARUNGIN_APPROVER_PIN", "5678")
    code, replayed = _cli(shop, capsys, "replay", dead, "--user", "Sari", "--approver", "Budi")
    assert code == 0 and replayed["state"] == "pending" and replayed["attempts"] == 0
    monkeypatch.setenv("WARUNGIN_PIN", "5678")
    code, discarded = _cli(shop, capsys, "discard", pending, "--user", "Budi")
    assert code == 0 and discarded["last_error"] == "discarded by Budi"
    code, _ = _cli(shop, capsys)
    assert code == 2

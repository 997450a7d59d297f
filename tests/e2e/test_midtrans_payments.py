"""Customer-present payments end to end: the till's service call, the real httpx client, the
Midtrans simulator on 127.0.0.1, the sale, the ledger, refunds and settlement."""

from __future__ import annotations

import json
import logging
import socket
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from tests.helpers import till_checkout as checkout
from app.provider_wiring import provider_handlers
from app.shop import Shop
from services.errors import Refused
from services.payments import ChargeView, RecordedPayments, record_settlement
from services.refunds import refund_sale
from services.sale_input import parse_sale
from services.selling import Approval
from services.users import Actor
from services.verify import verify_database
from sync.jobs.dispatcher import Dispatcher
from sync.simulators.midtrans import MidtransSimulator
from tests.e2e.conftest import SERVER_KEY
from tests.helpers import counts, scalar, trial_balance

# 2 x Indomie (3.500) + 1 Aqua 600 ml (3.500) = 10.500
LINES = [{"sku": "MI-0001", "qty": 2}, {"sku": "M-0016", "qty": 1}]


def sale(method: str, amount: int = 10_500) -> object:
    return parse_sale({"lines": LINES, "payments": [{"method": method, "amount": amount}]})


def pay_when_shown(sim: MidtransSimulator, seen: list[ChargeView]):  # type: ignore[no-untyped-def]
    def show(view: ChargeView) -> None:
        seen.append(view)
        sim.pay(view.attempt.order_id)  # the customer scans and pays
    return show


def job(shop: Shop, order_id: str) -> tuple[str, dict[str, object], str | None]:
    with shop.uow(write=False) as uow:
        row = uow.session.execute(text(
            "SELECT state, result, last_error FROM provider_job WHERE idempotency_key = :o"),
            {"o": order_id}).one()
    return row[0], json.loads(row[1] or "{}"), row[2]


def run_dispatcher(shop: Shop) -> None:
    with provider_handlers(shop) as handlers:
        Dispatcher(shop.db, handlers, base_delay=0.0, max_delay=0.0).run_once()


def expire_lease(shop: Shop, order_id: str) -> None:
    past = (datetime.now(UTC) - timedelta(minutes=5)).isoformat()
    with shop.uow() as uow:
        uow.session.execute(text("UPDATE provider_job SET next_attempt_at = :p "
                                 "WHERE idempotency_key = :o"), {"p": past, "o": order_id})
        uow.commit()


def test_qris_sale_to_settlement(shop: Shop, cashier: Actor, supervisor: Actor,
                                 sim: MidtransSimulator) -> None:
    seen: list[ChargeView] = []
    result = checkout(shop, cashier, sale("qris"), wait=10, poll_seconds=0.01,
                      show=pay_when_shown(sim, seen))
    order_id = seen[0].attempt.order_id
    assert seen[0].qr_string and sim.charges(order_id) == 1
    assert result.payments[0].method == "qris" and result.payable == 10_500
    assert scalar(shop, "SELECT provider_ref FROM payment WHERE sale_id = :s",
                  s=result.id) == order_id
    state, res, _ = job(shop, order_id)
    assert state == "succeeded" and res["final"] == "paid" and res["sale_id"] == result.id
    assert trial_balance(shop)["1-1300"] == 10_500  # Midtrans clearing until the payout
    with shop.uow() as uow:
        settled = record_settlement(uow, supervisor)
    assert [(s.gross, s.fee, s.net) for s in settled] == [(10_500, 74, 10_426)]  # MDR 0.7%
    tb = trial_balance(shop)
    assert tb["1-1300"] == 0 and tb["1-1200"] == 10_426 and tb["6-4000"] == 74
    with shop.uow() as uow:
        assert record_settlement(uow, supervisor) == []  # each payment settles once
    with shop.uow(write=False) as uow:
        assert verify_database(uow.conn).ok


@pytest.mark.parametrize("method,field", [("va_bca", "va_number"), ("va_permata", "va_number"),
                                          ("gopay", "deeplink_url")])
def test_va_and_gopay(shop: Shop, cashier: Actor, sim: MidtransSimulator, method: str,
                      field: str) -> None:
    seen: list[ChargeView] = []
    result = checkout(shop, cashier, sale(method), wait=10, poll_seconds=0.01,
                      show=pay_when_shown(sim, seen))
    assert getattr(seen[0], field), seen[0]
    assert result.payments[0].method == method


def test_expired_payment_leaves_no_sale(shop: Shop, cashier: Actor,
                                        sim: MidtransSimulator) -> None:
    before = counts(shop)
    seen: list[ChargeView] = []

    def expire(view: ChargeView) -> None:
        seen.append(view)
        sim.expire_now(view.attempt.order_id)
    with pytest.raises(Refused) as e:
        checkout(shop, cashier, sale("qris"), wait=10, poll_seconds=0.01, show=expire)
    assert e.value.field == "payments[0]" and "expired" in e.value.message
    assert counts(shop) == before  # no sale, no journal, no revenue
    assert job(shop, seen[0].attempt.order_id)[1]["final"] == "expired"


def test_nobody_pays_the_till_cancels(shop: Shop, cashier: Actor,
                                      sim: MidtransSimulator) -> None:
    seen: list[ChargeView] = []
    with pytest.raises(Refused, match="cancelled"):
        checkout(shop, cashier, sale("qris"), wait=0.2, poll_seconds=0.05, show=seen.append)
    order_id = seen[0].attempt.order_id
    assert sim.transaction(order_id)["transaction_status"] == "cancel"  # type: ignore[index]
    assert job(shop, order_id)[0] == "succeeded"


def test_offline_at_the_moment_of_charge(shop: Shop, cashier: Actor,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("WARUNGIN_MIDTRANS_URL", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("WARUNGIN_MIDTRANS_SERVER_KEY", SERVER_KEY)
    before = counts(shop)
    with pytest.raises(Refused) as e:
        checkout(shop, cashier, sale("qris"), wait=5, poll_seconds=0.01)
    assert "cash" in e.value.message
    assert counts(shop) == before


def test_sale_refused_before_any_charge(shop: Shop, cashier: Actor,
                                       sim: MidtransSimulator) -> None:
    bad = parse_sale({"lines": LINES, "payments": [{"method": "qris", "amount": 9_000}]})
    with pytest.raises(Exception):
        checkout(shop, cashier, bad, wait=5)
    assert sim.all_transactions() == []  # nobody was charged for a sale that cannot complete


def test_qris_refund_goes_through_midtrans(shop: Shop, cashier: Actor,
                                           sim: MidtransSimulator) -> None:
    seen: list[ChargeView] = []
    result = checkout(shop, cashier, sale("qris"), wait=10, poll_seconds=0.01,
                      show=pay_when_shown(sim, seen))
    with shop.uow() as uow:
        r = refund_sale(uow, shop.config, cashier, result.receipt_no, [(1, 1000)], "rusak",
                        Approval("Budi", "5678"))
    assert (r.to_provider, r.cash_paid) == (3_500, 0) and len(r.provider_jobs) == 1
    run_dispatcher(shop)
    tx = sim.transaction(seen[0].attempt.order_id)
    assert tx is not None and tx["transaction_status"] == "partial_refund"
    state, res, _ = job_by_id(shop, r.provider_jobs[0])
    assert state == "succeeded"
    assert trial_balance(shop)["1-1300"] == 10_500 - 3_500
    run_dispatcher(shop)  # nothing left to do: the refund is not sent twice
    tx = sim.transaction(seen[0].attempt.order_id)
    assert tx is not None and tx["refund_amount"] in ("3500.00", 3500)


def job_by_id(shop: Shop, job_id: str) -> tuple[str, dict[str, object], str | None]:
    with shop.uow(write=False) as uow:
        row = uow.session.execute(text(
            "SELECT state, result, last_error FROM provider_job WHERE id = :i"),
            {"i": job_id}).one()
    return row[0], json.loads(row[1] or "{}"), row[2]


def test_va_refund_is_paid_in_cash_with_the_reason(shop: Shop, cashier: Actor,
                                                   sim: MidtransSimulator) -> None:
    result = checkout(shop, cashier, sale("va_bni"), wait=10, poll_seconds=0.01,
                      show=pay_when_shown(sim, []))
    with shop.uow() as uow:
        r = refund_sale(uow, shop.config, cashier, result.receipt_no, [], "batal",
                        Approval("Budi", "5678"))
    assert r.to_provider == 0 and r.cash_paid == 10_500
    details = scalar(shop, "SELECT details FROM audit_log WHERE action = 'sale.refund'")
    assert "VA cannot be refunded" in details


def test_crash_after_payment_is_flagged_not_lost(shop: Shop, cashier: Actor,
                                                 sim: MidtransSimulator) -> None:
    """The customer paid, then the till died before the sale: a person must see it."""
    from app.provider_wiring import midtrans_client
    from sync.payments import TillPayments
    client = midtrans_client(shop)
    till = TillPayments(shop.db, client, poll_seconds=0.01)
    view = till.start(cashier, "qris", 10_500)
    sim.pay(view.attempt.order_id)
    till.wait(view.attempt.order_id, 5)  # paid; the sale never happens (the till "died")
    client.close()
    expire_lease(shop, view.attempt.order_id)
    run_dispatcher(shop)
    state, res, error = job(shop, view.attempt.order_id)
    assert state == "dead" and res["final"] == "paid" and "no sale" in (error or "")


def test_abandoned_pending_charge_is_cancelled_by_the_dispatcher(
        shop: Shop, cashier: Actor, sim: MidtransSimulator) -> None:
    from app.provider_wiring import midtrans_client
    from sync.payments import TillPayments
    client = midtrans_client(shop)
    view = TillPayments(shop.db, client).start(cashier, "qris", 10_500)
    client.close()
    expire_lease(shop, view.attempt.order_id)  # the till closed while the QR was shown
    run_dispatcher(shop)
    assert sim.transaction(view.attempt.order_id)["transaction_status"] == "cancel"  # type: ignore[index]
    assert job(shop, view.attempt.order_id)[1]["final"] == "cancelled"


def test_a_payment_counts_once(shop: Shop, cashier: Actor, sim: MidtransSimulator) -> None:
    seen: list[ChargeView] = []
    result = checkout(shop, cashier, sale("qris"), wait=10, poll_seconds=0.01,
                      show=pay_when_shown(sim, seen))
    order_id = seen[0].attempt.order_id
    again = parse_sale({"lines": LINES, "payments": [
        {"method": "qris", "amount": 10_500, "provider_ref": order_id}]})
    with pytest.raises(Refused, match="not settled"), shop.uow() as uow:
        from services.selling import complete_sale
        complete_sale(uow, shop.config, cashier, again, payments_port=RecordedPayments(uow.conn))
    assert result.id


def test_credentials_never_in_logs_or_database(shop: Shop, cashier: Actor,
                                               sim: MidtransSimulator,
                                               caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    checkout(shop, cashier, sale("qris"), wait=10, poll_seconds=0.01,
             show=pay_when_shown(sim, []))
    with pytest.raises(Refused):
        checkout(shop, cashier, sale("qris"), wait=0.1, poll_seconds=0.05)
    import base64
    basic = base64.b64encode(f"{SERVER_KEY}:".encode()).decode()
    assert SERVER_KEY not in caplog.text and basic not in caplog.text
    shop.db.dispose()
    for path in shop.folder.iterdir():
        if path.is_file():
            data = path.read_bytes()
            assert SERVER_KEY.encode() not in data and basic.encode() not in data, path.name


def test_polling_backs_off_while_midtrans_fails(shop: Shop, cashier: Actor,
                                                sim: MidtransSimulator) -> None:
    from app.provider_wiring import midtrans_client
    from sync.payments import TillPayments
    pauses: list[float] = []
    now = [0.0]

    def sleep(seconds: float) -> None:
        pauses.append(seconds)
        now[0] += seconds
    client = midtrans_client(shop)
    till = TillPayments(shop.db, client, poll_seconds=1.0, sleep=sleep, clock=lambda: now[0])
    view = till.start(cashier, "qris", 10_500)
    sim.set_faults(error_5xx=1.0, apply_to=("status",))
    view = till.wait(view.attempt.order_id, 30)
    client.close()
    assert pauses[:4] == [1.0, 2.0, 4.0, 8.0] and max(pauses) <= 10.0
    assert view.final == "cancelled"  # at the deadline the till cancels (cancel still works)


def test_owner_stores_midtrans_key_in_the_keyring(shop: Shop, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    import io
    import sys

    from app.cli.main import main
    from app.provider_wiring import midtrans_config
    monkeypatch.delenv("WARUNGIN_MIDTRANS_URL", raising=False)
    monkeypatch.delenv("WARUNGIN_MIDTRANS_SERVER_KEY", raising=False)
    monkeypatch.setattr(sys, "stdin", io.StringIO("SB-Mid-server-OWNER-KEY\n"))
    d = ["--data-dir", str(shop.folder)]
    monkeypatch.setenv("WARUNGIN_PIN", "1234")  # PINs never go on the command line
    assert main(["providers", "midtrans", "--sandbox", "--user", "Sari", *d]) == 3  # a cashier
    monkeypatch.setattr(sys, "stdin", io.StringIO("SB-Mid-server-OWNER-KEY\n"))
    monkeypatch.setenv("WARUNGIN_PIN", "9999")
    assert main(["providers", "midtrans", "--sandbox", "--user", "Wati", *d]) == 0
    out = capsys.readouterr().out
    assert "SB-Mid-server-OWNER-KEY" not in out
    cfg = midtrans_config(shop)
    assert cfg.base_url == "https://api.sandbox.midtrans.com"
    assert cfg.server_key == "SB-Mid-server-OWNER-KEY"
    assert "OWNER-KEY" not in repr(cfg)

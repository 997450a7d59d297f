"""Receivables ageing: buckets by due date, payments after the day added back, FIFO, the
due-days setting, and the ageing total equal to 1-1400 in the trial balance."""

from __future__ import annotations

from datetime import date

import pytest

from app.shop import Shop
from local_db.store import write_settings
from services.books.ageing import BUCKETS, bucket_of, receivables_ageing
from services.errors import BadInput
from services.kasbon import repay_kasbon
from services.refunds import refund_sale
from services.selling import Approval
from services.users import Actor
from tests.services.test_books_support import at, customer, raw_kasbon, sell, utc_of


def test_bucket_edges() -> None:
    due = date(2027, 1, 31)
    cases = [(date(2027, 1, 31), 0), (date(2027, 2, 1), 1), (date(2027, 3, 2), 1),
             (date(2027, 3, 3), 2), (date(2027, 4, 1), 2), (date(2027, 4, 2), 3),
             (date(2027, 5, 1), 3), (date(2027, 5, 2), 4), (date(2027, 5, 31), 4),
             (date(2027, 6, 1), 5)]
    assert [bucket_of(d, due) for d, _ in cases] == [b for _, b in cases]
    assert bucket_of(date(2030, 1, 1), None) == 0
    assert BUCKETS == ("current", "1-30", "31-60", "61-90", "91-120", "older")


@pytest.fixture
def owing(shop: Shop, cashier: Actor, supervisor: Actor) -> tuple[str, str]:
    ani = customer(shop, supervisor, "Bu Ani")
    budi = customer(shop, supervisor, "Pak Budi")
    with at(2027, 1, 1):
        sell(shop, cashier, [("M-0016", 1000)], "kasbon", customer_id=ani)  # due 31 Jan
    with at(2027, 2, 15):
        sell(shop, cashier, [("MI-0001", 2000)], "kasbon", customer_id=ani)  # due 17 Mar
    with at(2027, 3, 1):
        sell(shop, cashier, [("MI-0001", 1000)], "kasbon", customer_id=budi)  # due 31 Mar
    with at(2027, 3, 10), shop.uow() as uow:
        repay_kasbon(uow, shop.config, cashier, ani, 2_000)
    return ani, budi


def test_buckets_fifo_and_payments_after_the_day_added_back(
        shop: Shop, owing: tuple[str, str]) -> None:
    ani, budi = owing
    with shop.uow(write=False) as uow:
        m016 = int(uow.conn.exec_driver_sql(
            "SELECT payable FROM sale ORDER BY seq LIMIT 1").scalar() or 0)
        after = receivables_ageing(uow.conn, date(2027, 3, 20))
        before = receivables_ageing(uow.conn, date(2027, 3, 5))
        nothing = receivables_ageing(uow.conn, date(2026, 12, 31))
    rows = {r.customer_id: r for r in after.rows}
    # FIFO: the repayment of 2.000 went to the oldest sale (not spread over both).
    assert rows[ani].buckets == (0, 7_000, m016 - 2_000, 0, 0, 0)
    assert rows[budi].buckets == (3_500, 0, 0, 0, 0, 0)
    assert rows[ani].oldest_due == date(2027, 1, 31)
    assert after.total == after.receivables == m016 + 7_000 + 3_500 - 2_000
    # As of 5 March the repayment (10 March) is added back.
    rows = {r.customer_id: r for r in before.rows}
    assert rows[ani].buckets == (7_000, 0, m016, 0, 0, 0)
    assert before.total == before.receivables == m016 + 7_000 + 3_500
    assert (nothing.total, nothing.receivables, nothing.rows) == (0, 0, ())
    table = after.report().tables[0]
    assert table.totals is not None and table.totals[7] == after.total


def test_due_days_setting_and_refunds_to_kasbon(shop: Shop, cashier: Actor,
                                                owing: tuple[str, str]) -> None:
    with shop.uow() as uow:
        write_settings(uow.conn, {"invoice.due_days": "7"})
        uow.commit()
    with shop.uow(write=False) as uow:
        a = receivables_ageing(uow.conn, date(2027, 3, 20))
    assert a.due_days == 7
    budi = {r.customer_id: r for r in a.rows}[owing[1]]
    assert budi.buckets == (0, 3_500, 0, 0, 0, 0)  # due 8 March, 12 days late
    # A refund taken off kasbon lowers what is owed, FIFO like a repayment.
    with at(2027, 3, 21), shop.uow() as uow:
        receipt = str(uow.conn.exec_driver_sql(
            "SELECT receipt_no FROM sale ORDER BY seq DESC LIMIT 1").scalar())
        refund_sale(uow, shop.config, cashier, receipt, [], "batal", Approval("Budi", "5678"))
    with shop.uow(write=False) as uow:
        a = receivables_ageing(uow.conn, date(2027, 3, 21))
    assert owing[1] not in {r.customer_id for r in a.rows}
    assert a.total == a.receivables == raw_kasbon(shop, utc_of(date(2027, 3, 22)))
    with shop.uow() as uow:
        write_settings(uow.conn, {"invoice.due_days": "tiga puluh"})
        uow.commit()
    with shop.uow(write=False) as uow, pytest.raises(BadInput) as err:
        receivables_ageing(uow.conn, date(2027, 3, 20))
    assert err.value.field == "invoice.due_days"

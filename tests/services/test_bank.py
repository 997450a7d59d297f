"""services.bank: the shop's money moving between its own accounts (safe, bank, card
clearing) — one balanced entry, never income or expense, the owner's act, audited, sent to
central with its journal entry."""

from __future__ import annotations

import json

import pytest

from app.shop import Shop
from local_db.models import AuditRecord, OutboxEvent
from services import accounts as acc
from services.bank import balance, move_money
from services.errors import BadInput, Refused
from services.users import Actor


def fund_safe(shop: Shop, amount: int) -> None:
    """Cash into the safe from the owner's capital (a real use case's journal entry)."""
    from local_db.store import post_journal
    with shop.uow() as uow:
        post_journal(uow.conn, kind="capital", ref_id=None, memo="modal awal",
                     lines=[(acc.CASH_SAFE, amount, 0), (acc.OWNER_CAPITAL, 0, amount)])
        uow.commit()


def test_a_deposit_moves_the_safe_to_the_bank_and_says_so(shop: Shop, owner: Actor) -> None:
    fund_safe(shop, 5_000_000)
    with shop.uow(write=False) as uow:
        safe, bank = balance(uow.conn, acc.CASH_SAFE), balance(uow.conn, acc.BANK)
    with shop.uow() as uow:
        t = move_money(uow, owner, "deposit", 3_000_000, note="setoran Senin")
    with shop.uow(write=False) as uow:
        assert balance(uow.conn, acc.CASH_SAFE) == safe - 3_000_000
        assert balance(uow.conn, acc.BANK) == bank + 3_000_000
        # The demo's own opening of the safe (app.demo_books.open_the_safe) moved money too.
        event = uow.conn.execute(OutboxEvent.__table__.select().where(
            OutboxEvent.type == "cash.transferred", OutboxEvent.aggregate_id == t.id)).one()
        audited = uow.conn.execute(AuditRecord.__table__.select().where(
            AuditRecord.action == "cash.transfer", AuditRecord.entity_id == t.id)).one()
        before = balance(uow.conn, acc.BANK, as_of="2000-01-01T00:00:00.000000+00:00")
    assert json.loads(event.payload)["journal_entry_id"] == t.journal_entry_id
    assert audited.entity_id == t.id and before == 0


def test_an_edc_settlement_books_the_banks_fee(shop: Shop, owner: Actor) -> None:
    from local_db.store import post_journal
    with shop.uow() as uow:  # card takings waiting at the bank
        post_journal(uow.conn, kind="sale", ref_id=None, memo="kartu",
                     lines=[(acc.EDC_CLEARING, 100_000, 0), (acc.REVENUE, 0, 100_000)])
        uow.commit()
    with shop.uow() as uow:
        move_money(uow, owner, "edc_settlement", 100_000, fee=1_000)
    with shop.uow(write=False) as uow:
        assert balance(uow.conn, acc.EDC_CLEARING) == 0
        assert balance(uow.conn, acc.PAYMENT_FEES) >= 1_000


@pytest.mark.parametrize("kind, amount, fee, field", [
    ("transfer", 1_000, 0, "kind"), ("deposit", 0, 0, "amount"), ("deposit", -5, 0, "amount"),
    ("deposit", 1_000, 10, "fee"), ("edc_settlement", 1_000, 1_000, "fee"),
])
def test_bad_input_names_the_field_and_writes_nothing(shop: Shop, owner: Actor, kind: str,
                                                      amount: int, fee: int,
                                                      field: str) -> None:
    with shop.uow() as uow, pytest.raises(BadInput) as err:
        move_money(uow, owner, kind, amount, fee=fee)
    assert err.value.field == field
    with shop.uow(write=False) as uow:
        assert balance(uow.conn, acc.BANK) == 0


def test_more_than_the_safe_holds_and_a_cashier_are_refused(shop: Shop, owner: Actor,
                                                           cashier: Actor) -> None:
    fund_safe(shop, 1_000)
    with shop.uow(write=False) as uow:
        held = balance(uow.conn, acc.CASH_SAFE)
    with shop.uow() as uow, pytest.raises(Refused) as err:
        move_money(uow, owner, "deposit", held + 1_000)
    assert err.value.field == "amount"
    with shop.uow() as uow, pytest.raises(Refused):
        move_money(uow, cashier, "deposit", 500)
    with shop.uow(write=False) as uow:
        assert balance(uow.conn, acc.BANK) == 0

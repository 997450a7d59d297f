"""Customers on real SQLite files: encryption at rest, blind-index lookup, erasure, rotation."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from app.secrets import cipher_for, load_data_key, rotate_data_key, secret_store_for
from app.shop import Shop
from services.crypto import DecryptionFailed, FieldCipher
from services.customers import (
    KEEP,
    CustomerView,
    create_customer,
    erase_customer,
    find_by_phone,
    get_customer,
    rotate_keys,
    search_customers,
    update_customer,
)
from services.errors import BadInput, Conflict, Refused
from services.kasbon import repay_kasbon
from services.selling import LineRequest, PaymentRequest, SaleRequest, complete_sale
from services.users import Actor
from tests.helpers import counts, scalar, trial_balance

# Obviously fake numbers (+62 812-0000-xxxx) and names.
PHONE_LOCAL = "0812-0000-1234"
PHONE_E164 = "+6281200001234"
PHONE_FORMS = ["+6281200001234", "6281200001234", "081200001234", "0812-0000-1234",
               "0812 0000 1234", "81200001234"]


def add(shop: Shop, actor: Actor, name: str = "Ibu Contoh", **kw: object) -> CustomerView:
    cipher = cipher_for(shop)  # outside the unit of work: it may write the first key's id
    with shop.uow() as uow:
        return create_customer(uow, cipher, actor, name=name, **kw)  # type: ignore[arg-type]


def find(shop: Shop, phone: str) -> CustomerView | None:
    cipher = cipher_for(shop)
    with shop.uow(write=False) as uow:
        return find_by_phone(uow, cipher, phone)


def get(shop: Shop, customer_id: str) -> CustomerView:
    cipher = cipher_for(shop)
    with shop.uow(write=False) as uow:
        return get_customer(uow, cipher, customer_id)


def outbox(shop: Shop, event_type: str) -> list[dict[str, object]]:
    with shop.uow(write=False) as uow:
        rows = uow.session.execute(
            text("SELECT payload FROM outbox WHERE type = :t ORDER BY seq"),
            {"t": event_type}).all()
    return [json.loads(r[0]) for r in rows]


def raw_files(folder: Path) -> dict[str, bytes]:
    out = {}
    for name in ("warungin.db", "warungin.db-wal"):
        path = folder / name
        out[name] = path.read_bytes() if path.exists() else b""
    return out


def checkpoint(folder: Path) -> None:
    conn = sqlite3.connect(folder / "warungin.db")
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def test_create_normalises_and_encrypts(shop: Shop, cashier: Actor) -> None:
    view = add(shop, cashier, name="  Ibu   Contoh ", phone=PHONE_LOCAL,
               email="Ibu.Contoh@Example.COM", address="Jl. Contoh No. 1", consent_marketing=True)
    assert view.name == "Ibu Contoh"
    assert view.phone == PHONE_E164
    assert view.email == "Ibu.Contoh@example.com"
    assert view.consent_marketing is True and view.credit_limit == 0
    with pytest.raises(AttributeError):
        view.name = "x"  # type: ignore[misc]  # frozen across layers
    with shop.uow(write=False) as uow:
        row = uow.session.execute(text(
            "SELECT phone_enc, email_enc, address_enc, key_id, phone_index FROM customer "
            "WHERE id = :i"), {"i": view.id}).one()
    for token in row[:3]:
        assert token.startswith(f"v1:{row[3]}:")
    assert PHONE_E164 not in "".join(row[:3]) and "Contoh" not in row[2]
    assert len(row[4]) == 64
    assert get(shop, view.id) == view


def test_phone_examples() -> None:
    from services.customers import normalise_phone
    assert normalise_phone("0812-3456-7890") == "+6281234567890"
    assert normalise_phone("+62 812-0000-1234") == PHONE_E164
    assert normalise_phone("6281200001234") == PHONE_E164


@pytest.mark.parametrize("field,kw", [
    ("phone", {"phone": "12345"}), ("phone", {"phone": "not a number"}),
    ("email", {"email": "no-at-sign"}), ("email", {"email": "a@b"}),
    ("name", {"name": "   "}), ("credit_limit", {"credit_limit": -1}),
])
def test_bad_input_names_the_field_and_writes_nothing(shop: Shop, supervisor: Actor,
                                                       field: str, kw: dict[str, object]) -> None:
    before = counts(shop)
    args: dict[str, object] = {"name": "Ibu Contoh", **kw}
    with pytest.raises(BadInput) as err:
        add(shop, supervisor, **args)  # type: ignore[arg-type]
    assert err.value.field == field
    assert counts(shop) == before
    assert scalar(shop, "SELECT COUNT(*) FROM customer") == 0


def test_credit_limit_needs_a_supervisor(shop: Shop, cashier: Actor, supervisor: Actor) -> None:
    with pytest.raises(Refused):
        add(shop, cashier, credit_limit=50_000)
    view = add(shop, supervisor, credit_limit=50_000)
    assert view.credit_limit == 50_000
    assert scalar(shop, "SELECT COUNT(*) FROM audit_log WHERE action = 'customer.credit_limit'"
                  " AND entity_id = :i", i=view.id) == 1
    cipher = cipher_for(shop)
    with shop.uow() as uow, pytest.raises(Refused):
        update_customer(uow, cipher, cashier, view.id, credit_limit=90_000)
    with shop.uow() as uow:  # lowering to zero is always allowed
        assert update_customer(uow, cipher, cashier, view.id,
                               credit_limit=0).credit_limit == 0


def test_outbox_carries_only_ciphertexts(shop: Shop, cashier: Actor) -> None:
    view = add(shop, cashier, name="Ibu Contoh", phone=PHONE_LOCAL, email="ibu@contoh.id",
               address="Jl. Contoh No. 1")
    [event] = outbox(shop, "customer.upserted")
    text = json.dumps(event)
    for secret in ("Ibu Contoh", PHONE_E164, "081200001234", "ibu@contoh.id", "Jl. Contoh"):
        assert secret not in text
    assert set(event) >= {"id", "name_enc", "phone_enc", "phone_index", "email_enc",
                          "address_enc", "key_id", "consent_marketing", "credit_limit"}
    cipher = cipher_for(shop)
    assert cipher.decrypt(str(event["name_enc"]), record_id=view.id, field="name") == "Ibu Contoh"
    assert cipher.decrypt(str(event["phone_enc"]), record_id=view.id,
                          field="phone") == PHONE_E164


def test_database_files_never_hold_the_phone_in_clear(shop: Shop, cashier: Actor) -> None:
    view = add(shop, cashier, phone=PHONE_LOCAL, email="ibu@contoh.id")
    cipher = cipher_for(shop)
    with shop.uow() as uow:
        update_customer(uow, cipher, cashier, view.id, address="Jl. Contoh No. 2")
    assert find(shop, PHONE_LOCAL) is not None

    def check() -> None:
        for name, data in raw_files(shop.folder).items():
            for form in PHONE_FORMS:
                assert form.encode() not in data, (name, form)
                assert form.encode("utf-16-le") not in data, (name, form)
            assert b"ibu@contoh.id" not in data, name

    files = raw_files(shop.folder)
    assert files["warungin.db-wal"], "expected the write to sit in the WAL before a checkpoint"
    check()
    shop.close()  # let go of the engines so that the checkpoint can truncate the WAL
    checkpoint(shop.folder)
    assert raw_files(shop.folder)["warungin.db-wal"] == b""
    check()


def test_find_by_phone_uses_the_blind_index(shop: Shop, cashier: Actor,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    for n in range(5):
        add(shop, cashier, name=f"Pelanggan {n}", phone=f"0812-0000-100{n}",
            email=f"p{n}@contoh.id", address=f"Jl. Contoh {n}")
    target = add(shop, cashier, name="Ibu Contoh", phone=PHONE_LOCAL)
    cipher = cipher_for(shop)
    calls: list[str] = []
    original = FieldCipher.decrypt

    def counting(self: FieldCipher, token: str, *, record_id: str, field: str) -> str:
        calls.append(record_id)
        return original(self, token, record_id=record_id, field=field)

    monkeypatch.setattr(FieldCipher, "decrypt", counting)
    for form in PHONE_FORMS[:4]:
        calls.clear()
        with shop.uow(write=False) as uow:
            found = find_by_phone(uow, cipher, form)
        assert found is not None and found.id == target.id
        assert set(calls) == {target.id}  # only the match is decrypted: no scan
    with shop.uow(write=False) as uow:
        assert find_by_phone(uow, cipher, "0812-0000-9999") is None


def test_same_phone_twice_is_a_conflict(shop: Shop, cashier: Actor) -> None:
    add(shop, cashier, phone=PHONE_LOCAL)
    with pytest.raises(Conflict) as err:
        add(shop, cashier, name="Orang Lain", phone="+62 812 0000 1234")
    assert err.value.field == "phone"


def test_search_by_name(shop: Shop, cashier: Actor) -> None:
    a = add(shop, cashier, name="Ibu Contoh Satu", phone=PHONE_LOCAL)
    add(shop, cashier, name="Pak Uji")
    add(shop, cashier, name="100% Diskon_Test")
    with shop.uow(write=False) as uow:
        hits = search_customers(uow, "contoh")
        assert [h.id for h in hits] == [a.id] and hits[0].has_phone
        assert [h.name for h in search_customers(uow, "satu IBU")] == ["Ibu Contoh Satu"]
        assert [h.name for h in search_customers(uow, "%")] == ["100% Diskon_Test"]
        assert search_customers(uow, "_T") != ()
        with pytest.raises(BadInput):
            search_customers(uow, "  ")


def test_update_changes_fields_and_index(shop: Shop, cashier: Actor) -> None:
    view = add(shop, cashier, phone=PHONE_LOCAL, email="ibu@contoh.id")
    cipher = cipher_for(shop)
    with shop.uow() as uow:
        new = update_customer(uow, cipher, cashier, view.id, phone="0812-0000-4321",
                              email=None, name=KEEP)
    assert new.phone == "+6281200004321" and new.email is None and new.name == view.name
    assert find(shop, PHONE_LOCAL) is None
    assert find(shop, "0812-0000-4321") == get(shop, view.id)
    assert len(outbox(shop, "customer.upserted")) == 2


def test_erase_anonymises_and_keeps_sales(shop: Shop, cashier: Actor, supervisor: Actor,
                                          owner: Actor) -> None:
    view = add(shop, supervisor, name="Ibu Contoh Dihapus-nanti", phone=PHONE_LOCAL,
               email="ibu@contoh.id", address="Jl. Contoh", credit_limit=100_000)
    req = SaleRequest((LineRequest("MI-0001", 2000),), (PaymentRequest("cash", 20_000),),
                      customer_id=view.id)
    with shop.uow() as uow:
        sale = complete_sale(uow, shop.config, cashier, req)
    tb_before = trial_balance(shop)
    for who in (cashier, supervisor):
        with shop.uow() as uow, pytest.raises(Refused):
            erase_customer(uow, who, view.id)
    with shop.uow() as uow:
        done = erase_customer(uow, owner, view.id)
    after = get(shop, view.id)
    assert after.name == "Dihapus" and after.erased_at == done.erased_at
    assert (after.phone, after.email, after.address, after.consent_marketing,
            after.credit_limit) == (None, None, None, False, 0)
    assert scalar(shop, "SELECT phone_index IS NULL AND key_id IS NULL FROM customer "
                        "WHERE id = :i", i=view.id) == 1
    assert find(shop, PHONE_LOCAL) is None
    # Sales and their totals are untouched; the ledger did not move.
    assert scalar(shop, "SELECT payable FROM sale WHERE id = :i", i=sale.id) == sale.payable
    assert scalar(shop, "SELECT customer_id FROM sale WHERE id = :i", i=sale.id) == view.id
    assert trial_balance(shop) == tb_before
    details = scalar(shop, "SELECT details FROM audit_log WHERE action = 'customer.erase' "
                           "AND entity_id = :i", i=view.id)
    assert details is not None and "Contoh" not in details
    assert outbox(shop, "customer.erased") == [{"id": view.id, "erased_at": done.erased_at}]
    with shop.uow() as uow, pytest.raises(Conflict):
        erase_customer(uow, owner, view.id)
    cipher = cipher_for(shop)
    with shop.uow() as uow, pytest.raises(Conflict):
        update_customer(uow, cipher, owner, view.id, name="Lagi")
    # The clear name does not linger in the database file once checkpointed.
    shop.close()
    checkpoint(shop.folder)
    for data in raw_files(shop.folder).values():
        assert b"Dihapus-nanti" not in data


def test_erase_with_outstanding_kasbon_needs_intent(shop: Shop, cashier: Actor,
                                                    supervisor: Actor, owner: Actor) -> None:
    view = add(shop, supervisor, credit_limit=100_000)
    req = SaleRequest((LineRequest("MI-0001", 1000),), (PaymentRequest("kasbon", 3_500),),
                      customer_id=view.id)
    with shop.uow() as uow:
        complete_sale(uow, shop.config, cashier, req)
    with shop.uow() as uow, pytest.raises(Conflict, match="owes"):
        erase_customer(uow, owner, view.id)
    with shop.uow() as uow:
        repay_kasbon(uow, shop.config, cashier, view.id, 1_000)
    with shop.uow() as uow:
        erase_customer(uow, owner, view.id, allow_outstanding_kasbon=True)
    assert get(shop, view.id).erased_at is not None


def test_rotation_reencrypts_everything_and_lookup_still_works(shop: Shop, cashier: Actor,
                                                               owner: Actor) -> None:
    a = add(shop, cashier, name="Ibu Contoh", phone=PHONE_LOCAL, email="ibu@contoh.id",
            address="Jl. Contoh")
    b = add(shop, cashier, name="Pak Uji", phone="0812-0000-5678")
    gone = add(shop, cashier, name="Sudah Pergi", phone="0812-0000-9012")
    with shop.uow() as uow:
        erase_customer(uow, owner, gone.id)
    store = secret_store_for(shop)
    old = cipher_for(shop)
    old_index = scalar(shop, "SELECT phone_index FROM customer WHERE id = :i", i=a.id)

    with pytest.raises(Refused):
        rotate_data_key(shop, cashier)
    result = rotate_data_key(shop, owner)

    assert result.previous_key_ids == (old.active_key_id,)
    assert result.customers_reencrypted == 2
    assert result.removed_key_ids == (old.active_key_id,)
    assert scalar(shop, "SELECT value FROM setting WHERE key = 'data_key_id'") == result.new_key_id
    assert scalar(shop, "SELECT COUNT(*) FROM customer WHERE erased_at IS NULL AND key_id = :k",
                  k=result.new_key_id) == 2
    assert scalar(shop, "SELECT COUNT(*) FROM customer WHERE phone_enc NOT LIKE :p",
                  p=f"v1:{result.new_key_id}:%") == 0
    assert scalar(shop, "SELECT phone_index FROM customer WHERE id = :i", i=a.id) != old_index
    assert find(shop, PHONE_LOCAL) == get(shop, a.id)
    assert find(shop, "+62 812-0000-5678") == get(shop, b.id)
    assert get(shop, a.id).address == "Jl. Contoh"
    with pytest.raises(Exception, match="missing"):  # the old key was removed after commit
        load_data_key(store, old.active_key_id)
    assert scalar(shop, "SELECT COUNT(*) FROM audit_log WHERE action = 'keys.rotate'") == 1
    # A cipher made before the rotation may not write any more (its key is gone).
    with shop.uow() as uow, pytest.raises(Conflict):
        create_customer(uow, old, cashier, name="Terlambat", phone="0812-0000-3333")


def test_rotation_can_keep_the_old_key(shop: Shop, cashier: Actor, owner: Actor) -> None:
    add(shop, cashier, phone=PHONE_LOCAL)
    old = cipher_for(shop).active_key_id
    result = rotate_data_key(shop, owner, remove_old=False)
    assert result.removed_key_ids == ()
    assert len(load_data_key(secret_store_for(shop), old)) == 32


def test_failed_rotation_changes_nothing(shop: Shop, cashier: Actor, owner: Actor) -> None:
    a = add(shop, cashier, name="Ibu Contoh", phone=PHONE_LOCAL)
    b = add(shop, cashier, name="Pak Uji", phone="0812-0000-5678")
    old = cipher_for(shop)
    # Someone copies a's phone ciphertext into b's row: it must not decrypt as b's phone.
    with shop.uow() as uow:
        uow.session.execute(text(
            "UPDATE customer SET phone_enc = (SELECT phone_enc FROM customer WHERE id = :a) "
            "WHERE id = :b"), {"a": a.id, "b": b.id})
        uow.commit()
    with pytest.raises(DecryptionFailed):
        get(shop, b.id)
    before = counts(shop)
    with pytest.raises(DecryptionFailed):
        rotate_data_key(shop, owner)
    assert counts(shop) == before
    assert scalar(shop, "SELECT value FROM setting WHERE key = 'data_key_id'") == old.active_key_id
    assert find(shop, PHONE_LOCAL) == get(shop, a.id)  # old key still there and active


def test_rotate_keys_use_case_needs_the_owner(shop: Shop, supervisor: Actor) -> None:
    cipher = cipher_for(shop)
    with shop.uow() as uow, pytest.raises(Refused):
        rotate_keys(uow, supervisor, cipher)

"""The secret store: OS keyring or a clear refusal; the labelled file only for a demo shop."""

from __future__ import annotations

import base64
import json
import stat
from collections.abc import Iterator

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null
from keyring.errors import KeyringLocked

from app.secrets import (
    DEMO_SECRETS_FILE,
    SERVICE_NAME,
    DemoFileSecretStore,
    KeyringSecretStore,
    MissingDataKey,
    NoSecureKeyring,
    NotADemoShop,
    active_key_id,
    cipher_for,
    ensure_data_key,
    load_data_key,
    secret_store_for,
)
from app.shop import Shop
from local_db.store import write_settings
from tests.conftest import MemoryKeyring

FIX_WORDS = ("gnome-keyring", "KWallet", "Credential Manager", "Keychain",
             "PYTHON_KEYRING_BACKEND", "never stores it in plain text")


@pytest.fixture
def real_shop(shop: Shop) -> Iterator[Shop]:
    """The demo copy turned into a real (non-demo) shop."""
    with shop.uow() as uow:
        write_settings(uow.conn, {"shop_mode": "shop"})
        uow.commit()
    shop.reload()
    assert not shop.config.demo
    yield shop


def assert_plain_refusal(exc: NoSecureKeyring) -> None:
    message = str(exc)
    assert message.startswith("No secure keyring is available")
    for word in FIX_WORDS:
        assert word in message


def no_files_or_settings(shop: Shop) -> None:
    assert not (shop.folder / DEMO_SECRETS_FILE).exists()
    assert active_key_id(shop) is None


def test_fail_keyring_is_refused_plainly(real_shop: Shop) -> None:
    keyring.set_keyring(fail.Keyring())  # what keyring picks when it finds no backend
    with pytest.raises(NoSecureKeyring) as err:
        cipher_for(real_shop)
    assert_plain_refusal(err.value)
    no_files_or_settings(real_shop)  # no plaintext fallback, nothing half-made


def test_empty_chainer_and_null_keyring_are_refused(real_shop: Shop,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [])
    keyring.set_keyring(chainer.ChainerBackend())
    with pytest.raises(NoSecureKeyring, match="no backend"):
        cipher_for(real_shop)
    keyring.set_keyring(null.Keyring())
    with pytest.raises(NoSecureKeyring, match="null"):
        cipher_for(real_shop)
    no_files_or_settings(real_shop)


class LockedKeyring(KeyringBackend):
    priority = 1

    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringLocked("the collection is locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringLocked(f"locked while storing {password}")

    def delete_password(self, service: str, username: str) -> None:
        raise KeyringLocked("the collection is locked")


class ForgetfulKeyring(MemoryKeyring):
    def set_password(self, service: str, username: str, password: str) -> None:
        pass  # accepts and forgets


def test_a_raising_or_forgetful_backend_is_refused(real_shop: Shop) -> None:
    keyring.set_keyring(LockedKeyring())
    with pytest.raises(NoSecureKeyring) as err:
        cipher_for(real_shop)
    assert_plain_refusal(err.value)
    assert "KeyringLocked" in str(err.value)
    store = KeyringSecretStore("terminal")
    with pytest.raises(NoSecureKeyring) as err:
        store.set("x", "SECRET-VALUE-123")
    assert "SECRET-VALUE-123" not in str(err.value)  # a backend's echo never reaches us
    keyring.set_keyring(ForgetfulKeyring())
    with pytest.raises(NoSecureKeyring, match="did not keep"):
        cipher_for(real_shop)
    no_files_or_settings(real_shop)


def test_a_real_shop_keeps_its_key_in_the_keyring(real_shop: Shop,
                                                  memory_keyring: MemoryKeyring) -> None:
    store = secret_store_for(real_shop)
    assert isinstance(store, KeyringSecretStore)
    cipher = cipher_for(real_shop)
    key_id = cipher.active_key_id
    assert active_key_id(real_shop) == key_id  # only the id is in SQLite
    terminal = real_shop.config.terminal_id
    assert list(memory_keyring.store) == [(SERVICE_NAME, f"{terminal}/data-key/{key_id}")]
    key = load_data_key(store, key_id)
    assert len(key) == 32
    assert not (real_shop.folder / DEMO_SECRETS_FILE).exists()
    assert not any("secret" in p.name.lower() for p in real_shop.folder.iterdir())
    # The key never reaches the database files.
    for path in real_shop.folder.glob("warungin.db*"):
        data = path.read_bytes()
        assert key not in data
        assert base64.b64encode(key) not in data and key.hex().encode() not in data
    assert ensure_data_key(real_shop) == key_id  # idempotent
    assert cipher_for(real_shop).active_key_id == key_id


def test_a_lost_key_is_never_silently_replaced(real_shop: Shop,
                                               memory_keyring: MemoryKeyring) -> None:
    key_id = cipher_for(real_shop).active_key_id
    memory_keyring.store.clear()
    with pytest.raises(MissingDataKey, match=key_id):
        cipher_for(real_shop)
    assert active_key_id(real_shop) == key_id
    assert memory_keyring.store == {}


def test_a_demo_shop_uses_the_labelled_file(shop: Shop, memory_keyring: MemoryKeyring) -> None:
    keyring.set_keyring(fail.Keyring())  # a demo works on a machine without any keyring
    store = secret_store_for(shop)
    assert isinstance(store, DemoFileSecretStore)
    cipher = cipher_for(shop)
    path = shop.folder / DEMO_SECRETS_FILE
    data = json.loads(path.read_text("utf-8"))
    assert "DEMO ONLY" in data["_comment"] and "throwaway" in data["_comment"].lower()
    assert list(data["secrets"]) == [f"data-key/{cipher.active_key_id}"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert memory_keyring.store == {}
    assert cipher_for(shop).active_key_id == cipher.active_key_id


def test_the_file_store_refuses_a_real_shop(real_shop: Shop) -> None:
    with pytest.raises(NotADemoShop):
        DemoFileSecretStore(real_shop.folder, real_shop.config)


def test_switching_a_demo_to_real_does_not_read_the_demo_file(shop: Shop) -> None:
    cipher_for(shop)  # the demo's key in its file
    with shop.uow() as uow:
        write_settings(uow.conn, {"shop_mode": "shop"})
        uow.commit()
    shop.reload()
    keyring.set_keyring(fail.Keyring())
    with pytest.raises(NoSecureKeyring):
        cipher_for(shop)

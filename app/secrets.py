"""Secrets of the terminal: the customer data key now, provider and central credentials later.

Secrets live in the OS keyring (``keyring``): Windows Credential Manager, macOS Keychain, or a
Secret Service (GNOME Keyring, KWallet) on Linux. If no usable keyring exists we say so and
how to fix it, and stop: there is no silent plaintext fallback (ARCHITECTURE.md, Security).

The one exception is a demo shop (setting ``shop_mode=demo``): its throwaway key sits in a
file whose name says what it is, inside the demo's own data folder, so that a newcomer's
first run works on a machine with no keyring (a headless server, CI).

Only key *ids* ever reach SQLite (setting ``data_key_id``, column ``customer.key_id``); the
key bytes go to the secret store and nowhere else, not even to the log.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import keyring
import keyring.backend
from keyring.backends import chainer, fail
from sqlalchemy import select

from app.shop import Shop
from local_db.models import Setting
from services.credentials import SecretStore as SecretStore  # the port, re-exported
from services.credentials import SecretStoreUnavailable
from services.crypto import FieldCipher, check_key_id, new_key_id, new_key_material
from services.customers import DATA_KEY_SETTING, key_ids_in_use, rotate_keys
from services.shop import ShopConfig
from services.users import Actor, require

SERVICE_NAME = "warungin"
DEMO_SECRETS_FILE = "DEMO-ONLY-INSECURE-secrets.json"
DATA_KEY_PREFIX = "data-key/"

NO_KEYRING_HELP = (
    "No secure keyring is available on this computer, so Warungin cannot keep the secret "
    "key that protects customers' phone numbers, emails and addresses. Warungin never stores "
    "it in plain text instead. To fix this: on Linux, install and unlock a Secret Service "
    "keyring such as GNOME Keyring (gnome-keyring) or KWallet and run Warungin inside that "
    "desktop session; on Windows (Credential Manager) and macOS (Keychain) the keyring works "
    "out of the box; or choose a keyring backend explicitly with the PYTHON_KEYRING_BACKEND "
    "environment variable. (A throwaway demo shop made by 'warungin demo' needs no keyring.)"
)


class SecretsUnavailable(SecretStoreUnavailable):
    """An environment fault: the secrets this terminal needs cannot be reached."""


class NoSecureKeyring(SecretsUnavailable):
    def __init__(self, reason: str) -> None:
        super().__init__(f"{NO_KEYRING_HELP} Cause: {reason}.")
        self.reason = reason


class MissingDataKey(SecretsUnavailable):
    def __init__(self, key_id: str, where: str) -> None:
        super().__init__(
            f"the data key {key_id} is missing from {where}, so customer personal data cannot "
            "be read. Restore the keyring (or the demo secrets file) that holds it. Warungin "
            "will not make a new key over data encrypted with the lost one.")
        self.key_id = key_id


class NotADemoShop(SecretsUnavailable):
    pass


# --- the OS keyring -----------------------------------------------------------------------

def _insecure(backend: keyring.backend.KeyringBackend) -> bool:
    # keyrings.alt's PlaintextKeyring writes secrets to a plain file: that is the fallback
    # we promise never to make.
    return type(backend).__name__ == "PlaintextKeyring"


def usable_keyring() -> keyring.backend.KeyringBackend:
    """The active keyring backend, or NoSecureKeyring saying why there is none."""
    backend = keyring.get_keyring()
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    if isinstance(backend, fail.Keyring):
        raise NoSecureKeyring(f"keyring found no backend ({name})")
    if type(backend).__module__ == "keyring.backends.null":
        raise NoSecureKeyring(f"the keyring backend is the null keyring, which stores nothing "
                              f"({name})")
    if isinstance(backend, chainer.ChainerBackend):
        chained = list(backend.backends)
        if not chained:
            raise NoSecureKeyring("keyring found no backend to chain")
        if _insecure(chained[0]):
            raise NoSecureKeyring(f"the first keyring backend stores secrets in plain text "
                                  f"({type(chained[0]).__name__})")
    if _insecure(backend):
        raise NoSecureKeyring(f"the keyring backend stores secrets in plain text ({name})")
    return backend


class KeyringSecretStore:
    """Secrets in the OS keyring, service "warungin", names namespaced by terminal id (two
    shops on one computer, or a restored copy of another terminal, never share a key)."""

    def __init__(self, terminal_id: str) -> None:
        self.terminal_id = terminal_id

    def _user(self, name: str) -> str:
        return f"{self.terminal_id}/{name}"

    def get(self, name: str) -> str | None:
        backend = usable_keyring()
        try:
            return backend.get_password(SERVICE_NAME, self._user(name))
        except Exception as exc:  # locked, no D-Bus session, backend bug: all "no keyring"
            raise NoSecureKeyring(f"reading from the keyring failed: "
                                  f"{type(exc).__name__}: {exc}") from exc

    def set(self, name: str, value: str) -> None:
        backend = usable_keyring()
        try:
            backend.set_password(SERVICE_NAME, self._user(name), value)
        except Exception as exc:
            # Only the exception's type: its text might echo what was being stored.
            raise NoSecureKeyring(f"writing to the keyring failed ({type(exc).__name__})"
                                  ) from None
        # A backend that accepts and forgets (or a broken chain) would lose the key silently.
        if self.get(name) != value:
            raise NoSecureKeyring("the keyring did not keep a secret written to it")

    def delete(self, name: str) -> None:
        backend = usable_keyring()
        try:
            if backend.get_password(SERVICE_NAME, self._user(name)) is not None:
                backend.delete_password(SERVICE_NAME, self._user(name))
        except Exception as exc:
            raise NoSecureKeyring(f"deleting from the keyring failed: "
                                  f"{type(exc).__name__}: {exc}") from exc


# --- the demo shop's labelled file --------------------------------------------------------

DEMO_COMMENT = (
    "DEMO ONLY - INSECURE. Throwaway key of the Warungin demo shop in this folder, kept in "
    "plain text so the demo runs on a computer without a keyring. Never use it for a real "
    "shop: a real shop keeps its keys in the OS keyring. Delete this folder to forget it."
)


class DemoFileSecretStore:
    """Plain-text secrets for a demo shop only, in a file that says so."""

    def __init__(self, folder: Path, config: ShopConfig) -> None:
        if not config.demo:
            raise NotADemoShop("only a demo shop may keep its secrets in a file; a real shop "
                               "needs the OS keyring")
        self.path = folder / DEMO_SECRETS_FILE

    def _read(self) -> dict[str, str]:
        try:
            data: Any = json.loads(self.path.read_text("utf-8"))
        except FileNotFoundError:
            return {}
        secrets = data.get("secrets", {}) if isinstance(data, dict) else {}
        return {str(k): str(v) for k, v in secrets.items()}

    def _write(self, secrets: dict[str, str]) -> None:
        body = json.dumps({"_comment": DEMO_COMMENT, "secrets": secrets}, indent=2)
        # Write aside and rename: a crash never leaves half a file (and a lost demo key).
        fd, tmp = tempfile.mkstemp(prefix=".demo-secrets-", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(body + "\n")
                f.flush()
                os.fsync(f.fileno())
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def get(self, name: str) -> str | None:
        return self._read().get(name)

    def set(self, name: str, value: str) -> None:
        secrets = self._read()
        secrets[name] = value
        self._write(secrets)

    def delete(self, name: str) -> None:
        secrets = self._read()
        if secrets.pop(name, None) is not None:
            self._write(secrets)


def secret_store_for(shop: Shop) -> SecretStore:
    """The demo's labelled file for a demo shop; the OS keyring for every other shop."""
    config = shop.config
    if config.demo:
        return DemoFileSecretStore(shop.folder, config)
    return KeyringSecretStore(config.terminal_id)


def _where(store: SecretStore) -> str:
    return "the demo secrets file" if isinstance(store, DemoFileSecretStore) else "the keyring"


# --- data keys ----------------------------------------------------------------------------

def store_data_key(store: SecretStore, key_id: str, key: bytes) -> None:
    store.set(DATA_KEY_PREFIX + check_key_id(key_id), base64.b64encode(key).decode("ascii"))


def load_data_key(store: SecretStore, key_id: str) -> bytes:
    text = store.get(DATA_KEY_PREFIX + check_key_id(key_id))
    if text is None:
        raise MissingDataKey(key_id, _where(store))
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raise MissingDataKey(key_id, _where(store) + " (stored value is damaged)") from None


def delete_data_key(store: SecretStore, key_id: str) -> None:
    store.delete(DATA_KEY_PREFIX + check_key_id(key_id))


def active_key_id(shop: Shop) -> str | None:
    with shop.uow(write=False) as uow:
        value = uow.session.scalar(select(Setting.value).where(Setting.key == DATA_KEY_SETTING))
    return None if value is None else str(value)


def ensure_data_key(shop: Shop, store: SecretStore | None = None) -> str:
    """The active data key's id, creating the shop's first key if it has none."""
    store = store or secret_store_for(shop)
    current = active_key_id(shop)
    if current is not None:
        load_data_key(store, current)  # fail now, clearly, if the keyring lost it
        return current
    key_id, key = new_key_id(), new_key_material()
    store_data_key(store, key_id, key)  # the key first: a setting must never name no key
    with shop.uow() as uow:
        winner = uow.session.scalar(select(Setting.value)
                                    .where(Setting.key == DATA_KEY_SETTING))
        if winner is None:
            uow.session.add(Setting(key=DATA_KEY_SETTING, value=key_id))
            uow.commit()
    if winner is not None:  # another process made the first key meanwhile: use theirs
        delete_data_key(store, key_id)
        return str(winner)
    return key_id


def cipher_for(shop: Shop, store: SecretStore | None = None) -> FieldCipher:
    """A cipher holding the active key and every key some customer row is still under.

    Call it before entering a unit of work: making the first key writes its id (and the
    writer engine has a single connection)."""
    store = store or secret_store_for(shop)
    active = ensure_data_key(shop, store)
    with shop.uow(write=False) as uow:
        needed = key_ids_in_use(uow.conn) | {active}
    return FieldCipher({kid: load_data_key(store, kid) for kid in sorted(needed)}, active)


@dataclass(frozen=True, slots=True)
class KeyRotation:
    new_key_id: str
    previous_key_ids: tuple[str, ...]
    customers_reencrypted: int
    removed_key_ids: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def rotate_data_key(shop: Shop, actor: Actor, *, remove_old: bool = True,
                    store: SecretStore | None = None) -> KeyRotation:
    """Make a new data key, re-encrypt every customer under it in one transaction, switch
    the active id, and only then (if asked) remove the keys no row needs any more."""
    require(actor, "owner", "rotating the data key")
    store = store or secret_store_for(shop)
    cipher = cipher_for(shop, store)
    new_id, new_key = new_key_id(), new_key_material()
    store_data_key(store, new_id, new_key)
    try:
        with shop.uow() as uow:
            result = rotate_keys(uow, actor, cipher.with_active(new_id, new_key))
    except BaseException:
        # Remove the unused new key, but only if nothing committed refers to it.
        with shop.uow(write=False) as uow:
            used = new_id in key_ids_in_use(uow.conn)
        if not used and active_key_id(shop) != new_id:
            delete_data_key(store, new_id)
        raise
    removed: list[str] = []
    if remove_old:
        with shop.uow(write=False) as uow:
            in_use = key_ids_in_use(uow.conn)
        for old in sorted(cipher.key_ids - {new_id}):
            if old not in in_use:
                delete_data_key(store, old)
                removed.append(old)
    return KeyRotation(new_id, tuple(sorted(cipher.key_ids - {new_id})),
                       result.customers_reencrypted, tuple(removed))

"""The store's settings an owner edits in the back office: name, address, NPWP, tax (PKP),
cash rounding, receipt header and footer, the receipt printer, the screens' language.

They live in the ``setting`` table under the keys below; store name, PKP and rounding keep
the keys :func:`services.shop.load_config` has always read (``store_name``, ``pkp``,
``rounding_unit``, ``rounding_mode``), and the receipts read ``store.address``,
``store.npwp``, ``receipt.header``, ``receipt.footer`` and ``printer.*``.

The address is ``store.address``. Shops seeded before had it under ``store_address`` (the
demo wrote that key): it is read when ``store.address`` was never written, and the first
save moves it to ``store.address`` (and deletes the old key), so one key remains.

:func:`save_store_settings` validates every field before writing any: bad input raises
``BadInput`` naming the field and changes nothing. A change is audited (which keys, from
what to what; none of these values is a secret — credentials never come here, they go to
the OS keyring through ``app.secrets``).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, fields

from sqlalchemy import Connection, delete

from local_db.models import Setting
from local_db.store import append_audit, read_settings, write_settings
from local_db.uow import UnitOfWork
from services.errors import BadInput
from services.users import Actor, authorize

PRINTER_KINDS = ("none", "file", "usb", "serial", "network")
PAPER_WIDTHS = (58, 80)
ROUNDING_UNITS = (1, 50, 100, 500, 1000)
ROUNDING_MODES = ("nearest", "down")
LANGUAGES = ("id", "en")
MAX_RECEIPT_LINES = 8
MAX_RECEIPT_LINE_CHARS = 64
MAX_ADDRESS_CHARS = 300
#: Where shops seeded before kept the address (read when ``store.address`` is not set).
LEGACY_ADDRESS_KEY = "store_address"

#: Field name -> setting key. The field names are what BadInput's ``field`` says.
KEYS: dict[str, str] = {
    "store_name": "store_name",
    "address": "store.address",
    "npwp": "store.npwp",
    "pkp": "pkp",
    "rounding_unit": "rounding_unit",
    "rounding_mode": "rounding_mode",
    "receipt_header": "receipt.header",
    "receipt_footer": "receipt.footer",
    "printer_kind": "printer.kind",
    "printer_target": "printer.target",
    "paper_mm": "printer.paper_mm",
    "drawer": "printer.drawer",
    "language": "language",
}

_USB_RE = re.compile(r"^[0-9A-Fa-f]{4}:[0-9A-Fa-f]{4}$")
_SERIAL_RE = re.compile(r"^(/dev/[A-Za-z0-9_./-]+|COM[0-9]{1,3})$")
_HOST_RE = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9.-]{0,252})(:(\d{1,5}))?$")


@dataclass(frozen=True, slots=True)
class StoreSettings:
    store_name: str
    address: str = ""
    npwp: str = ""  # 15 or 16 digits, stored without punctuation; "" when none
    pkp: bool = False
    rounding_unit: int = 1
    rounding_mode: str = "nearest"
    receipt_header: str = ""
    receipt_footer: str = ""
    printer_kind: str = "none"
    printer_target: str = ""
    paper_mm: int = 58
    drawer: bool = False
    language: str = "id"


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value not in (None, "") else default
    except ValueError:
        return default


def store_address(settings: dict[str, str]) -> str:
    """The address from the settings: ``store.address``, or the old key when that was
    never written."""
    if KEYS["address"] in settings:
        return settings[KEYS["address"]]
    return settings.get(LEGACY_ADDRESS_KEY, "")


def read_store_settings(conn: Connection) -> StoreSettings:
    """What is stored now (defaults for keys never written)."""
    s = read_settings(conn)
    return StoreSettings(
        store_name=s.get("store_name", s.get("store_code", "")),
        address=store_address(s),
        npwp=s.get(KEYS["npwp"], ""),
        pkp=s.get("pkp", "0") == "1",
        rounding_unit=_int(s.get("rounding_unit"), 1),
        rounding_mode=s.get("rounding_mode", "nearest"),
        receipt_header=s.get(KEYS["receipt_header"], ""),
        receipt_footer=s.get(KEYS["receipt_footer"], ""),
        printer_kind=s.get(KEYS["printer_kind"], "none"),
        printer_target=s.get(KEYS["printer_target"], ""),
        paper_mm=_int(s.get(KEYS["paper_mm"]), 58),
        drawer=s.get(KEYS["drawer"], "0") == "1",
        language=s.get("language", "id"),
    )


def normalise_npwp(text: str) -> str:
    """An NPWP's digits: 15 (the old ``99.999.999.9-999.999`` form) or 16 (the NIK-based
    form used since 2024). Dots, dashes and spaces are dropped. ``""`` stays empty."""
    raw = (text or "").strip()
    if not raw:
        return ""
    if not re.fullmatch(r"[0-9.\- ]+", raw):
        raise BadInput("an NPWP has only digits (dots and dashes allowed)", field="npwp")
    digits = re.sub(r"[.\- ]", "", raw)
    if len(digits) not in (15, 16):
        raise BadInput(f"an NPWP has 15 or 16 digits (this has {len(digits)})", field="npwp")
    return digits


def _receipt_text(text: str, field: str) -> str:
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").rstrip("\n").split("\n")
    if lines == [""]:
        return ""
    if len(lines) > MAX_RECEIPT_LINES:
        raise BadInput(f"at most {MAX_RECEIPT_LINES} lines", field=field)
    for i, line in enumerate(lines, 1):
        if len(line) > MAX_RECEIPT_LINE_CHARS:
            raise BadInput(f"line {i} is longer than {MAX_RECEIPT_LINE_CHARS} characters",
                           field=field)
        if any(ord(c) < 32 for c in line):
            raise BadInput(f"line {i} has a control character", field=field)
    return "\n".join(line.rstrip() for line in lines)


def _printer_target(kind: str, target: str) -> str:
    target = (target or "").strip()
    field = "printer_target"
    if kind == "none":
        return ""
    if not target:
        raise BadInput(f"a {kind} printer needs a target", field=field)
    if kind == "usb" and not _USB_RE.match(target):
        raise BadInput("a USB printer is 'vendor:product' in hex, e.g. 04b8:0202", field=field)
    if kind == "serial" and not _SERIAL_RE.match(target):
        raise BadInput("a serial port is like /dev/ttyUSB0 or COM3", field=field)
    if kind == "network":
        m = _HOST_RE.match(target)
        if m is None or (m.group(3) is not None and not 0 < int(m.group(3)) < 65536):
            raise BadInput("a network printer is host or host:port, e.g. 192.168.1.50:9100",
                           field=field)
    if kind == "file" and ("\0" in target or len(target) > 500):
        raise BadInput("not a usable file path", field=field)
    return target


def validate_store_settings(new: StoreSettings) -> StoreSettings:
    """The settings as they will be stored (trimmed, NPWP digits only), or BadInput."""
    name = (new.store_name or "").strip()
    if not name or len(name) > 80:
        raise BadInput("a store name of 1 to 80 characters is needed", field="store_name")
    address = (new.address or "").strip()
    if len(address) > MAX_ADDRESS_CHARS:
        raise BadInput(f"at most {MAX_ADDRESS_CHARS} characters", field="address")
    npwp = normalise_npwp(new.npwp)
    if new.pkp and not npwp:
        raise BadInput("a PKP (VAT-registered) shop must have its NPWP", field="npwp")
    if new.rounding_unit not in ROUNDING_UNITS:
        raise BadInput("rounding must be one of "
                       + ", ".join(f"Rp {u}" for u in ROUNDING_UNITS), field="rounding_unit")
    if new.rounding_mode not in ROUNDING_MODES:
        raise BadInput(f"rounding mode must be one of {', '.join(ROUNDING_MODES)}",
                       field="rounding_mode")
    if new.printer_kind not in PRINTER_KINDS:
        raise BadInput(f"printer must be one of {', '.join(PRINTER_KINDS)}",
                       field="printer_kind")
    if new.paper_mm not in PAPER_WIDTHS:
        raise BadInput("paper is 58 or 80 mm", field="paper_mm")
    if new.language not in LANGUAGES:
        raise BadInput(f"language must be one of {', '.join(LANGUAGES)}", field="language")
    return StoreSettings(
        store_name=name, address=address, npwp=npwp, pkp=bool(new.pkp),
        rounding_unit=new.rounding_unit, rounding_mode=new.rounding_mode,
        receipt_header=_receipt_text(new.receipt_header, "receipt_header"),
        receipt_footer=_receipt_text(new.receipt_footer, "receipt_footer"),
        printer_kind=new.printer_kind,
        printer_target=_printer_target(new.printer_kind, new.printer_target),
        paper_mm=new.paper_mm, drawer=bool(new.drawer), language=new.language)


def _as_setting_values(s: StoreSettings) -> dict[str, str]:
    out: dict[str, str] = {}
    for f in fields(StoreSettings):
        value = getattr(s, f.name)
        out[KEYS[f.name]] = ("1" if value else "0") if isinstance(value, bool) else str(value)
    return out


def save_store_settings(uow: UnitOfWork, actor: Actor, new: StoreSettings) -> StoreSettings:
    """Validate, write the changed keys and audit the change, in one transaction (owner only).
    Returns what is stored now. Commits."""
    authorize(uow, actor, "owner", "changing the store settings")
    clean = validate_store_settings(new)
    conn = uow.conn
    before = _as_setting_values(read_store_settings(conn))
    stored = read_settings(conn)
    after = _as_setting_values(clean)
    changed = {k: v for k, v in after.items() if stored.get(k) != v}
    if LEGACY_ADDRESS_KEY in stored:
        # One key from now on: the address lives under store.address only.
        changed[KEYS["address"]] = after[KEYS["address"]]
        conn.execute(delete(Setting).where(Setting.key == LEGACY_ADDRESS_KEY))
    if changed:
        write_settings(conn, changed)
        append_audit(conn, "settings.change", entity="settings", entity_id=None,
                     actor_id=actor.id,
                     details={k: {"from": before.get(k), "to": v} for k, v in changed.items()})
    uow.commit()
    return clean


def as_dict(s: StoreSettings) -> dict[str, object]:
    return asdict(s)

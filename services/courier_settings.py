"""The tenant's courier configuration as the shipping use cases read it.

It lives in store settings (the local ``setting`` table), which come down to every till of
the tenant through the central pull; credentials are never among them (they live in the
keyring under the names in :data:`SECRET_NAMES`). Keys (contract-12-13.md):
``courier.enabled`` (comma list of biteship, jne, jnt, pos), ``courier.default``
(``<client>:<company>:<service>``), ``courier.origin.{name,phone,address,postal_code,
area_id,code,city}``, ``courier.<client>.*`` (base URL, account ids) and ``courier.notify``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from sqlalchemy import Connection

from local_db.store import read_settings
from services.courier_port import Place
from services.errors import BadInput

CLIENTS = ("biteship", "jne", "jnt", "pos")
#: The company a direct client ships with (Biteship ships with many).
DIRECT_COMPANY = {"jne": "jne", "jnt": "jnt", "pos": "pos"}
#: Clients that can create an order. POS Indonesia publishes no creation API: its parcels
#: are created through Biteship (``courier_company`` pos).
CAN_CREATE = frozenset({"biteship", "jne", "jnt"})
NOTIFY = ("none", "whatsapp", "sms")
#: Secret (keyring) names per client: what it needs before it can run.
SECRET_NAMES: Mapping[str, tuple[str, ...]] = {
    "biteship": ("biteship-api-key",),
    "jne": ("jne-api-key",),
    "jnt": ("jnt-api-key", "jnt-sign-key", "jnt-track-password"),
    "pos": ("pos-consumer-key", "pos-consumer-secret"),
}
DEFAULT_BITESHIP_COMPANIES = "jne,jnt,pos,sicepat,anteraja"
DEFAULT_BASE_URL = {"biteship": "https://api.biteship.com"}
#: JNE's address lines: three of at most 30 characters (definitions.md, Couriers).
JNE_LINE = 30
JNE_LINES = 3


@dataclass(frozen=True, slots=True)
class DefaultService:
    courier: str  # the client
    courier_company: str
    service_code: str


@dataclass(frozen=True, slots=True)
class CourierSettings:
    enabled: tuple[str, ...]
    default: DefaultService | None
    origin: Place | None  # None until name, phone and address are all set
    notify: str
    #: Every ``courier.*`` setting (no secrets are ever stored there).
    values: Mapping[str, str] = field(repr=False)

    def of(self, client: str) -> dict[str, str]:
        """The ``courier.<client>.*`` settings with the prefix taken off."""
        prefix = f"courier.{client}."
        return {k[len(prefix):]: v for k, v in self.values.items() if k.startswith(prefix)}

    @property
    def companies(self) -> tuple[str, ...]:
        """Company codes to ask for rates: Biteship's (``courier.biteship.companies``, by
        default jne, jnt, pos, sicepat, anteraja) and each enabled direct client's own."""
        out: list[str] = []
        for client in self.enabled:
            if client == "biteship":
                listed = self.of("biteship").get("companies") or DEFAULT_BITESHIP_COMPANIES
                out.extend(c.strip().lower() for c in listed.split(",") if c.strip())
            else:
                out.append(DIRECT_COMPANY[client])
        return tuple(dict.fromkeys(out))

    def origin_for(self, client: str) -> Place | None:
        """The sending address as ``client`` names it: JNE and J&T code the same district
        differently (CGK10000 vs JKT), so ``courier.<client>.origin_code`` overrides
        ``courier.origin.code``."""
        if self.origin is None:
            return None
        code = self.of(client).get("origin_code")
        return replace(self.origin, code=code.strip()) if code and code.strip() else self.origin

    @property
    def origins(self) -> dict[str, Place]:
        """Every enabled client's sending address (for a rate comparison)."""
        return {c: p for c in self.enabled if (p := self.origin_for(c)) is not None}

    def base_url(self, client: str) -> str | None:
        return self.of(client).get("base_url") or DEFAULT_BASE_URL.get(client)


def parse_default(text: str | None) -> DefaultService | None:
    parts = [p.strip().lower() for p in (text or "").split(":")]
    if len(parts) != 3 or not all(parts) or parts[0] not in CLIENTS:
        return None
    return DefaultService(parts[0], parts[1], parts[2])


def courier_settings_from(values: Mapping[str, str]) -> CourierSettings:
    mine = {k: v for k, v in values.items() if k.startswith("courier.")}
    enabled = tuple(dict.fromkeys(
        c for c in (p.strip().lower() for p in mine.get("courier.enabled", "").split(","))
        if c in CLIENTS))
    o = {k[len("courier.origin."):]: v.strip() for k, v in mine.items()
         if k.startswith("courier.origin.")}
    origin = None
    if o.get("name") and o.get("phone") and o.get("address"):
        origin = Place(name=o["name"], phone=o["phone"], address=o["address"],
                       postal_code=o.get("postal_code") or None,
                       area_id=o.get("area_id") or None, code=o.get("code") or None,
                       city=o.get("city") or None)
    notify = mine.get("courier.notify", "none").strip().lower()
    return CourierSettings(enabled, parse_default(mine.get("courier.default")), origin,
                           notify if notify in NOTIFY else "none", mine)


def courier_settings(conn: Connection) -> CourierSettings:
    """The courier configuration of this tenant (store settings, no secrets)."""
    return courier_settings_from(read_settings(conn))


def split_address(text: str, *, width: int = JNE_LINE, lines: int = JNE_LINES,
                  field_name: str = "recipient_address") -> tuple[str, ...]:
    """An address as at most ``lines`` lines of at most ``width`` characters, split at
    spaces (JNE's ``*_ADDR1..3``). Refused naming the field when it cannot fit: a courier
    that cuts it silently delivers to the wrong house."""
    words = " ".join(text.split()).split(" ") if text.strip() else []
    out: list[str] = []
    line = ""
    for word in words:
        if len(word) > width:
            raise BadInput(f"the word '{word[:12]}...' is longer than {width} characters: "
                           "JNE cannot print it", field=field_name)
        candidate = f"{line} {word}" if line else word
        if len(candidate) <= width:
            line = candidate
        else:
            out.append(line)
            line = word
    if line:
        out.append(line)
    if len(out) > lines:
        raise BadInput(f"too long for JNE: at most {lines} lines of {width} characters "
                       f"({lines * width} in all); shorten it", field=field_name)
    return tuple(out)


__all__ = ["CAN_CREATE", "CLIENTS", "DEFAULT_BASE_URL", "DEFAULT_BITESHIP_COMPANIES", "DIRECT_COMPANY", "JNE_LINE",
           "JNE_LINES", "NOTIFY", "SECRET_NAMES", "CourierSettings", "DefaultService",
           "courier_settings", "courier_settings_from", "parse_default", "split_address"]

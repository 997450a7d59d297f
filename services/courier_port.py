"""The courier port: what the shipping use cases need from a courier, as frozen values.

Clients in ``sync/couriers/`` (Biteship, JNE, J&T, POS Indonesia) fill it. A client never
raises for a provider failure: every call returns a :class:`CourierReply` whose ``outcome``
says what happened in the shipping use case's words (errors as values):

- ``ok``: done (a quote, an order, a tracking answer, a cancellation);
- ``not_found``: the courier has no such order / waybill (a look-up after a lost reply that
  found nothing: creating it now is safe);
- ``exists``: the courier already holds an order with our reference (J&T's "Orderid tidak
  boleh sama"): nothing new was made; look it up;
- ``rejected``: a business refusal (bad address, cancel after pickup, bad credentials):
  sending the same again cannot help; ``field`` names what is wrong when the courier says;
- ``retry``: not done, safe to try again later (429, 5xx before acting, connection refused);
  ``retry_after`` is the wait the courier asked for (Retry-After, rate-limit headers);
- ``unknown``: perhaps done (a timeout after sending, a dropped reply): look it up before
  creating again, never send blindly.

Business rules that belong to no single courier live here too: our statuses, Biteship's 14
statuses mapped onto them, which statuses still allow a cancel, volumetric weight.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

_field = field  # CourierReply has a member named ``field``

#: Our statuses (local_db.models.SHIPMENT_STATUSES holds the same list for the CHECK).
QUEUED = "queued"  # written at the till, the create job not done yet
STATUSES = ("queued", "created", "allocated", "picking_up", "picked_up", "in_transit",
            "on_hold", "delivered", "returning", "returned", "cancelled", "failed")
#: No tracking poll after these.
FINAL_STATUSES = frozenset({"delivered", "returned", "cancelled", "failed"})
#: A cancel is accepted while the parcel is in one of these (Biteship: up to picking_up).
CANCELLABLE = frozenset({"queued", "created", "allocated", "picking_up"})

#: Biteship order and tracking statuses -> ours. Tracking answers camelCase some of them
#: (``pickingUp``, ``droppingOff``): both spellings map (definitions.md, Couriers).
BITESHIP_STATUS = {
    "placed": "queued", "ready": "queued",  # draft orders
    "confirmed": "created", "scheduled": "created",
    "allocated": "allocated",
    "picking_up": "picking_up", "pickingup": "picking_up",
    "picked": "picked_up",
    "dropping_off": "in_transit", "droppingoff": "in_transit",
    "on_hold": "on_hold", "onhold": "on_hold",
    "delivered": "delivered",
    "return_in_transit": "returning", "returnintransit": "returning",
    "returned": "returned",
    "cancelled": "cancelled",
    "rejected": "failed", "disposed": "failed",
    "courier_not_found": "failed", "couriernotfound": "failed",
}

OUTCOMES = ("ok", "not_found", "exists", "rejected", "retry", "unknown")


def biteship_status(word: str) -> str | None:
    """Our status for a Biteship status word in either spelling (None if unheard of)."""
    return BITESHIP_STATUS.get(word.strip().lower().replace("-", "_")) \
        or BITESHIP_STATUS.get(word.strip().lower().replace("_", "").replace("-", ""))


def volumetric_weight_g(length_cm: int, width_cm: int, height_cm: int) -> int:
    """L×W×H / 6000 kg, in grams rounded up (what couriers charge when it beats the scale)."""
    volume = length_cm * width_cm * height_cm
    return -(-volume * 1000 // 6000)


@dataclass(frozen=True, slots=True)
class Place:
    """One end of a shipment. ``phone`` and ``address`` are personal data: never in a repr
    (so never in a log line or a traceback's locals)."""

    name: str
    phone: str = field(repr=False)
    address: str = field(repr=False)
    postal_code: str | None = None
    area_id: str | None = None  # Biteship area id
    code: str | None = None  # JNE/J&T/POS area or branch code (CGK10000, ...)
    city: str | None = None
    region: str | None = None
    email: str | None = field(default=None, repr=False)
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Parcel:
    weight_g: int
    length_cm: int
    width_cm: int
    height_cm: int
    declared_value: int  # rupiah
    description: str
    quantity: int = 1

    @property
    def volumetric_weight_g(self) -> int:
        return volumetric_weight_g(self.length_cm, self.width_cm, self.height_cm)

    @property
    def chargeable_weight_g(self) -> int:
        return max(self.weight_g, self.volumetric_weight_g)


@dataclass(frozen=True, slots=True)
class RateRequest:
    origin: Place
    destination: Place
    parcel: Parcel
    couriers: tuple[str, ...]  # company codes to quote: jne, jnt, pos, sicepat...
    cod: bool = False


@dataclass(frozen=True, slots=True)
class Rate:
    courier: str  # the client that quoted it: biteship | jne | jnt | pos
    courier_company: str
    service_code: str
    service_name: str
    price: int  # rupiah
    etd_min_days: int | None
    etd_max_days: int | None
    cod_available: bool = False


@dataclass(frozen=True, slots=True)
class ShipmentOrder:
    """What a create sends. ``reference`` is the shipment's UUID (the merchant reference)."""

    reference: str
    courier_company: str
    service_code: str
    origin: Place
    destination: Place
    parcel: Parcel
    cod_amount: int = 0
    note: str | None = None


@dataclass(frozen=True, slots=True)
class ShipmentKeys:
    """What we know of a shipment at the courier (for look-up, track and cancel)."""

    reference: str
    courier_company: str
    provider_order_id: str | None = None
    draft_order_id: str | None = None
    waybill_id: str | None = None
    tracking_id: str | None = None


@dataclass(frozen=True, slots=True)
class TrackPoint:
    status: str  # ours
    provider_status: str | None
    note: str | None
    at: str  # ISO-8601 UTC


@dataclass(frozen=True, slots=True)
class CourierReply:
    outcome: str
    message: str | None = None
    field: str | None = None  # the field a rejection names, when the courier says
    status: str | None = None  # ours, when the reply tells the order's status
    provider_status: str | None = None
    provider_order_id: str | None = None
    draft_order_id: str | None = None
    waybill_id: str | None = None
    tracking_id: str | None = None
    price: int | None = None  # the courier's current price for the order
    rates: tuple[Rate, ...] = ()
    history: tuple[TrackPoint, ...] = ()
    retry_after: float | None = None
    raw: Mapping[str, object] | None = _field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOMES:
            raise ValueError(f"courier outcome must be one of {', '.join(OUTCOMES)}")
        if self.status is not None and self.status not in STATUSES:
            raise ValueError(f"unknown shipment status {self.status!r}")


class CourierClient(Protocol):
    """One courier API. Every method returns a reply; none raises for a provider failure."""

    name: str  # biteship | jne | jnt | pos

    def rates(self, request: RateRequest) -> CourierReply: ...

    def create(self, order: ShipmentOrder, keys: ShipmentKeys) -> CourierReply:
        """Create the order. ``keys`` holds what an earlier try stored (a Biteship draft id):
        a two-step create confirms that draft rather than making a new one."""
        ...

    def find(self, keys: ShipmentKeys) -> CourierReply:
        """Look the order up by what we know of it (after a lost reply): ``ok`` with its
        ids and status, or ``not_found``."""
        ...

    def track(self, keys: ShipmentKeys) -> CourierReply: ...

    def cancel(self, keys: ShipmentKeys, reason: str) -> CourierReply: ...

    def close(self) -> None: ...


__all__ = ["BITESHIP_STATUS", "CANCELLABLE", "FINAL_STATUSES", "OUTCOMES", "QUEUED", "STATUSES",
           "CourierClient", "CourierReply", "Parcel", "Place", "Rate", "RateRequest",
           "ShipmentKeys", "ShipmentOrder", "TrackPoint", "biteship_status",
           "volumetric_weight_g"]

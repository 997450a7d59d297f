"""Helpers the shipping tests share (settings, a sale, a request, a scripted courier), and a
check that the settings they write read back as the use cases see them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from app.secrets import cipher_for
from app.shop import Shop
from local_db.store import write_settings
from local_db.uow import UnitOfWork
from services.courier_port import (
    CourierReply,
    Parcel,
    RateRequest,
    ShipmentKeys,
    ShipmentOrder,
)
from services.crypto import FieldCipher
from services.shipping import ShipmentRequest, courier_settings
from tests.helpers import scalar

ORIGIN = {"courier.origin.name": "Warung Bu Sari", "courier.origin.phone": "0812-1111-2222",
          "courier.origin.address": "Jl. Melati No. 5, Kebayoran Baru",
          "courier.origin.postal_code": "12120", "courier.origin.area_id": "IDNP6IDNC148IDND836IDZ12120",
          "courier.origin.code": "CGK10000", "courier.origin.city": "Jakarta Selatan"}


def configure(shop: Shop, *, enabled: str = "biteship,jne,jnt",
              extra: Mapping[str, str] | None = None) -> None:
    with shop.uow() as uow:
        write_settings(uow.conn, {"courier.enabled": enabled,
                                  "courier.default": "biteship:jne:reg", **ORIGIN,
                                  **(extra or {})})
        uow.commit()


def cipher(shop: Shop) -> FieldCipher:
    return cipher_for(shop)


def a_sale(shop: Shop, n: int = 0) -> str:
    """The n-th sale of the shop, rung up (one cash sale each) until there are enough."""
    while count(shop, "sale") <= n:
        from services.selling import LineRequest, PaymentRequest, SaleRequest, complete_sale
        from services.users import authenticate
        with shop.uow() as uow:
            actor = authenticate(uow, "Sari", "1234")
            uow.commit()
        with shop.uow() as uow:
            complete_sale(uow, shop.config, actor, SaleRequest(
                (LineRequest("MI-0001", 2000),), (PaymentRequest("cash", 50_000),)))
    return str(scalar(shop, "SELECT id FROM sale ORDER BY seq LIMIT 1 OFFSET :n", n=n))


def parcel(**kw: Any) -> Parcel:
    values: dict[str, Any] = {"weight_g": 1200, "length_cm": 30, "width_cm": 20,
                              "height_cm": 10, "declared_value": 150_000,
                              "description": "Kopi bubuk 1 kg"}
    values.update(kw)
    return Parcel(**values)


def request(sale_id: str, **kw: Any) -> ShipmentRequest:
    values: dict[str, Any] = dict(
        sale_id=sale_id, courier="biteship", courier_company="jne", service_code="reg",
        recipient_name="Pak Anton", recipient_phone="0813-2222-3333",
        recipient_address="Jl. Kenanga 12, Coblong", destination_postal_code="40132",
        destination_area_id=None, destination_code="BDO10000", parcel=parcel(), cod=False,
        quoted_price=18_000, request_key=None, batch_id=None, note=None)
    values.update(kw)
    return ShipmentRequest(**values)


def count(shop: Shop, table: str, where: str = "1=1", **params: Any) -> int:
    return int(scalar(shop, f"SELECT COUNT(*) FROM {table} WHERE {where}", **params) or 0)


def job_state(shop: Shop, shipment_id: str, kind: str) -> str | None:
    value = scalar(shop, "SELECT state FROM provider_job WHERE ref_id = :s AND kind = :k",
                   s=shipment_id, k=kind)
    return None if value is None else str(value)


Script = Callable[..., CourierReply] | CourierReply


@dataclass
class FakeCourier:
    """A scripted courier client: each method answers from its queue (the last answer
    repeats), and every call is recorded with its arguments."""

    name: str = "jnt"
    replies: dict[str, list[Script]] = field(default_factory=dict)
    calls: list[tuple[str, Any]] = field(default_factory=list)
    closed: bool = False

    def script(self, method: str, *answers: Script) -> FakeCourier:
        self.replies.setdefault(method, []).extend(answers)
        return self

    def _answer(self, method: str, *args: Any) -> CourierReply:
        self.calls.append((method, args))
        queue = self.replies.get(method) or [CourierReply("retry", message="no script")]
        answer = queue.pop(0) if len(queue) > 1 else queue[0]
        return answer(*args) if callable(answer) else answer

    def made(self, method: str) -> int:
        return sum(1 for m, _ in self.calls if m == method)

    def rates(self, request: RateRequest) -> CourierReply:
        return self._answer("rates", request)

    def create(self, order: ShipmentOrder, keys: ShipmentKeys) -> CourierReply:
        return self._answer("create", order, keys)

    def find(self, keys: ShipmentKeys) -> CourierReply:
        return self._answer("find", keys)

    def track(self, keys: ShipmentKeys) -> CourierReply:
        return self._answer("track", keys)

    def cancel(self, keys: ShipmentKeys, reason: str) -> CourierReply:
        return self._answer("cancel", keys, reason)

    def close(self) -> None:
        self.closed = True


@dataclass
class TwoStepFake(FakeCourier):
    name: str = "biteship"

    def create_draft(self, order: ShipmentOrder) -> CourierReply:
        return self._answer("create_draft", order)

    def confirm_draft(self, draft_id: str) -> CourierReply:
        return self._answer("confirm_draft", draft_id)


def statuses(events: Iterable[Any]) -> list[str]:
    return [e.status for e in events]


def test_settings_read_back(shop: Shop) -> None:
    configure(shop, extra={"courier.biteship.companies": "jne,sicepat"})
    with UnitOfWork(shop.db, write=False) as uow:
        s = courier_settings(uow.conn)
    assert s.enabled == ("biteship", "jne", "jnt")
    assert s.origin is not None and s.origin.code == "CGK10000"
    assert s.default is not None and s.default.service_code == "reg"
    assert s.companies == ("jne", "sicepat", "jnt")
    assert s.base_url("biteship") == "https://api.biteship.com"
    assert "0812" not in repr(s)  # the origin phone is not in a repr

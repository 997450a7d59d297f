"""Shared values for the courier clients' respx tests: made-up people and places only."""

from __future__ import annotations

import pytest

from services.courier_port import (
    Parcel,
    Place,
    RateRequest,
    ShipmentKeys,
    ShipmentOrder,
)

#: A UUIDv7 (time 0x0193a1b2c3d4) used as the shipment reference.
REFERENCE = "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"
ORIGIN_PHONE = "081200000001"
DEST_PHONE = "081299999999"
DEST_ADDRESS = "Jl. Kenanga No. 5 RT 01 RW 02"


@pytest.fixture
def origin() -> Place:
    return Place(name="Warung Contoh", phone=ORIGIN_PHONE, address="Jl. Melati 1",
                 postal_code="12430", area_id="IDNP6IDNC148IDND836IDNZ12430", code="CGK10000",
                 city="Jakarta Selatan", region="DKI Jakarta")


@pytest.fixture
def destination() -> Place:
    return Place(name="Pembeli Contoh", phone=DEST_PHONE, address=DEST_ADDRESS,
                 postal_code="40111", code="BDO10000", city="Bandung", region="Jawa Barat")


@pytest.fixture
def parcel() -> Parcel:
    # 1.2 kg real, 30x20x10 cm = 1 kg volumetric: chargeable 1.2 kg -> 2 whole kg.
    return Parcel(weight_g=1200, length_cm=30, width_cm=20, height_cm=10,
                  declared_value=150000, description="Kopi bubuk", quantity=2)


@pytest.fixture
def order(origin: Place, destination: Place, parcel: Parcel) -> ShipmentOrder:
    return ShipmentOrder(reference=REFERENCE, courier_company="jne", service_code="reg",
                         origin=origin, destination=destination, parcel=parcel,
                         note="Fragile")


@pytest.fixture
def rate_request(origin: Place, destination: Place, parcel: Parcel) -> RateRequest:
    return RateRequest(origin=origin, destination=destination, parcel=parcel,
                       couriers=("jne", "jnt", "pos"))


@pytest.fixture
def keys() -> ShipmentKeys:
    return ShipmentKeys(reference=REFERENCE, courier_company="jne")

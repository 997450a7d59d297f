"""The demo shop: a minimarket with about 200 warung products, three users and an open shift
(``seed_demo``: the bare shop; ``app.demo_history`` adds about 90 days of trading).

Everything goes through the same use cases a real shop uses, so the demo's books balance and
``warungin verify`` is clean from the first minute.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources

from app.shop import Shop
from local_db.ids import uuid7
from local_db.store import write_settings
from services.catalogue_csv import import_catalogue
from services.money import qty_to_milli
from services.shifts import open_shift
from services.stock import ReceivedLine, receive_goods
from services.users import Actor, create_user

DEMO_USERS = (("Wati", "owner", "9999"), ("Budi", "supervisor", "5678"), ("Sari", "cashier", "1234"))
DEMO_FLOAT = 200_000
#: The history ``warungin demo`` seeds unless ``--empty`` (app.demo_history): days, seed.
HISTORY_DAYS = 90
HISTORY_SEED = 20_250_101


@dataclass(frozen=True)
class DemoShop:
    users: tuple[tuple[str, str, str], ...]
    products: int
    shift_id: str


def catalogue_text() -> str:
    return resources.files("resources").joinpath("demo_catalogue.csv").read_text("utf-8")


@dataclass(frozen=True)
class DemoBase:
    """The demo shop before its till opens: settings, users, catalogue, opening stock."""

    products: int
    actors: dict[str, Actor]  # by role


def seed_demo(shop: Shop) -> DemoShop:
    """The bare demo shop: no sales yet, a shift open by the cashier (receipt
    DEMO-T01-000001 comes next). ``app.demo_history.seed_history`` is the one with months
    of trading."""
    base = seed_base(shop)
    # The owner's opening cash in the safe first: the float comes from it, so the safe
    # never shows -Rp 200.000. Imported here: app.demo_books imports this module.
    from app.demo_books import open_the_safe
    open_the_safe(shop)
    with shop.uow() as uow:
        shift_id = open_shift(uow, shop.config, base.actors["cashier"], DEMO_FLOAT)
    return DemoShop(DEMO_USERS, base.products, shift_id)


def seed_base(shop: Shop, opening: Mapping[str, int] | None = None) -> DemoBase:
    """Settings, the three users, the catalogue and its opening stock; no shift.
    ``opening``: the opening stock (milli-units by SKU) where it differs from the default."""
    with shop.uow() as uow:
        write_settings(uow.conn, {
            "shop_mode": "demo", "store_code": "DEMO", "store_name": "Toko Demo Warungin",
            "store.address": "Jl. Contoh No. 1, Bandung", "terminal_code": "T01",
            "terminal_id": uuid7(), "tenant_id": uuid7(), "pkp": "1", "rounding_unit": "100",
            "rounding_mode": "nearest", "timezone": "Asia/Jakarta", "language": "id",
        })
        uow.commit()
    shop.reload()
    actors: dict[str, Actor] = {}
    with shop.uow() as uow:
        owner = create_user(uow, None, name=DEMO_USERS[0][0], role="owner", pin=DEMO_USERS[0][2])
        uow.commit()
    actors["owner"] = owner
    for name, role, pin in DEMO_USERS[1:]:
        with shop.uow() as uow:
            actors[role] = create_user(uow, owner, name=name, role=role, pin=pin)
            uow.commit()
    text = catalogue_text()
    with shop.uow() as uow:
        summary = import_catalogue(uow, None, text)
    # Opening stock, booked against the owner's capital so the books start balanced.
    lines = []
    for row in csv.DictReader(io.StringIO(text)):
        if row["tracks_stock"] != "1":
            continue
        weighed = row["unit"] != "pcs"
        qty = "12.5" if weighed else str(6 + (sum(map(ord, row["sku"])) % 40))
        qty_milli = qty_to_milli(qty, field="qty")
        if opening is not None:
            qty_milli = opening.get(row["sku"], qty_milli)
        lines.append(ReceivedLine(row["sku"], qty_milli, int(row["cost"])))
    with shop.uow() as uow:
        receive_goods(uow, actors["supervisor"], supplier="Stok awal (opening stock)",
                      lines=lines, paid_from="capital")
    return DemoBase(summary.created, actors)

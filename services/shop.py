"""The shop's configuration as the services see it (read from the ``setting`` table)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Connection, select

from local_db.models import TaxClass
from local_db.store import read_settings
from services.tax import TaxRule

ROLES = ("cashier", "supervisor", "owner")
DEFAULT_DISCOUNT_LIMITS = {"cashier": Decimal(10), "supervisor": Decimal(50),
                           "owner": Decimal(100)}


@dataclass(frozen=True, slots=True)
class ShopConfig:
    store_code: str
    store_name: str
    terminal_code: str
    terminal_id: str
    pkp: bool
    rounding_unit: int
    rounding_mode: str
    discount_limits: dict[str, Decimal]
    tax_rules: dict[str, TaxRule]
    demo: bool

    def receipt_no(self, seq: int) -> str:
        return f"{self.store_code}-{self.terminal_code}-{seq:06d}"

    def refund_no(self, seq: int) -> str:
        return f"{self.store_code}-{self.terminal_code}-R{seq:05d}"


def load_config(conn: Connection) -> ShopConfig:
    s = read_settings(conn)
    if "terminal_id" not in s:
        raise LookupError("this database holds no shop yet (run 'warungin demo' or set one up)")
    rules = {
        row.code: TaxRule(row.code, Decimal(row.rate), row.base_numerator,
                          row.base_denominator, bool(row.inclusive))
        for row in conn.execute(select(TaxClass))
    }
    limits = {role: Decimal(s.get(f"discount_limit.{role}", str(DEFAULT_DISCOUNT_LIMITS[role])))
              for role in ROLES}
    return ShopConfig(
        store_code=s["store_code"], store_name=s.get("store_name", s["store_code"]),
        terminal_code=s["terminal_code"], terminal_id=s["terminal_id"],
        pkp=s.get("pkp", "0") == "1", rounding_unit=int(s.get("rounding_unit", "1")),
        rounding_mode=s.get("rounding_mode", "nearest"), discount_limits=limits,
        tax_rules=rules, demo=s.get("shop_mode") == "demo",
    )

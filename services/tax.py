"""PPN (VAT) per product tax class. Rates are data (the ``tax_class`` table), not code.

Since 2025 (PMK 131/2024, PMK 11/2025) PPN is 12%; on most goods it applies to a tax base
(DPP) of 11/12 of the price, i.e. effectively 11%; on luxury goods to the full price; some
goods are exempt. A shop that is not VAT-registered (not PKP) charges none.

Tax is computed per line (one :func:`~services.money.to_rupiah` call per line), and the
sale's tax is the sum of its lines, so a partial refund reverses exactly what was charged.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from services.money import to_rupiah


@dataclass(frozen=True, slots=True)
class TaxRule:
    code: str
    rate: Decimal
    base_numerator: int
    base_denominator: int
    inclusive: bool

    @property
    def effective_rate(self) -> Decimal:
        return self.rate * self.base_numerator / self.base_denominator


@dataclass(frozen=True, slots=True)
class TaxSplit:
    gross: int  # what the customer pays for the line
    net: int  # revenue
    tax: int  # PPN payable


NO_TAX = TaxRule("NONE", Decimal(0), 1, 1, True)


def split_tax(amount: int, rule: TaxRule, *, pkp: bool) -> TaxSplit:
    """Split a line amount into net and tax.

    For an inclusive class ``amount`` is the gross price; for an exclusive class it is the
    price before tax and the tax is added on top. ``gross == net + tax`` always holds.
    """
    eff = rule.effective_rate
    if not pkp or eff == 0:
        return TaxSplit(amount, amount, 0)
    if rule.inclusive:
        tax = to_rupiah(Decimal(amount) * eff / (1 + eff))
        return TaxSplit(amount, amount - tax, tax)
    tax = to_rupiah(Decimal(amount) * eff)
    return TaxSplit(amount + tax, amount, tax)

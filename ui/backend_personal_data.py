"""A customer's right to their data, for the back office "data requests" screen.

What the screen needs from the shop, as a Protocol (``backend.personal_data``, implemented
by ``app/desktop/personal_data.py``). Every method touches the database (and the export
writes a file), so the screen calls them only through :mod:`ui.tasks`: the searches and
the consent history on ``Lane.POOL``, the export (it is audited) and the erasure on
``Lane.WRITER``.

What crosses are the services' frozen values (``services.customers``,
``services.consents``); :class:`ExportWritten` is the screen's own. Rights are decided by
the services (export: supervisor or owner; erasure: owner); refusals arrive as
``services.errors`` exceptions naming the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from services.customers import CustomerSummary, Erasure
    from services.personal_data import ConsentLog

#: The export's formats and the PDF's languages.
EXPORT_FORMATS = ("json", "pdf")


@dataclass(frozen=True, slots=True)
class ExportWritten:
    """An export written to a file: where, how big, and what it holds (counts only)."""

    path: str
    format: str
    size: int
    sales: int
    messages: int
    consents: int


class PersonalDataBackend(Protocol):
    def find_customers(self, text: str) -> tuple[CustomerSummary, ...]:
        """Customers by part of the name, or by phone number (services.customers)."""
        ...

    def consent_history(self, customer_id: str) -> ConsentLog:
        """The consent flag and every recorded change, oldest first (supervisor and
        owner)."""
        ...

    def export(self, customer_id: str, fmt: str, path: str, lang: str) -> ExportWritten:
        """Write the customer's data as JSON or PDF to ``path`` (supervisor and owner;
        audited)."""
        ...

    def erase(self, customer_id: str, *, even_with_kasbon: bool) -> Erasure:
        """Erase the customer's personal data (owner; services.customers.erase_customer)."""
        ...


__all__ = ["EXPORT_FORMATS", "ExportWritten", "PersonalDataBackend"]

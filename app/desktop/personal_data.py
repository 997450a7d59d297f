"""A customer's right to their data for the screens (``ui.backend_personal_data``).

Each method opens a unit of work and calls the use cases (``services.personal_data``,
``services.customers``, ``services.consents``) as whoever is logged in; the services decide
who may. The export's file is written here (the PDF by ``app.personal_data_pdf``), readable
by its owner only, after the audited export committed.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from app.desktop.context import DesktopContext, environment_faults
from services.credentials import SecretStoreUnavailable
from ui.backend_core import Unavailable
from ui.backend_personal_data import ExportWritten

if TYPE_CHECKING:
    from services.crypto import FieldCipher
    from services.customers import CustomerSummary, Erasure
    from services.personal_data import ConsentLog

_PHONE_LIKE = re.compile(r"^[+0-9][0-9 ()-]{6,}$")


class PersonalDataAdapter:
    def __init__(self, ctx: DesktopContext) -> None:
        self._ctx = ctx

    def _cipher(self) -> FieldCipher:
        from app.secrets import cipher_for
        try:  # before any unit of work: no nesting
            return cipher_for(self._ctx.shop)
        except SecretStoreUnavailable as exc:  # no keyring: say so, as the till does
            raise Unavailable(str(exc)) from exc

    @environment_faults
    def find_customers(self, text: str) -> tuple[CustomerSummary, ...]:
        from services.customers import CustomerSummary, find_by_phone, search_customers
        self._ctx.require_actor()
        if _PHONE_LIKE.match(text.strip()):
            cipher = self._cipher()
            found = self._ctx.read(lambda uow: find_by_phone(uow, cipher, text))
            return () if found is None else (CustomerSummary(
                found.id, found.name, found.phone is not None, found.credit_limit),)
        return self._ctx.read(lambda uow: search_customers(uow, text))

    @environment_faults
    def consent_history(self, customer_id: str) -> ConsentLog:
        from services.personal_data import customer_consents
        actor = self._ctx.require_actor()
        return self._ctx.read(lambda uow: customer_consents(uow, actor, customer_id))

    @environment_faults
    def export(self, customer_id: str, fmt: str, path: str, lang: str) -> ExportWritten:
        from app.personal_data_files import render, write_private
        from services.personal_data import export_customer
        actor = self._ctx.require_actor()
        cipher = self._cipher()
        data = self._ctx.write(lambda uow: export_customer(uow, cipher, actor, customer_id,
                                                           fmt=fmt))
        target = Path(path)
        write_private(target, render(data, fmt, lang))
        return ExportWritten(str(target), fmt, target.stat().st_size, len(data.sales),
                             len(data.messages), len(data.consents))

    @environment_faults
    def erase(self, customer_id: str, *, even_with_kasbon: bool) -> Erasure:
        from services.customers import erase_customer
        actor = self._ctx.require_actor()
        return self._ctx.write(lambda uow: erase_customer(
            uow, actor, customer_id, allow_outstanding_kasbon=even_with_kasbon))

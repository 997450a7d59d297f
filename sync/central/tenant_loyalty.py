"""The tenant's loyalty settings at central (issue 15, several tills): one programme for
every till of the tenant.

``warungin central loyalty`` writes every ``loyalty.*`` key to each store of the tenant
(:func:`sync.central.admin.set_tenant_settings`, as the courier configuration); each till
gets them with its next pull into its ``setting`` table, so every till earns at the same
rate. Every key is written, not only the changed ones: a till whose owner changed a value
locally before is brought back to the tenant's programme.

The changes are parsed and checked by the till's own rules (``services.loyalty_settings``:
``parse_changes`` and ``validate_loyalty_settings``) against what central holds now, inside
the writing transaction: a bad value raises BadInput naming the field and nothing is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from services.loyalty_settings import (
    PREFIX,
    LoyaltySettings,
    parse_changes,
    setting_values,
    settings_from_values,
    validate_loyalty_settings,
)
from sync.central.admin import check_uuid, set_tenant_settings


@dataclass(frozen=True, slots=True)
class TenantLoyalty:
    """The tenant's loyalty settings as central holds them (defaults for keys never set)."""

    tenant_id: str
    stores: tuple[str, ...]
    settings: LoyaltySettings
    stored: bool  # central holds loyalty keys for the tenant (else: the defaults, unset)
    changed: int  # store_setting rows written by this call (0: it was already so)

    def as_dict(self) -> dict[str, Any]:
        return {"tenant_id": self.tenant_id, "stores": list(self.stores),
                "settings": self.settings.as_dict(), "stored": self.stored,
                "changed": self.changed}


def set_tenant_loyalty(dsn: str, tenant_id: str,
                       changes: Mapping[str, Any] | None = None) -> TenantLoyalty:
    """Apply ``changes`` (field -> value as typed at the till's ``loyalty settings --set``)
    to the tenant's settings at central and write the whole result to every store; with
    no changes only read. BadInput names the field; nothing is written then."""
    tenant_id = check_uuid(tenant_id, "tenant")

    def rows(current: dict[str, str]) -> dict[str, str | None]:
        if not changes:
            return {}
        new = parse_changes(settings_from_values(current), dict(changes))
        return dict(setting_values(validate_loyalty_settings(new)))

    done = set_tenant_settings(dsn, tenant_id, PREFIX, rows)
    return TenantLoyalty(tenant_id, done.stores, settings_from_values(done.settings),
                         bool(done.settings), done.changed)


__all__ = ["TenantLoyalty", "set_tenant_loyalty"]

"""Comparing couriers' prices: every client asked side by side on a network thread, the
rates sorted by price with the cheapest and the fastest marked, and per client why it gave
none. Pure orchestration over the courier port (no database)."""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

from services.courier_port import CourierClient, CourierReply, Place, Rate, RateRequest

@dataclass(frozen=True, slots=True)
class RateComparison:
    rates: tuple[Rate, ...]  # cheapest first
    failures: Mapping[str, str]  # client -> why it gave no rates

    @property
    def cheapest(self) -> Rate | None:
        return self.rates[0] if self.rates else None

    @property
    def fastest(self) -> Rate | None:
        timed = [r for r in self.rates if r.etd_max_days is not None or r.etd_min_days]
        if not timed:
            return None
        return min(timed, key=lambda r: (r.etd_max_days if r.etd_max_days is not None
                                         else r.etd_min_days or 0,
                                         r.etd_min_days or 0, r.price))


def compare_rates(clients: Mapping[str, CourierClient], request: RateRequest, *,
                  origins: Mapping[str, Place] | None = None) -> RateComparison:
    """Ask every client for rates side by side (pure orchestration on a network thread):
    rates sorted by price, and per client why it gave none. ``origins``: a client's own
    sending address (``CourierSettings.origins``: JNE and J&T code districts differently)."""
    def ask(name: str) -> CourierReply:
        client = clients[name]
        origin = (origins or {}).get(name)
        try:
            return client.rates(request if origin is None else replace(request, origin=origin))
        except Exception as exc:  # a client bug must not hide the other couriers' rates
            return CourierReply("retry", message=type(exc).__name__)
    if not clients:
        return RateComparison((), {})
    with ThreadPoolExecutor(max_workers=min(len(clients), 4),
                            thread_name_prefix="courier-rates") as pool:
        replies = dict(zip(clients, pool.map(ask, list(clients)), strict=True))
    rates: list[Rate] = []
    failures: dict[str, str] = {}
    for name, reply in replies.items():
        if reply.outcome != "ok":
            failures[name] = reply.message or reply.outcome
        elif not reply.rates:
            failures[name] = "no service for this route"
        rates.extend(reply.rates)
    rates.sort(key=lambda r: (r.price, r.etd_max_days if r.etd_max_days is not None else 99,
                              r.courier, r.courier_company, r.service_code))
    return RateComparison(tuple(rates), failures)


__all__ = ["RateComparison", "compare_rates"]

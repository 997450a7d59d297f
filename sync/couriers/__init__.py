"""Courier clients (issue 12): one small module per provider on a shared base.

- :mod:`sync.couriers.base` -- the httpx session, rate limits, transport failures as
  :class:`~services.courier_port.CourierReply` values.
- :mod:`sync.couriers.biteship` -- the default (two-step create through draft orders).
- :mod:`sync.couriers.jne`, :mod:`sync.couriers.jnt`, :mod:`sync.couriers.pos` -- direct.

:func:`make_client` builds one from the store settings and the keyring (names in
notes/contract-12-13.md). Settings hold no secrets; a missing credential or account setting
raises :class:`services.errors.Refused` naming it (``field`` = the setting or secret name),
before anything is sent.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping

from services.courier_port import CourierClient
from services.errors import Refused
from sync.couriers import biteship as _biteship
from sync.couriers import jne as _jne
from sync.couriers import jnt as _jnt
from sync.couriers import pos as _pos
from sync.couriers.biteship import BiteshipClient
from sync.couriers.jne import JneClient
from sync.couriers.jnt import JntClient
from sync.couriers.pos import PosClient
from sync.jobs.ratelimit import Limit, RateLimits

CLIENT_NAMES = ("biteship", "jne", "jnt", "pos")
_DEFAULT_LIMITS: Mapping[str, Mapping[str, Limit]] = {
    "biteship": _biteship.DEFAULT_LIMITS, "jne": _jne.DEFAULT_LIMITS,
    "jnt": _jnt.DEFAULT_LIMITS, "pos": _pos.DEFAULT_LIMITS}
_shared: dict[tuple[str, str], RateLimits] = {}
_shared_lock = threading.Lock()


def shared_limits(name: str, url: str) -> RateLimits:
    """The process-wide buckets of one courier account (client name + its base URL): every
    client :func:`make_client` builds for it shares them, so a batch's workers, the
    dispatcher and a rate comparison together stay under the courier's limit, and a 429 one
    of them earns holds them all."""
    key = (name, url.rstrip("/"))
    with _shared_lock:
        limits = _shared.get(key)
        if limits is None:
            limits = _shared[key] = RateLimits(_DEFAULT_LIMITS[name])
        return limits


def make_client(name: str, settings: Mapping[str, str],
                secrets: Callable[[str], str | None], *,
                timeout: float = 10.0, limits: RateLimits | None = None) -> CourierClient:
    """The client ``name`` (biteship | jne | jnt | pos) for a shop's settings and secrets.

    Settings read (defaults in brackets):
    biteship: ``courier.biteship.base_url`` [https://api.biteship.com]; secret
    ``biteship-api-key``.
    jne: ``courier.jne.base_url`` [JNE production], ``courier.jne.username``,
    ``courier.jne.branch``, ``courier.jne.customer_id``; secret ``jne-api-key``.
    jnt: ``courier.jnt.base_url`` (one base: each endpoint is base + its real path) and/or
    ``courier.jnt.order_url`` / ``.tariff_url`` / ``.track_url`` / ``.cancel_url``
    overrides, ``courier.jnt.username``, ``courier.jnt.eccompanyid``; secrets
    ``jnt-api-key``, ``jnt-sign-key``, ``jnt-track-password``.
    pos: ``courier.pos.base_url`` [POS gateway], ``courier.pos.customer_id``; secrets
    ``pos-consumer-key``, ``pos-consumer-secret``.

    ``limits`` defaults to :func:`shared_limits` of the account (the provider's published
    limits, or our modest ceiling where none is published).
    """

    def setting(key: str, default: str | None = None) -> str:
        value = (settings.get(key) or "").strip() or default
        if not value:
            raise Refused(f"the courier setting {key} is not set", field=key)
        return value

    def secret(key: str) -> str:
        value = secrets(key)
        if not value:
            raise Refused(f"the secret {key} is not in the keyring", field=key)
        return value

    def account_limits(url: str) -> RateLimits:
        return limits if limits is not None else shared_limits(name, url)

    if name == "biteship":
        base_url = setting("courier.biteship.base_url", _biteship.DEFAULT_BASE_URL)
        return BiteshipClient(base_url, secret("biteship-api-key"), timeout=timeout,
                              limits=account_limits(base_url))
    if name == "jne":
        base_url = setting("courier.jne.base_url", _jne.PRODUCTION_URL)
        return JneClient(base_url, setting("courier.jne.username"), secret("jne-api-key"),
                         branch=setting("courier.jne.branch"),
                         customer_id=setting("courier.jne.customer_id"), timeout=timeout,
                         limits=account_limits(base_url))
    if name == "jnt":
        base = (settings.get("courier.jnt.base_url") or "").strip().rstrip("/")

        def url(kind: str, path: str) -> str:
            override = (settings.get(f"courier.jnt.{kind}_url") or "").strip()
            if override:
                return override
            if not base:
                raise Refused(f"set courier.jnt.base_url or courier.jnt.{kind}_url",
                              field="courier.jnt.base_url")
            return base + path

        order_url = url("order", _jnt.ORDER_PATH)
        return JntClient(order_url, url("tariff", _jnt.TARIFF_PATH),
                         url("track", _jnt.TRACK_PATH), url("cancel", _jnt.CANCEL_PATH),
                         setting("courier.jnt.username"), secret("jnt-api-key"),
                         secret("jnt-sign-key"), setting("courier.jnt.eccompanyid"),
                         secret("jnt-track-password"), timeout=timeout,
                         limits=account_limits(order_url))
    if name == "pos":
        base_url = setting("courier.pos.base_url", _pos.DEFAULT_BASE_URL)
        return PosClient(base_url, secret("pos-consumer-key"), secret("pos-consumer-secret"),
                         setting("courier.pos.customer_id"), timeout=timeout,
                         limits=account_limits(base_url))
    raise Refused(f"unknown courier client {name!r} (one of {', '.join(CLIENT_NAMES)})",
                  field="courier")


__all__ = ["CLIENT_NAMES", "BiteshipClient", "JneClient", "JntClient", "PosClient",
           "make_client", "shared_limits"]

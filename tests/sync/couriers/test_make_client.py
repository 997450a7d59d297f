"""make_client: each client from settings + keyring names; missing ones refused by name."""

from __future__ import annotations

import pytest

from services.errors import Refused
from sync.couriers import BiteshipClient, JneClient, JntClient, PosClient, make_client

SECRETS = {"biteship-api-key": "k1", "jne-api-key": "k2", "jnt-api-key": "k3",
           "jnt-sign-key": "k4", "jnt-track-password": "k5", "pos-consumer-key": "k6",
           "pos-consumer-secret": "k7"}
SETTINGS = {"courier.jne.username": "U", "courier.jne.branch": "CGK000",
            "courier.jne.customer_id": "C1", "courier.jnt.base_url": "http://127.0.0.1:9/",
            "courier.jnt.username": "U", "courier.jnt.eccompanyid": "EC",
            "courier.pos.customer_id": "P1", "courier.biteship.base_url": "http://127.0.0.1:8"}


@pytest.mark.parametrize("name, cls", [("biteship", BiteshipClient), ("jne", JneClient),
                                       ("jnt", JntClient), ("pos", PosClient)])
def test_builds_each_client(name: str, cls: type) -> None:
    client = make_client(name, SETTINGS, SECRETS.get, timeout=3.0)
    try:
        assert isinstance(client, cls) and client.name == name
    finally:
        client.close()


def test_biteship_base_url_setting_and_default() -> None:
    c = make_client("biteship", SETTINGS, SECRETS.get)
    assert "127.0.0.1:8" in repr(c)
    c.close()
    c = make_client("biteship", {}, SECRETS.get)
    assert "api.biteship.com" in repr(c)
    c.close()


def test_jnt_one_base_url_and_overrides() -> None:
    c = make_client("jnt", SETTINGS, SECRETS.get)
    assert "http://127.0.0.1:9/jts-idn-ecommerce-api/api/order/create" in repr(c)
    c.close()
    settings = {k: v for k, v in SETTINGS.items() if k != "courier.jnt.base_url"}
    with pytest.raises(Refused) as caught:
        make_client("jnt", settings, SECRETS.get)
    assert caught.value.field == "courier.jnt.base_url"
    settings.update({f"courier.jnt.{k}_url": f"https://{k}.example/x"
                     for k in ("order", "tariff", "track", "cancel")})
    c = make_client("jnt", settings, SECRETS.get)
    assert "https://order.example/x" in repr(c)
    c.close()


@pytest.mark.parametrize("name, missing", [
    ("biteship", "biteship-api-key"), ("jne", "jne-api-key"), ("jnt", "jnt-sign-key"),
    ("jnt", "jnt-track-password"), ("pos", "pos-consumer-secret")])
def test_missing_secret_is_refused_by_name(name: str, missing: str) -> None:
    secrets = {k: v for k, v in SECRETS.items() if k != missing}
    with pytest.raises(Refused) as caught:
        make_client(name, SETTINGS, secrets.get)
    assert caught.value.field == missing


@pytest.mark.parametrize("name, missing", [
    ("jne", "courier.jne.username"), ("jne", "courier.jne.customer_id"),
    ("jnt", "courier.jnt.eccompanyid"), ("pos", "courier.pos.customer_id")])
def test_missing_setting_is_refused_by_name(name: str, missing: str) -> None:
    settings = {k: v for k, v in SETTINGS.items() if k != missing}
    with pytest.raises(Refused) as caught:
        make_client(name, settings, SECRETS.get)
    assert caught.value.field == missing


def test_unknown_client() -> None:
    with pytest.raises(Refused) as caught:
        make_client("dhl", SETTINGS, SECRETS.get)
    assert caught.value.field == "courier"


def test_clients_of_one_account_share_their_rate_limits() -> None:
    import httpx
    import respx

    from services.courier_port import ShipmentKeys
    from sync.couriers import shared_limits

    settings = {"courier.biteship.base_url": "http://biteship.shared.test"}
    first = make_client("biteship", settings, SECRETS.get)
    second = make_client("biteship", settings, SECRETS.get)
    other = make_client("biteship", {"courier.biteship.base_url": "http://other.test"},
                        SECRETS.get)
    assert shared_limits("biteship", "http://biteship.shared.test/") is shared_limits(
        "biteship", "http://biteship.shared.test")
    keys = ShipmentKeys(reference="r", courier_company="jne", provider_order_id="o1")
    try:
        with respx.mock(assert_all_called=False) as router:
            held = router.get("http://biteship.shared.test/v1/orders/o1").mock(
                return_value=httpx.Response(429, headers={"Retry-After": "30"}))
            free = router.get("http://other.test/v1/orders/o1").mock(
                return_value=httpx.Response(200, json={"id": "o1", "status": "confirmed"}))
            assert first.find(keys).outcome == "retry"
            reply = second.find(keys)  # held by the first client's 429: not sent
            assert reply.outcome == "retry" and reply.retry_after is not None
            assert held.call_count == 1
            assert other.find(keys).outcome == "ok" and free.called
    finally:
        for c in (first, second, other):
            c.close()

"""The written rule for unknown outcomes (sync/message_jobs.py), with scripted providers:
each case is one provider answer sequence, run through the real dispatcher and handlers on a
real SQLite shop."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from app.secrets import cipher_for
from app.shop import Shop
from services.crypto import FieldCipher
from services.message_port import Delivery, EmailOut, PushOut, SendReply, TextOut
from services.messaging import Recipient, message_status, queue_messages
from services.users import Actor
from sync.jobs.dispatcher import Dispatcher
from sync.message_jobs import (
    SENDGRID_RESENT,
    SENDGRID_RULE,
    TEMPLATE_NEEDED,
    FcmPushHandler,
    SendGridEmailHandler,
    TwilioTextHandler,
)
from tests.services.test_messaging_helpers import count, settings

ALERT = {"store_name": "W", "count": "1", "items": "Gula"}


@dataclass
class Script:
    """A provider that answers from a script: "ok", "unknown", "retry", "rejected", "dead"."""

    answers: list[str]
    sent: list[str] = field(default_factory=list)  # message ids of the requests that arrived
    accepted: list[str] = field(default_factory=list)  # ... that the provider kept
    name: str = "script"

    def _answer(self, ids: list[str], pid: str) -> SendReply:
        self.sent.extend(ids)
        answer = self.answers.pop(0) if self.answers else "ok"
        if answer in ("ok", "unknown"):  # an unknown outcome here: accepted, reply lost
            self.accepted.extend(ids)
        if answer == "ok":
            return SendReply("ok", deliveries=tuple(Delivery(i, "queued", pid, "queued")
                                                    for i in ids))
        if answer == "retry":
            return SendReply("retry", message="429", retry_after=0.01)
        if answer == "dead":
            return SendReply("rejected", message="UNREGISTERED", error_code="UNREGISTERED",
                             token_dead=True)
        if answer == "63016":
            return SendReply("rejected", message="63016", error_code="63016")
        return SendReply(answer, message=f"scripted {answer}")

    def close(self) -> None:
        pass


class Text(Script):
    def send(self, text: TextOut) -> SendReply:
        return self._answer([text.message_id], f"SM{len(self.sent):032d}")

    def fetch(self, provider_message_id: str) -> SendReply:
        return SendReply("ok", deliveries=(Delivery("", "delivered", provider_message_id,
                                                    "delivered"),))

    def find_sent(self, text: TextOut, since_iso: str) -> SendReply:
        if text.message_id in self.accepted:
            return SendReply("ok", deliveries=(Delivery(text.message_id, "sent", "SMfound",
                                                        "sent"),))
        return SendReply("ok")


class Email(Script):
    def send(self, mail: EmailOut) -> SendReply:
        return self._answer([r.message_id for r in mail.recipients], "sg-1")


class Push(Script):
    def send(self, push: PushOut) -> SendReply:
        assert push.collapse_key == push.message_id
        return self._answer([push.message_id], "projects/p/messages/1")


@pytest.fixture
def c(shop: Shop) -> FieldCipher:
    return cipher_for(shop)


@pytest.fixture(autouse=True)
def senders(shop: Shop) -> Iterator[None]:
    settings(shop, messaging__email__from="toko@contoh.id",
             messaging__twilio__whatsapp_from="+14155238886")
    yield


def run(shop: Shop, handler: object, provider: str, kind: str, seconds: float = 5.0) -> None:
    """Run the dispatcher until every job is finished (retries wait a few milliseconds)."""
    d = Dispatcher(shop.db, {(provider, kind): handler},  # type: ignore[dict-item]
                   base_delay=0.001, max_delay=0.002)
    began = time.monotonic()
    while time.monotonic() - began < seconds:
        d.run_once()
        if count(shop, "provider_job", "state IN ('pending', 'failed', 'unknown', "
                                       "'in_flight')") == 0:
            return
        time.sleep(0.01)


def queue(shop: Shop, c: FieldCipher, owner: Actor, channel: str, addresses: list[str],
          purpose: str = "transactional", bulk_id: str = "b") -> list[str]:
    with shop.uow() as uow:
        return list(queue_messages(uow, c, owner, channel=channel, template="low_stock",
                                   purpose=purpose, variables=ALERT, bulk_id=bulk_id,
                                   recipients=[Recipient.address(a) for a in addresses]
                                   ).message_ids)


def status(shop: Shop, message_id: str) -> tuple[str, str | None, str | None]:
    with shop.uow(write=False) as uow:
        v = message_status(uow, message_id)
    return v.status, v.job_state, v.message.error


def test_twilio_unknown_is_looked_up_never_sent_twice(shop: Shop, c: FieldCipher,
                                                      owner: Actor) -> None:
    (mid,) = queue(shop, c, owner, "whatsapp", ["0812-0000-0001"])
    text = Text(["unknown"])
    run(shop, TwilioTextHandler(shop.db, c, text, poll_seconds=()), "twilio", "whatsapp")
    assert text.sent == [mid]  # found by the look-up: not sent again
    s, job, _ = status(shop, mid)
    assert (s, job) == ("sent", "succeeded")


def test_twilio_unknown_not_found_is_sent(shop: Shop, c: FieldCipher, owner: Actor) -> None:
    (mid,) = queue(shop, c, owner, "whatsapp", ["0812-0000-0001"])
    text = Text(["lost"])  # "lost": a made-up outcome the script treats as never arrived

    def send(t: TextOut) -> SendReply:  # the first request never reached Twilio
        text.sent.append(t.message_id)
        if len(text.sent) == 1:
            return SendReply("unknown", message="timeout")
        text.accepted.append(t.message_id)
        return SendReply("ok", deliveries=(Delivery(t.message_id, "queued", "SM2", "queued"),))
    text.send = send  # type: ignore[method-assign]
    run(shop, TwilioTextHandler(shop.db, c, text, poll_seconds=(0.0,)), "twilio", "whatsapp")
    assert text.sent == [mid, mid] and text.accepted == [mid]
    s, job, _ = status(shop, mid)
    assert (s, job) == ("delivered", "succeeded")  # and then polled by sid


def test_twilio_63016_asks_for_a_template(shop: Shop, c: FieldCipher, owner: Actor) -> None:
    (mid,) = queue(shop, c, owner, "whatsapp", ["0812-0000-0001"])
    run(shop, TwilioTextHandler(shop.db, c, Text(["63016"])), "twilio", "whatsapp")
    assert status(shop, mid) == ("rejected", "dead", TEMPLATE_NEEDED)


def test_sendgrid_single_transactional_is_resent_once(shop: Shop, c: FieldCipher,
                                                       owner: Actor) -> None:
    (mid,) = queue(shop, c, owner, "email", ["a@contoh.id"])
    email = Email(["unknown", "ok"])
    run(shop, SendGridEmailHandler(shop.db, c, email), "sendgrid", "email")
    assert email.sent == [mid, mid]  # at least once: one resend
    assert status(shop, mid)[:2] == ("queued", "succeeded")


def test_sendgrid_single_twice_unknown_is_left_for_a_person(shop: Shop, c: FieldCipher,
                                                            owner: Actor) -> None:
    (mid,) = queue(shop, c, owner, "email", ["a@contoh.id"])
    email = Email(["unknown", "unknown", "ok"])
    run(shop, SendGridEmailHandler(shop.db, c, email), "sendgrid", "email")
    assert email.sent == [mid, mid]  # never a third time
    assert status(shop, mid) == ("unknown", "dead", SENDGRID_RESENT)


def test_sendgrid_bulk_unknown_is_never_resent(shop: Shop, c: FieldCipher,
                                               owner: Actor) -> None:
    ids = queue(shop, c, owner, "email", ["a@contoh.id", "b@contoh.id"], purpose="alert")
    email = Email(["unknown", "ok"])
    run(shop, SendGridEmailHandler(shop.db, c, email), "sendgrid", "email")
    assert sorted(email.sent) == sorted(ids)  # one request, never again
    for mid in ids:
        assert status(shop, mid) == ("unknown", "dead", SENDGRID_RULE)


def test_sendgrid_retry_is_not_a_send(shop: Shop, c: FieldCipher, owner: Actor) -> None:
    ids = queue(shop, c, owner, "email", ["a@contoh.id", "b@contoh.id"], purpose="alert")
    email = Email(["retry", "retry", "ok"])
    run(shop, SendGridEmailHandler(shop.db, c, email), "sendgrid", "email")
    assert len(email.sent) == 6 and {status(shop, m)[0] for m in ids} == {"queued"}


def test_fcm_unknown_is_resent_with_the_same_collapse_key(shop: Shop, c: FieldCipher,
                                                          owner: Actor) -> None:
    from services.device_tokens import register_token
    with shop.uow() as uow:
        register_token(uow, owner, owner_type="user", owner_id=owner.id,
                       token="abcdefgh:" + "x" * 40, platform="android")
    with shop.uow() as uow:
        (mid,) = queue_messages(uow, c, owner, channel="push", template="low_stock",
                                purpose="alert", variables=ALERT, bulk_id="p",
                                recipients=[Recipient.user(owner.id)]).message_ids
    push = Push(["unknown", "ok"])
    run(shop, FcmPushHandler(shop.db, c, push), "fcm", "push")
    assert push.sent == [mid, mid]  # the Push fake checked collapse_key == message id
    assert status(shop, mid)[:2] == ("queued", "succeeded")


def test_fcm_dead_token_is_deactivated(shop: Shop, c: FieldCipher, owner: Actor) -> None:
    from services.device_tokens import list_tokens, register_token
    with shop.uow() as uow:
        register_token(uow, owner, owner_type="user", owner_id=owner.id,
                       token="abcdefgh:" + "y" * 40, platform="ios")
    with shop.uow() as uow:
        (mid,) = queue_messages(uow, c, owner, channel="push", template="low_stock",
                                purpose="alert", variables=ALERT, bulk_id="p2",
                                recipients=[Recipient.user(owner.id)]).message_ids
    run(shop, FcmPushHandler(shop.db, c, Push(["dead"])), "fcm", "push")
    s, job, error = status(shop, mid)
    assert (s, job) == ("rejected", "succeeded") and "deactivated" in (error or "")
    with shop.uow(write=False) as uow:
        (token,) = list_tokens(uow)
    assert not token.active and token.deactivated_reason == "UNREGISTERED"

"""Biteship (api.biteship.com): rates, a two-step create through draft orders, look-up,
tracking and cancel, for JNE, J&T, POS Indonesia, SiCepat, AnterAja and the rest.

Never two labels for one parcel. A Biteship order is made in two steps:

1. :meth:`BiteshipClient.create_draft` -- ``POST /v1/draft_orders`` with ``reference_id`` =
   our shipment UUID. A draft is no order: no label, no pickup, no charge. The reply is
   ``ok`` with ``draft_order_id``.
2. :meth:`BiteshipClient.confirm_draft` -- ``POST /v1/draft_orders/{id}/confirm`` turns it
   into the order: ``ok`` with ``provider_order_id``, ``waybill_id`` (may still be None),
   ``tracking_id``, ``status`` and ``price``.

**How the job handler uses it** (the safe way): call ``create_draft``, *commit the draft id
on the shipment row*, then call ``confirm_draft``. After a crash, a timeout or an
``unknown`` reply, call ``create(order, keys)`` with the stored ``keys.draft_order_id``:
it reads the draft first (``GET /v1/draft_orders/{id}``) and

- if the draft is already ``confirmed`` it returns ``ok`` with that order's ids (it never
  confirms twice, never makes a second order);
- if it is still ``placed``/``ready`` it confirms it;
- if Biteship has no such draft it makes a new one (a lost draft is no order).

(:meth:`BiteshipClient.resume_draft` is that first part on its own.) Should Biteship refuse
a second draft for the same ``reference_id`` (undocumented; a duplicate-reference error with
``details{order_id, draft_order_id}`` is hinted at by one SDK), the answer is ``exists`` and
``create`` resumes from the ids it names.

``create(order, keys)`` without a draft id chains both steps in one call; its reply carries
``draft_order_id`` whatever the outcome, so a caller that can store it should -- but only the
split use gives a crash between the two steps a stored draft id to resume from.

A lost reply to ``create_draft`` is answered ``retry``, not ``unknown``: at worst an orphan
draft stays behind, and a draft makes no label.

Auth: the bare key in ``Authorization`` (one SDK sends it so; the help centre shows
``Bearer``). Errors come as non-2xx ``{success: false, error, code}``: 401/403 -> rejected
(field ``credentials``), 404 on a look-up -> not_found, 422/400 -> rejected naming the
request field the message names, 429 -> retry (see :mod:`sync.couriers.base`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any
from urllib.parse import quote

import httpx

from services.courier_port import (
    CourierReply,
    Parcel,
    Rate,
    RateRequest,
    ShipmentKeys,
    ShipmentOrder,
    TrackPoint,
    biteship_status,
)
from sync.couriers.base import (
    CREDENTIALS,
    Answer,
    CourierHttp,
    as_dict,
    as_int,
    as_list,
    as_str,
    digits,
    error_text,
    etd_days,
    utc_iso,
)
from sync.jobs.ratelimit import Limit, RateLimits

DEFAULT_BASE_URL = "https://api.biteship.com"
#: Biteship's published limits (definitions.md): orders 20 req/s, rates 20, tracking 50;
#: the sandbox 5. Paced a little under each with a burst of one, because a provider counts
#: in a sliding one-second window: burst + rate × 1 s must stay within the limit, or the
#: 20th request of a busy second earns a 429 and the whole group waits a second.
#: Draft orders (create, read) are their own group: Biteship publishes no limit for them,
#: so they get the orders' rate; if Biteship counts them with the orders after all, its
#: 429s hold the group (honoured) and a batch is slower, never duplicated.
DEFAULT_LIMITS: Mapping[str, Limit] = {
    "orders": Limit(19.0, burst=1.0), "draft_orders": Limit(19.0, burst=1.0),
    "rates": Limit(19.0, burst=1.0), "tracking": Limit(48.0, burst=2.0)}
SANDBOX_LIMITS: Mapping[str, Limit] = {
    "orders": Limit(4.0, burst=1.0), "draft_orders": Limit(4.0, burst=1.0),
    "rates": Limit(4.0, burst=1.0), "tracking": Limit(4.0, burst=1.0)}
#: ``GET /v1/orders/cancellation_reasons`` lists the codes; "others" takes a free text.
DEFAULT_CANCEL_CODE = "others"

#: [unverified] how Biteship words a reused ``reference_id``.
_DUPLICATE = re.compile(r"reference.?id.*(already|exist|duplicate|used|taken)", re.I)


def _id(value: str) -> str:
    return quote(value, safe="")


class BiteshipClient:
    """One Biteship account. Implements :class:`services.courier_port.CourierClient`."""

    name = "biteship"

    def __init__(self, base_url: str = DEFAULT_BASE_URL, api_key: str = "", *,
                 timeout: float = 10.0, limits: RateLimits | None = None,
                 transport: httpx.BaseTransport | None = None, max_wait: float = 2.0) -> None:
        self._http = CourierHttp(
            "biteship", base_url=base_url, timeout=timeout,
            limits=limits if limits is not None else RateLimits(DEFAULT_LIMITS),
            headers={"Authorization": api_key}, transport=transport, max_wait=max_wait,
            secrets=(api_key,))

    def __repr__(self) -> str:  # never the key
        return f"BiteshipClient(base_url={str(self._http.client.base_url)!r})"

    def close(self) -> None:
        self._http.close()

    # --- rates --------------------------------------------------------------------------

    def rates(self, request: RateRequest) -> CourierReply:
        """``POST /v1/rates/couriers`` for ``request.couriers`` (company codes)."""
        body: dict[str, Any] = {"couriers": ",".join(request.couriers) or "jne,jnt,pos",
                                "items": [_item(request.parcel.description,
                                                request.parcel.declared_value,
                                                request.parcel)]}
        for side, place in (("origin", request.origin), ("destination", request.destination)):
            missing = _locate(body, side, place.area_id, place.postal_code)
            if missing:
                return self._http.reply("rejected", f"{side} needs an area id or a postal "
                                        "code", field=missing)
        if request.cod:
            body["destination_cash_on_delivery"] = request.parcel.declared_value
        got = self._http.send("POST", "/v1/rates/couriers", group="rates", write=False,
                              json_body=body)
        if isinstance(got, CourierReply):
            return got
        failed = self._error(got, body, lookup=False)
        if failed is not None:
            return failed
        rates = tuple(r for r in (_rate(p) for p in as_list(got.obj.get("pricing")))
                      if r is not None)
        return CourierReply("ok", rates=tuple(sorted(rates, key=lambda r: r.price)))

    # --- create -------------------------------------------------------------------------

    def create_draft(self, order: ShipmentOrder) -> CourierReply:
        """Step 1: ``POST /v1/draft_orders``. ``ok`` with ``draft_order_id``: store it before
        :meth:`confirm_draft`."""
        body = self._order_body(order)
        if isinstance(body, CourierReply):
            return body
        got = self._http.send("POST", "/v1/draft_orders", group="draft_orders", write=True,
                              json_body=body)
        if isinstance(got, CourierReply):
            if got.outcome == "unknown":  # a lost draft is no order: safe to make another
                return CourierReply("retry", message=got.message)
            return got
        failed = self._error(got, body, lookup=False)
        if failed is not None:
            return failed
        draft_id = as_str(got.obj.get("id"))
        if draft_id is None:
            return self._http.reply("retry", "draft answer without an id")
        return self._draft_reply(got.obj, draft_id)

    def get_draft(self, draft_id: str) -> CourierReply:
        """``GET /v1/draft_orders/{id}``: ``ok`` with its status (queued while placed/ready,
        created once confirmed, then with ``provider_order_id``), or ``not_found``."""
        got = self._http.send("GET", f"/v1/draft_orders/{_id(draft_id)}",
                              group="draft_orders",
                              write=False)
        if isinstance(got, CourierReply):
            return got
        failed = self._error(got, None, lookup=True)
        if failed is not None:
            return failed
        return self._draft_reply(got.obj, draft_id)

    def confirm_draft(self, draft_id: str) -> CourierReply:
        """Step 2: ``POST /v1/draft_orders/{id}/confirm`` -> the order. A refusal is checked
        against the draft: one already confirmed (by a try whose reply was lost) answers
        ``ok`` with its order, not an error."""
        got = self._http.send("POST", f"/v1/draft_orders/{_id(draft_id)}/confirm",
                              group="orders", write=True, json_body={})
        if isinstance(got, CourierReply):
            return _with_draft(got, draft_id)
        failed = self._error(got, None, lookup=False)
        if failed is None:
            return _with_draft(self._order_reply(got.obj), draft_id)
        if failed.outcome in ("rejected", "not_found") and failed.field != CREDENTIALS:
            draft = self.get_draft(draft_id)
            if draft.outcome == "ok" and draft.provider_order_id is not None:
                return self._resolve_confirmed(draft)
        return _with_draft(failed, draft_id)

    def create(self, order: ShipmentOrder, keys: ShipmentKeys) -> CourierReply:
        """Both steps, resuming from ``keys.draft_order_id`` when an earlier try stored one."""
        if keys.provider_order_id is not None:
            return self.find(keys)  # an order exists already: never a second one
        if keys.draft_order_id is not None:
            resumed = self.resume_draft(keys.draft_order_id)
            if resumed.outcome != "not_found":
                return resumed
        draft = self.create_draft(order)
        if draft.outcome == "exists":
            # Biteship already holds our reference: resume from what it names, never a
            # second order. Naming nothing, the reply stays "exists" for the handler.
            if draft.provider_order_id is not None:
                return _with_draft(self.get_order(draft.provider_order_id),
                                   draft.draft_order_id)
            if draft.draft_order_id is not None:
                return self.resume_draft(draft.draft_order_id)
            return draft
        if draft.outcome != "ok" or draft.draft_order_id is None:
            return draft
        return self.confirm_draft(draft.draft_order_id)

    def resume_draft(self, draft_id: str) -> CourierReply:
        """After a lost reply or a crash: read the draft first. Confirmed -> ``ok`` with its
        order (no second confirm); placed/ready -> confirm it; ``not_found`` if Biteship has
        no such draft (making a new one is then safe); other failures as they come."""
        draft = self.get_draft(draft_id)
        if draft.outcome != "ok":
            return draft
        if draft.provider_order_id is not None or draft.status not in (None, "queued"):
            return self._resolve_confirmed(draft)
        return self.confirm_draft(draft_id)

    # --- look-up, tracking, cancel ------------------------------------------------------

    def get_order(self, order_id: str) -> CourierReply:
        """``GET /v1/orders/{id}``: ids, status, price and the courier's history."""
        got = self._http.send("GET", f"/v1/orders/{_id(order_id)}", group="orders",
                              write=False)
        if isinstance(got, CourierReply):
            return got
        failed = self._error(got, None, lookup=True)
        if failed is not None:
            return failed
        return self._order_reply(got.obj, fallback_id=order_id)

    def find(self, keys: ShipmentKeys) -> CourierReply:
        """By order id, else through the draft, else by waybill (public tracking).
        ``not_found`` when nothing we hold names an order: with the two-step create that
        means no order exists (a draft not yet confirmed answers ``not_found`` too, with
        its ``draft_order_id``: confirming it is safe)."""
        if keys.provider_order_id is not None:
            return self.get_order(keys.provider_order_id)
        if keys.draft_order_id is not None:
            draft = self.get_draft(keys.draft_order_id)
            if draft.outcome != "ok":
                return draft
            if draft.provider_order_id is not None or draft.status not in (None, "queued"):
                return self._resolve_confirmed(draft)
            return CourierReply("not_found", message="biteship: draft not confirmed yet",
                                draft_order_id=keys.draft_order_id, status="queued",
                                provider_status=draft.provider_status)
        if keys.waybill_id is not None:
            return self._track_waybill(keys.waybill_id, keys.courier_company)
        return CourierReply("not_found", message="biteship: no draft or order id stored: "
                            "no order was made")

    def track(self, keys: ShipmentKeys) -> CourierReply:
        """``GET /v1/trackings/{tracking_id}``; without one, the public waybill tracking
        ``/v1/trackings/{waybill}/couriers/{company}``; without either, the order."""
        if keys.tracking_id is not None:
            got = self._http.send("GET", f"/v1/trackings/{_id(keys.tracking_id)}",
                                  group="tracking", write=False)
            return self._tracking_reply(got)
        if keys.waybill_id is not None:
            return self._track_waybill(keys.waybill_id, keys.courier_company)
        if keys.provider_order_id is not None:
            return self.get_order(keys.provider_order_id)
        return CourierReply("not_found", message="biteship: nothing to track yet")

    def cancel(self, keys: ShipmentKeys, reason: str, *,
               reason_code: str = DEFAULT_CANCEL_CODE) -> CourierReply:
        """``POST /v1/orders/{id}/cancel``. ``ok`` (status cancelled) or ``rejected`` with
        Biteship's reason (after pickup, an unknown order...)."""
        if keys.provider_order_id is None:
            return self._http.reply("rejected", "no Biteship order to cancel yet",
                                    field="shipment")
        body = {"cancellation_reason_code": reason_code, "cancellation_reason": reason}
        got = self._http.send("POST", f"/v1/orders/{_id(keys.provider_order_id)}/cancel",
                              group="orders", write=True, json_body=body)
        if isinstance(got, CourierReply):
            return got
        failed = self._error(got, body, lookup=False)
        if failed is not None:
            return failed
        word = as_str(got.obj.get("status")) or ""
        if word.lower() == "cancelled":
            return CourierReply("ok", status="cancelled", provider_status=word,
                                provider_order_id=keys.provider_order_id)
        return self._http.reply("rejected", error_text(got.obj) or f"cancel {word or 'refused'}",
                                provider_status=word or None, field="shipment")

    # --- plumbing -----------------------------------------------------------------------

    def _track_waybill(self, waybill: str, company: str) -> CourierReply:
        got = self._http.send("GET", f"/v1/trackings/{_id(waybill)}/couriers/{_id(company)}",
                              group="tracking", write=False)
        return self._tracking_reply(got)

    def _tracking_reply(self, got: Answer | CourierReply) -> CourierReply:
        if isinstance(got, CourierReply):
            return got
        failed = self._error(got, None, lookup=True)
        if failed is not None:
            return failed
        body = got.obj
        courier = as_dict(body.get("courier"))
        word = as_str(body.get("status"))
        history = _history(body.get("history"))
        return CourierReply(
            "ok", status=_ours(word) or (history[-1].status if history else None),
            provider_status=word, provider_order_id=as_str(body.get("order_id")),
            waybill_id=as_str(body.get("waybill_id")) or as_str(courier.get("waybill_id")),
            tracking_id=as_str(body.get("id")), history=history)

    def _resolve_confirmed(self, draft: CourierReply) -> CourierReply:
        """A confirmed draft: the order's ids (from the order itself when we can read it)."""
        if draft.provider_order_id is None:
            return draft
        order = self.get_order(draft.provider_order_id)
        if order.outcome == "ok":
            return _with_draft(order, draft.draft_order_id)
        return draft  # the draft's own view of the order is still an answer

    def _draft_reply(self, body: Mapping[str, Any], draft_id: str) -> CourierReply:
        word = as_str(body.get("status"))
        courier = as_dict(body.get("courier"))
        order_id = as_str(body.get("order_id"))
        return CourierReply(
            "ok", status=_ours(word), provider_status=word, draft_order_id=draft_id,
            provider_order_id=order_id, waybill_id=as_str(courier.get("waybill_id")),
            tracking_id=as_str(courier.get("tracking_id")), price=as_int(body.get("price")))

    def _order_reply(self, body: Mapping[str, Any], fallback_id: str | None = None
                     ) -> CourierReply:
        word = as_str(body.get("status"))
        courier = as_dict(body.get("courier"))
        history = _history(courier.get("history"))
        return CourierReply(
            "ok", status=_ours(word), provider_status=word,
            provider_order_id=as_str(body.get("id")) or fallback_id,
            draft_order_id=as_str(body.get("draft_order_id")),
            waybill_id=as_str(courier.get("waybill_id")),
            tracking_id=as_str(courier.get("tracking_id")),
            price=as_int(body.get("price")), history=history)

    def _error(self, got: Answer, sent: Mapping[str, Any] | None, *, lookup: bool
               ) -> CourierReply | None:
        """None for a 2xx success body; else the reply its error deserves."""
        body = got.obj
        status = got.status
        if 200 <= status < 300 and body.get("success") is not False and got.body is not None:
            return None
        message = error_text(body) or f"HTTP {status}"
        code = as_str(body.get("code"))
        text = f"{message} (HTTP {status}{', code ' + code if code else ''})"
        if status in (401, 403):
            return self._http.reply("rejected", f"API key refused: {text}", field=CREDENTIALS)
        if status == 404 and lookup:
            return self._http.reply("not_found", text)
        if 200 <= status < 300 and got.body is None:
            # A success status without a JSON body is no answer we can act on.
            return self._http.reply("unknown" if not lookup else "retry",
                                    f"unreadable answer (HTTP {status})")
        details = as_dict(body.get("details"))
        if status in (400, 409, 422) and sent is not None and "reference_id" in sent and (
                details.get("order_id") or details.get("draft_order_id")
                or _DUPLICATE.search(message)):
            # [unverified] a second order/draft with our reference_id: already made.
            return self._http.reply(
                "exists", text, provider_order_id=as_str(details.get("order_id")),
                draft_order_id=as_str(details.get("draft_order_id")),
                waybill_id=as_str(details.get("waybill_id")))
        return self._http.reply("rejected", text, field=_named_field(message, sent))

    def _order_body(self, order: ShipmentOrder) -> dict[str, Any] | CourierReply:
        o, d = order.origin, order.destination
        body: dict[str, Any] = {
            "origin_contact_name": o.name, "origin_contact_phone": o.phone,
            "origin_address": o.address,
            "destination_contact_name": d.name, "destination_contact_phone": d.phone,
            "destination_address": d.address,
            "courier_company": order.courier_company, "courier_type": order.service_code,
            "delivery_type": "now", "reference_id": order.reference,
            "items": [_item(order.parcel.description, order.parcel.declared_value,
                            order.parcel)],
        }
        if o.note:
            body["origin_note"] = o.note
        if d.note:
            body["destination_note"] = d.note
        if d.email:
            body["destination_contact_email"] = d.email
        if order.note:
            body["order_note"] = order.note
        if order.cod_amount:
            body["destination_cash_on_delivery"] = order.cod_amount
        for side, place in (("origin", o), ("destination", d)):
            missing = _locate(body, side, place.area_id, place.postal_code)
            if missing:
                return self._http.reply("rejected", f"{side} needs an area id or a postal "
                                        "code", field=missing)
        return body


def _item(name: str, value: int, parcel: Parcel) -> dict[str, Any]:
    """The parcel as one item: its whole weight and declared value (Biteship multiplies an
    item's weight and value by its quantity, so quantity 1 keeps the totals exact)."""
    return {"name": name[:100] or "Paket", "description": name[:100] or "Paket",
            "value": value, "length": parcel.length_cm, "width": parcel.width_cm,
            "height": parcel.height_cm, "weight": parcel.weight_g, "quantity": 1}


def _locate(body: dict[str, Any], side: str, area_id: str | None,
            postal_code: str | None) -> str | None:
    """Area id (preferred) or integer postal code; the field to name when neither is set."""
    if area_id:
        body[f"{side}_area_id"] = area_id
        return None
    code = digits(postal_code)
    if code is None:
        return f"{side}_postal_code"
    body[f"{side}_postal_code"] = code
    return None


def _rate(entry: Any) -> Rate | None:
    if not isinstance(entry, dict):
        return None
    price = as_int(entry.get("price"))
    company = as_str(entry.get("courier_code"))
    service = as_str(entry.get("courier_service_code"))
    if price is None or company is None or service is None:
        return None
    low, high = etd_days(entry.get("shipment_duration_range") or entry.get("duration"))
    unit = (as_str(entry.get("shipment_duration_unit")) or "days").lower()
    if unit.startswith("hour"):
        low, high = (0, 0) if low is not None else (None, None)
    name = " ".join(p for p in (as_str(entry.get("courier_name")),
                                as_str(entry.get("courier_service_name"))) if p)
    return Rate(courier="biteship", courier_company=company, service_code=service,
                service_name=name or service, price=price, etd_min_days=low,
                etd_max_days=high,
                cod_available=entry.get("available_for_cash_on_delivery") is True)


def _ours(word: str | None) -> str | None:
    return biteship_status(word) if word else None


def _history(entries: Any) -> tuple[TrackPoint, ...]:
    points: list[TrackPoint] = []
    for entry in as_list(entries):
        if not isinstance(entry, dict):
            continue
        word = as_str(entry.get("status"))
        ours = _ours(word)
        at = utc_iso(entry.get("updated_at"))
        if ours is None or at is None:
            continue  # a word or a stamp we cannot read is no status change we can record
        points.append(TrackPoint(status=ours, provider_status=word,
                                 note=as_str(entry.get("note")), at=at))
    return tuple(points)


def _with_draft(reply: CourierReply, draft_id: str | None) -> CourierReply:
    if draft_id is None or reply.draft_order_id == draft_id:
        return reply
    return replace(reply, draft_order_id=draft_id)


def _named_field(message: str, sent: Mapping[str, Any] | None) -> str | None:
    """The request field a validation message names ("destination_postal_code is
    invalid"), longest name first so ``origin_contact_phone`` beats ``origin``."""
    if not sent:
        return None
    lowered = message.lower()
    for key in sorted(sent, key=len, reverse=True):
        if key.lower() in lowered:
            return key
    return None


__all__ = ["DEFAULT_BASE_URL", "DEFAULT_CANCEL_CODE", "DEFAULT_LIMITS", "SANDBOX_LIMITS",
           "BiteshipClient"]

"""What a provider job is about, in words the sync panel shows beside it.

A job's payload holds ids only (never a customer's details), so the panel reads the rows it
points at: a charge or refund names its receipt, a shipment its receipt, courier and airway
bill, a message its template and the recipient's masked address. Nothing here decrypts.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, select

from local_db.jobs import JobRow
from local_db.models import Message, Payment, Sale, Shipment


def job_details(conn: Connection, jobs: Iterable[JobRow]) -> dict[str, str]:
    """job id -> a short description, for the jobs it can say something about."""
    jobs = list(jobs)
    refs = {j.ref_id for j in jobs if j.ref_id}
    out: dict[str, str] = {}
    if not refs:
        return out
    shipments = {r.id: r for r in conn.execute(
        select(Shipment.id, Shipment.courier_company, Shipment.service_code,
               Shipment.waybill_id, Sale.receipt_no)
        .join(Sale, Sale.id == Shipment.sale_id).where(Shipment.id.in_(refs))).all()}
    messages = {r.id: r for r in conn.execute(
        select(Message.id, Message.template, Message.recipient_hint)
        .where(Message.id.in_(refs))).all()}
    bulks: dict[str, int] = {}
    bulk_template: dict[str, str] = {}
    for r in conn.execute(select(Message.bulk_id, Message.template)
                          .where(Message.bulk_id.in_(refs))).all():
        if r.bulk_id is not None:
            bulks[r.bulk_id] = bulks.get(r.bulk_id, 0) + 1
            bulk_template[r.bulk_id] = r.template
    payments = {r.id: r.receipt_no for r in conn.execute(
        select(Payment.id, Sale.receipt_no).join(Sale, Sale.id == Payment.sale_id)
        .where(Payment.id.in_(refs))).all()}
    for j in jobs:
        ref = j.ref_id
        if ref is None:
            continue
        if ref in shipments:
            s = shipments[ref]
            parts = [s.receipt_no, f"{s.courier_company.upper()} {s.service_code.upper()}"]
            if s.waybill_id:
                parts.append(s.waybill_id)
            out[j.id] = " · ".join(parts)
        elif ref in messages:
            m = messages[ref]
            out[j.id] = f"{m.template} → {m.recipient_hint}"
        elif ref in bulks:
            out[j.id] = f"{bulk_template.get(ref, '')} → {bulks[ref]}"
        elif ref in payments:
            out[j.id] = payments[ref]
    return out


__all__ = ["job_details"]

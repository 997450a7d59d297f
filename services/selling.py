"""Completing a sale: one transaction writes the sale, its lines, payments, stock movements,
journal entry, audit record and outbox event, and assigns the receipt number at commit.

Approvals (PIN checks) run before anything is written, because a wrong PIN is itself
recorded (lockout counting) and must not carry half a sale with it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection

from local_db.fastpath import hot_execute, insert_sql
from local_db.ids import now_iso, uuid7
from local_db.models import Payment, Sale, SaleLine, StockMovement
from local_db.store import append_audit, append_outbox, next_counter, post_journal
from local_db.uow import UnitOfWork
from services import accounts as acc
from services.cart import Cart, Discount, PricedCart, price_cart
from services.catalogue import WEIGHED_UNITS, lookup_item
from services.errors import BadInput, NotFound, Refused
from services.money import MAX_QTY_MILLI
from services.promo_codes import PromoUse, apply_promo, record_use
from services.kasbon_query import add_kasbon_entry, kasbon_balance
from services.loyalty import LoyaltyPlan, plan_sale, record_sale
from services.ports import PaymentPort, ProviderPayment
from services.shifts_query import require_open_shift
from services.shop import ShopConfig
from services.tender import (
    CASH,
    KASBON,
    MANUAL_METHODS,
    PROVIDER_METHODS,
    TenderInput,
    TenderResult,
    settle,
)
from services.users import Actor, approve, authorize_approver, may_sell


# The sale's statements run through local_db.fastpath: SQLAlchemy's per-statement overhead
# was most of a sale's CPU time. The INSERTs come from the models.
_LEVEL_CHANGE = ("UPDATE stock_level SET qty_milli = qty_milli + ? WHERE product_id = ? "
                 "RETURNING qty_milli")
_CUSTOMER = "SELECT name, credit_limit, erased_at FROM customer WHERE id = ?"


@dataclass(frozen=True, slots=True)
class LineRequest:
    code: str  # barcode or SKU
    qty_milli: int
    unit_price: int | None = None  # a price override
    discount: Discount = Discount()


@dataclass(frozen=True, slots=True)
class PaymentRequest:
    method: str
    amount: int
    provider_ref: str | None = None


@dataclass(frozen=True, slots=True)
class Approval:
    """A supervisor's (or owner's) name and PIN as typed, not yet checked."""

    user: str
    pin: str = field(repr=False)  # never in a log line or a traceback


@dataclass(frozen=True, slots=True)
class SaleRequest:
    lines: tuple[LineRequest, ...]
    payments: tuple[PaymentRequest, ...]
    discount: Discount = Discount()
    customer_id: str | None = None
    approval: Approval | None = None  # a supervisor's name and PIN, checked at checkout
    # An approval already given as a value (a supervisor's grants at the till, matched to
    # the till's cart by services.checkout.sale_request); used if the role covers the need.
    approved_by: Actor | None = None
    promo_code: str | None = None  # services.promo_codes: the order discount it gives


@dataclass(frozen=True, slots=True)
class SoldLine:
    line_no: int
    sku: str
    name: str
    unit: str
    qty_milli: int
    unit_price: int
    discount: int
    gross: int
    tax: int


@dataclass(frozen=True, slots=True)
class PaidBy:
    method: str
    amount: int
    tendered: int
    change: int


@dataclass(frozen=True, slots=True)
class SaleResult:
    id: str
    receipt_no: str
    seq: int
    created_at: str
    cashier: str
    customer_id: str | None
    lines: tuple[SoldLine, ...]
    payments: tuple[PaidBy, ...]
    subtotal: int
    discount_total: int
    tax_total: int
    total: int
    rounding: int
    payable: int
    change: int
    negative_stock: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def build_cart(conn: Connection, req: SaleRequest) -> Cart:
    if not req.lines:
        raise BadInput("a sale needs at least one line", field="lines")
    cart = Cart(discount=req.discount, customer_id=req.customer_id)
    for i, line in enumerate(req.lines):
        item = lookup_item(conn, line.code, field=f"lines[{i}].code")
        if item.unit not in WEIGHED_UNITS and line.qty_milli % 1000:
            raise BadInput(f"{item.name} is sold per {item.unit}: whole quantities only",
                           field=f"lines[{i}].qty")
        cart = cart.add(item, line.qty_milli, unit_price=line.unit_price, discount=line.discount)
        # Lines of the same product merge: the per-line cap holds for the merged line too.
        if any(x.qty_milli > MAX_QTY_MILLI for x in cart.lines):
            raise BadInput(f"{item.name}: more than 10.000 on one line (lines of the same "
                           "product add up)", field=f"lines[{i}].qty")
    return cart


def _needs_approval(config: ShopConfig, actor: Actor, priced: PricedCart) -> list[dict[str, Any]]:
    """What in this cart goes beyond the cashier's own rights (each item is audited)."""
    limit = config.discount_limits[actor.role]
    reasons: list[dict[str, Any]] = []
    for p in priced.lines:
        pct = p.line.discount.percent_of(p.base)
        if pct > limit:
            reasons.append({"what": "discount.over_limit", "sku": p.line.item.sku,
                            "percent": str(round(pct, 2)), "limit": str(limit)})
        if p.line.price_overridden:
            reasons.append({"what": "price.override", "sku": p.line.item.sku,
                            "from": p.line.item.unit_price, "to": p.line.unit_price})
    order_base = sum(p.base - p.line_discount for p in priced.lines)
    pct = priced.cart.discount.percent_of(order_base)
    if pct > limit:
        reasons.append({"what": "discount.over_limit", "sku": None,
                        "percent": str(round(pct, 2)), "limit": str(limit)})
    return reasons


def _journal_lines(priced: PricedCart, applied: list[tuple[str, int]], rounding: int,
                   cost: int) -> list[tuple[str, int, int]]:
    lines: list[tuple[str, int, int]] = []
    for method, amount in applied:
        lines.append((acc.account_for_method(method), amount, 0))
    lines.append((acc.REVENUE, 0, priced.net_total))
    lines.append((acc.PPN_PAYABLE, 0, priced.tax_total))
    if rounding > 0:
        lines.append((acc.ROUNDING, 0, rounding))
    elif rounding < 0:
        lines.append((acc.ROUNDING, -rounding, 0))
    if cost:
        lines += [(acc.COGS, cost, 0), (acc.INVENTORY, 0, cost)]
    return lines


@dataclass(frozen=True, slots=True)
class CheckedSale:
    """A sale that passed every check a commit makes, before anything is written: what it
    costs, how it is paid, and what in it goes beyond the cashier's own rights."""

    shift_id: str
    priced: PricedCart
    tender: TenderResult
    over: tuple[dict[str, Any], ...]  # each is audited with the sale
    needed: str | None  # the role that must approve ``over`` (None: nothing to approve)
    kasbon_amount: int
    promo: PromoUse | None = None  # the promo code the sale uses (written with it)
    loyalty: LoyaltyPlan | None = None  # the member's points (services/loyalty.py)


def check_sale(conn: Connection, config: ShopConfig, actor: Actor,
               req: SaleRequest) -> CheckedSale:
    """Everything about a sale that can be refused, without writing: shift, lines,
    quantities, discounts, tender, customer and kasbon limit, and which role must approve
    what is beyond ``actor``'s rights. ``complete_sale`` makes exactly these checks again
    in its own transaction; ``services.checkout`` makes them before it charges a customer,
    so a customer is never charged for a sale the commit would refuse."""
    shift_id = require_open_shift(conn, config.terminal_id)
    # Who may act (services.users): never a locked user; without a PIN (the till's default
    # actor) only a plain sale, so a supervisor's own rights count only with their PIN.
    actor = may_sell(conn, actor)
    rights = actor if actor.pin_checked else Actor(actor.id, actor.name, "cashier")
    cart = build_cart(conn, req)
    promo = None
    if req.promo_code:
        cart, promo = apply_promo(conn, cart, req.promo_code, at=now_iso())
    priced = price_cart(cart, config.tax_rules, pkp=config.pkp)
    tender = settle(priced.total, [TenderInput(p.method, p.amount) for p in req.payments],
                    rounding_unit=config.rounding_unit, rounding_mode=config.rounding_mode)
    over = _needs_approval(config, rights, priced)
    if promo is not None:  # the owner set the code's order discount: no cashier limit
        over = [r for r in over if r["sku"] is not None or r["what"] != "discount.over_limit"]
    needed: str | None = None
    if over:
        needed = "owner" if any(
            r["what"] == "discount.over_limit"
            and Decimal(r["percent"]) > config.discount_limits["supervisor"] for r in over
        ) else "supervisor"
        if rights.at_least(needed):
            needed = None  # the cashier's own rights cover it (audited with them)
    kasbon_amount = sum(p.amount for p in tender.payments if p.method == KASBON)
    if req.customer_id is not None or kasbon_amount:
        if req.customer_id is None:
            raise BadInput("a kasbon sale needs a customer", field="customer")
        # On the sale path of every member's sale (loyalty, issue 15): the fast path.
        row = hot_execute(conn, _CUSTOMER, (req.customer_id,))
        if row is None or row[2] is not None:
            raise NotFound(f"no customer {req.customer_id}", field="customer")
        if kasbon_amount:
            balance = kasbon_balance(conn, req.customer_id)
            if balance + kasbon_amount > row[1]:
                raise Refused(f"kasbon limit of {row[0]} exceeded: owes {balance}, "
                              f"limit {row[1]}, this sale adds {kasbon_amount}",
                              field="customer")
    loyalty = plan_sale(conn, req.customer_id, priced,
                        [(p.method, p.amount) for p in tender.payments])
    return CheckedSale(shift_id, priced, tender, tuple(over), needed, kasbon_amount, promo,
                       loyalty=loyalty)


def sale_approver(uow: UnitOfWork, actor: Actor, checked: CheckedSale,
                  approval: Approval | None, approved_by: Actor | None) -> Actor | None:
    """Who approves what in ``checked`` is beyond ``actor``'s rights: ``actor`` when
    nothing is, ``approved_by`` (an approval already given as a value: a supervisor's
    grant at the till) when their role covers it, else the PIN in ``approval``, checked
    now (a wrong PIN is counted and committed by services.users before the refusal)."""
    if not checked.over:
        return None
    if checked.needed is None:
        return actor
    if approved_by is not None and approved_by.at_least(checked.needed):
        return authorize_approver(uow, approved_by, checked.needed,
                                  "a discount over your limit or a price override")
    return approve(uow, approval.user if approval else None,
                   approval.pin if approval else None, checked.needed,
                   "a discount over your limit or a price override")


def complete_sale(uow: UnitOfWork, config: ShopConfig, actor: Actor, req: SaleRequest, *,
                  payments_port: PaymentPort | None = None,
                  approved_by: Actor | None = None) -> SaleResult:
    """Commit the sale. ``approved_by``: someone who already approved this cart's
    discounts (a grant given at the till, or an approval ``services.checkout`` checked
    before charging); used in place of ``req.approval`` only if their role covers what
    the cart needs. Most callers go through ``services.checkout.checkout``."""
    conn = uow.conn
    checked = check_sale(conn, config, actor, req)
    priced, tender, shift_id = checked.priced, checked.tender, checked.shift_id

    # --- rights and approvals, before anything is written -----------------------------
    over = checked.over
    approver = sale_approver(uow, actor, checked, req.approval,
                             approved_by or req.approved_by)
    kasbon_amount = checked.kasbon_amount
    for i, pay in enumerate(req.payments):
        if pay.method in PROVIDER_METHODS:
            if payments_port is None:
                raise Refused(f"{pay.method} needs the payment provider, which this till "
                              "cannot reach; take cash or kasbon", field=f"payments[{i}].method")
            if not pay.provider_ref or not payments_port.is_settled(
                    ProviderPayment(pay.method, pay.amount, pay.provider_ref)):
                raise Refused(f"{pay.method} payment is not settled", field=f"payments[{i}]")

    # --- the write: one transaction ----------------------------------------------------
    stamp = now_iso()
    sale_id = uuid7()
    seq = next_counter(conn, "receipt")
    receipt_no = config.receipt_no(seq)
    cost_total = sum(p.cost for p in priced.lines)
    sale_row = {
        "id": sale_id, "seq": seq, "receipt_no": receipt_no, "terminal_id": config.terminal_id,
        "shift_id": shift_id, "cashier_id": actor.id, "customer_id": req.customer_id,
        "created_at": stamp, "subtotal": priced.subtotal,
        "discount_total": priced.discount_total, "net_total": priced.net_total,
        "tax_total": priced.tax_total, "total": priced.total, "rounding": tender.rounding,
        "payable": tender.payable, "change": tender.change, "status": "completed"}
    hot_execute(conn, insert_sql(Sale), sale_row)
    line_rows = [{
        "id": uuid7(), "sale_id": sale_id, "line_no": n, "product_id": p.line.item.product_id,
        "sku": p.line.item.sku, "name": p.line.item.name, "unit": p.line.item.unit,
        "qty_milli": p.line.qty_milli, "list_price": p.line.item.unit_price,
        "unit_price": p.line.unit_price, "line_discount": p.line_discount,
        "order_discount": p.order_discount, "gross": p.gross, "net": p.net, "tax": p.tax,
        "cost": p.cost, "tax_class": p.line.item.tax_class,
    } for n, p in enumerate(priced.lines, start=1)]
    hot_execute(conn, insert_sql(SaleLine), line_rows)
    pay_rows = [{
        "id": uuid7(), "sale_id": sale_id, "method": p.method, "amount": p.amount,
        "tendered": p.tendered, "change": p.change, "status": "settled",
        "provider_ref": req.payments[i].provider_ref,
    } for i, p in enumerate(tender.payments)]
    hot_execute(conn, insert_sql(Payment), pay_rows)

    moves = [{
        "id": uuid7(), "product_id": p.line.item.product_id, "qty_milli": -p.line.qty_milli,
        "kind": "sale", "ref_id": sale_id, "unit_cost": p.line.item.unit_cost, "reason": None,
        "supplier": None, "user_id": actor.id, "created_at": stamp,
    } for p in priced.lines if p.line.item.tracks_stock]
    negative: list[str] = []
    if moves:
        hot_execute(conn, insert_sql(StockMovement), moves)
        for m, p in zip(moves, [p for p in priced.lines if p.line.item.tracks_stock],
                        strict=True):
            row = hot_execute(conn, _LEVEL_CHANGE, (m["qty_milli"], m["product_id"]))
            level = None if row is None else row[0]
            if level is not None and level < 0:
                negative.append(p.line.item.sku)
    if kasbon_amount:
        add_kasbon_entry(conn, str(req.customer_id), kasbon_amount, "sale", sale_id, KASBON,
                         shift_id, stamp)
    if checked.loyalty is not None:  # one accrual per sale, in the sale's transaction
        record_sale(conn, checked.loyalty, sale_id, config.terminal_id, actor.id, stamp)
    if checked.promo is not None:
        record_use(conn, checked.promo, sale_id=sale_id,
                   discount=sum(p.order_discount for p in priced.lines), at=stamp)
    if payments_port is not None:
        for pay in req.payments:
            if pay.method in PROVIDER_METHODS and pay.provider_ref:
                payments_port.taken(ProviderPayment(pay.method, pay.amount, pay.provider_ref),
                                    sale_id)
    entry_id = post_journal(conn, kind="sale", ref_id=sale_id, memo=receipt_no,
                            lines=_journal_lines(priced, [(p.method, p.amount)
                                                          for p in tender.payments],
                                                 tender.rounding, cost_total),
                            created_at=stamp)
    append_audit(conn, "sale.complete", entity="sale", entity_id=sale_id, actor_id=actor.id,
                 details={"receipt_no": receipt_no, "payable": tender.payable},
                 created_at=stamp)
    for r in over:
        append_audit(conn, r["what"], entity="sale", entity_id=sale_id, actor_id=actor.id,
                     approver_id=approver.id if approver else None, details=r,
                     created_at=stamp)
    append_outbox(conn, "sale.completed", {
        "sale": sale_row,
        "lines": line_rows, "payments": pay_rows,
        "stock_movements": moves,  # in full since event schema version 2
        "journal_entry_id": entry_id,
    }, aggregate_id=sale_id, created_at=stamp)
    uow.commit()

    return SaleResult(
        id=sale_id, receipt_no=receipt_no, seq=seq, created_at=stamp, cashier=actor.name,
        customer_id=req.customer_id,
        lines=tuple(SoldLine(n, p.line.item.sku, p.line.item.name, p.line.item.unit,
                             p.line.qty_milli, p.line.unit_price, p.discount, p.gross, p.tax)
                    for n, p in enumerate(priced.lines, start=1)),
        payments=tuple(PaidBy(p.method, p.amount, p.tendered, p.change)
                       for p in tender.payments),
        subtotal=priced.subtotal, discount_total=priced.discount_total,
        tax_total=priced.tax_total, total=priced.total, rounding=tender.rounding,
        payable=tender.payable, change=tender.change, negative_stock=tuple(negative))


__all__ = ["CASH", "MANUAL_METHODS", "Approval", "CheckedSale", "LineRequest",
           "PaymentRequest", "SaleRequest", "SaleResult", "check_sale", "complete_sale",
           "sale_approver"]

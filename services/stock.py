"""Stock: an append-only movement ledger. Levels are derived; ``stock_level`` is a cache that
``verify`` checks against the movements. Negative levels are allowed and flagged: an
offline sale is never refused for stock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, insert, select, update

from local_db.ids import now_iso, uuid7
from local_db.models import GoodsReceipt, Product, StockLevel, StockMovement
from local_db.store import append_audit, append_outbox, post_journal, read_settings
from local_db.uow import UnitOfWork
from services import accounts as acc
from services.catalogue import WEIGHED_UNITS, qty_in_unit
from services.catalogue_query import find_unit, unit_of
from services.errors import BadInput, NotFound
from services.inputs import check_text
from services.money import line_amount, milli_to_decimal, rupiah, to_rupiah
from services.payables import check_due_date, open_payable
from services.shifts import take_from_drawer
from services.users import Actor, authorize, require

#: The longest reason of an adjustment, waste or count (as for refunds).
MAX_REASON = 200

PAID_FROM = {"payable": acc.ACCOUNTS_PAYABLE, "cash": acc.CASH_DRAWER,
             "capital": acc.OWNER_CAPITAL, "bank": acc.BANK}


@dataclass(frozen=True, slots=True)
class ReceivedLine:
    code: str
    qty_milli: int
    unit_cost: int


@dataclass(frozen=True, slots=True)
class ReceiveLineForm:
    """A line of goods received as typed into the back office's form."""

    code: str  # SKU or barcode
    qty: str
    unit_cost: str


@dataclass(frozen=True, slots=True)
class GoodsReceived:
    receipt_id: str
    lines: int
    total_cost: int


@dataclass(frozen=True, slots=True)
class StockLine:
    product_id: str
    sku: str
    name: str
    unit: str
    qty_milli: int
    low_stock_milli: int

    @property
    def qty(self) -> str:
        return str(milli_to_decimal(self.qty_milli))


@dataclass(frozen=True, slots=True)
class MovementResult:
    movement_id: str | None
    sku: str
    qty_milli: int  # signed change
    level_milli: int  # level after
    value: int  # at cost, signed


def _product(conn: Connection, code: str, field: str) -> tuple[str, str, str, int, bool]:
    r = conn.execute(select(Product.id, Product.sku, Product.unit, Product.cost,
                            Product.tracks_stock).where(Product.sku == code)).first()
    if r is None:
        from local_db.models import Barcode
        r = conn.execute(select(Product.id, Product.sku, Product.unit, Product.cost,
                                Product.tracks_stock)
                         .join(Barcode, Barcode.product_id == Product.id)
                         .where(Barcode.code == code)).first()
    if r is None:
        raise NotFound(f"no product with SKU or barcode '{code}'", field=field)
    if not r[4]:
        raise BadInput(f"{r[1]} does not track stock", field=field)
    return str(r[0]), str(r[1]), str(r[2]), int(r[3]), bool(r[4])


def level(conn: Connection, product_id: str) -> int:
    return int(conn.execute(select(StockLevel.qty_milli)
                            .where(StockLevel.product_id == product_id)).scalar() or 0)


def _move(conn: Connection, product_id: str, qty_milli: int, kind: str, *, ref_id: str | None,
          unit_cost: int, reason: str | None, supplier: str | None, user_id: str | None,
          stamp: str) -> tuple[str, int]:
    move_id = uuid7()
    conn.execute(insert(StockMovement).values(
        id=move_id, product_id=product_id, qty_milli=qty_milli, kind=kind, ref_id=ref_id,
        unit_cost=unit_cost, reason=reason, supplier=supplier, user_id=user_id, created_at=stamp))
    after = conn.execute(update(StockLevel).where(StockLevel.product_id == product_id)
                         .values(qty_milli=StockLevel.qty_milli + qty_milli)
                         .returning(StockLevel.qty_milli)).scalar()
    return move_id, int(after or 0)


def receive_goods(uow: UnitOfWork, actor: Actor, *, supplier: str, lines: list[ReceivedLine],
                  paid_from: str = "payable", document_no: str | None = None,
                  due_date: str | date | None = None, faktur_no: str | None = None,
                  input_tax: int = 0) -> str:
    """Goods received from a supplier: stock in at cost, moving-average product cost,
    Dr Inventory / Cr Accounts payable (or cash, bank, owner's capital for opening stock).
    Paid in cash, it is a cash out of this till's open shift (services.shifts's rule).

    On credit (``paid_from="payable"``) the goods are also a payable (services.payables,
    source ``goods``, source_id the goods receipt's id) due on ``due_date`` (optional).
    A PKP shop (setting ``pkp`` = "1") books the supplier's input tax from its faktur pajak
    (``faktur_no``, required with ``input_tax``): the lines' costs are net of it, Dr
    Inventory (net) + Dr 1-1600 PPN masukan / Cr the gross (net + input tax). A shop that is
    not PKP cannot claim input tax: its costs go whole into inventory and ``input_tax`` above
    zero is refused, naming the field."""
    authorize(uow, actor, "supervisor", "receiving goods")
    conn = uow.conn
    supplier = check_text(supplier or "", field="supplier", max_len=120)
    if not supplier:
        raise BadInput("a supplier is needed", field="supplier")
    if document_no is not None:
        document_no = check_text(document_no, field="document_no", max_len=60) or None
    if paid_from not in PAID_FROM:
        raise BadInput(f"paid_from must be one of {', '.join(PAID_FROM)}", field="paid_from")
    if not lines:
        raise BadInput("at least one line is needed", field="lines")
    due: str | None = None
    if due_date is not None and due_date != "":
        if paid_from != "payable":
            raise BadInput("only goods received on credit have a due date", field="due_date")
        due = check_due_date(due_date)
    if faktur_no is not None:
        faktur_no = check_text(faktur_no, field="faktur_no", max_len=40) or None
    input_tax = rupiah(input_tax, field="input_tax")
    if input_tax and read_settings(conn).get("pkp", "0") != "1":
        raise BadInput("this shop is not PKP: it claims no input tax (put the whole cost "
                       "into the lines)", field="input_tax")
    if input_tax and faktur_no is None:
        raise BadInput("input tax needs the supplier's faktur pajak number", field="faktur_no")
    if paid_from == "cash":
        from services.shifts_query import require_open_shift
        require_open_shift(conn, _terminal_id(conn))
    receipt_id = uuid7()
    stamp = now_iso()
    total = 0
    moved = []
    for i, line in enumerate(lines):
        pid, sku, unit, old_cost, _ = _product(conn, line.code, f"lines[{i}].code")
        if unit not in WEIGHED_UNITS and line.qty_milli % 1000:
            raise BadInput("whole quantities only for this unit", field=f"lines[{i}].qty")
        if line.unit_cost < 0:
            raise BadInput("must not be negative", field=f"lines[{i}].cost")
        on_hand = max(level(conn, pid), 0)
        value = line_amount(line.unit_cost, line.qty_milli)
        new_cost = line.unit_cost if on_hand == 0 else to_rupiah(
            (old_cost * milli_to_decimal(on_hand) + value)
            / milli_to_decimal(on_hand + line.qty_milli))
        conn.execute(update(Product).where(Product.id == pid).values(cost=new_cost))
        move_id, _ = _move(conn, pid, line.qty_milli, "receipt", ref_id=receipt_id,
                           unit_cost=line.unit_cost, reason=None, supplier=supplier,
                           user_id=actor.id, stamp=stamp)
        moved.append({"id": move_id, "product_id": pid, "qty_milli": line.qty_milli,
                      "unit_cost": line.unit_cost})
        total += value
    if input_tax > total:
        raise BadInput(f"input tax of Rp {input_tax:,} is more than the goods' net cost "
                       f"Rp {total:,}".replace(",", "."), field="input_tax")
    gross = total + input_tax
    conn.execute(insert(GoodsReceipt).values(
        id=receipt_id, supplier=supplier, document_no=document_no, total_cost=total,
        paid_from=paid_from, user_id=actor.id, created_at=stamp, faktur_no=faktur_no,
        input_tax=input_tax, due_date=due))
    if paid_from == "cash" and gross:
        # Paid out of the drawer: a cash out of the open shift, so its X/Z report expects
        # the cash that is really left (a supervisor approves their own, audited).
        take_from_drawer(uow, _terminal_id(conn), actor, gross,
                         f"barang masuk: {supplier}"[:200], acc.INVENTORY, stamp=stamp)
    entry_id: str | None = None
    if gross:
        entry_id = post_journal(conn, kind="goods.received", ref_id=receipt_id, memo=supplier,
                                lines=[(acc.INVENTORY, total, 0), (acc.INPUT_TAX, input_tax, 0),
                                       (PAID_FROM[paid_from], 0, gross)],
                                created_at=stamp)
    payable: dict[str, Any] | None = None
    if paid_from == "payable" and entry_id is not None:
        payable = open_payable(conn, actor.id, supplier=supplier, source="goods",
                                  source_id=receipt_id, amount=gross, due_date=due,
                                  note=document_no, journal_entry_id=entry_id, stamp=stamp)
    append_outbox(conn, "goods.received", {"id": receipt_id, "supplier": supplier,
                                           "document_no": document_no, "total_cost": total,
                                           "paid_from": paid_from, "movements": moved,
                                           "faktur_no": faktur_no, "input_tax": input_tax,
                                           "due_date": due, "payable": payable,
                                           "payable_id": None if payable is None
                                           else payable["id"],
                                           "journal_entry_id": entry_id},
                  aggregate_id=receipt_id, created_at=stamp)
    uow.commit()
    return receipt_id


def _terminal_id(conn: Connection) -> str:
    return read_settings(conn)["terminal_id"]


def _post_adjustment(uow: UnitOfWork, actor: Actor, code: str, delta: int, kind: str,
                     reason: str, counted: int | None = None) -> MovementResult:
    conn = uow.conn
    pid, sku, unit, cost, _ = _product(conn, code, "sku")
    if unit not in WEIGHED_UNITS and delta % 1000:
        raise BadInput("whole quantities only for this unit", field="qty")
    stamp = now_iso()
    value = line_amount(cost, abs(delta)) * (1 if delta >= 0 else -1)
    if delta == 0:
        after = level(conn, pid)
        move_id = None
    else:
        move_id, after = _move(conn, pid, delta, kind, ref_id=None, unit_cost=cost,
                               reason=reason, supplier=None, user_id=actor.id, stamp=stamp)
        if value > 0:
            lines = [(acc.INVENTORY, value, 0), (acc.STOCK_ADJUSTMENT, 0, value)]
        else:
            lines = [(acc.STOCK_ADJUSTMENT, -value, 0), (acc.INVENTORY, 0, -value)]
        if value:
            post_journal(conn, kind=f"stock.{kind}", ref_id=move_id, memo=reason, lines=lines,
                         created_at=stamp)
        append_outbox(conn, f"stock.{kind}", {"id": move_id, "product_id": pid,
                                              "qty_milli": delta, "unit_cost": cost,
                                              "reason": reason, "created_at": stamp},
                      aggregate_id=move_id, created_at=stamp)
    append_audit(conn, f"stock.{kind}", entity="product", entity_id=pid, actor_id=actor.id,
                 details={"sku": sku, "qty_milli": delta, "reason": reason,
                          "counted_milli": counted}, created_at=stamp)
    uow.commit()
    return MovementResult(move_id, sku, delta, after, value)


def adjust_stock(uow: UnitOfWork, actor: Actor, code: str, qty_milli: int, reason: str, *,
                 waste: bool = False) -> MovementResult:
    """A signed correction with a reason (``waste`` for spoiled or broken goods, always out)."""
    authorize(uow, actor, "supervisor", "adjusting stock")
    reason = check_text(reason or "", field="reason", max_len=MAX_REASON, required=True)
    if qty_milli == 0:
        raise BadInput("must not be zero", field="qty")
    if waste and qty_milli > 0:
        qty_milli = -qty_milli
    return _post_adjustment(uow, actor, code, qty_milli, "waste" if waste else "adjust",
                            reason)


def count_stock(uow: UnitOfWork, actor: Actor, code: str, counted_milli: int,
                reason: str = "stock count") -> MovementResult:
    """A stock count: posts the difference between what was counted and the derived level."""
    authorize(uow, actor, "supervisor", "counting stock")
    reason = check_text(reason or "", field="reason", max_len=MAX_REASON) or "stock count"
    if counted_milli < 0:
        raise BadInput("a count cannot be negative", field="counted")
    pid = _product(uow.conn, code, "sku")[0]
    delta = counted_milli - level(uow.conn, pid)
    return _post_adjustment(uow, actor, code, delta, "count", reason, counted_milli)


# --- the back office's forms: typed text in, read in the product's unit -------------------

def receive_goods_form(uow: UnitOfWork, actor: Actor, *, supplier: str,
                       lines: Sequence[ReceiveLineForm], paid_from: str = "payable",
                       document_no: str = "", due_date: str = "", faktur_no: str = "",
                       input_tax: str = "") -> GoodsReceived:
    """Goods received as typed: each quantity read in its product's unit (an unknown code
    is left for :func:`receive_goods` to refuse, naming its line); ``due_date``
    (YYYY-MM-DD, on credit), ``faktur_no`` and ``input_tax`` (rupiah, PKP shops) as
    :func:`receive_goods` takes them, empty for none. ``total_cost`` is the goods' net
    cost (without the input tax)."""
    require(actor, "supervisor", "receiving goods")
    if paid_from not in PAID_FROM:
        raise BadInput(f"paid from must be one of {', '.join(PAID_FROM)}", field="paid_from")
    parsed: list[ReceivedLine] = []
    total = 0
    for i, line in enumerate(lines):
        code = line.code.strip()
        unit = find_unit(uow.conn, code) or "pcs"
        qty = qty_in_unit(line.qty, unit, field=f"lines[{i}].qty")
        cost = rupiah(line.unit_cost, field=f"lines[{i}].cost")
        parsed.append(ReceivedLine(code, qty, cost))
        total += line_amount(cost, qty)
    tax = rupiah(input_tax, field="input_tax") if input_tax.strip() else 0
    receipt_id = receive_goods(uow, actor, supplier=supplier, lines=parsed,
                               paid_from=paid_from, document_no=document_no.strip() or None,
                               due_date=due_date.strip() or None,
                               faktur_no=faktur_no.strip() or None, input_tax=tax)
    return GoodsReceived(receipt_id, len(parsed), total)


def adjust_stock_form(uow: UnitOfWork, actor: Actor, code: str, qty: str, *, add: bool,
                      reason: str, waste: bool = False) -> MovementResult:
    """An adjustment as typed: a quantity in the product's unit, in or out."""
    require(actor, "supervisor", "adjusting stock")
    milli = qty_in_unit(qty, unit_of(uow.conn, code), field="qty")
    return adjust_stock(uow, actor, code.strip(), milli if add else -milli, reason,
                        waste=waste)


def count_stock_form(uow: UnitOfWork, actor: Actor, code: str, counted: str,
                     reason: str) -> MovementResult:
    """A count as typed (empty or zero: none left); the reason defaults to "stock count"."""
    require(actor, "supervisor", "counting stock")
    milli = qty_in_unit(counted, unit_of(uow.conn, code), field="counted", allow_zero=True)
    return count_stock(uow, actor, code.strip(), milli, reason.strip() or "stock count")


def low_stock(conn: Connection, limit: int = 200) -> list[StockLine]:
    """Products at or below their threshold (negative levels always listed)."""
    rows = conn.execute(
        select(Product.id, Product.sku, Product.name, Product.unit, StockLevel.qty_milli,
               Product.low_stock_milli)
        .join(StockLevel, StockLevel.product_id == Product.id)
        .where(Product.active, Product.tracks_stock,
               (StockLevel.qty_milli <= Product.low_stock_milli) | (StockLevel.qty_milli < 0))
        .order_by(StockLevel.qty_milli).limit(limit))
    return [StockLine(str(r[0]), str(r[1]), str(r[2]), str(r[3]), int(r[4]), int(r[5]))
            for r in rows]

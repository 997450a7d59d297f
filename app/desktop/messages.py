"""Messages for the screens (``ui.backend_messages.MessagesBackend``): "kirim struk" (a
sale's receipt by WhatsApp or email) and how each message stands.

Each method calls the use cases of ``services.messaging`` (and, to say who the sale's
customer is, the sale's and the customer's own services) and returns their frozen values.
Sending only queues (the message row and its provider job in one transaction): the
provider-job dispatcher sends it when the shop is online.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.desktop.context import DesktopContext, environment_faults
from ui.backend_messages import ReceiptTarget

if TYPE_CHECKING:
    # services.messaging loads when a receipt is first sent (the till's cold start).
    from local_db.uow import UnitOfWork
    from services.crypto import FieldCipher
    from services.messaging import MessageRow, MessageView


class MessagesAdapter:
    def __init__(self, ctx: DesktopContext) -> None:
        self._ctx = ctx

    @environment_faults
    def receipt_target(self, receipt_no: str) -> ReceiptTarget:
        from app.secrets import active_key_id, cipher_for
        self._ctx.require_actor()
        shop = self._ctx.shop
        cipher = None if active_key_id(shop) is None else cipher_for(shop)
        return self._ctx.read(lambda uow: _target(uow, cipher, receipt_no))

    @environment_faults
    def send_receipt(self, sale_id: str, channel: str, to: str | None = None,
                     locale: str | None = None) -> MessageView:
        from app.secrets import cipher_for, ensure_data_key
        from services.messaging import send_receipt
        shop = self._ctx.shop
        ensure_data_key(shop)  # the message's address is stored encrypted
        cipher = cipher_for(shop)  # before the write unit of work: no nesting
        return self._ctx.act(lambda uow, actor: send_receipt(
            uow, cipher, actor, sale_id, channel=channel, to=to, locale=locale))

    @environment_faults
    def messages(self, *, channel: str | None = None, status: str | None = None,
                 limit: int = 200) -> tuple[MessageRow, ...]:
        from services.messaging import list_messages
        self._ctx.require_actor()
        return self._ctx.read(lambda uow: list_messages(uow, channel=channel, status=status,
                                                        limit=limit))

    @environment_faults
    def status(self, message_id: str) -> MessageView:
        from services.messaging import message_status
        self._ctx.require_actor()
        return self._ctx.read(lambda uow: message_status(uow, message_id))


def _target(uow: UnitOfWork, cipher: FieldCipher | None, receipt_no: str) -> ReceiptTarget:
    """Who a sale's receipt goes to by default, masked, from the services that own the
    sale and the customer (no query here)."""
    from services.customer_card import mask_phone
    from services.customers import get_customer
    from services.messaging import receipt_sale_id
    from services.messaging_rows import mask
    from services.refunds import refundable_sale
    sale = refundable_sale(uow.conn, receipt_no)
    sale_id = receipt_sale_id(uow, sale.receipt_no)
    name = phone = email = None
    if sale.customer_id is not None and cipher is not None:
        customer = get_customer(uow, cipher, sale.customer_id)
        if customer.erased_at is None:
            name = customer.name
            phone = mask_phone(customer.phone)
            email = mask("email", customer.email) if customer.email else None
    return ReceiptTarget(sale_id=sale_id, receipt_no=sale.receipt_no, customer_name=name,
                         phone_hint=phone, email_hint=email)

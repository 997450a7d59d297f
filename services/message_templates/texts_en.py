"""English texts (see the package's docstring)."""

from __future__ import annotations

_SHIP_TAIL = "Track the parcel on the {courier} website with airway bill {waybill}."

TEXTS: dict[str, dict[str, str]] = {
    "receipt": {
        "subject": "Receipt {receipt_no} from {store_name}",
        "text": ("*{store_name}*\n"
                 "Thank you for shopping with us. Here is your receipt.\n"
                 "Receipt: {receipt_no}\nDate: {when}\nTotal: {total}\n\n"
                 "```\n{receipt_text}```"),
        "email_text": ("Thank you for shopping at {store_name}.\n\n"
                       "Receipt {receipt_no} ({when}), total {total}. The receipt is "
                       "attached as a PDF.\n\n{receipt_text}"),
        "html": ("<p>Thank you for shopping at <b>{store_name}</b>.</p>"
                 "<p>Receipt {receipt_no} ({when}), total <b>{total}</b>. The receipt is "
                 "attached as a PDF.</p><pre style=\"font-family:monospace\">{receipt_text}</pre>"),
    },
    "shipment_created": {
        "subject": "Order {receipt_no} is on its way",
        "text": ("{store_name}: the parcel of order {receipt_no} for {recipient_name} was "
                 "handed to {courier}, airway bill {waybill}. " + _SHIP_TAIL),
    },
    "shipment_delivered": {
        "subject": "Order {receipt_no} was delivered",
        "text": ("{store_name}: the parcel of order {receipt_no} for {recipient_name} "
                 "({courier}, airway bill {waybill}) was delivered. Thank you!"),
    },
    "shipment_returned": {
        "subject": "Order {receipt_no} came back",
        "text": ("{store_name}: the parcel of order {receipt_no} for {recipient_name} "
                 "({courier}, airway bill {waybill}) was returned to the shop. Contact us "
                 "to arrange a new delivery."),
    },
    "low_stock": {
        "subject": "{store_name}: {count} products running low",
        "text": "{store_name}: {count} products are running low.\n{items}",
    },
    "daily_summary": {
        "subject": "{store_name}: summary of {day}",
        "text": ("{store_name}, summary of {day}: sales {sales_total} from {sales_count} "
                 "transactions ({change} against the day before)."),
    },
    "promo": {
        "subject": "News from {store_name}",
        "text": "Hello {name}, {text}\n\n{store_name}\n(Reply STOP to stop promotions.)",
    },
}

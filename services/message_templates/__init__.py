"""The texts of every message the shop sends, in Bahasa Indonesia (``id``) and English (``en``).

Plain ``str.format`` texts; each template has a fixed variable list (``VARIABLES``) that
:func:`services.messaging_templates.render` checks, so a missing or unexpected variable is a
refusal, never a message with a hole in it. Values arrive already formatted (money through
``services.formatting.money``: ``Rp 15.000``; times on the store's clock: ``07-12-2026 19:37
WIB``). The approved WhatsApp templates (ContentSid) carry the same variables numbered in the
order of ``VARIABLES`` ({{1}}, {{2}}, ...), so one list serves both.
"""

from __future__ import annotations

from services.message_templates import texts_en, texts_id

#: template -> its variables, in the order an approved WhatsApp template numbers them.
VARIABLES: dict[str, tuple[str, ...]] = {
    "receipt": ("store_name", "receipt_no", "total", "when", "receipt_text"),
    "shipment_created": ("receipt_no", "courier", "waybill", "store_name", "recipient_name"),
    "shipment_delivered": ("receipt_no", "courier", "waybill", "store_name",
                           "recipient_name"),
    "shipment_returned": ("receipt_no", "courier", "waybill", "store_name", "recipient_name"),
    "low_stock": ("store_name", "count", "items"),
    "daily_summary": ("store_name", "day", "sales_total", "sales_count", "change"),
    "promo": ("store_name", "name", "text"),
}

#: locale -> template -> part (subject, text, html) -> text. ``html`` is optional: without it
#: the html part is the text, escaped, one paragraph per blank-line block.
TEXTS: dict[str, dict[str, dict[str, str]]] = {"id": texts_id.TEXTS, "en": texts_en.TEXTS}

LOCALES = ("id", "en")

__all__ = ["LOCALES", "TEXTS", "VARIABLES"]

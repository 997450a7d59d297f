"""Rendering a message template: value code, no I/O.

``render(template, locale, channel, variables)`` checks the variables against the template's
fixed list (services.message_templates.VARIABLES: a missing or unknown one is refused,
naming the field ``variables``) and returns the subject, the text (WhatsApp and SMS bodies
are cut to Twilio's 1,600 characters, the long receipt text first), the HTML part for email,
and the ContentVariables of an approved WhatsApp template.

An approved template (ContentSid) gets the variables numbered in the template's order,
``{"1": store_name, "2": receipt_no, ...}``, without the multi-line ones (WhatsApp refuses
parameters with new lines, tabs or runs of spaces): see :data:`CONTENT_EXCLUDED`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from services.errors import BadInput
from services.message_templates import LOCALES, TEXTS, VARIABLES

#: Twilio's limit on a message body.
BODY_LIMIT = 1600
#: Variables never sent as an approved template's parameters (they span lines).
CONTENT_EXCLUDED = frozenset({"receipt_text", "items"})
TEMPLATES = tuple(VARIABLES)
CHANNELS = ("email", "sms", "whatsapp", "push")
_SPACES = re.compile(r"\s{2,}")


@dataclass(frozen=True, slots=True)
class Rendered:
    template: str
    locale: str
    subject: str
    text: str = field(repr=False)
    html: str | None = field(default=None, repr=False)
    content_variables: Mapping[str, str] = field(default_factory=dict, repr=False)


def check_template(template: str) -> str:
    if template not in VARIABLES:
        raise BadInput(f"unknown template (one of {', '.join(TEMPLATES)})", field="template")
    return template


def check_locale(locale: str | None) -> str:
    if locale is None:
        return "id"
    if locale not in LOCALES:
        raise BadInput("the language is id or en", field="locale")
    return locale


def check_variables(template: str, variables: Mapping[str, object]) -> dict[str, str]:
    wanted = VARIABLES[check_template(template)]
    missing = [v for v in wanted if v not in variables]
    extra = sorted(set(variables) - set(wanted))
    if missing or extra:
        parts = ([f"missing {', '.join(missing)}"] if missing else []) + (
            [f"not in the template: {', '.join(extra)}"] if extra else [])
        raise BadInput(f"template {template} takes {', '.join(wanted)} ({'; '.join(parts)})",
                       field="variables")
    return {k: str(variables[k]) for k in wanted}


def _one_line(value: str) -> str:
    return _SPACES.sub(" ", value.replace("\n", " · ").replace("\t", " ")).strip()


def content_variables(template: str, values: Mapping[str, str]) -> dict[str, str]:
    """An approved template's ContentVariables: ``{"1": ..., "2": ...}`` in the template's
    order, multi-line variables left out."""
    names = [v for v in VARIABLES[template] if v not in CONTENT_EXCLUDED]
    return {str(n): _one_line(values[name]) for n, name in enumerate(names, start=1)}


def _html_of(text: str) -> str:
    blocks = [b for b in text.split("\n\n") if b.strip()]
    return "".join("<p>" + html.escape(b).replace("\n", "<br>") + "</p>" for b in blocks)


def _fit(template: str, parts: Mapping[str, str], values: dict[str, str]) -> str:
    text = parts["text"].format(**values)
    if len(text) <= BODY_LIMIT:
        return text
    if "receipt_text" in values:  # the summary lines stay; the long copy goes
        text = parts["text"].format(**{**values, "receipt_text": "…\n"})
    return text if len(text) <= BODY_LIMIT else text[:BODY_LIMIT - 1] + "…"


def render(template: str, locale: str | None, channel: str,
           variables: Mapping[str, object]) -> Rendered:
    values = check_variables(template, variables)
    lang = check_locale(locale)
    if channel not in CHANNELS:
        raise BadInput(f"the channel is one of {', '.join(CHANNELS)}", field="channel")
    parts = TEXTS[lang][template]
    subject = _one_line(parts["subject"].format(**values))
    if channel == "email":
        text = parts.get("email_text", parts["text"]).format(**values)
        if "html" in parts:
            body_html = parts["html"].format(**{k: html.escape(v) for k, v in values.items()})
        else:
            body_html = _html_of(text)
        return Rendered(template, lang, subject, text, body_html,
                        content_variables(template, values))
    text = _fit(template, parts, values) if channel in ("sms", "whatsapp") \
        else parts["text"].format(**values)
    return Rendered(template, lang, subject, text, None, content_variables(template, values))


__all__ = ["BODY_LIMIT", "CHANNELS", "CONTENT_EXCLUDED", "TEMPLATES", "Rendered",
           "check_locale", "check_template", "check_variables", "content_variables", "render"]

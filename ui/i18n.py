"""Words on the screen: Bahasa Indonesia by default, English selectable.

The words live in Qt Linguist files, ``resources/i18n/warungin_<lang>.ts`` (the sources a
translator opens in Qt Linguist; a developer adding a screen adds its message ids to both),
compiled to ``.qm`` by ``python -m ui.translations compile`` (pyside6-lrelease). The
program loads the ``.qm`` files with QTranslator; each message's source is its id
(``till.pay_cash``) in the context ``warungin``, so the screens call ``tr(id, **values)``.
A language is any ``.qm`` in that folder; a message missing from it falls back to Bahasa
Indonesia; a message missing from both is a bug and raises (a test scans the code for
``tr("...")`` ids that no ``.ts`` has, and keeps each ``.qm`` compiled from its ``.ts``).

Refusal messages come from the services (in English today) and are shown as they are:
translating them belongs with the services' message ids, not here.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from PySide6.QtCore import QTranslator

from services import formatting

DEFAULT_LANGUAGE = "id"
CONTEXT = "warungin"


def folder() -> Path:
    """Where the .ts and .qm files are."""
    return Path(str(resources.files("resources").joinpath("i18n")))


def languages() -> list[str]:
    """The languages the program can show: one compiled ``.qm`` each."""
    return sorted(p.stem.removeprefix("warungin_") for p in folder().glob("warungin_*.qm"))


_translators: dict[str, QTranslator] = {}


def _translator(code: str) -> QTranslator:
    found = _translators.get(code)
    if found is None:
        found = QTranslator()
        if not found.load(str(folder() / f"warungin_{code}.qm")):
            raise ValueError(f"no translation for language '{code}' (have {languages()})")
        _translators[code] = found
    return found


_language = DEFAULT_LANGUAGE


def set_language(code: str) -> None:
    global _language
    _translator(code)  # refuses a language with no .qm before switching
    _language = code


def language() -> str:
    return _language


def tr(key: str, **values: object) -> str:
    """The text of ``key`` in the current language. A missing id is a bug: it raises in
    tests rather than showing a blank button to a cashier."""
    text = _translator(_language).translate(CONTEXT, key)
    if not text and _language != DEFAULT_LANGUAGE:
        text = _translator(DEFAULT_LANGUAGE).translate(CONTEXT, key)
    if not text:
        raise KeyError(f"no text for message id '{key}' in resources/i18n")
    return text.format(**values) if values else text


# --- numbers and times: services.formatting in the screen's language and the store's zone ---

_zone = formatting.DEFAULT_TIMEZONE


def set_zone(name: str | None) -> None:
    """The store's time zone (setting ``timezone``), for every time the screens show."""
    global _zone
    _zone = name or formatting.DEFAULT_TIMEZONE


def zone() -> str:
    return _zone


def rupiah(amount: int) -> str:
    """``Rp 15.000``: the one way the screens show money."""
    return formatting.money(amount, _language)


def signed_rupiah(amount: int) -> str:
    """A difference: ``+Rp 500``, ``-Rp 500``, ``Rp 0``."""
    return formatting.signed_money(amount, _language)


def quantity(milli: int, unit: str | None = None) -> str:
    """``0,75 kg``, ``12,5``, ``2`` (thousandths in)."""
    return formatting.quantity(milli, unit, _language)


def number(value: int) -> str:
    """A count with grouping: ``60.000``."""
    return formatting.number(value, _language)


def percent(bp: int | None, decimals: int = 2) -> str:
    """A share in basis points: ``12,98 %``."""
    return formatting.percent(bp, _language, decimals=decimals)


def method_name(code: str) -> str:
    """A payment method in words (``Tunai``, ``Kartu EDC``, ``VA BCA``): the screens' words
    (``money.method.<code>``), else services.formatting's (a bank added later)."""
    try:
        return tr("money.method." + code)
    except KeyError:
        return formatting.payment_method(code, _language)


def when(stamp: str | None, *, seconds: bool = False, always_date: bool = True) -> str:
    """A stored time on the store's clock with its zone: ``07-12-2026 19:37 WIB``
    (``always_date=False``: only ``19:37 WIB`` for today). Unreadable text is shown as is."""
    if not stamp:
        return ""
    try:
        if always_date:
            return formatting.datetime_text(stamp, _zone, _language, seconds=seconds)
        return formatting.moment_text(stamp, _zone, _language, seconds=seconds)
    except ValueError:
        return stamp


def age(seconds: float) -> str:
    """A short, rough age ("5 mnt") for how long something has waited."""
    s = max(0, int(seconds))
    if s < 60:
        return tr("age.seconds", n=s)
    if s < 3600:
        return tr("age.minutes", n=s // 60)
    if s < 86400:
        return tr("age.hours", n=s // 3600)
    return tr("age.days", n=s // 86400)

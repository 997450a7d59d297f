"""How a person sees a number, an amount of money, a share or a moment. Pure value code (no
Qt, no I/O): the screens (``ui``), the PDFs (``app.reports_pdf``), the HTML export and the
receipts all call this one module, so the till, the dashboard, the reports and the paper say
the same thing.

Numbers are written with babel's rules for the language the shop chose (the setting
``language``; ``id`` Bahasa Indonesia, ``en`` English):

==================  ======================  ======================
what                id                      en
==================  ======================  ======================
money               ``Rp 15.000``           ``Rp 15,000``
negative money      ``-Rp 15.000``          ``-Rp 15,000``
quantity            ``0,75 kg``, ``1.250``  ``0.75 kg``, ``1,250``
percent             ``12,98 %``             ``12.98%``
plain count         ``60.000``              ``60,000``
date                ``07-12-2026``          ``07-12-2026``
time                ``19:37 WIB``           ``19:37 WIB``
==================  ======================  ======================

A negative amount keeps its minus in front of ``Rp`` (``-Rp 15.000``), the way a cash book or
a bank statement prints a debit; the screens add a ``+`` where a surplus matters.

Shares are *rounded* half up to two decimals, never cut: 2923 of 22523 is ``12,98 %``.
Money is never rounded here: amounts are whole rupiah already (``services.money.to_rupiah``
is the one rounding of a fraction of a rupiah).

Times are stored as UTC ISO-8601 text; a person sees them on the store's wall clock (the
setting ``timezone``, default ``Asia/Jakarta``) followed by the zone as Indonesians write it:
WIB (Asia/Jakarta, Asia/Pontianak), WITA (Asia/Makassar), WIT (Asia/Jayapura). A zone
outside Indonesia is shown by its own abbreviation (or its offset, ``UTC+10``).

Machine-readable exports (CSV, JSON) do not come here: they keep ISO dates with their offset
and dot decimals (``services.reports.export.machine_value``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from babel.numbers import format_decimal

DEFAULT_LANGUAGE = "id"
DEFAULT_TIMEZONE = "Asia/Jakarta"
MILLI = 1000

#: Indonesia keeps no daylight saving time: three fixed offsets, and the names shops use.
INDONESIAN_ZONES: dict[str, tuple[str, int]] = {
    "Asia/Jakarta": ("WIB", 7), "Asia/Pontianak": ("WIB", 7),
    "Asia/Makassar": ("WITA", 8), "Asia/Jayapura": ("WIT", 9),
}

#: Payment methods as people name them (the codes are what is stored and sent).
PAYMENT_METHODS: dict[str, tuple[str, str]] = {
    "cash": ("Tunai", "Cash"),
    "edc": ("Kartu EDC", "Card (EDC)"),
    "kasbon": ("Kasbon", "Kasbon (credit)"),
    "qris": ("QRIS", "QRIS"),
    "gopay": ("GoPay", "GoPay"),
    "shopeepay": ("ShopeePay", "ShopeePay"),
    "midtrans": ("QRIS / e-wallet", "QRIS / e-wallet"),
}


def _locale(lang: str | None) -> str:
    return "en" if lang == "en" else "id"


# --- numbers ---------------------------------------------------------------------------

def number(value: int | Decimal, lang: str = DEFAULT_LANGUAGE, *, decimals: int | None = None
           ) -> str:
    """A plain number with the language's grouping: ``60.000`` (id), ``60,000`` (en).

    ``decimals``: exactly that many (rounded half up); None: as many as the value has, at
    most three (``0,75``, ``12,5``, ``1.250``)."""
    if decimals is None:
        if isinstance(value, int):
            return format_decimal(value, "#,##0", locale=_locale(lang))
        q = value.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)
        return format_decimal(q, "#,##0.###", locale=_locale(lang), decimal_quantization=False)
    q = Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(q, pattern, locale=_locale(lang))


def money(amount: int, lang: str = DEFAULT_LANGUAGE) -> str:
    """``Rp 15.000`` (id) or ``Rp 15,000`` (en); a negative amount ``-Rp 15.000``."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError(f"money is whole rupiah (int), not {type(amount).__name__}")
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp {number(abs(amount), lang)}"


def signed_money(amount: int, lang: str = DEFAULT_LANGUAGE) -> str:
    """Money with its sign either way (``+Rp 500``, ``-Rp 500``, ``Rp 0``): a difference."""
    return ("+" if amount > 0 else "") + money(amount, lang)


def milli_decimal(milli: int) -> Decimal:
    """A quantity held as thousandths, as a Decimal without trailing zeros."""
    value = Decimal(milli) / MILLI
    return value.quantize(Decimal(1)) if milli % MILLI == 0 else value.normalize()


def quantity(milli: int, unit: str | None = None, lang: str = DEFAULT_LANGUAGE) -> str:
    """A quantity from thousandths: ``0,75 kg``, ``2``, ``1.250`` (id); ``0.75 kg`` (en).
    ``unit`` is written after the number when given (``pcs`` and empty are left out)."""
    text = number(milli_decimal(milli), lang)
    return f"{text} {unit}" if unit and unit != "pcs" else text


def ratio_bp(part: int, whole: int) -> int | None:
    """``part / whole`` in basis points (1298 = 12,98 %), rounded half away from zero;
    None when ``whole`` is 0. 2923 of 22523 is 1298, not 1297."""
    if whole == 0:
        return None
    return int((Decimal(part) * 10000 / Decimal(whole)).quantize(Decimal(1),
                                                                 rounding=ROUND_HALF_UP))


def percent(bp: int | None, lang: str = DEFAULT_LANGUAGE, *, decimals: int = 2) -> str:
    """A share held in basis points: ``12,98 %`` (id), ``12.98%`` (en); None is ``""``.
    ``decimals`` below 2 rounds half up (``13 %``)."""
    if bp is None:
        return ""
    text = number(Decimal(bp) / 100, lang, decimals=decimals)
    return f"{text}%" if lang == "en" else f"{text} %"


def percent_of(part: int, whole: int, lang: str = DEFAULT_LANGUAGE, *, decimals: int = 2
               ) -> str:
    """``part`` as a share of ``whole``, rounded (not cut): 2923 of 22523 is ``12,98 %``."""
    bp = ratio_bp(part, whole)
    return "" if bp is None else percent(bp, lang, decimals=decimals)


# --- words for codes -------------------------------------------------------------------

def payment_method(code: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """A stored payment method as people say it: ``cash`` -> ``Tunai`` / ``Cash``,
    ``va_bca`` -> ``VA BCA``; a code nobody named yet is shown as it is."""
    if code in PAYMENT_METHODS:
        return PAYMENT_METHODS[code][1 if lang == "en" else 0]
    if code.startswith("va_"):
        bank = code[3:]
        return "VA " + (bank.upper() if len(bank) <= 4 else bank.title())
    return code


# --- time ------------------------------------------------------------------------------

@lru_cache(maxsize=32)
def zone(name: str | None) -> tzinfo:
    """The store's time zone (an unknown or empty name: Asia/Jakarta). Without a tz
    database, the Indonesian zones still work as fixed offsets."""
    name = name or DEFAULT_TIMEZONE
    try:
        from zoneinfo import ZoneInfo
        return ZoneInfo(name)
    except (ImportError, ValueError, KeyError, OSError):
        if name in INDONESIAN_ZONES:
            short, hours = INDONESIAN_ZONES[name]
            return timezone(timedelta(hours=hours), short)
        return zone(DEFAULT_TIMEZONE) if name != DEFAULT_TIMEZONE else timezone(
            timedelta(hours=7), "WIB")


def zone_label(name: str | None, moment: datetime | None = None) -> str:
    """``WIB``, ``WITA`` or ``WIT`` for the Indonesian zones; else the zone's own
    abbreviation at ``moment`` (or ``UTC+10`` when it has only an offset)."""
    name = name or DEFAULT_TIMEZONE
    if name in INDONESIAN_ZONES:
        return INDONESIAN_ZONES[name][0]
    tz = zone(name)
    if tz is zone(DEFAULT_TIMEZONE) and name != DEFAULT_TIMEZONE:
        return INDONESIAN_ZONES[DEFAULT_TIMEZONE][0]  # an unknown name fell back to WIB
    at = (moment or datetime.now(UTC)).astimezone(tz)
    abbr = at.tzname() or ""
    if not abbr or abbr[0] in "+-":
        offset = at.utcoffset() or timedelta(0)
        minutes = int(offset.total_seconds() // 60)
        sign = "+" if minutes >= 0 else "-"
        h, m = divmod(abs(minutes), 60)
        abbr = f"UTC{sign}{h}" + (f":{m:02d}" if m else "")
    return abbr


def parse_moment(moment: datetime | str) -> datetime:
    """A stored stamp (ISO-8601 text; naive means UTC) as an aware datetime."""
    then = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    return then.replace(tzinfo=UTC) if then.tzinfo is None else then


def local(moment: datetime | str, zone_name: str | None = None) -> datetime:
    """``moment`` on the store's wall clock."""
    return parse_moment(moment).astimezone(zone(zone_name))


def date_text(day: date, lang: str = DEFAULT_LANGUAGE) -> str:
    """A date as the shop writes it: ``07-12-2026``."""
    return day.strftime("%d-%m-%Y")


def period_text(start: date, last: date, lang: str = DEFAULT_LANGUAGE) -> str:
    """A range of days, both included: ``01-11-2026 – 30-11-2026`` (one day: that day)."""
    if start == last:
        return date_text(start, lang)
    return f"{date_text(start, lang)} – {date_text(last, lang)}"


def time_text(moment: datetime | str, zone_name: str | None = None,
              lang: str = DEFAULT_LANGUAGE, *, seconds: bool = False) -> str:
    """The wall-clock time with the zone: ``19:37 WIB``."""
    at = local(moment, zone_name)
    clock = at.strftime("%H:%M:%S" if seconds else "%H:%M")
    return f"{clock} {zone_label(zone_name, at)}"


def datetime_text(moment: datetime | str, zone_name: str | None = None,
                  lang: str = DEFAULT_LANGUAGE, *, seconds: bool = False) -> str:
    """Date and time with the zone: ``07-12-2026 19:37 WIB``."""
    at = local(moment, zone_name)
    return f"{date_text(at.date(), lang)} {time_text(at, zone_name, lang, seconds=seconds)}"


def moment_text(moment: datetime | str, zone_name: str | None = None,
                lang: str = DEFAULT_LANGUAGE, *, now: datetime | None = None,
                seconds: bool = False) -> str:
    """Just the time for a moment of the store's today (``19:37 WIB``), else date and time."""
    at = local(moment, zone_name)
    today = local(now or datetime.now(UTC), zone_name).date()
    if at.date() == today:
        return time_text(at, zone_name, lang, seconds=seconds)
    return datetime_text(at, zone_name, lang, seconds=seconds)


__all__ = [
    "DEFAULT_LANGUAGE", "DEFAULT_TIMEZONE", "INDONESIAN_ZONES", "PAYMENT_METHODS",
    "date_text", "datetime_text", "local", "milli_decimal", "moment_text", "money",
    "number", "parse_moment", "payment_method", "percent", "percent_of", "period_text",
    "quantity", "ratio_bp", "signed_money", "time_text", "zone", "zone_label",
]

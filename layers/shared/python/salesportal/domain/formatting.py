"""Money and dates written for a reader of en-US or es-US, in pure Python (no locale data).

The conventions are CLDR's for the two locales, the ones the portal's ``Intl`` applies, so a
message and the page that lists it write an amount the same way:
- en-US: ``$1,234.56``; ``November 22, 2026``.
- es-US: US Spanish writes numbers as the US does, not as Spain does: ``.`` before the cents
  and ``,`` between thousands, the ``$`` before the amount (``$1,234.56``, never
  ``1.234,56 $``); a date is ``22 de noviembre de 2026`` (day first, month in lower case).
- A currency other than USD is written with its ISO code (``EUR 1,234.50``) in both: es-US
  does that itself, and in en-US it keeps a symbol such as ``$`` from being read as dollars.
Amounts are integer cents; every currency here has two decimals.
"""

from __future__ import annotations

from datetime import date

from salesportal.domain.languages import Language

_MONTHS: dict[Language, tuple[str, ...]] = {
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "es": (
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ),
}


def money(cents: int, currency: str = "USD", language: Language = "en") -> str:
    """``cents`` of ``currency`` as the locale writes it. Both locales group and separate
    digits alike, so ``language`` changes nothing today; it is taken so callers need not know."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    number = f"{whole:,}.{part:02d}"
    return f"{sign}${number}" if currency == "USD" else f"{sign}{currency} {number}"


def long_date(day: date, language: Language = "en") -> str:
    month = _MONTHS[language][day.month - 1]
    if language == "es":
        return f"{day.day} de {month} de {day.year}"
    return f"{month} {day.day}, {day.year}"

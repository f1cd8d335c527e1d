"""What the OKR readers share (SPEC §8): KR ids, quantities with units, per-line problems.

Everything is pure. Structure comes from ``ritual_bot.markdown`` (code, quotes and HTML comments
never count); the regexes here only read within one line whose role is already known.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

__all__ = [
    "KR_ID",
    "Problem",
    "Quantity",
    "format_quantity",
    "kr_id",
    "parse_quantity",
    "strip_markup",
]

# "KR1.1", "KR 1.1", French "RC1.1" (résultat clé). Ids are kept canonical as "KR1.1".
KR_ID = re.compile(
    r"(?<![A-Za-z0-9])(?P<tag>KR|RC)\s?(?P<obj>\d{1,2})\.(?P<num>\d{1,2})(?![\d.]\d)", re.I
)

# A number as people write it: "1,200" / "1 200" (thousands: groups of exactly three digits),
# "12.5" or French "12,5" (decimals), an optional sign (U+2212, the typographic minus, too).
_NUMBER = r"[+\-\u2212]?\d+(?:[,\u00a0\u202f ]\d{3}(?!\d))*(?:[.,]\d+)?"
_MULTIPLIER = r"(?P<mult>[kKM](?![A-Za-zÀ-ÿ]))?"
# Units written after the number, longest first; the canonical unit is the dict's value.
_SUFFIX_UNITS = {
    "%": "%",
    "€": "€",
    "$": "$",
    "£": "£",
    "points": "pts",
    "pts": "pts",
    "pt": "pts",
    "ms": "ms",
    "seconds": "s",
    "secondes": "s",
    "sec": "s",
    "s": "s",
    "minutes": "min",
    "min": "min",
    "hours": "h",
    "hour": "h",
    "heures": "h",
    "heure": "h",
    "h": "h",
    "days": "d",
    "day": "d",
    "jours": "d",
    "jour": "d",
    "j": "d",
    "d": "d",
}
_SUFFIX = "|".join(re.escape(u) for u in sorted(_SUFFIX_UNITS, key=len, reverse=True))
QUANTITY = re.compile(
    rf"(?P<sign>[+\-\u2212])?(?P<pre>[$€£])?\s?(?P<num>{_NUMBER})\s?{_MULTIPLIER}\s?"
    rf"(?:(?P<unit>{_SUFFIX})(?![A-Za-zÀ-ÿ0-9]))?"
)
_MULTIPLIERS = {None: 1, "k": 1000, "K": 1000, "M": 1_000_000}
_CURRENCIES = frozenset("$€£")
_BOLD = re.compile(r"\*\*|__")
# Heading marks, list markers ("-", "*", "+", "1.", "1)"), task boxes, in any combination.
_LEAD = re.compile(r"^\s*(?:#{1,6}\s+|[-*+]\s+|\d{1,3}[.)]\s+|\[[ xX]\]\s+)*")


@dataclass(frozen=True)
class Problem:
    """What could not be read, on which line (1-based): one precise sentence each (SPEC §8)."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass(frozen=True)
class Quantity:
    """A number with its canonical unit ("" for none; "%", "d", "h", "min", "s", "ms", "pts",
    "$", "€", "£"). Multipliers are applied: "€1.2M" is 1200000 €."""

    value: float
    unit: str = ""


def kr_id(match: re.Match[str]) -> str:
    """The canonical id ("KR1.1") of a ``KR_ID`` match, French "RC1.1" included."""
    return f"KR{int(match['obj'])}.{int(match['num'])}"


def strip_markup(text: str) -> str:
    """A line without its heading marks, list markers, task box and bold: what was written."""
    return _BOLD.sub("", _LEAD.sub("", text, count=1)).strip()


def _number(raw: str) -> Decimal | None:
    raw = raw.replace("\u2212", "-")
    # Thousands separators are the ones followed by exactly three digits (see _NUMBER); the last
    # "," or "." followed by anything else is the decimal mark.
    digits = re.sub(r"[,\u00a0\u202f ](?=\d{3}(?!\d))", "", raw)
    try:
        return Decimal(digits.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - _NUMBER only lets valid numbers through
        return None


def parse_quantity(text: str) -> tuple[Quantity, str] | None:
    """The quantity at the start of ``text`` (after spaces) and what follows it, or None.

    "32%", "6d", "6 days", "$10k", "1,2 M€", "1,200", "-5 pts". A prefix and a suffix currency
    must agree; the canonical unit is the currency.
    """
    match = QUANTITY.match(text.lstrip())
    if match is None:
        return None
    number = _number((match["sign"] or "") + match["num"])
    if number is None:  # pragma: no cover
        return None
    unit = _SUFFIX_UNITS.get((match["unit"] or "").lower(), "")
    prefix = match["pre"] or ""
    if prefix and unit and unit != prefix:
        return None
    value = float(number * _MULTIPLIERS[match["mult"]])
    rest = text.lstrip()[match.end() :]
    return Quantity(value, prefix or unit), rest


def format_quantity(quantity: Quantity) -> str:
    """The canonical writing, read back by ``parse_quantity`` as the same quantity:
    "$1,200", "45%", "6d", "0.5h", "12"."""
    number = f"{quantity.value:,.12g}"
    if quantity.unit in _CURRENCIES:
        sign, number = ("-", number[1:]) if number.startswith("-") else ("", number)
        return f"{sign}{quantity.unit}{number}"
    return f"{number}{quantity.unit}"

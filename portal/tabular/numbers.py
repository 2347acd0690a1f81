"""Numbers as people and spreadsheets write them: `12 500`, `12 500,00`, `12,500.00`, `４５００`.

Each parser raises TableError with a stable code (`invalid_number`, `scientific_notation`, ...)
for the apps to word. The fast path of each (plain ASCII digits) runs once per cell of files
with a million rows: keep it first.
"""

import re
import unicodedata

from portal.tabular.problems import TableError

# Spaces, no-break and thin spaces, and the apostrophe Swiss-style locales group digits with.
GROUP_SPACES = re.compile(r"[\s\u00a0\u2007\u2009\u202f\u2008\u200a']")
# The one list of currency words a money cell may end with (so'm in every script and spelling).
CURRENCY = re.compile(r"(сум|сўм|so['‘’`ʻ]?m|sum|uzs|soʻm)\.?$", re.IGNORECASE)
UNITS = re.compile(r"(g|gr|г|гр|克|mm|мм|毫米|шт|dona|pcs|件)\.?$", re.IGNORECASE)
SCIENTIFIC = re.compile(r"^[+-]?\d+([.,]\d+)?e[+-]?\d+$", re.IGNORECASE)
_PLAIN = re.compile(r"^[+-]?\d+$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}([.,]\d{3})+$")
_MINUS_SIGN = "\u2212"  # what a typeset report writes for "-"


def compact_number(text: str, *, suffix: re.Pattern[str] | None = None) -> str:
    """The text folded to ASCII digits (NFKC), trimmed, without `suffix` and group spaces."""
    value = unicodedata.normalize("NFKC", text).strip()  # ４５００ -> 4500
    if suffix is not None:
        value = suffix.sub("", value).strip()
    return GROUP_SPACES.sub("", value)


def parse_decimal_parts(text: str, *, suffix: re.Pattern[str] | None = None) -> tuple[int, str]:
    """(whole part, fraction digits) of a number as any locale writes it.

    `12 500`, `12 500,00`, `12,500.00`, `12.500,00`, `12500.00`, `12,500` and `12.500` are all
    12500 (so'm have no fractions, so one separator followed by exactly three digits is a
    thousands separator). Raises TableError `invalid_number` for anything else, and
    `scientific_notation` for Excel's `1.2E+3`.
    """
    value = compact_number(text, suffix=suffix)
    if not value:
        raise TableError("invalid_number", value=text)
    if SCIENTIFIC.match(value):
        raise TableError("scientific_notation", value=text)
    if _PLAIN.match(value):
        return int(value), ""
    sign = ""
    if value[0] in "+-":
        sign, value = value[0], value[1:]
    separators = [ch for ch in value if ch in ".,"]
    if not separators or not all(ch.isdigit() or ch in ".," for ch in value):
        raise TableError("invalid_number", value=text)
    last = value[-4] if len(value) >= 4 and value[-4] in ".," else None
    if len(set(separators)) == 1 and (len(separators) > 1 or last is not None):
        # Only one kind of separator: thousands groups (12,500 / 12.500.000).
        if not _GROUPED.match(value):
            if len(separators) == 1:
                whole, fraction = value.split(separators[0])
                return _checked_int(sign + whole, text), fraction
            raise TableError("invalid_number", value=text)
        return _checked_int(sign + re.sub(r"[.,]", "", value), text), ""
    if len(set(separators)) == 1:
        whole, fraction = value.split(separators[0])
        return _checked_int(sign + whole, text), fraction
    # Both kinds: the last one is the decimal separator, the other groups thousands.
    decimal_mark = value[max(value.rfind("."), value.rfind(","))]
    group_mark = "," if decimal_mark == "." else "."
    whole, _, fraction = value.rpartition(decimal_mark)
    if group_mark in fraction or not _GROUPED.match(whole) or not fraction.isdigit():
        raise TableError("invalid_number", value=text)
    return _checked_int(sign + whole.replace(group_mark, ""), text), fraction


def _checked_int(digits: str, original: str) -> int:
    if not _PLAIN.match(digits):
        raise TableError("invalid_number", value=original)
    return int(digits)


def parse_whole_number(text: str, *, units: bool = True) -> int:
    """A whole number: `1 200`, `1200`, `1,200`, `１２００`, `1200 g`; fractions are errors.

    Every failure is `invalid_number` (a catalog row names the column, not the kind of damage).
    """
    if text.isascii() and text.isdigit():  # the common case, 20x faster than the general one
        return int(text)
    return _whole_part(text, UNITS if units else None, "invalid_number")


def parse_som(text: str) -> int:
    """A price in whole so'm, with a trailing currency word (`сум`, `so'm`, `UZS`) allowed;
    `invalid_number` or `fractional_som`."""
    if text.isascii() and text.isdigit():
        return int(text)
    return _whole_part(text, CURRENCY, "fractional_som")


def _whole_part(text: str, suffix: re.Pattern[str] | None, fraction_code: str) -> int:
    try:
        whole, fraction = parse_decimal_parts(text, suffix=suffix)
    except TableError as error:
        raise TableError("invalid_number", value=text) from error
    if fraction.strip("0"):
        raise TableError(fraction_code, value=text)
    return whole


def parse_whole(text: str) -> int:
    """A count or an amount in so'm, zero or more, as a report writes it (`12 500`,
    `12 500,00`, `12,500`, a trailing currency word); each failure named: `required`,
    `invalid_number`, `scientific_notation`, `fractional`, `negative`."""
    value = text.strip()
    if value.isdecimal():  # the fast path: almost every cell of a machine-written report
        return int(value)
    if not value:
        raise TableError("required")
    try:
        whole, fraction = parse_decimal_parts(value.replace(_MINUS_SIGN, "-"), suffix=CURRENCY)
    except TableError as error:
        raise TableError(error.code, value=value) from None
    if fraction.strip("0"):
        raise TableError("fractional", value=value)
    if whole < 0:
        raise TableError("negative", value=value)
    return whole

"""Numbers as people and spreadsheets write them: `12 500`, `12 500,00`, `12,500.00`, `４５００`.

Each parser raises TableError with a stable code (`invalid_number`, `scientific_notation`, ...)
for the apps to word. The fast path of each (plain ASCII digits) runs once per cell of files
with a million rows: keep it first.
"""

import re
import unicodedata
from dataclasses import dataclass, field

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


@dataclass(frozen=True)
class Bounds:
    """The smallest and largest value a column takes (`out_of_range` {min, max} outside).

    The parsers count a number's digits against `digits` before converting it, so a cell of
    5,000 digits is refused at once, never handed to `int()` (which refuses more than 4,300
    digits with a ValueError, and is slow long before that). The range itself is the rule's
    to check, since a rule may name its own limit (a parcel that is too heavy).
    """

    minimum: int
    maximum: int
    digits: int = field(init=False)  # of the larger magnitude, counted once

    def __post_init__(self) -> None:
        digits = len(str(max(abs(self.minimum), abs(self.maximum))))
        object.__setattr__(self, "digits", digits)

    @property
    def params(self) -> dict[str, int]:
        """The parameters of the `out_of_range` message."""
        return {"min": self.minimum, "max": self.maximum}

    def error(self) -> TableError:
        return TableError("out_of_range", **self.params)


# What a number without bounds of its own may hold: a database's bigint.
BIGINT = Bounds(-(2**63), 2**63 - 1)


def compact_number(text: str, *, suffix: re.Pattern[str] | None = None) -> str:
    """The text folded to ASCII digits (NFKC), trimmed, without `suffix` and group spaces."""
    value = unicodedata.normalize("NFKC", text).strip()  # ４５００ -> 4500
    if suffix is not None:
        value = suffix.sub("", value).strip()
    return GROUP_SPACES.sub("", value)


def parse_decimal_parts(
    text: str, *, suffix: re.Pattern[str] | None = None, bounds: Bounds = BIGINT
) -> tuple[int, str]:
    """(whole part, fraction digits) of a number as any locale writes it.

    `12 500`, `12 500,00`, `12,500.00`, `12.500,00`, `12500.00`, `12,500` and `12.500` are all
    12500 (so'm have no fractions, so one separator followed by exactly three digits is a
    thousands separator). Raises TableError `invalid_number` for anything else,
    `scientific_notation` for Excel's `1.2E+3`, and `out_of_range` for a whole part with more
    digits than `bounds` allows.
    """
    value = compact_number(text, suffix=suffix)
    if not value:
        raise TableError("invalid_number", value=text)
    if SCIENTIFIC.match(value):
        raise TableError("scientific_notation", value=text)
    if _PLAIN.match(value):
        return _checked_int(value, text, bounds), ""
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
                return _checked_int(sign + whole, text, bounds), fraction
            raise TableError("invalid_number", value=text)
        return _checked_int(sign + re.sub(r"[.,]", "", value), text, bounds), ""
    if len(set(separators)) == 1:
        whole, fraction = value.split(separators[0])
        return _checked_int(sign + whole, text, bounds), fraction
    # Both kinds: the last one is the decimal separator, the other groups thousands.
    decimal_mark = value[max(value.rfind("."), value.rfind(","))]
    group_mark = "," if decimal_mark == "." else "."
    whole, _, fraction = value.rpartition(decimal_mark)
    if group_mark in fraction or not _GROUPED.match(whole) or not fraction.isdigit():
        raise TableError("invalid_number", value=text)
    return _checked_int(sign + whole.replace(group_mark, ""), text, bounds), fraction


def _checked_int(digits: str, original: str, bounds: Bounds) -> int:
    if not _PLAIN.match(digits):
        raise TableError("invalid_number", value=original)
    return _bounded_int(digits, bounds)


def _bounded_int(digits: str, bounds: Bounds) -> int:
    """`int(digits)` (ASCII digits, a sign allowed) once their count fits the bounds."""
    if len(digits) > bounds.digits:
        significant = digits.lstrip("+-").lstrip("0")
        if len(significant) > bounds.digits:
            raise bounds.error()
        return int(digits[0] + significant if digits[0] == "-" else significant or "0")
    return int(digits)


def parse_whole_number(text: str, *, units: bool = True, bounds: Bounds = BIGINT) -> int:
    """A whole number: `1 200`, `1200`, `1,200`, `１２００`, `1200 g`; fractions are errors.

    Every failure is `invalid_number` (a catalog row names the column, not the kind of damage)
    but `out_of_range`, for more digits than `bounds` allows.
    """
    if text.isascii() and text.isdigit() and len(text) <= bounds.digits:
        return int(text)  # the common case, 20x faster than the general one
    return _whole_part(text, UNITS if units else None, "invalid_number", bounds)


def parse_som(text: str, *, bounds: Bounds = BIGINT) -> int:
    """A price in whole so'm, with a trailing currency word (`сум`, `so'm`, `UZS`) allowed;
    `invalid_number`, `fractional_som` or `out_of_range`."""
    if text.isascii() and text.isdigit() and len(text) <= bounds.digits:
        return int(text)
    return _whole_part(text, CURRENCY, "fractional_som", bounds)


def _whole_part(
    text: str, suffix: re.Pattern[str] | None, fraction_code: str, bounds: Bounds
) -> int:
    try:
        whole, fraction = parse_decimal_parts(text, suffix=suffix, bounds=bounds)
    except TableError as error:
        if error.code == "out_of_range":
            raise
        raise TableError("invalid_number", value=text) from error
    if fraction.strip("0"):
        raise TableError(fraction_code, value=text)
    return whole


def parse_whole(text: str, *, bounds: Bounds = BIGINT) -> int:
    """A count or an amount in so'm, zero or more, as a report writes it (`12 500`,
    `12 500,00`, `12,500`, a trailing currency word); each failure named: `required`,
    `invalid_number`, `scientific_notation`, `fractional`, `negative`, `out_of_range`."""
    value = text.strip()
    if value.isascii() and value.isdigit() and len(value) <= bounds.digits:
        return int(value)  # the fast path: most cells of a machine-written report
    if not value:
        raise TableError("required")
    try:
        whole, fraction = parse_decimal_parts(
            value.replace(_MINUS_SIGN, "-"), suffix=CURRENCY, bounds=bounds
        )
    except TableError as error:
        if error.code == "out_of_range":
            raise
        raise TableError(error.code, value=value) from None
    if fraction.strip("0"):
        raise TableError("fractional", value=value)
    if whole < 0:
        raise TableError("negative", value=value)
    return whole

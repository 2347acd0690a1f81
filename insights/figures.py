"""One rounding for every share and change shown: charts, tables and CSV (half up, to 0.1).

A share is a fraction from 0 to 1; people read it as a percentage with one decimal (7.1%), a
change of share in percentage points (+0.4 pp). Both are rounded here and only here, half up,
so the chart, the table and the CSV of one figure always show the same digits.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

TENTH = Decimal("0.1")
HUNDREDTH = Decimal("0.01")
HUNDRED = Decimal(100)
DASH = "–"
MINUS = "−"  # U+2212, the typographic minus sign
# How each language writes a percentage after the number (CLDR): Russian puts a no-break space
# before the sign (7,1 %); English, Chinese and Uzbek do not (7.1%, 7,1%).
PERCENT_PATTERNS = {"ru": "{}\u00a0%"}
PERCENT_PATTERN = "{}%"


def _decimal(value: float | int | Decimal) -> Decimal:
    """The value as a Decimal, with the last bits of float arithmetic dropped (12 significant
    digits), so 0.0705 computed as 0.07049999999999999 still rounds up to 7.1."""
    if isinstance(value, Decimal):
        return value
    return Decimal(format(value, ".12g"))


def share_percent(share: float | int | Decimal | None) -> Decimal | None:
    """A share (0..1) as a percentage rounded half up to 0.1: 0.0705 -> Decimal('7.1')."""
    if share is None:
        return None
    rounded = (_decimal(share) * HUNDRED).quantize(TENTH, rounding=ROUND_HALF_UP)
    return rounded if rounded else abs(rounded)  # never "-0.0"


def change_points(change: float | int | Decimal | None) -> Decimal | None:
    """A change of share (a difference of two shares) in percentage points, rounded half up
    to 0.1 (away from zero on a tie): -0.0005 -> Decimal('-0.1')."""
    return share_percent(change)


def ratio_percent(ratio: float | int | Decimal | None) -> Decimal | None:
    """A growth ratio (0.25 = +25%) as a percentage rounded half up to 0.1."""
    return share_percent(ratio)


def score_rounded(score: float | int | Decimal) -> Decimal:
    """An opportunity score (0 to 100) rounded half up to 0.1."""
    return _decimal(score).quantize(TENTH, rounding=ROUND_HALF_UP)


def index_rounded(index: float | int | Decimal) -> Decimal:
    """A concentration index (HHI, 0 to 1) rounded half up to 0.01."""
    return _decimal(index).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def _localized(value: Decimal) -> str:
    """The number with the active language's decimal separator and grouping."""
    return number_format(value, 1, force_grouping=True)


def _with_percent_sign(number: str) -> str:
    language = (get_language() or "en").split("-")[0].lower()
    return PERCENT_PATTERNS.get(language, PERCENT_PATTERN).format(number)


def percent_text(value: Decimal) -> str:
    """A rounded percentage in the active language: 7.1% (en, zh), 7,1 % (ru), 7,1% (uz)."""
    return _with_percent_sign(_localized(value))


def format_share(share: float | int | Decimal | None) -> str:
    """A share as the page and the chart show it: 7.1% in English, 7,1 % in Russian."""
    rounded = share_percent(share)
    return DASH if rounded is None else percent_text(rounded)


def _signed(value: Decimal) -> str:
    sign = "+" if value > 0 else MINUS if value < 0 else "±"
    return sign + _localized(abs(value))


def format_points(change: float | int | Decimal | None) -> str:
    """A change of share in percentage points with its sign: +0.4 pp, −1.2 п.п., ±0.0 pp."""
    rounded = change_points(change)
    if rounded is None:
        return DASH
    return _("%(number)s pp") % {"number": _signed(rounded)}


def format_growth(ratio: float | int | Decimal | None) -> str:
    """A growth ratio with its sign as a percentage: +25.0%, −3.4%."""
    rounded = ratio_percent(ratio)
    if rounded is None:
        return DASH
    return _with_percent_sign(_signed(rounded))


def csv_share(share: float | int | Decimal | None) -> str:
    """A share for a CSV cell: the same rounded digits as the page, with a point and a percent
    sign (7.1%), which spreadsheets read as the number 0.071; empty for no figure."""
    rounded = share_percent(share)
    return "" if rounded is None else f"{rounded}%"


def csv_points(change: float | int | Decimal | None) -> str:
    """A change of share for a CSV cell, in the same rounded digits as the page (-0.4%: a
    spreadsheet reads the change as the fraction -0.004); empty for no comparison."""
    rounded = change_points(change)
    return "" if rounded is None else f"{rounded}%"


def format_score(score: float | int | Decimal) -> str:
    """An opportunity score as the page shows it: 63.4 (63,4 in Russian)."""
    return _localized(score_rounded(score))


def format_index(index: float | int | Decimal) -> str:
    """A concentration index as the page shows it: 0.23 (0,23 in Russian)."""
    return number_format(index_rounded(index), 2)


def csv_score(score: float | int | Decimal) -> str:
    return str(score_rounded(score))


def csv_index(index: float | int | Decimal) -> str:
    return str(index_rounded(index))

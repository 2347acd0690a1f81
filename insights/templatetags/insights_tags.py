"""Template filters for insight figures: shares as percentages, changes in points, scores.

Every one of them formats through `insights.figures`, the one rounding that the charts and the
CSV downloads use too, in the active language's number format.
"""

from typing import Any

from django import template
from django.utils.formats import number_format

from insights import figures

register = template.Library()


def _missing(value: Any) -> bool:
    return value is None or value == ""


@register.filter
def percent(value: Any) -> str:
    """0.1234 -> 12.3% (12,3 % in Russian); a dash for no figure."""
    return figures.DASH if _missing(value) else figures.format_share(float(value))


@register.filter
def points(value: Any) -> str:
    """A change of share, in percentage points with its sign (a dash for no comparison)."""
    return figures.DASH if _missing(value) else figures.format_points(float(value))


@register.filter
def growth(value: Any) -> str:
    """A growth ratio with its sign: 0.25 -> +25.0% (a dash for no comparison)."""
    return figures.DASH if _missing(value) else figures.format_growth(float(value))


@register.filter
def score(value: Any) -> str:
    return figures.DASH if _missing(value) else figures.format_score(float(value))


@register.filter
def index(value: Any) -> str:
    """A concentration index from 0 to 1 with two decimals."""
    return figures.DASH if _missing(value) else figures.format_index(float(value))


@register.filter
def share_of(shares: dict[str, float], key: str) -> float:
    return shares.get(key, 0.0)


@register.filter
def grouped(value: Any) -> str:
    """A whole number with the active language's thousands separator (1 583 248 000)."""
    if _missing(value):
        return figures.DASH
    return number_format(int(value), 0, force_grouping=True)

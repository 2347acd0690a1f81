"""Template filters for insight figures: shares as percentages, changes in points."""

from typing import Any

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def percent(value: Any) -> str:
    """0.1234 -> 12.3% (a dash for no figure)."""
    if value is None or value == "":
        return "–"
    return f"{number_format(float(value) * 100, 1)}%"


@register.filter
def points(value: Any) -> str:
    """A change of share, in percentage points with its sign (a dash for no comparison)."""
    if value is None or value == "":
        return "–"
    change = float(value) * 100
    sign = "+" if change > 0.05 else "−" if change < -0.05 else "±"
    return f"{sign}{number_format(abs(change), 1)} pp"


@register.filter
def share_of(shares: dict[str, float], key: str) -> float:
    return shares.get(key, 0.0)


@register.filter
def grouped(value: Any) -> str:
    """A whole number with the active language's thousands separator (1 583 248 000)."""
    if value is None or value == "":
        return "–"
    return number_format(int(value), 0, force_grouping=True)

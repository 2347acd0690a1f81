"""Where the sales data is: its first and last day, the seasons that have sales, the nearest one.

The insights page opens on the latest season with sales and turns an empty selection into a
reason and a link to the nearest season that has data, instead of empty charts.
"""

import datetime

from django.db.models import Exists, Max, Min, OuterRef, QuerySet

from catalog.models import Category
from insights.models import RollupCategoryDay, RollupMarketBrandDay, Season
from insights.selectors import category_ids


def sales_dates() -> tuple[datetime.date, datetime.date] | None:
    """The first and the last day with sales, or None before any sales are loaded (one query,
    on the market-wide rollup whose primary key starts with the day)."""
    dates = RollupMarketBrandDay.objects.aggregate(first=Min("date"), last=Max("date"))
    if dates["first"] is None:
        return None
    return dates["first"], dates["last"]


def seasons_with_sales(*, category: Category | None = None) -> list[Season]:
    """Every season with at least one sale in its window (in the category and its
    descendants, when given), latest first; one query."""
    sold: QuerySet[RollupMarketBrandDay] | QuerySet[RollupCategoryDay]
    if category is None:
        sold = RollupMarketBrandDay.objects.filter(
            date__gte=OuterRef("start"), date__lte=OuterRef("end")
        )
    else:
        sold = RollupCategoryDay.objects.filter(
            category_id__in=category_ids(category),
            date__gte=OuterRef("start"),
            date__lte=OuterRef("end"),
        )
    return list(Season.objects.filter(Exists(sold)).order_by("-end", "-start", "code"))


def season_nearest(season: Season, candidates: list[Season]) -> Season | None:
    """The candidate whose window is closest in time to the season's (the earlier one on a
    tie), or None without candidates."""

    def distance(other: Season) -> tuple[int, datetime.date]:
        if other.end < season.start:
            gap = (season.start - other.end).days
        elif other.start > season.end:
            gap = (other.start - season.end).days
        else:
            gap = 0
        return gap, other.start

    others = [other for other in candidates if other.pk != season.pk]
    return min(others, key=distance) if others else None

"""Reads for insights: windows, market share, hotspots, shares by season, brand positions.

Every figure comes from the rollups (never the raw facts): daily ones, and monthly ones where
a long window covers whole months; a category's figures include its descendants. Each figure
is compared with the same window of the previous year: the same season code one year earlier
when the window is a season, else the same dates.
"""

import datetime
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from catalog.models import Category
from insights.countries import COUNTRIES, country_name
from insights.models import (
    MarketBrand,
    RollupBrandDay,
    RollupBrandMonth,
    RollupCategoryDay,
    RollupFields,
    RollupMarketBrandDay,
    RollupOriginDay,
    RollupOriginMonth,
    RollupSums,
    Season,
)
from sellers.models import name_for_reader

BY_CHOICES = ("brand", "origin")


@dataclass(frozen=True)
class Window:
    """An inclusive date range, maybe a season, with the window it is compared against."""

    start: datetime.date
    end: datetime.date
    season: Season | None = None
    previous_start: datetime.date | None = None
    previous_end: datetime.date | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "season": self.season.code if self.season else None,
            "year": self.season.year if self.season else None,
        }


def _year_earlier(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


# The years a window may touch: the window a year earlier and the months around it stay inside
# the calendar Python and the databases compute with (0001-9999), with room to spare.
FIRST_YEAR, LAST_YEAR = 1900, 2999


def window_dates_check(start: datetime.date, end: datetime.date) -> None:
    """ValidationError {start or end: [...]} for a date outside FIRST_YEAR to LAST_YEAR."""
    message = _("Give a date in the years between %(first)d and %(last)d.") % {
        "first": FIRST_YEAR,
        "last": LAST_YEAR,
    }
    errors = {
        field: [message]
        for field, day in (("start", start), ("end", end))
        if not FIRST_YEAR <= day.year <= LAST_YEAR
    }
    if errors:
        raise ValidationError(errors)


def window_from_dates(
    start: datetime.date, end: datetime.date, *, season: Season | None = None
) -> Window:
    """A window of dates compared with the same dates a year earlier."""
    window_dates_check(start, end)
    if start > end:
        raise ValidationError({"start": [_("The start date is after the end date.")]})
    return Window(start, end, season, _year_earlier(start), _year_earlier(end))


def window_resolve(
    *,
    season: str | None = None,
    year: int | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> Window:
    """A window from a season (code and year) or from start and end dates (one query for a
    season: it and the same season of the previous year). ValidationError {field: [message]}."""
    if season:
        if start or end:
            raise ValidationError(
                {"season": [_("Give either a season and a year, or start and end dates.")]}
            )
        if year is None:
            raise ValidationError({"year": [_("A season needs a year.")]})
        found = {s.year: s for s in Season.objects.filter(code=season, year__in=[year, year - 1])}
        current = found.get(year)
        if current is None:
            raise ValidationError(
                {
                    "season": [
                        _("There is no season “%(season)s” in %(year)s.")
                        % {"season": season, "year": year}
                    ]
                }
            )
        previous = found.get(year - 1)
        if previous is not None:
            window_dates_check(current.start, current.end)
            return Window(current.start, current.end, current, previous.start, previous.end)
        return window_from_dates(current.start, current.end, season=current)
    errors = {}
    if start is None:
        errors["start"] = [_("Give a start date (YYYY-MM-DD), or a season and a year.")]
    if end is None:
        errors["end"] = [_("Give an end date (YYYY-MM-DD), or a season and a year.")]
    if errors:
        raise ValidationError(errors)
    assert start is not None and end is not None
    return window_from_dates(start, end)


def category_get(*, code: str) -> Category:
    """The category with that code, or ValidationError {category: [...]}."""
    category = Category.objects.filter(code=code.strip().lower()).first()
    if category is None:
        raise ValidationError(
            {"category": [_("Category “%(code)s” does not exist.") % {"code": code}]}
        )
    return category


def origin_validate(code: str) -> str:
    origin = code.strip().upper()
    if origin not in COUNTRIES:
        raise ValidationError(
            {
                "origin": [
                    _("“%(value)s” is not an ISO 3166 alpha-2 country code (e.g. CN).")
                    % {"value": code}
                ]
            }
        )
    return origin


def category_ids(category: Category) -> list[int]:
    """Ids of the category and all its descendants (one query, remembered on the object).

    Given to the rollup queries as a literal list, so PostgreSQL can walk the rollups' primary
    key (category, date, ...) for each of them instead of guessing the subquery's size.
    """
    cached = getattr(category, "_insights_ids", None)
    if cached is None:
        codes = Q(code=category.code) | Q(code__startswith=f"{category.code}.")
        cached = list(Category.objects.filter(codes).values_list("pk", flat=True))
        category._insights_ids = cached  # type: ignore[attr-defined]
    return cached


def _in_category(category: Category | None) -> Q:
    """Rollup rows of the category and all its descendants (rollups hold leaves only).

    The whole market too is asked for as a literal list of leaves (one small query): a date
    range is then a range of the primary key (category, date, ...) for each leaf, where a bare
    date range, or the leaves as a subquery, reads every row (110 ms against 45 ms for the
    whole market by brand over two months, at 10M facts).
    """
    if category is None:
        leaves = Category.objects.filter(is_leaf=True).values_list("pk", flat=True)
        return Q(category_id__in=list(leaves))
    return Q(category_id__in=category_ids(category))


def _window_q(start: datetime.date, end: datetime.date) -> Q:
    return Q(date__gte=start, date__lte=end)


# The sums of each period, by their annotation names.
_SUM_NAMES = {
    "current": ("revenue", "units_sum", "facts_sum"),
    "previous": ("previous_revenue", "previous_units", "previous_facts"),
}


def _period_sums(period: str, q: Q) -> dict[str, Sum]:
    revenue, units, facts = _SUM_NAMES[period]
    return {
        revenue: Sum("revenue_uzs", filter=q),
        units: Sum("units", filter=q),
        facts: Sum("facts", filter=q),
    }


def _sums(window: Window, compare: bool) -> dict[str, Any]:
    sums = _period_sums("current", _window_q(window.start, window.end))
    if compare and window.previous_start and window.previous_end:
        sums |= _period_sums("previous", _window_q(window.previous_start, window.previous_end))
    return sums


def _dates_q(window: Window, compare: bool) -> Q:
    q = _window_q(window.start, window.end)
    if compare and window.previous_start and window.previous_end:
        q |= _window_q(window.previous_start, window.previous_end)
    return q


def _month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _month_split(start: datetime.date, end: datetime.date) -> tuple[Q | None, Q | None]:
    """[start, end] as (daily rows, monthly rows): the whole months inside it from the monthly
    rollups (keyed by the month's first day), the days before and after them from the daily
    ones. None where a part is empty."""
    one_day = datetime.timedelta(days=1)
    first = start if start.day == 1 else _month_start(start.replace(day=28) + 4 * one_day)
    stop = _month_start(end + one_day)  # the whole months end the day before
    if first >= stop:
        return _window_q(start, end), None
    days = []
    if start < first:
        days.append(_window_q(start, first - one_day))
    if stop <= end:
        days.append(_window_q(stop, end))
    daily = reduce(or_, days) if days else None
    return daily, _window_q(first, _month_start(stop - one_day))


def _rollup_sums(
    *,
    daily: type[RollupSums],
    monthly: type[RollupSums],
    key: str,
    category: Category | None,
    window: Window,
    compare: bool,
) -> list[dict[str, Any]]:
    """Per key, the window's sums (and the previous year's with `compare`), named as `_sums`
    names them: whole months from the monthly rollup, the days around them from the daily one
    (at most two queries)."""
    periods = {"current": (window.start, window.end)}
    if compare and window.previous_start and window.previous_end:
        periods["previous"] = (window.previous_start, window.previous_end)
    split = {name: _month_split(*dates) for name, dates in periods.items()}
    empty = {field: 0 for name in periods for field in _SUM_NAMES[name]}
    merged: dict[Any, dict[str, Any]] = {}
    in_category = _in_category(category)
    for part, model in enumerate((daily, monthly)):
        # A market-wide rollup (the whole market only) has no category to filter on.
        where = in_category if issubclass(model, RollupFields) else Q()
        filters: dict[str, Q] = {
            name: q for name, parts in split.items() if (q := parts[part]) is not None
        }
        if not filters:
            continue
        sums: dict[str, Sum] = {}
        for name, q in filters.items():
            sums |= _period_sums(name, q)
        rows = (
            model._default_manager.values(key)
            .filter(where, reduce(or_, filters.values()))
            .annotate(**sums)
        )
        for row in rows:
            target = merged.setdefault(row[key], {key: row[key], **empty})
            for field, value in row.items():
                if field != key:
                    target[field] += value or 0
    return list(merged.values())


def _share(part: int, total: int) -> float:
    return part / total if total else 0.0


def _change(current: float | int, previous: float | int | None) -> Any:
    return None if previous is None else current - previous


def market_share(
    *,
    category: Category | None,
    window: Window,
    by: str = "brand",
    compare: bool = True,
) -> dict[str, Any]:
    """Revenue and units of each brand (or origin) in the category and window, with their
    shares of the category's total, largest revenue share first; one or two queries (whole
    months from the monthly rollups, the other days from the daily ones).

    With `compare`, each share carries the previous year's figures: previous_revenue_uzs,
    previous_revenue_share, revenue_share_change and revenue_change (None when the previous
    window had no sales at all).
    """
    if by not in BY_CHOICES:
        raise ValidationError({"by": [_("Choose “brand” or “origin”.")]})
    daily: type[RollupSums]
    monthly: type[RollupSums]
    if by == "brand":
        # The whole market's days from the market-wide rollup: a row per brand, not per leaf.
        daily = RollupMarketBrandDay if category is None else RollupBrandDay
        monthly, key = RollupBrandMonth, "market_brand_id"
    else:
        daily, monthly, key = RollupOriginDay, RollupOriginMonth, "origin_country"
    rows = _rollup_sums(
        daily=daily, monthly=monthly, key=key, category=category, window=window, compare=compare
    )
    if by == "brand":
        # Names in a query of their own: joined to every rollup row they doubled its cost.
        # Keyed by the market's name (CSV, API); labelled in the reader's language.
        names = {
            pk: (name, name_for_reader(name, name_zh))
            for pk, name, name_zh in MarketBrand.objects.filter(
                pk__in=[row[key] for row in rows]
            ).values_list("pk", "name", "brand__name_zh")
        }
        labels = {row[key]: names[row[key]] for row in rows}
    else:
        labels = {row[key]: (row[key], country_name(row[key])) for row in rows}
    groups = [(*labels[row[key]], row) for row in rows]
    return _shares_answer(category, window, groups, compare)


def _shares_answer(
    category: Category | None, window: Window, groups: list[tuple[str, str, dict]], compare: bool
) -> dict[str, Any]:
    total_revenue = sum(row["revenue"] or 0 for _k, _l, row in groups)
    total_units = sum(row["units_sum"] or 0 for _k, _l, row in groups)
    previous_revenue = sum(row.get("previous_revenue") or 0 for _k, _l, row in groups)
    previous_units = sum(row.get("previous_units") or 0 for _k, _l, row in groups)
    had_previous = compare and any(row.get("previous_facts") for _k, _l, row in groups)
    shares = []
    for key, label, row in groups:
        if not row["facts_sum"]:
            continue  # sold only in the previous window
        share = {
            "key": key,
            "label": label,
            "revenue_uzs": row["revenue"],
            "units": row["units_sum"],
            "revenue_share": _share(row["revenue"], total_revenue),
            "units_share": _share(row["units_sum"], total_units),
        }
        if compare:
            before = row.get("previous_revenue") or 0
            before_share = _share(before, previous_revenue) if had_previous else None
            share |= {
                "previous_revenue_uzs": before if had_previous else None,
                "previous_revenue_share": before_share,
                "revenue_share_change": _change(share["revenue_share"], before_share),
                "revenue_change": _change(row["revenue"], before if had_previous else None),
            }
        shares.append(share)
    shares.sort(key=lambda s: (-s["revenue_share"], -s["units_share"], str(s["key"]).lower()))
    answer: dict[str, Any] = {
        "category": category.code if category else None,
        **window.as_dict(),
        "total": {"revenue_uzs": total_revenue, "units": total_units},
        "shares": shares,
    }
    if compare:
        answer["previous"] = {
            "start": window.previous_start,
            "end": window.previous_end,
            "total": {"revenue_uzs": previous_revenue, "units": previous_units}
            if had_previous
            else None,
        }
    return answer


def origin_shares_by_category(
    *, origin: str, window: Window, compare: bool = True
) -> list[dict[str, Any]]:
    """The origin's revenue share in every leaf category that sold in the window, largest
    first (two queries). Categories with no sales in the window are left out."""
    totals: dict[int, Any] = {
        row["category_id"]: row
        for row in RollupCategoryDay.objects.filter(_dates_q(window, compare))
        .values("category_id")
        .annotate(**_sums(window, compare))
    }
    origin_rows: dict[int, Any] = {
        row["category_id"]: row
        for row in RollupOriginDay.objects.filter(_dates_q(window, compare), origin_country=origin)
        .values("category_id")
        .annotate(**_sums(window, compare))
    }
    categories = Category.objects.filter(pk__in=[pk for pk, t in totals.items() if t["revenue"]])
    answer: list[dict[str, Any]] = []
    for category in categories:
        total = totals[category.pk]
        mine: dict[str, Any] = origin_rows.get(category.pk, {})
        revenue = mine.get("revenue") or 0
        share = _share(revenue, total["revenue"])
        row: dict[str, Any] = {
            "category": category.code,
            "name": category.name,
            "revenue_share": share,
            "revenue_uzs": revenue,
            "total_revenue_uzs": total["revenue"],
        }
        if compare:
            before_total = total.get("previous_revenue") or 0
            before_share = _share(mine.get("previous_revenue") or 0, before_total)
            row["previous_revenue_share"] = before_share if before_total else None
            row["revenue_share_change"] = _change(share, row["previous_revenue_share"])
        answer.append(row)
    answer.sort(key=lambda r: (-r["revenue_share"], -r["revenue_uzs"], r["category"]))
    return answer


def hotspots(
    *, origin: str = "CN", threshold: float = 0.30, window: Window, compare: bool = True
) -> list[dict[str, Any]]:
    """Leaf categories where the origin's revenue share is strictly above the threshold,
    largest share first: [{category, name, revenue_share, revenue_uzs, total_revenue_uzs, ...}]."""
    if not 0 <= threshold <= 1:
        raise ValidationError({"threshold": [_("The threshold is a share from 0 to 1.")]})
    return [
        row
        for row in origin_shares_by_category(origin=origin, window=window, compare=compare)
        if row["revenue_share"] > threshold
    ]


def origin_shares_by_season(*, category: Category | None, year: int) -> dict[str, Any]:
    """Each origin's revenue share of the category in every season of the year (the stacked
    chart): {"seasons": [...], "origins": [codes, largest overall first], "rows": [{season,
    name, start, end, total_revenue_uzs, shares: {origin: share}}]}; two queries."""
    seasons = list(Season.objects.filter(year=year).order_by("start", "code"))
    if not seasons:
        return {"seasons": [], "origins": [], "rows": []}
    sums: dict[str, Any] = {}
    dates = Q()
    for index, season in enumerate(seasons):
        q = _window_q(season.start, season.end)
        dates |= q
        sums[f"s{index}"] = Sum("revenue_uzs", filter=q)
    figures: list[Any] = list(
        RollupOriginDay.objects.filter(_in_category(category), dates)
        .values("origin_country")
        .annotate(**sums)
    )
    overall: dict[str, int] = {}
    rows = []
    for index, season in enumerate(seasons):
        total = sum(f[f"s{index}"] or 0 for f in figures)
        shares = {}
        for f in figures:
            value = f[f"s{index}"] or 0
            if value:
                shares[f["origin_country"]] = _share(value, total)
                overall[f["origin_country"]] = overall.get(f["origin_country"], 0) + value
        rows.append(
            {
                "season": season.code,
                "name": season.name,
                "start": season.start,
                "end": season.end,
                "total_revenue_uzs": total,
                "shares": shares,
            }
        )
    origins = sorted(overall, key=lambda code: (-overall[code], code))
    return {"seasons": seasons, "origins": origins, "rows": rows}


def brand_position(
    *, brands: list[MarketBrand] | QuerySet[MarketBrand], window: Window, compare: bool = True
) -> list[dict[str, Any]]:
    """Each given brand's rank and revenue share in every leaf category where it sold in the
    window (rank 1 = the largest revenue; brands with equal revenue share a rank), with the
    previous year's rank and share; categories by name, then brand."""
    brand_ids = [b.pk for b in brands]
    if not brand_ids:
        return []
    current = _window_q(window.start, window.end)
    sold_in = RollupBrandDay.objects.filter(current, market_brand_id__in=brand_ids).values(
        "category_id"
    )
    rows: list[Any] = list(
        RollupBrandDay.objects.filter(_dates_q(window, compare), category_id__in=sold_in)
        .values("category_id", "market_brand_id")
        .annotate(**_sums(window, compare))
    )
    names = dict(MarketBrand.objects.filter(pk__in=brand_ids).values_list("pk", "name"))
    categories = {c.pk: c for c in Category.objects.filter(pk__in={r["category_id"] for r in rows})}

    def ranked(period: str) -> dict[int, dict[int, tuple[int, int, int]]]:
        """category -> brand -> (rank, revenue, competitors) for one period."""
        key, facts = (
            ("revenue", "facts_sum")
            if period == "current"
            else ("previous_revenue", "previous_facts")
        )
        by_category: dict[int, list[tuple[int, int]]] = {}
        for row in rows:
            if row.get(facts):
                by_category.setdefault(row["category_id"], []).append(
                    (row["market_brand_id"], row[key] or 0)
                )
        out: dict[int, dict[int, tuple[int, int, int]]] = {}
        for category_id, values in by_category.items():
            revenues = [revenue for _b, revenue in values]
            out[category_id] = {
                brand_id: (1 + sum(1 for r in revenues if r > revenue), revenue, len(values))
                for brand_id, revenue in values
            }
        return out

    now = ranked("current")
    before = ranked("previous") if compare else {}
    answer: list[dict[str, Any]] = []
    for category_id, by_brand in now.items():
        total = sum(revenue for _rank, revenue, _n in by_brand.values())
        before_brands = before.get(category_id, {})
        before_total = sum(revenue for _rank, revenue, _n in before_brands.values())
        for brand_id in brand_ids:
            if brand_id not in by_brand:
                continue
            rank, revenue, competitors = by_brand[brand_id]
            row: dict[str, Any] = {
                "category": categories[category_id].code,
                "name": categories[category_id].name,
                "brand": names[brand_id],
                "rank": rank,
                "brands": competitors,
                "revenue_uzs": revenue,
                "total_revenue_uzs": total,
                "revenue_share": _share(revenue, total),
            }
            if compare:
                prior = before_brands.get(brand_id)
                row["previous_rank"] = prior[0] if prior else None
                row["previous_revenue_share"] = (
                    _share(prior[1], before_total) if prior else (0.0 if before_total else None)
                )
                row["revenue_share_change"] = _change(
                    row["revenue_share"], row["previous_revenue_share"]
                )
            answer.append(row)
    answer.sort(key=lambda r: (r["category"], r["brand"].lower()))
    return answer


def market_brands_for_seller(*, seller: Any) -> list[MarketBrand]:
    """The market brands that are the seller's own: linked to one of its registered brands, or
    with the same name (Latin or Chinese, case-insensitive)."""
    if seller is None:
        return []
    names = set()
    for name, name_zh in seller.brands.values_list("name", "name_zh"):
        names |= {name.strip().lower(), name_zh.strip().lower()} - {""}
    return list(
        MarketBrand.objects.annotate(lower_name=Lower("name"))
        .filter(Q(brand__seller=seller) | Q(lower_name__in=names))
        .order_by("name")
    )

"""Where to bet: leaf categories ranked for one brand origin in a window, with every factor.

The score (0 to 100) weighs four factors, each shown beside it so the ranking can be checked
(the formula is written out in insights/README.md):

- origin_share: the origin's revenue share of the category (buyers already take its brands);
- share_change: that share against the same window a year earlier (momentum);
- revenue_growth: the category's revenue against a year earlier (a growing market);
- hhi: the Herfindahl-Hirschman index of brand revenue shares, 0 to 1 (a market held by a few
  brands is harder to enter, so 1 - hhi counts).

Read from the brand rollups (whole months from the monthly one, the days around them from the
daily one), like market share; exact against the raw facts.
"""

from collections import Counter
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Q, Sum

from catalog.models import Category
from insights.models import MarketBrand, RollupBrandDay, RollupBrandMonth
from insights.selectors import (
    _SUM_NAMES,
    Window,
    _in_category,
    _month_split,
    _period_sums,
)

# The weights of the four terms (they add up to 1, the score to 100).
WEIGHT_SHARE = 0.4
WEIGHT_MOMENTUM = 0.2
WEIGHT_GROWTH = 0.2
WEIGHT_OPENNESS = 0.2
# A change of share of this many points (as a fraction) either way saturates the momentum term;
# a growth of this ratio either way saturates the growth term.
MOMENTUM_SPAN = 0.2
GROWTH_SPAN = 1.0
NEUTRAL = 0.5  # the momentum and growth terms when last year sold nothing to compare with
DEFAULT_ORIGIN = "CN"


def _clamp(value: float) -> float:
    return min(1.0, max(0.0, value))


def opportunity_score(
    *,
    origin_share: float,
    share_change: float | None,
    revenue_growth: float | None,
    hhi: float,
) -> float:
    """The score from 0 to 100 of one category: the weighted sum of four terms from 0 to 1."""
    momentum = (
        NEUTRAL if share_change is None else _clamp(NEUTRAL + share_change / (2 * MOMENTUM_SPAN))
    )
    growth = (
        NEUTRAL if revenue_growth is None else _clamp(NEUTRAL + revenue_growth / (2 * GROWTH_SPAN))
    )
    return 100 * (
        WEIGHT_SHARE * origin_share
        + WEIGHT_MOMENTUM * momentum
        + WEIGHT_GROWTH * growth
        + WEIGHT_OPENNESS * (1 - hhi)
    )


def _brand_sums(window: Window) -> dict[tuple[int, int], dict[str, int]]:
    """(leaf category, market brand) -> the window's revenue and facts, and the previous
    year's (at most two queries: daily and monthly rollups)."""
    periods = {"current": (window.start, window.end)}
    if window.previous_start and window.previous_end:
        periods["previous"] = (window.previous_start, window.previous_end)
    split = {name: _month_split(*dates) for name, dates in periods.items()}
    fields = [field for name in periods for field in _SUM_NAMES[name]]
    merged: dict[tuple[int, int], dict[str, int]] = {}
    leaves = _in_category(None)  # one query for both rollups
    for part, model in enumerate((RollupBrandDay, RollupBrandMonth)):
        filters: dict[str, Q] = {
            name: q for name, parts in split.items() if (q := parts[part]) is not None
        }
        if not filters:
            continue
        sums: dict[str, Sum] = {}
        for name, q in filters.items():
            sums |= _period_sums(name, q)
        rows: Any = (
            model._default_manager.values("category_id", "market_brand_id")
            .filter(leaves, reduce(or_, filters.values()))
            .annotate(**sums)
        )
        for row in rows:
            key = (row["category_id"], row["market_brand_id"])
            target = merged.setdefault(key, dict.fromkeys(fields, 0))
            for field in fields:
                target[field] += row.get(field) or 0
    return merged


def opportunities(*, origin: str, window: Window) -> list[dict[str, Any]]:
    """Leaf categories that sold in the window, best bet for the origin first:
    [{category, name, score, origin_share, share_change, revenue_growth, hhi,
    total_revenue_uzs}]. share_change and revenue_growth are None when the category sold
    nothing in the previous year's window. At most five queries, however many facts."""
    sums = _brand_sums(window)
    origins = dict(
        MarketBrand.objects.filter(pk__in={brand for _c, brand in sums}).values_list(
            "pk", "origin_country"
        )
    )
    per_category: dict[int, list[tuple[int, dict[str, int]]]] = {}
    for (category_id, brand_id), row in sums.items():
        per_category.setdefault(category_id, []).append((brand_id, row))
    sold = {
        category_id
        for category_id, rows in per_category.items()
        if sum(row["revenue"] for _b, row in rows) > 0
    }
    categories = {c.pk: c for c in Category.objects.filter(pk__in=sold)}
    answer: list[dict[str, Any]] = []
    for category_id in sold:
        rows = per_category[category_id]
        total = sum(row["revenue"] for _b, row in rows)
        mine = sum(row["revenue"] for brand, row in rows if origins[brand] == origin)
        previous_total = sum(row.get("previous_revenue", 0) for _b, row in rows)
        previous_mine = sum(
            row.get("previous_revenue", 0) for brand, row in rows if origins[brand] == origin
        )
        origin_share = mine / total
        share_change = revenue_growth = None
        if previous_total:
            share_change = origin_share - previous_mine / previous_total
            revenue_growth = (total - previous_total) / previous_total
        # One exact division: the sum of squared revenues over the squared total.
        hhi = sum(row["revenue"] ** 2 for _b, row in rows) / total**2
        category = categories[category_id]
        answer.append(
            {
                "category": category.code,
                "name": category.name,
                "score": opportunity_score(
                    origin_share=origin_share,
                    share_change=share_change,
                    revenue_growth=revenue_growth,
                    hhi=hhi,
                ),
                "origin_share": origin_share,
                "share_change": share_change,
                "revenue_growth": revenue_growth,
                "hhi": hhi,
                "total_revenue_uzs": total,
            }
        )
    answer.sort(key=lambda r: (-r["score"], -r["origin_share"], r["category"]))
    return answer


def origin_for_seller(*, seller: Any) -> str:
    """The origin the seller's brands come from (the most common one), CN without brands."""
    if seller is None:
        return DEFAULT_ORIGIN
    counts = Counter(seller.brands.values_list("origin_country", flat=True))
    if not counts:
        return DEFAULT_ORIGIN
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[0][0]

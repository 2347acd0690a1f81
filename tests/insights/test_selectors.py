"""Selectors against a straightforward computation over the raw facts, and the sample's figures."""

import datetime
import random
from collections import defaultdict

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog.models import Category
from insights import selectors
from insights.models import MarketBrand, Sale, Season
from insights.services import sales_load, seasons_seed
from tests.insights.factories import sales_file

pytestmark = pytest.mark.usefixtures("categories")

LEAVES = [
    "electronics.phones.smartphones",
    "electronics.phones.cases",
    "electronics.audio.headphones",
    "electronics.wearables",
    "home.cookware",
]
CODES = [None, "electronics", "electronics.phones", "electronics.audio", *LEAVES, "kids"]
BRANDS = {
    "Lanyue": "CN",
    "Jinma": "CN",
    "Tianxin": "CN",
    "Artel": "UZ",
    "Hanil": "KR",
    "Polaris": "RU",
    "Vestel": "TR",
}
FIRST = datetime.date(2024, 10, 20)
DAYS = 40


def random_facts(seed: int, count: int = 400) -> list[list[str]]:
    """Facts in Oct-Nov 2024 and 2025 (so every window has a previous year); Lanyue sells in
    every category, so one brand spans several categories."""
    rng = random.Random(seed)
    rows = []
    for _ in range(count):
        year_shift = rng.choice([0, 1])
        day = FIRST + datetime.timedelta(days=rng.randrange(DAYS))
        day = day.replace(year=day.year + year_shift)
        brand = rng.choice([*BRANDS, "Lanyue"])
        rows.append(
            [
                day.isoformat(),
                rng.choice(LEAVES),
                brand,
                BRANDS[brand],
                str(rng.randrange(0, 6)),
                str(rng.randrange(0, 5) * rng.randrange(1000, 900_000, 1000)),
            ]
        )
    return rows


@pytest.fixture
def facts(db, categories) -> None:
    for seed in (1, 2):  # two loads: figures must add up across loads
        result = sales_load(file=sales_file(random_facts(seed)), filename=f"r{seed}.csv")
        assert result.status == "loaded", result.as_dict()["errors"]
    for year in (2024, 2025):
        seasons_seed(year=year)


# --- the naive computations ----------------------------------------------------------------


def raw(code: str | None, start: datetime.date, end: datetime.date) -> list[Sale]:
    sales = Sale.objects.select_related("category", "market_brand").filter(
        date__gte=start, date__lte=end
    )
    return [
        s
        for s in sales
        if code is None or s.category.code == code or s.category.code.startswith(code + ".")
    ]


def naive_groups(code, start, end, by) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for sale in raw(code, start, end):
        key = sale.market_brand.name if by == "brand" else sale.market_brand.origin_country
        groups[key][0] += sale.revenue_uzs
        groups[key][1] += sale.units
    return groups


def share(part: int, total: int) -> float:
    return part / total if total else 0.0


def year_earlier(day: datetime.date) -> datetime.date:
    return (
        day.replace(year=day.year - 1)
        if (day.month, day.day) != (2, 29)
        else day.replace(year=day.year - 1, day=28)
    )


def naive_market_share(code, start, end, by, previous=None) -> dict:
    now = naive_groups(code, start, end, by)
    previous = previous or (year_earlier(start), year_earlier(end))
    before = naive_groups(code, *previous, by)
    had_before = bool(raw(code, *previous))
    total = sum(v[0] for v in now.values())
    units = sum(v[1] for v in now.values())
    before_total = sum(v[0] for v in before.values())
    shares = []
    for key, (revenue, unit_count) in now.items():
        prev_revenue = before.get(key, [0, 0])[0]
        prev_share = share(prev_revenue, before_total) if had_before else None
        shares.append(
            {
                "key": key,
                "revenue_uzs": revenue,
                "units": unit_count,
                "revenue_share": share(revenue, total),
                "units_share": share(unit_count, units),
                "previous_revenue_uzs": prev_revenue if had_before else None,
                "previous_revenue_share": prev_share,
                "revenue_share_change": None
                if prev_share is None
                else share(revenue, total) - prev_share,
                "revenue_change": revenue - prev_revenue if had_before else None,
            }
        )
    shares.sort(key=lambda s: (-s["revenue_share"], -s["units_share"], s["key"].lower()))
    return {"total": {"revenue_uzs": total, "units": units}, "shares": shares}


def naive_hotspots(origin, threshold, start, end) -> list[tuple[str, float, int, int]]:
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for sale in raw(None, start, end):
        totals[sale.category.code][1] += sale.revenue_uzs
        if sale.market_brand.origin_country == origin:
            totals[sale.category.code][0] += sale.revenue_uzs
    rows = [
        (code, share(mine, total), mine, total)
        for code, (mine, total) in totals.items()
        if total and share(mine, total) > threshold
    ]
    return sorted(rows, key=lambda r: (-r[1], -r[2], r[0]))


def comparable(answer: dict) -> dict:
    return {
        "total": answer["total"],
        "shares": [{k: v for k, v in s.items() if k != "label"} for s in answer["shares"]],
    }


# --- the comparisons -----------------------------------------------------------------------

day_offsets = st.integers(min_value=-3, max_value=DAYS + 3)


@settings(
    max_examples=40,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    code=st.sampled_from(CODES),
    first=day_offsets,
    length=st.integers(min_value=0, max_value=70),  # up to windows with a whole month or two
    by=st.sampled_from(["brand", "origin"]),
)
def test_it_matches_the_raw_facts_for_market_share(facts, code, first, length, by):
    start = FIRST.replace(year=2025) + datetime.timedelta(days=first)
    end = start + datetime.timedelta(days=length)  # length 0: a one-day window
    category = Category.objects.get(code=code) if code else None
    window = selectors.window_from_dates(start, end)

    answer = selectors.market_share(category=category, window=window, by=by)

    assert comparable(answer) == naive_market_share(code, start, end, by)
    if answer["shares"]:
        assert sum(s["revenue_share"] for s in answer["shares"]) == pytest.approx(1.0) or (
            answer["total"]["revenue_uzs"] == 0
        )
        assert sum(s["units_share"] for s in answer["shares"]) == pytest.approx(1.0) or (
            answer["total"]["units"] == 0
        )


@pytest.mark.parametrize(
    ("start", "end", "parts"),
    [
        # whole October and November, days on either side: both rollups
        ("2025-09-28", "2025-12-02", {"day", "month"}),
        # exactly two whole months: the monthly rollup alone
        ("2025-10-01", "2025-11-30", {"month"}),
        # no whole month: the daily rollup alone
        ("2025-10-20", "2025-11-10", {"day"}),
    ],
)
@pytest.mark.parametrize("code", [None, "electronics"])
@pytest.mark.parametrize("by", ["brand", "origin"])
def test_it_sums_whole_months_from_the_monthly_rollups(facts, start, end, parts, code, by):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    start, end = datetime.date.fromisoformat(start), datetime.date.fromisoformat(end)
    category = Category.objects.get(code=code) if code else None
    window = selectors.window_from_dates(start, end)
    with CaptureQueriesContext(connection) as queries:
        answer = selectors.market_share(category=category, window=window, by=by)
    assert comparable(answer) == naive_market_share(code, start, end, by)
    # The whole market's days by brand come from the market-wide rollup (a row per brand).
    daily = "rollupmarketbrandday" if (code, by) == (None, "brand") else f"rollup{by}day"
    tables = {"day": daily, "month": f"rollup{by}month"}
    read = {
        part
        for part, table in tables.items()
        if any(f"insights_{table}" in query["sql"] for query in queries.captured_queries)
    }
    assert read == parts


@settings(
    max_examples=30,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    origin=st.sampled_from(["CN", "UZ", "KR", "DE"]),
    threshold=st.sampled_from([0.0, 0.1, 0.3, 0.5, 0.9, 1.0]),
    first=day_offsets,
    length=st.integers(min_value=0, max_value=15),
)
def test_it_matches_the_raw_facts_for_hotspots(facts, origin, threshold, first, length):
    start = FIRST.replace(year=2025) + datetime.timedelta(days=first)
    end = start + datetime.timedelta(days=length)

    answer = selectors.hotspots(
        origin=origin, threshold=threshold, window=selectors.window_from_dates(start, end)
    )

    got = [
        (r["category"], r["revenue_share"], r["revenue_uzs"], r["total_revenue_uzs"])
        for r in answer
    ]
    assert got == naive_hotspots(origin, threshold, start, end)
    assert all(Category.objects.get(code=r["category"]).is_leaf for r in answer)


def test_it_gives_an_empty_answer_for_a_window_with_no_sales(facts):
    window = selectors.window_from_dates(datetime.date(2030, 1, 1), datetime.date(2030, 1, 31))
    answer = selectors.market_share(category=None, window=window, by="origin")
    assert answer["total"] == {"revenue_uzs": 0, "units": 0}
    assert answer["shares"] == []
    assert answer["previous"]["total"] is None
    assert selectors.hotspots(window=window) == []


def test_it_compares_a_season_with_the_same_season_of_the_previous_year(facts):
    window = selectors.window_resolve(season="singles_day", year=2025)
    previous = Season.objects.get(code="singles_day", year=2024)

    answer = selectors.market_share(category=None, window=window, by="brand")

    expected = naive_market_share(
        None, window.start, window.end, "brand", previous=(previous.start, previous.end)
    )
    assert comparable(answer) == expected
    assert answer["previous"]["start"] == previous.start


def test_it_ranks_a_brand_in_every_category_it_sells_in(facts):
    window = selectors.window_from_dates(datetime.date(2025, 10, 20), datetime.date(2025, 11, 28))
    brands = list(MarketBrand.objects.filter(name__in=["Lanyue", "Hanil"]))

    positions = selectors.brand_position(brands=brands, window=window)

    assert {r["category"] for r in positions if r["brand"] == "Lanyue"} == set(LEAVES)
    for row in positions:
        groups = naive_groups(row["category"], window.start, window.end, "brand")
        revenue = groups[row["brand"]][0]
        assert row["revenue_uzs"] == revenue
        assert row["rank"] == 1 + sum(1 for v in groups.values() if v[0] > revenue)
        assert row["brands"] == len(groups)
        assert row["revenue_share"] == share(revenue, sum(v[0] for v in groups.values()))
        before = naive_groups(row["category"], window.previous_start, window.previous_end, "brand")
        if row["brand"] in before:
            prior = before[row["brand"]][0]
            assert row["previous_rank"] == 1 + sum(1 for v in before.values() if v[0] > prior)


def test_it_finds_the_sellers_own_brands_by_link_or_name(facts):
    from tests.sellers.factories import BrandFactory, SellerFactory

    seller = SellerFactory()
    BrandFactory(seller=seller, name="jinma")
    linked = MarketBrand.objects.get(name="Tianxin")
    linked.brand = BrandFactory(seller=seller, name="Tianxin Global")
    linked.save()

    own = selectors.market_brands_for_seller(seller=seller)

    assert {b.name for b in own} == {"Jinma", "Tianxin"}


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"season": "singles_day", "year": 1999}, "season"),
        ({"season": "singles_day"}, "year"),
        ({"start": datetime.date(2025, 2, 1), "end": datetime.date(2025, 1, 1)}, "start"),
        ({"start": datetime.date(2025, 2, 1)}, "end"),
        ({}, "start"),
    ],
)
def test_it_refuses_a_bad_window(facts, kwargs, field):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        selectors.window_resolve(**kwargs)
    assert field in caught.value.message_dict


def test_it_reproduces_the_sample_figures(sample_sales_path, expected):
    assert sales_load(file=sample_sales_path).status == "loaded"
    assert Sale.objects.count() == expected["rows"]
    for case in expected["market_share"]:
        query = case["query"]
        window = selectors.window_from_dates(
            datetime.date.fromisoformat(query["start"]), datetime.date.fromisoformat(query["end"])
        )
        answer = selectors.market_share(
            category=Category.objects.get(code=query["category"]), window=window, by=query["by"]
        )
        assert answer["total"] == case["answer"]["total"]
        got = {
            s["key"]: {k: s[k] for k in ("revenue_uzs", "units", "revenue_share", "units_share")}
            for s in answer["shares"]
        }
        assert got == case["answer"]["shares"]
    query = expected["hotspots"]["query"]
    window = selectors.window_from_dates(
        datetime.date.fromisoformat(query["start"]), datetime.date.fromisoformat(query["end"])
    )
    hot = selectors.hotspots(origin=query["origin"], threshold=query["threshold"], window=window)
    assert {r["category"]: r["revenue_share"] for r in hot} == expected["hotspots"]["answer"]
    assert [r["revenue_share"] for r in hot] == sorted(
        expected["hotspots"]["answer"].values(), reverse=True
    )


def test_it_uses_the_expected_11_11_window_for_the_seeded_season(db):
    seasons_seed(year=2025)
    season = Season.objects.get(code="singles_day", year=2025)
    assert (season.start, season.end) == (datetime.date(2025, 11, 5), datetime.date(2025, 11, 11))

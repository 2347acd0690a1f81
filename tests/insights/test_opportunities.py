"""Where to bet: the score's factors against the raw facts, the ranking, the API and its 400s."""

import datetime
from collections import defaultdict
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from insights import selectors
from insights.models import Sale
from insights.opportunities import opportunities, opportunity_score, origin_for_seller
from insights.services import sales_load, seasons_seed
from tests.insights.factories import sales_file
from tests.insights.test_selectors import DAYS, FIRST, random_facts
from tests.sellers.factories import BrandFactory, SellerFactory, UserFactory, api_token

pytestmark = pytest.mark.usefixtures("categories")


@pytest.fixture
def facts(db, categories) -> None:
    for seed in (3, 4):
        result = sales_load(file=sales_file(random_facts(seed)), filename=f"o{seed}.csv")
        assert result.status == "loaded", result.as_dict()["errors"]
    for year in (2024, 2025):
        seasons_seed(year=year)


@pytest.fixture
def api(db) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token(UserFactory())}")
    return client


def naive_opportunities(origin: str, window: selectors.Window) -> dict[str, dict]:
    """category -> its factors, computed from the Sale rows with exact fractions."""

    def revenues(start, end) -> dict[str, dict[str, int]]:
        by_category: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for sale in Sale.objects.select_related("category", "market_brand").filter(
            date__gte=start, date__lte=end
        ):
            by_category[sale.category.code][sale.market_brand.name] += sale.revenue_uzs
        return by_category

    origins = {
        s.market_brand.name: s.market_brand.origin_country
        for s in Sale.objects.select_related("market_brand")
    }
    now = revenues(window.start, window.end)
    before = revenues(window.previous_start, window.previous_end)
    answer = {}
    for code, brands in now.items():
        total = sum(brands.values())
        if not total:
            continue
        mine = sum(r for b, r in brands.items() if origins[b] == origin)
        prev = before.get(code, {})
        prev_total = sum(prev.values())
        prev_mine = sum(r for b, r in prev.items() if origins[b] == origin)
        answer[code] = {
            "origin_share": Fraction(mine, total),
            "share_change": Fraction(mine, total) - Fraction(prev_mine, prev_total)
            if prev_total
            else None,
            "revenue_growth": Fraction(total - prev_total, prev_total) if prev_total else None,
            "hhi": sum(Fraction(r, total) ** 2 for r in brands.values()),
            "total_revenue_uzs": total,
        }
    return answer


def assert_matches(answer: list[dict], expected: dict[str, dict]) -> None:
    assert {row["category"] for row in answer} == set(expected)
    for row in answer:
        want = expected[row["category"]]
        assert row["origin_share"] == float(want["origin_share"])
        assert row["hhi"] == float(want["hhi"])
        assert 0 < row["hhi"] <= 1
        assert row["total_revenue_uzs"] == want["total_revenue_uzs"]
        assert row["revenue_growth"] == (
            None if want["revenue_growth"] is None else float(want["revenue_growth"])
        )
        if want["share_change"] is None:
            assert row["share_change"] is None
        else:
            assert row["share_change"] == pytest.approx(float(want["share_change"]), abs=1e-15)
    scores = [row["score"] for row in answer]
    assert scores == sorted(scores, reverse=True)


@settings(
    max_examples=25,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    origin=st.sampled_from(["CN", "UZ", "KR", "DE"]),
    first=st.integers(min_value=-3, max_value=DAYS + 3),
    length=st.integers(min_value=0, max_value=70),  # windows with whole months too
)
def test_it_matches_the_raw_facts_for_every_factor(facts, origin, first, length):
    start = FIRST.replace(year=2025) + datetime.timedelta(days=first)
    window = selectors.window_from_dates(start, start + datetime.timedelta(days=length))

    answer = opportunities(origin=origin, window=window)

    assert_matches(answer, naive_opportunities(origin, window))


def test_it_compares_a_season_with_the_same_season_a_year_earlier(facts):
    window = selectors.window_resolve(season="singles_day", year=2025)
    answer = opportunities(origin="CN", window=window)
    assert answer
    assert_matches(answer, naive_opportunities("CN", window))


def test_it_gives_no_change_and_no_growth_when_last_year_sold_nothing(db, categories):
    rows = [
        ["2025-11-05", "home.cookware", "Lanyue", "CN", "1", "300"],
        ["2025-11-05", "home.cookware", "Artel", "UZ", "1", "100"],
        ["2025-11-06", "electronics.wearables", "Artel", "UZ", "1", "500"],
        ["2024-11-06", "electronics.wearables", "Artel", "UZ", "1", "250"],
    ]
    assert sales_load(file=sales_file(rows), filename="n.csv").status == "loaded"
    window = selectors.window_from_dates(datetime.date(2025, 11, 5), datetime.date(2025, 11, 6))

    answer = {row["category"]: row for row in opportunities(origin="CN", window=window)}

    cookware = answer["home.cookware"]
    assert cookware["share_change"] is None and cookware["revenue_growth"] is None
    assert cookware["origin_share"] == 0.75
    assert cookware["hhi"] == 0.75**2 + 0.25**2
    wearables = answer["electronics.wearables"]
    assert wearables["revenue_growth"] == 1.0  # 500 against 250
    assert wearables["share_change"] == 0.0 and wearables["origin_share"] == 0.0
    assert wearables["hhi"] == 1.0  # one brand holds everything


def test_it_answers_nothing_for_a_window_with_no_sales(facts):
    window = selectors.window_from_dates(datetime.date(2030, 1, 1), datetime.date(2030, 1, 31))
    assert opportunities(origin="CN", window=window) == []


@pytest.mark.parametrize(
    ("factors", "score"),
    [
        ({"origin_share": 1.0, "share_change": 0.2, "revenue_growth": 1.0, "hhi": 0.0}, 100.0),
        ({"origin_share": 0.0, "share_change": -0.2, "revenue_growth": -1.0, "hhi": 1.0}, 0.0),
        ({"origin_share": 0.0, "share_change": None, "revenue_growth": None, "hhi": 1.0}, 20.0),
        ({"origin_share": 0.5, "share_change": 0.0, "revenue_growth": 0.0, "hhi": 0.5}, 50.0),
        # beyond the spans the terms stay at their ends
        ({"origin_share": 0.0, "share_change": 0.9, "revenue_growth": 40.0, "hhi": 1.0}, 40.0),
    ],
)
def test_the_score_is_the_documented_weighted_sum(factors, score):
    assert opportunity_score(**factors) == pytest.approx(score)


def test_a_growing_open_category_ranks_above_a_shrinking_concentrated_one(db, categories):
    rows = [
        # cookware: CN half the market, the market doubled, four brands
        ["2024-11-05", "home.cookware", "Lanyue", "CN", "1", "100"],
        ["2024-11-05", "home.cookware", "Artel", "UZ", "1", "100"],
        ["2025-11-05", "home.cookware", "Lanyue", "CN", "1", "200"],
        ["2025-11-05", "home.cookware", "Jinma", "CN", "1", "200"],
        ["2025-11-05", "home.cookware", "Artel", "UZ", "1", "200"],
        ["2025-11-05", "home.cookware", "Hanil", "KR", "1", "200"],
        # wearables: CN the same half, the market halved, two brands
        ["2024-11-05", "electronics.wearables", "Lanyue", "CN", "1", "400"],
        ["2024-11-05", "electronics.wearables", "Artel", "UZ", "1", "400"],
        ["2025-11-05", "electronics.wearables", "Lanyue", "CN", "1", "200"],
        ["2025-11-05", "electronics.wearables", "Artel", "UZ", "1", "200"],
    ]
    assert sales_load(file=sales_file(rows), filename="r.csv").status == "loaded"
    window = selectors.window_from_dates(datetime.date(2025, 11, 5), datetime.date(2025, 11, 5))

    answer = opportunities(origin="CN", window=window)

    assert [row["category"] for row in answer] == ["home.cookware", "electronics.wearables"]


def test_the_sellers_origin_is_that_of_most_of_its_brands(db):
    seller = SellerFactory()
    assert origin_for_seller(seller=None) == "CN"
    BrandFactory(seller=seller, origin_country="KR")
    BrandFactory(seller=seller, origin_country="KR")
    BrandFactory(seller=seller, origin_country="CN")
    assert origin_for_seller(seller=seller) == "KR"


# --- the API ------------------------------------------------------------------------------


def test_the_api_answers_the_contract_fields_best_first(api, facts):
    response = api.get(
        "/api/v1/insights/opportunities/", {"origin": "CN", "season": "singles_day", "year": 2025}
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body
    for row in body:
        assert {
            "category",
            "score",
            "origin_share",
            "share_change",
            "revenue_growth",
            "hhi",
        } <= set(row)
    assert [row["score"] for row in body] == sorted((row["score"] for row in body), reverse=True)
    window = selectors.window_resolve(season="singles_day", year=2025)
    expected = naive_opportunities("CN", window)
    for row in body:
        assert row["origin_share"] == float(expected[row["category"]]["origin_share"])
        assert row["hhi"] == float(expected[row["category"]]["hhi"])


def test_the_api_takes_start_and_end_dates(api, facts):
    response = api.get(
        "/api/v1/insights/opportunities/",
        {"origin": "uz", "start": "2025-10-20", "end": "2025-11-28"},
    )
    assert response.status_code == 200
    window = selectors.window_from_dates(datetime.date(2025, 10, 20), datetime.date(2025, 11, 28))
    expected = naive_opportunities("UZ", window)
    assert {row["category"] for row in response.json()} == set(expected)


def test_the_api_defaults_to_the_origin_of_the_sellers_brands(db, facts):
    from tests.sellers.factories import seller_with_owner

    seller, user = seller_with_owner(brands=["Hanil"], documents=False)
    seller.brands.update(origin_country="KR")
    client = APIClient()
    client.force_login(user)
    window = {"start": "2025-10-20", "end": "2025-11-28"}
    mine = client.get("/api/v1/insights/opportunities/", window).json()
    korean = client.get("/api/v1/insights/opportunities/", {**window, "origin": "KR"}).json()
    blank = client.get("/api/v1/insights/opportunities/", {**window, "origin": ""}).json()
    assert mine == korean == blank


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"origin": "XX", "season": "singles_day", "year": 2025}, "origin"),
        ({"origin": "China", "season": "singles_day", "year": 2025}, "origin"),
        ({"season": "singles_day"}, "year"),
        ({"season": "singles_day", "year": 1899}, "year"),
        ({"season": "singles_day", "year": 3000}, "year"),
        ({"season": "no_such_season", "year": 2025}, "season"),
        ({"start": "2025-12-01", "end": "2025-11-01"}, "start"),
        ({"start": "2025-02-30", "end": "2025-03-01"}, "start"),
        ({"start": "0001-01-01", "end": "2025-03-01"}, "start"),
        ({"start": "2025-01-01", "end": "9999-12-31"}, "end"),
        ({"start": "2025-01-01"}, "end"),
        ({}, "start"),
        ({"season": "singles_day", "year": 2025, "start": "2025-01-01"}, "season"),
    ],
)
def test_the_api_answers_400_naming_the_field(api, facts, params, field):
    response = api.get("/api/v1/insights/opportunities/", params)
    assert response.status_code == 400
    body = response.json()
    assert field in body, body
    assert all(isinstance(message, str) and message for message in body[field])


def test_the_api_requires_authentication(client, db):
    response = client.get(
        "/api/v1/insights/opportunities/", {"start": "2025-01-01", "end": "2025-01-31"}
    )
    assert response.status_code == 401


def test_the_api_answers_in_a_fixed_number_of_queries(api, facts, django_assert_num_queries):
    # token, the leaves, the sums from the daily and the monthly rollups, the brands' origins,
    # the categories; however many facts there are
    with django_assert_num_queries(6):
        response = api.get(
            "/api/v1/insights/opportunities/",
            {"origin": "CN", "start": "2025-09-28", "end": "2025-12-02"},
        )
    assert response.status_code == 200


def test_the_schema_documents_the_endpoint(client, db):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    schema = response.json()
    operation = schema["paths"]["/api/v1/insights/opportunities/"]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert {"origin", "season", "year", "start", "end"} <= names
    text = response.content.decode()
    for field in ("score", "origin_share", "share_change", "revenue_growth", "hhi"):
        assert field in text

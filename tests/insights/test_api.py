"""Insights API: seasons, market share, hotspots; bodies, 400s, authentication, query counts."""

import pytest
from rest_framework.test import APIClient

from insights.services import sales_load, seasons_seed
from tests.sellers.factories import UserFactory, api_token

pytestmark = pytest.mark.usefixtures("categories")


@pytest.fixture
def api(db) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token(UserFactory())}")
    return client


@pytest.fixture
def sample(sample_sales_path) -> None:
    assert sales_load(file=sample_sales_path).status == "loaded"


def test_it_lists_the_seasons_of_a_year(api):
    seasons_seed(year=2025)
    seasons_seed(year=2026)

    response = api.get("/api/v1/insights/seasons/", {"year": 2025})

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 8
    singles = next(s for s in body["results"] if s["code"] == "singles_day")
    assert singles == {
        "code": "singles_day",
        "name": "11.11 (Singles' Day)",
        "year": 2025,
        "start": "2025-11-05",
        "end": "2025-11-11",
    }


def test_it_names_seasons_in_the_requested_language(api):
    seasons_seed(year=2025)
    response = api.get("/api/v1/insights/seasons/", {"year": 2025}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    names = {s["code"]: s["name"] for s in response.json()["results"]}
    assert names["singles_day"] == "双十一"


def test_it_answers_market_share_by_origin(api, sample, expected):
    case = expected["market_share"][0]
    query = case["query"]

    response = api.get("/api/v1/insights/market-share/", query)

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["category"] == query["category"]
    assert (body["start"], body["end"]) == (query["start"], query["end"])
    assert body["total"] == case["answer"]["total"]
    assert [s["key"] for s in body["shares"]] == sorted(
        case["answer"]["shares"], key=lambda k: -case["answer"]["shares"][k]["revenue_share"]
    )
    for share in body["shares"]:
        want = case["answer"]["shares"][share["key"]]
        assert share["revenue_share"] == want["revenue_share"]
        assert share["units_share"] == want["units_share"]
        assert share["revenue_uzs"] == want["revenue_uzs"]
    assert sum(s["revenue_share"] for s in body["shares"]) == pytest.approx(1.0)


def test_it_answers_market_share_for_a_season(api, sample):
    response = api.get(
        "/api/v1/insights/market-share/",
        {"category": "electronics", "season": "singles_day", "year": 2025, "by": "brand"},
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["start"], body["end"], body["season"]) == (
        "2025-11-05",
        "2025-11-11",
        "singles_day",
    )
    assert body["total"] == {"revenue_uzs": 215297000, "units": 130}
    assert body["shares"][0]["key"] == "Northwind"
    assert body["previous"]["total"] is None  # no 2024 data


def test_it_answers_hotspots(api, sample, expected):
    query = expected["hotspots"]["query"]
    response = api.get("/api/v1/insights/hotspots/", query)
    assert response.status_code == 200
    body = response.json()
    assert [r["category"] for r in body] == [
        "home.cookware",
        "electronics.phones.smartphones",
        "appliances.kitchen.airfryers",
    ]
    for row in body:
        assert row["revenue_share"] == expected["hotspots"]["answer"][row["category"]]
        assert set(row) >= {"category", "revenue_share", "revenue_uzs", "total_revenue_uzs"}


def test_it_defaults_hotspots_to_cn_above_30_percent(api, sample):
    response = api.get("/api/v1/insights/hotspots/", {"season": "singles_day", "year": 2025})
    assert response.status_code == 200
    assert len(response.json()) == 3


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        (
            "market-share",
            {"category": "nope", "start": "2025-01-01", "end": "2025-01-31"},
            "category",
        ),
        ("market-share", {"start": "2025-02-01", "end": "2025-01-01"}, "start"),
        ("market-share", {"start": "2025-02-30", "end": "2025-03-01"}, "start"),
        ("market-share", {"start": "yesterday", "end": "2025-03-01"}, "start"),
        ("market-share", {"season": "singles_day", "year": 2019}, "season"),
        ("market-share", {"season": "no_such_season", "year": 2025}, "season"),
        ("market-share", {"season": "singles_day"}, "year"),
        ("market-share", {"start": "2025-01-01"}, "end"),
        ("market-share", {"start": "2025-01-01", "end": "2025-01-02", "by": "colour"}, "by"),
        ("hotspots", {"origin": "XX", "season": "singles_day", "year": 2025}, "origin"),
        ("hotspots", {"origin": "China", "season": "singles_day", "year": 2025}, "origin"),
        ("hotspots", {"threshold": "1.5", "season": "singles_day", "year": 2025}, "threshold"),
        ("hotspots", {"threshold": "-0.1", "season": "singles_day", "year": 2025}, "threshold"),
        ("hotspots", {"threshold": "lots", "season": "singles_day", "year": 2025}, "threshold"),
        ("hotspots", {"start": "2025-12-01", "end": "2025-11-01"}, "start"),
        ("seasons", {"year": "last"}, "year"),
    ],
)
def test_it_answers_400_naming_the_field(api, path, params, field):
    seasons_seed(year=2025)
    response = api.get(f"/api/v1/insights/{path}/", params)
    assert response.status_code == 400
    body = response.json()
    assert field in body, body
    assert all(isinstance(message, str) and message for message in body[field])


@pytest.mark.parametrize("path", ["seasons", "market-share", "hotspots"])
def test_it_requires_authentication(client, db, path):
    response = client.get(f"/api/v1/insights/{path}/", {"start": "2025-01-01", "end": "2025-01-31"})
    assert response.status_code in (401, 403)
    assert response.status_code == 401 or "detail" in response.json()


def test_it_accepts_the_session_of_a_signed_in_user(client, sample):
    client.force_login(UserFactory())
    response = client.get(
        "/api/v1/insights/market-share/", {"start": "2025-01-01", "end": "2025-12-31"}
    )
    assert response.status_code == 200
    assert response.json()["category"] is None


@pytest.mark.parametrize(("end", "queries"), [("2025-11-11", 6), ("2025-12-31", 5)])
def test_it_answers_market_share_in_a_fixed_number_of_queries(
    api, sample, django_assert_num_queries, end, queries
):
    # token, category, its descendants' ids, then the sums (whole months from the monthly
    # rollup and, when the window has days outside them, those days from the daily one) and
    # the brands' names; however many facts there are
    with django_assert_num_queries(queries):
        response = api.get(
            "/api/v1/insights/market-share/",
            {"category": "electronics", "start": "2025-01-01", "end": end, "by": "brand"},
        )
    assert response.status_code == 200


def test_it_answers_hotspots_in_a_fixed_number_of_queries(api, sample, django_assert_num_queries):
    # token, season, category totals, origin totals, category names
    with django_assert_num_queries(5):
        response = api.get("/api/v1/insights/hotspots/", {"season": "singles_day", "year": 2025})
    assert response.status_code == 200


def test_it_lists_seasons_in_a_fixed_number_of_queries(api, django_assert_num_queries):
    for year in (2024, 2025, 2026):
        seasons_seed(year=year)
    with django_assert_num_queries(3):  # token, count, page
        response = api.get("/api/v1/insights/seasons/")
    assert response.json()["count"] == 24


def test_it_documents_the_endpoints_in_the_schema(client, db):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    text = response.content.decode()
    for path in (
        "/api/v1/insights/seasons/",
        "/api/v1/insights/market-share/",
        "/api/v1/insights/hotspots/",
    ):
        assert path in text
    assert "threshold" in text and "revenue_share" in text

"""RELIABILITY row 41: insights windows at the edges of the calendar (`0001-01-01`,
`9999-12-31`) are a 400 naming the date on every insights endpoint that takes a window, and a
message on the insights page; never a 500.

The sweep finds the endpoints by the `start` parameter of the OpenAPI schema, so a window
endpoint added later is covered without touching this file.
"""

import datetime

import pytest
import yaml
from django.test import Client

from insights.models import Season
from tests.security.routes import read
from tests.sellers.factories import UserFactory

pytestmark = pytest.mark.django_db

EDGE_WINDOWS = [
    {"start": "0001-01-01", "end": "0001-12-31"},
    {"start": "0001-01-01", "end": "2025-11-11"},
    {"start": "2025-11-05", "end": "9999-12-31"},
    {"start": "9999-12-01", "end": "9999-12-31"},
    {"start": "0001-01-01", "end": "9999-12-31"},
]


def window_endpoints(client: Client) -> list[str]:
    schema = yaml.safe_load(read(client.get("/api/schema/")))
    return [
        path
        for path, operations in schema["paths"].items()
        if any(
            parameter.get("name") == "start"
            for parameter in operations.get("get", {}).get("parameters", [])
        )
    ]


@pytest.fixture
def signed_in(categories) -> Client:
    client = Client()
    client.raise_request_exception = False
    client.force_login(UserFactory())
    return client


def test_row_41_an_insights_window_at_the_calendar_edge_is_a_400(signed_in: Client):
    endpoints = window_endpoints(signed_in)
    assert {"/api/v1/insights/market-share/", "/api/v1/insights/hotspots/"} <= set(endpoints)
    problems = []
    for path in endpoints:
        for window in EDGE_WINDOWS:
            response = signed_in.get(path, window)
            body = read(response)
            if response.status_code != 400:
                problems.append(f"GET {path} {window}: {response.status_code}")
            elif not ({"start", "end"} & set(response.json())):
                problems.append(f"GET {path} {window}: {body[:120]!r} names no date")
    assert not problems, "\n".join(problems)


def test_row_41_a_window_inside_the_calendar_still_answers(signed_in: Client):
    response = signed_in.get(
        "/api/v1/insights/market-share/", {"start": "1900-01-01", "end": "2999-12-31"}
    )
    assert response.status_code == 200, response.content


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (datetime.date(9999, 12, 1), datetime.date(9999, 12, 31)),
        (datetime.date(1, 1, 1), datetime.date(1, 1, 8)),
    ],
)
def test_row_41_a_season_at_the_calendar_edge_is_a_message_on_the_insights_page(
    signed_in: Client, start: datetime.date, end: datetime.date
):
    names = {"name_en": "Typo season", "name_ru": "Typo", "name_uz": "Typo", "name_zh": "Typo"}
    Season.objects.create(code="typo", year=start.year, start=start, end=end, **names)
    if start.year > 1:  # and the same season a year earlier, which the page compares with
        earlier = {
            "start": start.replace(year=start.year - 1),
            "end": end.replace(year=end.year - 1),
        }
        Season.objects.create(code="typo", year=start.year - 1, **earlier, **names)
    for query in ({}, {"year": start.year, "season": "typo"}):
        page = signed_in.get("/insights/", query)
        assert page.status_code == 200, query
        assert "between 1900 and 2999" in page.content.decode()
        csv = signed_in.get("/insights/brands.csv", query)
        assert csv.status_code == 200, query
        read(csv)

"""RELIABILITY row 28: hostile query strings never cause a 500, and unknown API paths answer
JSON; an unexpected error shows a reference id and no detail."""

import pytest
from django.test import Client

from tests.security.conftest import SellerWorld
from tests.security.routes import read
from tests.security.test_isolation import list_paths

pytestmark = pytest.mark.django_db

HOSTILE_QUERIES = [
    "?q=%00",
    "?q=a%00b&brand=%00&category=%00",
    "?brand=%E2%80%AE%00",
    "?category=../../etc/passwd",
    "?page=-1",
    "?page=abc&page_size=-5",
    "?page_size=99999999999999999999",
    "?season=%00&year=abc",
    "?year=99999999&season=11-11",
    "?start=2025-13-45&end=2025-01-01",
    "?start=2025-12-31&end=2025-01-01",
    "?by=%00&origin=%00&threshold=nan",
    "?threshold=1e309",
    "?format=%00",
    "?severity=%00",
    "?q=" + "x" * 5000,
]


def test_row_28_it_never_answers_a_hostile_query_string_with_a_500(beta: SellerWorld):
    client = Client()
    client.raise_request_exception = False
    client.force_login(beta.user)
    problems = []
    for _route, path in list_paths():
        for query in HOSTILE_QUERIES:
            for headers in ({}, {"HX-Request": "true"}):
                response = client.get(path + query, headers=headers)
                body = read(response)
                if response.status_code >= 500:
                    problems.append(f"GET {path}{query[:60]} {headers}: {response.status_code}")
                if b"Traceback" in body or b"psycopg" in body:
                    problems.append(f"GET {path}{query[:60]}: the error detail is shown")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "path",
    ["/api/v1/imports/not-a-number/", "/api/v1/no-such-endpoint/", "/api/v1/products/%00/"],
)
def test_row_28_it_answers_an_unknown_api_path_with_json(beta: SellerWorld, path):
    client = Client()
    client.force_login(beta.user)
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "Not found."} or "detail" in response.json()


def test_it_answers_an_unknown_page_with_the_portal_404_page(beta: SellerWorld):
    client = Client()
    client.force_login(beta.user)
    response = client.get("/catalog/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert b"Bozor" in response.content

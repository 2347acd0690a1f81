"""The insights page: pickers, HTMX partial, SVG charts, CSV downloads, escaping, languages."""

import csv
import io

import pytest
from django.urls import reverse

from insights.models import MarketBrand
from insights.services import sales_load
from tests.insights.factories import sales_file
from tests.sellers.factories import seller_with_owner

pytestmark = pytest.mark.usefixtures("categories")

# session, user, pickers (origins, years, seasons, categories), window, the seller and its
# brands, market share by brand (sums, names) and origin, seasons chart, hotspots, brand
# positions; the seasons with sales and the data's first and last day, the origin of the
# seller's brands, where to bet (leaves, the brand sums, the brands' origins, the categories)
PAGE_QUERIES = 29
HOSTILE = "<img src=x onerror=alert(1)>"
ROWS = [
    ["2025-11-05", "electronics.phones.smartphones", "Lanyue", "CN", "2", "3000000"],
    ["2025-11-06", "electronics.phones.smartphones", "Hanil", "KR", "1", "2500000"],
    ["2025-11-06", "electronics.phones.smartphones", HOSTILE, "CN", "1", "100000"],
    ["2025-11-07", "home.cookware", "=cmd|' /C calc'!A0", "UZ", "4", "400000"],
    ["2025-03-05", "clothing.women.dresses", "Artel", "UZ", "4", "400000"],
    ["2024-11-06", "electronics.phones.smartphones", "Hanil", "KR", "3", "2500000"],
]


@pytest.fixture
def data(db) -> None:
    assert sales_load(file=sales_file(ROWS), filename="v.csv").status == "loaded"


@pytest.fixture
def seller_client(client, db):
    _seller, user = seller_with_owner(brands=["Lanyue"])
    client.force_login(user)
    return client


def test_it_requires_login(client, db):
    response = client.get(reverse("insights:index"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_it_shows_brand_shares_with_the_sellers_own_brand_marked(seller_client, data):
    response = seller_client.get(reverse("insights:index"), {"year": 2025, "season": "singles_day"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="img"' in html and "<title" in html
    assert "bar-own" in html  # Lanyue is the signed-in seller's brand
    assert 'class="row-own"' in html
    assert "Hanil" in html
    assert "css/insights.css" in html
    assert " style=" not in html  # the CSP forbids inline styles


def test_it_marks_hotspots_above_the_threshold(seller_client, data):
    response = seller_client.get(
        reverse("insights:index"), {"year": 2025, "season": "singles_day", "threshold": "0.5"}
    )
    html = response.content.decode()
    assert "bar-above" in html
    assert 'class="threshold"' in html
    assert "Smartphones" in html


def test_it_shows_the_stacked_origin_chart_for_the_seasons_of_the_year(seller_client, data):
    response = seller_client.get(reverse("insights:index"), {"year": 2025})
    html = response.content.decode()
    assert "chart-seasons" in html
    assert "segment series-0" in html


def test_it_renders_only_the_body_for_htmx(seller_client, data):
    response = seller_client.get(
        reverse("insights:index"), {"year": 2025, "season": "singles_day"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="insights-body">')
    assert "<html" not in html
    assert response["Vary"].count("HX-Request") == 1


def test_it_uses_hx_get_with_a_real_form_and_push_url(seller_client, data):
    html = seller_client.get(reverse("insights:index")).content.decode()
    assert 'method="get"' in html and "hx-get=" in html and 'hx-push-url="true"' in html
    assert "data-autosubmit" in html
    assert '<button type="submit"' in html  # works without JavaScript


def test_it_falls_back_to_defaults_for_unknown_picker_values(seller_client, data):
    response = seller_client.get(
        reverse("insights:index"),
        {"year": "1999", "season": "nope", "category": "nope", "origin": "ZZ", "threshold": "7"},
    )
    assert response.status_code == 200


def test_row_29_it_escapes_a_hostile_brand_name_in_the_page_and_the_svg(seller_client, data):
    response = seller_client.get(
        reverse("insights:index"),
        {"year": 2025, "season": "singles_day", "category": "electronics"},
    )
    html = response.content.decode()
    assert HOSTILE not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_it_shows_a_message_when_there_are_no_seasons(seller_client):
    response = seller_client.get(reverse("insights:index"))
    assert response.status_code == 200
    assert "No seasons yet" in response.content.decode()


@pytest.mark.parametrize(
    ("language", "text"),
    [("zh-hans", "双十一"), ("ru", "11.11"), ("uz", "11.11"), ("en", "11.11")],
)
def test_it_renders_in_every_ui_language(seller_client, data, language, text):
    seller_client.cookies["django_language"] = language
    response = seller_client.get(
        reverse("insights:index"), {"year": 2025}, HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 200
    assert text in response.content.decode()


def test_it_names_categories_in_the_active_language(seller_client, data):
    response = seller_client.get(
        reverse("insights:index"),
        {"year": 2025, "category": "electronics.phones.smartphones"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    from catalog.models import Category

    assert (
        Category.objects.get(code="electronics.phones.smartphones").name_zh
        in response.content.decode()
    )


def read_csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    return list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))


@pytest.mark.parametrize("chart", ["brands", "origins", "seasons", "hotspots", "positions"])
def test_it_downloads_each_chart_as_csv(seller_client, data, chart):
    response = seller_client.get(
        reverse("insights:csv", args=[chart]),
        {"year": 2025, "season": "singles_day", "threshold": "0.1"},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(response)
    assert len(rows) >= 2, rows


def test_row_09_it_escapes_formulas_in_csv_downloads(seller_client, data):
    response = seller_client.get(
        reverse("insights:csv", args=["brands"]), {"year": 2025, "season": "singles_day"}
    )
    names = [row[0] for row in read_csv(response)[1:]]
    assert "'=cmd|' /C calc'!A0" in names
    assert not any(name.startswith("=") for name in names)


def test_it_gives_brand_figures_in_the_csv_that_match_the_selector(seller_client, data):
    response = seller_client.get(
        reverse("insights:csv", args=["brands"]),
        {"year": 2025, "season": "singles_day", "category": "electronics"},
    )
    rows = read_csv(response)
    header, body = rows[0], rows[1:]
    assert header[:3] == ["brand", "revenue_uzs", "units"]
    assert {row[0]: int(row[1]) for row in body} == {
        "Lanyue": 3000000,
        "Hanil": 2500000,
        HOSTILE: 100000,
    }
    assert [row[-1] for row in body if row[0] == "Lanyue"] == ["yes"]


def test_it_refuses_an_unknown_csv(seller_client, data):
    assert seller_client.get(reverse("insights:csv", args=["secrets"])).status_code == 404


def test_it_shows_the_sellers_brand_positions(seller_client, data):
    response = seller_client.get(reverse("insights:index"), {"year": 2025, "season": "singles_day"})
    html = response.content.decode()
    assert "positions-heading" in html
    assert MarketBrand.objects.filter(name="Lanyue").exists()


@pytest.mark.parametrize(
    ("category", "queries"), [("", PAGE_QUERIES + 3), ("electronics", PAGE_QUERIES + 2)]
)
def test_it_renders_the_page_in_a_fixed_number_of_queries(
    seller_client, data, django_assert_num_queries, category, queries
):
    # a category adds two queries: the ids of it and its descendants, and whether it sold in
    # the season; the whole market adds the
    # ids of the leaves to each of the three selectors that read the big rollups by category
    with django_assert_num_queries(queries):
        response = seller_client.get(
            reverse("insights:index"),
            {"year": 2025, "season": "singles_day", "category": category},
        )
    assert response.status_code == 200

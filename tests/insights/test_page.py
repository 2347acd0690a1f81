"""The insights page a seller trusts: it opens on data, explains an empty selection, shows one
rounded number in chart, table and CSV, always shows the seller's brands, and sorts and pages
the "your brands" table."""

import csv
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from insights import figures
from insights.services import sales_load, seasons_seed
from insights.views import positions_sorted
from tests.insights.factories import sales_file
from tests.sellers.factories import seller_with_owner

pytestmark = pytest.mark.usefixtures("categories")

# 11.11 2025 in smartphones: Lanyue 705 of 10,000 (7.05%: half up 7.1, cut off 7.0).
ROWS = [
    ["2025-11-05", "electronics.phones.smartphones", "Lanyue", "CN", "1", "705"],
    ["2025-11-05", "electronics.phones.smartphones", "Hanil", "KR", "1", "9295"],
    ["2024-11-06", "electronics.phones.smartphones", "Hanil", "KR", "1", "500"],
    ["2025-03-05", "clothing.women.dresses", "Artel", "UZ", "1", "400"],
]


@pytest.fixture
def data(db) -> None:
    for year in (2024, 2025, 2026):
        seasons_seed(year=year)
    assert sales_load(file=sales_file(ROWS), filename="p.csv").status == "loaded"


@pytest.fixture
def seller_client(client, db):
    _seller, user = seller_with_owner(brands=["Lanyue"], documents=False)
    client.force_login(user)
    return client


def page(client, **query) -> str:
    response = client.get(reverse("insights:index"), query)
    assert response.status_code == 200
    return response.content.decode()


def read_csv(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


# --- the one rounding ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("share", "percent"),
    [
        (0.0705, "7.1"),  # half up, where float formatting or cutting off gives 7.0
        (705 / 10000, "7.1"),
        (0.07049, "7.0"),
        (0.0, "0.0"),
        (1.0, "100.0"),
        (0.00049999, "0.0"),
        (0.0005, "0.1"),
        (1 / 3, "33.3"),
        (2 / 3, "66.7"),
    ],
)
def test_a_share_is_rounded_half_up_to_a_tenth_of_a_percent(share, percent):
    assert figures.share_percent(share) == Decimal(percent)


@pytest.mark.parametrize(
    ("change", "points"),
    [(0.0005, "0.1"), (-0.0005, "-0.1"), (0.3 - 0.2295, "7.1"), (-0.00001, "0.0")],
)
def test_a_change_is_rounded_half_up_to_a_tenth_of_a_point_and_never_minus_zero(change, points):
    assert figures.change_points(change) == Decimal(points)
    assert str(figures.change_points(change)) == points


@pytest.mark.parametrize(
    ("language", "share", "change"),
    [
        ("en", "7.1%", "+0.5 pp"),
        # A no-break space keeps the number with its unit; Chinese writes none.
        ("ru", "7,1\u00a0%", "+0,5\u00a0п.п."),
        ("zh-hans", "7.1%", "+0.5个百分点"),
        ("uz", "7,1%", "+0,5\u00a0f.p."),
    ],
)
def test_figures_use_the_languages_decimal_separator_percent_sign_and_points(
    language, share, change
):
    with translation.override(language):
        assert figures.format_share(0.0705) == share
        if language != "en" and translation.gettext("%(number)s pp") == "%(number)s pp":
            pytest.skip("the translations of insights.json are not merged into locale/ yet")
        assert figures.format_points(0.005) == change


def test_the_chart_the_table_and_the_csv_show_the_same_rounded_share(seller_client, data):
    query = {"year": 2025, "season": "singles_day"}
    html = page(seller_client, **query)
    chart = re.search(r'<svg class="chart chart-wide".*?</svg>', html, re.S).group(0)
    assert "Lanyue: 7.1%" in chart and ">7.1%<" in chart
    assert "7.0%" not in html
    table_row = re.search(r"Lanyue</th>.*?</tr>", html, re.S).group(0)
    assert ">7.1%<" in table_row
    rows = read_csv(seller_client.get(reverse("insights:csv", args=["brands"]), query))
    lanyue = next(row for row in rows if row["brand"] == "Lanyue")
    assert lanyue["revenue_share"] == "7.1%"


def test_russian_shows_a_decimal_comma_in_the_chart_and_the_table(seller_client, data):
    seller_client.cookies["django_language"] = "ru"
    html = page(seller_client, year=2025, season="singles_day")
    chart = re.search(r'<svg class="chart chart-wide".*?</svg>', html, re.S).group(0)
    assert "7,1\u00a0%" in chart
    assert re.search(r"Lanyue</th>.*?>7,1\u00a0%<", html, re.S)


def test_a_negative_change_in_the_csv_is_a_number_not_an_escaped_formula(seller_client, data):
    rows = read_csv(
        seller_client.get(
            reverse("insights:csv", args=["brands"]), {"year": 2025, "season": "singles_day"}
        )
    )
    hanil = next(row for row in rows if row["brand"] == "Hanil")
    assert hanil["revenue_share_change"] == "-7.1%"  # 92.95% against 100% a year earlier


# --- open on data -------------------------------------------------------------------------


def test_it_opens_on_the_latest_season_with_sales_and_says_how_far_the_data_goes(
    seller_client, data
):
    html = page(seller_client)  # seasons exist up to 2026, sales up to 11.11 2025
    assert 'value="singles_day" selected' in html
    assert 'value="2025" selected' in html
    assert "data through Nov. 5, 2025" in html  # the language's DATE_FORMAT
    assert "chart-brands" in html


def test_a_year_without_a_season_picks_its_latest_season_with_sales(seller_client, data):
    html = page(seller_client, year=2025)
    assert 'value="singles_day" selected' in html


def test_a_season_without_sales_says_why_and_links_the_nearest_season_with_sales(
    seller_client, data
):
    html = page(seller_client, year=2026, season="singles_day")
    assert "No sales were loaded for" in html
    assert "chart-brands" not in html
    link = re.search(r'<a class="button" href="/insights/\?([^"]+)"', html).group(1)
    assert "year=2025" in link and "season=singles_day" in link
    assert "for all categories" not in html  # nothing was dropped from the selection
    assert "chart-brands" in page(seller_client, year=2025, season="singles_day")


def test_a_category_without_sales_in_the_season_links_its_nearest_season(seller_client, data):
    html = page(seller_client, year=2025, season="singles_day", category="clothing.women")
    assert "sold during" in html
    link = re.search(r'<a class="button" href="/insights/\?([^"]+)"', html).group(1)
    # the dresses sold on 5 March: in Women's Day (1-8 March) and in Ramadan (1-29 March
    # 2025), which ends nearer to 11.11
    assert "season=ramadan" in link and "category=clothing.women" in link


def test_a_category_that_never_sold_links_the_whole_market(seller_client, data):
    html = page(seller_client, year=2025, season="singles_day", category="kids")
    link = re.search(r'<a class="button" href="/insights/\?([^"]+)"', html).group(1)
    assert "season=singles_day" in link and "category=&" in link
    assert "for all categories, the nearest season with sales" in html


def test_without_any_sales_the_page_says_that_nothing_was_loaded(seller_client, db):
    seasons_seed(year=2025)
    html = page(seller_client)
    assert "No sales data has been loaded yet" in html


def test_the_csv_of_an_empty_selection_says_no_data(seller_client, data):
    response = seller_client.get(
        reverse("insights:csv", args=["brands"]), {"year": 2026, "season": "singles_day"}
    )
    assert response.status_code == 200
    assert response.content.decode("utf-8-sig").strip() == "no_data"


# --- your brands --------------------------------------------------------------------------


@pytest.fixture
def many_brands(db) -> None:
    """20 brands in smartphones during 11.11 2025; the seller's Lanyue sells least."""
    rows = [
        ["2025-11-05", "electronics.phones.smartphones", f"Big{n:02d}", "KR", "1", str(1000 + n)]
        for n in range(20)
    ]
    rows.append(["2025-11-05", "electronics.phones.smartphones", "Lanyue", "CN", "1", "10"])
    seasons_seed(year=2025)
    assert sales_load(file=sales_file(rows), filename="m.csv").status == "loaded"


def test_the_sellers_brand_below_the_top_15_is_still_in_the_chart_and_marked(
    seller_client, many_brands
):
    html = page(seller_client, year=2025, season="singles_day")
    chart = re.search(r'<svg class="chart chart-wide".*?</svg>', html, re.S).group(0)
    assert chart.count('<g class="bar') == 16  # the top 15 and the seller's brand
    own = re.search(r'<g class="bar bar-own"><title>([^<]*)</title>', chart).group(1)
    assert own.startswith("Lanyue") and "(your brand)" in own  # said to screen readers
    assert "★ Lanyue" in chart
    assert "Lanyue" in re.search(r'<desc id="chart-brands-desc">([^<]*)</desc>', chart).group(1)


@pytest.fixture
def many_positions(db) -> None:
    """The seller's brand in 25 leaf categories: more than one page of the table."""
    from catalog.models import Category

    leaves = list(Category.objects.filter(is_leaf=True).order_by("code")[:25])
    rows = []
    for index, leaf in enumerate(leaves):
        rows.append(["2025-11-05", leaf.code, "Lanyue", "CN", "1", str(100 + index)])
        rows.append(["2025-11-05", leaf.code, "Hanil", "KR", "1", "200"])
    seasons_seed(year=2025)
    assert sales_load(file=sales_file(rows), filename="q.csv").status == "loaded"


def test_the_your_brands_table_is_paged(seller_client, many_positions):
    html = page(seller_client, year=2025, season="singles_day")
    table = re.search(r'<section id="positions".*?</section>', html, re.S).group(0)
    assert table.count("<tr>") == 1 + 20  # header and the first page
    assert "Page 1 of 2 (25 rows)" in table
    second = page(seller_client, year=2025, season="singles_day", page=2)
    table = re.search(r'<section id="positions".*?</section>', second, re.S).group(0)
    assert table.count("<tr>") == 1 + 5


@pytest.mark.parametrize("page_value", ["0", "-1", "999", "x", "1e9"])
def test_a_bad_page_number_shows_a_page_never_an_error(seller_client, many_positions, page_value):
    page(seller_client, year=2025, season="singles_day", page=page_value)


def test_the_your_brands_table_sorts_by_a_column_both_ways(seller_client, many_positions):
    def shares(sort: str) -> list[str]:
        html = page(seller_client, year=2025, season="singles_day", sort=sort)
        table = re.search(r'<section id="positions".*?</section>', html, re.S).group(0)
        return re.findall(r'data-label="Share">([^<]+)<', table)

    largest_first = shares("-share")
    assert largest_first[0] == "38.3%"  # 124 against Hanil's 200
    smallest_first = shares("share")
    assert smallest_first[0] == "33.3%"  # 100 against 200
    html = page(seller_client, year=2025, season="singles_day", sort="share")
    assert 'aria-sort="ascending"' in html


def test_sorting_answers_only_the_table_to_htmx(seller_client, many_positions):
    response = seller_client.get(
        reverse("insights:index"),
        {"year": 2025, "season": "singles_day", "sort": "brand"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="positions",
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="positions"')
    assert 'hx-target="#positions"' in html


def test_sorting_puts_rows_without_the_figure_last():
    rows = [
        {"name": "b", "brand": "x", "rank": 1, "revenue_share": 0.1, "revenue_share_change": None},
        {"name": "a", "brand": "x", "rank": 2, "revenue_share": 0.2, "revenue_share_change": 0.1},
        {"name": "c", "brand": "x", "rank": 3, "revenue_share": 0.3, "revenue_share_change": -0.1},
    ]
    for sort in ("change", "-change"):
        ordered, used = positions_sorted(rows, sort)
        assert ordered[-1]["name"] == "b" and used == sort
    ordered, used = positions_sorted(rows, "nonsense")
    assert used == "-share" and [r["name"] for r in ordered] == ["c", "a", "b"]


# --- where to bet and the charts ----------------------------------------------------------


def test_the_page_shows_where_to_bet_with_every_factor_beside_the_score(seller_client, data):
    html = page(seller_client, year=2025, season="singles_day")
    section = re.search(r'aria-labelledby="bets-heading".*?</section>', html, re.S).group(0)
    for label in ("Score", "Origin share", "Change vs last year", "Category growth", "HHI"):
        assert label in section
    rows = read_csv(
        seller_client.get(
            reverse("insights:csv", args=["opportunities"]),
            {"year": 2025, "season": "singles_day"},
        )
    )
    assert rows[0]["category"] == "electronics.phones.smartphones"
    assert rows[0]["origin_share"] == "7.1%"


def test_the_chosen_origin_stands_out_in_the_stacked_chart(seller_client, data):
    html = page(seller_client, year=2025, origin="KR")
    chart = re.search(
        r'<svg class="chart chart-wide"[^>]*aria-labelledby="chart-seasons.*?</svg>', html, re.S
    )
    assert chart and "segment-chosen" in chart.group(0)
    assert "col-chosen" in html


def test_every_chart_has_a_narrow_layout_for_phones(seller_client, data):
    html = page(seller_client, year=2025, season="singles_day")
    for chart_id in ("chart-brands", "chart-seasons", "chart-hotspots"):
        assert f'aria-labelledby="{chart_id}-title' in html
        assert f'aria-labelledby="{chart_id}-narrow-title' in html
    assert " style=" not in html


def test_hotspots_are_not_drawn_in_alarm_red():
    css = (Path(__file__).resolve().parents[2] / "static/css/insights.css").read_text("utf-8")
    rule = re.search(r"\.bar\.bar-above rect \{([^}]*)\}", css).group(1)
    assert "danger" not in rule and "#d9480f" not in rule

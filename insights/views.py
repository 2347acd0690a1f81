"""The insights page (HTMX: the pickers swap the page body in place) and its CSV downloads."""

import csv
import re
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from insights import charts, coverage, opportunities, selectors
from insights.countries import country_name
from insights.figures import csv_index, csv_points, csv_score, csv_share
from insights.forms import InsightsFilterForm
from insights.models import MarketBrand
from portal.htmx import partial_or_page
from portal.tabular import escape_formula
from sellers.selectors import seller_for_user

HOTSPOT_CHART_ROWS = 15
BRAND_CHART_ROWS = 15


def _origins_in_data() -> list[str]:
    return list(
        MarketBrand.objects.order_by("origin_country")
        .values_list("origin_country", flat=True)
        .distinct()
    )


POSITIONS_PER_PAGE = 20
OPPORTUNITY_ROWS = 8
# sort key -> the figure the "your brands" table sorts by (None last either way)
POSITION_SORTS = {
    "category": lambda r: r["name"].lower(),
    "brand": lambda r: r["brand"].lower(),
    "rank": lambda r: r["rank"],
    "share": lambda r: r["revenue_share"],
    "change": lambda r: r["revenue_share_change"],
}
DEFAULT_POSITION_SORT = "-share"


def positions_sorted(rows: list[dict[str, Any]], sort: str) -> tuple[list[dict[str, Any]], str]:
    """The rows in the order `sort` names (`share`, `-share`, ...; an unknown key gives the
    default, largest share first), and the sort actually used; rows without the figure last."""
    key = sort.lstrip("-")
    if key not in POSITION_SORTS:
        sort, key = DEFAULT_POSITION_SORT, DEFAULT_POSITION_SORT.lstrip("-")
    figure = POSITION_SORTS[key]
    present = [row for row in rows if figure(row) is not None]
    missing = [row for row in rows if figure(row) is None]
    present.sort(key=lambda r: (r["name"].lower(), r["brand"].lower()))  # stable tie order
    present.sort(key=figure, reverse=sort.startswith("-"))
    return present + missing, sort


def position_columns(sort: str, query: dict[str, Any]) -> list[dict[str, Any]]:
    """The sortable headers of the "your brands" table: label, aria-sort and the link that
    sorts by the column (the other way round when it is the current sort)."""
    labels = {
        "category": _("Category"),
        "brand": _("Brand"),
        "rank": _("Rank"),
        "share": _("Share"),
        "change": _("Change"),
    }
    columns = []
    for key, label in labels.items():
        current = sort.lstrip("-") == key
        descending = sort.startswith("-")
        # Figures sort largest first on the first click, names A to Z, rank 1 first.
        first = f"-{key}" if key in ("share", "change") else key
        following = (key if descending else f"-{key}") if current else first
        columns.append(
            {
                "key": key,
                "label": label,
                "numeric": key in ("rank", "share", "change"),
                "aria_sort": ("descending" if descending else "ascending") if current else "",
                "href": "?" + urlencode({**query, "sort": following}),
            }
        )
    return columns


def _empty_selection(
    *, season: Any, category: Any, values: dict[str, Any], with_sales: list[Any]
) -> dict[str, Any] | None:
    """Why the chosen season (and category) has no sales, and the nearest season with sales
    as a link; None when it has sales."""
    sold_here = coverage.seasons_with_sales(category=category) if category else with_sales
    if any(s.pk == season.pk for s in sold_here):
        return None
    nearest = coverage.season_nearest(season, sold_here)
    query = {
        "origin": values["origin"],
        "threshold": values["threshold"],
        "category": category.code if category else "",
    }
    whole_market = False
    if nearest is None and category is not None:  # the category never sold: the whole market
        nearest = season if any(s.pk == season.pk for s in with_sales) else None
        nearest = nearest or coverage.season_nearest(season, with_sales)
        query["category"], whole_market = "", True
    link = None
    if nearest is not None:
        query |= {"year": nearest.year, "season": nearest.code}
        link = {"season": nearest, "query": urlencode(query), "whole_market": whole_market}
    return {"category": category, "link": link}


def insights_context(request: HttpRequest) -> dict[str, Any]:
    """Everything the page shows for the pickers in the query string."""
    seller = seller_for_user(user=request.user)  # type: ignore[arg-type]
    with_sales = coverage.seasons_with_sales()
    form = InsightsFilterForm(
        request.GET,
        origins=_origins_in_data(),
        with_sales=with_sales,
        default_origin=opportunities.origin_for_seller(seller=seller),
    )
    values = form.values()
    form.initial_from(values)
    season, category = values["season"], values["category"]
    dates = coverage.sales_dates() if with_sales else None
    context: dict[str, Any] = {
        "form": form,
        "values": values,
        "season": season,
        "data_through": dates[1] if dates else None,
        "data_from": dates[0] if dates else None,
    }
    if season is None:
        return context
    window = selectors.window_resolve(season=season.code, year=season.year)
    context["window"] = window
    empty = _empty_selection(season=season, category=category, values=values, with_sales=with_sales)
    if empty is not None:
        context["empty"] = empty
        return context
    own = selectors.market_brands_for_seller(seller=seller)
    own_names = {brand.name for brand in own}
    brand_shares = selectors.market_share(category=category, window=window, by="brand")
    origin_shares = selectors.market_share(category=category, window=window, by="origin")
    by_season = selectors.origin_shares_by_season(category=category, year=values["year"])
    by_category = selectors.origin_shares_by_category(origin=values["origin"], window=window)
    bets = opportunities.opportunities(origin=values["origin"], window=window)
    threshold = values["threshold"]
    hot = [row for row in by_category if row["revenue_share"] > threshold]
    for share in brand_shares["shares"]:
        share["own"] = share["key"] in own_names
    positions = selectors.brand_position(brands=own, window=window) if own else []
    positions, position_sort = positions_sorted(positions, request.GET.get("sort", ""))
    positions_page = Paginator(positions, POSITIONS_PER_PAGE).get_page(request.GET.get("page"))
    query = {
        "year": values["year"],
        "season": season.code,
        "category": category.code if category else "",
        "origin": values["origin"],
        "threshold": threshold,
    }
    scope = category.name if category else _("all categories")
    origin_labels = [(code, country_name(code)) for code in by_season["origins"]]
    # The top brands, then the seller's own brands below them (always shown, marked).
    shown = brand_shares["shares"][:BRAND_CHART_ROWS]
    shown += [s for s in brand_shares["shares"][BRAND_CHART_ROWS:] if s["own"]]
    your_brand = _("your brand")
    context |= {
        "category": category,
        "brand_shares": brand_shares,
        "origin_shares": origin_shares,
        "by_season": by_season,
        "origin_labels": origin_labels,
        "hotspots": hot,
        "by_category": by_category,
        "opportunities": bets,
        "top_opportunities": bets[:OPPORTUNITY_ROWS],
        "threshold": threshold,
        "positions": positions,
        "positions_page": positions_page,
        "position_sort": position_sort,
        "position_columns": position_columns(position_sort, query),
        "position_query": urlencode({**query, "sort": position_sort}),
        "own_brands": own,
        "query": urlencode(query),
        "query_values": query,
        "brand_chart": charts.bar_chart(
            [
                charts.Bar(
                    s["label"],
                    s["revenue_share"],
                    marked=s["own"],
                    note=your_brand if s["own"] else "",
                )
                for s in shown
            ],
            chart_id="chart-brands",
            title=_("Revenue share by brand: %(scope)s, %(season)s")
            % {"scope": scope, "season": str(season)},
        ),
        "season_chart": charts.stacked_chart(
            [charts.StackRow(row["name"], row["shares"]) for row in by_season["rows"]],
            series=origin_labels,
            chart_id="chart-seasons",
            title=_("Revenue share by brand origin in each season of %(year)s: %(scope)s")
            % {"year": values["year"], "scope": scope},
            chosen=values["origin"],
        ),
        "hotspot_chart": charts.bar_chart(
            [
                charts.Bar(
                    row["name"], row["revenue_share"], above=row["revenue_share"] > threshold
                )
                for row in by_category[:HOTSPOT_CHART_ROWS]
            ],
            chart_id="chart-hotspots",
            title=_("%(origin)s brands' revenue share by category, %(season)s")
            % {"origin": values["origin"], "season": str(season)},
            threshold=threshold,
        ),
    }
    return context


@require_GET
@login_required
@vary_on_headers("HX-Request")
def index(request: HttpRequest) -> HttpResponse:
    target = getattr(getattr(request, "htmx", None), "target", None)
    partial = "positions" if target == "positions" else "body"
    template = partial_or_page(request, "insights/insights_index.html", partial)
    return render(request, template, insights_context(request))


def _csv_rows(chart: str, context: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """Header and rows of one download; shares and changes in the page's rounded digits."""
    if chart == "brands":
        header = ["brand", "revenue_uzs", "units", "revenue_share", "units_share"]
        header += ["previous_revenue_share", "revenue_share_change", "own_brand"]
        rows = [
            [s["key"], s["revenue_uzs"], s["units"], csv_share(s["revenue_share"])]
            + [csv_share(s["units_share"]), csv_share(s["previous_revenue_share"])]
            + [csv_points(s["revenue_share_change"]), s["own"]]
            for s in context["brand_shares"]["shares"]
        ]
    elif chart == "origins":
        header = ["origin", "country", "revenue_uzs", "units", "revenue_share", "units_share"]
        header += ["previous_revenue_share", "revenue_share_change"]
        rows = [
            [s["key"], s["label"], s["revenue_uzs"], s["units"], csv_share(s["revenue_share"])]
            + [csv_share(s["units_share"]), csv_share(s["previous_revenue_share"])]
            + [csv_points(s["revenue_share_change"])]
            for s in context["origin_shares"]["shares"]
        ]
    elif chart == "seasons":
        origins = context["by_season"]["origins"]
        header = ["season", "start", "end", "total_revenue_uzs", *origins]
        rows = [
            [r["name"], r["start"], r["end"], r["total_revenue_uzs"]]
            + [csv_share(r["shares"].get(origin, 0.0)) for origin in origins]
            for r in context["by_season"]["rows"]
        ]
    elif chart == "hotspots":
        header = ["category", "name", "revenue_share", "revenue_uzs", "total_revenue_uzs"]
        header += ["previous_revenue_share", "revenue_share_change", "above_threshold"]
        rows = [
            [r["category"], r["name"], csv_share(r["revenue_share"]), r["revenue_uzs"]]
            + [r["total_revenue_uzs"], csv_share(r["previous_revenue_share"])]
            + [csv_points(r["revenue_share_change"]), r["revenue_share"] > context["threshold"]]
            for r in context["by_category"]
        ]
    elif chart == "positions":
        header = ["category", "name", "brand", "rank", "brands", "revenue_uzs", "revenue_share"]
        header += ["previous_rank", "previous_revenue_share", "revenue_share_change"]
        rows = [
            [r["category"], r["name"], r["brand"], r["rank"], r["brands"], r["revenue_uzs"]]
            + [csv_share(r["revenue_share"]), r["previous_rank"]]
            + [csv_share(r["previous_revenue_share"]), csv_points(r["revenue_share_change"])]
            for r in context["positions"]
        ]
    elif chart == "opportunities":
        header = ["category", "name", "score", "origin_share", "share_change", "revenue_growth"]
        header += ["hhi", "total_revenue_uzs"]
        rows = [
            [r["category"], r["name"], csv_score(r["score"]), csv_share(r["origin_share"])]
            + [csv_points(r["share_change"]), csv_share(r["revenue_growth"])]
            + [csv_index(r["hhi"]), r["total_revenue_uzs"]]
            for r in context["opportunities"]
        ]
    else:
        raise Http404
    return header, rows


# A figure we wrote (a number, maybe signed, maybe with a percent sign) is never a formula.
FIGURE = re.compile(r"[-+]?\d+(\.\d+)?%?")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    return text if FIGURE.fullmatch(text) else escape_formula(text)


CSV_CHARTS = ("brands", "origins", "seasons", "hotspots", "positions", "opportunities")


@require_GET
@login_required
def chart_csv(request: HttpRequest, chart: str) -> HttpResponse:
    """The numbers behind one chart as CSV (UTF-8 with BOM for Excel; formulas escaped)."""
    if chart not in CSV_CHARTS:
        raise Http404
    context = insights_context(request)
    season = context.get("season")
    has_data = season is not None and "brand_shares" in context
    header, rows = _csv_rows(chart, context) if has_data else (["no_data"], [])
    name = f"insights-{chart}-{season.code}-{season.year}.csv" if season else f"{chart}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return response

"""The insights page (HTMX: the pickers swap the page body in place) and its CSV downloads."""

import csv
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from insights import charts, selectors
from insights.countries import country_name
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


def insights_context(request: HttpRequest) -> dict[str, Any]:
    """Everything the page shows for the pickers in the query string."""
    form = InsightsFilterForm(request.GET, origins=_origins_in_data())
    values = form.values()
    form.initial_from(values)
    season, category = values["season"], values["category"]
    context: dict[str, Any] = {"form": form, "values": values, "season": season}
    if season is None:
        return context
    window = selectors.window_resolve(season=season.code, year=season.year)
    seller = seller_for_user(user=request.user)  # type: ignore[arg-type]
    own = selectors.market_brands_for_seller(seller=seller)
    own_names = {brand.name for brand in own}
    brand_shares = selectors.market_share(category=category, window=window, by="brand")
    origin_shares = selectors.market_share(category=category, window=window, by="origin")
    by_season = selectors.origin_shares_by_season(category=category, year=values["year"])
    by_category = selectors.origin_shares_by_category(origin=values["origin"], window=window)
    threshold = values["threshold"]
    hot = [row for row in by_category if row["revenue_share"] > threshold]
    for share in brand_shares["shares"]:
        share["own"] = share["key"] in own_names
    positions = selectors.brand_position(brands=own, window=window) if own else []
    query = {
        "year": values["year"],
        "season": season.code,
        "category": category.code if category else "",
        "origin": values["origin"],
        "threshold": threshold,
    }
    scope = category.name if category else _("all categories")
    origin_labels = [(code, country_name(code)) for code in by_season["origins"]]
    context |= {
        "category": category,
        "window": window,
        "brand_shares": brand_shares,
        "origin_shares": origin_shares,
        "by_season": by_season,
        "origin_labels": origin_labels,
        "hotspots": hot,
        "by_category": by_category,
        "threshold": threshold,
        "positions": positions,
        "own_brands": own,
        "query": urlencode(query),
        "brand_chart": charts.bar_chart(
            [
                charts.Bar(s["label"], s["revenue_share"], marked=s["own"])
                for s in brand_shares["shares"][:BRAND_CHART_ROWS]
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
    template = partial_or_page(request, "insights/insights_index.html", "body")
    return render(request, template, insights_context(request))


def _csv_rows(chart: str, context: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    if chart == "brands":
        header = ["brand", "revenue_uzs", "units", "revenue_share", "units_share"]
        header += ["previous_revenue_share", "revenue_share_change", "own_brand"]
        rows = [
            [s["key"], s["revenue_uzs"], s["units"], s["revenue_share"], s["units_share"]]
            + [s["previous_revenue_share"], s["revenue_share_change"], s["own"]]
            for s in context["brand_shares"]["shares"]
        ]
    elif chart == "origins":
        header = ["origin", "country", "revenue_uzs", "units", "revenue_share", "units_share"]
        header += ["previous_revenue_share", "revenue_share_change"]
        rows = [
            [s["key"], s["label"], s["revenue_uzs"], s["units"], s["revenue_share"]]
            + [s["units_share"], s["previous_revenue_share"], s["revenue_share_change"]]
            for s in context["origin_shares"]["shares"]
        ]
    elif chart == "seasons":
        origins = context["by_season"]["origins"]
        header = ["season", "start", "end", "total_revenue_uzs", *origins]
        rows = [
            [r["name"], r["start"], r["end"], r["total_revenue_uzs"]]
            + [r["shares"].get(origin, 0.0) for origin in origins]
            for r in context["by_season"]["rows"]
        ]
    elif chart == "hotspots":
        header = ["category", "name", "revenue_share", "revenue_uzs", "total_revenue_uzs"]
        header += ["previous_revenue_share", "revenue_share_change", "above_threshold"]
        rows = [
            [r["category"], r["name"], r["revenue_share"], r["revenue_uzs"]]
            + [r["total_revenue_uzs"], r["previous_revenue_share"], r["revenue_share_change"]]
            + [r["revenue_share"] > context["threshold"]]
            for r in context["by_category"]
        ]
    elif chart == "positions":
        header = ["category", "name", "brand", "rank", "brands", "revenue_uzs", "revenue_share"]
        header += ["previous_rank", "previous_revenue_share", "revenue_share_change"]
        rows = [
            [r["category"], r["name"], r["brand"], r["rank"], r["brands"], r["revenue_uzs"]]
            + [r["revenue_share"], r["previous_rank"], r["previous_revenue_share"]]
            + [r["revenue_share_change"]]
            for r in context["positions"]
        ]
    else:
        raise Http404
    return header, rows


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return escape_formula(str(value))


CSV_CHARTS = ("brands", "origins", "seasons", "hotspots", "positions")


@require_GET
@login_required
def chart_csv(request: HttpRequest, chart: str) -> HttpResponse:
    """The numbers behind one chart as CSV (UTF-8 with BOM for Excel; formulas escaped)."""
    if chart not in CSV_CHARTS:
        raise Http404
    context = insights_context(request)
    season = context.get("season")
    header, rows = _csv_rows(chart, context) if season else (["no_data"], [])
    name = f"insights-{chart}-{season.code}-{season.year}.csv" if season else f"{chart}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return response

"""The seller dashboard's tiles that need the catalog and the market data (sellers cannot import
them: lint-imports layers). sellers.dashboard calls `seller_kpis` through the
DASHBOARD_KPI_PROVIDERS setting.

Definitions (what each tile counts):
- products_live: the seller's products in the catalog, i.e. rows saved by committed imports.
- products_to_fix: rows rejected with an error (`invalid_count`) by the seller's last finished
  import (validated or completed); each rejected row is a product that did not make it.
- last_import: the seller's most recent import, whatever its state.
- share: the seller's own brands' share of the whole market's revenue in the latest season that
  has sales data, against the same season a year earlier (None when that year had no sales).
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Max

from catalog.models import ImportJob, ImportStatus, Product
from insights import selectors
from insights.models import RollupMarketBrandDay, Season
from sellers.models import Seller


def _latest_season_with_sales() -> Season | None:
    """The season that started last on or before the last day with sales."""
    last_day: datetime.date | None = RollupMarketBrandDay.objects.aggregate(last=Max("date"))[
        "last"
    ]
    if last_day is None:
        return None
    return Season.objects.filter(start__lte=last_day).order_by("-start", "code").first()


def brand_share(*, seller: Seller) -> dict[str, Any] | None:
    """The own brands' revenue share of the whole market in the latest season with sales, with
    the previous year's share; None without seasons or sales."""
    season = _latest_season_with_sales()
    if season is None:
        return None
    try:
        window = selectors.window_resolve(season=season.code, year=season.year)
    except ValidationError:
        return None
    own = {brand.name for brand in selectors.market_brands_for_seller(seller=seller)}
    answer = selectors.market_share(category=None, window=window, by="brand")
    mine = [row for row in answer["shares"] if row["key"] in own]
    had_previous = answer.get("previous", {}).get("total") is not None
    share = sum(row["revenue_share"] for row in mine)
    previous = (
        sum(row.get("previous_revenue_share") or 0.0 for row in mine) if had_previous else None
    )
    return {
        "season": season,
        "own_brands": len(own),
        "share": share,
        "previous_share": previous,
        "change": None if previous is None else share - previous,
        "market_revenue_uzs": answer["total"]["revenue_uzs"],
    }


def seller_kpis(*, seller: Seller) -> dict[str, Any]:
    """Products, the last import and the rows it rejected, the brands' share. Without sales data
    three queries: products, the last import, the last day with sales."""
    jobs = ImportJob.objects.filter(seller=seller).order_by("-created_at", "-pk")
    last = jobs.first()
    finished = (ImportStatus.VALIDATED, ImportStatus.COMPLETED)
    last_finished = last if last is None or last.status in finished else None
    if last is not None and last_finished is None:
        last_finished = jobs.filter(status__in=finished).first()
    return {
        "products_live": Product.objects.filter(seller=seller).count(),
        "products_to_fix": last_finished.invalid_count if last_finished else None,
        "products_to_fix_job": last_finished,
        "last_import": last,
        "share": brand_share(seller=seller),
    }

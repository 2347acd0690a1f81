"""The dashboard's readiness tile: how many of the seller's cards the marketplace would accept,
and what blocks the rest, grouped by issue.

sellers sits below catalog (lint-imports layers), so sellers.dashboard cannot read cards; it
calls `readiness_kpis` through the DASHBOARD_KPI_PROVIDERS setting, like insights' tiles.
"""

from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from catalog.card_selectors import readiness_summary
from sellers.models import Seller


def readiness_kpis(*, seller: Seller) -> dict[str, Any]:
    """`{"readiness": {cards, ready, needs_fixes, issues: [{code, label, cards, url}]}}`, each
    issue linking to the product list filtered by it; one query (readiness_summary's)."""
    summary = dict(readiness_summary(seller=seller))
    products = reverse("catalog:product-list")

    def url(readiness: str) -> str:
        return f"{products}?{urlencode({'readiness': readiness})}"

    summary["issues"] = [{**issue, "url": url(issue["code"])} for issue in summary["issues"]]
    summary["ready_url"] = url("ready")
    summary["needs_fixes_url"] = url("needs_fixes")
    cards = summary.get("cards") or 0
    summary["ready_percent"] = round(100 * (summary.get("ready") or 0) / cards) if cards else 0
    return {"readiness": summary}

"""The dashboard's KPI tiles.

sellers sits below catalog and insights (lint-imports layers), so it cannot count products,
imports or market shares itself. The tiles it can fill (brands, documents near expiry) are
computed here; the others come from the providers named in `settings.DASHBOARD_KPI_PROVIDERS`
(dotted paths of functions `provider(*, seller) -> dict`), which the higher apps implement:
`insights.dashboard.seller_kpis` by default. A provider that fails is logged and its tiles show
as unavailable: the dashboard itself always renders.
"""

import datetime
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from sellers.models import Seller

logger = logging.getLogger(__name__)

# A document whose expiry date is this close (or past) is "near expiry" on the dashboard.
DOCUMENT_EXPIRY_DAYS = 60


def _providers() -> list[Callable[..., dict[str, Any]]]:
    return [import_string(path) for path in getattr(settings, "DASHBOARD_KPI_PROVIDERS", [])]


def documents_near_expiry(*, seller: Seller, today: datetime.date | None = None) -> list[Any]:
    """The seller's documents with an expiry date within DOCUMENT_EXPIRY_DAYS, or already past,
    soonest first (from the prefetched documents when the seller carries them)."""
    today = today or timezone.localdate()
    limit = today + datetime.timedelta(days=DOCUMENT_EXPIRY_DAYS)
    expiring = [d for d in seller.documents.all() if d.expires_on and d.expires_on <= limit]
    return sorted(expiring, key=lambda d: (d.expires_on, d.pk))


def dashboard_kpis(*, seller: Seller) -> dict[str, Any]:
    """Everything the KPI tiles show, keyed by tile. Missing keys mean "no data": each tile's
    template says what to do next. Brands and documents come from the seller's prefetched
    relations (seller_get_for_user); the providers add a few queries of their own."""
    today = timezone.localdate()
    expiring = documents_near_expiry(seller=seller, today=today)
    kpis: dict[str, Any] = {
        "brand_count": len(seller.brands.all()),
        "documents_expiring": expiring,
        "documents_expired": sum(1 for d in expiring if d.expires_on < today),
        "document_count": len(seller.documents.all()),
        "expiry_days": DOCUMENT_EXPIRY_DAYS,
    }
    for provider in _providers():
        try:
            kpis |= provider(seller=seller)
        except Exception:  # a broken tile must not take the dashboard down
            logger.exception("dashboard KPI provider %s failed", provider)
            kpis["unavailable"] = True
    return kpis

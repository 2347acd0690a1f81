"""Reads about brands and their review, scoped to who asks (another seller's brand is 404)."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import Http404

from sellers import permissions
from sellers.models import Brand, BrandState, Seller, User


def brand_list(*, seller: Seller) -> QuerySet[Brand]:
    """The seller's brands with their review, by name (document joined)."""
    return Brand.objects.filter(seller=seller).select_related("document").order_by("name", "pk")


def brand_get(*, seller: Seller, id: Any) -> Brand:
    """One of this seller's brands, or 404."""
    try:
        return brand_list(seller=seller).get(pk=int(id))
    except (Brand.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def brand_queue_order() -> Case:
    """Pending first, then rejected, then approved (the review queue's order)."""
    return Case(
        When(state=BrandState.PENDING, then=Value(0)),
        When(state=BrandState.REJECTED, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )


def brand_list_for_ops(*, state: str | None = None) -> QuerySet[Brand]:
    """Every seller's brands for reviewers: pending first, the oldest request first."""
    brands = Brand.objects.select_related("seller", "document", "reviewed_by")
    if state:
        brands = brands.filter(state=state)
    return brands.order_by(brand_queue_order(), "requested_at", "pk")


def brand_get_for_ops(*, user: User, id: Any) -> Brand:
    """Any brand, for staff who review brands; 404 for everyone else and unknown ids."""
    if not permissions.can_review_brands(user):
        raise Http404
    try:
        return brand_list_for_ops().get(pk=int(id))
    except (Brand.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


@dataclass(frozen=True)
class BrandLookup:
    """What catalog rows may name, by lower-cased name and Chinese name."""

    approved: dict[str, Brand]  # only these import
    pending: dict[str, Brand]  # rows naming them get `brand_pending`


def brand_lookup_for_import(*, seller: Seller) -> BrandLookup:
    """The seller's approved brands and those waiting for review; rejected brands are left out,
    so rows naming them read as naming an unknown brand."""
    approved: dict[str, Brand] = {}
    pending: dict[str, Brand] = {}
    for brand in Brand.objects.filter(seller=seller).exclude(state=BrandState.REJECTED):
        target = approved if brand.state == BrandState.APPROVED else pending
        target[brand.name.strip().lower()] = brand
        if brand.name_zh:
            target.setdefault(brand.name_zh.strip().lower(), brand)
    return BrandLookup(approved=approved, pending=pending)

"""Reads about the catalog, always scoped to one seller; ids from users go through here (404)."""

from typing import IO, Any

from django.db.models import Q, QuerySet
from django.http import Http404

from catalog.importing import report
from catalog.importing.rows import Lookups
from catalog.models import Category, ImportJob, Product, RowError, Severity
from sellers.brand_selectors import brand_lookup_for_import
from sellers.models import Brand, Seller


def product_list(
    *,
    seller: Seller,
    category: str | Category | None = None,
    q: str | None = None,
    brand: str | int | Brand | None = None,
    readiness: str | None = None,
    issue: str | None = None,
) -> QuerySet[Product]:
    """The seller's products with brand and category joined (a fixed number of queries).

    `category` (a code or a Category) includes its descendants; `brand` is a Brand, its id or
    its name (or Chinese name); `q` searches SKU, titles, barcode and card code; `readiness`
    is a stored state (`ready`, `needs_fixes`) and `issue` a readiness issue code.
    """
    products = Product.objects.filter(seller=seller).select_related("brand", "category")
    if readiness:
        products = products.filter(readiness_state=readiness)
    if issue:
        products = products.filter(readiness_issues__contains=[{"code": issue}])
    if category:
        code = category.code if isinstance(category, Category) else str(category).strip()
        products = products.filter(
            Q(category__code=code) | Q(category__code__startswith=code + ".")
        )
    if brand:
        if isinstance(brand, Brand):
            products = products.filter(brand=brand)
        elif isinstance(brand, int) or str(brand).isdigit():
            products = products.filter(brand_id=int(brand))
        else:
            name = str(brand).strip()
            products = products.filter(Q(brand__name__iexact=name) | Q(brand__name_zh__iexact=name))
    if q:
        q = q.strip()
        products = products.filter(
            Q(sku__icontains=q)
            | Q(title_uz__icontains=q)
            | Q(title_ru__icontains=q)
            | Q(barcode=q)
            | Q(group__iexact=q)
        )
    return products.order_by("sku")


def product_get(*, seller: Seller, sku: str) -> Product:
    """One of the seller's products by SKU, or 404 (other sellers' products do not exist)."""
    try:
        return Product.objects.select_related("brand", "category").get(seller=seller, sku=sku)
    except Product.DoesNotExist:
        raise Http404 from None


def category_codes() -> dict[str, tuple[int, bool]]:
    """Every category code -> (id, is_leaf), for rules that check many rows in memory."""
    return {
        code: (pk, is_leaf)
        for code, pk, is_leaf in Category.objects.values_list("code", "pk", "is_leaf")
    }


def product_lookups(*, seller: Seller) -> Lookups:
    """What the row rules check a product against: this seller's approved brands (and those
    waiting for review, for their own row error) and the category tree."""
    brands = brand_lookup_for_import(seller=seller)
    return Lookups(
        brands={key: brand.pk for key, brand in brands.approved.items()},
        brand_names=sorted({brand.name for brand in brands.approved.values()}),
        categories=category_codes(),
        pending_brands=frozenset(brands.pending),
    )


def import_job_list(*, seller: Seller) -> QuerySet[ImportJob]:
    """The seller's imports, newest first (created_by joined for the history table)."""
    return (
        ImportJob.objects.filter(seller=seller)
        .select_related("created_by")
        .order_by("-created_at", "-id")
    )


def import_job_get(*, seller: Seller, id: Any) -> ImportJob:
    """One of the seller's imports by id, or 404."""
    try:
        return ImportJob.objects.select_related("seller", "created_by").get(
            seller=seller, pk=int(id)
        )
    except (ImportJob.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def import_job_errors(*, job: ImportJob, severity: str | None = None) -> QuerySet[RowError]:
    """The job's row errors (and warnings) ordered by row; pass severity="error" for errors."""
    errors = RowError.objects.filter(job=job).order_by("row", "id")
    if severity:
        errors = errors.filter(severity=severity)
    return errors


def import_job_first_errors(*, job: ImportJob, limit: int = 20) -> list[RowError]:
    """The first problems for the preview (errors before warnings)."""
    errors = list(import_job_errors(job=job, severity=Severity.ERROR)[:limit])
    if len(errors) < limit:
        errors += list(import_job_errors(job=job, severity=Severity.WARNING)[: limit - len(errors)])
    return errors


def error_report_write(*, job: ImportJob, stream: IO[bytes]) -> None:
    """The rejected rows exactly as sent plus an `errors` column (CSV, UTF-8 with BOM)."""
    report.error_report_write(job=job, stream=stream)


def template_write(*, file_format: str, stream: IO[bytes]) -> None:
    """The import template with the canonical header ("csv" or "xlsx")."""
    report.template_write(file_format=file_format, stream=stream)

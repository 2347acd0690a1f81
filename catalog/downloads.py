"""The catalog's files as downloads (an import's error report, the import template), for the
pages, the API and the admin alike."""

from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils.translation import gettext as _

from catalog import selectors
from catalog.importing import report
from catalog.models import Category, ImportJob
from portal.downloads import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    download_name,
    written_file_response,
)
from sellers.brand_selectors import brand_lookup_for_import
from sellers.models import Seller

# The formats the import template comes in.
TEMPLATE_FORMATS = {"csv": CSV_CONTENT_TYPE, "xlsx": XLSX_CONTENT_TYPE}
DEFAULT_TEMPLATE_FORMAT = "csv"


def error_report_response(job: ImportJob) -> FileResponse:
    """The rejected rows as sent plus an `errors` column, named after the file sent."""
    return written_file_response(
        lambda stream: selectors.error_report_write(job=job, stream=stream),
        filename=download_name(job.filename, "-errors.csv", f"import-{job.pk}"),
        content_type=CSV_CONTENT_TYPE,
    )


def template_response(file_format: str, seller: Seller | None = None) -> FileResponse:
    """The import template with the canonical header; ValidationError on "format" for a format
    we do not make. The Excel one offers the seller's approved brands and the leaf categories
    as drop-downs."""
    if file_format not in TEMPLATE_FORMATS:
        raise ValidationError({"format": [_("Choose csv or xlsx.")]})
    brands: list[str] = []
    categories: list[tuple[str, str]] = []
    if file_format == "xlsx":
        if seller is not None:
            approved = brand_lookup_for_import(seller=seller).approved.values()
            brands = sorted({brand.name for brand in approved})
        categories = [
            (category.code, category.name)
            for category in Category.objects.filter(is_leaf=True).order_by("code")
        ]
    return written_file_response(
        lambda stream: report.template_write(
            file_format=file_format, stream=stream, brands=brands, categories=categories
        ),
        filename=f"bozor-catalog-template.{file_format}",
        content_type=TEMPLATE_FORMATS[file_format],
    )

"""The catalog's files as downloads (an import's error report, the import template), for the
pages, the API and the admin alike."""

from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils.translation import gettext as _

from catalog import selectors
from catalog.models import ImportJob
from portal.downloads import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    download_name,
    written_file_response,
)

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


def template_response(file_format: str) -> FileResponse:
    """The import template with the canonical header; ValidationError on "format" for a format
    we do not make."""
    if file_format not in TEMPLATE_FORMATS:
        raise ValidationError({"format": [_("Choose csv or xlsx.")]})
    return written_file_response(
        lambda stream: selectors.template_write(file_format=file_format, stream=stream),
        filename=f"bozor-catalog-template.{file_format}",
        content_type=TEMPLATE_FORMATS[file_format],
    )

"""Upload size limits enforced while the request body streams in, never after reading it all.

HTML views: decorate with `@upload_limit(max_bytes)` (it handles CSRF itself, because the upload
handlers must be set before anything reads request.POST). DRF views: mix in `UploadLimitMixin`
and set `max_upload_bytes`. Either way `upload_too_large(request)` tells the view afterwards.
`spreadsheet_limits` gives what an uploaded spreadsheet may hold once it is in.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from portal.tabular import Limits

_FLAG = "_bozor_upload_too_large"


class SizeLimitUploadHandler(FileUploadHandler):
    """Stops the upload as soon as the files in it pass `max_bytes`; the file is dropped."""

    def __init__(self, request: HttpRequest, max_bytes: int) -> None:
        super().__init__(request)
        self.max_bytes = max_bytes
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.max_bytes:
            setattr(self.request, _FLAG, True)
            # Stop reading here: the rest of the body is never read, nothing is stored.
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def install_upload_limit(request: HttpRequest, max_bytes: int) -> None:
    request.upload_handlers.insert(0, SizeLimitUploadHandler(request, max_bytes))


def upload_too_large(request: Any) -> bool:
    """True when the request's upload was cut off at the limit (works for DRF requests too)."""
    django_request = getattr(request, "_request", request)
    return bool(getattr(django_request, _FLAG, False))


def upload_limit(max_bytes: int | Callable[[], int]) -> Callable[..., Any]:
    """View decorator: install the size limit, then apply CSRF protection as usual."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        protected = csrf_protect(view)

        @wraps(view)
        @csrf_exempt
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            limit = max_bytes() if callable(max_bytes) else max_bytes
            install_upload_limit(request, limit)
            return protected(request, *args, **kwargs)

        return wrapper

    return decorator


class UploadLimitMixin:
    """For DRF API views: the limit is installed before DRF parses the body."""

    max_upload_bytes: int = 0

    def get_max_upload_bytes(self) -> int:
        return self.max_upload_bytes

    def initialize_request(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        install_upload_limit(request, self.get_max_upload_bytes())
        return super().initialize_request(request, *args, **kwargs)  # type: ignore[misc]


def spreadsheet_limits(*, max_rows: int) -> Limits:
    """What an uploaded spreadsheet may hold (catalog or sales file alike, but for its rows):
    read from settings each time, so tests can change them."""
    return Limits(
        max_rows=max_rows,
        max_columns=settings.CATALOG_MAX_COLUMNS,
        xlsx_max_entries=settings.CATALOG_XLSX_MAX_ENTRIES,
        xlsx_max_uncompressed=settings.CATALOG_XLSX_MAX_UNCOMPRESSED,
        xlsx_max_ratio=settings.CATALOG_XLSX_MAX_RATIO,
        xlsx_max_shared_strings=settings.CATALOG_XLSX_MAX_SHARED_STRINGS_BYTES,
        xlsx_max_styles=settings.CATALOG_XLSX_MAX_STYLES_BYTES,
        xlsx_max_sheet=settings.CATALOG_XLSX_MAX_SHEET_BYTES,
    )

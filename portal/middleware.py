"""Request ids for logs and error pages, private answers kept by no cache, login redirects that
HTMX can follow, and answers to requests no view should see (a NUL in the query, a body over
the limit)."""

import logging
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotFound,
    JsonResponse,
)
from django.shortcuts import resolve_url
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

_request_id: ContextVar[str] = ContextVar("request_id", default="-")


def current_request_id() -> str:
    return _request_id.get()


class RequestIdLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True


class ClientErrorTracebackFilter(logging.Filter):
    """Log Django's refusals of hostile requests (django.security.*: a body over the limit, too
    many fields) by their message alone: a traceback says nothing about a client's mistake."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("django.security."):
            record.exc_info = None
            record.exc_text = None
        return True


class RequestIdMiddleware:
    """Give each request a short reference id, shown on error pages and written to the log."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = uuid.uuid4().hex[:12]
        request.request_id = request_id  # type: ignore[attr-defined]
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


class PrivateAnswersMiddleware:
    """Answers to a signed-in user (by session or API token) are kept by no browser history,
    shared computer or proxy: `Cache-Control: private, no-store`; an answer to a request that
    carries credentials in Authorization varies on it, so no cache hands it to another token.

    It reads the user as the response goes out: by then DRF has put the token's user on the
    request too.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        if "HTTP_AUTHORIZATION" in request.META:
            patch_vary_headers(response, ["Authorization"])
        return response


class HtmxLoginRedirectMiddleware:
    """An expired session during an HTMX request becomes HX-Redirect to the login page.

    Otherwise the XHR would follow the 302 and swap the login page into a progress bar.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, "htmx", False) and response.status_code in (301, 302):
            location = response.get("Location", "")
            if location.startswith(resolve_url(settings.LOGIN_URL)):
                return HttpResponseClientRedirect(location)
        return response


class RejectNulQueryMiddleware:
    """A NUL character in the query string is refused with 400 before any view sees it (and
    one in the path is a 404).

    Forms and serializers already refuse NUL in submitted fields; query parameters go straight
    into filters, and PostgreSQL cannot store or compare text containing NUL.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path:
            # No object's id or SKU holds a NUL: nothing can be found there.
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "Not found."}, status=404)
            return HttpResponseNotFound("Not found.")
        if any("\x00" in key or "\x00" in value for key, value in request.GET.items()):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": "Query parameters must not contain NUL characters."}, status=400
                )
            return HttpResponseBadRequest("Query parameters must not contain NUL characters.")
        return self.get_response(request)


def body_too_large_message() -> str:
    limit_mb = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024)
    return _("The request body is larger than %(limit)s MB; send less at once.") % {
        "limit": f"{limit_mb:g}"
    }


def body_too_large_response(request: HttpRequest) -> HttpResponse:
    """413, as JSON for the API."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": body_too_large_message()}, status=413)
    return HttpResponse(
        body_too_large_message(), status=413, content_type="text/plain; charset=utf-8"
    )


class BodySizeLimitMiddleware:
    """A body that declares more than DATA_UPLOAD_MAX_MEMORY_SIZE is refused with 413 before
    anything reads it (and the body is never read).

    Django would refuse it too, but only when a view reads the body, as a 400 (or, inside DRF,
    a 500) with a traceback in the log. Multipart bodies are left to the upload limits, which
    count their files separately (portal.uploads).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not (request.content_type or "").startswith("multipart/"):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
                return body_too_large_response(request)
        return self.get_response(request)

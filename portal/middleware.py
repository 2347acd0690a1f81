"""Request ids for logs and error pages, and login redirects that HTMX can follow."""

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
from django_htmx.http import HttpResponseClientRedirect

_request_id: ContextVar[str] = ContextVar("request_id", default="-")


def current_request_id() -> str:
    return _request_id.get()


class RequestIdLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
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

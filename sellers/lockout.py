"""What a client locked out by django-axes gets: JSON for the API, the lockout page otherwise."""

from typing import Any

from axes.helpers import get_client_username, get_cool_off, get_cool_off_iso8601, get_failure_limit
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

LOCKED_OUT_STATUS = 429


def lockout_message(request: HttpRequest) -> str:
    cool_off = get_cool_off(request)
    minutes = max(1, int(cool_off.total_seconds() // 60)) if cool_off else 0
    return _(
        "Too many failed attempts for this account; try again in %(minutes)d minutes or reset "
        "your password."
    ) % {"minutes": minutes}


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any = None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the same context axes gives its template, and JSON for /api/."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": lockout_message(request)}, status=LOCKED_OUT_STATUS)
    context: dict[str, Any] = {
        "failure_limit": get_failure_limit(request, credentials),
        "username": get_client_username(request, credentials) or "",
        "message": lockout_message(request),
    }
    cool_off = get_cool_off(request)
    if cool_off:
        context["cooloff_time"] = get_cool_off_iso8601(cool_off)
        context["cooloff_timedelta"] = cool_off
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, context, status=LOCKED_OUT_STATUS)

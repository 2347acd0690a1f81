"""Project-wide pages: the landing page and the error pages."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language

from portal.middleware import current_request_id
from sellers.services import user_language_set


@require_GET
def landing(request: HttpRequest) -> HttpResponse:
    return render(request, "landing.html")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """JSON for the API (its clients parse JSON, the schema promises it), the page otherwise."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return render(request, "404.html", status=404)


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """Django's set_language, and the choice is remembered on the signed-in user."""
    response = set_language(request)
    if request.user.is_authenticated:
        user_language_set(user=request.user, language=request.POST.get("language", ""))
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """A generic message with a reference id; the traceback goes to the log only."""
    reference = getattr(request, "request_id", None) or current_request_id()
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": "Something went wrong on our side.", "reference": reference}, status=500
        )
    return render(request, "500.html", {"reference": reference}, status=500)

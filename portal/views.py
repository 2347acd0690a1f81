"""Project-wide pages: the landing page and the error pages."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from portal.middleware import current_request_id


@require_GET
def landing(request: HttpRequest) -> HttpResponse:
    return render(request, "landing.html")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """JSON for the API (its clients parse JSON, the schema promises it), the page otherwise."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """A generic message with a reference id; the traceback goes to the log only."""
    reference = getattr(request, "request_id", None) or current_request_id()
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": "Something went wrong on our side.", "reference": reference}, status=500
        )
    return render(request, "500.html", {"reference": reference}, status=500)

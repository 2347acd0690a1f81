"""Project-wide pages: the landing page and the error pages."""

from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from portal.middleware import current_request_id


@require_GET
def landing(request: HttpRequest) -> HttpResponse:
    return render(request, "landing.html")


@require_GET
def favicon(request: HttpRequest) -> FileResponse:
    """/favicon.ico, which browsers and crawlers ask for whatever the page links to."""
    path = finders.find("favicon.ico")
    if not isinstance(path, str):
        raise Http404
    response = FileResponse(open(path, "rb"), content_type="image/vnd.microsoft.icon")
    response["Cache-Control"] = "public, max-age=86400"
    return response


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """JSON for the API (its clients parse JSON, the schema promises it), the page otherwise."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    # The language switch returns home: an error page never echoes the address it was asked
    # (another seller's SKU in it would tell it exists).
    return render(request, "404.html", {"language_next": "/"}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """A generic message with a reference id; the traceback goes to the log only."""
    reference = getattr(request, "request_id", None) or current_request_id()
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": "Something went wrong on our side.", "reference": reference}, status=500
        )
    return render(request, "500.html", {"reference": reference, "language_next": "/"}, status=500)

"""Routes only the portal tests use: a view that fails and a view behind login."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("secret detail: SELECT * FROM sellers_seller")


@login_required
def private(request: HttpRequest) -> HttpResponse:
    return HttpResponse("private")


urlpatterns = [
    path("boom/", boom),
    path("api/boom/", boom),
    path("private/", private),
    path("", include("portal.urls")),
]

handler500 = "portal.views.server_error"

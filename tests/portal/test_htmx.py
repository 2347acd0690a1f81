"""The partial-or-page choice every HTMX view makes (portal/htmx.py)."""

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django_htmx.middleware import HtmxMiddleware

from portal.htmx import is_partial, partial_or_page
from tests.sellers.factories import seller_with_owner

HTMX = {"HTTP_HX_REQUEST": "true"}
HISTORY_RESTORE = HTMX | {"HTTP_HX_HISTORY_RESTORE_REQUEST": "true"}


def through_middleware(**headers: str) -> HttpRequest:
    request = RequestFactory().get("/page/", **headers)
    HtmxMiddleware(lambda request: HttpResponse())(request)
    return request


@pytest.mark.parametrize(
    ("headers", "partial"),
    [({}, False), (HTMX, True), (HISTORY_RESTORE, False)],
    ids=["plain", "htmx", "history-restore"],
)
def test_it_gives_a_partial_only_to_an_htmx_swap(headers, partial):
    request = through_middleware(**headers)
    assert is_partial(request) is partial
    expected = "app/page.html#region" if partial else "app/page.html"
    assert partial_or_page(request, "app/page.html", "region") == expected


def test_it_gives_the_page_to_a_request_that_skipped_the_middleware():
    request = RequestFactory().get("/page/", **HTMX)
    assert is_partial(request) is False


@pytest.mark.parametrize(
    "url", ["sellers:dashboard", "sellers:documents", "catalog:product-list", "insights:index"]
)
def test_every_app_gives_the_whole_page_on_a_history_restore(client, categories, url):
    """Back after htmx's history cache missed replaces the whole body: it needs the layout."""
    _seller, user = seller_with_owner()
    client.force_login(user)
    swap = client.get(reverse(url), headers={"HX-Request": "true"})
    restore = client.get(
        reverse(url), headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert swap.status_code == restore.status_code == 200
    assert "<html" not in swap.content.decode()
    assert "<html" in restore.content.decode()

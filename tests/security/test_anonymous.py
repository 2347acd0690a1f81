"""RELIABILITY row 24: anonymous access to any page or endpoint but the public ones is refused.

The sweep walks every URL pattern of the portal, so a route added later is covered without
touching this file; a new public route must be added to `routes.PUBLIC_PATHS` on purpose.
"""

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client

from tests.security.routes import Route, all_routes, is_public, read

pytestmark = pytest.mark.django_db

API_METHODS = ("get", "post", "put", "patch", "delete")
PAGE_METHODS = ("get", "post")


def _path(route: Route) -> str:
    return route.build({name: route.default_value(name) for name in route.params})


def _private_routes() -> list[Route]:
    return [r for r in all_routes() if not is_public(_path(r))]


def _call(client: Client, method: str, path: str, **extra):
    return getattr(client, method)(path, **extra)


def _check_refused(route: Route, method: str, response) -> str | None:
    """None when the response refuses an anonymous visitor properly, else what is wrong."""
    status = response.status_code
    if route.is_api:
        if status == 401:
            return None
        return f"{status} (expected 401)"
    if status == 405 and method != "get":
        return None  # the route does not take this method at all; nothing is revealed
    login = "/admin/login/" if route.is_admin else resolve_url(settings.LOGIN_URL)
    if status == 302 and response["Location"].startswith(login):
        return None
    return f"{status} {response.get('Location', '')} (expected a redirect to {login})"


def test_row_24_it_finds_the_routes_of_every_app():
    paths = [_path(r) for r in all_routes()]
    for prefix in ("/api/v1/", "/admin/", "/catalog/", "/insights/", "/dashboard/"):
        assert any(p.startswith(prefix) for p in paths), prefix


def test_row_24_it_refuses_every_private_route_to_an_anonymous_visitor(client):
    client.raise_request_exception = False
    problems = []
    checked = 0
    for route in _private_routes():
        path = _path(route)
        for method in API_METHODS if route.is_api else PAGE_METHODS:
            response = _call(client, method, path)
            read(response)
            checked += 1
            problem = _check_refused(route, method, response)
            if problem:
                problems.append(f"{method.upper()} {path} [{route.name}]: {problem}")
    assert checked > 20
    assert not problems, "\n".join(problems)


def test_row_26_it_answers_an_anonymous_htmx_request_with_hx_redirect_to_login(client):
    """RELIABILITY row 26: the login page is never swapped into a polled fragment."""
    client.raise_request_exception = False
    problems = []
    for route in _private_routes():
        if route.is_api or route.is_admin:
            continue
        path = _path(route)
        response = client.get(path, headers={"HX-Request": "true"})
        login = resolve_url(settings.LOGIN_URL)
        if response.status_code == 405:
            continue
        if not response.get("HX-Redirect", "").startswith(login) or response.content:
            problems.append(
                f"GET {path}: {response.status_code} HX-Redirect={response.get('HX-Redirect')}"
            )
    assert not problems, "\n".join(problems)


def test_row_24_it_answers_an_api_request_without_credentials_with_a_www_authenticate_header(
    client,
):
    for route in _private_routes():
        if route.is_api:
            response = client.get(_path(route))
            assert response.status_code == 401, route.route
            assert response.get("WWW-Authenticate", "").startswith("Token"), route.route


@pytest.mark.parametrize(
    "path",
    ["/", "/accounts/login/", "/api/schema/"],
)
def test_row_24_it_serves_the_public_pages_to_anyone(client, path):
    assert client.get(path).status_code == 200

"""RELIABILITY row 25: an HTMX POST without a CSRF token, or with another session's, is 403 and
changes nothing; the page has the handler that shows the error."""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client

from tests.security.conftest import SellerWorld, db_diff, db_state
from tests.security.routes import Route, all_routes, is_public, read
from tests.security.test_isolation import CAPABILITY_PARAMS, VIEW_PARAMS, object_kind

pytestmark = pytest.mark.django_db

FORM = {"reason": "x", "mode": "commit", "email": "colleague@example.com", "uscc": "1"}


def _own_path(route: Route, world: SellerWorld) -> str | None:
    if route.is_admin:
        return route.build({p: route.default_value(p) for p in route.params})
    values = {}
    for param in route.params:
        if param in VIEW_PARAMS:
            values[param] = VIEW_PARAMS[param][0]
        elif param in CAPABILITY_PARAMS:
            values[param] = world.ids["invitation"]
        else:
            kind = object_kind(route, param)
            if kind is None:
                return None
            values[param] = world.ids[kind]
    return route.build(values)


def _session_routes(world: SellerWorld) -> list[tuple[Route, str]]:
    found = []
    for route in all_routes():
        if route.is_catch_all:
            continue
        path = _own_path(route, world)
        if path is not None:
            found.append((route, path))
    return found


def _csrf_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.raise_request_exception = False
    client.force_login(user)
    read(client.get("/dashboard/"))  # sets this session's CSRF cookie
    return client


@pytest.mark.parametrize("token", ["missing", "another session's"])
def test_row_25_it_refuses_htmx_posts_without_this_sessions_csrf_token(
    alpha: SellerWorld, beta: SellerWorld, token: str
):
    from sellers.models import User

    staff = User.objects.create_user(email="ops@example.com", password="x" * 12, is_staff=True)
    other = _csrf_client(beta.user)
    headers = {"HX-Request": "true"}
    if token != "missing":
        headers["X-CSRFToken"] = other.cookies[django_settings.CSRF_COOKIE_NAME].value
    problems = []
    refused = 0
    for user in (alpha.user, staff):
        client = _csrf_client(user)
        for route, path in _session_routes(alpha):
            if route.is_admin and not user.is_staff:
                continue
            if route.is_admin and not re.search(
                r"(_changelist|_add|_change|_delete|upload)$", route.name or ""
            ):
                continue  # the admin's state-changing pages stand for the rest
            if route.is_api and is_public(path):
                continue  # sign-up and token: no session, so nothing for CSRF to protect
            methods = ("post", "put", "patch", "delete") if route.is_api else ("post",)
            for method in methods:
                before = db_state()
                response = getattr(client, method)(
                    path, FORM, content_type="application/json", headers=headers
                )
                if response.status_code == 415 or not route.is_api:
                    # The route reads forms: send one (DRF parses before it checks CSRF).
                    read(response)
                    response = client.generic(
                        method.upper(),
                        path,
                        "&".join(f"{k}={v}" for k, v in FORM.items()),
                        content_type="application/x-www-form-urlencoded",
                        headers=headers,
                    )
                body = read(response)
                where = f"{user.email} {method.upper()} {path}"
                changes = db_diff(before, db_state())
                if changes:
                    problems.append(f"{where} changed {changes}")
                if response.status_code == 403:
                    refused += 1
                    if path.startswith("/api/v1/") and b"CSRF" not in body:
                        problems.append(f"{where}: 403 but not for CSRF: {body[:120]!r}")
                elif response.status_code != 405 or is_public(path):
                    problems.append(f"{where}: {response.status_code} (expected 403)")
    assert refused > 20
    assert not problems, "\n".join(problems)


def test_row_25_it_accepts_the_same_htmx_post_with_the_sessions_own_token(alpha: SellerWorld):
    client = _csrf_client(alpha.user)
    token = client.cookies[django_settings.CSRF_COOKIE_NAME].value
    response = client.post(
        "/application/validate/",
        {"uscc": alpha.seller.uscc},
        headers={"HX-Request": "true", "X-CSRFToken": token},
    )
    assert response.status_code == 200


def test_row_25_it_refuses_a_login_and_a_signup_posted_without_a_token(alpha: SellerWorld):
    client = Client(enforce_csrf_checks=True)
    for path, data in [
        ("/accounts/login/", {"username": alpha.user.email, "password": "x"}),
        ("/accounts/signup/", {"email": "new@example.com", "password1": "x", "password2": "x"}),
    ]:
        before = db_state()
        assert client.post(path, data).status_code == 403, path
        assert not db_diff(before, db_state())


def test_row_25_it_puts_the_csrf_token_on_the_body_for_htmx_and_shows_refused_requests(
    alpha: SellerWorld, client
):
    client.force_login(alpha.user)
    html = client.get("/dashboard/").content.decode()
    assert 'hx-headers=\'{"X-CSRFToken": "' in html
    script = (Path(django_settings.BASE_DIR) / "static" / "js" / "portal.js").read_text()
    assert "htmx:responseError" in script
    assert 'id="htmx-error"' in html

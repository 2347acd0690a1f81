"""RELIABILITY row 46: nothing private is kept by a shared computer or a cache. Every answer to
a signed-in user (pages, API, admin, whatever the status) says `Cache-Control: private,
no-store`; answers to a token say `Vary: Authorization`; the language cookie is SameSite=Lax,
and Secure in production.

The sweep walks every private route of the resolver, so a route added later is covered
without touching this file.
"""

import json

import pytest
from django.conf import settings
from django.test import Client

from tests.portal.test_settings import PRODUCTION_ENV, run_python
from tests.security.conftest import SellerWorld
from tests.security.routes import Route, all_routes, is_public, read
from tests.security.test_isolation import object_kind
from tests.sellers.factories import StaffFactory, api_token

pytestmark = pytest.mark.django_db


def _header_items(response, header: str) -> set[str]:
    items = response.get(header, "").split(",")
    return {item.strip().split("=")[0].lower() for item in items if item.strip()}


def _directives(response) -> set[str]:
    return _header_items(response, "Cache-Control")


def _vary(response) -> set[str]:
    return _header_items(response, "Vary")


def _private_paths(world: SellerWorld) -> list[tuple[Route, str]]:
    found = []
    for route in all_routes():
        if route.is_catch_all or route.route.startswith("static/"):
            continue
        values = {}
        for name in route.params:
            kind = object_kind(route, name)
            values[name] = world.ids[kind] if kind else route.default_value(name)
            if route.is_admin and name == "object_id":
                values[name] = "1"
        path = route.build(values)
        if not is_public(path):
            found.append((route, path))
    return found


def _not_private(response) -> bool:
    return not {"private", "no-store"} <= _directives(response)


def test_row_46_every_answer_to_a_signed_in_user_is_private_and_not_stored(alpha: SellerWorld):
    seller, staff = Client(), Client()
    seller.raise_request_exception = staff.raise_request_exception = False
    seller.force_login(alpha.user)
    staff.force_login(StaffFactory())
    problems = []
    checked = 0
    for route, path in _private_paths(alpha):
        for client in (staff,) if route.is_admin else (seller, staff):
            for headers in ({}, {"HX-Request": "true"}):
                response = client.get(path, headers=headers)
                read(response)
                checked += 1
                if _not_private(response):
                    problems.append(
                        f"GET {path} {headers}: {response.status_code} "
                        f"Cache-Control: {response.get('Cache-Control')!r}"
                    )
    assert checked > 100
    assert not problems, "\n".join(problems)


def test_row_46_every_answer_to_a_token_is_private_and_varies_on_authorization(
    alpha: SellerWorld,
):
    problems = []
    for route, path in _private_paths(alpha):
        if not route.is_api:
            continue
        # A token of its own for each route: POST auth/logout/ revokes the token it is sent with.
        client = Client(headers={"Authorization": f"Token {api_token(alpha.user)}"})
        client.raise_request_exception = False
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            read(response)
            if _not_private(response) or "authorization" not in _vary(response):
                problems.append(
                    f"{method.upper()} {path}: {response.status_code} "
                    f"Cache-Control: {response.get('Cache-Control')!r} "
                    f"Vary: {response.get('Vary')!r}"
                )
    assert not problems, "\n".join(problems)


def test_row_46_answers_to_a_signed_in_user_after_login_and_on_public_pages_are_private(
    alpha: SellerWorld,
):
    client = Client()
    client.force_login(alpha.user)
    for path in ("/", "/api/schema/", "/accounts/login/"):
        response = client.get(path)
        read(response)
        assert not _not_private(response), path


def test_row_46_the_landing_page_stays_cacheable_for_anonymous_visitors(client):
    response = client.get("/")
    assert "no-store" not in _directives(response)


def test_row_46_the_language_cookie_is_samesite_lax(client):
    response = client.post("/i18n/setlang/", {"language": "ru", "next": "/"})
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie["samesite"] == "Lax"


def test_row_46_the_language_cookie_is_secure_in_production():
    code = (
        "import json, os; os.environ['DJANGO_SETTINGS_MODULE']='portal.settings';"
        "from django.conf import settings as s;"
        "print(json.dumps([s.LANGUAGE_COOKIE_SECURE, s.LANGUAGE_COOKIE_SAMESITE]))"
    )
    production = run_python(code, **PRODUCTION_ENV)
    assert production.returncode == 0, production.stderr
    assert json.loads(production.stdout.strip().splitlines()[-1]) == [True, "Lax"]
    laptop = run_python(code, DEBUG="1")
    assert json.loads(laptop.stdout.strip().splitlines()[-1]) == [False, "Lax"]

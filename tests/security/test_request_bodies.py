"""RELIABILITY row 40: hostile request bodies. JSON nested 100,000 deep is a 400 and a body
over DATA_UPLOAD_MAX_MEMORY_SIZE a 413 (JSON for the API), on every route that takes a body;
neither is a 500, and neither writes a traceback to the log.
"""

import logging
import sys

import pytest
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.test import Client

from portal.api import exception_handler
from portal.middleware import ClientErrorTracebackFilter
from tests.security.conftest import SellerWorld
from tests.security.routes import Route, all_routes, is_public, read
from tests.security.test_isolation import object_kind

pytestmark = pytest.mark.django_db

DEEP_JSON = "[" * 100_000 + "]" * 100_000
WRITE_METHODS = ("post", "put", "patch")


def _path(route: Route, world: SellerWorld) -> str:
    values = {}
    for name in route.params:
        kind = object_kind(route, name)
        values[name] = world.ids[kind] if kind else route.default_value(name)
    return route.build(values)


def _routes(world: SellerWorld) -> list[tuple[Route, str]]:
    return [
        (route, _path(route, world))
        for route in all_routes()
        if not route.is_catch_all and not route.route.startswith("static/")
    ]


def _client(world: SellerWorld) -> Client:
    client = Client()
    client.raise_request_exception = False
    client.force_login(world.user)
    return client


def _tracebacks(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        f"{record.name}: {record.getMessage()[:80]}" for record in caplog.records if record.exc_info
    ]


def _server_errors_from_the_api(world: SellerWorld, body: str, content_type: str) -> list[str]:
    """The body sent to every API route with every write method: each 5xx answer."""
    client = _client(world)
    problems = []
    for route, path in _routes(world):
        if not route.is_api:
            continue
        for method in WRITE_METHODS:
            response = getattr(client, method)(path, body, content_type=content_type)
            read(response)
            if response.status_code >= 500:
                problems.append(f"{method.upper()} {path}: {response.status_code}")
    return problems


def test_row_40_json_nested_100000_deep_is_a_400_and_never_a_500(
    alpha: SellerWorld, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.INFO)
    problems = _server_errors_from_the_api(alpha, DEEP_JSON, "application/json")
    assert not problems, "\n".join(problems)
    assert not _tracebacks(caplog), "\n".join(_tracebacks(caplog))


@pytest.mark.parametrize(
    ("method", "path"),
    [("post", "/api/v1/auth/token/"), ("patch", "/api/v1/seller/"), ("post", "/api/v1/products/")],
)
def test_row_40_json_nested_100000_deep_is_a_400_with_a_message(
    alpha: SellerWorld, caplog: pytest.LogCaptureFixture, method: str, path: str
):
    caplog.set_level(logging.INFO)
    response = getattr(_client(alpha), method)(path, DEEP_JSON, content_type="application/json")
    assert response.status_code == 400
    assert "detail" in response.json()
    assert not _tracebacks(caplog)


@pytest.mark.parametrize(
    "content_type", ["application/json", "application/x-www-form-urlencoded", "text/plain"]
)
def test_row_40_a_body_over_the_limit_is_a_413_on_every_route(
    alpha: SellerWorld, caplog: pytest.LogCaptureFixture, content_type: str
):
    body = "x=" + "y" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    if content_type == "application/json":
        body = '{"legal_name": "' + "y" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1) + '"}'
    client = _client(alpha)
    problems = []
    caplog.set_level(logging.INFO)
    for route, path in _routes(alpha):
        for method in WRITE_METHODS if route.is_api else ("post",):
            response = getattr(client, method)(path, body, content_type=content_type)
            read(response)
            where = f"{method.upper()} {path}"
            if response.status_code != 413:
                problems.append(f"{where}: {response.status_code}")
            elif route.is_api and response["Content-Type"] != "application/json":
                problems.append(f"{where}: 413 as {response['Content-Type']}")
    assert not problems, "\n".join(problems)
    assert not _tracebacks(caplog), "\n".join(_tracebacks(caplog))


def test_row_40_a_413_from_the_api_says_what_the_limit_is(alpha: SellerWorld):
    body = '{"legal_name": "' + "y" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1) + '"}'
    response = _client(alpha).patch("/api/v1/seller/", body, content_type="application/json")
    assert response.status_code == 413
    assert "2.5 MB" in response.json()["detail"]


def test_row_40_an_anonymous_body_over_the_limit_is_a_413_too(caplog: pytest.LogCaptureFixture, db):
    client = Client()
    caplog.set_level(logging.INFO)
    body = '{"email": "' + "y" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1) + '"}'
    for path in ("/api/v1/auth/token/", "/api/v1/auth/register/"):
        assert is_public(path)
        response = client.post(path, body, content_type="application/json")
        assert response.status_code == 413
    login = client.post(
        "/accounts/login/",
        "username=" + "y" * 3_000_000,
        content_type="application/x-www-form-urlencoded",
    )
    assert login.status_code == 413
    assert not _tracebacks(caplog)


def test_row_40_a_multipart_field_over_the_limit_is_a_413_from_the_api(
    alpha: SellerWorld, caplog: pytest.LogCaptureFixture
):
    """Multipart bodies may carry large files, so only the parser sees a field is too large."""
    caplog.set_level(logging.INFO)
    response = _client(alpha).post(
        "/api/v1/seller/invitations/",
        {"email": "y" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)},
    )
    assert response.status_code == 413
    assert "MB" in response.json()["detail"]
    assert not _tracebacks(caplog)


def test_row_40_django_refusing_a_hostile_page_body_is_logged_without_a_traceback():
    try:
        raise RequestDataTooBig("Request body exceeded settings.DATA_UPLOAD_MAX_MEMORY_SIZE.")
    except RequestDataTooBig:
        record = logging.LogRecord(
            "django.security.RequestDataTooBig", logging.ERROR, __file__, 1, "msg", (), None
        )
        record.exc_info = sys.exc_info()
    assert ClientErrorTracebackFilter().filter(record)
    assert record.exc_info is None
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    assert any(isinstance(f, ClientErrorTracebackFilter) for f in handler.filters)


def test_row_40_a_form_with_too_many_fields_is_a_400_and_never_a_500(
    alpha: SellerWorld, caplog: pytest.LogCaptureFixture
):
    body = "&".join(f"f{number}=1" for number in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    caplog.set_level(logging.INFO)
    problems = _server_errors_from_the_api(alpha, body, "application/x-www-form-urlencoded")
    assert not problems, "\n".join(problems)
    assert not _tracebacks(caplog), "\n".join(_tracebacks(caplog))


def test_row_40_the_api_answers_a_body_over_the_limit_read_by_a_view_with_413():
    """Content-Length can understate a body; then the limit trips while a view reads it."""
    response = exception_handler(RequestDataTooBig("too big"), {})
    assert response is not None and response.status_code == 413
    assert "MB" in response.data["detail"]

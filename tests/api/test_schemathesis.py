"""The API fuzzed from its own OpenAPI schema: no 500s, and every answer matches the schema.

Schemathesis generates requests for every operation of `/api/schema/` and sends them through
the WSGI application as an approved seller with an API token. The number of examples is
bounded and derandomised, so CI runs the same cases every time and stays within minutes.
"""

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
)

CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    content_type_conformance,
    response_headers_conformance,
]
MAX_EXAMPLES = 25


class TestWSGIApp:
    """Django's WSGI handler without closing the test's database connection per request,
    which is what Django's own test client does too."""

    __test__ = False

    def __init__(self) -> None:
        self.handler = WSGIHandler()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        return self.handler(environ, start_response)


@pytest.fixture
def _keep_test_connection() -> Iterator[None]:
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(_keep_test_connection: None) -> Any:
    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", TestWSGIApp())


@pytest.fixture
def seller_token(db: None, categories: None, settings: Any) -> str:
    # Sign-up and token requests hash passwords; a fast hasher keeps 25 examples quick.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from catalog.models import Category, Product
    from tests.sellers.factories import (
        ApprovedSellerFactory,
        BrandFactory,
        MembershipFactory,
        UserFactory,
        api_token,
    )

    seller = ApprovedSellerFactory()
    user = UserFactory(email="fuzz@example.com")
    MembershipFactory(user=user, seller=seller)
    brand = BrandFactory(seller=seller, name="Lanyue", name_zh="蓝月")
    leaf = Category.objects.filter(is_leaf=True).order_by("code").first()
    Product.objects.create(
        seller=seller,
        sku="FUZZ-1",
        title_uz="Sinov mahsuloti",
        title_ru="Тестовый товар",
        brand=brand,
        category=leaf,
        price_uzs=10_000,
        stock=1,
        ikpu="10711001000000000",
        weight_g=100,
    )
    return api_token(user)


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_row_28_it_answers_every_operation_as_its_schema_says(case: Any, seller_token: str) -> None:
    cache.clear()  # throttling counters: the fuzzer is one client sending many requests
    case.call_and_validate(headers={"Authorization": f"Token {seller_token}"}, checks=CHECKS)

"""Bounds on every number a client can send: every numeric field of every serializer and form
has a minimum and a maximum, and huge, negative, fractional or non-scalar values are a 400
(or a form error), never a 500.

The API sweep reads the numbers from the OpenAPI schema (every serializer a request body or a
query string is read with), so a field or endpoint added later is covered without touching
this file; the form sweep walks every form class of the portal and every model the admin
edits.
"""

import json
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from django import forms
from django.apps import apps
from django.contrib import admin
from django.core.validators import MaxValueValidator, MinValueValidator
from django.test import Client

from tests.catalog.factories_api import api_client_for, approved_seller, product_for, row
from tests.security.routes import read
from tests.sellers.factories import UserFactory

pytestmark = pytest.mark.django_db

PROJECT_APPS = ("catalog", "sellers", "insights", "portal")
NUMBER_TYPES = ("integer", "number")
# What a client may send for a number: too large for any column, past Python's 4,300-digit
# limit, negative, fractional, not a number, or not a single value.
HOSTILE_BODY_VALUES: list[Any] = [
    10**19,
    -(10**19),
    "9" * 5000,
    "-1",
    0.5,
    1e308,
    "NaN",
    [1],
    {"value": 1},
    True,
]
HOSTILE_QUERY_VALUES = ["9" * 5000, "1e400", "-1", "NaN", "10000000000000000000000", "0.5"]
# The paginator's own numbers: out of range they give a 404 (page) or the default size.
PAGINATION = {"page", "page_size"}


def schema(client: Client) -> dict[str, Any]:
    return yaml.safe_load(read(client.get("/api/schema/")))


def _resolve(document: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = document["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def body_numbers(document: dict[str, Any]) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    """(method, path, field, its schema) for every writable number of a JSON request body."""
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" not in content:
                continue
            body = _resolve(document, content["application/json"]["schema"])
            for name, field in body.get("properties", {}).items():
                field = _resolve(document, field)
                if field.get("type") in NUMBER_TYPES and not field.get("readOnly"):
                    yield method, path, name, field


def query_numbers(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(path, parameter, its schema) for every number a GET takes in its query string."""
    for path, operations in document["paths"].items():
        for parameter in operations.get("get", {}).get("parameters", []):
            if parameter.get("in") == "query" and parameter["schema"].get("type") in NUMBER_TYPES:
                yield path, parameter["name"], parameter["schema"]


@pytest.fixture
def owner(categories):
    seller, user = approved_seller()
    product_for(seller, "NUM-1")
    return seller, user


def test_row_36_every_number_of_the_api_schema_states_its_bounds(client):
    document = schema(client)
    numbers = [(m, p, n, f) for m, p, n, f in body_numbers(document)]
    numbers += [("get", p, n, f) for p, n, f in query_numbers(document) if n not in PAGINATION]
    assert {n for _m, p, n, _f in numbers if p == "/api/v1/products/"} >= {
        "price_uzs",
        "stock",
        "weight_g",
    }
    unbounded = [
        f"{method.upper()} {path} {name}"
        for method, path, name, field in numbers
        if "minimum" not in field or "maximum" not in field
    ]
    assert unbounded == []


def test_row_36_every_number_of_an_api_body_refuses_hostile_values_with_a_400(owner, client):
    api = api_client_for(owner[1])
    problems = []
    for method, path, name, _field in body_numbers(schema(client)):
        url = path.replace("{sku}", "NUM-1")
        base = row("NUM-2") if method == "post" else {}
        for value in HOSTILE_BODY_VALUES:
            body = json.dumps({**base, name: value})
            response = getattr(api, method)(url, body, content_type="application/json")
            answer = read(response)
            if response.status_code != 400 or name not in response.json():
                problems.append(
                    f"{method.upper()} {path} {name}={str(value)[:20]}: {answer[:80]!r}"
                )
        for value in ("9" * 5000, "-" + "9" * 30, "1e400"):  # the same numbers as a form sends
            response = getattr(api, method)(url, {**base, name: value}, format="multipart")
            if response.status_code != 400 or name not in response.json():
                problems.append(f"{method.upper()} {path} {name} (form) {value[:20]}")
    assert not problems, "\n".join(problems)


def test_row_36_every_number_of_a_query_string_is_never_a_500(owner):
    api = api_client_for(owner[1])
    problems = []
    for path, name, field in query_numbers(schema(api)):
        for value in HOSTILE_QUERY_VALUES:
            response = api.get(path, {name: value})
            read(response)
            bounded = name not in PAGINATION and "maximum" in field
            if response.status_code >= 500 or (bounded and response.status_code != 400):
                problems.append(f"GET {path}?{name}={value[:20]}: {response.status_code}")
    assert not problems, "\n".join(problems)


# --- serializers and forms, walked as classes -------------------------------------------------


def _project_subclasses(base: type) -> list[type]:
    found, stack = [], [base]
    while stack:
        for subclass in stack.pop().__subclasses__():
            stack.append(subclass)
            if subclass.__module__.split(".")[0] in PROJECT_APPS:
                found.append(subclass)
    return found


def _range_validators(field: Any) -> set[type]:
    return {type(v) for v in field.validators} & {MinValueValidator, MaxValueValidator}


def test_row_36_every_number_of_every_form_and_admin_form_has_bounds():
    for module in ("catalog.forms", "sellers.forms", "insights.forms"):
        __import__(module)
    unbounded = []
    number_fields = (forms.IntegerField, forms.FloatField, forms.DecimalField)
    for form_class in _project_subclasses(forms.BaseForm):
        model = getattr(getattr(form_class, "_meta", None), "model", None)
        for name, field in getattr(form_class, "base_fields", {}).items():
            if not isinstance(field, number_fields):
                continue
            if len(_range_validators(field)) == 2:
                continue
            # A model form's number is checked by its model field's range in _post_clean.
            if model is not None and len(_range_validators(model._meta.get_field(name))) == 2:
                continue
            unbounded.append(f"{form_class.__module__}.{form_class.__name__}.{name}")
    # The admin builds a form from each model it edits: its numbers are the model's.
    for model in admin.site._registry:
        if model._meta.app_label not in PROJECT_APPS:
            continue
        for field in model._meta.concrete_fields:
            number = field.get_internal_type().endswith(("IntegerField", "FloatField", "Decimal"))
            if number and field.editable and len(_range_validators(field)) < 2:
                unbounded.append(f"{model._meta.label}.{field.name}")
    assert unbounded == []


def test_row_36_hostile_numbers_in_the_portals_pages_and_admin_forms_are_never_a_500(categories):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.raise_request_exception = False
    client.force_login(staff)
    problems = []
    for value in HOSTILE_QUERY_VALUES:
        for query in ({"year": value}, {"threshold": value}, {"page": value}):
            for path in ("/insights/", "/catalog/products/", "/catalog/imports/"):
                response = client.get(path, query)
                read(response)
                if response.status_code >= 500:
                    problems.append(f"GET {path}?{query}: {response.status_code}")
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        numbers = [
            f.name
            for f in model._meta.concrete_fields
            if f.editable and f.get_internal_type().endswith(("IntegerField", "FloatField"))
        ]
        if not numbers or not model_admin.has_add_permission(_request(staff)):
            continue
        path = f"/admin/{model._meta.app_label}/{model._meta.model_name}/add/"
        for value in HOSTILE_QUERY_VALUES:
            response = client.post(path, {name: value for name in numbers})
            read(response)
            if response.status_code >= 500:
                problems.append(f"POST {path} {numbers}={value[:20]}: {response.status_code}")
    assert not problems, "\n".join(problems)


def _request(user: Any) -> Any:
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def test_the_sweep_sees_the_admin_models_with_numbers():
    assert any(
        f.get_internal_type().endswith("IntegerField")
        for model in admin.site._registry
        if model._meta.app_label in PROJECT_APPS
        for f in model._meta.concrete_fields
        if f.editable
    )
    assert apps.get_model("insights", "Season") in admin.site._registry

"""RELIABILITY row 29: markup in an imported title, a legal name or a brand is escaped on every
page, partial and admin view that shows it; the policy forbids inline script anyway."""

import re

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.security.conftest import XSS
from tests.security.routes import all_routes, is_public, read
from tests.security.test_isolation import list_paths, object_kind, object_routes

pytestmark = pytest.mark.django_db

ESCAPED = "&lt;img src=x onerror=alert(1)&gt;"


@pytest.fixture
def hostile_seller(categories, django_capture_on_commit_callbacks):
    from catalog.services import import_job_create
    from sellers.models import SellerStatus
    from tests.sellers.factories import seller_with_owner

    seller, user = seller_with_owner(status=SellerStatus.APPROVED, brands=["Lanyue"])
    seller.legal_name = f"Evil {XSS} Co"
    seller.legal_name_zh = f"{XSS}公司"
    seller.save()
    brand = seller.brands.get()
    brand.name_zh = XSS
    brand.save()
    title = f"Choynak {XSS} yangi"
    csv = (
        "sku,title_uz,title_ru,brand,category,price_uzs,stock,ikpu,weight_g\n"
        f'XSS-1,"{title}","{title}",Lanyue,appliances.kitchen.kettles,125000,5,'
        "10711001000000000,900\n"
        f'XSS-2,"{title}","{title}",Lanyue,appliances.kitchen.kettles,bad,5,'
        "10711001000000000,900\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        job, _ = import_job_create(
            seller=seller,
            user=user,
            file=SimpleUploadedFile(f"{XSS}.csv", csv.encode()),
            mode="commit",
        )
    job.refresh_from_db()
    assert job.status == "completed", (job.status, job.error_code)
    assert seller.products.get().title_uz == title
    return seller, user, job


def _seller_paths(seller, job) -> list[str]:
    from catalog.models import Product

    product = Product.objects.get(seller=seller)
    ids = {
        "sku": product.sku,
        "product": str(product.pk),
        "job": str(job.pk),
        "document": str(seller.documents.first().pk),
        "seller": str(seller.pk),
        "brand": str(seller.brands.first().pk),
        "row_error": str(job.row_errors.first().pk) if job.row_errors.exists() else "1",
        "membership": "1",
        "user": "1",
        "invitation": "",
    }
    paths = [path for _, path in list_paths()]
    for route in object_routes():
        kinds = {p: object_kind(route, p) for p in route.params}
        if None not in kinds.values():
            paths.append(route.build({p: ids[k] for p, k in kinds.items()}))
    return paths


def _admin_paths() -> list[str]:
    paths = []
    for route in all_routes():
        if not route.is_admin or route.is_catch_all or is_public("/" + route.route):
            continue
        if not route.params:
            paths.append(route.build({}))
            continue
        match = re.fullmatch(r"admin:(\w+?)_(\w+)_(change|history|delete)", route.name or "")
        if not match or route.params != ("object_id",):
            continue
        model = next(
            (
                m
                for m in apps.get_models()
                if (m._meta.app_label, m._meta.model_name) == match.group(1, 2)
            ),
            None,
        )
        obj = model.objects.order_by("-pk").first() if model else None
        if obj is not None:
            paths.append(route.build({"object_id": obj.pk}))
    return paths


def _check(client: Client, paths: list[str], headers: dict) -> tuple[list[str], int]:
    problems, escaped = [], 0
    for path in paths:
        response = client.get(path, headers=headers)
        body = read(response).decode("utf-8", errors="replace")
        if response.status_code >= 500:
            problems.append(f"GET {path} {headers}: {response.status_code}")
        if "html" not in response.get("Content-Type", ""):
            continue
        if XSS in body:
            problems.append(f"GET {path} {headers}: the markup is not escaped")
        escaped += ESCAPED in body
    return problems, escaped


def test_row_29_it_escapes_hostile_text_on_every_seller_page_and_partial(hostile_seller):
    seller, user, job = hostile_seller
    client = Client()
    client.raise_request_exception = False
    client.force_login(user)
    paths = _seller_paths(seller, job)
    problems, shown = [], 0
    for headers in ({}, {"HX-Request": "true"}):
        found, escaped = _check(client, paths, headers)
        problems += found
        shown += escaped
    assert not problems, "\n".join(problems)
    # The pages that show the title, the names and the file name did show them, escaped.
    assert shown >= 4, shown


def test_row_29_it_escapes_hostile_text_in_every_admin_view(hostile_seller, admin_client):
    admin_client.raise_request_exception = False
    paths = _admin_paths()
    assert any("/catalog/product/" in p and "/change/" in p for p in paths)
    problems, shown = _check(admin_client, paths, {})
    assert not problems, "\n".join(problems)
    assert shown >= 4, shown

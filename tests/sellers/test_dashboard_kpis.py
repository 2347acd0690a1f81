"""The dashboard's KPI tiles: figures with data, and empty states that say what to do next."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from catalog.models import ImportJob, ImportStatus
from insights.services import sales_load
from sellers.dashboard import documents_near_expiry
from sellers.models import DocumentKind, SellerStatus
from tests.catalog.factories_api import product_for
from tests.insights.factories import SeasonFactory, sales_file
from tests.sellers.factories import DocumentFactory, seller_with_owner

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("categories")]

SALES = [
    ["2025-11-05", "electronics.phones.smartphones", "Lanyue", "CN", "2", "3000000"],
    ["2025-11-06", "electronics.phones.smartphones", "Hanil", "KR", "1", "1000000"],
    ["2024-11-06", "electronics.phones.smartphones", "Lanyue", "CN", "1", "1000000"],
    ["2024-11-07", "electronics.phones.smartphones", "Hanil", "KR", "3", "3000000"],
]


def _tile(body: str, tile: str) -> str:
    start = body.find(f'id="kpi-{tile}">')
    assert start >= 0, f"tile {tile} is on the page"
    ends = [
        i for i in (body.find('<li class="kpi', start), body.find("</section>", start)) if i >= 0
    ]
    return body[start : min(ends)]


def _dashboard(client, seller_user) -> str:
    client.force_login(seller_user)
    response = client.get(reverse("sellers:dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def _job(seller, user, **fields):
    values = {
        "status": ImportStatus.COMPLETED,
        "file": "imports/x.upload",
        "filename": "catalog.csv",
        "sha256": "0" * 64,
    }
    values.update(fields)
    return ImportJob.objects.create(seller=seller, created_by=user, **values)


def test_a_new_approved_seller_sees_what_to_do_next_on_each_tile(client):
    _seller, user = seller_with_owner(status=SellerStatus.APPROVED)
    body = _dashboard(client, user)
    imports = reverse("catalog:import-list")
    products = _tile(body, "products")
    assert "No products yet" in products and f'href="{imports}"' in products
    assert "Import your catalog" in products
    last = _tile(body, "last-import")
    assert "You have not imported a catalog yet." in last and f'href="{imports}"' in last
    assert "No import checked yet" in _tile(body, "to-fix")
    assert "No sales data yet" in _tile(body, "share")
    documents = _tile(body, "documents")
    assert ">0<" in documents and "No document needs renewing in the next 60 days." in documents


def test_a_seller_without_brands_is_asked_to_add_one(client):
    _seller, user = seller_with_owner(status=SellerStatus.APPROVED, brands=[])
    share = _tile(_dashboard(client, user), "share")
    assert "No brands yet." in share
    link = re.search(r'<a class="button[^"]*" href="([^"]+)">Add a brand</a>', share)
    assert link and (link.group(1).endswith("#brands") or "brand" in link.group(1))


def test_a_seller_not_yet_approved_is_sent_to_the_application(client):
    _seller, user = seller_with_owner(status=SellerStatus.SUBMITTED)
    products = _tile(_dashboard(client, user), "products")
    assert "once your application is approved" in products
    assert f'href="{reverse("sellers:application")}"' in products
    assert reverse("catalog:import-list") not in products


def test_a_seller_without_documents_is_asked_to_upload_them(client):
    _seller, user = seller_with_owner(status=SellerStatus.DRAFT, documents=False)
    documents = _tile(_dashboard(client, user), "documents")
    assert "No documents yet" in documents
    assert f'href="{reverse("sellers:documents")}"' in documents


def test_the_tiles_count_products_rows_to_fix_the_last_import_and_expiring_documents(client):
    seller, user = seller_with_owner(status=SellerStatus.APPROVED)
    for sku in ("A-1", "A-2", "A-3"):
        product_for(seller, sku)
    _job(seller, user, filename="old.csv", invalid_count=9)
    finished = _job(seller, user, filename="spring.xlsx", created_count=3, invalid_count=2)
    _job(seller, user, filename="running.csv", status=ImportStatus.RUNNING)
    today = timezone.localdate()
    DocumentFactory(
        seller=seller,
        kind=DocumentKind.BUSINESS_LICENSE,
        expires_on=today + datetime.timedelta(days=10),
    )
    body = _dashboard(client, user)

    assert '<p class="kpi-value">3</p>' in _tile(body, "products")
    to_fix = _tile(body, "to-fix")
    assert '<p class="kpi-value">2</p>' in to_fix  # the last finished import, not the older one
    assert f'href="{reverse("catalog:import-detail", args=[finished.pk])}"' in to_fix
    last = _tile(body, "last-import")
    assert "running.csv" in last and "badge-running" in last
    documents = _tile(body, "documents")
    assert '<p class="kpi-value">1</p>' in documents
    assert "Upload a renewed document" in documents


def test_the_share_tile_compares_the_own_brands_with_last_year(client):
    SeasonFactory(year=2025)
    SeasonFactory(year=2024)
    assert sales_load(file=sales_file(SALES), filename="s.csv").status == "loaded"
    _seller, user = seller_with_owner(status=SellerStatus.APPROVED, brands=["Lanyue"])
    share = _tile(_dashboard(client, user), "share")
    assert "75.0%" in share  # 3,000,000 of 4,000,000
    assert "+50.0 pp" in share  # 25% a year earlier
    assert "trend-up" in share
    assert f'href="{reverse("insights:index")}"' in share


def test_a_broken_provider_leaves_the_dashboard_up(client, settings):
    settings.DASHBOARD_KPI_PROVIDERS = ["tests.sellers.test_dashboard_kpis.broken_provider"]
    _seller, user = seller_with_owner(status=SellerStatus.APPROVED)
    body = _dashboard(client, user)
    assert "Not available right now." in _tile(body, "products")
    assert 'id="kpi-documents"' in body


def broken_provider(*, seller):
    raise RuntimeError("the market data is down")


def test_documents_near_expiry_counts_the_next_60_days_and_the_expired(db):
    seller, _user = seller_with_owner(documents=False)
    today = datetime.date(2026, 1, 10)
    for days in (-3, 0, 60, 61):
        DocumentFactory(seller=seller, expires_on=today + datetime.timedelta(days=days))
    DocumentFactory(seller=seller, expires_on=None)
    found = documents_near_expiry(seller=seller, today=today)
    assert [(d.expires_on - today).days for d in found] == [-3, 0, 60]

"""Admin: the sales upload page, deleting loads with their facts, read-only facts, seasons."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from insights.models import (
    MarketBrand,
    RollupCategoryDay,
    RollupMarketBrandDay,
    RollupOriginDay,
    RollupOriginMonth,
    Sale,
    SalesLoad,
)
from insights.services import sales_load
from tests.insights.factories import GOOD_ROWS, sales_csv, sales_file
from tests.sellers.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.usefixtures("categories")


@pytest.fixture
def staff_client(client, db):
    client.force_login(StaffFactory())
    return client


def upload(client, data: bytes, name: str = "sales.csv"):
    return client.post(
        reverse("admin:insights_salesload_upload"),
        {"file": SimpleUploadedFile(name, data, content_type="text/csv")},
    )


def test_it_loads_an_uploaded_report(staff_client):
    response = upload(staff_client, sales_csv(GOOD_ROWS))
    assert response.status_code == 302
    assert Sale.objects.count() == 4
    assert SalesLoad.objects.get().filename == "sales.csv"


def test_it_lists_row_errors_and_stores_nothing(staff_client):
    bad = [*GOOD_ROWS, ["2025-11-05", "nope", "<b>X</b>", "CN", "1", "1"]]
    response = upload(staff_client, sales_csv(bad))
    assert response.status_code == 200
    html = response.content.decode()
    assert "unknown_category" in html and "<b>X</b>" not in html
    assert Sale.objects.count() == 0


def test_it_says_when_a_file_was_already_loaded(staff_client):
    upload(staff_client, sales_csv(GOOD_ROWS))
    response = upload(staff_client, sales_csv(GOOD_ROWS), name="again.csv")
    assert response.status_code == 302
    assert SalesLoad.objects.count() == 1


def test_it_keeps_the_upload_page_from_non_staff(client, db):
    client.force_login(UserFactory())
    response = client.get(reverse("admin:insights_salesload_upload"))
    assert response.status_code == 302  # to the admin login


def test_it_deletes_a_load_with_its_facts_and_rollups(staff_client):
    sales_load(file=sales_file(GOOD_ROWS), filename="a.csv")
    load = SalesLoad.objects.get()
    response = staff_client.post(
        reverse("admin:insights_salesload_changelist"),
        {"action": "delete_loads", "_selected_action": [load.pk]},
    )
    assert response.status_code == 302
    assert not SalesLoad.objects.exists()
    assert not Sale.objects.exists()
    assert not RollupCategoryDay.objects.exists()
    assert not RollupOriginMonth.objects.exists()
    assert not RollupMarketBrandDay.objects.exists()


def test_it_moves_figures_when_staff_correct_a_brands_origin(staff_client):
    sales_load(file=sales_file(GOOD_ROWS), filename="a.csv")
    brand = MarketBrand.objects.get(name="Hanil")
    response = staff_client.post(
        reverse("admin:insights_marketbrand_change", args=[brand.pk]),
        {"name": "Hanil", "origin_country": "jp", "brand": ""},
    )
    assert response.status_code == 302
    for model in (RollupOriginDay, RollupOriginMonth):
        assert not model.objects.filter(origin_country="KR").exists()
        assert model.objects.get(origin_country="JP").revenue_uzs == 2500000


@pytest.mark.parametrize(
    "name",
    ["insights_season", "insights_marketbrand", "insights_salesload", "insights_sale"],
)
def test_it_shows_the_admin_lists(staff_client, name):
    sales_load(file=sales_file(GOOD_ROWS), filename="a.csv")
    assert staff_client.get(reverse(f"admin:{name}_changelist")).status_code == 200

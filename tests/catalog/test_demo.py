"""The demo catalog: imported through the real pipeline, repeatable without duplicates."""

import io

import pytest

from catalog import demo
from catalog.models import Category, ImportJob, ImportStatus, Product
from sellers.models import SellerStatus
from tests.sellers.factories import UserFactory, seller_with_owner

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_sellers(db):
    sellers = []
    for number, brands in ((1, ["Lanyue", "Jinma"]), (2, ["Tianxin"])):
        seller, _user = seller_with_owner(
            status=SellerStatus.APPROVED,
            brands=brands,
            user=UserFactory(email=f"demo{number}@bozor.localhost"),
        )
        sellers.append(seller)
    # a demo owner's seller that is not approved gets no catalog
    seller_with_owner(status=SellerStatus.SUBMITTED, user=UserFactory(email="x@bozor.localhost"))
    return sellers


def test_it_gives_each_approved_demo_seller_a_valid_catalog(demo_sellers):
    out = io.StringIO()
    demo.seed(stdout=out, options={})
    assert Category.objects.filter(is_leaf=True).exists()
    for seller in demo_sellers:
        products = Product.objects.filter(seller=seller)
        assert products.count() == demo.PRODUCTS_PER_SELLER
        job = ImportJob.objects.get(seller=seller)
        assert job.status == ImportStatus.COMPLETED
        assert job.counts == {
            "created": demo.PRODUCTS_PER_SELLER,
            "updated": 0,
            "unchanged": 0,
            "invalid": 0,
        }
        assert not job.row_errors.filter(severity="error").exists()
        brands = set(seller.brands.values_list("pk", flat=True))
        assert set(products.values_list("brand_id", flat=True)) <= brands
        assert not products.filter(category__is_leaf=False).exists()
    assert Product.objects.count() == 2 * demo.PRODUCTS_PER_SELLER
    assert "categories:" in out.getvalue()


def test_it_finds_every_row_unchanged_on_a_second_run(demo_sellers):
    demo.seed(stdout=io.StringIO(), options={})
    before = {
        (p.seller_id, p.sku): (p.pk, p.updated_at, p.price_uzs) for p in Product.objects.all()
    }
    demo.seed(stdout=io.StringIO(), options={})
    after = {(p.seller_id, p.sku): (p.pk, p.updated_at, p.price_uzs) for p in Product.objects.all()}
    assert after == before
    for seller in demo_sellers:
        latest = ImportJob.objects.filter(seller=seller).latest("id")
        assert latest.status == ImportStatus.COMPLETED
        assert latest.counts == {
            "created": 0,
            "updated": 0,
            "unchanged": demo.PRODUCTS_PER_SELLER,
            "invalid": 0,
        }


def test_it_loads_only_categories_without_demo_sellers(db):
    out = io.StringIO()
    demo.seed(stdout=out, options={})
    assert Category.objects.exists()
    assert not Product.objects.exists()
    assert "no approved demo sellers" in out.getvalue()

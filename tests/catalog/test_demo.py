"""The demo catalog: imported through the real pipeline, repeatable without duplicates."""

import csv
import io
import json
from collections import Counter, defaultdict

import pytest

from catalog import demo
from catalog.models import Category, ImportJob, ImportStatus, Product
from catalog.readiness import NEEDS_FIXES, READY
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
    before = {(p.seller_id, p.sku): _snapshot(p) for p in Product.objects.all()}
    demo.seed(stdout=io.StringIO(), options={})
    after = {(p.seller_id, p.sku): _snapshot(p) for p in Product.objects.all()}
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


def _snapshot(product):
    return (
        product.pk,
        product.updated_at,
        product.price_uzs,
        product.group,
        product.attributes,
        product.features_uz,
        product.readiness_state,
        product.readiness_issues,
    )


def _cards(seller):
    cards = defaultdict(list)
    for product in Product.objects.filter(seller=seller).order_by("sku"):
        cards[product.card_key].append(product)
    return cards


def test_it_writes_the_same_full_width_csv_every_time(demo_sellers):
    demo.seed(stdout=io.StringIO(), options={})
    seller = demo_sellers[0]
    content = demo.demo_catalog_csv(seller=seller)
    assert content == demo.demo_catalog_csv(seller=seller)
    rows = list(csv.reader(io.StringIO(content.decode("utf-8"))))
    header, body = rows[0], rows[1:]
    assert header[: len(demo.CANONICAL_HEADER)] == list(demo.CANONICAL_HEADER)
    assert {"group", "features_uz", "features_ru", "colour", "size", "memory"} <= set(header)
    assert len(body) == demo.PRODUCTS_PER_SELLER
    assert all(len(row) == len(header) for row in body)
    assert len({row[0] for row in body}) == len(body)  # SKUs unique
    assert content != demo.demo_catalog_csv(seller=demo_sellers[1])


def test_it_arranges_the_catalog_in_cards_of_variants(demo_sellers):
    demo.seed(stdout=io.StringIO(), options={})
    data = json.loads(demo.ATTRIBUTES_JSON.read_text(encoding="utf-8"))
    colours = {o["code"] for a in data["attributes"] if a["code"] == "colour" for o in a["options"]}
    for seller in demo_sellers:
        cards = _cards(seller)
        grouped = {key: variants for key, variants in cards.items() if len(variants) > 1}
        assert len(grouped) >= 30
        assert max(len(variants) for variants in grouped.values()) >= 4
        for key, variants in grouped.items():
            assert {p.group for p in variants} == {key}
            assert len({(p.title_uz, p.category_id, p.brand_id) for p in variants}) == 1
            axes = [tuple(sorted(p.attributes.items())) for p in variants]
            assert len(set(axes)) == len(axes)  # each variant differs in its characteristics
        products = Product.objects.filter(seller=seller).select_related("category")
        by_category = defaultdict(list)
        for product in products:
            by_category[product.category.code].append(product)
            assert product.title_uz.split()[0].lower() != product.brand.name.lower()
            if "colour" in product.attributes:
                assert product.attributes["colour"] in colours  # the option code, not "Белый"
        phones = by_category["electronics.phones.smartphones"]
        assert {p.attributes["memory"] for p in phones} >= {"128gb", "256gb"}
        clothing = [
            p for code, ps in by_category.items() if code.startswith("clothing") for p in ps
        ]
        assert all(p.group and "size" in p.attributes for p in clothing)
        assert len({p.category_id for p in products}) >= 10


def test_most_cards_are_ready_and_some_need_fixes(demo_sellers):
    demo.seed(stdout=io.StringIO(), options={})
    for seller in demo_sellers:
        cards = _cards(seller)
        states = Counter(
            NEEDS_FIXES if any(p.readiness_state == NEEDS_FIXES for p in variants) else READY
            for variants in cards.values()
        )
        share = states[NEEDS_FIXES] / len(cards)
        assert 0.10 <= share <= 0.30, states
        codes = Counter(
            issue["code"]
            for p in Product.objects.filter(seller=seller)
            for issue in p.readiness_issues
        )
        # deliberate, realistic mistakes only: nothing is too big, too cheap or in Cyrillic
        assert set(codes) <= {
            "features_count",
            "no_images",
            "dimensions_missing",
            "attribute_missing",
            "title_capital",
        }
        assert len(codes) >= 4, codes
        job = ImportJob.objects.get(seller=seller)
        assert not job.row_errors.filter(severity="error").exists()
        assert job.row_errors.filter(severity="warning").exists()  # the readiness issues
        for product in Product.objects.filter(seller=seller, readiness_state=READY)[:50]:
            assert len(product.features_uz) >= 3 and len(product.features_ru) >= 3
            assert product.image_urls
            volume = product.length_mm * product.width_mm * product.height_mm
            assert product.price_uzs * 10**9 / volume >= 5_000_000

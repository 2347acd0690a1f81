"""Cards computed from products (catalog.card_selectors) and actions on them
(catalog.card_services), called as the web pages call them."""

import pytest
from django.http import Http404

from catalog.attribute_services import attributes_load
from catalog.card_selectors import card_get, card_list, cards_for_keys, readiness_summary
from catalog.card_services import card_transliterate
from catalog.cards import readiness_refresh
from catalog.models import Product
from catalog.services import product_create, product_update
from portal.errors import ConflictError, ValidationError
from sellers.models import SellerStatus
from tests.catalog.factories_api import IKPU, LEAF, approved_seller, ean13, product_for
from tests.sellers.factories import seller_with_owner

pytestmark = pytest.mark.django_db
FEATURES = ["Yengil", "Nafas oladi", "Rezina taglik"]


@pytest.fixture
def seller(categories):
    attributes_load()
    return approved_seller()[0]


def ready(seller, sku: str, number: int, **fields):
    """A product the marketplace accepts, written straight to the table, readiness stored."""
    values = {
        "title_uz": "Lanyue erkaklar krossovkasi",
        "title_ru": "Мужские кроссовки Lanyue",
        "features_uz": FEATURES,
        "features_ru": ["Лёгкие", "Дышащие", "Резиновая подошва"],
        "length_mm": 300,
        "width_mm": 200,
        "height_mm": 120,
        "barcode": ean13(number),
        "attributes": {
            "colour": "white",
            "shoe_size": str(40 + number % 5),
            "gender": "men",
            "upper_material": "textile",
        },
    }
    values.update(fields)
    product = product_for(seller, sku, **values)
    readiness_refresh(Product.objects.filter(pk=product.pk))
    product.refresh_from_db()
    return product


def test_card_list_gives_one_row_per_card_with_its_counts(seller):
    ready(seller, "KR-41", 1, group="KR")
    ready(seller, "KR-42", 2, group="KR", height_mm=None)
    ready(seller, "LONE", 3)
    rows = list(card_list(seller=seller))
    assert rows == [
        {"key": "KR", "variant_count": 2, "needs_fixes": 1},
        {"key": "LONE", "variant_count": 1, "needs_fixes": 0},
    ]
    assert [r["key"] for r in card_list(seller=seller, readiness="ready")] == ["LONE"]
    assert [r["key"] for r in card_list(seller=seller, readiness="needs_fixes")] == ["KR"]
    assert [r["key"] for r in card_list(seller=seller, category="electronics")] == []
    assert [r["key"] for r in card_list(seller=seller, q="kr-4")] == ["KR"]


def test_cards_for_keys_keeps_the_order_and_folds_the_variants(seller):
    ready(seller, "KR-42", 2, group="KR")
    ready(seller, "KR-41", 1, group="KR")
    ready(seller, "LONE", 3)
    cards = cards_for_keys(seller=seller, keys=["LONE", "KR", "NOPE"])
    assert [c.key for c in cards] == ["LONE", "KR"]
    assert [v.sku for v in cards[1].variants] == ["KR-41", "KR-42"]
    assert cards[1].group == "KR" and cards[0].group == ""
    assert cards[1].title_uz == "Lanyue erkaklar krossovkasi"
    assert cards[1].features_uz == FEATURES and cards[1].variant_count == 2
    assert cards[1].state == "ready"


def test_a_cards_readiness_is_its_variants_issues_once_each(seller):
    ready(seller, "KR-41", 1, group="KR", height_mm=None, image_urls=[])
    ready(seller, "KR-42", 2, group="KR", height_mm=None, image_urls=[])
    card = card_get(seller=seller, key="KR")
    assert card.state == "needs_fixes"
    assert [(i.code, i.field) for i in card.readiness.issues] == [
        ("no_images", "image_urls"),
        ("dimensions_missing", "height_mm"),
    ]


def test_card_get_is_a_404_for_another_sellers_card_or_a_grouped_sku(seller):
    other = approved_seller(brands=("Lanyue",))[0]
    ready(other, "THEIRS", 1)
    ready(seller, "KR-41", 1, group="KR")
    with pytest.raises(Http404):
        card_get(seller=seller, key="THEIRS")
    with pytest.raises(Http404):
        card_get(seller=seller, key="KR-41")


def test_readiness_summary_counts_cards_per_issue(seller, django_assert_max_num_queries):
    ready(seller, "KR-41", 1, group="KR", image_urls=[])
    ready(seller, "KR-42", 2, group="KR", image_urls=[], height_mm=None)
    ready(seller, "A", 3, image_urls=[])
    ready(seller, "B", 4, title_ru="")
    ready(seller, "C", 5)
    with django_assert_max_num_queries(2):
        summary = readiness_summary(seller=seller)
    assert summary["cards"] == 4
    assert summary["ready"] == 1
    assert summary["needs_fixes"] == 3
    assert summary["issues"][0] == {"code": "no_images", "label": "No photos", "cards": 2}
    codes = {i["code"]: i["cards"] for i in summary["issues"]}
    assert codes == {"no_images": 2, "dimensions_missing": 1, "ru_missing": 1}


def test_readiness_summary_of_an_empty_catalog(seller):
    assert readiness_summary(seller=seller) == {
        "cards": 0,
        "ready": 0,
        "needs_fixes": 0,
        "issues": [],
    }


def test_card_transliterate_changes_only_uzbek_cyrillic(seller):
    ready(seller, "KR-41", 1, group="KR", title_uz="Эркаклар кроссовкаси оқ")
    ready(seller, "KR-42", 2, group="KR", title_uz="Эркаклар кроссовкаси оқ")
    assert card_get(seller=seller, key="KR").state == "needs_fixes"
    card = card_transliterate(seller=seller, key="KR")
    assert card.title_uz == "Erkaklar krossovkasi oq"
    assert card.state == "ready"
    stored = Product.objects.get(sku="KR-42")
    assert stored.title_uz == "Erkaklar krossovkasi oq"
    assert stored.title_ru == "Мужские кроссовки Lanyue"
    assert stored.features_uz == FEATURES
    assert stored.readiness_state == "ready"


def test_card_transliterate_needs_an_approved_seller(categories):
    seller = seller_with_owner(status=SellerStatus.SUSPENDED, brands=["Lanyue"])[0]
    product_for(seller, "SOLO", title_uz="Эркаклар кроссовкаси оқ")
    with pytest.raises(ConflictError):
        card_transliterate(seller=seller, key="SOLO")


def _data(sku: str, number: int, **fields):
    data = {
        "sku": sku,
        "title_uz": "Lanyue erkaklar krossovkasi",
        "title_ru": "Мужские кроссовки Lanyue",
        "brand": "Lanyue",
        "category": LEAF,
        "price_uzs": "125 000",
        "stock": 5,
        "barcode": ean13(number),
        "ikpu": IKPU,
        "weight_g": 800,
        "group": "KR",
        "attributes": {"colour": "Qora", "shoe_size": "41"},
    }
    data.update(fields)
    return data


def test_product_services_keep_a_cards_variants_together(seller):
    first = product_create(seller=seller, data=_data("KR-41", 1))
    assert first.attributes == {"colour": "black", "shoe_size": "41"}
    assert first.readiness_state == "needs_fixes"
    second = product_create(
        seller=seller, data=_data("KR-42", 2, attributes={"Цвет": "Чёрный", "Размер": "42"})
    )
    with pytest.raises(ValidationError) as error:
        product_create(seller=seller, data=_data("KR-43", 3))
    assert "KR-41" in str(error.value)
    product_update(seller=seller, product=second, data={"image_urls": []})
    assert Product.objects.get(sku="KR-41").image_urls == []
    with pytest.raises(ValidationError):
        product_update(seller=seller, product=second, data={"attributes": {"colour": "black"}})
    assert Product.objects.get(sku="KR-42").attributes["shoe_size"] == "42"

"""The card API of issue 13 as a client sees it: the product contract's card fields, readiness
on every write, variants of one card, `cards/`, the readiness summary and transliteration."""

from typing import Any

import pytest
import yaml
from rest_framework.test import APIClient

from catalog.attribute_services import attributes_load
from catalog.models import Product
from sellers.models import SellerStatus
from tests.catalog.factories_api import (
    IKPU,
    LEAF,
    OTHER_LEAF,
    api_client_for,
    approved_seller,
    ean13,
    product_for,
)
from tests.sellers.factories import seller_with_owner

pytestmark = pytest.mark.django_db
API = "/api/v1"
SMARTPHONES = "electronics.phones.smartphones"
READY_ATTRIBUTES = {
    "colour": "white",
    "shoe_size": "42",
    "gender": "men",
    "upper_material": "textile",
}


@pytest.fixture
def owner(categories):
    attributes_load()
    return approved_seller()


@pytest.fixture
def api(owner) -> APIClient:
    return api_client_for(owner[1])


def payload(sku: str, number: int = 1, **overrides: Any) -> dict[str, Any]:
    """A sneaker the marketplace accepts as it is (every readiness rule passes)."""
    values: dict[str, Any] = {
        "sku": sku,
        "title_uz": "Lanyue erkaklar krossovkasi",
        "title_ru": "Мужские кроссовки Lanyue",
        "description_uz": "Yengil krossovka",
        "description_ru": "Лёгкие кроссовки",
        "brand": "Lanyue",
        "category": LEAF,
        "price_uzs": 125_000,
        "stock": 10,
        "barcode": ean13(number),
        "ikpu": IKPU,
        "weight_g": 800,
        "image_urls": ["https://img.example.com/1.jpg"],
        "length_mm": 300,
        "width_mm": 200,
        "height_mm": 120,
        "features_uz": "Yengil | Nafas oladi | Rezina taglik",
        "features_ru": ["Лёгкие", "Дышащие", "Резиновая подошва"],
        "attributes": dict(READY_ATTRIBUTES),
    }
    values.update(overrides)
    return values


def create(api: APIClient, body: dict[str, Any], **headers: str) -> Any:
    return api.post(f"{API}/products/", body, format="json", **headers)


def created(api: APIClient, body: dict[str, Any]) -> dict[str, Any]:
    response = create(api, body)
    assert response.status_code == 201, response.content
    return response.json()


def skus(api: APIClient, **params: str) -> list[str]:
    response = api.get(f"{API}/products/", params)
    assert response.status_code == 200, response.content
    return [p["sku"] for p in response.json()["results"]]


# ---------------------------------------------------------------------------------------------
# The product contract


def test_a_product_has_the_card_fields_and_its_stored_readiness(api, owner):
    body = created(
        api,
        payload(
            "KR-42",
            group="KR",
            attributes={"Цвет": "Белый", "Size": "42", "Jins": "Erkaklar", "鞋面材质": "Текстиль"},
        ),
    )
    assert body["group"] == "KR"
    assert body["features_uz"] == ["Yengil", "Nafas oladi", "Rezina taglik"]
    assert body["features_ru"] == ["Лёгкие", "Дышащие", "Резиновая подошва"]
    assert body["attributes"] == READY_ATTRIBUTES
    assert body["readiness"] == {"state": "ready", "issues": []}
    product = Product.objects.get(seller=owner[0], sku="KR-42")
    assert product.readiness_state == "ready" and product.readiness_issues == []
    assert product.attributes == READY_ATTRIBUTES
    got = api.get(f"{API}/products/KR-42/").json()
    assert got["readiness"] == body["readiness"] and got["attributes"] == READY_ATTRIBUTES


def test_a_product_without_a_group_has_an_empty_group(api):
    assert created(api, payload("ONE"))["group"] == ""


def test_readiness_is_stored_on_create_and_update_and_filters_the_list(api, owner):
    created(api, payload("READY", 1))
    body = created(api, payload("FIX", 2, features_ru="Лёгкие", image_urls=[]))
    assert body["readiness"]["state"] == "needs_fixes"
    codes = {(i["code"], i["field"]) for i in body["readiness"]["issues"]}
    assert codes == {("features_count", "features_ru"), ("no_images", "image_urls")}
    assert all(i["message"] for i in body["readiness"]["issues"])
    assert skus(api, readiness="ready") == ["READY"]
    assert skus(api, readiness="needs_fixes") == ["FIX"]
    assert skus(api, issue="no_images") == ["FIX"]
    assert skus(api, issue="title_words") == []

    response = api.patch(
        f"{API}/products/FIX/",
        {"features_ru": "a\nb\nc", "image_urls": ["https://img.example.com/2.jpg"]},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["readiness"] == {"state": "ready", "issues": []}
    assert Product.objects.get(sku="FIX").readiness_state == "ready"
    assert skus(api, readiness="ready") == ["FIX", "READY"]

    response = api.patch(f"{API}/products/READY/", {"attributes": {}}, format="json")
    issues = response.json()["readiness"]["issues"]
    assert {i["code"] for i in issues} == {"attribute_missing"}
    assert {i["field"] for i in issues} == set(READY_ATTRIBUTES)
    assert skus(api, readiness="needs_fixes") == ["READY"]


@pytest.mark.parametrize("name", ["readiness", "issue"])
def test_an_unknown_readiness_filter_is_a_400(api, name):
    response = api.get(f"{API}/products/", {name: "nope"})
    assert response.status_code == 400
    assert name in response.json()


def test_readiness_messages_are_in_the_requests_language(api):
    created(api, payload("FIX", image_urls=[]))
    issue = api.get(f"{API}/products/FIX/", HTTP_ACCEPT_LANGUAGE="ru").json()["readiness"]
    english = api.get(f"{API}/products/FIX/").json()["readiness"]
    assert issue["issues"][0]["message"] != english["issues"][0]["message"]


@pytest.mark.parametrize(
    ("attributes", "word"),
    [
        ({"colour": "Weiß"}, "Weiß"),  # another language than the four
        ({"colour": "Белйы"}, "Белйы"),  # a typo
        ({"Farbe": "white"}, "Farbe"),  # no characteristic of the category
    ],
)
def test_a_wrong_characteristic_value_is_a_400_and_stores_nothing(api, attributes, word):
    response = create(api, payload("BAD", attributes=READY_ATTRIBUTES | attributes))
    assert response.status_code == 400
    messages = response.json()["attributes"]
    assert any(word in m for m in messages), messages
    assert not Product.objects.filter(sku="BAD").exists()


def test_an_unknown_value_lists_the_allowed_values_in_the_readers_language(api):
    response = create(api, payload("BAD", attributes={"colour": "Weiß"}), HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 400
    assert "Белый" in response.json()["attributes"][0]


def test_a_number_characteristic_that_is_no_number_is_a_400(api):
    body = payload(
        "PHONE",
        category=SMARTPHONES,
        attributes={"colour": "black", "memory": "128 GB", "battery_capacity": "много"},
    )
    response = create(api, body)
    assert response.status_code == 400
    assert "много" in response.json()["attributes"][0]
    assert not Product.objects.filter(sku="PHONE").exists()
    body["attributes"]["battery_capacity"] = "5000 mAh"
    assert created(api, body)["attributes"]["battery_capacity"] == 5000


def test_a_characteristic_sent_as_a_list_is_a_400(api):
    response = create(api, payload("BAD", attributes={"colour": ["white"]}))
    assert response.status_code == 400 and "attributes" in response.json()
    response = create(api, payload("BAD", attributes=["white"]))
    assert response.status_code == 400 and "attributes" in response.json()


# ---------------------------------------------------------------------------------------------
# Variants of one card


def test_a_second_variant_of_a_card_with_the_cards_values_is_created(api):
    created(api, payload("KR-42", 1, group="KR"))
    body = created(
        api, payload("KR-41", 2, group="KR", attributes=READY_ATTRIBUTES | {"shoe_size": "41"})
    )
    assert body["group"] == "KR"


def test_the_same_variant_twice_is_a_400_naming_the_other_sku(api):
    created(api, payload("KR-42", 1, group="KR"))
    response = create(api, payload("KR-42B", 2, group="KR"), HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 400
    message = response.json()["attributes"][0]
    assert "KR-42" in message and "Белый" in message
    assert not Product.objects.filter(sku="KR-42B").exists()


def test_a_variant_without_its_axis_value_is_a_400(api):
    attributes = {k: v for k, v in READY_ATTRIBUTES.items() if k != "shoe_size"}
    response = create(api, payload("KR-X", group="KR", attributes=attributes))
    assert response.status_code == 400
    assert "KR" in response.json()["attributes"][0]
    assert not Product.objects.filter(sku="KR-X").exists()


def test_a_variant_that_disagrees_with_its_card_is_a_400_naming_the_card_and_sku(api):
    created(api, payload("KR-42", 1, group="KR"))
    response = create(
        api,
        payload(
            "KR-41",
            2,
            group="KR",
            title_ru="Другие кроссовки Lanyue",
            attributes=READY_ATTRIBUTES | {"shoe_size": "41"},
        ),
    )
    assert response.status_code == 400
    body = response.json()
    assert "KR-42" in body["group"][0] and "title_ru" in body
    assert not Product.objects.filter(sku="KR-41").exists()


def test_moving_a_product_into_a_card_it_disagrees_with_is_a_400(api):
    created(api, payload("KR-42", 1, group="KR"))
    created(api, payload("OTHER", 2, title_uz="Boshqa erkaklar krossovkasi"))
    response = api.patch(f"{API}/products/OTHER/", {"group": "KR"}, format="json")
    assert response.status_code == 400
    assert Product.objects.get(sku="OTHER").group == ""


def test_a_card_level_change_on_one_variant_changes_every_variant(api):
    created(api, payload("KR-42", 1, group="KR"))
    created(api, payload("KR-41", 2, group="KR", attributes=READY_ATTRIBUTES | {"shoe_size": "41"}))
    created(api, payload("LONE", 3))
    response = api.patch(
        f"{API}/products/KR-41/", {"features_ru": "Лёгкие", "price_uzs": 99_000}, format="json"
    )
    assert response.status_code == 200, response.content
    variants = {p.sku: p for p in Product.objects.filter(group="KR")}
    assert all(p.features_ru == ["Лёгкие"] for p in variants.values())
    assert {p.readiness_state for p in variants.values()} == {"needs_fixes"}
    assert variants["KR-42"].price_uzs == 125_000  # a variant's own value stays its own
    assert variants["KR-41"].price_uzs == 99_000
    lone = Product.objects.get(sku="LONE")
    assert lone.features_ru == ["Лёгкие", "Дышащие", "Резиновая подошва"]
    assert lone.readiness_state == "ready"


def test_a_duplicate_variant_by_patch_is_a_400_and_changes_nothing(api):
    created(api, payload("KR-42", 1, group="KR"))
    created(api, payload("KR-41", 2, group="KR", attributes=READY_ATTRIBUTES | {"shoe_size": "41"}))
    response = api.patch(
        f"{API}/products/KR-41/",
        {"attributes": READY_ATTRIBUTES, "title_ru": "Новые кроссовки Lanyue"},
        format="json",
    )
    assert response.status_code == 400
    assert "KR-42" in response.json()["attributes"][0]
    assert set(Product.objects.values_list("title_ru", flat=True)) == {"Мужские кроссовки Lanyue"}
    assert Product.objects.get(sku="KR-41").attributes["shoe_size"] == "41"


# ---------------------------------------------------------------------------------------------
# cards/


def _card_of_two(api: APIClient) -> None:
    created(api, payload("KR-42", 1, group="KR"))
    created(
        api,
        payload(
            "KR-41",
            2,
            group="KR",
            attributes=READY_ATTRIBUTES | {"shoe_size": "41"},
            height_mm=None,
        ),
    )


def test_cards_lists_one_entry_per_card_with_its_variants(api):
    _card_of_two(api)
    created(api, payload("LONE", 3, title_uz="Yakka erkaklar krossovkasi"))
    response = api.get(f"{API}/cards/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 2
    card, lone = body["results"]
    assert card["group"] == "KR" and lone["group"] == "LONE"
    assert card["variant_count"] == 2 and lone["variant_count"] == 1
    assert [v["sku"] for v in card["variants"]] == ["KR-41", "KR-42"]
    assert card["variants"][0]["attributes"]["shoe_size"] == "41"
    assert set(card["variants"][0]) == {
        "sku",
        "attributes",
        "price_uzs",
        "stock",
        "barcode",
        "readiness",
    }
    assert card["title_uz"] == "Lanyue erkaklar krossovkasi"
    assert card["brand"] == "Lanyue" and card["category"] == LEAF
    assert card["features_uz"] == ["Yengil", "Nafas oladi", "Rezina taglik"]
    assert card["image_urls"] == ["https://img.example.com/1.jpg"]
    # One variant needs fixes: so does the card, with that variant's issue.
    assert card["readiness"]["state"] == "needs_fixes"
    assert [(i["code"], i["field"]) for i in card["readiness"]["issues"]] == [
        ("dimensions_missing", "height_mm")
    ]
    assert card["variants"][1]["readiness"]["state"] == "ready"
    assert lone["readiness"] == {"state": "ready", "issues": []}


def test_cards_filter_by_readiness_category_and_search(api, owner):
    _card_of_two(api)
    created(api, payload("LONE", 3, title_uz="Yakka erkaklar krossovkasi"))
    product_for(owner[0], "CASE", category=OTHER_LEAF)

    def groups(**params: str) -> list[str]:
        response = api.get(f"{API}/cards/", params)
        assert response.status_code == 200, response.content
        return [card["group"] for card in response.json()["results"]]

    assert groups(readiness="needs_fixes") == ["CASE", "KR"]
    assert groups(readiness="ready") == ["LONE"]
    assert groups(category="shoes") == ["KR", "LONE"]
    assert groups(category="electronics") == ["CASE"]
    assert groups(q="kr-41") == ["KR"]
    assert groups(q="yakka") == ["LONE"]
    # A card found by one variant comes with all of them.
    card = api.get(f"{API}/cards/", {"q": "KR-41"}).json()["results"][0]
    assert card["variant_count"] == 2
    assert api.get(f"{API}/cards/", {"readiness": "done"}).status_code == 400


def test_cards_paginate(api, owner):
    for i in range(7):
        product_for(owner[0], f"SKU-{i}", group=f"G{i // 2}")
    first = api.get(f"{API}/cards/", {"page_size": 3}).json()
    assert first["count"] == 4
    assert [c["group"] for c in first["results"]] == ["G0", "G1", "G2"]
    second = api.get(first["next"]).json()
    assert [c["group"] for c in second["results"]] == ["G3"]
    assert second["results"][0]["variant_count"] == 1


@pytest.mark.parametrize("count", [3, 30])
def test_cards_list_in_a_fixed_number_of_queries(api, owner, count, django_assert_max_num_queries):
    for i in range(count):
        product_for(owner[0], f"SKU-{i:03d}", group=f"G{i % 5}")
        product_for(owner[0], f"LONE-{i:03d}")
    api.get(f"{API}/cards/")  # warm the token's user
    with django_assert_max_num_queries(6):
        response = api.get(f"{API}/cards/")
    assert response.status_code == 200


def test_a_card_by_its_group_or_by_the_sku_of_a_single_variant(api):
    _card_of_two(api)
    created(api, payload("LONE", 3, title_uz="Yakka erkaklar krossovkasi"))
    card = api.get(f"{API}/cards/KR/")
    assert card.status_code == 200
    assert [v["sku"] for v in card.json()["variants"]] == ["KR-41", "KR-42"]
    assert api.get(f"{API}/cards/LONE/").json()["variant_count"] == 1
    # A grouped variant's SKU names no card, nor does an unknown code.
    assert api.get(f"{API}/cards/KR-41/").status_code == 404
    assert api.get(f"{API}/cards/NOPE/").status_code == 404


def test_another_sellers_card_is_a_404_on_every_route(api, categories):
    other, _user = approved_seller(brands=("Lanyue",))
    product_for(other, "THEIRS-1", group="THEIRS")
    product_for(other, "SOLO")
    for path in ["cards/THEIRS/", "cards/SOLO/"]:
        assert api.get(f"{API}/{path}").status_code == 404
    assert api.post(f"{API}/cards/THEIRS/transliterate/").status_code == 404
    assert api.get(f"{API}/cards/").json()["count"] == 0
    assert api.get(f"{API}/cards/readiness/summary/").json()["cards"] == 0


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/cards/"),
        ("get", "/cards/KR/"),
        ("get", "/cards/readiness/summary/"),
        ("post", "/cards/KR/transliterate/"),
    ],
)
def test_the_card_routes_answer_401_to_anonymous_clients(method, path):
    assert getattr(APIClient(), method)(API + path).status_code == 401


# ---------------------------------------------------------------------------------------------
# The readiness summary


def test_the_summary_counts_cards_and_what_blocks_them(api):
    _card_of_two(api)  # needs fixes: dimensions_missing on one variant
    created(api, payload("LONE", 3, title_uz="Yakka erkaklar krossovkasi"))
    created(api, payload("NOPIC", 4, title_uz="Rasmsiz erkaklar krossovkasi", image_urls=[]))
    created(
        api,
        payload(
            "BARE",
            5,
            title_uz="Oddiy erkaklar krossovkasi",
            image_urls=[],
            height_mm=None,
        ),
    )
    response = api.get(f"{API}/cards/readiness/summary/")
    assert response.status_code == 200
    body = response.json()
    assert body["cards"] == 4 and body["ready"] == 1 and body["needs_fixes"] == 3
    assert body["issues"] == [
        {"code": "no_images", "label": "No photos", "cards": 2},
        {"code": "dimensions_missing", "label": "Size or weight missing", "cards": 2},
    ] or body["issues"] == [
        {"code": "dimensions_missing", "label": "Size or weight missing", "cards": 2},
        {"code": "no_images", "label": "No photos", "cards": 2},
    ]
    russian = api.get(f"{API}/cards/readiness/summary/", HTTP_ACCEPT_LANGUAGE="ru").json()
    assert [i["cards"] for i in russian["issues"]] == [2, 2]


def test_the_summary_takes_a_fixed_number_of_queries(api, owner, django_assert_max_num_queries):
    for i in range(20):
        product_for(owner[0], f"SKU-{i:03d}", group=f"G{i % 4}")
    api.get(f"{API}/cards/readiness/summary/")
    with django_assert_max_num_queries(5):
        assert api.get(f"{API}/cards/readiness/summary/").status_code == 200


# ---------------------------------------------------------------------------------------------
# Transliteration, an action on a card


def test_transliterate_writes_the_cards_uzbek_in_latin_and_rechecks_readiness(api):
    cyrillic = {
        "title_uz": "Эркаклар кроссовкаси оқ",
        "description_uz": "Енгил ва қулай",
        "features_uz": ["Енгил", "Ҳаво ўтказади", "Резина таглик"],
    }
    created(api, payload("KR-42", 1, group="KR", **cyrillic))
    created(
        api,
        payload("KR-41", 2, group="KR", attributes=READY_ATTRIBUTES | {"shoe_size": "41"})
        | cyrillic,
    )
    before = api.get(f"{API}/cards/KR/").json()
    assert {i["code"] for i in before["readiness"]["issues"]} == {"uz_cyrillic"}

    response = api.post(f"{API}/cards/KR/transliterate/")
    assert response.status_code == 200, response.content
    card = response.json()
    assert card["title_uz"] == "Erkaklar krossovkasi oq"
    assert card["features_uz"] == ["Yengil", "Havo oʻtkazadi", "Rezina taglik"]
    assert card["readiness"] == {"state": "ready", "issues": []}
    for product in Product.objects.filter(group="KR"):
        assert product.description_uz == "Yengil va qulay"
        assert product.readiness_state == "ready"
    assert [
        c["group"] for c in api.get(f"{API}/cards/", {"readiness": "ready"}).json()["results"]
    ] == ["KR"]


def test_transliterate_is_a_409_for_a_seller_not_approved(categories):
    seller, user = seller_with_owner(status=SellerStatus.SUSPENDED, brands=["Lanyue"])
    product_for(seller, "SOLO", title_uz="Эркаклар кроссовкаси оқ")
    response = api_client_for(user).post(f"{API}/cards/SOLO/transliterate/")
    assert response.status_code == 409
    assert Product.objects.get(sku="SOLO").title_uz == "Эркаклар кроссовкаси оқ"


def test_the_schema_describes_the_card_routes(api):
    paths = yaml.safe_load(api.get("/api/schema/").content)["paths"]
    assert {"/api/v1/cards/", "/api/v1/cards/readiness/summary/"} <= set(paths)
    assert "post" in paths["/api/v1/cards/{group}/transliterate/"]
    assert "404" in paths["/api/v1/cards/{group}/"]["get"]["responses"]
    product = paths["/api/v1/products/"]["get"]
    assert {"readiness", "issue"} <= {p["name"] for p in product["parameters"]}

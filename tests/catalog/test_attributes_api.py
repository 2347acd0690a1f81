"""GET categories/{code}/attributes/: a leaf's characteristics with their options."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from catalog.attribute_services import attributes_load
from catalog.models import Attribute, AttributeOption, Category, CategoryAttribute
from tests.catalog.factories_api import api_client_for
from tests.sellers.factories import UserFactory

pytestmark = pytest.mark.django_db
API = "/api/v1"
FIELDS = {
    "code",
    "name_en",
    "name_ru",
    "name_uz",
    "name_zh",
    "type",
    "unit",
    "required",
    "variant_axis",
    "options",
}


@pytest.fixture
def loaded(categories) -> None:
    attributes_load()


@pytest.fixture
def api(loaded) -> APIClient:
    # Any signed-in user: a brand reads what a category needs before its application is done.
    return api_client_for(UserFactory())


def _attributes(api: APIClient, code: str) -> list[dict]:
    response = api.get(f"{API}/categories/{code}/attributes/")
    assert response.status_code == 200, response.content
    return response.json()


def test_it_lists_a_leafs_attributes_in_position_order_with_their_options(api):
    body = _attributes(api, "electronics.phones.smartphones")
    assert isinstance(body, list)
    assert all(set(item) == FIELDS for item in body)
    expected = list(
        CategoryAttribute.objects.filter(category__code="electronics.phones.smartphones")
        .order_by("position")
        .values_list("attribute__code", flat=True)
    )
    assert [item["code"] for item in body] == expected
    colour, memory = body[0], body[1]
    assert colour == {
        "code": "colour",
        "name_en": "Colour",
        "name_ru": "Цвет",
        "name_uz": "Rang",
        "name_zh": "颜色",
        "type": "enum",
        "unit": "",
        "required": True,
        "variant_axis": True,
        "options": colour["options"],
    }
    assert colour["options"][0] == {
        "code": "black",
        "name_en": "Black",
        "name_ru": "Чёрный",
        "name_uz": "Qora",
        "name_zh": "黑色",
    }
    assert memory["code"] == "memory" and memory["variant_axis"] is True
    assert {"64gb", "128gb", "256gb", "512gb"} <= {o["code"] for o in memory["options"]}


def test_a_number_has_its_unit_and_no_options(api):
    by_code = {item["code"]: item for item in _attributes(api, "electronics.phones.chargers")}
    assert by_code["power"]["type"] == "number"
    assert by_code["power"]["unit"] == "W"
    assert by_code["power"]["options"] == []
    assert by_code["fast_charging"]["type"] == "boolean"


def test_options_come_in_position_order(api):
    colour = Attribute.objects.get(code="colour")
    AttributeOption.objects.filter(attribute=colour, code="white").update(position=0)
    sizes = _attributes(api, "clothing.men.tshirts")
    assert [o["code"] for o in sizes[0]["options"]][:2] == ["white", "black"]
    assert [o["code"] for o in sizes[1]["options"]] == ["xs", "s", "m", "l", "xl", "xxl", "xxxl"]


def test_a_category_code_is_matched_exactly(api):
    assert api.get(f"{API}/categories/SHOES.SNEAKERS/attributes/").status_code == 404


@pytest.mark.parametrize("code", ["nope", "shoes.sneakers.x", "shoes.sneakers%00", "'; drop"])
def test_an_unknown_category_is_a_404(api, code):
    response = api.get(f"{API}/categories/{code}/attributes/")
    assert response.status_code == 404
    assert "detail" in response.json()


@pytest.mark.parametrize("code", ["shoes", "electronics.phones", "clothing"])
def test_a_parent_category_has_no_attributes(api, code):
    assert _attributes(api, code) == []


def test_a_leaf_without_attributes_answers_an_empty_list(api):
    Category.objects.create(
        code="shoes.sandals",
        parent=Category.objects.get(code="shoes"),
        name_en="Sandals",
        name_ru="Сандалии",
        name_uz="Sandallar",
        name_zh="凉鞋",
    )
    assert _attributes(api, "shoes.sandals") == []


def test_it_needs_a_signed_in_user(loaded):
    response = APIClient().get(f"{API}/categories/shoes.sneakers/attributes/")
    assert response.status_code == 401


def test_it_only_reads(api):
    url = f"{API}/categories/shoes.sneakers/attributes/"
    assert api.post(url, {}, format="json").status_code == 405
    assert api.delete(url).status_code == 405


def test_the_session_of_the_portal_works_too(loaded):
    client = Client()
    client.force_login(UserFactory())
    assert client.get(f"{API}/categories/shoes.sneakers/attributes/").status_code == 200


@pytest.mark.parametrize("code", ["kids.toys.construction", "electronics.phones.smartphones"])
def test_it_answers_in_a_fixed_number_of_queries(api, code, django_assert_num_queries):
    api.get(f"{API}/categories/{code}/attributes/")  # warm the token's user
    # the token and its user, the category, its attributes, their options
    with django_assert_num_queries(4):
        body = api.get(f"{API}/categories/{code}/attributes/").json()
    assert len(body) >= 4


def test_more_attributes_cost_no_more_queries(api, django_assert_num_queries):
    leaf = Category.objects.get(code="kids.toys.construction")
    extra = [
        Attribute.objects.create(
            code=f"extra_{i}",
            type="enum",
            name_en=f"Extra {i}",
            name_ru=f"Доп {i}",
            name_uz=f"Qoʻshimcha {i}",
            name_zh=f"附加{i}",
        )
        for i in range(15)
    ]
    for number, attribute in enumerate(extra, start=100):
        AttributeOption.objects.create(
            attribute=attribute, code="a", name_en="A", name_ru="А", name_uz="A", name_zh="甲"
        )
        CategoryAttribute.objects.create(category=leaf, attribute=attribute, position=number)
    api.get(f"{API}/categories/{leaf.code}/attributes/")
    with django_assert_num_queries(4):
        body = api.get(f"{API}/categories/{leaf.code}/attributes/").json()
    assert [item["code"] for item in body][-15:] == [a.code for a in extra]


def test_the_schema_documents_the_route():
    client = Client()
    client.force_login(UserFactory(is_staff=True))
    schema = client.get(reverse("schema"))
    assert schema.status_code == 200
    assert b"/api/v1/categories/{code}/attributes/" in schema.content

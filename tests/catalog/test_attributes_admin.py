"""The characteristics in admin: attributes with their options, a category's attributes."""

import pytest
from django.test import Client
from django.urls import reverse

from catalog.attribute_services import attributes_load
from catalog.models import Attribute, AttributeOption, Category, CategoryAttribute
from tests.sellers.factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(categories) -> Client:
    attributes_load()
    client = Client()
    client.force_login(StaffFactory(is_superuser=True))
    return client


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("admin:catalog_attribute_changelist", {}),
        ("admin:catalog_attribute_changelist", {"type__exact": "enum", "q": "цвет"}),
        ("admin:catalog_attribute_add", {}),
        ("admin:catalog_categoryattribute_changelist", {}),
        ("admin:catalog_categoryattribute_changelist", {"variant_axis__exact": "1"}),
        ("admin:catalog_categoryattribute_add", {}),
    ],
)
def test_the_attribute_pages_load(staff, name, query):
    response = staff.get(reverse(name), query)
    assert response.status_code == 200


def test_an_attribute_page_shows_its_options(staff):
    colour = Attribute.objects.get(code="colour")
    response = staff.get(reverse("admin:catalog_attribute_change", args=[colour.pk]))
    assert response.status_code == 200
    assert "Чёрный" in response.content.decode()


def test_a_category_s_attributes_are_listed_and_edited_in_place(staff):
    leaf = Category.objects.get(code="shoes.sneakers")
    url = reverse("admin:catalog_categoryattribute_changelist")
    response = staff.get(url, {"category__id__exact": leaf.pk})
    assert response.status_code == 200
    links = list(response.context["cl"].result_list)
    assert len(links) == leaf.category_attributes.count() >= 3
    assert 'name="form-0-required"' in response.content.decode()


def test_the_variant_axes_list_filters_on_one_category(staff):
    leaf = Category.objects.get(code="shoes.sneakers")
    response = staff.get(
        reverse("admin:catalog_categoryattribute_changelist"),
        {"category__id__exact": leaf.pk, "variant_axis__exact": "1"},
    )
    assert response.status_code == 200
    assert response.context["cl"].result_count == 2


def test_staff_add_an_option_inline(staff):
    colour = Attribute.objects.get(code="colour")
    options = list(colour.options.order_by("position", "id"))
    data = {
        "code": "colour",
        "type": "enum",
        "unit": "",
        "name_en": "Colour",
        "name_ru": "Цвет",
        "name_uz": "Rang",
        "name_zh": "颜色",
        "options-TOTAL_FORMS": str(len(options) + 1),
        "options-INITIAL_FORMS": str(len(options)),
        "options-MIN_NUM_FORMS": "0",
        "options-MAX_NUM_FORMS": "1000",
    }
    for number, option in enumerate(options):
        prefix = f"options-{number}-"
        data |= {
            prefix + "id": str(option.pk),
            prefix + "attribute": str(colour.pk),
            prefix + "position": str(option.position),
            prefix + "code": option.code,
            **{
                prefix + f"name_{x}": getattr(option, f"name_{x}") for x in ("en", "ru", "uz", "zh")
            },
        }
    new = f"options-{len(options)}-"
    data |= {
        new + "attribute": str(colour.pk),
        new + "position": "99",
        new + "code": "turquoise",
        new + "name_en": "Turquoise",
        new + "name_ru": "Бирюзовый",
        new + "name_uz": "Feruzarang",
        new + "name_zh": "青绿色",
    }
    response = staff.post(reverse("admin:catalog_attribute_change", args=[colour.pk]), data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    assert AttributeOption.objects.get(attribute=colour, code="turquoise").name_zh == "青绿色"


def test_a_unit_on_an_enum_is_refused(staff):
    response = staff.post(
        reverse("admin:catalog_attribute_add"),
        {
            "code": "fabric",
            "type": "enum",
            "unit": "g",
            "name_en": "Fabric",
            "name_ru": "Ткань",
            "name_uz": "Mato",
            "name_zh": "面料",
            "options-TOTAL_FORMS": "0",
            "options-INITIAL_FORMS": "0",
            "options-MIN_NUM_FORMS": "0",
            "options-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 200
    assert not Attribute.objects.filter(code="fabric").exists()


def test_a_parent_category_cannot_take_an_attribute(staff):
    parent = Category.objects.get(code="shoes")
    response = staff.post(
        reverse("admin:catalog_categoryattribute_add"),
        {
            "category": str(parent.pk),
            "attribute": str(Attribute.objects.get(code="colour").pk),
            "required": "on",
            "position": "1",
        },
    )
    assert response.status_code == 200
    assert not CategoryAttribute.objects.filter(category=parent).exists()


def test_an_attribute_in_use_is_not_deleted(staff):
    colour = Attribute.objects.get(code="colour")
    response = staff.post(
        reverse("admin:catalog_attribute_delete", args=[colour.pk]), {"post": "yes"}
    )
    assert response.status_code == 200  # the "cannot delete: protected" page
    assert Attribute.objects.filter(code="colour").exists()

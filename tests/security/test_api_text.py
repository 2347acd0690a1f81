"""Text typed into the API meets the importer's rule for cells: no NUL, lone surrogate,
zero-width or bidi character gets in (400 with the importer's own message), none makes a 500."""

import json

import pytest

from catalog.importing.columns import CANONICAL_HEADER
from catalog.importing.messages import message_for
from catalog.importing.rows import NUMBER_BOUNDS
from catalog.models import Product
from portal.tabular import Problem
from portal.tabular.table import cell_problems
from portal.tabular.validators import validate_visible_text
from sellers.models import Seller, SellerStatus
from tests.catalog.factories_api import api_client_for, approved_seller, product_for, row
from tests.sellers.factories import seller_with_owner

pytestmark = pytest.mark.django_db
API = "/api/v1"

BAD_CHARACTERS = {
    "NUL": "\x00",
    "lone high surrogate": "\ud800",
    "lone low surrogate": "\udfff",
    "zero-width space": "\u200b",
    "right-to-left override": "\u202e",
    "first strong isolate": "\u2068",
    "byte order mark": "\ufeff",
}
# Every text column of a product (the image URLs, a list, have their own test).
PRODUCT_TEXT_FIELDS = [
    name for name in CANONICAL_HEADER if name not in NUMBER_BOUNDS and name != "image_urls"
]
SELLER_TEXT_FIELDS = ["legal_name", "legal_name_zh", "address", "uz_entity_name", "contact_name"]


def send(client, method: str, path: str, payload: dict):
    """A JSON body as a client writes it: lone surrogates as `\\ud800` escapes (the test
    client's own renderer would fail to encode them)."""
    return getattr(client, method)(path, json.dumps(payload), content_type="application/json")


def importer_message(text: str) -> str:
    """The message the importer gives a cell holding `text`."""
    [problem] = [p for p in cell_problems([text]) if p.code == "invisible_characters"]
    return message_for(problem.code, problem.params)


@pytest.fixture
def owner(categories):
    return approved_seller()


@pytest.fixture
def api(owner):
    return api_client_for(owner[1])


def test_row_38_lone_surrogates_are_named_like_the_other_invisible_characters():
    [problem] = cell_problems(["a\ud800b\udfff"])
    assert problem == Problem(
        0,
        "invisible_characters",
        {"characters": ["U+D800 lone surrogate", "U+DFFF lone surrogate"]},
    )


@pytest.mark.parametrize("field", PRODUCT_TEXT_FIELDS)
def test_row_38_the_product_api_refuses_invisible_characters_with_the_importers_message(api, field):
    for character in BAD_CHARACTERS.values():
        value = f"{row('TXT-1').get(field, 'A')}{character}x"
        response = send(api, "post", f"{API}/products/", {**row("TXT-1"), field: value})
        assert response.status_code == 400, response.content[:300]
        assert response.json()[field] == [importer_message(value)]
    assert not Product.objects.exists()


@pytest.mark.parametrize("name", BAD_CHARACTERS)
def test_row_38_a_product_update_and_an_image_url_are_checked_the_same(api, owner, name):
    product_for(owner[0], "TXT-1")
    bad = BAD_CHARACTERS[name]
    response = send(api, "patch", f"{API}/products/TXT-1/", {"title_ru": f"Чайник{bad}"})
    assert response.status_code == 400
    assert response.json()["title_ru"] == [importer_message(f"Чайник{bad}")]
    urls = ["https://img.example.com/a.jpg", f"https://img.example.com/{bad}.jpg"]
    response = send(api, "patch", f"{API}/products/TXT-1/", {"image_urls": urls})
    assert response.status_code == 400
    assert "image_urls" in response.json()
    assert Product.objects.get(sku="TXT-1").title_ru != f"Чайник{bad}"


@pytest.mark.parametrize(
    "body",
    [
        '{"title_uz": "Nomi \\ud800 choynak"}',
        '{"title_uz": "Nomi \\udfff\\ud800 choynak"}',
        '{"title_uz": "\\u0000"}',
        '{"\\ud800": 1}',
        '{"\\u0000": "x"}',
        '{"title_uz": ["\\ud800"]}',
    ],
)
def test_row_38_escaped_surrogates_and_nul_in_a_raw_json_body_are_a_400(api, owner, body):
    payload = {k: v for k, v in row("RAW-1").items() if k != "title_uz"}
    raw = json.dumps(payload)[:-1] + ", " + body[1:]
    response = api.post(f"{API}/products/", raw, content_type="application/json")
    assert response.status_code == 400, response.content[:300]
    response.content.decode("utf-8")  # the answer itself is valid UTF-8
    product_for(owner[0], "RAW-2")
    response = api.patch(f"{API}/products/RAW-2/", body, content_type="application/json")
    assert response.status_code == 400
    assert not Product.objects.filter(sku="RAW-1").exists()


@pytest.mark.parametrize("name", BAD_CHARACTERS)
def test_row_38_the_shared_validator_gives_the_importers_message(name):
    from django.core.exceptions import ValidationError

    value = f"Lanyue{BAD_CHARACTERS[name]}"
    with pytest.raises(ValidationError) as caught:
        validate_visible_text(value)
    assert caught.value.messages == [importer_message(value)]
    assert caught.value.error_list[0].code == "invisible_characters"
    validate_visible_text("Lanyue 蓝月 Ланьюэ")  # visible text of any script passes


def _seller_refuses(characters: list[str]) -> None:
    seller, user = seller_with_owner(status=SellerStatus.DRAFT)
    client = api_client_for(user)
    for field in SELLER_TEXT_FIELDS:
        for character in characters:
            response = send(client, "patch", f"{API}/seller/", {field: f"Acme{character}"})
            assert response.status_code == 400, (field, character, response.content[:300])
            assert field in response.json()
    stored = Seller.objects.get(pk=seller.pk)
    assert all(getattr(stored, field) == getattr(seller, field) for field in SELLER_TEXT_FIELDS)


def test_row_38_the_seller_application_refuses_nul_and_lone_surrogates():
    _seller_refuses(["\x00", "\ud800", "\udfff"])


def test_row_38_the_seller_application_refuses_zero_width_and_bidi_characters():
    _seller_refuses(["\u200b", "\u202e", "\u2068", "\ufeff"])

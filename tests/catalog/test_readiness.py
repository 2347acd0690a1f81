"""A card is `ready` only when it meets every marketplace rule; each rule names what to fix."""

import json
from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.functional import Promise
from hypothesis import given
from hypothesis import strategies as st

from catalog.readiness import (
    CODES,
    RULES,
    Issue,
    Readiness,
    features_split,
    readiness_check,
)

GOOD = {
    "title_uz": "Simsiz quloqchin Xiaomi Redmi Buds 4",
    "title_ru": "Беспроводные наушники Xiaomi Redmi Buds 4",
    "description_uz": "Bluetooth 5.3, 30 soatgacha ishlaydi.",
    "description_ru": "Bluetooth 5.3, до 30 часов работы.",
    "features_uz": ["Bluetooth 5.3", "30 soatgacha ishlash", "Shovqinni pasaytirish"],
    "features_ru": ["Bluetooth 5.3", "До 30 часов работы", "Шумоподавление"],
    "image_urls": ["https://cdn.example.com/buds-1.jpg"],
    "attributes": {"color": "black", "power_w": 5},
    "required_attributes": ["color"],
    "length_mm": 100,
    "width_mm": 80,
    "height_mm": 40,
    "weight_g": 120,
    "price_uzs": 350_000,
    "category": "electronics.audio.headphones",
    "forbidden_categories": ["adult", "weapons.firearms"],
}


def card(**changes):
    return {**GOOD, **changes}


def found(result: Readiness) -> list[tuple[str, str]]:
    return [(issue.code, issue.field) for issue in result.issues]


EXPECTED_CODES = [
    "title_words",
    "title_capital",
    "uz_cyrillic",
    "ru_missing",
    "features_count",
    "no_images",
    "attribute_missing",
    "dimensions_missing",
    "too_large",
    "value_density",
    "forbidden_category",
]

# (what is wrong, code, field): each change alone makes exactly that one issue.
BAD = [
    ({"title_uz": "Quloqchin"}, "title_words", "title_uz"),
    ({"title_ru": "Наушники Xiaomi"}, "title_words", "title_ru"),
    ({"title_uz": "Quloqchin - Xiaomi"}, "title_words", "title_uz"),
    ({"title_uz": ""}, "title_words", "title_uz"),
    ({"title_uz": "simsiz quloqchin Xiaomi"}, "title_capital", "title_uz"),
    ({"title_ru": "беспроводные наушники Xiaomi"}, "title_capital", "title_ru"),
    ({"title_ru": "«наушники» Xiaomi Buds"}, "title_capital", "title_ru"),
    ({"title_uz": "iPhone 15 uchun gʻilof"}, "title_capital", "title_uz"),
    ({"title_uz": "Симсиз қулоқчин Xiaomi"}, "uz_cyrillic", "title_uz"),
    ({"description_uz": "Блютуз 5.3, 30 соатгача ишлайди."}, "uz_cyrillic", "description_uz"),
    (
        {"features_uz": ["Блютуз 5.3", "Oʻrnatilgan mikrofon", "Suv oʻtkazmaydi"]},
        "uz_cyrillic",
        "features_uz",
    ),
    ({"title_ru": ""}, "ru_missing", "title_ru"),
    ({"title_ru": "   "}, "ru_missing", "title_ru"),
    ({"title_ru": None}, "ru_missing", "title_ru"),
    ({"description_ru": ""}, "ru_missing", "description_ru"),
    ({"features_uz": ["Bluetooth 5.3", "30 soat"]}, "features_count", "features_uz"),
    ({"features_ru": []}, "features_count", "features_ru"),
    ({"features_ru": ["Bluetooth", " ", "", "Шумоподавление"]}, "features_count", "features_ru"),
    ({"features_ru": "Bluetooth | | Шумоподавление"}, "features_count", "features_ru"),
    ({"image_urls": []}, "no_images", "image_urls"),
    ({"image_urls": None}, "no_images", "image_urls"),
    ({"image_urls": ""}, "no_images", "image_urls"),
    ({"attributes": {}}, "attribute_missing", "color"),
    ({"attributes": {"color": ""}}, "attribute_missing", "color"),
    ({"attributes": {"color": None, "power_w": 5}}, "attribute_missing", "color"),
    ({"attributes": {"color": "  "}}, "attribute_missing", "color"),
    ({"attributes": {"color": []}}, "attribute_missing", "color"),
    ({"attributes": None}, "attribute_missing", "color"),
    ({"length_mm": None}, "dimensions_missing", "length_mm"),
    ({"width_mm": None}, "dimensions_missing", "width_mm"),
    ({"height_mm": None}, "dimensions_missing", "height_mm"),
    ({"weight_g": None}, "dimensions_missing", "weight_g"),
    ({"weight_g": 0}, "dimensions_missing", "weight_g"),
    ({"weight_g": -5}, "dimensions_missing", "weight_g"),
    ({"weight_g": "120"}, "dimensions_missing", "weight_g"),
    ({"weight_g": True}, "dimensions_missing", "weight_g"),
    ({"height_mm": 501}, "too_large", "height_mm"),
    ({"length_mm": 1201}, "too_large", "length_mm"),
    ({"length_mm": 100, "width_mm": 1201}, "too_large", "width_mm"),
    ({"length_mm": 900, "width_mm": 900}, "too_large", "width_mm"),
    ({"length_mm": 1200, "width_mm": 801}, "too_large", "width_mm"),
    ({"length_mm": 801, "width_mm": 1200}, "too_large", "length_mm"),
    ({"weight_g": 50_001}, "too_large", "weight_g"),
    ({"price_uzs": 1_599}, "value_density", "price_uzs"),
    ({"category": "adult.toys"}, "forbidden_category", "category"),
    ({"category": "weapons.firearms"}, "forbidden_category", "category"),
    ({"category": "weapons.firearms.rifles"}, "forbidden_category", "category"),
]

GOOD_VARIANTS = [
    {},
    {"title_uz": "小米 simsiz quloqchin"},  # a caseless first letter has no capital to check
    {"title_ru": "小米无线耳机 Buds 4"},
    {"title_uz": "2 in 1 soch quritgich"},  # a digit first passes
    {"title_uz": "«Xiaomi» simsiz quloqchin"},
    {"title_uz": "Yozgi koʻylak Zara"},
    {"description_uz": "", "description_ru": ""},  # no description: no Russian text missing
    {"description_ru": "Только на русском"},
    {"features_uz": "Bluetooth 5.3 | 30 soatgacha ishlash\nShovqinni pasaytirish"},
    {"image_urls": ["https://a.example.com/1.jpg", "https://a.example.com/2.jpg"]},
    {"image_urls": "https://a.example.com/1.jpg|https://a.example.com/2.jpg"},
    {"attributes": {"color": "black"}, "required_attributes": []},
    {"required_attributes": None},
    {"attributes": {"color": 0}},  # a zero is a value
    {"attributes": {"color": False, "power_w": 5}},  # so is "no"
    {"height_mm": 500},
    {"length_mm": 1200, "width_mm": 800},
    {"length_mm": 800, "width_mm": 1200},  # the footprint turns on the shelf
    {"length_mm": 1200, "width_mm": 800, "height_mm": 500, "price_uzs": 2_400_000},
    {"weight_g": 50_000},
    {"price_uzs": None},  # the price is the row rules' business, not readiness
    {"category": "weaponsmith.tools"},  # a forbidden code is a whole segment
    {"category": "electronics.adult"},
    {"forbidden_categories": None},
]


def test_the_rules_have_exactly_the_issue_codes_of_the_contract():
    assert list(CODES) == EXPECTED_CODES


def test_a_card_that_meets_every_rule_is_ready():
    result = readiness_check(GOOD)
    assert result.state == "ready"
    assert result.as_dict() == {"state": "ready", "issues": []}


@pytest.mark.parametrize("changes, code, field", BAD)
def test_each_rule_fires_on_its_bad_input_alone(changes, code, field):
    result = readiness_check(card(**changes))
    assert result.state == "needs_fixes"
    assert found(result) == [(code, field)]


@pytest.mark.parametrize("changes", GOOD_VARIANTS)
def test_good_cards_in_every_shape_are_ready(changes):
    assert found(readiness_check(card(**changes))) == []


def test_every_code_has_a_bad_input_in_the_table():
    assert {code for _, code, _ in BAD} == set(CODES)


@pytest.mark.parametrize(
    "length, width, height, price, dense_enough",
    [
        (1000, 800, 500, 2_000_000, True),  # exactly 5,000,000 so'm per m³
        (1000, 800, 500, 1_999_999, False),
        (1000, 1000, 100, 500_000, True),  # 0.1 m³
        (1000, 1000, 100, 499_999, False),
        (100, 80, 40, 1_600, True),  # 0.00032 m³
        (100, 80, 40, 1_599, False),
    ],
)
def test_value_density_is_compared_with_five_million_som_per_cubic_metre(
    length, width, height, price, dense_enough
):
    result = readiness_check(
        card(length_mm=length, width_mm=width, height_mm=height, price_uzs=price)
    )
    assert ("value_density" not in result.codes) is dense_enough


def test_sizes_and_prices_may_be_decimals_or_floats():
    assert readiness_check(card(price_uzs=Decimal("350000.00"), height_mm=40.0)).state == "ready"
    result = readiness_check(card(height_mm=500.5, price_uzs=Decimal("1599")))
    assert found(result) == [("too_large", "height_mm"), ("value_density", "price_uzs")]
    assert "500.5 mm" in result.issues[0].message


def test_value_density_waits_for_every_side():
    result = readiness_check(card(height_mm=None, price_uzs=1))
    assert found(result) == [("dimensions_missing", "height_mm")]


@pytest.mark.parametrize(
    "length, width",
    [(1200, 800), (800, 1200), (1, 1200), (1200, 1), (800, 800)],
)
def test_a_footprint_within_1200_by_800_fits_however_it_is_turned(length, width):
    assert "too_large" not in readiness_check(card(length_mm=length, width_mm=width)).codes


@pytest.mark.parametrize(
    "length, width",
    [(1201, 800), (800, 1201), (801, 801), (1300, 900), (900, 1300)],
)
def test_a_footprint_beyond_1200_by_800_is_too_large_in_either_orientation(length, width):
    assert readiness_check(card(length_mm=length, width_mm=width)).codes == ["too_large"]


def test_height_is_not_turned_into_the_footprint():
    # 1000 × 300 × 600 would fit lying down, but height is the side the seller gives as height
    result = readiness_check(card(length_mm=1000, width_mm=300, height_mm=600, price_uzs=10**7))
    assert found(result) == [("too_large", "height_mm")]


def test_a_card_with_nothing_lists_everything_to_fill_in():
    result = readiness_check({})
    assert found(result) == [
        ("title_words", "title_uz"),
        ("ru_missing", "title_ru"),
        ("features_count", "features_uz"),
        ("features_count", "features_ru"),
        ("no_images", "image_urls"),
        ("dimensions_missing", "length_mm"),
        ("dimensions_missing", "width_mm"),
        ("dimensions_missing", "height_mm"),
        ("dimensions_missing", "weight_g"),
    ]


def test_one_card_can_carry_many_issues_in_rule_order():
    result = readiness_check(
        card(
            title_uz="шаҳар",
            image_urls=[],
            height_mm=600,
            weight_g=60_000,
            category="adult.toys",
            required_attributes=["color", "size"],
        )
    )
    assert found(result) == [
        ("title_words", "title_uz"),
        ("title_capital", "title_uz"),
        ("uz_cyrillic", "title_uz"),
        ("no_images", "image_urls"),
        ("attribute_missing", "size"),
        ("too_large", "height_mm"),
        ("too_large", "weight_g"),
        ("forbidden_category", "category"),
    ]
    assert result.codes == [
        "title_words",
        "title_capital",
        "uz_cyrillic",
        "no_images",
        "attribute_missing",
        "too_large",
        "forbidden_category",
    ]


def test_every_required_characteristic_is_named_in_its_own_issue():
    result = readiness_check(
        card(
            attributes={"size": "M"},
            required_attributes=["color", "size", "material"],
            attribute_names={"color": "Rang", "material": "Material"},
        )
    )
    assert found(result) == [("attribute_missing", "color"), ("attribute_missing", "material")]
    assert "“Rang”" in result.issues[0].message


# --- messages ---------------------------------------------------------------------------------


def test_every_rule_is_worded_through_gettext():
    for rule in RULES.values():
        assert isinstance(rule.label, Promise) and isinstance(rule.message, Promise)
        assert all(isinstance(message, Promise) for message in rule.kinds.values())


@pytest.mark.parametrize("language", ["en", "ru", "uz", "zh-hans"])
@pytest.mark.parametrize("changes, code, field", BAD)
def test_every_issue_has_a_message_in_the_users_language(language, changes, code, field):
    with translation.override(language):
        (issue,) = readiness_check(card(**changes)).as_dict()["issues"]
    assert set(issue) == {"code", "field", "message"}
    assert issue["message"].strip() and issue["message"] != code
    assert "%(" not in issue["message"]


@pytest.mark.parametrize(
    "changes, words",
    [
        ({"title_uz": "Quloqchin"}, ["Title (Uzbek)", "1 of the 3 words"]),
        ({"title_ru": "наушники Xiaomi Buds"}, ["“Наушники Xiaomi Buds”"]),
        ({"title_uz": "Симсиз қулоқчин Xiaomi"}, ["“Simsiz quloqchin Xiaomi”"]),
        ({"description_ru": ""}, ["Description (Russian)"]),
        ({"features_ru": ["Bluetooth"]}, ["1 of the 3 features"]),
        ({"image_urls": []}, ["3 or more"]),
        ({"attributes": {}}, ["“color”"]),
        ({"weight_g": None}, ["Weight (g)"]),
        ({"height_mm": 650}, ["650 mm", "500 mm"]),
        ({"length_mm": 1300, "width_mm": 700}, ["1,300 × 700 mm", "1,200 × 800 mm"]),
        ({"weight_g": 60_000}, ["60,000 g", "50,000 g"]),
        ({"price_uzs": 1_000}, ["3,125,000 so'm", "5,000,000 so'm"]),
        ({"category": "adult.toys"}, ["“adult.toys”"]),
    ],
)
def test_messages_say_what_is_wrong_with_the_values(changes, words):
    with translation.override("en"):
        (issue,) = readiness_check(card(**changes)).issues
        message = issue.message
    for word in words:
        assert word in message


def test_a_stored_readiness_is_worded_again_when_read():
    result = readiness_check(card(title_ru="", height_mm=700, attributes={}))
    stored = json.loads(json.dumps(result.to_json()))
    again = Readiness.from_json(stored)
    assert again == result
    assert again.as_dict() == result.as_dict()
    assert stored["state"] == "needs_fixes"


def test_a_stored_readiness_drops_codes_it_no_longer_knows():
    stored = {"state": "needs_fixes", "issues": [{"code": "retired", "field": "sku"}]}
    assert Readiness.from_json(stored).state == "ready"
    assert Readiness.from_json(None).state == "ready"
    assert Readiness.from_json(
        {"issues": [{"code": "no_images", "field": "image_urls"}]}
    ).codes == ["no_images"]


def test_an_issue_is_worded_from_its_code_and_field():
    issue = Issue("ru_missing", "title_ru")
    assert issue.as_dict()["field"] == "title_ru"
    assert "Title (Russian)" in issue.message


# --- features in a file cell ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, features",
    [
        ("Bluetooth 5.3|30 soat|Mikrofon", ["Bluetooth 5.3", "30 soat", "Mikrofon"]),
        ("Bluetooth 5.3\n30 soat\r\nMikrofon", ["Bluetooth 5.3", "30 soat", "Mikrofon"]),
        (" Bluetooth | | 30 soat |\n\n Mikrofon ", ["Bluetooth", "30 soat", "Mikrofon"]),
        ("Один пункт", ["Один пункт"]),
        ("蓝牙 5.3|续航30小时", ["蓝牙 5.3", "续航30小时"]),
        ("a, b, c", ["a, b, c"]),  # commas belong to a feature
        ("|||", []),
        ("   ", []),
        ("", []),
        (None, []),
    ],
)
def test_features_split_on_bars_and_new_lines(text, features):
    assert features_split(text) == features


@given(st.text())
def test_split_features_are_trimmed_and_never_empty(text):
    for feature in features_split(text):
        assert feature and feature == feature.strip()
        assert "|" not in feature and "\n" not in feature and "\r" not in feature

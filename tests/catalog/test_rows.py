"""The row rules: every parser and every error code of DESIGN.md "Row rules"."""

import pytest

from catalog.importing.messages import message_for
from catalog.importing.rows import (
    NUMBER_BOUNDS,
    CardMemo,
    Lookups,
    gtin_check_digit,
    parse_barcode,
    parse_ikpu,
    parse_image_urls,
    title_style_ok,
    validate_record,
    validate_texts,
)
from portal.tabular import TableError

LOOKUPS = Lookups(
    brands={"lanyue": 1, "蓝月": 1, "jinma": 2, "金马": 2},
    brand_names=["Jinma", "Lanyue"],
    categories={"shoes.sneakers": (10, True), "shoes": (9, False)},
)
VALID = {
    "sku": "LY-1",
    "title_uz": "Lanyue Elektr choynak C271",
    "title_ru": "Электрочайник Lanyue C271, розовый",
    "brand": "Lanyue",
    "category": "shoes.sneakers",
    "price_uzs": "29 477 000",
    "stock": "241",
    "barcode": "6970669074398",
    "ikpu": "60008063608377835",
    "weight_g": "7615",
    "image_urls": "https://img.example.com/0/0.jpg|https://img.example.com/0/1.jpg",
}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", ""),
        ("6970669074398", "6970669074398"),  # EAN-13
        ("96385074", "96385074"),  # EAN-8
        ("036000291452", "036000291452"),  # UPC-A
        (" 6970669074398 ", "6970669074398"),
    ],
)
def test_it_accepts_barcodes_with_correct_check_digits(text, expected):
    assert parse_barcode(text) == expected


@pytest.mark.parametrize(
    "text, code",
    [
        ("6970669074399", "bad_check_digit"),
        ("96385075", "bad_check_digit"),
        ("036000291453", "bad_check_digit"),
        ("4.60123E+12", "scientific_notation"),
        ("6,90123E+12", "scientific_notation"),
        ("12345", "invalid_barcode"),
        ("69706690743980", "invalid_barcode"),
        ("ABC", "invalid_barcode"),
        ("6970669074398.0", "invalid_barcode"),
    ],
)
def test_row_03_it_rejects_bad_barcodes_with_their_codes(text, code):
    with pytest.raises(TableError) as error:
        parse_barcode(text)
    assert error.value.code == code


def test_it_names_the_expected_check_digit():
    with pytest.raises(TableError) as error:
        parse_barcode("6970669074399")
    assert error.value.params["expected"] == 8 == gtin_check_digit("697066907439")
    assert "8" in message_for(error.value.code, error.value.params)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("60008063608377835", "60008063608377835"),
        ("10.71.11.100.000.00.000", "10711110000000000"),
        ("01107043419254122", "01107043419254122"),
    ],
)
def test_it_accepts_ikpu_codes(text, expected):
    assert parse_ikpu(text) == expected


@pytest.mark.parametrize(
    "text, hint",
    [
        ("1107043419254122", "leading_zero"),
        ("6.0008E+16", "scientific"),
        ("123", None),
        ("10.71.11.100", None),
        ("600080636083778350", None),
    ],
)
def test_row_03_it_rejects_bad_ikpu_codes_with_a_hint(text, hint):
    with pytest.raises(TableError) as error:
        parse_ikpu(text)
    assert error.value.code == "invalid_ikpu"
    assert error.value.params.get("hint") == hint


def test_row_03_it_says_a_16_digit_ikpu_lost_its_leading_zero():
    message = message_for("invalid_ikpu", {"value": "1107043419254122", "hint": "leading_zero"})
    assert "leading" in message and "zero" in message


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", []),
        ("https://a.example.com/1.jpg", ["https://a.example.com/1.jpg"]),
        (
            "http://a.example.com/1.jpg | https://b.example.com/2.png",
            ["http://a.example.com/1.jpg", "https://b.example.com/2.png"],
        ),
        (
            "https://a.example.com/1.jpg\nhttps://a.example.com/2.jpg",
            ["https://a.example.com/1.jpg", "https://a.example.com/2.jpg"],
        ),
        (
            "https://a.example.com/1.jpg https://a.example.com/2.jpg",
            ["https://a.example.com/1.jpg", "https://a.example.com/2.jpg"],
        ),
    ],
)
def test_it_splits_image_urls(text, expected):
    assert parse_image_urls(text) == expected


@pytest.mark.parametrize(
    "text, code",
    [
        ("ftp://a.example.com/1.jpg", "invalid_url"),
        ("javascript:alert(1)", "invalid_url"),
        ("img.jpg", "invalid_url"),
        ("https://localhost/1.jpg", "invalid_url"),
        ("|".join(f"https://a.example.com/{i}.jpg" for i in range(11)), "too_many"),
    ],
)
def test_it_rejects_bad_image_urls(text, code):
    with pytest.raises(TableError) as error:
        parse_image_urls(text)
    assert error.value.code == code


@pytest.mark.parametrize(
    "title, ok",
    [
        ("Lanyue Elektr choynak C271", True),
        ("Электрочайник Lanyue C271", True),
        ("choynak Lanyue C271", False),
        ("Choynak C271", False),
        ("123 Choynak Lanyue", False),
        ("蓝月 Simsiz quloqchin C379", True),  # a caseless script first: nothing to capitalise
    ],
)
def test_it_checks_the_marketplace_title_style(title, ok):
    assert title_style_ok(title) is ok


def test_it_turns_a_valid_record_into_model_values():
    values, problems = validate_record(VALID, LOOKUPS)
    assert problems == []
    assert values["price_uzs"] == 29_477_000
    assert values["brand_id"] == 1
    assert values["category_id"] == 10
    assert values["image_urls"] == [
        "https://img.example.com/0/0.jpg",
        "https://img.example.com/0/1.jpg",
    ]
    assert values["length_mm"] is None


@pytest.mark.parametrize(
    "changes, column, code",
    [
        ({"sku": ""}, "sku", "required"),
        ({"sku": "X" * 65}, "sku", "too_long"),
        ({"title_uz": ""}, "title_uz", "required"),
        ({"title_ru": " "}, "title_ru", "required"),
        ({"title_ru": "Б" * 256}, "title_ru", "too_long"),
        ({"brand": "Xiaomi"}, "brand", "unknown_brand"),
        ({"brand": ""}, "brand", "required"),
        ({"category": "no.such.code"}, "category", "unknown_category"),
        ({"category": "shoes"}, "category", "not_leaf_category"),
        ({"price_uzs": "12500,50"}, "price_uzs", "fractional_som"),
        ({"price_uzs": "0"}, "price_uzs", "not_positive"),
        ({"price_uzs": "-100"}, "price_uzs", "not_positive"),
        ({"price_uzs": "cheap"}, "price_uzs", "invalid_number"),
        ({"price_uzs": "1.2E+3"}, "price_uzs", "invalid_number"),
        ({"price_uzs": ""}, "price_uzs", "required"),
        ({"stock": "-1"}, "stock", "negative"),
        ({"stock": "many"}, "stock", "invalid_number"),
        ({"barcode": "6970669074399"}, "barcode", "bad_check_digit"),
        ({"barcode": "6.97067E+12"}, "barcode", "scientific_notation"),
        ({"barcode": "123"}, "barcode", "invalid_barcode"),
        ({"ikpu": "1234"}, "ikpu", "invalid_ikpu"),
        ({"ikpu": ""}, "ikpu", "required"),
        ({"weight_g": "0"}, "weight_g", "not_positive"),
        ({"weight_g": "50001"}, "weight_g", "too_heavy"),
        ({"weight_g": "heavy"}, "weight_g", "invalid_number"),
        ({"length_mm": "0"}, "length_mm", "not_positive"),
        ({"width_mm": "1,5"}, "width_mm", "invalid_number"),
        ({"image_urls": "not a url"}, "image_urls", "invalid_url"),
        ({"image_urls": " ".join(["https://a.example.com/x.jpg"] * 11)}, "image_urls", "too_many"),
    ],
)
def test_it_rejects_a_record_with_the_code_of_the_rule(changes, column, code):
    values, problems = validate_record({**VALID, **changes}, LOOKUPS)
    assert values is None
    assert (column, code) in [(p.column, p.code) for p in problems if p.severity == "error"]
    for problem in problems:  # every code has a message (never the bare code)
        assert message_for(problem.code, problem.params) != problem.code


def test_it_accepts_the_weight_limit_exactly():
    values, _problems = validate_record({**VALID, "weight_g": "50 000"}, LOOKUPS)
    assert values["weight_g"] == 50_000


def test_it_finds_brands_by_chinese_name_and_case_insensitively():
    for brand in ("蓝月", "LANYUE", " lanyue "):
        values, _problems = validate_record({**VALID, "brand": brand}, LOOKUPS)
        assert values["brand_id"] == 1


def test_it_warns_about_title_style_without_rejecting_the_row():
    values, problems = validate_record({**VALID, "title_uz": "choynak"}, LOOKUPS)
    assert values is not None
    assert [(p.column, p.code, p.severity) for p in problems] == [
        ("title_uz", "title_style", "warning")
    ]


def test_row_09_it_stores_formula_like_text_as_typed():
    values, _problems = validate_record(
        {
            **VALID,
            "description_ru": '=HYPERLINK("http://evil")',
            "title_ru": "@Команда Lanyue C271",
        },
        LOOKUPS,
    )
    assert values["description_ru"] == '=HYPERLINK("http://evil")'
    assert values["title_ru"] == "@Команда Lanyue C271"


def test_it_lists_the_sellers_brands_in_the_unknown_brand_message():
    _values, problems = validate_record({**VALID, "brand": "Xiaomi"}, LOOKUPS)
    problem = next(p for p in problems if p.code == "unknown_brand")
    assert "Lanyue" in message_for(problem.code, problem.params)


# --- out-of-range numbers -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "text", "bounds"),
    [
        ("price_uzs", "99999999999999999999", (1, 10**12)),
        ("price_uzs", "9" * 5000, (1, 10**12)),
        ("price_uzs", "1 000 000 000 001 so'm", (1, 10**12)),
        ("price_uzs", "-" + "9" * 5000, (1, 10**12)),
        ("stock", "3000000000", (0, 10**7)),
        ("stock", "10 000 001", (0, 10**7)),
        ("weight_g", "1" * 4400, (1, 50_000)),
        ("length_mm", "100001", (1, 10**5)),
        ("width_mm", "9" * 5000, (1, 10**5)),
        ("height_mm", "2147483648", (1, 10**5)),
    ],
    ids=lambda value: value[:24] if isinstance(value, str) else None,
)
def test_row_36_it_rejects_numbers_out_of_range_with_their_bounds(column, text, bounds):
    values, problems = validate_record({**VALID, column: text}, LOOKUPS)
    assert values is None
    [problem] = [p for p in problems if p.column == column]
    assert problem.code == "out_of_range"
    assert problem.params == {"min": bounds[0], "max": bounds[1]}
    message = message_for(problem.code, problem.params)
    assert str(bounds[1]) in message.replace(" ", "").replace(",", "")


def test_row_36_it_accepts_each_bound_exactly():
    record = {
        **VALID,
        "price_uzs": "1 000 000 000 000",
        "stock": "10000000",
        "length_mm": "100000",
        "width_mm": "1",
        "height_mm": "100 000",
    }
    values, problems = validate_record(record, LOOKUPS)
    assert [p for p in problems if p.severity == "error"] == []
    assert values["price_uzs"] == 10**12 and values["stock"] == 10**7
    assert values["length_mm"] == values["height_mm"] == 10**5


def test_row_36_a_weight_above_the_parcel_limit_is_still_too_heavy():
    _values, problems = validate_record({**VALID, "weight_g": "60000"}, LOOKUPS)
    assert [(p.column, p.code) for p in problems] == [("weight_g", "too_heavy")]


@pytest.mark.parametrize(
    ("column", "value", "code"),
    [
        ("price_uzs", 10**19, "out_of_range"),
        ("price_uzs", [1], "invalid_type"),
        ("price_uzs", {"amount": 1}, "invalid_type"),
        ("price_uzs", True, "invalid_type"),
        ("price_uzs", 1e300, "invalid_number"),
        ("price_uzs", float("inf"), "invalid_number"),
        ("stock", [5], "invalid_type"),
        ("weight_g", 10**4400, "out_of_range"),
        ("sku", ["A", "B"], "invalid_type"),
        ("title_uz", {"uz": "Nomi"}, "invalid_type"),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, int | float) else str(value)[:24],
)
def test_row_36_it_refuses_a_value_of_the_wrong_kind_from_the_api(column, value, code):
    values, problems = validate_record({**VALID, column: value}, LOOKUPS)
    assert values is None
    assert (column, code) in [(p.column, p.code) for p in problems]
    for problem in problems:
        assert message_for(problem.code, problem.params) != problem.code


def test_row_36_each_number_column_names_its_bounds_once():
    assert {name: (b.minimum, b.maximum) for name, b in NUMBER_BOUNDS.items()} == {
        "price_uzs": (1, 10**12),
        "stock": (0, 10**7),
        "weight_g": (1, 50_000),
        "length_mm": (1, 10**5),
        "width_mm": (1, 10**5),
        "height_mm": (1, 10**5),
    }


# --- a card's cells checked once for its variants ------------------------------------------

VARIANT = {**VALID, "group": "LY-C271", "features_uz": "Tez|Tejamkor|Xavfsiz"}
SEQUENCES = {
    "variants of one card": [
        VARIANT,
        {**VARIANT, "sku": "LY-2", "price_uzs": "31 000 000"},
        {**VARIANT, "sku": "LY-3", "barcode": "6970669074399"},  # its own error
        {**VARIANT, "sku": "", "stock": "-1", "group": "G" * 65},  # three of its own
        {**VARIANT, "sku": "LY-5"},
    ],
    "a card with a warning": [
        {**VARIANT, "title_ru": "чайник"},
        {**VARIANT, "sku": "LY-2", "title_ru": "чайник"},
        {**VARIANT, "sku": "LY-3", "title_ru": "чайник", "price_uzs": "abc"},
    ],
    "a card with an error": [
        {**VARIANT, "brand": "Nobody"},
        {**VARIANT, "sku": "LY-2", "brand": "Nobody", "stock": "x"},
        {**VARIANT, "sku": "LY-3"},
    ],
    "cards that differ in one cell": [
        VARIANT,
        {**VARIANT, "sku": "LY-2", "image_urls": "https://img.example.com/0/9.jpg"},
        {**VARIANT, "sku": "LY-3", "category": "shoes"},
        {**VARIANT, "sku": "LY-4", "features_ru": "a|b|c"},
        {**VARIANT, "sku": "LY-5"},
    ],
}


@pytest.mark.parametrize("rows", SEQUENCES.values(), ids=SEQUENCES.keys())
def test_a_cards_variants_get_what_checking_each_row_alone_gives(rows):
    memo = CardMemo()
    for row in rows:
        assert validate_texts(row, LOOKUPS, memo) == validate_texts(row, LOOKUPS)


def test_the_next_variant_takes_the_cards_checked_values():
    memo = CardMemo()
    first, _ = validate_texts(VARIANT, LOOKUPS, memo)
    serial = memo.serial
    second, problems = validate_texts({**VARIANT, "sku": "LY-2", "stock": "7"}, LOOKUPS, memo)
    assert problems == [] and memo.serial == serial
    assert second["features_uz"] is first["features_uz"]  # parsed once
    assert (second["sku"], second["stock"], second["brand_id"]) == ("LY-2", 7, 1)
    validate_texts({**VARIANT, "title_uz": "Boshqa choynak modeli"}, LOOKUPS, memo)
    assert memo.serial == serial + 1


def test_a_cards_cells_with_a_problem_are_checked_again_on_every_row():
    memo = CardMemo()
    row = {**VARIANT, "title_ru": "чайник"}
    validate_texts(row, LOOKUPS, memo)
    serial = memo.serial
    _, problems = validate_texts({**row, "sku": "LY-2"}, LOOKUPS, memo)
    assert [(p.column, p.code) for p in problems] == [("title_ru", "title_style")]
    assert memo.serial == serial + 1

"""Characteristic values and headers as sellers write them: tables of what is accepted, what is
stored, and the coded refusals."""

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from catalog.attribute_values import (
    OptionIndex,
    attribute_for_header,
    fold,
    parse_attribute_value,
    parse_number,
)
from catalog.models import Attribute, AttributeOption
from portal.tabular import TableError


def _attribute(code: str, type_: str, unit: str = "", **names: str) -> Attribute:
    return Attribute(
        code=code,
        type=type_,
        unit=unit,
        name_en=names.get("en", code),
        name_ru=names.get("ru", code),
        name_uz=names.get("uz", code),
        name_zh=names.get("zh", code),
    )


COLOUR = _attribute("colour", "enum", en="Colour", ru="Цвет", uz="Rang", zh="颜色")
SIZE = _attribute("size", "enum", en="Size", ru="Размер", uz="Oʻlcham", zh="尺码")
MEMORY = _attribute(
    "memory", "enum", en="Built-in memory", ru="Встроенная память", uz="Ichki xotira", zh="存储容量"
)
WATERPROOF = _attribute(
    "waterproof", "boolean", en="Waterproof", ru="Влагозащита", uz="Suvdan himoya", zh="防水"
)
BATTERY = _attribute(
    "battery_capacity",
    "number",
    "mAh",
    en="Battery capacity",
    ru="Ёмкость аккумулятора",
    uz="Batareya sigʻimi",
    zh="电池容量",
)
SCREEN = _attribute(
    "screen_size",
    "number",
    "in",
    en="Screen size",
    ru="Диагональ экрана",
    uz="Ekran diagonali",
    zh="屏幕尺寸",
)
COUNT = _attribute("sim_count", "number", en="Number of SIM cards")
MODEL = _attribute(
    "compatible_model",
    "text",
    en="Compatible phone model",
    ru="Модель телефона",
    uz="Telefon modeli",
    zh="适用机型",
)


def _option(code: str, en: str, ru: str, uz: str, zh: str) -> AttributeOption:
    return AttributeOption(code=code, name_en=en, name_ru=ru, name_uz=uz, name_zh=zh)


COLOURS = [
    _option("black", "Black", "Чёрный", "Qora", "黑色"),
    _option("white", "White", "Белый", "Oq", "白色"),
    _option("blue", "Blue", "Синий", "Koʻk", "蓝色"),
    _option("navy", "Navy", "Тёмно-синий", "Toʻq koʻk", "藏青色"),
    _option("light_blue", "Light blue", "Голубой", "Havorang", "浅蓝色"),
]
SIZES = [_option(c, c.upper(), c.upper(), c.upper(), c.upper()) for c in ("s", "m", "xl", "xxl")]
MEMORIES = [
    _option("128gb", "128 GB", "128 ГБ", "128 GB", "128GB"),
    _option("1tb", "1 TB", "1 ТБ", "1 TB", "1TB"),
]


@pytest.mark.parametrize(
    ("attribute", "options", "text", "stored"),
    [
        (COLOUR, COLOURS, "black", "black"),  # the code
        (COLOUR, COLOURS, "Black", "black"),
        (COLOUR, COLOURS, "BLACK", "black"),
        (COLOUR, COLOURS, "Чёрный", "black"),
        (COLOUR, COLOURS, "черный", "black"),  # ё typed as е
        (COLOUR, COLOURS, "ЧЁРНЫЙ", "black"),
        (COLOUR, COLOURS, "qora", "black"),
        (COLOUR, COLOURS, "黑色", "black"),
        (COLOUR, COLOURS, "  黑色 ", "black"),
        (COLOUR, COLOURS, "ｂｌａｃｋ", "black"),  # full-width
        (COLOUR, COLOURS, "Ｂｌａｃｋ", "black"),
        (COLOUR, COLOURS, "koʻk", "blue"),
        (COLOUR, COLOURS, "ko'k", "blue"),  # every apostrophe Uzbek is typed with
        (COLOUR, COLOURS, "ko`k", "blue"),
        (COLOUR, COLOURS, "ko’k", "blue"),
        (COLOUR, COLOURS, "TOʻQ KOʻK", "navy"),
        (COLOUR, COLOURS, "тёмно-синий", "navy"),
        (COLOUR, COLOURS, "Light Blue", "light_blue"),
        (COLOUR, COLOURS, "light_blue", "light_blue"),
        (COLOUR, COLOURS, "голубой", "light_blue"),
        (SIZE, SIZES, "xl", "xl"),
        (SIZE, SIZES, "ＸＬ", "xl"),
        (SIZE, SIZES, "XXL", "xxl"),
        (MEMORY, MEMORIES, "128 GB", "128gb"),
        (MEMORY, MEMORIES, "128GB", "128gb"),
        (MEMORY, MEMORIES, "128 гб", "128gb"),
        (MEMORY, MEMORIES, "1 TB", "1tb"),
        (MEMORY, MEMORIES, "1ТБ", "1tb"),
    ],
)
def test_it_stores_an_enum_value_in_any_language_as_the_option_code(
    attribute, options, text, stored
):
    assert parse_attribute_value(attribute, text, options) == stored
    assert parse_attribute_value(attribute, text, OptionIndex.build(options)) == stored


@pytest.mark.parametrize(
    ("text", "language", "allowed"),
    [
        ("чорний", "ru", "Чёрный, Белый, Синий, Тёмно-синий, Голубой"),  # a typo
        ("Blak", "en", "Black, White, Blue, Navy, Light blue"),
        ("qizil", "uz", "Qora, Oq, Koʻk, Toʻq koʻk, Havorang"),  # a colour not offered
        ("红色", "zh", "黑色, 白色, 蓝色, 藏青色, 浅蓝色"),
        ("black!", "fr", "Black, White, Blue, Navy, Light blue"),  # unknown language: English
    ],
)
def test_it_refuses_an_unknown_enum_value_listing_the_allowed_ones_in_the_language(
    text, language, allowed
):
    with pytest.raises(TableError) as caught:
        parse_attribute_value(COLOUR, text, COLOURS, language=language)
    assert caught.value.code == "unknown_value"
    assert caught.value.params == {"value": text, "allowed": allowed}


def test_the_allowed_values_follow_the_active_language_by_default():
    with translation.override("ru"), pytest.raises(TableError) as caught:
        parse_attribute_value(SIZE, "XXXXL", SIZES)
    assert caught.value.params["allowed"] == "S, M, XL, XXL"


def test_an_enum_value_of_another_attribute_is_refused():
    with pytest.raises(TableError) as caught:
        parse_attribute_value(SIZE, "Black", SIZES)
    assert caught.value.code == "unknown_value"


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("yes", True),
        ("Yes", True),
        ("YES", True),
        ("true", True),
        ("TRUE", True),
        ("1", True),
        ("１", True),
        ("да", True),
        ("Да", True),
        ("ha", True),
        ("Ha", True),
        ("是", True),
        ("no", False),
        ("No", False),
        ("false", False),
        ("0", False),
        ("нет", False),
        ("Нет", False),
        ("yoʻq", False),
        ("yo'q", False),
        ("yo‘q", False),
        ("yoq", False),
        ("Yoʻq", False),
        ("否", False),
        (" 否 ", False),
    ],
)
def test_it_reads_a_boolean_in_any_of_the_four_languages(text, stored):
    assert parse_attribute_value(WATERPROOF, text) is stored


@pytest.mark.parametrize(
    ("text", "language", "allowed"),
    [
        ("maybe", "en", "yes, no"),
        ("2", "ru", "да, нет"),
        ("balki", "uz", "ha, yoʻq"),
        ("也许", "zh", "是, 否"),
    ],
)
def test_it_refuses_another_word_for_a_boolean(text, language, allowed):
    with pytest.raises(TableError) as caught:
        parse_attribute_value(WATERPROOF, text, language=language)
    assert (caught.value.code, caught.value.params) == (
        "unknown_value",
        {"value": text, "allowed": allowed},
    )


@pytest.mark.parametrize(
    ("attribute", "text", "stored"),
    [
        (BATTERY, "5000", 5000),
        (BATTERY, "5000 mAh", 5000),
        (BATTERY, "5000mAh", 5000),
        (BATTERY, "5000 MAH", 5000),
        (BATTERY, "5000 мАч", 5000),
        (BATTERY, "5000毫安", 5000),
        (BATTERY, "10 000", 10000),
        (BATTERY, "10\u00a0000 mAh", 10000),
        (BATTERY, "５０００", 5000),
        (BATTERY, "5000.0", 5000),
        (SCREEN, "6.1", 6.1),
        (SCREEN, "6,1", 6.1),
        (SCREEN, "6,1 in", 6.1),
        (SCREEN, '6.7"', 6.7),
        (SCREEN, "55 дюймов", 55),
        (SCREEN, "6.5英寸", 6.5),
        (COUNT, "2", 2),
        (COUNT, "+2", 2),
        (COUNT, "007", 7),
    ],
)
def test_it_reads_a_number_with_a_decimal_comma_or_dot_and_its_unit(attribute, text, stored):
    value = parse_attribute_value(attribute, text)
    assert value == stored
    assert type(value) is type(stored)


@pytest.mark.parametrize(
    ("attribute", "text"),
    [
        (BATTERY, "five thousand"),
        (BATTERY, "5000 W"),  # another unit
        (BATTERY, "5000 mAh mAh"),
        (BATTERY, "5.000.000"),
        (BATTERY, "1e3"),
        (BATTERY, "5000-6000"),
        (BATTERY, "mAh"),
        (BATTERY, "9" * 40),
        (SCREEN, "6,1,2"),
        (SCREEN, ".5"),
        (SCREEN, "6."),
        (COUNT, "2 pcs"),  # a number without a unit takes none
        (COUNT, "NaN"),
        (COUNT, "inf"),
    ],
)
def test_it_refuses_what_is_not_a_number(attribute, text):
    with pytest.raises(TableError) as caught:
        parse_attribute_value(attribute, text)
    assert (caught.value.code, caught.value.params) == ("invalid_number", {"value": text})


@given(st.integers(min_value=-(10**15) + 1, max_value=10**15 - 1))
def test_any_whole_number_reads_back(number):
    assert parse_number(str(number)) == number
    assert parse_number(f"{number} mAh", "mAh") == number


@pytest.mark.parametrize(
    ("text", "stored"),
    [("  iPhone 15 Pro  ", "iPhone 15 Pro"), ("Redmi Note 13\n", "Redmi Note 13"), ("一", "一")],
)
def test_it_stores_text_stripped(text, stored):
    assert parse_attribute_value(MODEL, text) == stored


def test_it_refuses_a_text_longer_than_255_characters():
    with pytest.raises(TableError) as caught:
        parse_attribute_value(MODEL, "x" * 256)
    assert (caught.value.code, caught.value.params) == ("too_long", {"max": 255, "length": 256})


@pytest.mark.parametrize("attribute", [COLOUR, WATERPROOF, BATTERY, MODEL])
@pytest.mark.parametrize("text", [None, "", "   ", "\t\n"])
def test_an_empty_cell_is_no_value_and_no_error(attribute, text):
    assert parse_attribute_value(attribute, text, COLOURS) is None


# --- headers --------------------------------------------------------------------------------

ATTRIBUTES = [COLOUR, SIZE, MEMORY, WATERPROOF, BATTERY, SCREEN, MODEL]


@pytest.mark.parametrize(
    ("header", "code"),
    [
        ("colour", "colour"),
        ("Colour", "colour"),
        ("COLOUR", "colour"),
        ("Цвет", "colour"),
        ("цвет", "colour"),
        ("Rang", "colour"),
        ("颜色", "colour"),
        (" 颜色 ", "colour"),
        ("Размер", "size"),
        ("Oʻlcham", "size"),
        ("O'lcham", "size"),
        ("o‘lcham", "size"),
        ("尺码", "size"),
        ("Built-in memory", "memory"),
        ("built-in  MEMORY", "memory"),
        ("ВСТРОЕННАЯ ПАМЯТЬ", "memory"),
        ("存储容量", "memory"),
        ("ｍｅｍｏｒｙ", "memory"),
        ("battery_capacity", "battery_capacity"),
        ("Ёмкость аккумулятора", "battery_capacity"),
        ("Емкость аккумулятора", "battery_capacity"),
        ("Batareya sigʻimi", "battery_capacity"),
        ("电池容量", "battery_capacity"),
        ("Screen size", "screen_size"),
        ("Screensize", "screen_size"),
        ("防水", "waterproof"),
        ("Suvdan himoya", "waterproof"),
        ("适用机型", "compatible_model"),
    ],
)
def test_a_header_names_an_attribute_by_its_code_or_any_of_its_names(header, code):
    found = attribute_for_header(header, ATTRIBUTES)
    assert found is not None and found.code == code


@pytest.mark.parametrize(
    "header", ["", "   ", "Price", "Цена", "Colours", "颜色色", "Material", "color", "памят"]
)
def test_a_header_that_names_no_attribute_is_none(header):
    assert attribute_for_header(header, ATTRIBUTES) is None


def test_folding_ignores_width_case_spaces_and_the_kind_of_apostrophe():
    assert fold("ＴＯʻＱ  Koʼk") == fold("to'q kok".replace("kok", "ko'k")) == "to'qko'k"
    assert fold("Ёлка") == fold("елка")


@given(st.text(max_size=60))
def test_any_text_is_a_value_or_a_coded_refusal_never_a_crash(text):
    for attribute, options in ((COLOUR, COLOURS), (WATERPROOF, ()), (BATTERY, ()), (MODEL, ())):
        try:
            parse_attribute_value(attribute, text, options)
        except TableError as error:
            assert error.code in {"unknown_value", "invalid_number", "too_long"}


@given(st.sampled_from(COLOURS), st.sampled_from(["en", "ru", "uz", "zh"]), st.data())
def test_an_option_name_in_any_case_still_means_the_option(option, language, data):
    name = getattr(option, f"name_{language}")
    flips = data.draw(st.lists(st.booleans(), min_size=len(name), max_size=len(name)))
    mixed = "".join(
        ch.upper() if flip else ch.lower() for ch, flip in zip(name, flips, strict=True)
    )
    assert parse_attribute_value(COLOUR, mixed, COLOURS) == option.code

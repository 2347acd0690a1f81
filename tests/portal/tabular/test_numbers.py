"""Numbers as people and spreadsheets write them: prices, whole numbers and report amounts."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.tabular import Bounds, TableError, parse_som, parse_whole, parse_whole_number

# --- parse_som and parse_whole_number (the catalog's row rules) -----------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("12500", 12500),
        ("12 500", 12500),
        ("12 500,00", 12500),
        ("12500.00", 12500),
        ("12,500", 12500),
        ("12,500.00", 12500),
        ("12.500,00", 12500),
        ("12.500", 12500),
        ("1.234.567", 1234567),
        ("12\u00a0500,00", 12500),
        ("12\u202f500", 12500),
        ("12\u2009500", 12500),
        ("１２５００", 12500),
        ("４５００", 4500),
        ("4 120 000 so'm", 4120000),
        ("4 120 000 so‘m", 4120000),
        ("31 087 000,00 сум", 31087000),
        ("12 500 UZS", 12500),
        ("  7000  ", 7000),
    ],
)
def test_row_02_it_parses_prices_as_locales_write_them(text, expected):
    assert parse_som(text) == expected


@pytest.mark.parametrize(
    "text, code",
    [
        ("12,5", "fractional_som"),
        ("12.50", "fractional_som"),
        ("12 500,50", "fractional_som"),
        ("1234,567", "fractional_som"),
        ("1.2E+3", "invalid_number"),
        ("abc", "invalid_number"),
        ("1,2,3", "invalid_number"),
        ("12..5", "invalid_number"),
        ("", "invalid_number"),
        ("$12", "invalid_number"),
    ],
)
def test_row_02_it_rejects_prices_it_cannot_read_without_guessing(text, code):
    with pytest.raises(TableError) as error:
        parse_som(text)
    assert error.value.code == code


def _group(digits: str, separator: str) -> str:
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return separator.join(groups)


LOCALE_STYLES = [
    lambda n: str(n),
    lambda n: _group(str(n), " "),
    lambda n: _group(str(n), "\u00a0") + ",00",
    lambda n: _group(str(n), "\u202f") + " сум",
    lambda n: _group(str(n), ",") + ".00",
    lambda n: _group(str(n), ".") + ",00",
    lambda n: f"{n}.00",
    lambda n: _group(str(n), " ") + " so'm",
    lambda n: str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９")),
]


@given(st.integers(min_value=1, max_value=10**15), st.sampled_from(LOCALE_STYLES))
def test_row_02_it_parses_back_every_price_formatted_in_a_locale_style(number, style):
    assert parse_som(style(number)) == number


@pytest.mark.parametrize(
    "text, expected",
    [
        ("0", 0),
        ("1 200", 1200),
        ("1200 g", 1200),
        ("1200 г", 1200),
        ("３５０", 350),
        ("5.000", 5000),
    ],
)
def test_row_02_it_parses_whole_numbers(text, expected):
    assert parse_whole_number(text) == expected


@pytest.mark.parametrize("text", ["1.5", "12,5", "x", "1e3"])
def test_row_02_it_rejects_whole_numbers_with_fractions_or_junk(text):
    with pytest.raises(TableError) as error:
        parse_whole_number(text)
    assert error.value.code == "invalid_number"


# --- parse_whole (sales reports) ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12500", 12500),
        ("12 500", 12500),
        ("12\u00a0500,00", 12500),
        ("12,500", 12500),
        ("12500.00", 12500),
        ("4 120 000 so'm", 4120000),
        ("31 087 000,00 сум", 31087000),
        ("100 UZS", 100),
        ("０", 0),
        ("-0", 0),
    ],
)
def test_it_parses_whole_numbers_as_spreadsheets_write_them(text, value):
    assert parse_whole(text) == value


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "required"),
        ("-5", "negative"),
        ("1.5", "fractional"),
        ("1,5", "fractional"),
        ("1.2E+3", "scientific_notation"),
        ("abc", "invalid_number"),
        ("1 2 3x", "invalid_number"),
    ],
)
def test_it_names_what_is_wrong_with_a_number(text, code):
    with pytest.raises(TableError) as caught:
        parse_whole(text)
    assert caught.value.code == code


@settings(max_examples=200, database=None)
@given(st.integers(min_value=0, max_value=10**15))
def test_it_reads_back_any_whole_number_with_group_spaces(number):
    assert parse_whole(f"{number:,}".replace(",", " ")) == number
    assert parse_whole(str(number)) == number


# --- one list of currency words -------------------------------------------------------------


@pytest.mark.parametrize(
    "word", ["сум", "сўм", "so'm", "so‘m", "soʻm", "som", "sum", "UZS", "uzs."]
)
def test_both_money_parsers_take_the_same_currency_words(word):
    assert parse_som(f"12 500 {word}") == parse_whole(f"12 500 {word}") == 12500


def test_it_reads_a_typeset_minus_sign_in_a_report_as_negative():
    with pytest.raises(TableError) as caught:
        parse_whole("−5")
    assert caught.value.code == "negative"
    assert caught.value.params == {"value": "−5"}


# --- bounds: digits counted before int() ----------------------------------------------------

HUGE = ["9" * 5000, "1" * 4400, "99999999999999999999", "-" + "9" * 5000, "9" * 4000 + ",00"]
HUGE_IDS = ["5000-nines", "4400-ones", "20-digits", "negative-5000", "4000-with-fraction"]


@pytest.mark.parametrize("parse", [parse_som, parse_whole_number, parse_whole])
@pytest.mark.parametrize("text", HUGE, ids=HUGE_IDS)
def test_row_36_it_refuses_more_digits_than_the_bound_allows_without_converting(parse, text):
    bounds = Bounds(1, 10**12)
    with pytest.raises(TableError) as caught:
        parse(text, bounds=bounds)
    assert caught.value.code == "out_of_range"
    assert caught.value.params == {"min": 1, "max": 10**12}


@pytest.mark.parametrize("parse", [parse_som, parse_whole_number, parse_whole])
def test_row_36_it_converts_a_number_within_the_digits_of_its_bound(parse):
    bounds = Bounds(0, 10**7)
    assert parse("10 000 000", bounds=bounds) == 10**7
    assert parse("0" * 5000 + "42", bounds=bounds) == 42  # leading zeros are not digits
    assert parse("99999999", bounds=bounds) == 99_999_999  # the rule, not the parser, says > max


@pytest.mark.parametrize("parse", [parse_som, parse_whole_number, parse_whole])
@pytest.mark.parametrize("text", HUGE, ids=HUGE_IDS)
def test_row_36_without_a_bound_a_huge_number_is_a_coded_error_never_a_value_error(parse, text):
    with pytest.raises(TableError) as caught:
        parse(text)
    assert caught.value.code == "out_of_range"


def test_row_36_a_bound_knows_its_digits():
    assert Bounds(1, 10**12).digits == 13
    assert Bounds(-(10**5), 10).digits == 6

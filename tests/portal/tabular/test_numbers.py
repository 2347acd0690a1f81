"""Numbers as people and spreadsheets write them: prices, whole numbers and report amounts."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.tabular import TableError, parse_som, parse_whole, parse_whole_number

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

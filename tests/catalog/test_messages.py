"""Every refusal of a catalog file comes with a stable code and a sentence in the user's words."""

from dataclasses import dataclass

import pytest
from django.utils import translation

from catalog.importing.columns import catalog_table_open
from catalog.importing.messages import MESSAGES, message_for
from portal.tabular import TableError
from portal.tabular.messages import READING_MESSAGES
from tests.catalog.conftest import FIXTURES


@dataclass
class Refusal:
    code: str
    message: str


def refused(source) -> Refusal:
    """The file's refusal as the seller is told it: the code and its message."""
    with pytest.raises(TableError) as error, catalog_table_open(source) as table:
        list(table)
    return Refusal(error.value.code, message_for(error.value.code, error.value.params))


@pytest.mark.parametrize(
    "name, code",
    [
        ("empty.csv", "empty_file"),
        ("header_only.csv", "no_rows"),
        ("blank_lines.csv", "no_rows"),
        ("png_named.csv", "unsupported_format"),
        ("pdf_named.csv", "unsupported_format"),
        ("html_named.xlsx", "unsupported_format"),
        ("legacy.xls", "unsupported_format"),
        ("encrypted.xlsx", "unsupported_format"),
        ("macro.xlsm", "unsupported_format"),
        ("truncated.xlsx", "corrupt_file"),
        ("undecodable.csv", "undecodable"),
        ("wide.csv", "too_many_columns"),
    ],
)
def test_row_07_it_refuses_files_it_cannot_import_with_a_clear_code(name, code):
    error = refused(FIXTURES / name)
    assert error.code == code
    assert error.message and error.message != code


def test_it_words_every_code_the_readers_raise():
    assert READING_MESSAGES.items() <= MESSAGES.items()
    assert "product rows" in message_for("no_rows")


def test_it_uses_the_hint_variant_of_a_message_when_there_is_one():
    plain = message_for("invalid_barcode", {"value": "12345"})
    hinted = message_for("invalid_barcode", {"value": "1234567", "hint": "leading_zero"})
    assert "leading zero" in hinted and "leading zero" not in plain


def test_it_labels_columns_in_the_active_language_and_falls_back_to_the_code():
    with translation.override("ru"):
        message = message_for("duplicate_column", {"column": "sku", "first": "a", "second": "b"})
    assert "(sku)" in message
    assert message_for("no_such_code", {"x": 1}) == "no_such_code"


@pytest.mark.parametrize("language", ["ru", "uz", "zh-hans"])
@pytest.mark.parametrize(
    ("code", "params"),
    [("out_of_range", {"min": 1, "max": 10**12}), ("invalid_type", {})],
)
def test_row_36_the_new_row_errors_are_worded_in_each_language(language, code, params):
    english = message_for(code, params)
    with translation.override(language):
        worded = message_for(code, params)
    assert worded != english and "%(" not in worded
    assert str(params.get("max", "")) in worded

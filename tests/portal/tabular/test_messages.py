"""The wording of the readers' codes and the one way apps fill in a message's parameters."""

import pytest
from django.utils import translation

from portal.tabular.messages import READING_MESSAGES, message_format
from tests.catalog.conftest import FIXTURES
from tests.portal.tabular.conftest import refused


@pytest.mark.parametrize(
    "name, words",
    [
        ("png_named.csv", "PNG"),
        ("legacy.xls", ".xls"),
        ("encrypted.xlsx", "password"),
        ("macro.xlsm", "macro"),
        ("undecodable.csv", "CSV UTF-8"),
    ],
)
def test_row_01_it_says_what_the_file_is_and_what_to_do(name, words):
    assert words in refused(FIXTURES / name).message


def test_it_joins_list_parameters_and_leaves_a_missing_one_empty():
    message = message_format(
        READING_MESSAGES["invisible_characters"], {"characters": ["NUL", "U+200B"]}
    )
    assert "(NUL, U+200B)" in message
    assert message_format(READING_MESSAGES["too_many_rows"], {}) == (
        "The file has more than  rows; split it into smaller files."
    )


def test_it_renders_in_the_active_language():
    with translation.override("ru"):
        russian = message_format(READING_MESSAGES["empty_file"])
    assert russian != "The file is empty." and russian


def test_it_never_fails_on_a_template_it_cannot_fill():
    assert message_format("%(count)d rows", {"count": "many"}) == "%(count)d rows"

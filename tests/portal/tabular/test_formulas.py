"""What a spreadsheet would evaluate is escaped on the way out; nothing else is touched."""

import pytest

from portal.tabular import escape_formula


@pytest.mark.parametrize(
    "value, written",
    [
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("+998 90 123", "'+998 90 123"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Lanyue", "Lanyue"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_it_escapes_only_text_that_starts_like_a_formula(value, written):
    assert escape_formula(value) == written

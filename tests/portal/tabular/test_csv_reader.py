"""Reading CSV: delimiters, Excel's sep= line, title lines, and damage kept to its row."""

import pytest

from portal.tabular.csv_reader import sniff_delimiter
from portal.tabular.table import INVISIBLE
from tests.catalog.conftest import FIXTURES
from tests.portal.tabular.conftest import read, refused


def test_row_05_it_honours_excels_sep_line():
    table, rows = read(FIXTURES / "sep_line.csv")
    assert table.detected["delimiter"] == ";"
    assert table.header_row == 1  # Excel hides the sep= line
    assert [n for n, _c in rows] == [2, 3, 4]
    assert rows[0][1][0] == "LY-1"


def test_row_05_it_skips_a_title_line_above_the_header():
    table, rows = read(FIXTURES / "title_line.csv")
    assert table.header_row == 3
    assert table.header[0] == "sku"
    assert [n for n, _c in rows] == [4, 5, 6]


def test_row_04_it_reports_an_unbalanced_quote_instead_of_merging_rows_silently():
    table, rows = read(FIXTURES / "unbalanced_quote.csv")
    damaged = [
        (n, [p.code for p in row.problems]) for row in rows for n in [row.number] if row.problems
    ]
    assert damaged == [(4, ["unbalanced_quote"])]
    assert table.lines_read > table.rows_read + 1  # the job shows rows read against lines


def test_row_04_it_reports_rows_with_more_or_fewer_cells_than_the_header():
    _table, rows = read(FIXTURES / "wrong_cells.csv")
    assert [(r.number, [p.code for p in r.problems]) for r in rows] == [
        (2, []),
        (3, ["wrong_cell_count"]),
        (4, ["wrong_cell_count"]),
    ]
    assert rows[1].problems[0].params == {"found": 4, "expected": 13}


def test_row_04_it_turns_a_quote_open_to_the_end_of_a_huge_file_into_a_file_error(tmp_path):
    path = tmp_path / "runaway.csv"
    header = (FIXTURES / "header_only.csv").read_bytes()
    path.write_bytes(header + b'LY-1,"never closed,' + b"x" * 1_100_000 + b"\r\n")
    error = refused(path)
    assert error.code == "unbalanced_quote"


@pytest.mark.parametrize(
    "text, delimiter",
    [
        ("a,b,c\n1,2,3\n", ","),
        ("a;b;c\n1;2,5;3\n", ";"),
        ("a\tb\tc\n1\t2\t3\n", "\t"),
        ("a|b|c\n1|2|3\n", "|"),
        ("one column\nonly\n", ","),
    ],
)
def test_it_sniffs_the_delimiter_that_splits_the_lines_most_consistently(text, delimiter):
    assert sniff_delimiter(text) == delimiter


def test_it_skips_blank_lines_between_rows_but_keeps_their_numbers(tmp_path):
    path = tmp_path / "gaps.csv"
    path.write_bytes(
        (FIXTURES / "header_only.csv").read_bytes() + b"LY-1,x\r\n\r\n,,\r\nLY-2,y\r\n"
    )
    _table, rows = read(path)
    assert [row.number for row in rows] == [2, 5]


def test_every_invisible_character_is_unprintable():
    """The reader looks for invisible characters only in rows Python finds unprintable."""
    invisible = [chr(c) for c in range(0x110000) if INVISIBLE.match(chr(c))]
    assert len(invisible) > 2000  # the surrogates among them
    assert not any(char.isprintable() for char in invisible)

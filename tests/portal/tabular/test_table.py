"""What every reader hands over: rows as (number, cells) and the damage found in their cells."""

from portal.tabular import Problem, Row
from portal.tabular.table import MAX_CELL_CHARS, cell_problems, default_header_test, trim
from tests.catalog.conftest import FIXTURES
from tests.portal.tabular.conftest import read


def test_row_04_it_flags_nul_zero_width_and_bidi_override_characters():
    _table, rows = read(FIXTURES / "nul_bidi.csv")
    found = [(r.number, [(p.code, p.column) for p in r.problems]) for r in rows]
    assert found == [
        (2, [("invisible_characters", 0)]),
        (3, [("invisible_characters", 1)]),
        (4, [("invisible_characters", 0)]),
        (5, []),
    ]
    assert "NUL" in rows[0].problems[0].params["characters"]


def test_row_04_it_flags_a_200000_character_field():
    _table, rows = read(FIXTURES / "long_field.csv")
    assert [(p.code, p.column) for p in rows[0].problems] == [("cell_too_long", 3)]
    assert rows[0].problems[0].params["length"] == 200_000
    assert not rows[1].problems


def test_a_row_unpacks_as_number_and_cells_and_has_no_problems_unless_given():
    row = Row((7, ["LY-1", "Lanyue"]))
    number, cells = row
    assert (number, cells) == (row.number, row.cells) == (7, ["LY-1", "Lanyue"])
    assert not row.problems
    row.problems = [Problem(None, "wrong_cell_count", {"found": 2, "expected": 3})]
    assert not Row((8, [])).problems  # the class default is shared, never mutated


def test_it_names_each_invisible_character_and_each_oversized_cell():
    problems = cell_problems(["ok", "a\u200bb\u202e", "x" * (MAX_CELL_CHARS + 1)])
    assert problems == [
        Problem(
            1,
            "invisible_characters",
            {"characters": ["U+200B zero-width space", "U+202E right-to-left override"]},
        ),
        Problem(2, "cell_too_long", {"length": MAX_CELL_CHARS + 1, "max": MAX_CELL_CHARS}),
    ]


def test_it_trims_empty_cells_at_the_end_only():
    assert trim(["", "a", " ", ""]) == ["", "a"]
    assert default_header_test(["sku", " ", "brand"]) and not default_header_test(["Title", ""])

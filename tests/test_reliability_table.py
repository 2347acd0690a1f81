"""The README's "RELIABILITY.md, row by row" table links each row of the spec to its tests.

Every row has a table line; every test the line names exists; each row lists at least one test
named after it (`test_row_NN_...`) unless its line says it is an open gap (the word `gap`); and
every test named after a row is listed on that row's line. The rows are read from
`tests/fixtures/RELIABILITY.md`, a copy of `../shared/RELIABILITY.md` (test_shared_copies.py keeps
it in step). The test modules are read with `ast`, never imported, so nothing here needs a
database.
"""

import ast
import re
from functools import cache
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
README = TESTS.parent / "README.md"
SECTION = "## RELIABILITY.md, row by row"
SPEC = TESTS / "fixtures" / "RELIABILITY.md"

TABLE_LINE = re.compile(r"^\|\s*(\d+)\s*\|")
# A row not built yet says so on its line (`gap: not built yet`) instead of naming a test.
OPEN_GAP = re.compile(r"\bgap\b", re.IGNORECASE)
BACKTICKED = re.compile(r"`([^`]*)`")
# `catalog/test_rows.py::test_name`, or `::test_name` reusing the path named before it.
NODE_ID = re.compile(r"(?P<path>[\w./-]+\.py)?::(?P<name>\w+)")
ROW_NAME = re.compile(r"^test_row_(?P<row>\d{2})_\w")

NodeId = tuple[str, str]


def node_ids(line: str) -> list[NodeId]:
    """The (path under tests/, function name) pairs a table line names, in order."""
    found: list[NodeId] = []
    path = None
    for text in BACKTICKED.findall(line):
        if "::" not in text:
            continue  # `sep=;`, `1.2E+3`, `pg_terminate_backend`: not a test
        match = NODE_ID.fullmatch(text)
        if match is None:
            raise ValueError(f"not a test node id: `{text}` in {line[:60]!r}")
        path = match["path"] or path
        if path is None:
            raise ValueError(f"`{text}` reuses a path, but none came before it in {line[:60]!r}")
        found.append((path, match["name"]))
    return found


def spec_rows() -> list[int]:
    """The row numbers of the spec's tables, in order."""
    return [
        int(match[1])
        for line in SPEC.read_text(encoding="utf-8").splitlines()
        if (match := TABLE_LINE.match(line))
    ]


ROWS = spec_rows()


@cache
def table() -> dict[int, str]:
    """Row number -> that row's line of the README table."""
    lines = README.read_text(encoding="utf-8").splitlines()
    start = lines.index(SECTION) + 1
    rows: dict[int, str] = {}
    for line in lines[start:]:
        if line.startswith("## "):
            break
        match = TABLE_LINE.match(line)
        if match:
            row = int(match[1])
            assert row not in rows, f"row {row} has two table lines"
            rows[row] = line
    return rows


@cache
def listed() -> dict[int, list[NodeId]]:
    return {row: node_ids(line) for row, line in table().items()}


@cache
def open_gaps() -> frozenset[int]:
    """Rows whose line says they are an open gap: they may name no test yet."""
    return frozenset(row for row, line in table().items() if OPEN_GAP.search(line))


@cache
def functions() -> dict[str, frozenset[str]]:
    """Test module path under tests/ -> the names of its module-level functions."""
    found = {}
    for module in sorted(TESTS.rglob("test_*.py")):
        tree = ast.parse(module.read_text(encoding="utf-8"), filename=str(module))
        found[module.relative_to(TESTS).as_posix()] = frozenset(
            node.name
            for node in tree.body
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        )
    return found


def named_after_a_row() -> list[NodeId]:
    return [
        (path, name)
        for path, names in functions().items()
        for name in sorted(names)
        if name.startswith("test_row_")
    ]


def test_it_reads_continuations_with_the_path_named_before_them():
    line = (
        "| 7 | wrong type | `a/test_x.py::test_one`, `::test_two` (note `sep=;`); "
        "`b/test_y.py::test_three`, `::test_four` | — |"
    )
    assert node_ids(line) == [
        ("a/test_x.py", "test_one"),
        ("a/test_x.py", "test_two"),
        ("b/test_y.py", "test_three"),
        ("b/test_y.py", "test_four"),
    ]
    with pytest.raises(ValueError, match="none came before"):
        node_ids("| 1 | row | `::test_orphan` | — |")


def test_it_tells_an_open_gap_from_a_note_in_the_gaps_column():
    assert OPEN_GAP.search("| 36 | cells out of range | — | gap: not built yet (issue 10) |")
    assert not OPEN_GAP.search("| 3 | Excel damage | `::test_x` | a first import cannot tell |")
    assert not OPEN_GAP.search("| # | row (short) | tests | gaps |")


def test_it_numbers_the_spec_rows_from_one_without_a_hole():
    assert ROWS == list(range(1, len(ROWS) + 1))


def test_it_has_a_table_line_for_every_row_of_the_spec():
    assert sorted(table()) == ROWS
    empty = [row for row in ROWS if not listed()[row] and row not in open_gaps()]
    assert not empty, f"rows that name no test and are not marked as a gap: {empty}"


def test_it_finds_every_test_the_table_names():
    missing = [
        f"row {row}: {path}::{name}"
        for row, ids in listed().items()
        for path, name in ids
        if name not in functions().get(path, ())
    ]
    assert not missing, "the table names tests that do not exist:\n" + "\n".join(missing)


def test_it_lists_a_test_named_after_each_row_on_that_row():
    without = [
        row
        for row in ROWS
        if row not in open_gaps()
        and not any(
            name.startswith(f"test_row_{row:02d}_") and name in functions().get(path, ())
            for path, name in listed().get(row, ())
        )
    ]
    assert not without, f"rows whose line lists no existing test_row_NN_... test: {without}"


def test_it_lists_every_test_named_after_a_row_on_that_row():
    problems = []
    for path, name in named_after_a_row():
        match = ROW_NAME.match(name)
        if match is None or int(match["row"]) not in ROWS:
            problems.append(f"{path}::{name}: not test_row_NN_... with a row number NN of the spec")
        elif (path, name) not in listed().get(int(match["row"]), ()):
            problems.append(f"{path}::{name}: not listed on row {int(match['row'])}")
    assert not problems, "\n".join(problems)

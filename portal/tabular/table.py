"""An opened spreadsheet as the readers hand it over: a header, then rows with their damage."""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from portal.tabular.problems import Problem

HEADER_SCAN_ROWS = 20
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell

# NUL, zero-width characters, bidi marks, overrides and isolates: invisible, and able to make a
# SKU or a title look like something else. Lone surrogates too (JSON can send "\ud800"): they
# are not text at all, and no database stores them.
INVISIBLE = re.compile(
    "[\x00\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ud800-\udfff]"
)
INVISIBLE_NAMES = {
    "\x00": "NUL",
    "\u200b": "U+200B zero-width space",
    "\u200c": "U+200C zero-width non-joiner",
    "\u200d": "U+200D zero-width joiner",
    "\u200e": "U+200E left-to-right mark",
    "\u200f": "U+200F right-to-left mark",
    "\u202e": "U+202E right-to-left override",
    "\u202d": "U+202D left-to-right override",
    "\ufeff": "U+FEFF zero-width no-break space",
}


@dataclass(frozen=True, kw_only=True)
class Limits:
    """What a caller allows a file to hold; each app passes its own settings."""

    max_rows: int
    max_columns: int
    # Zip-bomb guards, checked on the archive's directory before anything is decompressed.
    xlsx_max_entries: int
    xlsx_max_uncompressed: int  # bytes, all entries together
    xlsx_max_ratio: int  # uncompressed : compressed, per entry
    # The parts a workbook is read from, in bytes, each checked on the directory and again as
    # it inflates: the shared strings (all held in memory), the styles (with the other parts
    # parsed whole: the workbook and its relationships), and each sheet. None: only the
    # total applies.
    xlsx_max_shared_strings: int | None = None
    xlsx_max_styles: int | None = None
    xlsx_max_sheet: int | None = None


RowProblems = list[Problem[int]] | tuple[Problem[int], ...]
NO_PROBLEMS: tuple[Problem[int], ...] = ()


class Row(tuple):
    """`(row_number, cells)`, with the reading problems of the row in `.problems`.

    Built as `Row((number, cells))` (tuple's own constructor: this runs once per row of files
    with a million rows); only a damaged row gets its own `problems`, whose `column` is the
    cell index (None for the whole row).
    """

    problems: RowProblems = NO_PROBLEMS

    @property
    def number(self) -> int:
        return self[0]

    @property
    def cells(self) -> list[str]:
        return self[1]


HeaderTest = Callable[[list[str]], bool]


def default_header_test(cells: list[str]) -> bool:
    """The first row with at least two filled cells is the header."""
    return sum(1 for cell in cells if cell.strip()) >= 2


class Table:
    """An opened spreadsheet: its header and its data rows, read lazily."""

    detected: dict[str, Any]
    header: list[str]
    header_row: int
    rows_read: int  # data rows yielded (blank rows are not)
    lines_read: int  # physical lines (CSV) or sheet rows (XLSX) read so far

    def __init__(self) -> None:
        self.rows_read = 0
        self.lines_read = 0
        self._closers: list[Callable[[], Any]] = []

    def __iter__(self) -> Iterator[Row]:
        raise NotImplementedError

    def close(self) -> None:
        while self._closers:
            try:
                self._closers.pop()()
            except Exception:  # noqa: BLE001 - closing must not hide the real error
                pass

    def __enter__(self) -> "Table":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def cell_problems(cells: list[str]) -> list[Problem[int]]:
    """Invisible characters and oversized cells, per cell."""
    problems: list[Problem[int]] = []
    if INVISIBLE.search("".join(cells)):
        for index, cell in enumerate(cells):
            found = sorted(set(INVISIBLE.findall(cell)))
            if found:
                names = [_character_name(ch) for ch in found]
                problems.append(Problem(index, "invisible_characters", {"characters": names}))
    for index, cell in enumerate(cells):
        if len(cell) > MAX_CELL_CHARS:
            problems.append(
                Problem(index, "cell_too_long", {"length": len(cell), "max": MAX_CELL_CHARS})
            )
    return problems


def _character_name(character: str) -> str:
    if character in INVISIBLE_NAMES:
        return INVISIBLE_NAMES[character]
    if "\ud800" <= character <= "\udfff":
        return f"U+{ord(character):04X} lone surrogate"
    return f"U+{ord(character):04X}"


def trim(cells: list[str]) -> list[str]:
    """The cells without the empty ones at the end."""
    end = len(cells)
    while end and not cells[end - 1].strip():
        end -= 1
    return cells[:end]

"""Reading a CSV file: any encoding and delimiter, streamed row by row with constant memory.

Damage inside a row (wrong cell count, an unbalanced quote swallowing lines, invisible
characters, an oversized cell) is attached to the row as `row.problems`, never merged silently.
"""

import codecs
import csv
import io
import re
from collections.abc import Iterator
from itertools import islice
from typing import IO, Any

from portal.tabular.encodings import detect_encoding
from portal.tabular.problems import Problem, TableError
from portal.tabular.table import (
    HEADER_SCAN_ROWS,
    INVISIBLE,
    MAX_CELL_CHARS,
    HeaderTest,
    Limits,
    Row,
    Table,
    cell_problems,
    default_header_test,
    trim,
)

HEAD_BYTES = 64 * 1024  # what format, encoding and delimiter detection look at
MAX_LINES_PER_ROW = 50  # a record spanning more physical lines is an unclosed quote
CSV_FIELD_LIMIT = 1_000_000  # beyond this a field is an unclosed quote reaching the end
CSV_DELIMITERS = (",", ";", "\t", "|")
SEP_LINE = re.compile(r'^\s*"?sep=(.)"?\s*$', re.IGNORECASE)

csv.field_size_limit(CSV_FIELD_LIMIT)


def sniff_delimiter(text: str) -> str:
    """The delimiter among , ; tab | that splits the first lines most consistently."""
    best, best_score = ",", (0, 0)
    for delimiter in CSV_DELIMITERS:
        try:
            rows = [r for r in islice(csv.reader(io.StringIO(text), delimiter=delimiter), 30) if r]
        except csv.Error:
            continue
        if len(rows) > 1:
            rows = rows[:-1]  # the sample may end in the middle of a row
        widths = [len(r) for r in rows]
        if not widths or max(widths) < 2:
            continue
        common = max(set(widths), key=lambda w: (widths.count(w), w))
        if common < 2:
            continue
        score = (widths.count(common), common)
        if score > best_score:
            best, best_score = delimiter, score
    return best


class _RawAdapter(io.RawIOBase):
    """Make any object with .read(n) usable under io.BufferedReader/TextIOWrapper."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._stream.read(len(buffer))
        size = len(data)
        buffer[:size] = data
        return size


class CsvTable(Table):
    """A CSV file under its header; the constructor reads up to the first data row."""

    def __init__(
        self, stream: IO[bytes], head: bytes, *, is_header: HeaderTest, limits: Limits
    ) -> None:
        super().__init__()
        complete = len(head) < HEAD_BYTES
        codec, shown = detect_encoding(head, complete=complete)
        head_text = codecs.getincrementaldecoder(codec)(errors="replace").decode(head, complete)
        first_line = head_text.split("\n", 1)[0].lstrip("\ufeff")
        sep = SEP_LINE.match(first_line)
        self._skip_sep_line = bool(sep)
        if sep and sep.group(1) in CSV_DELIMITERS:
            delimiter = sep.group(1)
        else:
            body = head_text.split("\n", 1)[1] if sep else head_text
            delimiter = sniff_delimiter(body.lstrip("\ufeff"))
        self.detected = {"format": "csv", "encoding": shown, "delimiter": delimiter}
        self._delimiter = delimiter
        self._max_rows = limits.max_rows
        stream.seek(0)
        self._text = io.TextIOWrapper(
            io.BufferedReader(_RawAdapter(stream), 1 << 16),
            encoding=codec,
            errors="strict",
            newline="",
        )
        self._closers.append(self._text.detach)
        self._records = self._read_records()
        self._buffer: list[tuple[int, list[str], int]] = []
        # Find the header among the first rows; title lines above it are skipped.
        header = None
        for record in islice(self._records, HEADER_SCAN_ROWS):
            self._buffer.append(record)
            if is_header(record[1]):
                header = record
                break
        if header is None:
            filled = [r for r in self._buffer if default_header_test(r[1])]
            if not filled:
                raise TableError("no_rows")
            header = filled[0]
        self.header_row = header[0]
        self._buffer = self._buffer[self._buffer.index(header) + 1 :]
        self.header = trim(header[1])
        if len(self.header) > limits.max_columns:
            raise TableError("too_many_columns", count=len(self.header), max=limits.max_columns)
        self._width = len(self.header)
        self._first = self._next_data_row()
        if self._first is None:
            raise TableError("no_rows")

    def _read_records(self) -> Iterator[tuple[int, list[str], int]]:
        """(row number, cells, physical lines the record took)."""
        reader = csv.reader(self._text, delimiter=self._delimiter, strict=False)
        self._reader = reader
        self._number = number = 0
        previous_line = 0
        if self._skip_sep_line:
            next(reader, None)
            previous_line = reader.line_num
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except (csv.Error, UnicodeDecodeError) as error:
                raise _reading_error(error, reader, previous_line, number) from error
            number += 1
            self._number = number
            self.lines_read = reader.line_num
            yield number, cells, reader.line_num - previous_line
            previous_line = reader.line_num

    def _next_data_row(self) -> Row | None:
        while True:
            if self._buffer:
                record = self._buffer.pop(0)
            else:
                following = next(self._records, None)
                if following is None:
                    return None
                record = following
            row = self._row(*record)
            if row is not None:
                return row

    def _row(self, number: int, cells: list[str], lines: int) -> Row | None:
        """The data row, None for a blank one; the checks are ordered for the common case."""
        joined = "".join(cells)
        if not joined or (joined.isspace() and not any(cell.strip() for cell in cells)):
            return None
        row = Row((number, cells))
        if (
            lines > 1
            or len(cells) != self._width
            or len(joined) > MAX_CELL_CHARS
            # Every invisible character is unprintable: the quick scan clears most rows.
            or (not joined.isprintable() and INVISIBLE.search(joined))
        ):
            row.problems = self._problems(cells, lines)
        return row

    def _problems(self, cells: list[str], lines: int) -> list[Problem[int]]:
        problems: list[Problem[int]] = []
        width = len(self.header)
        swallowed = lines > MAX_LINES_PER_ROW or any(
            ("\n" in cell or "\r" in cell) and cell.count(self._delimiter) >= max(2, width // 2)
            for cell in cells
        )
        if swallowed:
            problems.append(Problem(None, "unbalanced_quote", {"lines": lines}))
        elif len(cells) != width and not (
            len(cells) > width and not any(c.strip() for c in cells[width:])
        ):
            problems.append(
                Problem(None, "wrong_cell_count", {"found": len(cells), "expected": width})
            )
        problems.extend(cell_problems(cells))
        return problems

    def __iter__(self) -> Iterator[Row]:
        first = self._first
        self._first = None
        if first is None:
            return
        self.rows_read = 1
        yield first
        for record in self._buffer:  # rows read while looking for the header
            row = self._row(*record)
            if row is not None:
                yield self._counted(row)
        self._buffer = []
        # The hot loop, inlined: one csv record -> one Row, with line accounting.
        reader = self._reader
        make_row = self._row
        number = self._number
        previous_line = reader.line_num
        max_rows = self._max_rows
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                break
            except (csv.Error, UnicodeDecodeError) as error:
                raise _reading_error(error, reader, previous_line, number) from error
            number += 1
            line = reader.line_num
            row = make_row(number, cells, line - previous_line)
            previous_line = line
            if row is None:
                continue
            self.rows_read += 1
            if self.rows_read > max_rows:
                raise TableError("too_many_rows", max=max_rows)
            yield row
        self.lines_read = reader.line_num

    def _counted(self, row: Row) -> Row:
        self.rows_read += 1
        if self.rows_read > self._max_rows:
            raise TableError("too_many_rows", max=self._max_rows)
        return row


def _reading_error(error: Exception, reader: Any, previous_line: int, number: int) -> TableError:
    """The file-level error for a record the csv module could not read after row `number`."""
    if isinstance(error, UnicodeDecodeError):
        return TableError("undecodable", where=f" (line {reader.line_num + 1})")
    # csv.Error here is only "field larger than field limit": a quote left open to the end.
    return TableError("unbalanced_quote", lines=reader.line_num - previous_line, row=number + 1)

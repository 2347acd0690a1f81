"""Reading a seller's spreadsheet: CSV or XLSX by content, any encoding, streamed row by row.

`open_table(source)` sniffs the format from the bytes, detects the encoding and delimiter (CSV)
or checks the archive and picks the products sheet (XLSX), finds the header row, and returns a
`Table` that yields `(row_number, cells)` lazily with constant memory. Row numbers are those a
spreadsheet shows. Damage inside a row (wrong cell count, an unbalanced quote swallowing lines,
invisible characters, an oversized cell, a formula with no value) is attached to the row as
`row.problems`, never merged silently; unreadable files raise `FileError`.
"""

import codecs
import csv
import datetime
import io
import os
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice
from typing import IO, Any

from django.conf import settings

HEAD_BYTES = 64 * 1024
HEADER_SCAN_ROWS = 20
BLANK_RUN_LIMIT = 1000  # LibreOffice saves up to 1,048,576 styled empty rows: stop early
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
MAX_LINES_PER_ROW = 50  # a record spanning more physical lines is an unclosed quote
CSV_FIELD_LIMIT = 1_000_000  # beyond this a field is an unclosed quote reaching the end
CSV_DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}

# Zip-bomb guards, checked on the archive's directory before anything is decompressed.
XLSX_MAX_ENTRIES = 2_000
XLSX_MAX_UNCOMPRESSED = 600 * 1024 * 1024
XLSX_MAX_RATIO = 250
XLSX_RATIO_MIN_SIZE = 1024 * 1024

# NUL, zero-width characters, bidi marks, overrides and isolates: invisible, and able to make a
# SKU or a title look like something else.
INVISIBLE = re.compile("[\x00\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
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
SEP_LINE = re.compile(r'^\s*"?sep=(.)"?\s*$', re.IGNORECASE)

csv.field_size_limit(CSV_FIELD_LIMIT)


class FileError(Exception):
    """The whole file cannot be imported; `code` is stable, `message` is in the active language."""

    def __init__(
        self, code: str, message: str | None = None, *, params: dict[str, Any] | None = None
    ) -> None:
        super().__init__(code)
        self.code = code
        self.params = params or {}
        self._message = message

    @property
    def message(self) -> str:
        if self._message is not None:
            return self._message
        from catalog.importing.messages import message_for

        return message_for(self.code, self.params)

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class RowProblem:
    """Damage found while reading a row; `column` is the cell index or None for the row."""

    code: str
    column: int | None = None
    params: dict[str, Any] = field(default_factory=dict)


NO_PROBLEMS: tuple[RowProblem, ...] = ()


class Row(tuple):
    """`(row_number, cells)`, with the reading problems of the row in `.problems`.

    Built as `Row((number, cells))` (tuple's own constructor: this runs once per row of files
    with a million rows); only a damaged row gets its own `problems`.
    """

    problems: "list[RowProblem] | tuple[RowProblem, ...]" = NO_PROBLEMS

    @property
    def number(self) -> int:
        return self[0]

    @property
    def cells(self) -> list[str]:
        return self[1]


HeaderTest = Callable[[list[str]], bool]


def _default_header_test(cells: list[str]) -> bool:
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


def open_table(
    source: IO[bytes] | str | os.PathLike,
    *,
    filename: str = "",
    is_header: HeaderTest | None = None,
    max_rows: int | None = None,
    max_columns: int | None = None,
) -> Table:
    """Open a CSV or XLSX file (by content, never by `filename`) and find its header.

    `is_header` tells the header row from title lines above it (default: the first row with
    at least two filled cells). Raises FileError for files that cannot be imported at all,
    including one with no data row after the header.
    """
    owned = isinstance(source, str | os.PathLike)
    stream: IO[bytes]
    if isinstance(source, str | os.PathLike):
        stream = open(source, "rb")  # noqa: SIM115 - closed by the table
    else:
        stream = source
    try:
        stream.seek(0)
        head = stream.read(HEAD_BYTES)
        stream.seek(0)
        kind = sniff_format(head, stream)
        header_test = is_header or _default_header_test
        row_limit = max_rows if max_rows is not None else settings.CATALOG_MAX_ROWS
        column_limit = max_columns if max_columns is not None else settings.CATALOG_MAX_COLUMNS
        table: Table
        if kind == "xlsx":
            table = _XlsxTable(
                stream, is_header=header_test, max_rows=row_limit, max_columns=column_limit
            )
        else:
            table = _CsvTable(
                stream, head, is_header=header_test, max_rows=row_limit, max_columns=column_limit
            )
    except BaseException:
        if owned:
            stream.close()
        raise
    if owned:
        table._closers.insert(0, stream.close)
    return table


# --- format ---------------------------------------------------------------------------------

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "a PNG image"),
    (b"%PDF", "a PDF document"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"{\\rtf", "an RTF document"),
)
_HTML = re.compile(rb"^\s*(<!doctype\s+html|<html|<table|<head|<body|<meta)", re.IGNORECASE)
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")


def sniff_format(head: bytes, stream: IO[bytes]) -> str:
    """ "csv" or "xlsx" from the file's bytes; FileError for anything else."""
    if not head:
        raise FileError("empty_file")
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            raise FileError("unsupported_format", params={"kind": kind})
    if head.startswith(_OLE2):
        # Both legacy .xls and password-protected .xlsx are OLE2 containers; the latter holds
        # an "EncryptedPackage" stream.
        if _stream_contains(stream, _ENCRYPTED_MARK):
            raise FileError("unsupported_format", params={"kind": "a password-protected workbook"})
        raise FileError("unsupported_format", params={"kind": "a legacy Excel 97-2003 (.xls) file"})
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "xlsx"
    stripped = head.lstrip(b"\xef\xbb\xbf")
    if _HTML.match(stripped):
        raise FileError("unsupported_format", params={"kind": "an HTML page"})
    if stripped.lstrip().startswith(b"<?xml"):
        raise FileError("unsupported_format", params={"kind": "an XML document"})
    if not head.strip(b" \t\r\n\x00"):
        raise FileError("no_rows")
    return "csv"


def _stream_contains(stream: IO[bytes], needle: bytes) -> bool:
    stream.seek(0)
    tail = b""
    try:
        while chunk := stream.read(1 << 20):
            if needle in tail + chunk:
                return True
            tail = chunk[-len(needle) :]
        return False
    finally:
        stream.seek(0)


# --- CSV ------------------------------------------------------------------------------------


def detect_encoding(head: bytes, *, complete: bool) -> tuple[str, str]:
    """(codec used to decode, name shown to the user) for a file starting with `head`."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", "utf-8-sig"
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32", "utf-32"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", "utf-16"
    sample = head[:4096]
    if len(sample) >= 4 and sample.count(0) * 3 > len(sample):
        # No BOM but every other byte NUL: UTF-16 without its byte order mark.
        odd_nuls = sample[1::2].count(0)
        return (
            ("utf-16-le", "utf-16-le")
            if odd_nuls > len(sample) // 4
            else (
                "utf-16-be",
                "utf-16-be",
            )
        )
    decodable = [name for name in ("utf-8", "gb18030", "cp1251") if _decodes(head, name, complete)]
    if not decodable:
        raise FileError("undecodable", params={"where": ""})
    if decodable[0] == "utf-8" or len(decodable) == 1:
        return decodable[0], decodable[0]
    # Both GB18030 and CP1251 decode almost any bytes: let the language statistics decide.
    from charset_normalizer import from_bytes

    best = from_bytes(head, cp_isolation=decodable).best()
    choice = "cp1251" if best is not None and best.encoding == "cp1251" else "gb18030"
    return choice, choice


def _decodes(data: bytes, encoding: str, complete: bool) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        decoder.decode(data, final=complete)
    except UnicodeDecodeError:
        return False
    return True


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


class _CsvTable(Table):
    def __init__(
        self,
        stream: IO[bytes],
        head: bytes,
        *,
        is_header: HeaderTest,
        max_rows: int,
        max_columns: int,
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
        self._max_rows = max_rows
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
            filled = [r for r in self._buffer if _default_header_test(r[1])]
            if not filled:
                raise FileError("no_rows")
            header = filled[0]
        self.header_row = header[0]
        self._buffer = self._buffer[self._buffer.index(header) + 1 :]
        self.header = _trim(header[1])
        if len(self.header) > max_columns:
            raise FileError(
                "too_many_columns", params={"count": len(self.header), "max": max_columns}
            )
        self._width = len(self.header)
        self._first = self._next_data_row()
        if self._first is None:
            raise FileError("no_rows")

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
            except csv.Error as error:
                # Only "field larger than field limit": a quote left open to the end of file.
                raise FileError(
                    "unbalanced_quote",
                    params={"lines": reader.line_num - previous_line, "row": number + 1},
                ) from error
            except UnicodeDecodeError as error:
                raise FileError(
                    "undecodable", params={"where": f" (line {reader.line_num + 1})"}
                ) from error
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
            or INVISIBLE.search(joined)
        ):
            row.problems = self._problems(cells, lines)
        return row

    def _problems(self, cells: list[str], lines: int) -> list[RowProblem]:
        problems: list[RowProblem] = []
        width = len(self.header)
        swallowed = lines > MAX_LINES_PER_ROW or any(
            ("\n" in cell or "\r" in cell) and cell.count(self._delimiter) >= max(2, width // 2)
            for cell in cells
        )
        if swallowed:
            problems.append(RowProblem("unbalanced_quote", None, {"lines": lines}))
        elif len(cells) != width and not (
            len(cells) > width and not any(c.strip() for c in cells[width:])
        ):
            problems.append(
                RowProblem("wrong_cell_count", None, {"found": len(cells), "expected": width})
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
            except csv.Error as error:
                raise FileError(
                    "unbalanced_quote",
                    params={"lines": reader.line_num - previous_line, "row": number + 1},
                ) from error
            except UnicodeDecodeError as error:
                raise FileError(
                    "undecodable", params={"where": f" (line {reader.line_num + 1})"}
                ) from error
            number += 1
            line = reader.line_num
            row = make_row(number, cells, line - previous_line)
            previous_line = line
            if row is None:
                continue
            self.rows_read += 1
            if self.rows_read > max_rows:
                raise FileError("too_many_rows", params={"max": max_rows})
            yield row
        self.lines_read = reader.line_num

    def _counted(self, row: Row) -> Row:
        self.rows_read += 1
        if self.rows_read > self._max_rows:
            raise FileError("too_many_rows", params={"max": self._max_rows})
        return row


def cell_problems(cells: list[str]) -> list[RowProblem]:
    """Invisible characters and oversized cells, per cell."""
    problems: list[RowProblem] = []
    if INVISIBLE.search("".join(cells)):
        for index, cell in enumerate(cells):
            found = sorted(set(INVISIBLE.findall(cell)))
            if found:
                names = [INVISIBLE_NAMES.get(ch, f"U+{ord(ch):04X}") for ch in found]
                problems.append(RowProblem("invisible_characters", index, {"characters": names}))
    for index, cell in enumerate(cells):
        if len(cell) > MAX_CELL_CHARS:
            problems.append(
                RowProblem("cell_too_long", index, {"length": len(cell), "max": MAX_CELL_CHARS})
            )
    return problems


def _trim(cells: list[str]) -> list[str]:
    end = len(cells)
    while end and not cells[end - 1].strip():
        end -= 1
    return cells[:end]


# --- XLSX -----------------------------------------------------------------------------------

FORMULA_WITHOUT_VALUE = object()


def check_archive(stream: IO[bytes]) -> None:
    """Refuse zip bombs, macro workbooks and non-workbooks before anything is decompressed."""
    max_entries = getattr(settings, "CATALOG_XLSX_MAX_ENTRIES", XLSX_MAX_ENTRIES)
    max_total = getattr(settings, "CATALOG_XLSX_MAX_UNCOMPRESSED", XLSX_MAX_UNCOMPRESSED)
    max_ratio = getattr(settings, "CATALOG_XLSX_MAX_RATIO", XLSX_MAX_RATIO)
    stream.seek(0)
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        raise FileError("corrupt_file") from error
    infos = archive.infolist()
    if len(infos) > max_entries:
        raise FileError(
            "archive_too_large", params={"reason": f"{len(infos)} entries, at most {max_entries}"}
        )
    total = sum(info.file_size for info in infos)
    if total > max_total:
        raise FileError(
            "archive_too_large",
            params={"reason": f"{total // 2**20} MB, at most {max_total // 2**20} MB"},
        )
    for info in infos:
        if info.file_size > XLSX_RATIO_MIN_SIZE and (
            info.compress_size == 0 or info.file_size / info.compress_size > max_ratio
        ):
            raise FileError(
                "archive_too_large",
                params={"reason": f"{info.filename} is compressed more than {max_ratio}:1"},
            )
    names = {info.filename for info in infos}
    if "mimetype" in names and "content.xml" in names:
        raise FileError("unsupported_format", params={"kind": "an OpenDocument (.ods) file"})
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        if "xl/workbook.bin" in names:
            raise FileError("unsupported_format", params={"kind": "a binary workbook (.xlsb)"})
        if "word/document.xml" in names:
            raise FileError("unsupported_format", params={"kind": "a Word document"})
        raise FileError("unsupported_format", params={"kind": "a zip archive"})
    content_types = archive.getinfo("[Content_Types].xml")
    if content_types.file_size > 1024 * 1024:
        raise FileError("corrupt_file")
    try:
        types = archive.read(content_types)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
        raise FileError("corrupt_file") from error
    if b"macroEnabled" in types or "xl/vbaProject.bin" in names:
        raise FileError("unsupported_format", params={"kind": "a macro-enabled workbook (.xlsm)"})
    stream.seek(0)


def cell_text(value: Any) -> str:
    """A spreadsheet value as the text the user typed, without float damage."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e18:
            return str(int(value))
        return format(Decimal(repr(value)), "f")
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def _header_text(value: Any) -> str:
    return "" if value is FORMULA_WITHOUT_VALUE else cell_text(value)


def _sheet_parser_class() -> type:
    # openpyxl's read-only mode drops the difference between "empty" and "formula with no cached
    # value" (data_only returns None for both). Its own streaming parser, with one override,
    # keeps it. openpyxl is pinned (3.1.5) because this touches its internal parser.
    from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

    class CachedValueParser(WorkSheetParser):
        def parse_cell(self, element: Any) -> dict:
            cell = super().parse_cell(element)
            if cell["value"] is None and element.find(FORMULA_TAG) is not None:
                cell["value"] = FORMULA_WITHOUT_VALUE
            return cell

    return CachedValueParser


class _XlsxTable(Table):
    def __init__(
        self, stream: IO[bytes], *, is_header: HeaderTest, max_rows: int, max_columns: int
    ) -> None:
        super().__init__()
        check_archive(stream)
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(stream, read_only=True, data_only=True, keep_links=False)
        except Exception as error:  # openpyxl raises many kinds for a damaged archive
            raise FileError("corrupt_file") from error
        self._workbook = workbook
        self._closers.append(workbook.close)
        self._max_rows = max_rows
        self._parser_class = _sheet_parser_class()
        chosen = None
        fallback = None
        for sheet in workbook.worksheets:
            if not hasattr(sheet, "_get_source"):
                continue  # a chart sheet
            records = self._records(sheet)
            scanned = [
                (number, [_header_text(v) for v in values])
                for number, values in islice(records, HEADER_SCAN_ROWS)
            ]
            if hasattr(records, "close"):
                records.close()
            match = next((r for r in scanned if is_header(r[1])), None)
            if match is not None:
                chosen = (sheet, match)
                break
            if fallback is None:
                filled = next((r for r in scanned if _default_header_test(r[1])), None)
                if filled is not None:
                    fallback = (sheet, filled)
        chosen = chosen or fallback
        if chosen is None:
            raise FileError("no_rows")
        sheet, (header_row, header) = chosen
        self.header_row = header_row
        self.header = _trim(header)
        if len(self.header) > max_columns:
            raise FileError(
                "too_many_columns", params={"count": len(self.header), "max": max_columns}
            )
        self.detected = {
            "format": "xlsx",
            "encoding": None,
            "delimiter": None,
            "sheet": sheet.title,
        }
        self._rows = self._data_rows(sheet)
        self._first = next(self._rows, None)
        if self._first is None:
            raise FileError("no_rows")

    def _records(self, sheet: Any) -> Iterator[tuple[int, list[Any]]]:
        """(sheet row number, cell values) including blank rows, stopping after a blank run."""
        try:
            source = sheet._get_source()
        except (KeyError, zipfile.BadZipFile) as error:
            raise FileError("corrupt_file") from error
        parser = self._parser_class(
            source,
            sheet._shared_strings,
            data_only=True,
            epoch=self._workbook.epoch,
            date_formats=self._workbook._date_formats,
            timedelta_formats=self._workbook._timedelta_formats,
        )
        expected = 1
        blank_run = 0
        try:
            for index, cells in parser.parse():
                for number in range(expected, index):  # rows missing from the XML are blank
                    blank_run += 1
                    if blank_run > BLANK_RUN_LIMIT:
                        return
                    yield number, []
                expected = index + 1
                values: list[Any] = []
                for cell in cells:
                    column = cell["column"]
                    if column > len(values):
                        values.extend([None] * (column - len(values)))
                    values[column - 1] = cell["value"]
                if any(v is not None and v != "" for v in values):
                    blank_run = 0
                else:
                    blank_run += 1
                    if blank_run > BLANK_RUN_LIMIT:
                        return
                yield index, values
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
            raise FileError("corrupt_file") from error
        except Exception as error:  # XML damage inside the sheet
            if type(error).__name__ in ("ParseError", "XMLSyntaxError", "DefusedXmlException"):
                raise FileError("corrupt_file") from error
            raise
        finally:
            source.close()

    def _data_rows(self, sheet: Any) -> Iterator[Row]:
        width = len(self.header)
        for number, values in self._records(sheet):
            self.lines_read = number
            if number <= self.header_row:
                continue
            problems: list[RowProblem] = []
            cells: list[str] = []
            for index, value in enumerate(values):
                if value is FORMULA_WITHOUT_VALUE:
                    problems.append(RowProblem("formula_without_value", index))
                    cells.append("")
                else:
                    cells.append(cell_text(value))
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) < width:
                cells.extend([""] * (width - len(cells)))  # trailing empty cells are omitted
            elif len(cells) > width and any(c.strip() for c in cells[width:]):
                problems.append(
                    RowProblem(
                        "wrong_cell_count", None, {"found": len(_trim(cells)), "expected": width}
                    )
                )
            problems.extend(cell_problems(cells))
            row = Row((number, cells))
            if problems:
                row.problems = problems
            yield row

    def __iter__(self) -> Iterator[Row]:
        row = self._first
        self._first = None
        while row is not None:
            self.rows_read += 1
            if self.rows_read > self._max_rows:
                raise FileError("too_many_rows", params={"max": self._max_rows})
            yield row
            row = next(self._rows, None)

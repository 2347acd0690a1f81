"""Reading an XLSX workbook: the products sheet found, cells as typed, streamed row by row.

A formula with no saved value is a row problem (never an empty cell taken as valid); a long run
of styled empty rows ends the sheet early. Every part is read within its cap, and the shared
strings only as far as the rows read need them: a request checking the header reads the first
rows and little else (a small file can hold 400,000 shared strings, a minute of parsing).
"""

import datetime
import zipfile
import zlib
from collections.abc import Callable, Iterator
from decimal import Decimal
from itertools import islice
from typing import IO, Any

from portal.tabular.formats import Budget, Budgeted, check_archive
from portal.tabular.problems import PreviewIncomplete, Problem, TableError
from portal.tabular.table import (
    HEADER_SCAN_ROWS,
    HeaderTest,
    Limits,
    Row,
    Table,
    cell_problems,
    default_header_test,
    trim,
)

BLANK_RUN_LIMIT = 1000  # LibreOffice saves up to 1,048,576 styled empty rows: stop early
FORMULA_WITHOUT_VALUE = object()
# What a request may inflate, all parts together, to read a workbook's header and first rows
# (parsed in well under a second); a workbook that needs more is checked by the worker.
PREVIEW_BYTES = 512 * 1024
XLSX_DETECTED = {"format": "xlsx", "encoding": None, "delimiter": None}
_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_SI, _T, _R = f"{_MAIN_NS}si", f"{_MAIN_NS}t", f"{_MAIN_NS}r"


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


class SharedStrings:
    """A workbook's shared strings, parsed only as far as the cells read ask for.

    openpyxl parses them all when it opens a workbook; here the strings a sheet's cells name
    are parsed in order up to the highest index asked for (spreadsheets write them in the
    order their cells first use them, so the header's come first).
    """

    def __init__(self, source: Budgeted) -> None:
        from openpyxl.xml.functions import iterparse  # defusedxml's parser when installed

        self._source = source
        self._events = iterparse(source, events=("end",))
        self._strings: list[str] = []

    @property
    def parsed(self) -> int:
        return len(self._strings)

    def __getitem__(self, index: int) -> str:
        if index < 0:
            raise IndexError(index)
        while index >= len(self._strings):
            if not self._parse_next():
                raise IndexError(index)
        return self._strings[index]

    def _parse_next(self) -> bool:
        for _event, node in self._events:
            if node.tag == _SI:
                # As openpyxl reads an <si>: its plain text, then its rich-text runs.
                parts = [t.text or "" for t in node.findall(_T)]
                parts += [run.findtext(_T) or "" for run in node.findall(_R)]
                self._strings.append("".join(parts).replace("x005F_", ""))
                node.clear()
                return True
        return False

    def close(self) -> None:
        self._source.close()


OpenPart = Callable[[zipfile.ZipFile, str], Any]


def workbook_read(stream: IO[bytes], *, open_strings: OpenPart, header_only: bool) -> Any:
    """The workbook as openpyxl's read-only mode opens it, without what a catalog never reads
    (properties, theme, defined names, each sheet's relationships and dimension) and, for the
    header only, without the styles (they tell dates from numbers in the data rows)."""
    from openpyxl.reader.excel import SHARED_STRINGS, ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    class Sheet(ReadOnlyWorksheet):
        def _get_size(self) -> None:
            pass  # looking for the dimension parses a sheet that has none to its end

    reader = ExcelReader(stream, read_only=True, data_only=True, keep_links=False)
    reader.read_manifest()
    strings = reader.package.find(SHARED_STRINGS)
    if strings is not None:
        reader.shared_strings = open_strings(reader.archive, strings.PartName[1:])
    reader.read_workbook()
    if not header_only:
        apply_stylesheet(reader.archive, reader.wb)
    for sheet, rel in reader.parser.find_sheets():
        if rel.target in reader.valid_files and "chartsheet" not in rel.Type:
            worksheet = Sheet(reader.wb, sheet.name, rel.target, reader.shared_strings)
            worksheet.sheet_state = sheet.state
            reader.wb._sheets.append(worksheet)
    return reader.wb


class XlsxTable(Table):
    """The first sheet whose header passes the test (else the first with two filled cells).

    With `header_only` (a request checking an upload) the parts read share a budget of
    PREVIEW_BYTES, past which PreviewIncomplete leaves the check to the worker.
    """

    def __init__(
        self,
        stream: IO[bytes],
        *,
        is_header: HeaderTest,
        limits: Limits,
        header_only: bool = False,
    ) -> None:
        super().__init__()
        self._caps = check_archive(stream, limits)
        self._preview = (
            Budget(PREVIEW_BYTES, lambda: PreviewIncomplete(dict(XLSX_DETECTED)))
            if header_only
            else None
        )
        self._strings: SharedStrings | None = None
        try:
            workbook = workbook_read(
                stream, open_strings=self._open_strings, header_only=header_only
            )
        except (TableError, PreviewIncomplete):
            raise
        except Exception as error:  # openpyxl raises many kinds for a damaged archive
            raise TableError("corrupt_file") from error
        self._workbook = workbook
        self._closers.append(workbook.close)
        self._max_rows = limits.max_rows
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
                filled = next((r for r in scanned if default_header_test(r[1])), None)
                if filled is not None:
                    fallback = (sheet, filled)
        chosen = chosen or fallback
        if chosen is None:
            raise TableError("no_rows")
        sheet, (header_row, header) = chosen
        self.header_row = header_row
        self.header = trim(header)
        if len(self.header) > limits.max_columns:
            raise TableError("too_many_columns", count=len(self.header), max=limits.max_columns)
        self.detected = {**XLSX_DETECTED, "sheet": sheet.title}
        self._rows = self._data_rows(sheet)
        self._first = next(self._rows, None)
        if self._first is None:
            raise TableError("no_rows")

    @property
    def shared_strings_read(self) -> int:
        """How many shared strings were parsed so far."""
        return self._strings.parsed if self._strings is not None else 0

    def _open_part(self, archive: zipfile.ZipFile, name: str) -> Budgeted:
        return Budgeted(
            archive.open(name), budget=self._caps.get(name), name=name, shared=self._preview
        )

    def _open_strings(self, archive: zipfile.ZipFile, name: str) -> SharedStrings:
        self._strings = SharedStrings(self._open_part(archive, name))
        self._closers.append(self._strings.close)
        return self._strings

    def _records(self, sheet: Any) -> Iterator[tuple[int, list[Any]]]:
        """(sheet row number, cell values) including blank rows, stopping after a blank run."""
        try:
            source = self._open_part(self._workbook._archive, sheet._worksheet_path)
        except (KeyError, zipfile.BadZipFile) as error:
            raise TableError("corrupt_file") from error
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
            raise TableError("corrupt_file") from error
        except IndexError as error:  # a cell names a shared string the table does not have
            raise TableError("corrupt_file") from error
        except Exception as error:  # XML damage inside the sheet
            kinds = {kind.__name__ for kind in type(error).__mro__}
            if kinds & {"ParseError", "XMLSyntaxError", "DefusedXmlException"}:
                raise TableError("corrupt_file") from error
            raise
        finally:
            source.close()

    def _data_rows(self, sheet: Any) -> Iterator[Row]:
        width = len(self.header)
        for number, values in self._records(sheet):
            self.lines_read = number
            if number <= self.header_row:
                continue
            problems: list[Problem[int]] = []
            cells: list[str] = []
            for index, value in enumerate(values):
                if value is FORMULA_WITHOUT_VALUE:
                    problems.append(Problem(index, "formula_without_value"))
                    cells.append("")
                else:
                    cells.append(cell_text(value))
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) < width:
                cells.extend([""] * (width - len(cells)))  # trailing empty cells are omitted
            elif len(cells) > width and any(c.strip() for c in cells[width:]):
                problems.append(
                    Problem(
                        None, "wrong_cell_count", {"found": len(trim(cells)), "expected": width}
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
                raise TableError("too_many_rows", max=self._max_rows)
            yield row
            row = next(self._rows, None)

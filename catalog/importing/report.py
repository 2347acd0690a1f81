"""The error report (rejected rows as sent, plus an `errors` column) and the import template."""

import codecs
import csv
import io
from collections.abc import Sequence
from itertools import groupby
from typing import IO, Any

from django.db.models import Q

from catalog.importing.columns import ALIASES, CARD_COLUMNS, COLUMNS, catalog_table_open
from catalog.importing.messages import message_for
from catalog.importing.template import xlsx_template_write
from catalog.models import ImportJob, RowError, Severity
from catalog.readiness import RULES
from portal.tabular import TableError, escape_formula, header_key


class _TextOut(io.TextIOBase):
    """Write text into a binary stream as UTF-8 (what csv.writer needs), with no buffering."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self._stream.write(text.encode("utf-8"))
        return len(text)


def _csv_writer(stream: IO[bytes]) -> Any:
    stream.write(codecs.BOM_UTF8)  # Excel opens a UTF-8 CSV correctly only with the BOM
    return csv.writer(_TextOut(stream), lineterminator="\r\n")


# Warnings the report carries beside the errors (issue 13): the readiness issues of the rows a
# card file imported, and the original of Uzbek text written in Latin. One file fixes both.
REPORTED_WARNINGS = (*RULES, "transliterated")


def is_card_file(columns: dict[str, Any]) -> bool:
    """Whether a job's header as understood (`ImportJob.columns`) is a card file's."""
    mapped = {item.get("field") for item in columns.get("mapped", [])}
    return bool(columns.get("attributes")) or bool(mapped & CARD_COLUMNS)


def error_report_write(*, job: ImportJob, stream: IO[bytes]) -> None:
    """The rejected rows exactly as the user sent them, plus `errors` (active language); and
    when the job has any, the accepted rows with a readiness issue or a transliterated text,
    with a `warnings` column (files without them get the report they always got).

    The file is read again in step with the job's errors (both ordered by row), so memory
    stays flat whatever the size. Every cell is formula-escaped.
    """
    writer = _csv_writer(stream)
    # Only a card file's report (group, features or characteristic columns) carries warnings:
    # a file that imported before the cards gets the report it always got.
    card_file = is_card_file(job.columns or {})
    reported = Q(severity=Severity.ERROR)
    if card_file:
        reported |= Q(severity=Severity.WARNING, code__in=REPORTED_WARNINGS)
    has_warnings = (
        card_file
        and RowError.objects.filter(
            job=job, severity=Severity.WARNING, code__in=REPORTED_WARNINGS
        ).exists()
    )
    extra = ["errors", "warnings"] if has_warnings else ["errors"]
    errors = (
        RowError.objects.filter(reported, job=job)
        .order_by("row", "id")
        .values_list("row", "column", "code", "params", "severity")
        .iterator(chunk_size=2000)
    )
    by_row = groupby(errors, key=lambda e: e[0])
    try:
        handle = job.file.open("rb")
    except (OSError, ValueError):
        writer.writerow(extra)
        for _row, problems in by_row:
            writer.writerow(_problem_cells(list(problems), {}, has_warnings))
        return
    with handle, catalog_table_open(handle) as table:
        header = table.header
        labels = {}
        for cell in header:
            name = ALIASES.get(header_key(cell))
            if name:
                labels[name] = cell.strip()
        writer.writerow([escape_formula(cell) for cell in header] + extra)
        pending = next(by_row, None)
        try:
            for number, cells in table:
                while pending is not None and pending[0] < number:
                    pending = next(by_row, None)
                if pending is None:
                    break
                if pending[0] != number:
                    continue
                texts = _problem_cells(list(pending[1]), labels, has_warnings)
                writer.writerow([escape_formula(cell) for cell in cells] + texts)
                pending = next(by_row, None)
        except TableError:
            pass  # the file's own damage is already the job's error


def _problem_cells(problems: list[tuple], labels: dict[str, str], warnings: bool) -> list[str]:
    """The row's `errors` cell, and its `warnings` cell when the report has that column."""
    errors = [p for p in problems if p[4] == Severity.ERROR]
    cells = [escape_formula(_errors_text(errors, labels))]
    if warnings:
        others = [p for p in problems if p[4] != Severity.ERROR]
        cells.append(escape_formula(_errors_text(others, labels)))
    return cells


def _errors_text(problems: list[tuple], labels: dict[str, str]) -> str:
    parts = []
    for _row, column, code, params, *_severity in problems:
        message = message_for(code, params)
        where = labels.get(column) or column
        parts.append(f"{where}: {message}" if where else message)
    return "; ".join(parts)


def template_write(
    *,
    file_format: str,
    stream: IO[bytes],
    brands: Sequence[str] = (),
    categories: Sequence[tuple[str, str]] = (),
) -> None:
    """The import template: the canonical header (CSV, UTF-8 with a BOM so Excel reads it), or
    XLSX with an example row, drop-downs and instructions (catalog/importing/template.py)."""
    if file_format == "csv":
        _csv_writer(stream).writerow([column.name for column in COLUMNS])
        return
    if file_format != "xlsx":
        raise ValueError(file_format)
    xlsx_template_write(stream=stream, brands=brands, categories=categories)

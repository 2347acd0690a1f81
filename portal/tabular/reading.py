"""Opening a spreadsheet: CSV or XLSX told by content, its header found, its limits applied."""

import os
from typing import IO

from portal.tabular.csv_reader import HEAD_BYTES, CsvTable
from portal.tabular.formats import sniff_format
from portal.tabular.table import HeaderTest, Limits, Table, default_header_test
from portal.tabular.xlsx_reader import XlsxTable


def open_table(
    source: IO[bytes] | str | os.PathLike,
    *,
    limits: Limits,
    is_header: HeaderTest | None = None,
    header_only: bool = False,
) -> Table:
    """Open a CSV or XLSX file (by its bytes, never its name) and find its header.

    `is_header` tells the header row from title lines above it (default: the first row with
    at least two filled cells). Rows are read lazily as the table is iterated; row numbers are
    those a spreadsheet shows. Raises TableError for a file that cannot be read at all,
    including one with no data row after the header. A path is opened and closed by the
    table; a stream is left to its owner.

    `header_only`: the caller reads the header and the first row, no more (a request checking
    an upload). A workbook whose first rows need more than a request should parse raises
    PreviewIncomplete: the worker checks it.
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
        header_test = is_header or default_header_test
        table: Table
        if kind == "xlsx":
            table = XlsxTable(stream, is_header=header_test, limits=limits, header_only=header_only)
        else:
            table = CsvTable(stream, head, is_header=header_test, limits=limits)
    except BaseException:
        if owned:
            stream.close()
        raise
    if owned:
        table._closers.insert(0, stream.close)
    return table

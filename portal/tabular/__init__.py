"""One reading layer for every spreadsheet the portal takes in or gives out.

CSV and XLSX told by content, any encoding, streamed row by row; header folding, the number
parsers, formula escaping and file hashing. No models and no app imports: each app passes its
limits in and renders the codes (`Problem`, `TableError`) in its own words.
"""

from portal.tabular.formulas import escape_formula
from portal.tabular.hashing import file_sha256
from portal.tabular.headers import header_key
from portal.tabular.numbers import (
    Bounds,
    parse_decimal_parts,
    parse_som,
    parse_whole,
    parse_whole_number,
)
from portal.tabular.problems import PreviewIncomplete, Problem, TableError
from portal.tabular.reading import open_table
from portal.tabular.table import Limits, Row, Table

__all__ = [
    "Bounds",
    "Limits",
    "PreviewIncomplete",
    "Problem",
    "Row",
    "Table",
    "TableError",
    "escape_formula",
    "file_sha256",
    "header_key",
    "open_table",
    "parse_decimal_parts",
    "parse_som",
    "parse_whole",
    "parse_whole_number",
]

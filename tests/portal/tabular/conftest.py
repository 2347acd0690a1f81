"""Reading helpers for the shared layer's tests: the catalog's samples, header test and limits
serve as a real caller's."""

import io
import json
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from catalog.importing.columns import catalog_limits, looks_like_header
from portal.tabular import Limits, TableError, open_table
from portal.tabular.messages import READING_MESSAGES, message_format
from tests.catalog.conftest import FIXTURES, SAMPLES

EXPECTED = json.loads((SAMPLES / "expected.json").read_text())
# Small, explicit limits for tests that need no settings.
LIMITS_FOR_TESTS = Limits(
    max_rows=100,
    max_columns=20,
    xlsx_max_entries=50,
    xlsx_max_uncompressed=10 * 1024 * 1024,
    xlsx_max_ratio=100,
)


def read(source, **limits):
    """The table and all its rows, as the catalog reads them; `limits` override its own."""
    limits = replace(catalog_limits(), **limits)
    with open_table(source, is_header=looks_like_header, limits=limits) as table:
        rows = list(table)
        return table, rows


@dataclass
class Refusal:
    """A refused file as a person is told: the code, and the message rendered from it."""

    code: str
    params: dict[str, Any]
    message: str


def refused(source) -> Refusal:
    with pytest.raises(TableError) as error:
        read(source)
    code, params = error.value.code, error.value.params
    return Refusal(code, params, message_format(READING_MESSAGES.get(code, code), params))


# --- XLSX -----------------------------------------------------------------------------------

HEADER = (FIXTURES / "header_only.csv").read_text().strip().split(",")
ROW = ["LY-1", "Lanyue Elektr choynak", "Электрочайник Lanyue", "", "", "Lanyue"] + [
    "shoes.sneakers",
    29477000,
    241,
    6970669074398,
    "60008063608377835",
    7615,
    "",
]


def workbook_bytes(build) -> bytes:
    workbook = Workbook()
    build(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_xlsx(path: Path, sheet_data: str) -> None:
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0"?><workbook xmlns="{ns}" xmlns:r="{rel}"><sheets>'
            '<sheet name="Products" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            f'<?xml version="1.0"?><worksheet xmlns="{ns}"><sheetData>{sheet_data}</sheetData></worksheet>',
        )

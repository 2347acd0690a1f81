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


NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006"
MAIN_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def xlsx_bytes(sheet_data: str, *, strings: str | None = None, styles: str | None = None) -> bytes:
    """A one-sheet workbook written by hand: `sheet_data` inside <sheetData>, and when given, the
    <si> entries of its shared strings and a styles.xml."""
    overrides = {"workbook.xml": "sheet.main", "worksheets/sheet1.xml": "worksheet"}
    relationships = {"worksheet": "worksheets/sheet1.xml"}
    if strings is not None:
        overrides["sharedStrings.xml"] = "sharedStrings"
        relationships["sharedStrings"] = "sharedStrings.xml"
    if styles is not None:
        overrides["styles.xml"] = "styles"
        relationships["styles"] = "styles.xml"
    types = "".join(
        f'<Override PartName="/xl/{name}" ContentType="{MAIN_TYPE}.{kind}+xml"/>'
        for name, kind in overrides.items()
    )
    links = "".join(
        f'<Relationship Id="rId{n}" Type="{REL}/{kind}" Target="{target}"/>'
        for n, (kind, target) in enumerate(relationships.items(), start=1)
    )
    parts = {
        "[Content_Types].xml": f'<?xml version="1.0"?><Types xmlns="{PACKAGE}/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>{types}</Types>',
        "_rels/.rels": f'<?xml version="1.0"?><Relationships xmlns="{PACKAGE}/relationships">'
        f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>",
        "xl/workbook.xml": f'<?xml version="1.0"?><workbook xmlns="{NS}" xmlns:r="{REL}"><sheets>'
        '<sheet name="Products" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<?xml version="1.0"?><Relationships '
        f'xmlns="{PACKAGE}/relationships">{links}</Relationships>',
        "xl/worksheets/sheet1.xml": f'<?xml version="1.0"?><worksheet xmlns="{NS}">'
        f"<sheetData>{sheet_data}</sheetData></worksheet>",
    }
    if strings is not None:
        parts["xl/sharedStrings.xml"] = f'<?xml version="1.0"?><sst xmlns="{NS}">{strings}</sst>'
    if styles is not None:
        parts["xl/styles.xml"] = f'<?xml version="1.0"?>{styles}'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def write_xlsx(path: Path, sheet_data: str) -> None:
    path.write_bytes(xlsx_bytes(sheet_data))


def shared_strings_workbook(
    header: list[str], rows: list[list[int]], *, filler: int = 0, styles: int = 0
) -> bytes:
    """A workbook of shared strings: the header's cells and `rows` (indices into the shared
    strings), `filler` more strings after them, and `styles` cell formats. openpyxl takes
    minutes to write the 400,000 strings of a shared-strings bomb; zipfile takes a second.
    """

    def cells(number: int, indices: list[int]) -> str:
        return "".join(
            f'<c r="{chr(65 + i)}{number}" t="s"><v>{index}</v></c>'
            for i, index in enumerate(indices)
        )

    sheet_rows = [cells(1, list(range(len(header))))]
    sheet_rows += [cells(n, indices) for n, indices in enumerate(rows, start=2)]
    sheet = "".join(f'<row r="{n}">{c}</row>' for n, c in enumerate(sheet_rows, start=1))
    strings = "".join(f"<si><t>{h}</t></si>" for h in header)
    strings += "".join(f"<si><t>{i % 5000}</t></si>" for i in range(filler))
    xf = '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    style_xml = (
        f'<styleSheet xmlns="{NS}"><fonts count="1"><font/></fonts>'
        '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
        '<borders count="1"><border/></borders>'
        f'<cellStyleXfs count="1">{xf}</cellStyleXfs>'
        f'<cellXfs count="{styles + 1}">{xf * (styles + 1)}</cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    )
    return xlsx_bytes(sheet, strings=strings, styles=style_xml)


BOMB_STRINGS = 400_000


def shared_strings_bomb(*, last_string_in_row_2: bool = True) -> bytes:
    """The workbook of the report: about 1 MB, 400,000 shared strings (7.9 MB of XML) after a
    good header; row 2's SKU is the last string, so reading row 2 means parsing them all."""
    last = len(HEADER) + BOMB_STRINGS - 1
    rows = [[last if last_string_in_row_2 else 0]]
    return shared_strings_workbook(HEADER, rows, filler=BOMB_STRINGS)

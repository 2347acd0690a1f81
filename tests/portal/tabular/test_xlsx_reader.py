"""Reading XLSX: the products sheet, cells as typed, formulas with no value, empty-row runs."""

import io
import zipfile

import pytest

from portal.tabular import PreviewIncomplete, TableError, open_table
from portal.tabular.xlsx_reader import cell_text
from tests.catalog.conftest import SAMPLES
from tests.portal.tabular.conftest import (
    HEADER,
    ROW,
    read,
    shared_strings_bomb,
    shared_strings_workbook,
    workbook_bytes,
    write_xlsx,
)


def test_it_reads_xlsx_number_cells_without_float_damage():
    _table, rows = read(SAMPLES / "catalog_zh.xlsx")
    barcodes = [cells[9] for _n, cells in rows if cells[9]]
    assert barcodes and all(b.isdigit() and len(b) in (8, 12, 13) for b in barcodes)
    assert all(len(cells[10]) == 17 for _n, cells in rows)  # IKPU text cells keep zeros


@pytest.mark.parametrize(
    "value, text",
    [
        (6970669074398, "6970669074398"),
        (6970669074398.0, "6970669074398"),
        (12.5, "12.5"),
        (0.1, "0.1"),
        (True, "TRUE"),
        (None, ""),
        ("=A1", "=A1"),
    ],
)
def test_it_turns_cell_values_into_the_text_the_user_typed(value, text):
    assert cell_text(value) == text


def test_row_08_it_picks_the_products_sheet_not_the_active_instructions_sheet():
    def build(workbook):
        notes = workbook.active
        notes.title = "Инструкция"
        notes.append(["Заполните лист Products"])
        notes.append(["Каждая строка — один товар", "цены в сумах"])
        products = workbook.create_sheet("Products")
        products.append(HEADER)
        products.append(ROW)

    table, rows = read(io.BytesIO(workbook_bytes(build)))
    assert table.detected["sheet"] == "Products"
    assert rows[0][1][0] == "LY-1" and rows[0][1][9] == "6970669074398"


def test_row_08_it_reports_a_formula_without_a_cached_value_as_a_row_problem():
    def build(workbook):
        sheet = workbook.active
        sheet.append(HEADER)
        sheet.append(ROW[:7] + ["=1000*30"] + ROW[8:])  # openpyxl saves no cached value

    _table, rows = read(io.BytesIO(workbook_bytes(build)))
    assert [(p.code, p.column) for p in rows[0].problems] == [("formula_without_value", 7)]
    assert rows[0][1][7] == ""  # never an empty price taken as valid: the row is flagged


def test_row_08_it_stops_after_a_long_run_of_styled_empty_rows(tmp_path):
    """LibreOffice can save 1,048,576 styled empty rows; reading must stop early."""
    sheet_rows = [
        '<row r="1"><c r="A1" t="inlineStr"><is><t>'
        + '</t></is></c><c t="inlineStr"><is><t>'.join(HEADER)
        + "</t></is></c></row>",
        '<row r="2"><c r="A2" t="inlineStr"><is><t>LY-1</t></is></c></row>',
    ]
    sheet_rows += [f'<row r="{n}" s="1" customFormat="1"/>' for n in range(3, 1_048_577)]
    sheet_rows.append(
        '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>LATE</t></is></c></row>'
    )
    path = tmp_path / "libreoffice.xlsx"
    write_xlsx(path, "".join(sheet_rows))
    table, rows = read(path)
    assert [n for n, _c in rows] == [2]
    assert table.lines_read < 5000


def test_row_08_it_refuses_xml_entities_in_a_workbook(tmp_path):
    """Billion laughs: defusedxml (installed) makes openpyxl refuse entity declarations."""
    path = tmp_path / "laughs.xlsx"
    write_xlsx(path, "")
    data = path.read_bytes()
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>'
    )
    rebuilt = tmp_path / "laughs2.xlsx"
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(rebuilt, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = laughs.encode()
            target.writestr(info, content)
    with pytest.raises(TableError) as error:
        read(rebuilt)
    assert error.value.code in ("corrupt_file", "no_rows")


def test_it_flags_cells_beyond_the_header_and_pads_short_rows():
    def build(workbook):
        sheet = workbook.active
        sheet.append(HEADER)
        sheet.append(ROW + ["", "stray"])
        sheet.append(ROW[:3])

    _table, rows = read(io.BytesIO(workbook_bytes(build)))
    assert [(p.code, p.params) for p in rows[0].problems] == [
        ("wrong_cell_count", {"found": len(HEADER) + 2, "expected": len(HEADER)})
    ]
    assert len(rows[1].cells) == len(HEADER) and not rows[1].problems


# --- a shared-strings bomb: the request reads the header, the worker the rest -----------------


def _open(content: bytes, *, header_only: bool):
    from dataclasses import replace

    from catalog.importing.columns import catalog_limits, looks_like_header

    return open_table(
        io.BytesIO(content),
        limits=replace(catalog_limits()),
        is_header=looks_like_header,
        header_only=header_only,
    )


def test_row_39_the_header_is_read_without_parsing_the_shared_strings_after_it():
    content = shared_strings_bomb(last_string_in_row_2=False)
    with _open(content, header_only=True) as table:
        assert table.header == HEADER
        assert table.shared_strings_read < 1000  # of 400,013


def test_row_39_a_check_that_needs_more_than_the_first_rows_is_left_to_the_worker():
    with pytest.raises(PreviewIncomplete) as caught, _open(shared_strings_bomb(), header_only=True):
        pass
    assert caught.value.detected["format"] == "xlsx"


def test_row_39_the_worker_reads_shared_strings_as_far_as_the_rows_need():
    last = len(HEADER) + 29_999
    content = shared_strings_workbook(HEADER, [[0, 1], [5, last]], filler=30_000)
    with _open(content, header_only=False) as table:
        rows = [cells[:2] for _number, cells in table]
        assert table.shared_strings_read == len(HEADER) + 30_000
    assert rows == [["sku", "title_uz"], ["brand", str(29_999 % 5000)]]


def test_row_39_a_shared_string_index_past_the_table_is_a_damaged_workbook():
    content = shared_strings_workbook(HEADER, [[0, len(HEADER) + 5]])
    with pytest.raises(TableError) as caught, _open(content, header_only=False) as table:
        list(table)
    assert caught.value.code == "corrupt_file"

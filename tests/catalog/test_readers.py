"""Reading files: formats by content, encodings, delimiters, header trouble, damage, limits."""

import io
import json
import struct
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from catalog.importing.columns import columns_map, looks_like_header
from catalog.importing.readers import FileError, cell_text, open_table
from tests.catalog.conftest import FIXTURES, SAMPLES

EXPECTED = json.loads((SAMPLES / "expected.json").read_text())


def read(source, **options):
    with open_table(source, is_header=looks_like_header, **options) as table:
        rows = list(table)
        return table, rows


def refused(source) -> FileError:
    with pytest.raises(FileError) as error:
        read(source)
    return error.value


@pytest.mark.parametrize(
    "name, detected",
    [
        ("catalog_utf8.csv", {"format": "csv", "encoding": "utf-8", "delimiter": ","}),
        ("catalog_gbk_zh.csv", {"format": "csv", "encoding": "gb18030", "delimiter": ","}),
        ("catalog_cp1251_ru.csv", {"format": "csv", "encoding": "cp1251", "delimiter": ";"}),
        ("catalog_utf16_uz.txt", {"format": "csv", "encoding": "utf-16", "delimiter": "\t"}),
        ("catalog_errors.csv", {"format": "csv", "encoding": "utf-8-sig", "delimiter": ","}),
        ("catalog_zh.xlsx", {"format": "xlsx", "encoding": None, "delimiter": None}),
    ],
)
def test_row_01_it_reads_every_sample_with_its_encoding_and_delimiter(name, detected):
    table, rows = read(SAMPLES / name)
    assert {k: table.detected[k] for k in detected} == detected
    assert table.header_row == 1
    assert len(rows) == EXPECTED[name]["rows"]
    assert [number for number, _cells in rows] == list(range(2, 2 + len(rows)))
    assert sorted(columns_map(table.header).index) == sorted(
        ["sku", "title_uz", "title_ru", "description_uz", "description_ru", "brand"]
        + ["category", "price_uzs", "stock", "barcode", "ikpu", "weight_g", "image_urls"]
    )
    assert all(not row.problems for row in rows)


def test_row_01_it_stores_text_exactly_as_decoded_from_each_encoding():
    _table, gbk = read(SAMPLES / "catalog_gbk_zh.csv")
    _table, cp1251 = read(SAMPLES / "catalog_cp1251_ru.csv")
    _table, utf16 = read(SAMPLES / "catalog_utf16_uz.txt")
    assert gbk[0][1][5] in ("蓝月", "金马", "天心")
    assert any("\u0400" <= ch <= "\u04ff" for ch in cp1251[0][1][2])  # Cyrillic title
    assert "\u00a0" in cp1251[0][1][7]  # the no-break spaces of the price kept as sent
    assert "so'm" in utf16[0][1][7]


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


@pytest.mark.parametrize(
    "name, code",
    [
        ("empty.csv", "empty_file"),
        ("header_only.csv", "no_rows"),
        ("blank_lines.csv", "no_rows"),
        ("png_named.csv", "unsupported_format"),
        ("pdf_named.csv", "unsupported_format"),
        ("html_named.xlsx", "unsupported_format"),
        ("legacy.xls", "unsupported_format"),
        ("encrypted.xlsx", "unsupported_format"),
        ("macro.xlsm", "unsupported_format"),
        ("truncated.xlsx", "corrupt_file"),
        ("undecodable.csv", "undecodable"),
        ("wide.csv", "too_many_columns"),
    ],
)
def test_row_07_it_refuses_files_it_cannot_import_with_a_clear_code(name, code):
    error = refused(FIXTURES / name)
    assert error.code == code
    assert error.message and error.message != code


@pytest.mark.parametrize(
    "name, words",
    [
        ("png_named.csv", "PNG"),
        ("legacy.xls", ".xls"),
        ("encrypted.xlsx", "password"),
        ("macro.xlsm", "macro"),
        ("undecodable.csv", "CSV UTF-8"),
    ],
)
def test_row_01_it_says_what_the_file_is_and_what_to_do(name, words):
    assert words in refused(FIXTURES / name).message


def test_row_05_it_honours_excels_sep_line():
    table, rows = read(FIXTURES / "sep_line.csv")
    assert table.detected["delimiter"] == ";"
    assert table.header_row == 1  # Excel hides the sep= line
    assert [n for n, _c in rows] == [2, 3, 4]
    assert rows[0][1][0] == "LY-1"


def test_row_05_it_skips_a_title_line_above_the_header():
    table, rows = read(FIXTURES / "title_line.csv")
    assert table.header_row == 3
    assert table.header[0] == "sku"
    assert [n for n, _c in rows] == [4, 5, 6]


def test_row_04_it_reports_an_unbalanced_quote_instead_of_merging_rows_silently():
    table, rows = read(FIXTURES / "unbalanced_quote.csv")
    damaged = [
        (n, [p.code for p in row.problems]) for row in rows for n in [row.number] if row.problems
    ]
    assert damaged == [(4, ["unbalanced_quote"])]
    assert table.lines_read > table.rows_read + 1  # the job shows rows read against lines


def test_row_04_it_reports_rows_with_more_or_fewer_cells_than_the_header():
    _table, rows = read(FIXTURES / "wrong_cells.csv")
    assert [(r.number, [p.code for p in r.problems]) for r in rows] == [
        (2, []),
        (3, ["wrong_cell_count"]),
        (4, ["wrong_cell_count"]),
    ]
    assert rows[1].problems[0].params == {"found": 4, "expected": 13}


def test_row_04_it_flags_nul_zero_width_and_bidi_override_characters():
    _table, rows = read(FIXTURES / "nul_bidi.csv")
    found = [(r.number, [(p.code, p.column) for p in r.problems]) for r in rows]
    assert found == [
        (2, [("invisible_characters", 0)]),
        (3, [("invisible_characters", 1)]),
        (4, [("invisible_characters", 0)]),
        (5, []),
    ]
    assert "NUL" in rows[0].problems[0].params["characters"]


def test_row_04_it_flags_a_200000_character_field():
    _table, rows = read(FIXTURES / "long_field.csv")
    assert [(p.code, p.column) for p in rows[0].problems] == [("cell_too_long", 3)]
    assert rows[0].problems[0].params["length"] == 200_000
    assert not rows[1].problems


def test_row_04_it_turns_a_quote_open_to_the_end_of_a_huge_file_into_a_file_error(tmp_path):
    path = tmp_path / "runaway.csv"
    header = (FIXTURES / "header_only.csv").read_bytes()
    path.write_bytes(header + b'LY-1,"never closed,' + b"x" * 1_100_000 + b"\r\n")
    error = refused(path)
    assert error.code == "unbalanced_quote"


def test_row_10_it_refuses_more_rows_than_the_limit(tmp_path):
    with pytest.raises(FileError) as error:
        read(SAMPLES / "catalog_utf8.csv", max_rows=50)
    assert error.value.code == "too_many_rows"


def test_it_reads_a_sample_from_a_stream_as_well_as_a_path():
    data = (SAMPLES / "catalog_utf8.csv").read_bytes()
    _table, rows = read(io.BytesIO(data))
    assert len(rows) == 200


def test_row_01_it_reads_utf16_without_a_bom_and_gbk_without_a_name(tmp_path):
    text = (SAMPLES / "catalog_utf8.csv").read_text(encoding="utf-8")
    path = tmp_path / "noname"
    path.write_bytes(text.encode("utf-16-le"))
    table, rows = read(path)
    assert table.detected["encoding"] == "utf-16-le" and len(rows) == 200


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


def test_row_08_it_refuses_a_zip_bomb_by_its_declared_size_before_decompressing(tmp_path):
    """1 KB on disk, declaring 2 GB: refused from the archive's directory alone."""
    path = tmp_path / "bomb.xlsx"
    write_xlsx(path, "")
    data = bytearray(path.read_bytes())
    # Patch the uncompressed size of the sheet entry in the central directory to 2 GB.
    central = data.rfind(b"PK\x01\x02", 0, data.rfind(b"xl/worksheets/sheet1.xml") + 1)
    struct.pack_into("<I", data, central + 24, 2_000_000_000)
    path.write_bytes(bytes(data))
    error = refused(path)
    assert error.code == "archive_too_large"


def test_row_08_it_refuses_a_zip_bomb_by_its_compression_ratio(tmp_path):
    path = tmp_path / "ratio.xlsx"
    write_xlsx(path, "")
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/zeros.bin", b"\x00" * (20 * 1024 * 1024))
    assert path.stat().st_size < 200_000
    assert refused(path).code == "archive_too_large"


def test_row_08_it_refuses_an_archive_with_too_many_entries(tmp_path):
    path = tmp_path / "entries.xlsx"
    write_xlsx(path, "")
    with zipfile.ZipFile(path, "a") as archive:
        for index in range(2_001):
            archive.writestr(f"xl/media/{index}.bin", b"")
    error = refused(path)
    assert error.code == "archive_too_large" and "entries" in error.message


def test_row_07_it_refuses_a_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "photos.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("photo.jpg", b"\xff\xd8\xff")
    assert refused(path).code == "unsupported_format"


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
    with pytest.raises(FileError) as error:
        read(rebuilt)
    assert error.value.code in ("corrupt_file", "no_rows")

"""Opening a file: CSV or XLSX by content, the header found, the caller's limits applied."""

import io

import pytest

from catalog.importing.columns import columns_map
from portal.tabular import TableError, open_table
from tests.catalog.conftest import SAMPLES
from tests.portal.tabular.conftest import EXPECTED, LIMITS_FOR_TESTS, read


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


def test_row_10_it_refuses_more_rows_than_the_limit(tmp_path):
    with pytest.raises(TableError) as error:
        read(SAMPLES / "catalog_utf8.csv", max_rows=50)
    assert error.value.code == "too_many_rows"


def test_it_reads_a_sample_from_a_stream_as_well_as_a_path():
    data = (SAMPLES / "catalog_utf8.csv").read_bytes()
    _table, rows = read(io.BytesIO(data))
    assert len(rows) == 200


def test_it_refuses_more_columns_than_the_callers_limit():
    with pytest.raises(TableError) as error:
        read(SAMPLES / "catalog_utf8.csv", max_columns=5)
    assert error.value.code == "too_many_columns"
    assert error.value.params == {"count": 13, "max": 5}


def test_it_finds_the_first_row_with_two_filled_cells_when_no_header_test_is_given():
    data = b"Price list\n\nname,price\ntea,100\n"
    with open_table(io.BytesIO(data), limits=LIMITS_FOR_TESTS) as table:
        assert (table.header_row, table.header) == (3, ["name", "price"])
        assert [tuple(row) for row in table] == [(4, ["tea", "100"])]


def test_it_closes_a_file_it_opened_from_a_path_and_leaves_a_stream_open(tmp_path):
    path = tmp_path / "prices.csv"
    path.write_bytes(b"name,price\ntea,100\n")
    with open_table(path, limits=LIMITS_FOR_TESTS) as table:
        list(table)
    stream = io.BytesIO(path.read_bytes())
    with open_table(stream, limits=LIMITS_FOR_TESTS) as table:
        list(table)
    assert not stream.closed

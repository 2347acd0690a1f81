"""Telling a CSV file's encoding: byte order marks, what decodes, and language statistics."""

import pytest

from portal.tabular import TableError
from portal.tabular.encodings import detect_encoding
from tests.catalog.conftest import SAMPLES
from tests.portal.tabular.conftest import read


def test_row_01_it_stores_text_exactly_as_decoded_from_each_encoding():
    _table, gbk = read(SAMPLES / "catalog_gbk_zh.csv")
    _table, cp1251 = read(SAMPLES / "catalog_cp1251_ru.csv")
    _table, utf16 = read(SAMPLES / "catalog_utf16_uz.txt")
    assert gbk[0][1][5] in ("蓝月", "金马", "天心")
    assert any("\u0400" <= ch <= "\u04ff" for ch in cp1251[0][1][2])  # Cyrillic title
    assert "\u00a0" in cp1251[0][1][7]  # the no-break spaces of the price kept as sent
    assert "so'm" in utf16[0][1][7]


def test_row_01_it_reads_utf16_without_a_bom_and_gbk_without_a_name(tmp_path):
    text = (SAMPLES / "catalog_utf8.csv").read_text(encoding="utf-8")
    path = tmp_path / "noname"
    path.write_bytes(text.encode("utf-16-le"))
    table, rows = read(path)
    assert table.detected["encoding"] == "utf-16-le" and len(rows) == 200


@pytest.mark.parametrize(
    "head, codec",
    [
        (b"\xef\xbb\xbfsku,brand", "utf-8-sig"),
        ("sku,brand".encode("utf-16"), "utf-16"),
        ("sku,brand".encode("utf-16-be"), "utf-16-be"),
        ("Артикул;Бренд".encode(), "utf-8"),
        ("Артикул;Бренд;Цена;Остаток".encode("cp1251"), "cp1251"),
        ("商品编码,品牌,类目,价格".encode("gb18030"), "gb18030"),
    ],
)
def test_it_detects_the_encoding_from_the_first_bytes(head, codec):
    assert detect_encoding(head, complete=True)[0] == codec


def test_it_refuses_bytes_no_candidate_encoding_decodes():
    with pytest.raises(TableError) as error:
        detect_encoding(b"\x81\x30\xff\x98", complete=True)
    assert error.value.code == "undecodable"

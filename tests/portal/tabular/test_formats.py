"""Telling a file's format by its bytes, and refusing dangerous archives before they inflate."""

import io
import struct
import zipfile

import pytest

from portal.tabular import TableError
from portal.tabular.formats import sniff_format
from tests.portal.tabular.conftest import refused, write_xlsx


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


@pytest.mark.parametrize(
    "head, kind",
    [
        (b"sku,brand\r\nLY-1,Lanyue\r\n", "csv"),
        (b"\xef\xbb\xbfsku,brand\r\n", "csv"),
        (b"PK\x03\x04rest of a zip", "xlsx"),
    ],
)
def test_it_tells_csv_from_xlsx_by_the_first_bytes(head, kind):
    assert sniff_format(head, io.BytesIO(head)) == kind


@pytest.mark.parametrize(
    "head, code, kind",
    [
        (b"", "empty_file", None),
        (b"\r\n \r\n", "no_rows", None),
        (b"%PDF-1.7", "unsupported_format", "a PDF document"),
        (b"<!DOCTYPE html><html>", "unsupported_format", "an HTML page"),
        (b'<?xml version="1.0"?><root/>', "unsupported_format", "an XML document"),
    ],
)
def test_it_names_what_a_file_that_is_not_a_spreadsheet_is(head, code, kind):
    with pytest.raises(TableError) as error:
        sniff_format(head, io.BytesIO(head))
    assert error.value.code == code
    assert error.value.params.get("kind") == kind

"""Telling a file's format by its bytes, and refusing dangerous archives before they inflate."""

import io
import struct
import zipfile

import pytest

from portal.tabular import TableError
from portal.tabular.formats import Budgeted, sniff_format
from portal.tabular.messages import READING_MESSAGES, message_format
from tests.portal.tabular.conftest import (
    HEADER,
    Refusal,
    read,
    refused,
    shared_strings_bomb,
    shared_strings_workbook,
    write_xlsx,
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


# --- the parts a workbook is read from: capped by their declared and their real size ---------

MB = 1024 * 1024


def _refused_with(content: bytes, **limits) -> Refusal:
    with pytest.raises(TableError) as caught:
        read(io.BytesIO(content), **limits)
    code, params = caught.value.code, caught.value.params
    return Refusal(code, params, message_format(READING_MESSAGES[code], params))


def test_row_39_it_refuses_shared_strings_declared_above_their_cap_before_parsing(monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("the workbook was parsed")

    monkeypatch.setattr("portal.tabular.xlsx_reader.workbook_read", never)
    refusal = _refused_with(shared_strings_bomb(), xlsx_max_shared_strings=1 * MB)
    assert refusal.code == "archive_too_large"
    assert "sharedStrings.xml" in refusal.message and "1 MB" in refusal.message


def test_row_39_it_refuses_styles_and_sheets_declared_above_their_caps():
    styled = shared_strings_workbook(HEADER, [[0]], styles=20_000)
    refusal = _refused_with(styled, xlsx_max_styles=256 * 1024)
    assert refusal.code == "archive_too_large" and "styles.xml" in refusal.message
    long_sheet = shared_strings_workbook(HEADER, [[0, 1, 2]] * 20_000)
    refusal = _refused_with(long_sheet, xlsx_max_sheet=512 * 1024)
    assert refusal.code == "archive_too_large" and "sheet1.xml" in refusal.message


def test_row_39_a_part_is_refused_when_it_inflates_past_its_declared_size():
    """The central directory says 100 bytes; the data inflates to 7.9 MB. It is never parsed
    past what was declared (zipfile stops there and the checksum fails)."""
    data = bytearray(shared_strings_bomb())
    name = b"xl/sharedStrings.xml"
    central = data.rfind(b"PK\x01\x02", 0, data.rfind(name) + 1)
    struct.pack_into("<I", data, central + 24, 100)
    local = data.find(name) - 30  # the local header, 30 bytes before the first copy of the name
    struct.pack_into("<I", data, local + 22, 100)
    refusal = _refused_with(bytes(data))
    assert refusal.code in ("archive_too_large", "corrupt_file")


def test_row_39_a_budget_stops_inflating_at_its_byte_count():
    reader = Budgeted(io.BytesIO(b"x" * 5000), budget=4096, name="xl/sharedStrings.xml")
    assert reader.read(4000) == b"x" * 4000
    with pytest.raises(TableError) as caught:
        reader.read(4000)
    assert caught.value.code == "archive_too_large"
    assert "sharedStrings.xml" in caught.value.params["reason"]

"""File names and headers of every download (portal/downloads.py)."""

import io

import pytest
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from hypothesis import given
from hypothesis import strategies as st

from portal.downloads import (
    MAX_NAME_LENGTH,
    MAX_STEM_LENGTH,
    clean_filename,
    download_name,
    file_response,
    mark_download,
    written_file_response,
)

UNSAFE = "\r\n\x00\x1b\x7f\x85\u200b\u200f\u202e\u2066\u2028\u2029\ufeff/\\"


@pytest.mark.parametrize(
    ("name", "cleaned"),
    [
        ("report.xlsx", "report.xlsx"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\scans\\执照.pdf", "执照.pdf"),
        ("evil\u202egpj.pdf", "evilgpj.pdf"),
        ("line\nbreak.pdf", "linebreak.pdf"),
        ("zero\u200bwidth\ufeff.csv", "zerowidth.csv"),
        ("  spaced.pdf  ", "spaced.pdf"),
        ("cafe\u0301.pdf", "caf\u00e9.pdf"),
        ("", "fallback"),
        ("\u202e\n", "fallback"),
        ("dir/", "fallback"),
    ],
)
def test_it_cleans_a_file_name(name, cleaned):
    assert clean_filename(name, fallback="fallback") == cleaned


def test_it_bounds_a_long_name_and_keeps_its_extension():
    assert clean_filename("a" * 300 + ".pdf", fallback="") == "a" * 251 + ".pdf"
    assert clean_filename("b" * 300, fallback="") == "b" * MAX_NAME_LENGTH
    assert clean_filename("c." + "x" * 300, fallback="") == "c." + "x" * 19


@given(st.text(max_size=400))
def test_it_never_lets_a_path_or_an_unsafe_character_through(name):
    cleaned = clean_filename(name, fallback="download")
    assert cleaned and len(cleaned) <= MAX_NAME_LENGTH
    assert not any(char in cleaned for char in UNSAFE)
    header = content_disposition_header(True, cleaned)
    assert header is not None and "\n" not in header and "\r" not in header


@pytest.mark.parametrize(
    ("filename", "name"),
    [
        ("prices.xlsx", "prices-errors.csv"),
        ("../价格 表.csv", "价格 表-errors.csv"),
        ("...", "import-7-errors.csv"),
        ("", "import-7-errors.csv"),
        ("x" * 300 + ".csv", "x" * MAX_STEM_LENGTH + "-errors.csv"),
    ],
)
def test_it_derives_a_download_name_from_an_upload(filename, name):
    assert download_name(filename, "-errors.csv", "import-7") == name


def test_it_streams_an_open_file_as_a_private_inert_attachment():
    response = file_response(io.BytesIO(b"%PDF-1.7"), filename="营业执照.pdf", content_type="")
    assert b"".join(response.streaming_content) == b"%PDF-1.7"
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7.pdf"
    )
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_it_shows_a_file_inline_when_asked():
    response = file_response(
        io.BytesIO(b"x"), filename="scan.png", content_type="image/png", as_attachment=False
    )
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'inline; filename="scan.png"'


def test_it_writes_a_generated_file_and_sends_it_from_the_start():
    response = written_file_response(
        lambda stream: stream.write(b"a,b\r\n"), filename='we"ird\n.csv', content_type="text/csv"
    )
    assert b"".join(response.streaming_content) == b"a,b\r\n"
    assert response["Content-Disposition"] == 'attachment; filename="we\\"ird.csv"'


def test_it_marks_a_response_built_in_memory_as_a_download():
    response = mark_download(HttpResponse("a,b"), filename="insights-brands.csv")
    assert response["Content-Disposition"] == 'attachment; filename="insights-brands.csv"'
    assert response["Cache-Control"] == "private, no-store"

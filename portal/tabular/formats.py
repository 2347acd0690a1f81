"""What a file is, told from its bytes (never its name), and the checks a workbook passes first."""

import re
import zipfile
import zlib
from typing import IO

from portal.tabular.problems import TableError
from portal.tabular.table import Limits

XLSX_RATIO_MIN_SIZE = 1024 * 1024  # smaller entries may compress as well as they like

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "a PNG image"),
    (b"%PDF", "a PDF document"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"{\\rtf", "an RTF document"),
)
_HTML = re.compile(rb"^\s*(<!doctype\s+html|<html|<table|<head|<body|<meta)", re.IGNORECASE)
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")


def sniff_format(head: bytes, stream: IO[bytes]) -> str:
    """ "csv" or "xlsx" from the file's bytes; TableError for anything else."""
    if not head:
        raise TableError("empty_file")
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            raise TableError("unsupported_format", kind=kind)
    if head.startswith(_OLE2):
        # Both legacy .xls and password-protected .xlsx are OLE2 containers; the latter holds
        # an "EncryptedPackage" stream.
        if _stream_contains(stream, _ENCRYPTED_MARK):
            raise TableError("unsupported_format", kind="a password-protected workbook")
        raise TableError("unsupported_format", kind="a legacy Excel 97-2003 (.xls) file")
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "xlsx"
    stripped = head.lstrip(b"\xef\xbb\xbf")
    if _HTML.match(stripped):
        raise TableError("unsupported_format", kind="an HTML page")
    if stripped.lstrip().startswith(b"<?xml"):
        raise TableError("unsupported_format", kind="an XML document")
    if not head.strip(b" \t\r\n\x00"):
        raise TableError("no_rows")
    return "csv"


def _stream_contains(stream: IO[bytes], needle: bytes) -> bool:
    stream.seek(0)
    tail = b""
    try:
        while chunk := stream.read(1 << 20):
            if needle in tail + chunk:
                return True
            tail = chunk[-len(needle) :]
        return False
    finally:
        stream.seek(0)


def check_archive(stream: IO[bytes], limits: Limits) -> None:
    """Refuse zip bombs, macro workbooks and non-workbooks before anything is decompressed."""
    max_entries = limits.xlsx_max_entries
    max_total = limits.xlsx_max_uncompressed
    max_ratio = limits.xlsx_max_ratio
    stream.seek(0)
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        raise TableError("corrupt_file") from error
    infos = archive.infolist()
    if len(infos) > max_entries:
        raise TableError("archive_too_large", reason=f"{len(infos)} entries, at most {max_entries}")
    total = sum(info.file_size for info in infos)
    if total > max_total:
        raise TableError(
            "archive_too_large", reason=f"{total // 2**20} MB, at most {max_total // 2**20} MB"
        )
    for info in infos:
        if info.file_size > XLSX_RATIO_MIN_SIZE and (
            info.compress_size == 0 or info.file_size / info.compress_size > max_ratio
        ):
            raise TableError(
                "archive_too_large",
                reason=f"{info.filename} is compressed more than {max_ratio}:1",
            )
    names = {info.filename for info in infos}
    if "mimetype" in names and "content.xml" in names:
        raise TableError("unsupported_format", kind="an OpenDocument (.ods) file")
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        if "xl/workbook.bin" in names:
            raise TableError("unsupported_format", kind="a binary workbook (.xlsb)")
        if "word/document.xml" in names:
            raise TableError("unsupported_format", kind="a Word document")
        raise TableError("unsupported_format", kind="a zip archive")
    content_types = archive.getinfo("[Content_Types].xml")
    if content_types.file_size > 1024 * 1024:
        raise TableError("corrupt_file")
    try:
        types = archive.read(content_types)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
        raise TableError("corrupt_file") from error
    if b"macroEnabled" in types or "xl/vbaProject.bin" in names:
        raise TableError("unsupported_format", kind="a macro-enabled workbook (.xlsm)")
    stream.seek(0)

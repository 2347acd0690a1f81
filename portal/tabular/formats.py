"""What a file is, told from its bytes (never its name), and the checks a workbook passes first."""

import re
import zipfile
import zlib
from collections.abc import Callable
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


def check_archive(stream: IO[bytes], limits: Limits) -> dict[str, int]:
    """Refuse zip bombs, macro workbooks and non-workbooks before anything is decompressed.

    Returns the cap of each part the reader streams (the shared strings and the sheets), for
    it to count their real size against while they inflate.
    """
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
    caps = _part_caps(infos, types, limits)
    for info in infos:
        cap = caps.get(info.filename)
        if cap is not None and info.file_size > cap:
            raise part_too_large(info.filename, cap, info.file_size)
    stream.seek(0)
    return caps


_OVERRIDE = re.compile(rb"<Override\b[^>]*>")
_PART_NAME = re.compile(rb'PartName="/?([^"]+)"')
_CONTENT_TYPE = re.compile(rb'ContentType="([^"]+)"')


def _part_caps(infos: list[zipfile.ZipInfo], types: bytes, limits: Limits) -> dict[str, int]:
    """The cap of each part a workbook is read from, told by its declared content type (how
    openpyxl finds the shared strings) or its usual name."""
    declared: dict[str, bytes] = {}
    for tag in _OVERRIDE.findall(types):
        part, content_type = _PART_NAME.search(tag), _CONTENT_TYPE.search(tag)
        if part and content_type:
            declared[part.group(1).decode("utf-8", "replace")] = content_type.group(1)
    caps: dict[str, int] = {}
    for info in infos:
        name, kind = info.filename, declared.get(info.filename, b"")
        if name == "xl/sharedStrings.xml" or kind.endswith(b".sharedStrings+xml"):
            cap = limits.xlsx_max_shared_strings
        elif name.startswith("xl/worksheets/") or kind.endswith(b".worksheet+xml"):
            cap = limits.xlsx_max_sheet
        elif name.endswith(".rels") or name in ("xl/styles.xml", "xl/workbook.xml"):
            cap = limits.xlsx_max_styles  # parsed whole, as the styles are
        else:
            continue
        if cap is not None:
            caps[name] = cap
    return caps


def _size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f}".removesuffix(".0") + " MB"
    return f"{max(size // 1024, 1)} KB"


def part_too_large(name: str, cap: int, size: int | None = None) -> TableError:
    """`archive_too_large` for one part of a workbook, naming it."""
    if size is None:
        reason = f"{name} expands past {_size_text(cap)}"
    else:
        reason = f"{name} is {_size_text(size)}, at most {_size_text(cap)}"
    return TableError("archive_too_large", reason=reason)


class Budget:
    """Bytes that may still be inflated, shared by the parts read under it."""

    def __init__(self, size: int, exceeded: Callable[[], Exception]) -> None:
        self.left = size
        self.exceeded = exceeded

    def spend(self, size: int) -> None:
        self.left -= size
        if self.left < 0:
            raise self.exceeded()


class Budgeted:
    """A part of the archive as it inflates, refused once it passes its cap (whatever its
    declared size said) or a budget it shares with other parts (a preview's)."""

    def __init__(
        self,
        stream: IO[bytes],
        *,
        budget: int | None,
        name: str,
        shared: Budget | None = None,
    ) -> None:
        self._stream = stream
        self._budgets = [shared] if shared is not None else []
        if budget is not None:
            self._budgets.append(Budget(budget, lambda: part_too_large(name, budget)))

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:  # all of it, still counted as it comes
            return b"".join(iter(lambda: self.read(1 << 16), b""))
        data = self._stream.read(size)
        for budget in self._budgets:
            budget.spend(len(data))
        return data

    def close(self) -> None:
        self._stream.close()

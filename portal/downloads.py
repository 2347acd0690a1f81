"""Files sent to the browser: safe names written per RFC 6266 and the headers every download has."""

import tempfile
import unicodedata
from collections.abc import Callable
from typing import IO

from django.core.files import File
from django.http import FileResponse, HttpResponseBase
from django.utils.http import content_disposition_header

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OCTET_STREAM = "application/octet-stream"
# A stored name fits a CharField(max_length=255); an extension longer than this is not one.
MAX_NAME_LENGTH = 255
MAX_EXTENSION_LENGTH = 20
# Names built from a user's file name ("<stem>-errors.csv") keep this much of its stem.
MAX_STEM_LENGTH = 100
# Generated files stay in memory up to this size, then spill to a temporary file.
SPOOL_BYTES = 4 * 1024 * 1024
# Controls, format characters (bidi overrides, zero-width, BOM), surrogates, unassigned code
# points and line or paragraph separators: none of them belongs in a file name or a header.
_UNSAFE_CATEGORIES = ("C", "Zl", "Zp")


def clean_filename(name: str, *, fallback: str, max_length: int = MAX_NAME_LENGTH) -> str:
    """A user's file name made safe to show and to send back: no path, no unsafe characters,
    at most max_length characters with the extension kept; fallback when nothing is left."""
    name = str(name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(
        char
        for char in unicodedata.normalize("NFC", name)
        if not unicodedata.category(char).startswith(_UNSAFE_CATEGORIES)
    ).strip()
    if len(name) > max_length:
        stem, dot, extension = name.rpartition(".")
        extension = (dot + extension)[:MAX_EXTENSION_LENGTH] if stem else ""
        name = (stem if stem else name)[: max_length - len(extension)] + extension
    return name or fallback


def download_name(filename: str, suffix: str, fallback: str) -> str:
    """A name for a file built from a user's upload (`report.xlsx` -> `report-errors.csv`)."""
    name = clean_filename(filename, fallback="").strip(" .")
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return f"{stem[:MAX_STEM_LENGTH] or fallback}{suffix}"


def mark_download[Response: HttpResponseBase](
    response: Response, *, filename: str, as_attachment: bool = True
) -> Response:
    """Name the response's file per RFC 6266 and keep it private and inert: a download is
    never cached by a shared proxy and never runs as a page of this site, even shown inline."""
    name = clean_filename(filename, fallback="download")
    # Never None: the cleaned name is never empty.
    response["Content-Disposition"] = content_disposition_header(as_attachment, name) or ""
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def file_response(
    file: IO[bytes] | File,
    *,
    filename: str,
    content_type: str | None,
    as_attachment: bool = True,
) -> FileResponse:
    """Stream an open file (read from its current position) as a download."""
    response = FileResponse(file, content_type=content_type or OCTET_STREAM)
    return mark_download(response, filename=filename, as_attachment=as_attachment)


def written_file_response(
    write: Callable[[IO[bytes]], object], *, filename: str, content_type: str
) -> FileResponse:
    """Stream a file that `write` produces: small ones from memory, large ones from disk."""
    stream = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
    write(stream)
    stream.seek(0)
    return file_response(stream, filename=filename, content_type=content_type)

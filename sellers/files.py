"""Sending a stored document back: only after a selector has checked who may see it."""

from django.http import FileResponse, Http404

from portal.downloads import file_response
from sellers.models import Document


def document_file_response(document: Document, *, as_attachment: bool = True) -> FileResponse:
    """The stored file under the name it was uploaded with, its extension the detected type's
    (404 when the file is gone)."""
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return file_response(
        handle,
        filename=document.download_name,
        content_type=document.content_type,
        as_attachment=as_attachment,
    )

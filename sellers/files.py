"""Sending a stored document back: only after a selector has checked who may see it."""

from django.http import FileResponse, Http404

from sellers.models import Document


def document_file_response(document: Document, *, as_attachment: bool = True) -> FileResponse:
    """The stored file named as uploaded; Django encodes the name per RFC 6266 (filename*)."""
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=as_attachment,
        filename=document.original_name,
        content_type=document.content_type,
    )
    # Uploaded content never runs as a page of this site, even when viewed inline.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response

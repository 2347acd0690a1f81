"""A seller's document shown inline on its admin review page: PDF or image only, sandboxed.

The same access checks as the document download (staff who may read documents, through the
staff selector); the answer is the stored file under its detected type, and only when its
first bytes still say so: never HTML, never a type the browser would guess.
"""

from typing import cast

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest

from sellers import permissions, selectors
from sellers.files import document_file_response
from sellers.models import Document, User

# The types a document may have that a browser shows by itself, with their magic bytes.
PREVIEW_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "application/pdf": (b"%PDF-",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
}
# Framed by the admin page only; nothing in the file may load or run anything.
PREVIEW_POLICY = (
    "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; "
    "frame-ancestors 'self'; sandbox"
)


def document_previewable(document: Document) -> bool:
    """A PDF or an image whose stored bytes start as that type does (a renamed or replaced
    file is not previewed)."""
    signatures = PREVIEW_SIGNATURES.get(document.content_type)
    if not signatures:
        return False
    try:
        with document.file.open("rb") as handle:
            head = handle.read(16)
    except (FileNotFoundError, ValueError):
        return False
    return head.startswith(signatures)


def document_preview_view(request: HttpRequest, document_id: int) -> FileResponse:
    """The document inline, for the admin's preview frame (404 when it cannot be previewed)."""
    user = cast(User, request.user)
    if not permissions.can_read_documents(user):
        raise PermissionDenied
    document = selectors.document_get_for_staff(user=user, id=document_id)
    if not document_previewable(document):
        raise Http404
    response = document_file_response(document, as_attachment=False)
    response["Content-Security-Policy"] = PREVIEW_POLICY
    # The admin's own page frames it; every other site is refused (X_FRAME_OPTIONS is DENY).
    response["X-Frame-Options"] = "SAMEORIGIN"
    return response

"""RELIABILITY row 45: a document is downloaded under a clean name with the extension of its
detected type, from every route that serves one (the seller's page and API, the admin).

`passwd.html` uploaded with a PDF's content is served as `passwd.pdf`; bidi and control
characters are gone from the name, wherever they came from.
"""

import pytest
from django.test import Client
from django.urls import reverse

from sellers import services
from sellers.models import Document, DocumentKind
from tests.security.conftest import SellerWorld
from tests.security.routes import all_routes, read
from tests.sellers.factories import PDF_BYTES, PNG_BYTES, DocumentFactory, StaffFactory
from tests.sellers.test_api import upload

pytestmark = pytest.mark.django_db

NAMES = [
    # (the uploaded name, its content, the content type, the name it is served under)
    ("passwd.html", PDF_BYTES, "application/pdf", "passwd.pdf"),
    ("scan.pdf.exe", PNG_BYTES, "image/png", "scan.pdf.png"),
    ("licence", PDF_BYTES, "application/pdf", "licence.pdf"),
    ("invoice\u202egnp.exe", PNG_BYTES, "image/png", "invoicegnp.png"),
    ("line\r\nbreak\x07.pdf", PDF_BYTES, "application/pdf", "linebreak.pdf"),
    ("\u200b\u2066.html", PDF_BYTES, "application/pdf", "document.pdf"),
]


def document_file_paths(document: Document) -> list[str]:
    """Every route that serves a document's file, found by its name."""
    paths = [
        route.build({name: document.pk for name in route.params})
        for route in all_routes()
        if route.name and "document" in route.name and route.name.endswith("file")
    ]
    assert len(paths) >= 3, paths
    return paths


def _filename(response) -> str:
    disposition = response["Content-Disposition"]
    read(response)
    if "filename*=utf-8''" in disposition:
        raise AssertionError(f"a name that needs encoding: {disposition}")
    return disposition.split('filename="', 1)[1].rsplit('"', 1)[0]


def _uploaded(world: SellerWorld, name: str, content: bytes) -> Document:
    """A document uploaded by the seller (as a draft, the status that may upload)."""
    world.seller.status = "draft"
    world.seller.save()
    return services.document_upload(
        seller=world.seller,
        user=world.user,
        kind=DocumentKind.BUSINESS_LICENSE,
        file=upload(name, content),
    )


@pytest.mark.parametrize(
    ("uploaded", "content", "content_type", "served"), NAMES, ids=[name[3] for name in NAMES]
)
def test_row_45_a_document_is_served_with_its_detected_types_extension_and_a_clean_name(
    alpha: SellerWorld, uploaded: str, content: bytes, content_type: str, served: str
):
    # Stored through the upload service, and as an older row that kept its raw name.
    uploaded_document = _uploaded(alpha, uploaded, content)
    raw_document = DocumentFactory(
        seller=alpha.seller, original_name=uploaded, content_type=content_type
    )
    seller_client, staff_client = Client(), Client()
    seller_client.force_login(alpha.user)
    staff_client.force_login(StaffFactory())
    for document in (uploaded_document, raw_document):
        for path in document_file_paths(document):
            client = staff_client if path.startswith("/admin/") else seller_client
            response = client.get(path)
            assert response.status_code == 200, path
            assert _filename(response) == served, path


def test_row_45_an_uploaded_polyglot_keeps_its_detected_type_and_extension(alpha: SellerWorld):
    document = _uploaded(alpha, "passwd.html", PDF_BYTES + b"<html><script>x</script></html>")
    client = Client()
    client.force_login(alpha.user)
    response = client.get(reverse("sellers:document-file", args=[document.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert _filename(response) == "passwd.pdf"
    assert response["X-Content-Type-Options"] == "nosniff"

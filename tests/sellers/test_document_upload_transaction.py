"""A document upload takes the seller's row lock inside its own transaction: checked outside the
test's transaction, as a request runs (pytest-django's default wraps every test in one)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sellers.models import SellerStatus
from tests.sellers.factories import seller_with_owner

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.django_db(transaction=True)
def test_a_document_upload_runs_in_its_own_transaction(client):
    seller, user = seller_with_owner(status=SellerStatus.DRAFT, documents=False)
    client.force_login(user)
    upload = SimpleUploadedFile("营业执照.pdf", PDF, "application/pdf")
    answer = client.post(
        "/documents/", {"kind": "business_license", "expires_on": "2030-12-31", "file": upload}
    )
    assert answer.status_code == 302
    assert seller.documents.get().original_name == "营业执照.pdf"

"""Documents after approval, at the service level: the approval check, review, renewal."""

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from portal.errors import ConflictError
from sellers import document_services, services
from sellers.models import Document, DocumentKind, DocumentReview, SellerStatus
from tests.sellers.factories import (
    PDF_BYTES,
    PNG_BYTES,
    DocumentFactory,
    StaffFactory,
    UserFactory,
    seller_with_owner,
)

pytestmark = pytest.mark.django_db
S = SellerStatus
R = DocumentReview


def upload(name: str, content: bytes) -> io.BytesIO:
    handle = io.BytesIO(content)
    handle.name = name
    return handle


def accept_all(seller) -> None:
    seller.documents.update(review_state=R.ACCEPTED)


def stored_files(settings) -> list[Path]:
    return [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


# The approval check


def test_it_refuses_to_approve_while_both_required_documents_are_pending():
    seller, _owner = seller_with_owner(status=S.SUBMITTED)
    with pytest.raises(ConflictError) as refusal:
        services.seller_approve(seller=seller, by=StaffFactory(), reason="Looks fine.")
    assert refusal.value.code == "documents_not_accepted"
    named = {(d["kind"], d["review_state"]) for d in refusal.value.data["documents"]}
    assert named == {
        ("business_license", "pending"),
        ("uz_registration_certificate", "pending"),
    }
    assert "营业执照 licence.pdf" in refusal.value.message
    seller.refresh_from_db()
    assert seller.status == S.SUBMITTED
    assert not seller.status_history.exists()


def test_it_names_only_the_document_still_rejected():
    seller, _owner = seller_with_owner(status=S.SUBMITTED)
    licence = seller.documents.get(kind=DocumentKind.BUSINESS_LICENSE)
    certificate = seller.documents.get(kind=DocumentKind.UZ_REGISTRATION_CERTIFICATE)
    licence.review_state = R.ACCEPTED
    licence.save()
    certificate.review_state, certificate.review_reason = R.REJECTED, "Blurry."
    certificate.save()
    with pytest.raises(ConflictError) as refusal:
        services.seller_approve(seller=seller, by=StaffFactory(), reason="Looks fine.")
    assert refusal.value.data["documents"] == [
        {
            "id": certificate.pk,
            "kind": "uz_registration_certificate",
            "original_name": certificate.original_name,
            "review_state": "rejected",
        }
    ]
    assert "Uzbek registration certificate" in refusal.value.message
    assert "rejected" in refusal.value.message


def test_it_names_a_required_kind_that_was_never_uploaded():
    seller, _owner = seller_with_owner(status=S.SUBMITTED, documents=False)
    DocumentFactory(seller=seller, review_state=R.ACCEPTED)
    with pytest.raises(ConflictError) as refusal:
        services.seller_approve(seller=seller, by=StaffFactory(), reason="Looks fine.")
    assert refusal.value.data["missing"] == ["uz_registration_certificate"]


def test_it_approves_once_the_required_documents_are_accepted():
    seller, _owner = seller_with_owner(status=S.SUBMITTED)
    # An optional document still pending does not hold the approval up.
    DocumentFactory(seller=seller, kind=DocumentKind.TRADEMARK_CERTIFICATE)
    accept_all_required = seller.documents.exclude(kind=DocumentKind.TRADEMARK_CERTIFICATE)
    accept_all_required.update(review_state=R.ACCEPTED)
    services.seller_approve(seller=seller, by=StaffFactory(), reason="All in order.")
    seller.refresh_from_db()
    assert seller.status == S.APPROVED


def test_it_checks_the_status_before_the_documents():
    seller, _owner = seller_with_owner(status=S.DRAFT)
    with pytest.raises(ConflictError) as refusal:
        services.seller_approve(seller=seller, by=StaffFactory(), reason="Looks fine.")
    assert refusal.value.code == ""  # the status answer, not the documents one


def test_a_pending_renewal_does_not_stop_reinstating_a_suspended_seller():
    seller, owner = seller_with_owner(status=S.APPROVED)
    accept_all(seller)
    services.document_upload(
        seller=seller,
        user=owner,
        kind=DocumentKind.BUSINESS_LICENSE,
        file=upload("new.pdf", PDF_BYTES),
    )
    staff = StaffFactory()
    services.seller_suspend(seller=seller, by=staff, reason="Complaint.")
    services.seller_approve(seller=seller, by=staff, reason="Resolved.")
    seller.refresh_from_db()
    assert seller.status == S.APPROVED


# Review


def test_it_records_who_reviewed_a_document_and_when():
    document = DocumentFactory()
    staff = StaffFactory()
    document_services.document_accept(document=document, by=staff)
    document.refresh_from_db()
    assert document.review_state == R.ACCEPTED
    assert document.reviewed_by == staff
    assert document.reviewed_at is not None


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_rejection_needs_a_reason(reason):
    document = DocumentFactory()
    with pytest.raises(ValidationError) as error:
        document_services.document_reject(document=document, by=StaffFactory(), reason=reason)
    assert "reason" in error.value.message_dict
    document.refresh_from_db()
    assert document.review_state == R.PENDING


def test_only_staff_review_documents():
    document = DocumentFactory()
    with pytest.raises(PermissionDenied):
        document_services.document_accept(document=document, by=UserFactory())
    document.refresh_from_db()
    assert document.review_state == R.PENDING


# Renewal


@pytest.fixture
def approved():
    seller, owner = seller_with_owner(status=S.APPROVED)
    accept_all(seller)
    licence = seller.documents.get(kind=DocumentKind.BUSINESS_LICENSE)
    return seller, owner, licence


def renew(seller, owner, **kwargs):
    kwargs.setdefault("kind", DocumentKind.BUSINESS_LICENSE)
    kwargs.setdefault("file", upload("licence-2027.pdf", PDF_BYTES))
    kwargs.setdefault("expires_on", timezone.localdate() + timedelta(days=700))
    return services.document_upload(seller=seller, user=owner, **kwargs)


def test_an_approved_seller_uploads_a_renewal_of_the_current_licence(approved):
    seller, owner, licence = approved
    renewal = renew(seller, owner)
    assert renewal.replaces == licence
    assert renewal.review_state == R.PENDING
    licence.refresh_from_db()
    assert licence.review_state == R.ACCEPTED and licence.superseded_at is None


def test_the_old_document_stays_valid_until_the_renewal_is_accepted(approved):
    seller, owner, licence = approved
    renewal = renew(seller, owner)
    staff = StaffFactory()
    # Still approvable (the old licence counts) while the renewal waits.
    document_services.seller_approval_check(seller=seller)
    document_services.document_accept(document=renewal, by=staff)
    licence.refresh_from_db()
    assert licence.superseded_at is not None
    assert licence.review_state == R.ACCEPTED  # its verdict and file stay for the record
    assert Path(licence.file.path).exists()
    document_services.seller_approval_check(seller=seller)  # the renewal counts now


def test_a_rejected_renewal_leaves_the_old_document_current(approved):
    seller, owner, licence = approved
    renewal = renew(seller, owner)
    document_services.document_reject(document=renewal, by=StaffFactory(), reason="Unsigned.")
    licence.refresh_from_db()
    assert licence.superseded_at is None
    document_services.seller_approval_check(seller=seller)


def test_taking_back_an_acceptance_makes_the_old_document_current_again(approved):
    seller, owner, licence = approved
    renewal = renew(seller, owner)
    staff = StaffFactory()
    document_services.document_accept(document=renewal, by=staff)
    services.document_review(document=renewal, by=staff, state=R.REJECTED, reason="Forged.")
    licence.refresh_from_db()
    assert licence.superseded_at is None


def test_a_superseded_document_cannot_be_reviewed_again(approved):
    seller, owner, licence = approved
    renewal = renew(seller, owner)
    staff = StaffFactory()
    document_services.document_accept(document=renewal, by=staff)
    with pytest.raises(ConflictError):
        document_services.document_reject(document=licence, by=staff, reason="Old.")


def test_a_second_renewal_withdraws_the_first_one_waiting_for_review(approved):
    seller, owner, licence = approved
    first = renew(seller, owner)
    second = renew(seller, owner, file=upload("licence-fixed.pdf", PDF_BYTES))
    first.refresh_from_db()
    assert first.superseded_at is not None
    assert second.superseded_at is None and second.replaces == licence


def test_a_renewal_names_the_document_it_renews(approved):
    seller, owner, _licence = approved
    trademark = DocumentFactory(
        seller=seller, kind=DocumentKind.TRADEMARK_CERTIFICATE, review_state=R.ACCEPTED
    )
    renewal = renew(seller, owner, kind=DocumentKind.TRADEMARK_CERTIFICATE, replaces=trademark.pk)
    assert renewal.replaces == trademark


def test_a_new_trademark_certificate_without_replaces_renews_nothing(approved):
    seller, owner, _licence = approved
    DocumentFactory(seller=seller, kind=DocumentKind.TRADEMARK_CERTIFICATE, review_state=R.ACCEPTED)
    document = renew(seller, owner, kind=DocumentKind.TRADEMARK_CERTIFICATE)
    assert document.replaces is None


@pytest.mark.parametrize(
    "case, message",
    [
        ("other_seller", "Choose one of your documents"),
        ("other_kind", "upload a Uzbek registration certificate"),
        ("pending", "Only an accepted document"),
        ("unknown", "Choose one of your documents"),
    ],
)
def test_it_refuses_a_renewal_of_the_wrong_document(approved, settings, case, message):
    seller, owner, licence = approved
    if case == "other_seller":
        target = DocumentFactory(review_state=R.ACCEPTED).pk
    elif case == "other_kind":
        target = seller.documents.get(kind=DocumentKind.UZ_REGISTRATION_CERTIFICATE).pk
    elif case == "pending":
        target = DocumentFactory(seller=seller, review_state=R.PENDING).pk
    else:
        target = 999_999
    before = set(Document.objects.values_list("pk", flat=True))
    files_before = stored_files(settings)
    with pytest.raises(ValidationError) as error:
        renew(seller, owner, replaces=target)
    assert message in " ".join(error.value.message_dict["replaces"])
    assert set(Document.objects.values_list("pk", flat=True)) == before
    assert stored_files(settings) == files_before


@pytest.mark.parametrize(
    "name, content",
    [
        ("licence.pdf", b"<html><script>alert(1)</script></html>"),
        ("licence.pdf", b"MZ\x90\x00 an executable"),
        ("licence.png", b"GIF89a not accepted"),
    ],
)
def test_it_refuses_a_renewal_of_the_wrong_type_and_changes_nothing(
    approved, settings, name, content
):
    seller, owner, licence = approved
    before = list(Document.objects.order_by("pk").values_list("pk", "review_state"))
    files_before = stored_files(settings)
    with pytest.raises(ValidationError) as error:
        renew(seller, owner, file=upload(name, content))
    assert "PDF, JPEG or PNG" in " ".join(error.value.message_dict["file"])
    assert list(Document.objects.order_by("pk").values_list("pk", "review_state")) == before
    assert stored_files(settings) == files_before
    licence.refresh_from_db()
    assert licence.superseded_at is None


def test_a_renewal_may_be_an_image(approved):
    seller, owner, licence = approved
    renewal = renew(seller, owner, file=upload("scan.png", PNG_BYTES))
    assert renewal.content_type == "image/png" and renewal.replaces == licence


@pytest.mark.parametrize("status", [S.SUBMITTED, S.SUSPENDED, S.REJECTED])
def test_only_an_approved_or_editable_application_takes_uploads(status):
    seller, owner = seller_with_owner(status=status)
    with pytest.raises(ConflictError):
        renew(seller, owner)

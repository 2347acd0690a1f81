"""Admin and the documents page: approval blocked by documents, renewals, the expiry flag."""

import io
import json
from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from sellers.admin import DocumentReviewForm
from sellers.models import Document, DocumentKind, DocumentReview, SellerStatus
from tests.sellers.factories import PDF_BYTES, DocumentFactory, StaffFactory, seller_with_owner

pytestmark = pytest.mark.django_db
S = SellerStatus
R = DocumentReview
CHANGELIST = "/admin/sellers/seller/"


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory())
    return client


def texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# Admin


def test_admin_refuses_to_approve_and_names_the_pending_document(staff_client):
    seller, _owner = seller_with_owner(status=S.SUBMITTED)
    seller.documents.filter(kind=DocumentKind.BUSINESS_LICENSE).update(review_state=R.ACCEPTED)
    url = reverse("admin:sellers_seller_transition", args=[seller.pk, "approve"])
    response = staff_client.post(url, {"reason": "Looks fine."})
    assert response.status_code == 302
    (message,) = texts(response)
    assert "Uzbek registration certificate" in message
    assert "营业执照 licence.pdf" in message  # the factory's file name, the one still pending
    assert "pending" in message
    assert "Business licence" not in message
    seller.refresh_from_db()
    assert seller.status == S.SUBMITTED


def test_admin_bulk_approve_reports_each_seller_with_documents_pending(staff_client):
    ready, _a = seller_with_owner(status=S.SUBMITTED)
    ready.documents.update(review_state=R.ACCEPTED)
    waiting, _b = seller_with_owner(status=S.SUBMITTED)
    response = staff_client.post(
        CHANGELIST,
        {
            "action": "approve",
            "_selected_action": [ready.pk, waiting.pk],
            "reason": "Checked.",
            "apply": "1",
        },
    )
    assert response.status_code == 302
    ready.refresh_from_db()
    waiting.refresh_from_db()
    assert (ready.status, waiting.status) == (S.APPROVED, S.SUBMITTED)
    assert any(
        "documents are accepted" in text and str(waiting) in text for text in texts(response)
    )


def test_admin_accepting_a_renewal_in_the_inline_supersedes_the_old_one(staff_client):
    seller, owner = seller_with_owner(status=S.APPROVED)
    seller.documents.update(review_state=R.ACCEPTED)
    old = seller.documents.get(kind=DocumentKind.BUSINESS_LICENSE)
    renewal = DocumentFactory(seller=seller, replaces=old, uploaded_by=owner)
    form = DocumentReviewForm(
        data={"review_state": R.ACCEPTED, "review_reason": ""}, instance=renewal
    )
    assert form.is_valid(), form.errors
    # The inline's save goes through the service (SellerAdmin.save_formset).
    from sellers import services

    services.document_review(document=renewal, by=StaffFactory(), state=R.ACCEPTED, reason="")
    old.refresh_from_db()
    assert old.superseded_at is not None
    stale = DocumentReviewForm(
        data={"review_state": R.REJECTED, "review_reason": "Old."}, instance=old
    )
    assert not stale.is_valid()
    page = staff_client.get(reverse("admin:sellers_seller_change", args=[seller.pk]))
    assert "superseded on" in page.content.decode()
    assert f"renews document #{old.pk}" in page.content.decode()


def test_admin_flags_and_filters_sellers_with_documents_expiring(staff_client):
    soon, _a = seller_with_owner(status=S.APPROVED, documents=False)
    later, _b = seller_with_owner(status=S.APPROVED, documents=False)
    today = timezone.localdate()
    DocumentFactory(
        seller=soon,
        kind=DocumentKind.UZ_REGISTRATION_CERTIFICATE,
        review_state=R.ACCEPTED,
        expires_on=today + timedelta(days=25),
    )
    DocumentFactory(seller=later, review_state=R.ACCEPTED, expires_on=today + timedelta(days=300))
    page = staff_client.get(CHANGELIST)
    assert "documents expiring" in page.content.decode()
    flagged = staff_client.get(CHANGELIST, {"documents": "expiring"})
    assert list(flagged.context["cl"].result_list) == [soon]


# The documents page


def test_the_documents_page_offers_renewal_to_an_approved_seller(client):
    seller, owner = seller_with_owner(status=S.APPROVED)
    seller.documents.update(review_state=R.ACCEPTED)
    licence = seller.documents.get(kind=DocumentKind.BUSINESS_LICENSE)
    client.force_login(owner)
    page = client.get(reverse("sellers:documents")).content.decode()
    assert f"?renew={licence.pk}" in page
    assert "Upload the renewed document" in page
    renew_page = client.get(reverse("sellers:documents"), {"renew": licence.pk})
    assert renew_page.context["form"].initial == {"kind": licence.kind, "replaces": licence.pk}


def test_the_renew_link_of_another_sellers_document_is_404(client):
    _seller, owner = seller_with_owner(status=S.APPROVED)
    other = DocumentFactory(review_state=R.ACCEPTED)
    client.force_login(owner)
    assert client.get(reverse("sellers:documents"), {"renew": other.pk}).status_code == 404


def test_the_documents_page_uploads_a_renewal_and_keeps_the_old_one_valid(client):
    seller, owner = seller_with_owner(status=S.APPROVED)
    seller.documents.update(review_state=R.ACCEPTED)
    licence = seller.documents.get(kind=DocumentKind.BUSINESS_LICENSE)
    client.force_login(owner)
    scan = io.BytesIO(PDF_BYTES)
    scan.name = "licence-2028.pdf"
    response = client.post(
        reverse("sellers:documents"),
        {
            "kind": "business_license",
            "file": scan,
            "expires_on": (timezone.localdate() + timedelta(days=700)).isoformat(),
            "replaces": licence.pk,
        },
        follow=True,
    )
    assert response.status_code == 200
    assert any("stays valid" in text for text in texts(response))
    renewal = Document.objects.get(original_name="licence-2028.pdf")
    assert renewal.replaces == licence
    page = response.content.decode()
    assert f"Renews document #{licence.pk}" in page


def test_the_documents_page_refuses_a_renewal_of_the_wrong_type(client):
    seller, owner = seller_with_owner(status=S.APPROVED)
    seller.documents.update(review_state=R.ACCEPTED)
    client.force_login(owner)
    fake = io.BytesIO(b"<html>hello</html>")
    fake.name = "licence.pdf"
    before = Document.objects.count()
    response = client.post(reverse("sellers:documents"), {"kind": "business_license", "file": fake})
    assert response.status_code == 400
    assert "PDF, JPEG or PNG" in response.content.decode()
    assert Document.objects.count() == before


def test_the_documents_page_shows_the_rejection_reason_and_expiry(client):
    seller, owner = seller_with_owner(status=S.CHANGES_REQUESTED)
    seller.documents.filter(kind=DocumentKind.BUSINESS_LICENSE).update(
        review_state=R.REJECTED, review_reason="The stamp is unreadable."
    )
    client.force_login(owner)
    page = client.get(reverse("sellers:documents")).content.decode()
    assert "The stamp is unreadable." in page
    assert "Rejected" in page
    assert "Renew" not in page  # renewal is for approved sellers


def _change_form_data(response) -> dict:
    """The change page's form and inline formsets as the browser would post them, unchanged."""
    data: dict = {}

    def add(form) -> None:
        for name, field in form.fields.items():
            value = form[name].value()
            if value is None or value is False:
                continue
            if isinstance(value, (list, tuple)):
                data[form.add_prefix(name)] = [str(v) for v in value]
            else:
                data[form.add_prefix(name)] = field.widget.format_value(value) or str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        add(formset.management_form)
        for form in formset.forms:
            add(form)
    return data


def test_admin_accepts_documents_in_the_inline_and_saves_the_seller(staff_client):
    # Regression: the change page answered 500 ('new_objects') once a document was reviewed.
    seller, _owner = seller_with_owner(status=S.SUBMITTED)
    url = reverse("admin:sellers_seller_change", args=[seller.pk])
    data = _change_form_data(staff_client.get(url))
    for key in [k for k in data if k.startswith("documents-") and k.endswith("-review_state")]:
        data[key] = R.ACCEPTED
    data["_save"] = "Save"
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context and response.context.get("errors")
    assert not seller.documents.exclude(review_state=R.ACCEPTED).exists()
    # The admin's history names the reviewed documents.
    entry = LogEntry.objects.filter(object_id=str(seller.pk)).latest("action_time")
    assert json.loads(entry.change_message)[0]["changed"]["name"] == "document"

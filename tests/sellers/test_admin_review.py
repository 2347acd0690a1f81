"""The seller review in the admin: decision buttons and messages, and documents previewed
inline with the download's access checks."""

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.urls import reverse

from sellers.models import DocumentKind, Seller, SellerStatus
from sellers.permissions import REVIEWERS, staff_roles_sync
from tests.sellers.factories import (
    PDF_BYTES,
    DocumentFactory,
    StaffFactory,
    UserFactory,
    seller_with_owner,
)

pytestmark = pytest.mark.django_db
S = SellerStatus
CHANGELIST = "/admin/sellers/seller/"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory())
    return client


def preview_url(document) -> str:
    return reverse("admin:sellers_seller_document_preview", args=[document.pk])


def texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- decisions ------------------------------------------------------------------------------


def test_it_makes_approve_the_primary_button_and_not_a_delete_confirmation(staff_client):
    seller, _owner = seller_with_owner(status=S.SUBMITTED)
    url = reverse("admin:sellers_seller_transition", args=[seller.pk, "approve"])
    html = staff_client.get(url).content.decode()
    assert "delete-confirmation" not in html
    assert 'value="Approve" class="default"' in html
    assert '<ol class="breadcrumbs">' in html
    assert reverse("admin:sellers_seller_change", args=[seller.pk]) in html


@pytest.mark.parametrize("action", ["reject", "suspend"])
def test_it_keeps_the_red_style_for_rejecting_and_suspending(staff_client, action):
    seller, _owner = seller_with_owner(status=S.APPROVED if action == "suspend" else S.SUBMITTED)
    url = reverse("admin:sellers_seller_transition", args=[seller.pk, action])
    assert 'class="decision-danger"' in staff_client.get(url).content.decode()


def test_it_styles_the_approve_link_on_the_change_page(staff_client):
    seller, _owner = seller_with_owner(status=S.SUBMITTED)
    html = staff_client.get(reverse("admin:sellers_seller_change", args=[seller.pk])).content
    assert b"decision-link-approve" in html
    assert b"css/admin-review.css" in html


def test_it_reports_one_decision_in_the_singular_without_a_doubled_full_stop(
    staff_client, django_capture_on_commit_callbacks
):
    seller, _owner = seller_with_owner(status=S.SUBMITTED)
    Seller.objects.filter(pk=seller.pk).update(legal_name="Shenzhen Lanyue Trading Co., Ltd.")
    url = reverse("admin:sellers_seller_transition", args=[seller.pk, "reject"])
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url, {"reason": "Wrong licence."}, follow=True)
    done = [text for text in texts(response) if "rejected" in text]
    assert done == [f"1 application rejected: {Seller.objects.get(pk=seller.pk)}"]
    assert "(s)" not in done[0] and ".." not in done[0]


def test_it_reports_a_bulk_decision_in_the_plural(staff_client, django_capture_on_commit_callbacks):
    first, _a = seller_with_owner(status=S.SUBMITTED)
    second, _b = seller_with_owner(status=S.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            CHANGELIST,
            {
                "action": "reject",
                "_selected_action": [first.pk, second.pk],
                "apply": "1",
                "reason": "The licences are not readable.",
            },
            follow=True,
        )
    messages = [str(m) for m in response.context["messages"]]
    rejected = [m for m in messages if m.startswith("2 applications rejected: ")]
    assert len(rejected) == 1, messages
    assert str(first) in rejected[0] and str(second) in rejected[0]


def test_it_reports_in_russian_with_russian_plurals(
    staff_client, django_capture_on_commit_callbacks
):
    seller, _owner = seller_with_owner(status=S.SUBMITTED)
    url = reverse("admin:sellers_seller_transition", args=[seller.pk, "request_changes"])
    staff_client.cookies["django_language"] = "ru"
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url, {"reason": "Нужна лицензия."}, follow=True)
    assert response.status_code == 200
    assert Seller.objects.get(pk=seller.pk).status == S.CHANGES_REQUESTED


# --- document previews ----------------------------------------------------------------------


def test_it_previews_a_pdf_inline_sandboxed_and_framed_by_the_admin_only(staff_client):
    seller, _owner = seller_with_owner()
    document = seller.documents.get(kind=DocumentKind.BUSINESS_LICENSE)
    response = staff_client.get(preview_url(document))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"
    policy = response["Content-Security-Policy"]
    assert "sandbox" in policy and "default-src 'none'" in policy
    assert "frame-ancestors 'self'" in policy
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert b"".join(response.streaming_content) == PDF_BYTES


@pytest.mark.parametrize("content, content_type", [(PNG, "image/png"), (JPEG, "image/jpeg")])
def test_it_previews_an_image_with_its_type(staff_client, content, content_type):
    seller, _owner = seller_with_owner(documents=False)
    document = DocumentFactory(
        seller=seller,
        content_type=content_type,
        file=ContentFile(content, name="scan.bin"),
        original_name="scan.html",
    )
    response = staff_client.get(preview_url(document))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert "scan.html" not in response["Content-Disposition"]


@pytest.mark.parametrize(
    "content, content_type",
    [
        (b"<html><script>alert(1)</script></html>", "application/pdf"),  # a replaced file
        (b"<html><script>alert(1)</script></html>", "text/html"),
        (PDF_BYTES, "application/zip"),
    ],
)
def test_it_refuses_to_preview_anything_but_a_real_pdf_or_image(
    staff_client, content, content_type
):
    seller, _owner = seller_with_owner(documents=False)
    document = DocumentFactory(
        seller=seller, content_type=content_type, file=ContentFile(content, name="x.bin")
    )
    assert staff_client.get(preview_url(document)).status_code == 404


def test_it_answers_404_for_a_missing_file_or_document(staff_client):
    seller, _owner = seller_with_owner()
    document = seller.documents.first()
    document.file.delete(save=False)
    assert staff_client.get(preview_url(document)).status_code == 404
    missing = reverse("admin:sellers_seller_document_preview", args=[999_999])
    assert staff_client.get(missing).status_code == 404


def test_it_shows_previews_only_to_staff_who_may_read_documents(client):
    staff_roles_sync()
    seller, owner = seller_with_owner()
    document = seller.documents.first()
    url = preview_url(document)
    # The seller's own brand manager is not staff: the admin login, never the file.
    client.force_login(owner)
    response = client.get(url)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    # Staff without the document permissions.
    bare = UserFactory(is_staff=True)
    client.force_login(bare)
    assert client.get(url).status_code == 403
    # A reviewer may.
    reviewer = UserFactory(is_staff=True)
    reviewer.groups.add(Group.objects.get(name=REVIEWERS))
    client.force_login(reviewer)
    assert client.get(url).status_code == 200


def test_it_embeds_the_previews_on_the_change_page(staff_client):
    seller, _owner = seller_with_owner()
    html = staff_client.get(reverse("admin:sellers_seller_change", args=[seller.pk])).content
    html = html.decode()
    for document in seller.documents.all():
        assert f'<iframe class="document-frame" src="{preview_url(document)}"' in html
    assert "onerror" not in html

"""The seller pages as a browser (and htmx) sees them: application, documents, dashboard."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from sellers.models import (
    Brand,
    Document,
    DocumentKind,
    Invitation,
    Membership,
    MembershipRole,
    Seller,
    SellerStatus,
    StatusChange,
)
from sellers.services import seller_request_changes, seller_submit
from tests.sellers.factories import (
    PDF_BYTES,
    PNG_BYTES,
    DocumentFactory,
    MembershipFactory,
    StaffFactory,
    UserFactory,
    seller_with_owner,
)

pytestmark = pytest.mark.django_db

XSS = "<img src=x onerror=alert(1)>"
GOOD_USCC = "91110000600037341L"
# The right body with a wrong 18th character: the check says it should be L.
BAD_CHECK_USCC = "91110000600037341K"
HX = {"HX-Request": "true"}

PRIVATE_PAGES = [
    ("get", "sellers:dashboard", {}),
    ("get", "sellers:application", {}),
    ("post", "sellers:application", {}),
    ("post", "sellers:application-validate", {}),
    ("post", "sellers:application-submit", {}),
    ("get", "sellers:documents", {}),
    ("post", "sellers:documents", {}),
    ("get", "sellers:document-file", {"id": 1}),
    ("post", "sellers:document-delete", {"id": 1}),
    ("post", "sellers:member-invite", {}),
    ("get", "sellers:invitation-accept", {"token": "6f1e7c2a-58f4-4c55-9d4e-2f4f7a3b9c10"}),
]


def application_data(**overrides: str) -> dict[str, str]:
    data = {
        "legal_name": "Shenzhen Lanyue Technology Co., Ltd.",
        "legal_name_zh": "深圳蓝月科技有限公司",
        "uscc": GOOD_USCC,
        "address": "8 Keji Road, Nanshan, Shenzhen",
        "uz_entity_name": "Lanyue Savdo MChJ",
        "uz_entity_stir": "301234567",
        "contact_name": "Li Wei",
        "contact_email": "li.wei@example.cn",
        "contact_phone": "+86 138 1234 5678",
        "website": "https://lanyue.example.cn",
        "brands-TOTAL_FORMS": "1",
        "brands-INITIAL_FORMS": "0",
        "brands-MIN_NUM_FORMS": "0",
        "brands-MAX_NUM_FORMS": "1000",
        "brands-0-name": "Lanyue",
        "brands-0-name_zh": "蓝月",
        "brands-0-origin_country": "cn",
        "brands-0-trademark_number": "TM1234567",
        "action": "save",
    }
    data.update(overrides)
    return data


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def owner_client(client: Client):
    seller, user = seller_with_owner()
    client.force_login(user)
    client.seller, client.user = seller, user  # type: ignore[attr-defined]
    return client


def media_files() -> list[Path]:
    return [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


# Access


@pytest.mark.parametrize(("method", "name", "kwargs"), PRIVATE_PAGES)
def test_it_sends_an_anonymous_visitor_to_the_login_page(client, method, name, kwargs):
    url = reverse(name, kwargs=kwargs)
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("sellers:login") + "?next=")


@pytest.mark.parametrize(("method", "name", "kwargs"), PRIVATE_PAGES)
def test_it_answers_htmx_with_an_expired_session_with_hx_redirect(client, method, name, kwargs):
    url = reverse(name, kwargs=kwargs)
    response = getattr(client, method)(url, headers=HX)
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith(reverse("sellers:login"))
    assert not response.content


@pytest.mark.parametrize("name", ["sellers:login", "sellers:signup", "sellers:password-reset"])
def test_it_serves_the_public_account_pages_to_anyone(client, name):
    assert client.get(reverse(name)).status_code == 200


def test_it_refuses_a_form_posted_without_csrf_token():
    seller, user = seller_with_owner()
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    before = Seller.objects.get(pk=seller.pk).legal_name
    response = client.post(reverse("sellers:application"), application_data(legal_name="Changed"))
    assert response.status_code == 403
    assert Seller.objects.get(pk=seller.pk).legal_name == before


def test_it_refuses_an_htmx_post_without_csrf_token():
    _seller, user = seller_with_owner()
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(
        reverse("sellers:member-invite"), {"email": "colleague@example.cn"}, headers=HX
    )
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_it_refuses_an_upload_without_csrf_token():
    seller, user = seller_with_owner(documents=False)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    upload = SimpleUploadedFile("licence.pdf", PDF_BYTES, "application/pdf")
    response = client.post(
        reverse("sellers:documents"), {"kind": DocumentKind.BUSINESS_LICENSE, "file": upload}
    )
    assert response.status_code == 403
    assert not Document.objects.filter(seller=seller).exists()
    assert media_files() == []


def test_row_25_it_refuses_an_htmx_post_with_another_sessions_csrf_token():
    _seller, user = seller_with_owner()
    other = Client(enforce_csrf_checks=True)
    other.force_login(UserFactory())
    other.get(reverse("sellers:dashboard"))
    foreign_token = other.cookies[settings.CSRF_COOKIE_NAME].value
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get(reverse("sellers:dashboard"))
    response = client.post(
        reverse("sellers:member-invite"),
        {"email": "colleague@example.cn"},
        headers=HX | {"X-CSRFToken": foreign_token},
    )
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_it_accepts_the_csrf_token_the_page_gives():
    _seller, user = seller_with_owner()
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get(reverse("sellers:dashboard"))
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(
        reverse("sellers:member-invite"),
        {"email": "colleague@example.cn"},
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 302
    assert Invitation.objects.filter(email="colleague@example.cn").exists()


# Inline validation


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("uscc", BAD_CHECK_USCC, "should be L"),
        ("uscc", "91110000600037341", "18 characters"),
        ("uscc", "91I10000600037341L", "I, O, S, V or Z"),
        ("uz_entity_stir", "12345", "9 digits"),
        ("contact_phone", "13812345678", "international format"),
        ("contact_email", "not-an-email", "valid email"),
        ("brands-3-origin_country", "XX", "ISO 3166"),
    ],
)
def test_it_returns_the_error_partial_for_a_bad_value(owner_client, field, value, expected):
    response = owner_client.post(
        reverse("sellers:application-validate"),
        {field: value},
        headers=HX | {"HX-Trigger-Name": field},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="field-error"' in body
    assert expected in body
    assert "<html" not in body and "<form" not in body


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("uscc", GOOD_USCC),
        ("uscc", "9144 0300 1922 0382 16"),
        ("uscc", "91110000600037341l"),
        ("uz_entity_stir", "301234567"),
        ("contact_phone", "+998 90 123 45 67"),
        ("brands-0-origin_country", "uz"),
    ],
)
def test_it_returns_the_ok_partial_for_a_good_value(owner_client, field, value):
    response = owner_client.post(
        reverse("sellers:application-validate"),
        {field: value},
        headers=HX | {"HX-Trigger-Name": field},
    )
    assert response.status_code == 200
    assert 'class="field-ok"' in response.content.decode()
    assert "field-error" not in response.content.decode()


def test_it_says_nothing_about_an_empty_or_unknown_input(owner_client):
    url = reverse("sellers:application-validate")
    empty = owner_client.post(url, {"uscc": ""}, headers=HX | {"HX-Trigger-Name": "uscc"})
    unknown = owner_client.post(url, {"x": "1"}, headers=HX | {"HX-Trigger-Name": "x"})
    assert empty.content.strip() == b""
    assert unknown.content.strip() == b""


def test_it_validates_inline_for_a_user_without_a_seller_yet(client):
    client.force_login(UserFactory())
    response = client.post(
        reverse("sellers:application-validate"),
        {"uscc": BAD_CHECK_USCC},
        headers=HX | {"HX-Trigger-Name": "uscc"},
    )
    assert "should be L" in response.content.decode()
    assert not Seller.objects.exists()


def test_it_validates_inline_in_the_active_language(owner_client):
    owner_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    response = owner_client.post(
        reverse("sellers:application-validate"),
        {"uscc": BAD_CHECK_USCC},
        headers=HX | {"HX-Trigger-Name": "uscc"},
    )
    assert response.status_code == 200
    assert 'class="field-error"' in response.content.decode()


def test_it_wires_every_validated_input_to_the_validation_endpoint(client):
    client.force_login(UserFactory())
    body = client.get(reverse("sellers:application")).content.decode()
    url = reverse("sellers:application-validate")
    for name in ["uscc", "uz_entity_stir", "contact_phone", "contact_email", "website"]:
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', body)
        assert tag, name
        assert f'hx-post="{url}"' in tag.group(0)
        assert 'hx-trigger="keyup changed delay:400ms, change"' in tag.group(0)
        assert f'hx-target="#id_{name}-msg"' in tag.group(0)
        assert f'id="id_{name}-msg"' in body
    # The empty brand row the script clones is wired too.
    assert 'hx-target="#id_brands-__prefix__-origin_country-msg"' in body


# The application


def test_it_shows_a_blank_application_to_a_new_user(client):
    client.force_login(UserFactory())
    response = client.get(reverse("sellers:application"))
    assert response.status_code == 200
    body = response.content.decode()
    for name in ["legal_name", "legal_name_zh", "uscc", "address", "uz_entity_name"]:
        assert f'name="{name}"' in body
    assert 'name="brands-0-name"' in body
    assert 'id="brand-empty-row"' in body
    assert response["Vary"] and "HX-Request" in response["Vary"]


def test_it_creates_the_seller_on_the_first_save(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("sellers:application"), application_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("sellers:application")
    seller = Seller.objects.get()
    assert seller.status == SellerStatus.DRAFT
    assert seller.uscc == GOOD_USCC
    assert seller.contact_phone == "+8613812345678"
    assert Membership.objects.get(user=user).role == MembershipRole.OWNER
    brand = Brand.objects.get(seller=seller)
    assert (brand.name, brand.name_zh, brand.origin_country) == ("Lanyue", "蓝月", "CN")


def test_it_saves_a_partial_draft(client):
    client.force_login(UserFactory())
    data = {key: "" for key in application_data()} | {
        "legal_name": "Only a name",
        "brands-TOTAL_FORMS": "1",
        "brands-INITIAL_FORMS": "0",
        "brands-0-origin_country": "CN",
    }
    response = client.post(reverse("sellers:application"), data)
    assert response.status_code == 302
    seller = Seller.objects.get()
    assert seller.legal_name == "Only a name"
    assert not seller.brands.exists()


def test_it_updates_the_seller_and_replaces_its_brands(owner_client):
    seller = owner_client.seller
    data = application_data(
        uscc=seller.uscc,
        legal_name="New Name Co.",
        **{
            "brands-TOTAL_FORMS": "2",
            "brands-INITIAL_FORMS": "1",
            "brands-0-name": "Lanyue",
            "brands-0-DELETE": "on",
            "brands-1-name": "Xingchen",
            "brands-1-name_zh": "星辰",
            "brands-1-origin_country": "CN",
            "brands-1-trademark_number": "",
        },
    )
    response = owner_client.post(reverse("sellers:application"), data)
    assert response.status_code == 302
    seller.refresh_from_db()
    assert seller.legal_name == "New Name Co."
    assert list(seller.brands.values_list("name", flat=True)) == ["Xingchen"]


def test_it_shows_the_stored_brands_as_rows(owner_client):
    body = owner_client.get(reverse("sellers:application")).content.decode()
    assert 'name="brands-0-name"' in body and 'value="Lanyue"' in body
    assert 'name="brands-INITIAL_FORMS" value="1"' in body


def test_it_refuses_an_invalid_uscc_on_save_and_keeps_nothing(client):
    client.force_login(UserFactory())
    response = client.post(reverse("sellers:application"), application_data(uscc=BAD_CHECK_USCC))
    assert response.status_code == 400
    assert "should be L" in response.content.decode()
    assert not Seller.objects.exists()
    assert not Membership.objects.exists()


def test_it_refuses_a_duplicate_uscc_and_changes_nothing(owner_client):
    other, _user = seller_with_owner()
    seller = owner_client.seller
    before = seller.uscc
    response = owner_client.post(reverse("sellers:application"), application_data(uscc=other.uscc))
    assert response.status_code == 400
    assert "already registered" in response.content.decode()
    seller.refresh_from_db()
    assert seller.uscc == before
    assert seller.legal_name != application_data()["legal_name"]


def test_it_refuses_a_duplicate_uscc_for_a_new_seller_and_creates_nothing(client):
    other, _user = seller_with_owner()
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("sellers:application"), application_data(uscc=other.uscc))
    assert response.status_code == 400
    assert Seller.objects.count() == 1
    assert not Membership.objects.filter(user=user).exists()
    # The page after the refusal does not pretend the user has a seller.
    assert reverse("catalog:import-list") not in response.content.decode()


def test_it_refuses_a_wrong_phone_with_a_message(owner_client):
    response = owner_client.post(
        reverse("sellers:application"), application_data(contact_phone="12345")
    )
    assert response.status_code == 400
    assert "international format" in response.content.decode()


def test_it_reports_a_brand_listed_twice(owner_client):
    data = application_data(
        uscc=owner_client.seller.uscc,
        **{
            "brands-TOTAL_FORMS": "2",
            "brands-1-name": "LANYUE",
            "brands-1-origin_country": "CN",
        },
    )
    response = owner_client.post(reverse("sellers:application"), data)
    assert response.status_code == 400
    assert "listed twice" in response.content.decode()
    assert owner_client.seller.brands.count() == 1


@pytest.mark.parametrize(
    "status",
    [SellerStatus.SUBMITTED, SellerStatus.APPROVED, SellerStatus.REJECTED, SellerStatus.SUSPENDED],
)
def test_it_refuses_editing_an_application_that_is_not_editable(client, status):
    seller, user = seller_with_owner(status=status)
    client.force_login(user)
    before = Seller.objects.filter(pk=seller.pk).values().get()
    brands_before = list(seller.brands.values_list("name", flat=True))
    response = client.post(
        reverse("sellers:application"), application_data(legal_name="Sneaky change")
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "can only be changed" in body
    assert 'name="legal_name"' not in body
    assert Seller.objects.filter(pk=seller.pk).values().get() == before
    assert list(seller.brands.values_list("name", flat=True)) == brands_before


def test_it_refuses_invalid_input_to_a_submitted_application_as_a_conflict(client):
    seller, user = seller_with_owner(status=SellerStatus.SUBMITTED)
    client.force_login(user)
    response = client.post(reverse("sellers:application"), application_data(uscc=BAD_CHECK_USCC))
    assert response.status_code == 409
    assert "cannot be changed now" in response.content.decode()
    assert Seller.objects.get(pk=seller.pk).uscc == seller.uscc


def test_it_shows_a_submitted_application_read_only(client):
    seller, user = seller_with_owner(status=SellerStatus.SUBMITTED)
    client.force_login(user)
    response = client.get(reverse("sellers:application"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "<form" not in body.split('id="main"')[1].split("</main>")[0]
    assert seller.uscc in body
    assert "badge-submitted" in body


def test_it_lets_the_seller_edit_again_after_changes_are_requested(client):
    seller, user = seller_with_owner()
    seller_submit(seller=seller, user=user)
    seller_request_changes(seller=seller, by=StaffFactory(), reason="Licence is blurry")
    client.force_login(user)
    response = client.post(
        reverse("sellers:application"), application_data(uscc=seller.uscc, legal_name="Fixed")
    )
    assert response.status_code == 302
    seller.refresh_from_db()
    assert seller.legal_name == "Fixed"


def test_it_submits_and_tells_what_happens_next(owner_client):
    response = owner_client.post(reverse("sellers:application-submit"))
    assert response.status_code == 302
    assert response["Location"] == reverse("sellers:dashboard")
    owner_client.seller.refresh_from_db()
    assert owner_client.seller.status == SellerStatus.SUBMITTED


def test_it_saves_and_submits_in_one_step(owner_client):
    data = application_data(uscc=owner_client.seller.uscc, action="submit")
    response = owner_client.post(reverse("sellers:application"), data)
    assert response.status_code == 302
    owner_client.seller.refresh_from_db()
    assert owner_client.seller.status == SellerStatus.SUBMITTED


def test_it_lists_what_is_missing_when_submitting_too_early(client):
    seller, user = seller_with_owner(documents=False)
    client.force_login(user)
    response = client.post(reverse("sellers:application-submit"))
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="submit-errors"' in body
    assert "business licence" in body
    assert "registration certificate" in body
    seller.refresh_from_db()
    assert seller.status == SellerStatus.DRAFT


def test_it_keeps_the_saved_draft_when_save_and_submit_finds_something_missing(client):
    seller, user = seller_with_owner(documents=False)
    client.force_login(user)
    data = application_data(uscc=seller.uscc, legal_name="Saved anyway", action="submit")
    response = client.post(reverse("sellers:application"), data)
    assert response.status_code == 400
    assert "business licence" in response.content.decode()
    seller.refresh_from_db()
    assert (seller.legal_name, seller.status) == ("Saved anyway", SellerStatus.DRAFT)


def test_it_refuses_submitting_twice(client):
    seller, user = seller_with_owner(status=SellerStatus.SUBMITTED)
    client.force_login(user)
    response = client.post(reverse("sellers:application-submit"))
    assert response.status_code == 409
    assert StatusChange.objects.filter(seller=seller).count() == 0


def test_it_sends_a_user_without_seller_from_submit_to_the_application(client):
    client.force_login(UserFactory())
    response = client.post(reverse("sellers:application-submit"))
    assert response.status_code == 302
    assert response["Location"] == reverse("sellers:application")


# Documents


def upload(client: Client, *, name="licence.pdf", content=PDF_BYTES, kind=None, **extra):
    data = {
        "kind": kind or DocumentKind.BUSINESS_LICENSE,
        "file": SimpleUploadedFile(name, content, "application/pdf"),
        **extra,
    }
    return client.post(reverse("sellers:documents"), data)


def test_it_states_the_limits_on_the_documents_page(owner_client):
    body = owner_client.get(reverse("sellers:documents")).content.decode().replace("\xa0", " ")
    assert "10.0 MB" in body
    assert "PDF, JPEG, PNG" in body
    assert 'enctype="multipart/form-data"' in body


def test_it_uploads_a_document(client):
    seller, user = seller_with_owner(documents=False)
    client.force_login(user)
    expires = (timezone.localdate() + timedelta(days=400)).isoformat()
    response = upload(client, name="营业执照.pdf", expires_on=expires)
    assert response.status_code == 302
    document = Document.objects.get(seller=seller)
    assert document.original_name == "营业执照.pdf"
    assert document.expires_on.isoformat() == expires
    assert document.content_type == "application/pdf"
    assert len(media_files()) == 1
    page = client.get(reverse("sellers:documents")).content.decode()
    assert "营业执照.pdf" in page
    assert reverse("sellers:document-file", kwargs={"id": document.pk}) in page


def test_row_13_it_stores_a_hostile_file_name_only_for_display(client):
    seller, user = seller_with_owner(documents=False)
    client.force_login(user)
    hostile = "../../etc/pass\u202ewd\n<b>x</b>.pdf"
    response = upload(client, name=hostile)
    assert response.status_code == 302
    document = Document.objects.get(seller=seller)
    assert "/" not in document.original_name and "\n" not in document.original_name
    assert "\u202e" not in document.original_name
    assert "passwd" not in document.file.name and "etc" not in document.file.name.split("/")[-1]
    page = client.get(reverse("sellers:documents")).content.decode()
    assert escape(document.original_name) in page
    assert "<b>" not in page
    download = client.get(reverse("sellers:document-file", kwargs={"id": document.pk}))
    disposition = download["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "\n" not in disposition and "\r" not in disposition


def test_it_uploads_a_png_scan(client):
    seller, user = seller_with_owner(documents=False)
    client.force_login(user)
    response = upload(
        client, name="cert.png", content=PNG_BYTES, kind=DocumentKind.UZ_REGISTRATION_CERTIFICATE
    )
    assert response.status_code == 302
    assert Document.objects.get(seller=seller).content_type == "image/png"


def test_it_refuses_a_30_mb_file_and_stores_nothing(client):
    seller, user = seller_with_owner(documents=False)
    client.force_login(user)
    response = upload(client, content=b"%PDF-1.4\n" + b"0" * (30 * 1024 * 1024))
    assert response.status_code == 413
    body = response.content.decode().replace("\xa0", " ")
    assert "larger than 10.0 MB" in body
    assert not Document.objects.filter(seller=seller).exists()
    assert media_files() == []


def test_row_07_it_refuses_html_disguised_as_a_pdf_and_stores_nothing(client):
    seller, user = seller_with_owner(documents=False)
    client.force_login(user)
    response = upload(client, name="licence.pdf", content=b"<html><script>alert(1)</script>")
    assert response.status_code == 400
    assert "PDF, JPEG or PNG" in response.content.decode()
    assert not Document.objects.filter(seller=seller).exists()
    assert media_files() == []


def test_it_refuses_an_upload_without_a_file(owner_client):
    response = owner_client.post(
        reverse("sellers:documents"), {"kind": DocumentKind.BUSINESS_LICENSE}
    )
    assert response.status_code == 400
    assert 'class="field-error"' in response.content.decode()


def test_it_refuses_an_upload_to_a_submitted_application(client):
    seller, user = seller_with_owner(status=SellerStatus.SUBMITTED, documents=False)
    client.force_login(user)
    response = upload(client)
    assert response.status_code == 409
    assert not Document.objects.filter(seller=seller).exists()
    assert media_files() == []


def test_it_lists_documents_with_their_review_state_and_reason(owner_client):
    DocumentFactory(
        seller=owner_client.seller,
        kind=DocumentKind.TRADEMARK_CERTIFICATE,
        review_state="rejected",
        review_reason="The scan is cut off at the bottom.",
    )
    response = owner_client.get(reverse("sellers:documents"), headers=HX)
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="documents">')
    assert "The scan is cut off at the bottom." in body
    assert "badge-review-rejected" in body


def test_it_downloads_a_document_as_an_attachment(owner_client):
    document = owner_client.seller.documents.first()
    response = owner_client.get(reverse("sellers:document-file", kwargs={"id": document.pk}))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''" in disposition
    assert response["Content-Type"] == "application/pdf"


def test_it_hides_another_sellers_document(owner_client):
    other, _user = seller_with_owner()
    theirs = other.documents.first()
    response = owner_client.get(reverse("sellers:document-file", kwargs={"id": theirs.pk}))
    assert response.status_code == 404
    missing = owner_client.get(reverse("sellers:document-file", kwargs={"id": 999999}))
    assert missing.status_code == 404


def test_it_removes_a_document_with_htmx(owner_client, django_capture_on_commit_callbacks):
    document = owner_client.seller.documents.first()
    assert len(media_files()) == 2
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(
            reverse("sellers:document-delete", kwargs={"id": document.pk}), headers=HX
        )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="documents">')
    assert "was removed" in body
    assert not Document.objects.filter(pk=document.pk).exists()
    assert len(media_files()) == 1


def test_it_removes_a_document_without_javascript(owner_client):
    document = owner_client.seller.documents.first()
    response = owner_client.post(reverse("sellers:document-delete", kwargs={"id": document.pk}))
    assert response.status_code == 302
    assert response["Location"] == reverse("sellers:documents")
    assert not Document.objects.filter(pk=document.pk).exists()


def test_it_keeps_the_documents_of_a_submitted_application(client):
    seller, user = seller_with_owner(status=SellerStatus.SUBMITTED)
    client.force_login(user)
    document = seller.documents.first()
    assert "Remove" not in client.get(reverse("sellers:documents")).content.decode()
    response = client.post(
        reverse("sellers:document-delete", kwargs={"id": document.pk}), headers=HX
    )
    assert response.status_code == 200
    assert "can only be changed" in response.content.decode()
    assert Document.objects.filter(pk=document.pk).exists()


def test_it_refuses_to_remove_another_sellers_document(owner_client):
    other, _user = seller_with_owner()
    theirs = other.documents.first()
    response = owner_client.post(reverse("sellers:document-delete", kwargs={"id": theirs.pk}))
    assert response.status_code == 404
    assert Document.objects.filter(pk=theirs.pk).exists()


def test_it_hides_documents_from_a_user_without_seller(client):
    other, _user = seller_with_owner()
    client.force_login(UserFactory())
    response = client.get(
        reverse("sellers:document-file", kwargs={"id": other.documents.first().pk})
    )
    assert response.status_code == 404


# The dashboard


def test_it_invites_a_new_user_to_start_an_application(client):
    client.force_login(UserFactory())
    response = client.get(reverse("sellers:dashboard"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Start your application" in body
    assert reverse("sellers:application") in body


def test_it_shows_status_reason_checklist_and_history(client):
    seller, user = seller_with_owner()
    seller_submit(seller=seller, user=user)
    seller_request_changes(seller=seller, by=StaffFactory(), reason="The licence scan is blurry.")
    client.force_login(user)
    response = client.get(reverse("sellers:dashboard"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "badge-changes_requested" in body
    assert "The licence scan is blurry." in body
    assert "expires within 60 days" not in body
    assert 'class="checklist"' in body
    assert "Business licence uploaded" in body
    assert body.count("<tr>") >= 3  # header and two changes
    assert reverse("sellers:application-submit") in body


def test_it_warns_about_a_licence_that_expires_soon(client):
    seller, user = seller_with_owner(status=SellerStatus.APPROVED)
    seller.documents.filter(kind=DocumentKind.BUSINESS_LICENSE).update(
        expires_on=timezone.localdate() + timedelta(days=20)
    )
    client.force_login(user)
    body = client.get(reverse("sellers:dashboard")).content.decode()
    assert "Your business licence expires within 60 days" in body


def test_it_links_to_the_catalog_import_when_approved(client):
    _seller, user = seller_with_owner(status=SellerStatus.APPROVED)
    client.force_login(user)
    body = client.get(reverse("sellers:dashboard")).content.decode()
    assert reverse("catalog:import-list") in body


def test_it_does_not_link_to_the_catalog_import_before_approval(owner_client):
    body = owner_client.get(reverse("sellers:dashboard")).content.decode()
    assert f'href="{reverse("catalog:import-list")}" class' not in body
    assert "Import your catalog" not in body


def test_it_returns_the_status_partial_for_htmx(owner_client):
    response = owner_client.get(reverse("sellers:dashboard"), headers=HX)
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="seller-status">')
    assert "<html" not in body
    assert "HX-Request" in response["Vary"]


def test_it_runs_a_fixed_number_of_queries_on_the_dashboard(client, django_assert_num_queries):
    seller, user = seller_with_owner(brands=["A", "B", "C"])
    for number in range(3):
        MembershipFactory(seller=seller, role=MembershipRole.MEMBER)
        Invitation.objects.create(seller=seller, email=f"x{number}@example.cn", invited_by=user)
        StatusChange.objects.create(seller=seller, from_status="draft", to_status="submitted")
        DocumentFactory(seller=seller, kind=DocumentKind.TRADEMARK_CERTIFICATE)
    client.force_login(user)
    # + 3 for the KPI tiles (insights.dashboard): products, the last import, the last sales day
    with django_assert_num_queries(15):
        response = client.get(reverse("sellers:dashboard"))
    assert response.status_code == 200
    assert response.content.decode().count("(Member)") == 3


def test_it_runs_a_fixed_number_of_queries_on_the_documents_page(client, django_assert_num_queries):
    seller, user = seller_with_owner()
    for _number in range(5):
        DocumentFactory(seller=seller, kind=DocumentKind.TRADEMARK_CERTIFICATE, uploaded_by=user)
    client.force_login(user)
    with django_assert_num_queries(5):
        response = client.get(reverse("sellers:documents"))
    assert response.status_code == 200
    assert response.content.decode().count("<tr>") == 8


def test_it_invites_a_colleague_with_htmx(
    owner_client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(
            reverse("sellers:member-invite"), {"email": "Colleague@Example.cn"}, headers=HX
        )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<section class="card" id="members">')
    assert "colleague@example.cn" in body
    assert Invitation.objects.filter(seller=owner_client.seller).count() == 1
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["colleague@example.cn"]


def test_it_shows_the_invite_error_in_the_members_partial(owner_client):
    response = owner_client.post(reverse("sellers:member-invite"), {"email": "nope"}, headers=HX)
    assert response.status_code == 200
    assert 'class="field-error"' in response.content.decode()
    assert not Invitation.objects.exists()


def test_it_refuses_invitations_from_a_member_who_is_not_the_owner(client):
    seller, _owner = seller_with_owner()
    member = MembershipFactory(seller=seller, role=MembershipRole.MEMBER).user
    client.force_login(member)
    assert "Send invitation" not in client.get(reverse("sellers:dashboard")).content.decode()
    response = client.post(reverse("sellers:member-invite"), {"email": "x@example.cn"})
    assert response.status_code == 403
    assert not Invitation.objects.exists()


# Escaping and languages


def test_row_29_it_escapes_a_hostile_legal_name_everywhere(client):
    seller, user = seller_with_owner()
    Seller.objects.filter(pk=seller.pk).update(legal_name=XSS, legal_name_zh=XSS)
    DocumentFactory(seller=seller, original_name=XSS + ".pdf")
    client.force_login(user)
    for name in ["sellers:dashboard", "sellers:application", "sellers:documents"]:
        body = client.get(reverse(name)).content.decode()
        assert XSS not in body, name
        assert "&lt;img src=x onerror=alert(1)&gt;" in body, name
    Seller.objects.filter(pk=seller.pk).update(status=SellerStatus.SUBMITTED)
    body = client.get(reverse("sellers:application")).content.decode()
    assert XSS not in body
    assert "&lt;img src=x onerror=alert(1)&gt;" in body


def test_it_escapes_a_hostile_reviewer_reason(client):
    seller, user = seller_with_owner()
    seller_submit(seller=seller, user=user)
    seller_request_changes(seller=seller, by=StaffFactory(), reason=XSS)
    client.force_login(user)
    body = client.get(reverse("sellers:dashboard")).content.decode()
    assert XSS not in body


@pytest.mark.parametrize(
    "name",
    [
        "sellers:dashboard",
        "sellers:application",
        "sellers:documents",
    ],
)
@pytest.mark.parametrize("status", [SellerStatus.DRAFT, SellerStatus.SUBMITTED])
def test_it_renders_the_pages_in_chinese(client, name, status):
    _seller, user = seller_with_owner(status=status)
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in response.content.decode()


@pytest.mark.parametrize("name", ["sellers:dashboard", "sellers:application", "sellers:documents"])
def test_it_renders_the_pages_in_chinese_for_a_new_user(client, name):
    client.force_login(UserFactory())
    response = client.get(reverse(name), headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in response.content.decode()

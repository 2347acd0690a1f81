"""The sellers API as a client sees it: status codes, bodies, isolation, uploads, staff routes."""

import io
from pathlib import Path

import pytest
from django.core import mail
from django.test import Client
from rest_framework.test import APIClient

from sellers import selectors
from sellers.models import Document, Seller, SellerStatus, StatusChange, User
from tests.sellers.factories import (
    PASSWORD,
    PDF_BYTES,
    PNG_BYTES,
    DocumentFactory,
    SellerFactory,
    StaffFactory,
    UserFactory,
    api_token,
    seller_with_owner,
)

pytestmark = pytest.mark.django_db

API = "/api/v1/"


def api_for(user: User) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token(user)}")
    return client


def token_user(token: str) -> User | None:
    """Whose token this is, as the API sees it (None when the API refuses it)."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = client.get(f"{API}seller/")
    return None if response.status_code == 401 else response.wsgi_request.user


def upload(name: str, content: bytes) -> io.BytesIO:
    handle = io.BytesIO(content)
    handle.name = name
    return handle


def stored_files(settings) -> list[Path]:
    return [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


def application(**overrides):
    data = {
        "legal_name": "Shenzhen Lanyue Technology Co., Ltd.",
        "legal_name_zh": "深圳蓝月科技有限公司",
        "uscc": "9144 0300 1922 0382 16",
        "address": "1 Keji Road, Nanshan, Shenzhen",
        "uz_entity_name": "Lanyue Savdo MChJ",
        "uz_entity_stir": "301 234 567",
        "contact_name": "Li Wei",
        "contact_email": "LI.WEI@example.cn",
        "contact_phone": "+86 138 1234 5678",
        "website": "https://lanyue.example.cn",
        "brands": [{"name": "Lanyue", "name_zh": "蓝月", "origin_country": "cn"}],
    }
    data.update(overrides)
    return data


# Accounts and tokens


def test_it_registers_and_returns_a_token():
    response = APIClient().post(
        f"{API}auth/register/",
        {"email": "New.Manager@Example.cn", "password": PASSWORD},
        format="json",
    )
    assert response.status_code == 201
    user = User.objects.get(email="new.manager@example.cn")
    assert set(response.json()) == {"token"}
    assert token_user(response.json()["token"]) == user


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "not-an-email", "password": PASSWORD}, "email"),
        ({"email": "someone@example.cn", "password": "123"}, "password"),
        ({"email": "someone@example.cn"}, "password"),
    ],
)
def test_it_refuses_a_bad_registration_naming_the_field(body, field):
    response = APIClient().post(f"{API}auth/register/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not User.objects.filter(email="someone@example.cn").exists()


def test_it_refuses_registering_an_existing_email_in_any_case():
    UserFactory(email="taken@example.cn")
    response = APIClient().post(
        f"{API}auth/register/", {"email": "TAKEN@example.cn", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 400
    assert "already exists" in response.json()["email"][0]


def test_it_exchanges_credentials_for_a_token():
    user = UserFactory(email="manager@example.cn")
    response = APIClient().post(
        f"{API}auth/token/", {"email": "Manager@example.cn", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    assert set(response.json()) == {"token"}
    assert token_user(response.json()["token"]) == user


def test_it_refuses_a_wrong_password_with_a_clear_message():
    UserFactory(email="manager@example.cn")
    response = APIClient().post(
        f"{API}auth/token/", {"email": "manager@example.cn", "password": "wrong"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["The e-mail address or the password is wrong."]}


def test_row_27_it_locks_the_token_endpoint_after_repeated_failures(settings):
    """RELIABILITY 27: django-axes counts failures per account and client address."""
    UserFactory(email="manager@example.cn")
    client = APIClient()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            f"{API}auth/token/", {"email": "manager@example.cn", "password": "x"}, format="json"
        )
    response = client.post(
        f"{API}auth/token/", {"email": "manager@example.cn", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 429
    assert "Too many failed attempts" in response.json()["detail"]
    # Another account from the same address is not locked out by this attacker.
    UserFactory(email="colleague@example.cn")
    other = client.post(
        f"{API}auth/token/", {"email": "colleague@example.cn", "password": PASSWORD}, format="json"
    )
    assert other.status_code == 200


def test_it_throttles_the_auth_endpoints(settings):
    original = settings.REST_FRAMEWORK
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "auth": "3/min",
        },
    }
    from rest_framework.settings import api_settings
    from rest_framework.throttling import ScopedRateThrottle

    api_settings.reload()
    ScopedRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    try:
        client = APIClient()
        codes = [
            client.post(
                f"{API}auth/register/", {"email": f"x{n}", "password": "p"}, format="json"
            ).status_code
            for n in range(4)
        ]
    finally:
        # The class keeps the rates it was given: restore them from the original settings.
        settings.REST_FRAMEWORK = original
        api_settings.reload()
        ScopedRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    assert codes == [400, 400, 400, 429]


# The seller application


def test_it_answers_404_before_the_application_exists():
    response = api_for(UserFactory()).get(f"{API}seller/")
    assert response.status_code == 404


def test_it_creates_the_application_normalised_with_brands():
    user = UserFactory()
    response = api_for(user).post(f"{API}seller/", application(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft"
    assert body["uscc"] == "914403001922038216"
    assert body["uz_entity_stir"] == "301234567"
    assert body["contact_phone"] == "+8613812345678"
    assert body["contact_email"] == "li.wei@example.cn"
    assert body["brands"] == [
        {"name": "Lanyue", "name_zh": "蓝月", "origin_country": "CN", "trademark_number": ""}
    ]
    assert body["status_history"] == [] and body["documents"] == []
    assert set(body) >= {
        "id",
        "legal_name",
        "legal_name_zh",
        "address",
        "uz_entity_name",
        "contact_name",
        "website",
    }
    assert user.membership.role == "owner"


def test_it_refuses_a_second_application_with_409():
    seller, user = seller_with_owner()
    response = api_for(user).post(f"{API}seller/", application(uscc=""), format="json")
    assert response.status_code == 409
    assert Seller.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("uscc", "914403001922038217", "should be 6"),
        ("uscc", "91440300192203821", "18 characters"),
        ("uscc", "9I4403001922038216", "I, O, S, V or Z"),
        ("uz_entity_stir", "12345", "9 digits"),
        ("contact_phone", "8613812345678", "international format"),
        ("contact_email", "li.wei", "valid email"),
        ("website", "not a url", "valid URL"),
    ],
)
def test_it_refuses_invalid_fields_with_a_message_saying_what_to_fix(field, value, message):
    user = UserFactory()
    response = api_for(user).post(f"{API}seller/", application(**{field: value}), format="json")
    assert response.status_code == 400
    assert message.lower() in " ".join(response.json()[field]).lower()
    assert not Seller.objects.exists()


def test_it_refuses_a_duplicate_uscc():
    SellerFactory(uscc="914403001922038216")
    response = api_for(UserFactory()).post(f"{API}seller/", application(), format="json")
    assert response.status_code == 400
    assert response.json()["uscc"] == ["A seller with this USCC is already registered."]


def test_it_refuses_a_pilot_code_that_fails_the_check():
    response = api_for(UserFactory()).post(
        f"{API}seller/", application(uscc="91110000600037341M"), format="json"
    )
    assert response.status_code == 400
    assert "should be L" in response.json()["uscc"][0]


def test_it_patches_fields_and_replaces_brands():
    seller, user = seller_with_owner(brands=["Lanyue", "Jinma"])
    jinma_id = seller.brands.get(name="Jinma").pk
    response = api_for(user).patch(
        f"{API}seller/",
        {"contact_name": "Wang Fang", "brands": [{"name": "JINMA", "name_zh": "金马"}]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["contact_name"] == "Wang Fang"
    assert [b["name"] for b in response.json()["brands"]] == ["JINMA"]
    assert seller.brands.get().pk == jinma_id  # kept by name, so products keep their brand


def test_it_refuses_a_patch_of_a_submitted_application_and_changes_nothing():
    seller, user = seller_with_owner(status=SellerStatus.SUBMITTED)
    response = api_for(user).patch(f"{API}seller/", {"contact_name": "Changed"}, format="json")
    assert response.status_code == 409
    assert "draft" in response.json()["detail"]
    seller.refresh_from_db()
    assert seller.contact_name == "Li Wei"


def test_it_keeps_earlier_data_when_a_patch_is_invalid():
    seller, user = seller_with_owner(brands=["Lanyue"])
    response = api_for(user).patch(
        f"{API}seller/",
        {"contact_name": "Changed", "uz_entity_stir": "abc", "brands": [{"name": ""}]},
        format="json",
    )
    assert response.status_code == 400
    seller.refresh_from_db()
    assert seller.contact_name == "Li Wei"
    assert list(seller.brands.values_list("name", flat=True)) == ["Lanyue"]


def test_it_submits_and_records_the_history():
    seller, user = seller_with_owner()
    response = api_for(user).post(f"{API}seller/submit/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "submitted"
    assert [(h["from_status"], h["to_status"], h["reason"]) for h in body["status_history"]] == [
        ("draft", "submitted", "")
    ]
    assert body["status_history"][0]["at"]


def test_it_lists_what_is_missing_on_submit():
    seller, user = seller_with_owner(brands=[], documents=False)
    Seller.objects.filter(pk=seller.pk).update(uz_entity_stir="")
    response = api_for(user).post(f"{API}seller/submit/")
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"uz_entity_stir", "brands", "documents"}
    assert len(body["documents"]) == 2
    assert Seller.objects.get(pk=seller.pk).status == "draft"


def test_it_answers_409_when_submitting_from_a_wrong_status():
    seller, user = seller_with_owner(status=SellerStatus.APPROVED)
    response = api_for(user).post(f"{API}seller/submit/")
    assert response.status_code == 409
    assert not StatusChange.objects.exists()


# Documents


def test_it_uploads_a_document_by_content_under_a_generated_name():
    seller, user = seller_with_owner(documents=False)
    response = api_for(user).post(
        f"{API}seller/documents/",
        {
            "kind": "business_license",
            "file": upload("../../营业执照.pdf", PDF_BYTES),
            "expires_on": "2099-01-01",
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["original_name"] == "营业执照.pdf"
    assert body["content_type"] == "application/pdf"
    assert body["review_state"] == "pending"
    document = Document.objects.get(pk=body["id"])
    assert document.file.name.startswith(f"documents/{seller.pk}/")
    assert "营业执照" not in document.file.name and document.file.name.endswith(".pdf")


def test_row_07_it_refuses_html_renamed_to_pdf_and_stores_nothing(settings):
    seller, user = seller_with_owner(documents=False)
    response = api_for(user).post(
        f"{API}seller/documents/",
        {"kind": "business_license", "file": upload("licence.pdf", b"<!DOCTYPE html><html>")},
        format="multipart",
    )
    assert response.status_code == 400
    assert "PDF, JPEG or PNG" in response.json()["file"][0]
    assert not Document.objects.exists()
    assert stored_files(settings) == []


def test_row_10_it_cuts_off_a_30_mb_upload_while_streaming_and_stores_nothing(settings):
    seller, user = seller_with_owner(documents=False)
    big = upload("scan.pdf", PDF_BYTES + b"0" * (30 * 1024 * 1024))
    response = api_for(user).post(
        f"{API}seller/documents/", {"kind": "business_license", "file": big}, format="multipart"
    )
    assert response.status_code == 413
    assert "larger than 10 MB" in response.json()["file"][0]
    assert not Document.objects.exists()
    assert stored_files(settings) == []


def test_it_refuses_uploads_to_a_submitted_application():
    seller, user = seller_with_owner(status=SellerStatus.SUBMITTED)
    before = Document.objects.count()
    response = api_for(user).post(
        f"{API}seller/documents/",
        {"kind": "trademark_certificate", "file": upload("tm.png", PNG_BYTES)},
        format="multipart",
    )
    assert response.status_code == 409
    assert Document.objects.count() == before


def test_row_13_it_serves_a_document_as_an_attachment_with_its_original_name():
    seller, user = seller_with_owner(documents=False)
    document = DocumentFactory(seller=seller, original_name="营业执照 2026.pdf")
    response = api_for(user).get(f"{API}seller/documents/{document.pk}/file/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7%202026.pdf" in disposition


# Isolation: another seller's objects do not exist for this user


def test_row_23_it_answers_404_for_another_sellers_documents():
    first, _owner = seller_with_owner()
    second, intruder = seller_with_owner()
    document = first.documents.first()
    client = api_for(intruder)
    assert client.get(f"{API}seller/documents/{document.pk}/file/").status_code == 404
    assert client.get(f"{API}seller/documents/{document.pk}/").status_code == 404
    assert client.delete(f"{API}seller/documents/{document.pk}/").status_code == 404
    assert Document.objects.filter(pk=document.pk).exists()


def test_row_23_it_never_shows_another_sellers_application():
    first, _owner = seller_with_owner()
    second, user = seller_with_owner()
    body = api_for(user).get(f"{API}seller/").json()
    assert body["id"] == second.pk
    assert first.uscc not in str(body)


def test_it_hides_the_ops_routes_from_sellers_with_404():
    seller, user = seller_with_owner(status=SellerStatus.SUBMITTED)
    client = api_for(user)
    assert client.get(f"{API}ops/sellers/").status_code == 404
    response = client.post(f"{API}ops/sellers/{seller.pk}/approve/", {"reason": "me"})
    assert response.status_code == 404
    assert Seller.objects.get(pk=seller.pk).status == "submitted"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "seller/"),
        ("post", "seller/"),
        ("patch", "seller/"),
        ("post", "seller/submit/"),
        ("post", "seller/documents/"),
        ("get", "seller/documents/1/"),
        ("delete", "seller/documents/1/"),
        ("get", "seller/documents/1/file/"),
        ("post", "seller/invitations/"),
        ("post", "invitations/00000000-0000-0000-0000-000000000000/accept/"),
        ("get", "ops/sellers/"),
        ("post", "ops/sellers/1/approve/"),
        ("post", "ops/sellers/1/reject/"),
        ("post", "ops/sellers/1/request-changes/"),
        ("post", "ops/sellers/1/suspend/"),
    ],
)
def test_it_answers_401_to_anonymous_requests(method, path):
    response = getattr(APIClient(), method)(f"{API}{path}")
    assert response.status_code == 401


def test_it_enforces_csrf_for_session_authenticated_posts():
    user = UserFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(f"{API}seller/", application(), content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not Seller.objects.exists()


def test_it_accepts_session_posts_with_the_csrf_token():
    user = UserFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/api/v1/seller/")  # any response; the token comes from the cookie below
    from django.middleware.csrf import _get_new_csrf_string

    token = _get_new_csrf_string()
    client.cookies["csrftoken"] = token
    response = client.post(
        f"{API}seller/", application(), content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 201


# Operations staff


def test_it_lists_applications_for_staff_filtered_by_status():
    submitted, _user = seller_with_owner(status=SellerStatus.SUBMITTED)
    seller_with_owner(status=SellerStatus.DRAFT)
    response = api_for(StaffFactory()).get(f"{API}ops/sellers/?status=submitted")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["results"][0]["id"] == submitted.pk
    assert body["results"][0]["licence_expires_soon"] is False


def test_it_refuses_an_unknown_status_filter():
    response = api_for(StaffFactory()).get(f"{API}ops/sellers/?status=bogus")
    assert response.status_code == 400
    assert "status" in response.json()


@pytest.mark.parametrize(
    ("action", "reason", "to_status"),
    [
        ("approve", "All documents are in order.", "approved"),
        ("reject", "The licence is not legible.", "rejected"),
        ("request-changes", "Upload the Uzbek certificate in colour.", "changes_requested"),
    ],
)
def test_it_lets_staff_decide_with_a_reason(
    action, reason, to_status, django_capture_on_commit_callbacks
):
    seller, user = seller_with_owner(status=SellerStatus.SUBMITTED)
    seller.documents.update(review_state="accepted")  # an approval needs them accepted
    staff = StaffFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = api_for(staff).post(
            f"{API}ops/sellers/{seller.pk}/{action}/", {"reason": reason}, format="json"
        )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == to_status
    change = StatusChange.objects.get(seller=seller)
    assert (change.from_status, change.to_status, change.reason, change.by) == (
        "submitted",
        to_status,
        reason,
        staff,
    )
    assert [message.to for message in mail.outbox] == [[user.email]]


@pytest.mark.parametrize("action", ["approve", "reject", "request-changes", "suspend"])
def test_it_requires_a_reason_for_staff_decisions(action):
    status = SellerStatus.APPROVED if action == "suspend" else SellerStatus.SUBMITTED
    seller, _user = seller_with_owner(status=status)
    response = api_for(StaffFactory()).post(
        f"{API}ops/sellers/{seller.pk}/{action}/", {"reason": "  "}, format="json"
    )
    assert response.status_code == 400
    assert "reason" in response.json()
    assert Seller.objects.get(pk=seller.pk).status == status


def test_it_answers_409_for_a_transition_that_is_not_allowed():
    seller, _user = seller_with_owner(status=SellerStatus.DRAFT)
    response = api_for(StaffFactory()).post(
        f"{API}ops/sellers/{seller.pk}/approve/", {}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["detail"] == "An application that is Draft cannot become Approved."


def test_it_answers_404_for_an_unknown_seller_id():
    response = api_for(StaffFactory()).post(f"{API}ops/sellers/999999/approve/", {}, format="json")
    assert response.status_code == 404


# Invitations


def test_it_lets_the_owner_invite_and_the_invitee_accept(django_capture_on_commit_callbacks):
    seller, owner = seller_with_owner()
    with django_capture_on_commit_callbacks(execute=True):
        response = api_for(owner).post(
            f"{API}seller/invitations/", {"email": "Colleague@example.cn"}, format="json"
        )
    assert response.status_code == 201
    assert mail.outbox[0].to == ["colleague@example.cn"]
    token = seller.invitations.get().token
    assert str(token) in mail.outbox[0].body
    colleague = UserFactory(email="colleague@example.cn")
    accepted = api_for(colleague).post(f"{API}invitations/{token}/accept/")
    assert accepted.status_code == 200
    assert accepted.json()["id"] == seller.pk


def test_it_refuses_an_invitation_accepted_by_another_address():
    seller, owner = seller_with_owner()
    invitation = seller.invitations.create(email="colleague@example.cn", invited_by=owner)
    stranger = UserFactory(email="stranger@example.cn")
    response = api_for(stranger).post(f"{API}invitations/{invitation.token}/accept/")
    assert response.status_code == 403
    assert not hasattr(User.objects.get(pk=stranger.pk), "membership")


# Queries and faults


def test_it_reads_the_application_in_a_fixed_number_of_queries(django_assert_num_queries):
    seller, user = seller_with_owner(brands=["A", "B", "C"])
    client = api_for(user)
    # token + user, seller, brands, documents, status history
    with django_assert_num_queries(5):
        assert client.get(f"{API}seller/").status_code == 200


def test_it_lists_applications_in_a_fixed_number_of_queries(django_assert_num_queries):
    for _n in range(5):
        seller_with_owner(status=SellerStatus.SUBMITTED, brands=["A", "B"])
    client = api_for(StaffFactory())
    # token + user, count, page of sellers, their brands, their documents
    with django_assert_num_queries(5):
        response = client.get(f"{API}ops/sellers/")
    assert response.json()["count"] == 5


def test_it_answers_an_unexpected_error_with_a_generic_message_and_reference(monkeypatch):
    """RELIABILITY 28: no traceback, no SQL, a reference id that is also in the log."""
    seller, user = seller_with_owner()

    def explode(**kwargs):
        raise RuntimeError("SELECT secret FROM sellers_seller")

    monkeypatch.setattr(selectors, "seller_get_for_user", explode)
    response = api_for(user).get(f"{API}seller/")
    assert response.status_code == 500
    body = response.json()
    assert body["detail"] == "Something went wrong on our side."
    assert body["reference"] and body["reference"] == response["X-Request-ID"]
    assert "SELECT" not in response.content.decode()


def test_it_documents_every_route_in_the_schema():
    response = APIClient().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in [
        "/api/v1/auth/register/",
        "/api/v1/auth/token/",
        "/api/v1/seller/",
        "/api/v1/seller/submit/",
        "/api/v1/seller/documents/",
        "/api/v1/seller/documents/{id}/file/",
        "/api/v1/ops/sellers/",
        "/api/v1/ops/sellers/{id}/approve/",
        "/api/v1/ops/sellers/{id}/reject/",
        "/api/v1/ops/sellers/{id}/request-changes/",
        "/api/v1/ops/sellers/{id}/suspend/",
    ]:
        assert path in paths, path
    assert {"200", "404"} <= set(paths["/api/v1/seller/"]["get"]["responses"])
    assert "409" in paths["/api/v1/seller/"]["patch"]["responses"]
    assert "409" in paths["/api/v1/seller/submit/"]["post"]["responses"]
    assert "409" in paths["/api/v1/ops/sellers/{id}/approve/"]["post"]["responses"]
    assert "requestBody" in paths["/api/v1/seller/documents/"]["post"]


@pytest.mark.parametrize("query", ["Jinma", "金马", "LANYUE TECH", "contact-q@example.cn"])
def test_it_searches_applications_for_staff(query):
    seller, _user = seller_with_owner(status=SellerStatus.SUBMITTED, brands=[])
    seller.legal_name = "Lanyue Technology"
    seller.contact_email = "contact-q@example.cn"
    seller.save()
    seller.brands.create(name="Jinma", name_zh="金马")
    seller_with_owner(status=SellerStatus.SUBMITTED)
    body = api_for(StaffFactory()).get(f"{API}ops/sellers/", {"q": query}).json()
    assert [row["id"] for row in body["results"]] == [seller.pk]


# Brand list cap


def _brands(count: int) -> list[dict[str, str]]:
    return [{"name": f"Brand {number}"} for number in range(count)]


def test_row_43_an_application_with_20000_brands_is_a_400_and_stores_nothing():
    user = UserFactory()
    response = api_for(user).post(
        f"{API}seller/", application(brands=_brands(20_000)), format="json"
    )
    assert response.status_code == 400
    assert "50" in " ".join(response.json()["brands"])
    assert not Seller.objects.exists()


def test_row_43_patching_more_brands_than_the_form_allows_is_a_400():
    seller, user = seller_with_owner(brands=["Lanyue"])
    response = api_for(user).patch(f"{API}seller/", {"brands": _brands(51)}, format="json")
    assert response.status_code == 400
    assert "brands" in response.json()
    assert list(seller.brands.values_list("name", flat=True)) == ["Lanyue"]
    accepted = api_for(user).patch(f"{API}seller/", {"brands": _brands(50)}, format="json")
    assert accepted.status_code == 200
    assert seller.brands.count() == 50


# Row 31: tokens that a password change revokes


def register(email: str = "victim@example.cn", password: str = PASSWORD, **extra) -> str:
    response = APIClient().post(
        f"{API}auth/register/", {"email": email, "password": password}, format="json", **extra
    )
    assert response.status_code == 201, response.content
    return response.json()["token"]


def test_row_31_it_stores_only_a_hash_of_each_api_token():
    from knox.models import AuthToken

    token = register()
    stored = AuthToken.objects.get()
    assert token not in {stored.digest, stored.token_key}
    assert token not in str(list(AuthToken.objects.values()))


def test_row_31_a_password_reset_revokes_the_token_of_whoever_registered_the_address_first(
    client, mailoutbox
):
    import re

    attacker_token = register("victim@example.cn")
    assert token_user(attacker_token) is not None
    # The owner of the mailbox resets the password through the page.
    client.post("/accounts/password-reset/", {"email": "victim@example.cn"})
    link = re.search(r"https?://testserver(/accounts/reset/\S+/)", mailoutbox[-1].body).group(1)
    form = client.get(link, follow=True)
    new_password = "tashkent-silk-road-2026"
    client.post(
        form.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert User.objects.get().check_password(new_password)
    assert token_user(attacker_token) is None


def test_row_31_it_changes_the_password_and_answers_a_new_token_revoking_the_others():
    user = UserFactory(email="manager@example.cn")
    first, second = api_token(user), api_token(user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    response = client.post(
        f"{API}auth/password/",
        {"old_password": PASSWORD, "new_password": "tashkent-silk-road-2026"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert set(response.json()) == {"token"}
    new = response.json()["token"]
    assert token_user(new) == user
    assert token_user(first) is None
    assert token_user(second) is None
    user.refresh_from_db()
    assert user.check_password("tashkent-silk-road-2026")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"old_password": "wrong", "new_password": "tashkent-silk-road-2026"}, "old_password"),
        ({"old_password": PASSWORD, "new_password": "123"}, "new_password"),
        ({"new_password": "tashkent-silk-road-2026"}, "old_password"),
    ],
)
def test_row_31_it_refuses_a_password_change_naming_the_field_and_keeps_the_token(body, field):
    user = UserFactory()
    token = api_token(user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = client.post(f"{API}auth/password/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert token_user(token) == user
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_row_31_a_password_change_needs_a_signed_in_caller():
    response = APIClient().post(
        f"{API}auth/password/",
        {"old_password": PASSWORD, "new_password": "tashkent-silk-road-2026"},
        format="json",
    )
    assert response.status_code == 401


def test_row_31_logout_revokes_the_callers_token_only():
    user = UserFactory()
    laptop, erp = api_token(user), api_token(user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {laptop}")
    assert client.post(f"{API}auth/logout/").status_code == 204
    assert token_user(laptop) is None
    assert token_user(erp) == user
    assert client.post(f"{API}auth/logout/").status_code == 401


def test_row_31_each_token_request_gives_a_token_of_its_own():
    user = UserFactory(email="manager@example.cn")
    body = {"email": "manager@example.cn", "password": PASSWORD}
    first = APIClient().post(f"{API}auth/token/", body, format="json").json()["token"]
    second = APIClient().post(f"{API}auth/token/", body, format="json").json()["token"]
    assert first != second
    assert token_user(first) == token_user(second) == user


# Row 32: an address nobody verified


def verification_token(message) -> str:
    import re

    return re.search(r"/accounts/verify/([^/\s]+)/", message.body).group(1)


def test_row_32_register_mails_a_link_and_submit_waits_for_the_confirmation(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        token = register("manager@example.cn")
    assert [message.to for message in mailoutbox] == [["manager@example.cn"]]
    user = User.objects.get()
    assert user.email_verified_at is None
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    # A draft can be filled in...
    assert client.post(f"{API}seller/", application(), format="json").status_code == 201
    seller = Seller.objects.get()
    DocumentFactory(seller=seller, kind="business_license")
    DocumentFactory(seller=seller, kind="uz_registration_certificate", expires_on=None)
    # ...but not submitted.
    refused = client.post(f"{API}seller/submit/")
    assert refused.status_code == 409
    assert "confirm your e-mail address" in refused.json()["detail"].lower()
    assert Seller.objects.get().status == SellerStatus.DRAFT

    confirmed = APIClient().post(
        f"{API}auth/verify/", {"token": verification_token(mailoutbox[0])}, format="json"
    )
    assert confirmed.status_code == 200
    user.refresh_from_db()
    assert user.email_verified_at is not None
    assert client.post(f"{API}seller/submit/").status_code == 200
    assert Seller.objects.get().status == SellerStatus.SUBMITTED


def test_row_32_an_unverified_owner_cannot_invite():
    seller, owner = seller_with_owner()
    User.objects.filter(pk=owner.pk).update(email_verified_at=None)
    response = api_for(owner).post(
        f"{API}seller/invitations/", {"email": "wang@example.cn"}, format="json"
    )
    assert response.status_code == 409
    assert "confirm your e-mail address" in response.json()["detail"].lower()
    assert not seller.invitations.exists()


def test_row_32_a_verification_link_works_once(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        register("manager@example.cn")
    token = verification_token(mailoutbox[0])
    first = APIClient().post(f"{API}auth/verify/", {"token": token}, format="json")
    again = APIClient().post(f"{API}auth/verify/", {"token": token}, format="json")
    assert (first.status_code, again.status_code) == (200, 400)
    assert "token" in again.json()


@pytest.mark.parametrize("token", ["", "nonsense", "1:abc:def", "x" * 300])
def test_row_32_it_refuses_a_made_up_verification_token(token):
    UserFactory(email_verified_at=None)
    response = APIClient().post(f"{API}auth/verify/", {"token": token}, format="json")
    assert response.status_code == 400
    assert "token" in response.json()
    assert not User.objects.filter(email_verified_at__isnull=False).exists()


def test_row_32_a_verification_link_expires(settings, monkeypatch):
    import time

    from sellers import accounts

    user = UserFactory(email_verified_at=None)
    issued_at = time.time() - settings.EMAIL_VERIFICATION_MAX_AGE_HOURS * 3600 - 60
    with monkeypatch.context() as patched:
        patched.setattr("django.core.signing.time.time", lambda: issued_at)
        token = accounts.email_verification_token(user=user)
    response = APIClient().post(f"{API}auth/verify/", {"token": token}, format="json")
    assert response.status_code == 400
    user.refresh_from_db()
    assert user.email_verified_at is None


def test_row_32_it_resends_the_link_with_a_cooldown(mailoutbox, settings):
    user = UserFactory(email="manager@example.cn", email_verified_at=None)
    client = api_for(user)
    first = client.post(f"{API}auth/verify/resend/")
    assert first.status_code == 200
    assert len(mailoutbox) == 1
    again = client.post(f"{API}auth/verify/resend/")
    assert again.status_code == 429
    assert int(again["Retry-After"]) <= settings.MAIL_COOLDOWN_SECONDS
    assert len(mailoutbox) == 1
    # The link of the resent mail works.
    confirmed = APIClient().post(
        f"{API}auth/verify/", {"token": verification_token(mailoutbox[0])}, format="json"
    )
    assert confirmed.status_code == 200


def test_row_32_resending_to_a_confirmed_address_is_a_conflict(mailoutbox):
    response = api_for(UserFactory()).post(f"{API}auth/verify/resend/")
    assert response.status_code == 409
    assert mailoutbox == []


# Row 33: one mailbox, one account


def test_row_33_three_spellings_of_one_mailbox_are_one_account():
    token = register("a@bücher.example")
    assert User.objects.get().email == "a@xn--bcher-kva.example"
    for spelling in ("A@xn--bcher-kva.example", "a@bu\u0308cher.example"):
        taken = APIClient().post(
            f"{API}auth/register/", {"email": spelling, "password": PASSWORD}, format="json"
        )
        assert taken.status_code == 400, (spelling, taken.content)
        exchanged = APIClient().post(
            f"{API}auth/token/", {"email": spelling, "password": PASSWORD}, format="json"
        )
        assert exchanged.status_code == 200, spelling
        assert token_user(exchanged.json()["token"]) == token_user(token)
    assert User.objects.count() == 1


# Row 34: limits on the mails anyone can make the portal send


def test_row_34_api_sign_ups_count_against_the_same_limit_per_client_address(settings):
    settings.MAIL_LIMIT_SIGNUP_PER_HOUR = 2
    codes = [
        APIClient()
        .post(
            f"{API}auth/register/",
            {"email": f"new{n}@example.cn", "password": PASSWORD},
            format="json",
            REMOTE_ADDR="198.51.100.7",
        )
        .status_code
        for n in range(3)
    ]
    assert codes == [201, 201, 429]
    elsewhere = APIClient().post(
        f"{API}auth/register/",
        {"email": "new9@example.cn", "password": PASSWORD},
        format="json",
        REMOTE_ADDR="192.0.2.44",
    )
    assert elsewhere.status_code == 201
    assert User.objects.count() == 3


def test_row_34_invitations_through_the_api_are_limited_per_inviter(settings, mailoutbox):
    settings.MAIL_LIMIT_INVITATIONS_PER_HOUR = 2
    _seller, owner = seller_with_owner()
    client = api_for(owner)
    codes = [
        client.post(
            f"{API}seller/invitations/", {"email": f"colleague{n}@example.cn"}, format="json"
        ).status_code
        for n in range(3)
    ]
    assert codes == [201, 201, 429]

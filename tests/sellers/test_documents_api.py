"""The documents API: ops review (accept, reject), the approve 409, renewals, the lists' fields."""

import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from rest_framework.test import APIClient

from sellers import permissions
from sellers.models import Document, DocumentKind, DocumentReview, SellerStatus, User
from tests.sellers.factories import (
    PDF_BYTES,
    DocumentFactory,
    StaffFactory,
    UserFactory,
    api_token,
    seller_with_owner,
)

pytestmark = pytest.mark.django_db
API = "/api/v1/"
R = DocumentReview
S = SellerStatus


def api_for(user: User) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token(user)}")
    return client


def staff_in(group_name: str | None) -> User:
    permissions.staff_roles_sync()
    user = UserFactory(is_staff=True)
    if group_name:
        user.groups.add(Group.objects.get(name=group_name))
    return User.objects.get(pk=user.pk)


def upload(name: str, content: bytes) -> io.BytesIO:
    handle = io.BytesIO(content)
    handle.name = name
    return handle


# Review by operations staff


def test_a_reviewer_accepts_a_document():
    document = DocumentFactory()
    reviewer = staff_in(permissions.REVIEWERS)
    response = api_for(reviewer).post(f"{API}ops/documents/{document.pk}/accept/")
    assert response.status_code == 200, response.content
    assert response.json()["id"] == document.pk
    assert response.json()["review_state"] == "accepted"
    document.refresh_from_db()
    assert document.review_state == R.ACCEPTED and document.reviewed_by == reviewer


def test_a_reviewer_rejects_a_document_with_a_reason():
    document = DocumentFactory()
    response = api_for(staff_in(permissions.REVIEWERS)).post(
        f"{API}ops/documents/{document.pk}/reject/", {"reason": "Blurry scan."}, format="json"
    )
    assert response.status_code == 200
    assert (response.json()["review_state"], response.json()["review_reason"]) == (
        "rejected",
        "Blurry scan.",
    )


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "   "}])
def test_a_rejection_without_a_reason_is_400(body):
    document = DocumentFactory()
    response = api_for(StaffFactory()).post(
        f"{API}ops/documents/{document.pk}/reject/", body, format="json"
    )
    assert response.status_code == 400
    assert "reason" in response.json()
    document.refresh_from_db()
    assert document.review_state == R.PENDING


def test_a_rejection_reason_with_invisible_characters_is_400():
    document = DocumentFactory()
    response = api_for(StaffFactory()).post(
        f"{API}ops/documents/{document.pk}/reject/", {"reason": "ok\u202e"}, format="json"
    )
    assert response.status_code == 400


@pytest.mark.parametrize("action", ["accept", "reject"])
def test_staff_without_the_review_permission_get_403(action):
    document = DocumentFactory()
    analyst = staff_in(permissions.MARKET_ANALYSTS)
    response = api_for(analyst).post(
        f"{API}ops/documents/{document.pk}/{action}/", {"reason": "x"}, format="json"
    )
    assert response.status_code == 403
    document.refresh_from_db()
    assert document.review_state == R.PENDING


@pytest.mark.parametrize("action", ["accept", "reject"])
def test_a_seller_gets_404_from_the_review_routes_even_for_its_own_document(action):
    seller, owner = seller_with_owner(status=S.SUBMITTED)
    document = seller.documents.first()
    response = api_for(owner).post(
        f"{API}ops/documents/{document.pk}/{action}/", {"reason": "x"}, format="json"
    )
    assert response.status_code == 404
    document.refresh_from_db()
    assert document.review_state == R.PENDING


def test_anonymous_review_is_401():
    document = DocumentFactory()
    assert APIClient().post(f"{API}ops/documents/{document.pk}/accept/").status_code == 401


def test_an_unknown_document_is_404():
    response = api_for(StaffFactory()).post(f"{API}ops/documents/999999/accept/")
    assert response.status_code == 404


def test_the_review_queue_lists_pending_documents_for_readers():
    pending = DocumentFactory()
    DocumentFactory(review_state=R.ACCEPTED)
    response = api_for(staff_in(permissions.REVIEWERS)).get(
        f"{API}ops/documents/", {"review_state": "pending"}
    )
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [pending.pk]
    assert response.json()["results"][0]["seller"] == pending.seller_id


@pytest.mark.parametrize("query", [{"review_state": "maybe"}, {"seller": "abc"}])
def test_the_review_queue_refuses_bad_filters(query):
    response = api_for(StaffFactory()).get(f"{API}ops/documents/", query)
    assert response.status_code == 400


def test_the_review_queue_is_403_for_analysts():
    response = api_for(staff_in(permissions.MARKET_ANALYSTS)).get(f"{API}ops/documents/")
    assert response.status_code == 403


# The approve answer


def test_approving_with_documents_pending_is_409_naming_them():
    seller, _owner = seller_with_owner(status=S.SUBMITTED)
    response = api_for(staff_in(permissions.REVIEWERS)).post(
        f"{API}ops/sellers/{seller.pk}/approve/", {"reason": "Looks fine."}, format="json"
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "documents_not_accepted"
    assert {(d["id"], d["kind"], d["review_state"]) for d in body["documents"]} == {
        (d.pk, d.kind, "pending") for d in seller.documents.all()
    }
    assert "Business licence" in body["detail"]
    seller.refresh_from_db()
    assert seller.status == S.SUBMITTED


def test_accepting_through_the_api_then_approving_succeeds():
    seller, _owner = seller_with_owner(status=S.SUBMITTED)
    client = api_for(staff_in(permissions.REVIEWERS))
    for document in seller.documents.all():
        assert client.post(f"{API}ops/documents/{document.pk}/accept/").status_code == 200
    response = client.post(
        f"{API}ops/sellers/{seller.pk}/approve/", {"reason": "All in order."}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "approved"


# Documents in the seller's and the ops lists


def test_each_document_of_the_seller_answer_carries_id_and_review_state():
    seller, owner = seller_with_owner(status=S.SUBMITTED)
    body = api_for(owner).get(f"{API}seller/").json()
    assert {(d["id"], d["review_state"]) for d in body["documents"]} == {
        (d.pk, "pending") for d in seller.documents.all()
    }
    assert {"kind", "original_name", "expires_on", "review_reason"} <= set(body["documents"][0])


def test_each_document_of_the_ops_list_carries_id_and_review_state(django_assert_max_num_queries):
    for _ in range(3):
        seller_with_owner(status=S.SUBMITTED)
    client = api_for(StaffFactory())
    client.get(f"{API}ops/sellers/")
    with django_assert_max_num_queries(8):
        response = client.get(f"{API}ops/sellers/", {"status": "submitted"})
    assert response.status_code == 200
    rows = response.json()["results"]
    assert len(rows) == 3
    for row in rows:
        assert len(row["documents"]) == 2
        for document in row["documents"]:
            assert {"id", "kind", "review_state", "expires_on"} <= set(document)
        assert row["documents_expiring"] is False


# Renewal through the upload route


@pytest.fixture
def approved():
    seller, owner = seller_with_owner(status=S.APPROVED)
    seller.documents.update(review_state=R.ACCEPTED)
    return seller, owner, seller.documents.get(kind=DocumentKind.BUSINESS_LICENSE)


def test_an_approved_seller_posts_a_renewal(approved):
    seller, owner, licence = approved
    expires = timezone.localdate() + timedelta(days=700)
    response = api_for(owner).post(
        f"{API}seller/documents/",
        {
            "kind": "business_license",
            "file": upload("licence-2028.pdf", PDF_BYTES),
            "expires_on": expires.isoformat(),
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["replaces"] == licence.pk
    assert body["review_state"] == "pending"
    assert body["expires_on"] == expires.isoformat()
    licence.refresh_from_db()
    assert licence.superseded_at is None


def test_a_renewal_of_the_wrong_type_is_400_and_nothing_changes(approved):
    seller, owner, licence = approved
    before = list(Document.objects.order_by("pk").values_list("pk", "review_state", "file"))
    response = api_for(owner).post(
        f"{API}seller/documents/",
        {"kind": "business_license", "file": upload("licence.pdf", b"<html>not a pdf</html>")},
        format="multipart",
    )
    assert response.status_code == 400
    assert "PDF, JPEG or PNG" in " ".join(response.json()["file"])
    assert list(Document.objects.order_by("pk").values_list("pk", "review_state", "file")) == before


@pytest.mark.parametrize("replaces", ["abc", "0", "99999999999999"])
def test_a_malformed_replaces_is_400(approved, replaces):
    _seller, owner, _licence = approved
    response = api_for(owner).post(
        f"{API}seller/documents/",
        {"kind": "business_license", "file": upload("l.pdf", PDF_BYTES), "replaces": replaces},
        format="multipart",
    )
    assert response.status_code == 400
    assert "replaces" in response.json()


def test_renewing_another_sellers_document_is_400_without_hinting_it_exists(approved):
    _seller, owner, _licence = approved
    other = DocumentFactory(review_state=R.ACCEPTED)
    response = api_for(owner).post(
        f"{API}seller/documents/",
        {"kind": "business_license", "file": upload("l.pdf", PDF_BYTES), "replaces": other.pk},
        format="multipart",
    )
    assert response.status_code == 400
    unknown = api_for(owner).post(
        f"{API}seller/documents/",
        {"kind": "business_license", "file": upload("l.pdf", PDF_BYTES), "replaces": 999999},
        format="multipart",
    )
    assert response.json() == unknown.json()


def test_the_schema_lists_the_document_review_routes(client):
    schema = client.get("/api/schema/?format=json").json()
    paths = schema["paths"]
    assert "/api/v1/ops/documents/{id}/accept/" in paths
    assert "400" in paths["/api/v1/ops/documents/{id}/reject/"]["post"]["responses"]
    approve = paths["/api/v1/ops/sellers/{id}/approve/"]["post"]["responses"]["409"]
    assert "documents_not_accepted" in approve["description"]

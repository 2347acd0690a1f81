"""Issue 11, brands API: `GET, POST seller/brands/`, `GET seller/brands/{id}/`, and for staff
`GET ops/brands/?state=`, `POST ops/brands/{id}/approve/` and `reject/` `{reason}`."""

import io

import pytest
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from catalog.models import Product
from sellers import permissions
from sellers.models import Brand, BrandState, Document, SellerStatus, User
from tests.catalog.factories_api import LEAF, row
from tests.security.test_staff_roles import staff_in
from tests.sellers.factories import (
    PDF_BYTES,
    BrandFactory,
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


def scan(content: bytes = PDF_BYTES, name: str = "trademark.pdf") -> io.BytesIO:
    handle = io.BytesIO(content)
    handle.name = name
    return handle


def brand_body(**overrides):
    body = {
        "name": "Jinma",
        "name_zh": "金马",
        "origin_country": "CN",
        "trademark_number": "TM7654321",
        "document": scan(),
    }
    body.update(overrides)
    return body


@pytest.fixture
def owner():
    return seller_with_owner(SellerStatus.APPROVED, brands=["Lanyue"])


def test_an_approved_seller_adds_a_brand_and_gets_201_with_its_state(owner):
    seller, user = owner
    response = api_for(user).post(f"{API}seller/brands/", brand_body(), format="multipart")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["state"] == "pending"
    assert body["reason"] == ""
    assert {k: body[k] for k in ("name", "name_zh", "origin_country", "trademark_number")} == {
        "name": "Jinma",
        "name_zh": "金马",
        "origin_country": "CN",
        "trademark_number": "TM7654321",
    }
    assert body["document"]["kind"] == "trademark_certificate"
    assert body["document"]["content_type"] == "application/pdf"
    assert body["id"] == Brand.objects.get(seller=seller, name="Jinma").pk
    # The document is one of the seller's documents, downloadable where they all are.
    assert api_for(user).get(body["document"]["file_url"]).status_code == 200


def test_a_brand_authorisation_is_accepted_as_the_document(owner):
    _seller, user = owner
    response = api_for(user).post(
        f"{API}seller/brands/",
        brand_body(document_kind="brand_authorization"),
        format="multipart",
    )
    assert response.status_code == 201
    assert response.json()["document"]["kind"] == "brand_authorization"


def test_the_list_shows_every_brand_with_its_state(owner):
    seller, user = owner
    api_for(user).post(f"{API}seller/brands/", brand_body(), format="multipart")
    body = api_for(user).get(f"{API}seller/brands/").json()
    assert body["count"] == 2
    assert [(b["name"], b["state"]) for b in body["results"]] == [
        ("Jinma", "pending"),
        ("Lanyue", "approved"),
    ]


def test_the_detail_answers_for_the_callers_brand_only(owner):
    seller, user = owner
    brand = seller.brands.get()
    mine = api_for(user).get(f"{API}seller/brands/{brand.pk}/")
    assert mine.status_code == 200
    assert mine.json()["state"] == "approved"
    _other_seller, stranger = seller_with_owner(SellerStatus.APPROVED, brands=["Tianxin"])
    assert api_for(stranger).get(f"{API}seller/brands/{brand.pk}/").status_code == 404
    assert api_for(user).get(f"{API}seller/brands/999999/").status_code == 404


def test_without_an_application_the_brands_are_404():
    client = api_for(UserFactory())
    assert client.get(f"{API}seller/brands/").status_code == 404
    assert client.post(f"{API}seller/brands/", brand_body(), format="multipart").status_code == 404


def test_anonymous_requests_get_401():
    client = APIClient()
    assert client.get(f"{API}seller/brands/").status_code == 401
    assert client.get(f"{API}ops/brands/").status_code == 401


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": "lanyue"}, "name"),
        ({"name": "Blue", "name_zh": "Lanyue"}, "name_zh"),
        ({"document": scan(b"<html>not a pdf</html>", "passwd.pdf")}, "document"),
        ({"document": scan(b"", "empty.pdf")}, "document"),
        ({"document": None}, "document"),
        ({"name": "Zero\u200bwidth"}, "name"),
        ({"name": ""}, "name"),
        ({"origin_country": "XX"}, "origin_country"),
        ({"document_kind": "business_license"}, "document_kind"),
    ],
)
def test_bad_input_is_400_naming_the_field_and_nothing_is_stored(owner, overrides, field):
    seller, user = owner
    body = brand_body(**overrides)
    body = {key: value for key, value in body.items() if value is not None}
    documents = Document.objects.count()
    response = api_for(user).post(f"{API}seller/brands/", body, format="multipart")
    assert response.status_code == 400, response.json()
    assert field in response.json()
    assert list(seller.brands.values_list("name", flat=True)) == ["Lanyue"]
    assert Document.objects.count() == documents


def test_a_brand_requested_twice_is_400_with_a_message(owner):
    _seller, user = owner
    client = api_for(user)
    assert client.post(f"{API}seller/brands/", brand_body(), format="multipart").status_code == 201
    again = client.post(f"{API}seller/brands/", brand_body(name="JINMA"), format="multipart")
    assert again.status_code == 400
    assert "waiting for review" in again.json()["name"][0]


@pytest.mark.parametrize("status", [SellerStatus.SUSPENDED, SellerStatus.REJECTED])
def test_a_suspended_or_rejected_seller_gets_409_and_nothing_changes(status):
    seller, user = seller_with_owner(status, brands=["Lanyue"])
    documents = Document.objects.count()
    response = api_for(user).post(f"{API}seller/brands/", brand_body(), format="multipart")
    assert response.status_code == 409
    assert list(seller.brands.values_list("name", flat=True)) == ["Lanyue"]
    assert Document.objects.count() == documents


def test_a_document_over_the_limit_is_413_and_nothing_is_stored(owner, settings):
    settings.DOCUMENT_MAX_BYTES = 2048
    seller, user = owner
    response = api_for(user).post(
        f"{API}seller/brands/", brand_body(document=scan(PDF_BYTES * 100)), format="multipart"
    )
    assert response.status_code == 413
    assert seller.brands.count() == 1


# Staff


def test_ops_lists_pending_brands_first_and_filters_by_state(owner):
    seller, user = owner
    api_for(user).post(f"{API}seller/brands/", brand_body(), format="multipart")
    reviewer = staff_in(permissions.REVIEWERS)
    everything = api_for(reviewer).get(f"{API}ops/brands/").json()["results"]
    assert [(b["name"], b["state"]) for b in everything] == [
        ("Jinma", "pending"),
        ("Lanyue", "approved"),
    ]
    assert everything[0]["seller"]["id"] == seller.pk
    pending = api_for(reviewer).get(f"{API}ops/brands/", {"state": "pending"}).json()
    assert [b["name"] for b in pending["results"]] == ["Jinma"]
    assert api_for(reviewer).get(f"{API}ops/brands/", {"state": "bogus"}).status_code == 400


def test_a_reviewer_approves_a_brand_and_its_rows_then_import(owner, categories):
    seller, user = owner
    created = api_for(user).post(f"{API}seller/brands/", brand_body(), format="multipart").json()
    product = row("NEW-1", brand="金马")
    refused = api_for(user).post(f"{API}products/", product, format="json")
    assert refused.status_code == 400
    assert "waiting for review" in refused.json()["brand"][0]

    reviewer = staff_in(permissions.REVIEWERS)
    approved = api_for(reviewer).post(f"{API}ops/brands/{created['id']}/approve/")
    assert approved.status_code == 200, approved.json()
    assert approved.json()["state"] == "approved"
    assert api_for(reviewer).post(f"{API}ops/brands/{created['id']}/approve/").status_code == 409

    accepted = api_for(user).post(f"{API}products/", product, format="json")
    assert accepted.status_code == 201, accepted.json()
    assert Product.objects.get(seller=seller, sku="NEW-1").brand_id == created["id"]
    assert Product.objects.get(seller=seller, sku="NEW-1").category.code == LEAF


def test_reject_needs_a_reason_and_the_seller_reads_it(owner):
    seller, user = owner
    created = api_for(user).post(f"{API}seller/brands/", brand_body(), format="multipart").json()
    reviewer = staff_in(permissions.REVIEWERS)
    url = f"{API}ops/brands/{created['id']}/reject/"
    without = api_for(reviewer).post(url, {}, format="json")
    assert without.status_code == 400
    assert "reason" in without.json()
    assert Brand.objects.get(pk=created["id"]).state == BrandState.PENDING
    rejected = api_for(reviewer).post(url, {"reason": "Certificate expired."}, format="json")
    assert rejected.status_code == 200
    seen = api_for(user).get(f"{API}seller/brands/{created['id']}/").json()
    assert (seen["state"], seen["reason"]) == ("rejected", "Certificate expired.")


def test_staff_without_the_brand_permission_get_403_and_sellers_404(owner):
    seller, user = owner
    brand = BrandFactory(seller=seller, name="Jinma", state=BrandState.PENDING)
    analyst = staff_in(permissions.MARKET_ANALYSTS)
    for client in (api_for(analyst), api_for(UserFactory(is_staff=True))):
        assert client.get(f"{API}ops/brands/").status_code == 403
        assert client.post(f"{API}ops/brands/{brand.pk}/approve/").status_code == 403
        reject = client.post(f"{API}ops/brands/{brand.pk}/reject/", {"reason": "x"})
        assert reject.status_code == 403
    seller_client = api_for(user)
    assert seller_client.get(f"{API}ops/brands/").status_code == 404
    assert seller_client.post(f"{API}ops/brands/{brand.pk}/approve/").status_code == 404
    brand.refresh_from_db()
    assert brand.state == BrandState.PENDING


def test_staff_with_only_the_brand_change_permission_review_brands(owner):
    seller, _user = owner
    brand = BrandFactory(seller=seller, name="Jinma", state=BrandState.PENDING)
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="change_brand"))
    client = api_for(User.objects.get(pk=staff.pk))
    assert client.post(f"{API}ops/brands/{brand.pk}/approve/").status_code == 200
    assert client.post(f"{API}ops/brands/999999/approve/").status_code == 404


def test_superusers_review_brands_too(owner):
    seller, _user = owner
    brand = BrandFactory(seller=seller, name="Jinma", state=BrandState.PENDING)
    assert api_for(StaffFactory()).post(f"{API}ops/brands/{brand.pk}/approve/").status_code == 200


def test_a_json_body_without_the_document_is_told_what_is_missing(owner):
    seller, user = owner
    response = api_for(user).post(f"{API}seller/brands/", {"name": "Jinma"}, format="json")
    assert response.status_code == 400
    assert "trademark certificate" in response.json()["document"][0]
    assert seller.brands.count() == 1

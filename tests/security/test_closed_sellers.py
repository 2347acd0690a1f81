"""RELIABILITY row 44: a suspended or rejected seller writes nothing. Every write a seller can
send, through the API and the pages, changes nothing; the writes the seller could make before
(delete a product, invite a colleague, upload a document or a catalog) answer 409.

The sweep walks every API route and every page that takes a POST, so a write added later is
covered without touching this file.
"""

import io

import pytest
from django.test import Client
from rest_framework.test import APIClient

from sellers.models import Invitation, SellerStatus
from tests.security.conftest import SellerWorld, db_diff, db_state
from tests.security.routes import all_routes, is_public, read
from tests.security.test_isolation import HOSTILE_BODY, object_kind
from tests.sellers.factories import PDF_BYTES, UserFactory

pytestmark = pytest.mark.django_db

CLOSED = [SellerStatus.SUSPENDED, SellerStatus.REJECTED]
CATALOG_CSV = (
    "sku,title_uz,title_ru,brand,category,price_uzs,stock,ikpu,weight_g\n"
    "NEW-1,Yangi mahsulot nomi,Новый товар,{brand},{category},1000,1,10711001000000000,100\n"
)


@pytest.fixture(params=CLOSED)
def closed(request, alpha: SellerWorld) -> SellerWorld:
    alpha.seller.status = request.param
    alpha.seller.save()
    return alpha


def _signed_in(world: SellerWorld) -> Client:
    client = Client()
    client.raise_request_exception = False
    client.force_login(world.user)
    return client


def _upload(name: str, content: bytes) -> io.BytesIO:
    handle = io.BytesIO(content)
    handle.name = name
    return handle


def test_row_44_a_closed_seller_changes_nothing_through_any_route(closed: SellerWorld):
    client = _signed_in(closed)
    problems = []
    for route in all_routes():
        if route.is_admin or route.is_catch_all or route.route.startswith("static/"):
            continue
        values = {}
        for name in route.params:
            kind = object_kind(route, name)
            values[name] = closed.ids[kind] if kind else route.default_value(name)
        path = route.build(values)
        if is_public(path):
            continue  # sign-up, login, password reset: the user's account, not the seller
        for method in ("post", "put", "patch", "delete") if route.is_api else ("post",):
            before = db_state()
            response = getattr(client, method)(path, HOSTILE_BODY, content_type="application/json")
            read(response)
            if not route.is_api or response.status_code == 415:
                response = getattr(client, method)(path, HOSTILE_BODY)
                read(response)
            changes = db_diff(before, db_state())
            if changes:
                problems.append(f"{method.upper()} {path}: {response.status_code} {changes}")
    assert not problems, "\n".join(problems)


def test_row_44_a_closed_seller_cannot_delete_a_product(closed: SellerWorld):
    client = _signed_in(closed)
    before = db_state()
    response = client.delete(f"/api/v1/products/{closed.product.sku}/")
    assert response.status_code == 409
    assert "approved" in response.json()["detail"]
    assert not db_diff(before, db_state())


def test_row_44_a_closed_seller_cannot_invite(closed: SellerWorld, mailoutbox):
    client = _signed_in(closed)
    before = db_state()
    response = client.post(
        "/api/v1/seller/invitations/",
        {"email": "colleague@example.com"},
        content_type="application/json",
    )
    assert response.status_code == 409
    page = client.post("/dashboard/members/invite/", {"email": "colleague@example.com"})
    assert page.status_code in (200, 302, 409)
    assert not db_diff(before, db_state())
    assert not Invitation.objects.filter(email="colleague@example.com").exists()
    assert mailoutbox == []


def test_row_44_a_closed_seller_cannot_accept_an_invitation_to_it(closed: SellerWorld):
    invitee = UserFactory(email=closed.invitation.email)
    client = APIClient()
    client.force_authenticate(invitee)
    before = db_state()
    response = client.post(f"/api/v1/invitations/{closed.invitation.token}/accept/")
    assert response.status_code == 409
    assert not db_diff(before, db_state())


def test_row_44_a_closed_seller_cannot_upload(closed: SellerWorld):
    client = _signed_in(closed)
    before = db_state()
    document = client.post(
        "/api/v1/seller/documents/",
        {"kind": "business_license", "file": _upload("licence.pdf", PDF_BYTES)},
    )
    assert document.status_code == 409
    catalog = CATALOG_CSV.format(brand=closed.brand.name, category=closed.product.category.code)
    imported = client.post(
        "/api/v1/imports/", {"file": _upload("catalog.csv", catalog.encode()), "mode": "commit"}
    )
    assert imported.status_code == 409
    assert not db_diff(before, db_state())

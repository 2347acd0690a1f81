"""Issue 11, brands on the seller's pages (`sellers:brand-list`, `sellers:brand-add`) and the
brand review queue in admin."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from sellers import permissions
from sellers.models import Brand, BrandState, Document, SellerStatus, User
from tests.security.test_staff_roles import staff_in
from tests.sellers.factories import PDF_BYTES, BrandFactory, UserFactory, seller_with_owner

pytestmark = pytest.mark.django_db

LIST = reverse("sellers:brand-list")
ADD = reverse("sellers:brand-add")


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_data(**overrides):
    data = {
        "name": "Jinma",
        "name_zh": "金马",
        "origin_country": "cn",
        "trademark_number": "TM1234567",
        "document_kind": "trademark_certificate",
        "document": SimpleUploadedFile("证书.pdf", PDF_BYTES, content_type="application/pdf"),
    }
    data.update(overrides)
    return data


@pytest.fixture
def owner():
    return seller_with_owner(SellerStatus.APPROVED, brands=["Lanyue"])


# The seller's pages


def test_the_brands_page_lists_each_brand_with_its_state_and_reason(owner):
    seller, user = owner
    BrandFactory(seller=seller, name="Jinma", state=BrandState.PENDING)
    BrandFactory(seller=seller, name="Tianxin", state=BrandState.REJECTED, reason="Blurred scan.")
    page = logged_in(user).get(LIST)
    assert page.status_code == 200
    html = page.content.decode()
    for text in ("Lanyue", "Jinma", "Tianxin", "Approved", "Pending", "Blurred scan."):
        assert text in html
    assert f'href="{ADD}"' in html
    assert f"{ADD}?name=Tianxin" in html  # ask again for a rejected brand


def test_the_brands_page_filters_by_state_with_an_htmx_partial(owner):
    seller, user = owner
    BrandFactory(seller=seller, name="Jinma", state=BrandState.PENDING)
    partial = logged_in(user).get(LIST, {"state": "pending"}, HTTP_HX_REQUEST="true")
    html = partial.content.decode()
    assert partial.status_code == 200
    assert "<h1>" not in html and 'id="brands"' in html
    assert "Jinma" in html and "Lanyue" not in html
    assert "HX-Request" in partial["Vary"]


def test_the_add_form_prefills_the_name_from_the_import_link(owner):
    _seller, user = owner
    page = logged_in(user).get(ADD, {"name": "蓝月 Blue"})
    assert page.status_code == 200
    assert 'value="蓝月 Blue"' in page.content.decode()


def test_an_approved_seller_adds_a_brand_from_the_page(owner, django_capture_on_commit_callbacks):
    seller, user = owner
    client = logged_in(user)
    response = client.post(ADD, form_data(), follow=True)
    assert response.redirect_chain == [(LIST, 302)]
    brand = seller.brands.get(name="Jinma")
    assert (brand.state, brand.origin_country, brand.name_zh) == ("pending", "CN", "金马")
    assert brand.document.original_name == "证书.pdf"
    assert "Waiting for review by Bozor." in response.content.decode()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": "LANYUE"}, "already one of your brands"),
        (
            {"document": SimpleUploadedFile("x.pdf", b"<html></html>", "application/pdf")},
            "PDF, JPEG or PNG",
        ),
        ({"document": ""}, "Attach the trademark certificate"),
        ({"origin_country": "ZZ"}, ""),
    ],
)
def test_the_page_refuses_bad_input_with_a_message_and_stores_nothing(owner, overrides, message):
    seller, user = owner
    documents = Document.objects.count()
    data = {key: value for key, value in form_data(**overrides).items() if value != ""}
    response = logged_in(user).post(ADD, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "The brand was not added" in html
    assert message in html
    assert list(seller.brands.values_list("name", flat=True)) == ["Lanyue"]
    assert Document.objects.count() == documents


def test_a_suspended_seller_adds_no_brand_from_the_page():
    seller, user = seller_with_owner(SellerStatus.SUSPENDED, brands=["Lanyue"])
    client = logged_in(user)
    assert client.get(ADD).status_code == 409
    assert client.post(ADD, form_data()).status_code == 409
    assert seller.brands.count() == 1
    assert "Add a brand</a>" not in client.get(LIST).content.decode()


def test_without_an_application_the_pages_point_to_it():
    client = logged_in(UserFactory())
    assert "Start your application" in client.get(LIST).content.decode()
    assert client.get(ADD)["Location"] == reverse("sellers:application")


def test_the_pages_need_a_login():
    assert Client().get(LIST).status_code == 302
    assert Client().get(ADD).status_code == 302


# The review queue in admin


def _changelist() -> str:
    return reverse("admin:sellers_brand_changelist")


def test_the_queue_lists_pending_brands_first_and_filters_by_state(owner):
    seller, _user = owner
    BrandFactory(seller=seller, name="Aardvark", state=BrandState.APPROVED)
    BrandFactory(seller=seller, name="Zebra", state=BrandState.PENDING)
    client = logged_in(staff_in(permissions.REVIEWERS))
    html = client.get(_changelist()).content.decode()
    assert html.index("Zebra") < html.index("Aardvark")
    filtered = client.get(_changelist(), {"state__exact": "pending"}).content.decode()
    assert "Zebra" in filtered and "Aardvark" not in filtered


def test_a_reviewer_approves_selected_brands_from_the_queue(
    owner, django_capture_on_commit_callbacks
):
    seller, user = owner
    brand = BrandFactory(seller=seller, name="Zebra", state=BrandState.PENDING)
    client = logged_in(staff_in(permissions.REVIEWERS))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _changelist(), {"action": "approve_selected", ACTION_CHECKBOX_NAME: [brand.pk]}
        )
    assert response.status_code == 302
    brand.refresh_from_db()
    assert brand.state == BrandState.APPROVED
    assert [message.to for message in mail.outbox] == [[user.email]]


def test_rejecting_from_the_queue_asks_for_a_reason_first(owner):
    seller, _user = owner
    brand = BrandFactory(seller=seller, name="Zebra", state=BrandState.PENDING)
    client = logged_in(staff_in(permissions.REVIEWERS))
    asked = client.post(
        _changelist(), {"action": "reject_selected", ACTION_CHECKBOX_NAME: [brand.pk]}
    )
    assert asked.status_code == 200
    assert 'name="reason"' in asked.content.decode()
    brand.refresh_from_db()
    assert brand.state == BrandState.PENDING
    client.post(
        _changelist(),
        {
            "action": "reject_selected",
            ACTION_CHECKBOX_NAME: [brand.pk],
            "apply": "1",
            "reason": "Not the trademark owner.",
        },
    )
    brand.refresh_from_db()
    assert (brand.state, brand.reason) == (BrandState.REJECTED, "Not the trademark owner.")


def test_the_approve_page_has_a_primary_button_not_a_red_one(owner):
    seller, _user = owner
    brand = BrandFactory(seller=seller, name="Zebra", state=BrandState.PENDING)
    client = logged_in(staff_in(permissions.REVIEWERS))
    change = client.get(reverse("admin:sellers_brand_change", args=[brand.pk])).content.decode()
    approve_url = reverse("admin:sellers_brand_review", args=[brand.pk, "approve"])
    assert approve_url in change
    page = client.get(approve_url)
    html = page.content.decode()
    assert 'type="submit" value="Approve" class="default"' in html
    assert "delete-confirmation" not in html
    assert client.post(approve_url).status_code == 302
    brand.refresh_from_db()
    assert brand.state == BrandState.APPROVED


def test_the_reject_page_needs_a_reason(owner):
    seller, _user = owner
    brand = BrandFactory(seller=seller, name="Zebra", state=BrandState.PENDING)
    client = logged_in(staff_in(permissions.REVIEWERS))
    url = reverse("admin:sellers_brand_review", args=[brand.pk, "reject"])
    assert client.post(url, {"reason": ""}).status_code == 200
    brand.refresh_from_db()
    assert brand.state == BrandState.PENDING
    assert client.post(url, {"reason": "Expired certificate."}).status_code == 302
    brand.refresh_from_db()
    assert brand.state == BrandState.REJECTED


def test_staff_without_the_brand_permission_get_403_from_the_queue(owner):
    seller, _user = owner
    brand = BrandFactory(seller=seller, name="Zebra", state=BrandState.PENDING)
    client = logged_in(staff_in(permissions.MARKET_ANALYSTS))
    assert client.get(_changelist()).status_code == 403
    review = reverse("admin:sellers_brand_review", args=[brand.pk, "approve"])
    assert client.post(review).status_code == 403
    assert (
        client.post(
            _changelist(), {"action": "approve_selected", ACTION_CHECKBOX_NAME: [brand.pk]}
        ).status_code
        == 403
    )
    brand.refresh_from_db()
    assert brand.state == BrandState.PENDING
    assert Brand.objects.filter(state=BrandState.APPROVED, name="Zebra").count() == 0

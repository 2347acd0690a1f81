"""Django admin for operations staff: review with reasons, one at a time and in bulk."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib import admin
from django.contrib.messages import get_messages
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from sellers.admin import DocumentReviewForm
from sellers.models import DocumentKind, Seller, SellerStatus, StatusChange
from tests.sellers.factories import (
    DocumentFactory,
    SellerFactory,
    StaffFactory,
    UserFactory,
    seller_with_owner,
)

pytestmark = pytest.mark.django_db
S = SellerStatus
CHANGELIST = "/admin/sellers/seller/"


@pytest.fixture
def staff_client(client):
    staff = StaffFactory()
    client.force_login(staff)
    client.staff = staff
    return client


def texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_it_lists_applications_with_status_and_licence_flag(staff_client):
    expiring, _owner = seller_with_owner(status=S.SUBMITTED, documents=False)
    DocumentFactory(
        seller=expiring,
        kind=DocumentKind.BUSINESS_LICENSE,
        expires_on=timezone.localdate() + timedelta(days=10),
    )
    seller_with_owner(status=S.APPROVED)
    response = staff_client.get(CHANGELIST)
    assert response.status_code == 200
    page = response.content.decode()
    assert "SUBMITTED" in page and "APPROVED" in page
    flagged = staff_client.get(CHANGELIST, {"licence": "expiring"})
    assert list(flagged.context["cl"].result_list) == [expiring]


def test_it_lists_applications_in_a_fixed_number_of_queries(
    staff_client, django_assert_num_queries
):
    seller_with_owner(status=S.SUBMITTED, brands=["A", "B"])
    staff_client.get(CHANGELIST)  # warm the session and content types
    with django_assert_num_queries(7) as few:
        staff_client.get(CHANGELIST)
    for _n in range(5):
        seller_with_owner(status=S.SUBMITTED, brands=["A", "B"])
    with django_assert_num_queries(len(few.captured_queries)):
        staff_client.get(CHANGELIST)


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("Lanyue", True),
        ("蓝月", True),
        ("914403001922038216", True),
        ("contact-x", True),
        ("nope", False),
    ],
)
def test_it_searches_by_names_uscc_brands_and_contact_email(staff_client, query, found):
    seller, _owner = seller_with_owner(brands=[])
    seller.uscc = "914403001922038216"
    seller.contact_email = "contact-x@example.cn"
    seller.save()
    seller.brands.create(name="Lanyue", name_zh="蓝月")
    SellerFactory()  # noise
    response = staff_client.get(CHANGELIST, {"q": query})
    assert (seller in list(response.context["cl"].result_list)) is found


def test_it_filters_by_status(staff_client):
    submitted, _owner = seller_with_owner(status=S.SUBMITTED)
    seller_with_owner(status=S.DRAFT)
    response = staff_client.get(CHANGELIST, {"status__exact": "submitted"})
    assert list(response.context["cl"].result_list) == [submitted]


def test_it_shows_only_the_allowed_decisions_on_the_change_page(staff_client):
    seller, _owner = seller_with_owner(status=S.SUBMITTED)
    page = staff_client.get(reverse("admin:sellers_seller_change", args=[seller.pk]))
    assert page.status_code == 200
    content = page.content.decode()
    for action in ["approve", "reject", "request_changes"]:
        assert f"/transition/{action}/" in content
    assert "/transition/suspend/" not in content
    assert "营业执照 licence.pdf" in content  # the documents inline links the file


def test_it_decides_one_application_with_a_reason(staff_client, django_capture_on_commit_callbacks):
    seller, owner = seller_with_owner(status=S.SUBMITTED)
    url = reverse("admin:sellers_seller_transition", args=[seller.pk, "request_changes"])
    assert staff_client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url, {"reason": "Upload a colour scan."})
    assert response.status_code == 302
    seller.refresh_from_db()
    assert seller.status == S.CHANGES_REQUESTED
    change = StatusChange.objects.get(seller=seller)
    assert (change.reason, change.by) == ("Upload a colour scan.", staff_client.staff)
    assert mail.outbox[0].to == [owner.email]


@pytest.mark.parametrize("action", ["approve", "reject", "request_changes"])
def test_it_requires_a_reason_for_every_decision(staff_client, action):
    seller, _owner = seller_with_owner(status=S.SUBMITTED)
    url = reverse("admin:sellers_seller_transition", args=[seller.pk, action])
    response = staff_client.post(url, {"reason": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    seller.refresh_from_db()
    assert seller.status == S.SUBMITTED


def test_it_reports_a_refused_single_decision_instead_of_failing(staff_client):
    seller, _owner = seller_with_owner(status=S.DRAFT)
    url = reverse("admin:sellers_seller_transition", args=[seller.pk, "approve"])
    response = staff_client.post(url, {"reason": "Looks fine."})
    assert response.status_code == 302
    assert any("cannot become Approved" in text for text in texts(response))
    seller.refresh_from_db()
    assert seller.status == S.DRAFT


def test_it_asks_for_a_reason_before_a_bulk_decision(staff_client):
    first, _a = seller_with_owner(status=S.SUBMITTED)
    second, _b = seller_with_owner(status=S.SUBMITTED)
    response = staff_client.post(
        CHANGELIST, {"action": "reject", "_selected_action": [first.pk, second.pk]}
    )
    assert response.status_code == 200
    assert response.templates[0].name == "admin/sellers/seller/transition.html"
    assert "reason" in response.content.decode()
    assert Seller.objects.filter(status=S.SUBMITTED).count() == 2
    # Applying without a reason shows the page again with the error.
    again = staff_client.post(
        CHANGELIST,
        {"action": "reject", "_selected_action": [first.pk, second.pk], "apply": "1", "reason": ""},
    )
    assert again.status_code == 200
    assert again.context["form"].errors["reason"]
    assert Seller.objects.filter(status=S.SUBMITTED).count() == 2


def test_it_applies_a_bulk_decision_and_reports_the_refused_ones(
    staff_client, django_capture_on_commit_callbacks
):
    submitted, _a = seller_with_owner(status=S.SUBMITTED)
    draft, _b = seller_with_owner(status=S.DRAFT)
    rejected, _c = seller_with_owner(status=S.REJECTED)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            CHANGELIST,
            {
                "action": "request_changes",
                "_selected_action": [submitted.pk, draft.pk, rejected.pk],
                "apply": "1",
                "reason": "Add the trademark certificate.",
            },
            follow=True,
        )
    assert response.status_code == 200
    statuses = dict(Seller.objects.values_list("pk", "status"))
    assert statuses == {
        submitted.pk: S.CHANGES_REQUESTED,
        draft.pk: S.DRAFT,
        rejected.pk: S.REJECTED,
    }
    messages = [str(m) for m in response.context["messages"]]
    assert any(m.startswith("Changes requested for 1 application: ") for m in messages)
    refused = [m for m in messages if m.startswith("Not changed")]
    assert len(refused) == 2
    assert len(mail.outbox) == 1


def test_it_suspends_and_reinstates_in_bulk(staff_client):
    approved, _a = seller_with_owner(status=S.APPROVED)
    staff_client.post(
        CHANGELIST,
        {
            "action": "suspend",
            "_selected_action": [approved.pk],
            "apply": "1",
            "reason": "Counterfeit complaint.",
        },
    )
    approved.refresh_from_db()
    assert approved.status == S.SUSPENDED
    staff_client.post(
        CHANGELIST,
        {
            "action": "approve",
            "_selected_action": [approved.pk],
            "apply": "1",
            "reason": "Resolved.",
        },
    )
    approved.refresh_from_db()
    assert approved.status == S.APPROVED
    assert list(approved.status_history.values_list("to_status", flat=True)) == [
        "suspended",
        "approved",
    ]


def _seller_form(data):
    model_admin = admin.site._registry[Seller]
    request = RequestFactory().get("/")
    request.user = StaffFactory()
    form_class = model_admin.get_form(request)
    return form_class(data=data)


def _form_data(**overrides):
    data = {
        "legal_name": "Pilot Co.",
        "legal_name_zh": "试点公司",
        "uscc": "91110000600037341M",  # a real pilot code that fails the check character
        "address": "Beijing",
        "uz_entity_name": "Pilot MChJ",
        "uz_entity_stir": "301234567",
        "contact_name": "Zhang",
        "contact_email": "z@example.cn",
        "contact_phone": "+86 10 1234 5678",
        "website": "",
    }
    data.update(overrides)
    return data


def test_it_lets_staff_save_a_pilot_uscc_that_fails_the_check():
    form = _seller_form(_form_data())
    assert form.is_valid(), form.errors
    seller = form.save()
    assert seller.uscc == "91110000600037341M"
    assert seller.contact_phone == "+861012345678"


@pytest.mark.parametrize(
    ("uscc", "message"),
    [("9111000060003734", "18 characters"), ("91110000600037341O", "I, O, S, V or Z")],
)
def test_it_still_checks_the_uscc_format_in_admin(uscc, message):
    form = _seller_form(_form_data(uscc=uscc))
    assert not form.is_valid()
    assert message in " ".join(form.errors["uscc"])


def test_it_refuses_a_duplicate_uscc_in_admin_with_a_clear_message():
    SellerFactory(uscc="91110000600037341M")
    form = _seller_form(_form_data(uscc="91110000600037341m"))
    assert not form.is_valid()
    assert form.errors["uscc"] == ["A seller with this USCC is already registered."]


def test_it_requires_a_reason_to_reject_a_document_in_admin():
    seller, _owner = seller_with_owner()
    document = seller.documents.first()
    form = DocumentReviewForm(
        data={"review_state": "rejected", "review_reason": ""}, instance=document
    )
    assert not form.is_valid()
    assert "review_reason" in form.errors
    ok = DocumentReviewForm(
        data={"review_state": "rejected", "review_reason": "Blurry."}, instance=document
    )
    assert ok.is_valid()


def test_it_serves_documents_to_staff_only(client, staff_client):
    seller, owner = seller_with_owner()
    document = seller.documents.first()
    url = reverse("admin:sellers_seller_document_file", args=[document.pk])
    response = staff_client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Content-Type"] == "application/pdf"
    assert "sandbox" in response["Content-Security-Policy"]
    downloaded = staff_client.get(url, {"download": "1"})
    assert downloaded["Content-Disposition"].startswith("attachment;")
    other = UserFactory()
    client.force_login(other)
    assert client.get(url).status_code == 302  # to the admin login, never the file


def test_it_exports_sellers_with_formulas_escaped(staff_client):
    seller, _owner = seller_with_owner()
    seller.legal_name = '=HYPERLINK("http://evil")'
    seller.save()
    response = staff_client.post(
        "/admin/sellers/seller/export/",
        {
            "format": "0",
            **{f"sellerresource_{f}": "on" for f in ["id", "legal_name", "uscc", "brands"]},
        },
    )
    assert response.status_code == 200, response.content[:500]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 1
    assert rows[0]["legal_name"] == '\'=HYPERLINK("http://evil")'
    assert rows[0]["uscc"] == seller.uscc
    assert rows[0]["brands"] == "Lanyue"


def test_it_adds_a_user_by_email(staff_client):
    response = staff_client.post(
        "/admin/sellers/user/add/",
        {
            "email": "reviewer@bozor.localhost",
            "usable_password": "true",
            "password1": "a-long-passphrase-1",
            "password2": "a-long-passphrase-1",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    from sellers.models import User

    assert User.objects.filter(email="reviewer@bozor.localhost").exists()


def test_it_escapes_hostile_text_on_admin_pages(staff_client):
    """RELIABILITY 29: markup typed by a seller is shown, never run."""
    hostile = "<img src=x onerror=alert(1)>"
    seller, _owner = seller_with_owner(brands=[hostile])
    seller.legal_name = hostile
    seller.save()
    document = seller.documents.first()
    document.original_name = hostile + ".pdf"
    document.save()
    for url in [CHANGELIST, reverse("admin:sellers_seller_change", args=[seller.pk])]:
        page = staff_client.get(url).content.decode()
        assert hostile not in page
        assert "&lt;img src=x onerror=alert(1)&gt;" in page


# Users: every password set ends the user's sessions and tokens; one spelling per mailbox


def test_row_31_the_admins_password_form_revokes_the_users_tokens_and_sessions(staff_client):
    from django.test import Client
    from knox.models import AuthToken

    from tests.sellers.factories import PASSWORD, api_token

    user = UserFactory(email="li@example.cn")
    api_token(user)
    browser = Client()
    browser.post(reverse("sellers:login"), {"username": "li@example.cn", "password": PASSWORD})
    assert browser.get(reverse("sellers:dashboard")).status_code == 200
    new = "tashkent-silk-road-2026"
    response = staff_client.post(
        f"/admin/sellers/user/{user.pk}/password/",
        {"password1": new, "password2": new, "usable_password": "true"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user.refresh_from_db()
    assert user.check_password(new)
    assert not AuthToken.objects.filter(user=user).exists()
    assert browser.get(reverse("sellers:dashboard")).status_code == 302


def test_row_33_admin_stores_one_spelling_and_refuses_another_spelling_of_a_taken_address(
    staff_client,
):
    from sellers.models import User

    new = "tashkent-silk-road-2026"
    data = {"email": "A@Bücher.example", "password1": new, "password2": new}
    data["usable_password"] = "true"
    assert staff_client.post("/admin/sellers/user/add/", data).status_code == 302
    assert User.objects.filter(email="a@xn--bcher-kva.example").exists()
    again = staff_client.post(
        "/admin/sellers/user/add/", {**data, "email": "a@bu\u0308cher.example"}
    )
    assert again.status_code == 200
    assert User.objects.filter(email__endswith="bcher-kva.example").count() == 1

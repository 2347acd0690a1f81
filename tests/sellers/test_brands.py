"""Issue 11, brands as objects with their own review: the services, the migration's data part,
the application's approval, and the import rule (`brand_pending`)."""

import io
from pathlib import Path

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from catalog.importing.messages import message_for
from catalog.models import Product
from catalog.selectors import product_lookups
from catalog.services import import_job_create
from portal.errors import ConflictError
from sellers import brand_services, permissions, services
from sellers.models import MAX_BRANDS, Brand, BrandState, Document, DocumentKind, SellerStatus
from tests.catalog.conftest import upload as catalog_upload
from tests.catalog.factories_api import catalog_csv, row
from tests.sellers.factories import (
    JPEG_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    BrandFactory,
    StaffFactory,
    UserFactory,
    seller_with_owner,
)

pytestmark = pytest.mark.django_db


def scan(content: bytes = PDF_BYTES, name: str = "商标注册证.pdf") -> io.BytesIO:
    handle = io.BytesIO(content)
    handle.name = name
    return handle


def request_brand(seller, user, document=None, **data):
    fields = {"name": "Jinma", "name_zh": "金马", "origin_country": "cn", "trademark_number": "TM1"}
    fields.update(data)
    return brand_services.brand_request(
        seller=seller, user=user, data=fields, document=scan() if document is None else document
    )


def stored_files(settings) -> list[Path]:
    return [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


def snapshot(seller):
    return (
        sorted(Brand.objects.filter(seller=seller).values_list("name", "name_zh", "state")),
        Document.objects.filter(seller=seller).count(),
    )


# Asking for a brand


def test_an_approved_seller_adds_a_brand_that_waits_for_review():
    seller, user = seller_with_owner(SellerStatus.APPROVED, brands=["Lanyue"])
    brand = request_brand(seller, user, document=scan(PNG_BYTES, "authorisation.png"))
    assert brand.state == BrandState.PENDING
    assert (brand.name, brand.name_zh, brand.origin_country) == ("Jinma", "金马", "CN")
    assert brand.requested_by == user
    assert brand.document.kind == DocumentKind.TRADEMARK_CERTIFICATE
    assert brand.document.content_type == "image/png"
    assert brand.document.file.name.endswith(".png")
    assert brand.document.original_name == "authorisation.png"


@pytest.mark.parametrize("status", [SellerStatus.DRAFT, SellerStatus.SUBMITTED])
def test_a_brand_can_be_asked_for_before_approval_too(status):
    seller, user = seller_with_owner(status, brands=["Lanyue"])
    assert request_brand(seller, user).state == BrandState.PENDING


@pytest.mark.parametrize(
    ("name", "name_zh", "field"),
    [
        ("Lanyue", "", "name"),
        ("LANYUE", "", "name"),
        ("lanyue ", "新名", "name"),
        ("Blue Moon", "蓝月", "name_zh"),
        ("蓝月", "", "name"),
    ],
)
def test_a_brand_requested_twice_is_refused_and_nothing_changes(settings, name, name_zh, field):
    seller, user = seller_with_owner(SellerStatus.APPROVED, brands=[])
    BrandFactory(seller=seller, name="Lanyue", name_zh="蓝月")
    before, files = snapshot(seller), stored_files(settings)
    with pytest.raises(ValidationError) as refused:
        request_brand(seller, user, name=name, name_zh=name_zh)
    assert field in refused.value.message_dict
    assert "Lanyue" in refused.value.message_dict[field][0]
    assert snapshot(seller) == before
    assert stored_files(settings) == files


def test_a_pending_brand_requested_twice_says_it_is_waiting_for_review():
    seller, user = seller_with_owner(SellerStatus.APPROVED, brands=[])
    request_brand(seller, user)
    with pytest.raises(ValidationError) as refused:
        request_brand(seller, user, name="jinma", name_zh="")
    assert "waiting for review" in refused.value.message_dict["name"][0]
    assert Brand.objects.filter(seller=seller).count() == 1


def test_another_sellers_brand_of_the_same_name_is_no_duplicate():
    other, _owner = seller_with_owner(SellerStatus.APPROVED, brands=["Jinma"])
    seller, user = seller_with_owner(SellerStatus.APPROVED, brands=[])
    assert request_brand(seller, user).seller == seller


def test_a_rejected_brand_is_asked_for_again_in_its_place():
    seller, user = seller_with_owner(SellerStatus.APPROVED, brands=[])
    brand = request_brand(seller, user)
    brand_services.brand_reject(brand=brand, by=StaffFactory(), reason="Certificate is blurred.")
    again = request_brand(seller, user, document=scan(JPEG_BYTES, "clear.jpg"))
    assert again.pk == brand.pk
    assert (again.state, again.reason, again.reviewed_by) == (BrandState.PENDING, "", None)
    assert again.document.content_type == "image/jpeg"


@pytest.mark.parametrize(
    "content", [b"<html><script>alert(1)</script></html>", b"PK\x03\x04 not a scan", b""]
)
def test_a_document_of_the_wrong_type_is_refused_and_nothing_is_stored(settings, content):
    seller, user = seller_with_owner(SellerStatus.APPROVED, brands=["Lanyue"])
    before, files = snapshot(seller), stored_files(settings)
    with pytest.raises(ValidationError) as refused:
        request_brand(seller, user, document=scan(content, "passwd.pdf"))
    assert "document" in refused.value.message_dict
    assert snapshot(seller) == before
    assert stored_files(settings) == files


def test_a_brand_without_a_document_is_refused():
    seller, user = seller_with_owner(SellerStatus.APPROVED, brands=[])
    with pytest.raises(ValidationError) as refused:
        brand_services.brand_request(seller=seller, user=user, data={"name": "X"}, document=None)
    assert "trademark certificate" in refused.value.message_dict["document"][0]


def test_a_document_over_the_size_limit_is_refused(settings):
    settings.DOCUMENT_MAX_BYTES = 1024
    seller, user = seller_with_owner(SellerStatus.APPROVED, brands=[])
    with pytest.raises(ValidationError) as refused:
        request_brand(seller, user, document=scan(PDF_BYTES + b"0" * 2048))
    assert "larger than" in refused.value.message_dict["document"][0]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"name": "Zero\u200bwidth"}, "name"),
        ({"name_zh": "金\u202emoon"}, "name_zh"),
        ({"trademark_number": "T" * 51}, "trademark_number"),
        ({"origin_country": "XX"}, "origin_country"),
        ({"origin_country": "China"}, "origin_country"),
    ],
)
def test_bad_brand_fields_are_refused_by_field(data, field):
    seller, user = seller_with_owner(SellerStatus.APPROVED, brands=[])
    with pytest.raises(ValidationError) as refused:
        request_brand(seller, user, **data)
    assert field in refused.value.message_dict
    assert not Brand.objects.filter(seller=seller).exists()


def test_the_brand_cap_still_holds_for_brands_added_later():
    seller, user = seller_with_owner(SellerStatus.APPROVED, brands=[])
    Brand.objects.bulk_create(
        Brand(seller=seller, name=f"B{n}", state=BrandState.APPROVED) for n in range(MAX_BRANDS)
    )
    with pytest.raises(ValidationError) as refused:
        request_brand(seller, user)
    assert str(MAX_BRANDS) in refused.value.message_dict["name"][0]
    assert seller.brands.count() == MAX_BRANDS


@pytest.mark.parametrize("status", [SellerStatus.SUSPENDED, SellerStatus.REJECTED])
def test_a_closed_seller_adds_no_brand(settings, status):
    seller, user = seller_with_owner(status, brands=["Lanyue"])
    before, files = snapshot(seller), stored_files(settings)
    with pytest.raises(ConflictError):
        request_brand(seller, user)
    assert snapshot(seller) == before
    assert stored_files(settings) == files


def test_someone_outside_the_seller_adds_no_brand():
    seller, _owner = seller_with_owner(SellerStatus.APPROVED, brands=[])
    with pytest.raises(PermissionDenied):
        request_brand(seller, UserFactory())


# Review


def test_approving_a_brand_records_the_reviewer_and_mails_the_members(
    django_capture_on_commit_callbacks,
):
    seller, user = seller_with_owner(SellerStatus.APPROVED, brands=[])
    brand = request_brand(seller, user)
    reviewer = StaffFactory()
    with django_capture_on_commit_callbacks(execute=True):
        brand_services.brand_approve(brand=brand, by=reviewer)
    brand.refresh_from_db()
    assert (brand.state, brand.reviewed_by) == (BrandState.APPROVED, reviewer)
    assert brand.reviewed_at is not None
    assert [message.to for message in mail.outbox] == [[user.email]]
    assert "Jinma" not in mail.outbox[0].subject
    assert "Jinma (金马)" in mail.outbox[0].body


def test_rejecting_a_brand_needs_a_reason_and_mails_it(django_capture_on_commit_callbacks):
    seller, user = seller_with_owner(SellerStatus.APPROVED, brands=[])
    brand = request_brand(seller, user, name="Evil\nSubject")
    with pytest.raises(ValidationError):
        brand_services.brand_reject(brand=brand, by=StaffFactory(), reason="   ")
    brand.refresh_from_db()
    assert brand.state == BrandState.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        brand_services.brand_reject(brand=brand, by=StaffFactory(), reason="Not your trademark.")
    brand.refresh_from_db()
    assert (brand.state, brand.reason) == (BrandState.REJECTED, "Not your trademark.")
    (message,) = mail.outbox
    assert "Not your trademark." in message.body
    assert "\n" not in message.subject and "Evil" not in message.subject
    assert "Evil Subject" in message.body


def test_a_decision_taken_twice_is_a_conflict():
    seller, user = seller_with_owner(SellerStatus.APPROVED, brands=[])
    brand = request_brand(seller, user)
    brand_services.brand_approve(brand=brand, by=StaffFactory())
    with pytest.raises(ConflictError):
        brand_services.brand_approve(brand=brand, by=StaffFactory())


def test_staff_without_the_brand_permission_decide_nothing():
    seller, user = seller_with_owner(SellerStatus.APPROVED, brands=[])
    brand = request_brand(seller, user)
    with pytest.raises(PermissionDenied):
        brand_services.brand_approve(brand=brand, by=UserFactory(is_staff=True))
    brand.refresh_from_db()
    assert brand.state == BrandState.PENDING


def test_reviewers_have_the_brand_review_permission():
    from django.contrib.auth.models import Group

    permissions.staff_roles_sync()
    reviewer = UserFactory(is_staff=True)
    reviewer.groups.add(Group.objects.get(name=permissions.REVIEWERS))
    assert permissions.can_review_brands(type(reviewer).objects.get(pk=reviewer.pk))


def test_approving_the_application_approves_its_pending_brands():
    seller, user = seller_with_owner(SellerStatus.SUBMITTED, brands=["Lanyue", "Jinma"])
    rejected = BrandFactory(seller=seller, name="Tianxin", state=BrandState.REJECTED)
    Document.objects.filter(seller=seller).update(review_state="accepted")
    reviewer = StaffFactory()
    services.seller_approve(seller=seller, by=reviewer, reason="Documents verified.")
    states = dict(seller.brands.values_list("name", "state"))
    assert states == {"Lanyue": "approved", "Jinma": "approved", "Tianxin": "rejected"}
    assert seller.brands.get(name="Lanyue").reviewed_by == reviewer
    rejected.refresh_from_db()
    assert rejected.state == BrandState.REJECTED


def test_re_approving_a_suspended_seller_leaves_brands_added_later_pending():
    seller, user = seller_with_owner(SellerStatus.APPROVED, brands=["Lanyue"])
    later = request_brand(seller, user)
    Document.objects.filter(seller=seller).update(review_state="accepted")
    reviewer = StaffFactory()
    services.seller_suspend(seller=seller, by=reviewer, reason="Complaint.")
    services.seller_transition(
        seller=seller, to_status=SellerStatus.APPROVED, by=reviewer, reason="Cleared."
    )
    later.refresh_from_db()
    assert later.state == BrandState.PENDING


def test_the_application_form_still_edits_brands_while_draft():
    seller, user = seller_with_owner(SellerStatus.DRAFT, brands=["Lanyue"])
    services.brands_set(
        seller=seller,
        user=user,
        brands=[{"name": "Lanyue", "name_zh": "蓝月"}, {"name": "Jinma"}],
    )
    assert sorted(seller.brands.values_list("name", "state")) == [
        ("Jinma", "pending"),
        ("Lanyue", "pending"),
    ]


# Import: only approved brands import


def test_rows_naming_a_pending_brand_get_brand_pending(
    categories, django_capture_on_commit_callbacks
):
    seller, user = seller_with_owner(SellerStatus.APPROVED, brands=["Lanyue"])
    request_brand(seller, user)  # Jinma 金马, pending
    rejected = request_brand(seller, user, name="Tianxin", name_zh="天心")
    brand_services.brand_reject(brand=rejected, by=StaffFactory(), reason="No authorisation.")
    content = catalog_csv(
        [
            row("OK-1"),
            row("PENDING-1", brand="Jinma"),
            row("PENDING-2", brand="金马"),
            row("REJECTED-1", brand="Tianxin"),
        ]
    )
    with django_capture_on_commit_callbacks(execute=True):
        job, _created = import_job_create(
            seller=seller, user=user, file=catalog_upload("c.csv", content), mode="commit"
        )
    job.refresh_from_db()
    errors = {(e.row, e.code) for e in job.row_errors.filter(column="brand")}
    assert errors == {(3, "brand_pending"), (4, "brand_pending"), (5, "unknown_brand")}
    assert list(Product.objects.filter(seller=seller).values_list("sku", flat=True)) == ["OK-1"]
    pending = job.row_errors.get(row=3, column="brand")
    assert "waiting for review" in pending.message or "waiting for review" in message_for(
        pending.code, pending.params
    )


def test_a_brand_imports_once_approved(categories):
    seller, user = seller_with_owner(SellerStatus.APPROVED, brands=["Lanyue"])
    brand = request_brand(seller, user)
    assert "jinma" in product_lookups(seller=seller).pending_brands
    assert "jinma" not in product_lookups(seller=seller).brands
    brand_services.brand_approve(brand=brand, by=StaffFactory())
    lookups = product_lookups(seller=seller)
    assert lookups.brands["jinma"] == lookups.brands["金马"] == brand.pk
    assert "Jinma" in lookups.brand_names
    assert not lookups.pending_brands


def test_brand_pending_has_a_message_in_every_language():
    from django.utils import translation

    with translation.override("en"):
        text = message_for("brand_pending", {"value": "金马"})
    assert "金马" in text and "waiting for review" in text


# The migration's data part


@pytest.mark.django_db(transaction=True)
def test_the_migration_approves_the_brands_of_approved_sellers_only():
    before = [("sellers", "0004_user_email_verified_at")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    old_seller = apps.get_model("sellers", "Seller")
    old_brand = apps.get_model("sellers", "Brand")
    approved = old_seller.objects.create(status="approved", legal_name="A")
    submitted = old_seller.objects.create(status="submitted", legal_name="B", uscc="")
    old_brand.objects.create(seller=approved, name="Lanyue")
    old_brand.objects.create(seller=submitted, name="Jinma")

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert dict(Brand.objects.values_list("name", "state")) == {
        "Lanyue": "approved",
        "Jinma": "pending",
    }
    assert Brand.objects.get(name="Lanyue").reviewed_at is not None

"""The sellers demo data: complete, valid and repeatable."""

import io

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory

from sellers import demo
from sellers.models import Brand, Document, Membership, Seller, StatusChange, User
from sellers.validators import uscc_is_valid

pytestmark = pytest.mark.django_db

MODELS = (User, Seller, Brand, Membership, Document, StatusChange)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_it_seeds_twice_without_duplicating_anything():
    out = io.StringIO()
    demo.seed(stdout=out, options={})
    first = counts()
    demo.seed(stdout=io.StringIO(), options={})
    assert counts() == first
    assert first["Seller"] == 3
    assert "admin@bozor.localhost / bozor-admin" in out.getvalue()


def test_it_seeds_approved_sellers_with_the_catalog_brands_and_a_pending_one():
    demo.seed(stdout=io.StringIO(), options={})
    statuses = sorted(Seller.objects.values_list("status", flat=True))
    assert statuses == ["approved", "approved", "submitted"]
    first = Seller.objects.get(memberships__user__email="demo1@bozor.localhost")
    assert set(first.brands.values_list("name", "name_zh")) == {
        ("Lanyue", "蓝月"),
        ("Jinma", "金马"),
        ("Tianxin", "天心"),
    }
    second = Seller.objects.get(memberships__user__email="demo2@bozor.localhost")
    assert second.brands.count() == 2
    for seller in Seller.objects.all():
        assert uscc_is_valid(seller.uscc)
        assert seller.status_history.exists()
        assert seller.submitted_at is not None
        kinds = set(seller.documents.values_list("kind", flat=True))
        assert {"business_license", "uz_registration_certificate"} <= kinds
    assert list(first.status_history.values_list("to_status", flat=True)) == [
        "submitted",
        "approved",
    ]


def test_it_stores_real_pdf_documents():
    demo.seed(stdout=io.StringIO(), options={})
    document = Document.objects.first()
    with document.file.open("rb") as handle:
        content = handle.read()
    assert content.startswith(b"%PDF-1.4") and content.rstrip().endswith(b"%%EOF")
    assert document.size == len(content)


@pytest.mark.parametrize(
    ("email", "password", "staff"),
    [
        ("admin@bozor.localhost", "bozor-admin", True),
        ("demo1@bozor.localhost", "bozor-demo", False),
        ("demo2@bozor.localhost", "bozor-demo", False),
    ],
)
def test_it_creates_the_printed_logins(email, password, staff):
    demo.seed(stdout=io.StringIO(), options={})
    user = authenticate(RequestFactory().post("/"), username=email, password=password)
    assert user is not None
    assert user.is_staff is staff


def test_it_writes_a_pdf_whose_cross_reference_table_points_at_its_objects():
    content = demo.demo_pdf("Lanyue (demo) licence")
    xref_at = int(content.rsplit(b"startxref\n", 1)[1].split(b"\n", 1)[0])
    assert content[xref_at:].startswith(b"xref\n")
    entries = content[xref_at:].split(b"\n")[3:8]  # after "xref", "0 6" and the free entry
    for number, entry in enumerate(entries, start=1):
        offset = int(entry.split()[0])
        assert content[offset:].startswith(f"{number} 0 obj".encode())


@pytest.mark.parametrize(
    ("email", "group", "may_decide"),
    [
        ("reviewer@bozor.localhost", "Reviewers", True),
        ("analyst@bozor.localhost", "Market analysts", False),
    ],
)
def test_row_35_the_demo_has_a_reviewer_and_a_market_analyst(email, group, may_decide):
    out = io.StringIO()
    demo.seed(stdout=out, options={})
    demo.seed(stdout=io.StringIO(), options={})
    user = authenticate(RequestFactory().post("/"), username=email, password="bozor-demo")
    assert user is not None and user.is_staff and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == [group]
    assert user.has_perm("sellers.change_seller") is may_decide
    assert user.has_perm("insights.add_sale") is not may_decide
    assert f"{email} / bozor-demo" in out.getvalue()


def test_row_32_every_demo_login_has_a_confirmed_address():
    demo.seed(stdout=io.StringIO(), options={})
    assert User.objects.exists()
    assert not User.objects.filter(email_verified_at__isnull=True).exists()

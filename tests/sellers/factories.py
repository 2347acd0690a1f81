"""Factories for users, sellers, brands, memberships and documents."""

from datetime import timedelta
from typing import Any

import factory
from django.utils import timezone
from knox.models import AuthToken

from sellers.models import (
    Brand,
    BrandState,
    Document,
    DocumentKind,
    DocumentReview,
    Membership,
    MembershipRole,
    Seller,
    SellerStatus,
    StatusChange,
    User,
)
from sellers.validators import uscc_check_character

PASSWORD = "correct-horse-battery-staple"
# The smallest file every PDF reader opens: what a test "scan" is made of.
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG_BYTES = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def valid_uscc(number: int) -> str:
    """A USCC with a correct check character, different for each number."""
    body = f"91440300{number:09d}"
    return body + uscc_check_character(body)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    full_name = factory.Faker("name")
    preferred_language = "en"
    # Made by hand, not signed up: the address counts as confirmed. Sign-up tests start from
    # the sign-up itself, which leaves it unconfirmed until the mailed link is used.
    email_verified_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:  # noqa: N805
        if create:
            obj.save()


class StaffFactory(UserFactory):
    email = factory.Sequence(lambda n: f"staff{n}@bozor.localhost")
    is_staff = True
    is_superuser = True


class SellerFactory(factory.django.DjangoModelFactory):
    """A complete application (every required field filled) in the given `status`."""

    class Meta:
        model = Seller

    status = SellerStatus.DRAFT
    legal_name = factory.Sequence(lambda n: f"Shenzhen Demo Trading Co. {n}")
    legal_name_zh = factory.Sequence(lambda n: f"深圳演示贸易有限公司{n}")
    uscc = factory.Sequence(valid_uscc)
    address = "1 Keji Road, Nanshan, Shenzhen, China"
    uz_entity_name = factory.Sequence(lambda n: f"Demo Savdo {n} MChJ")
    uz_entity_stir = factory.Sequence(lambda n: f"{300000000 + n:09d}")
    contact_name = "Li Wei"
    contact_email = factory.Sequence(lambda n: f"contact{n}@example.cn")
    contact_phone = "+8613812345678"
    website = "https://example.cn"
    submitted_at = factory.LazyAttribute(
        lambda o: None if o.status == SellerStatus.DRAFT else timezone.now()
    )


class ApprovedSellerFactory(SellerFactory):
    status = SellerStatus.APPROVED


class BrandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Brand

    seller = factory.SubFactory(SellerFactory)
    name = factory.Sequence(lambda n: f"Brand{n}")
    name_zh = ""
    origin_country = "CN"
    trademark_number = factory.Sequence(lambda n: f"TM{n:07d}")
    # An approved seller's brands were approved with its application.
    state = factory.LazyAttribute(
        lambda o: (
            BrandState.APPROVED
            if o.seller.status in (SellerStatus.APPROVED, SellerStatus.SUSPENDED)
            else BrandState.PENDING
        )
    )


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    seller = factory.SubFactory(SellerFactory)
    role = MembershipRole.OWNER


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    seller = factory.SubFactory(SellerFactory)
    kind = DocumentKind.BUSINESS_LICENSE
    file = factory.django.FileField(data=PDF_BYTES, filename="document.pdf")
    original_name = "营业执照 licence.pdf"
    content_type = "application/pdf"
    size = len(PDF_BYTES)
    expires_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=365))
    # An approved seller's documents were accepted before its approval (which needs them).
    review_state = factory.LazyAttribute(
        lambda o: (
            DocumentReview.ACCEPTED
            if o.seller.status in (SellerStatus.APPROVED, SellerStatus.SUSPENDED)
            else DocumentReview.PENDING
        )
    )


class StatusChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatusChange

    seller = factory.SubFactory(SellerFactory)
    from_status = SellerStatus.DRAFT
    to_status = SellerStatus.SUBMITTED


def api_token(user: User) -> str:
    """A new API token for the user: the key exists only here, the database keeps its hash."""
    _instance, key = AuthToken.objects.create(user=user)
    return key


def seller_with_owner(
    status: str = SellerStatus.DRAFT,
    brands: list[str] | None = None,
    documents: bool = True,
    user: User | None = None,
) -> tuple[Seller, User]:
    """A complete application with its owner, brands and the two required documents."""
    seller = SellerFactory(status=status)
    user = user or UserFactory()
    MembershipFactory(user=user, seller=seller, role=MembershipRole.OWNER)
    for name in ["Lanyue"] if brands is None else brands:
        BrandFactory(seller=seller, name=name)
    if documents:
        DocumentFactory(seller=seller, kind=DocumentKind.BUSINESS_LICENSE, uploaded_by=user)
        DocumentFactory(
            seller=seller,
            kind=DocumentKind.UZ_REGISTRATION_CERTIFICATE,
            expires_on=None,
            uploaded_by=user,
        )
    return seller, user

"""Two sellers with everything a seller owns, to attack one from the other."""

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.apps import apps
from django.core.files.base import ContentFile

XSS = "<img src=x onerror=alert(1)>"


@dataclass
class SellerWorld:
    """One seller with a user, a brand, products, an import job with errors and documents."""

    seller: Any
    user: Any
    brand: Any
    product: Any
    job: Any
    document: Any
    invitation: Any = None
    markers: list[str] = field(default_factory=list)

    @property
    def ids(self) -> dict[str, str]:
        return {
            "seller": str(self.seller.pk),
            "brand": str(self.brand.pk),
            "product": str(self.product.pk),
            "sku": self.product.sku,
            "job": str(self.job.pk),
            "document": str(self.document.pk),
            "membership": str(self.user.membership.pk),
            "user": str(self.user.pk),
            "invitation": str(self.invitation.token) if self.invitation else "",
            "row_error": str(self.job.row_errors.first().pk),
        }


def _leaf_category():
    from catalog.models import Category

    return Category.objects.filter(is_leaf=True).order_by("code").first()


def build_seller_world(label: str, *, title: str | None = None) -> SellerWorld:
    """A seller named after `label`; every private string it owns contains `label`."""
    from catalog.models import ImportJob, Product, RowError
    from sellers.models import DocumentKind, Invitation, SellerStatus
    from tests.sellers.factories import (
        BrandFactory,
        DocumentFactory,
        MembershipFactory,
        SellerFactory,
        UserFactory,
    )

    seller = SellerFactory(
        status=SellerStatus.APPROVED,
        legal_name=f"{label} Trading Co",
        legal_name_zh=f"{label}贸易有限公司",
        contact_name=f"{label} Contact",
        contact_email=f"{label.lower()}-contact@example.cn",
    )
    user = UserFactory(email=f"{label.lower()}@example.com")
    MembershipFactory(user=user, seller=seller)
    brand = BrandFactory(seller=seller, name=f"{label}brand", name_zh=f"{label}牌")
    category = _leaf_category()
    product = Product.objects.create(
        seller=seller,
        sku=f"{label}-SKU-1",
        title_uz=title or f"{label} mahsulot nomi",
        title_ru=title or f"{label} товар",
        brand=brand,
        category=category,
        price_uzs=125_000,
        stock=7,
        ikpu="10711001000000000",
        weight_g=500,
    )
    Product.objects.create(
        seller=seller,
        sku=f"{label}-SKU-2",
        title_uz=f"{label} ikkinchi mahsulot",
        title_ru=f"{label} второй товар",
        brand=brand,
        category=category,
        price_uzs=9_900,
        stock=0,
        ikpu="10711001000000000",
        weight_g=100,
    )
    job = ImportJob(
        seller=seller,
        created_by=user,
        status="validated",
        mode="validate",
        filename=f"{label}-catalog.csv",
        sha256=(label.encode().hex() * 64)[:64],
        detected={"format": "csv", "encoding": "utf-8", "delimiter": ","},
        total_rows=2,
        processed_rows=2,
        created_count=1,
        invalid_count=1,
    )
    job.file.save("upload.csv", ContentFile(f"sku,title_uz\n{label}-SKU-9,x\n".encode()))
    job.save()
    RowError.objects.create(
        job=job, row=3, column="price_uzs", code="invalid_number", params={"value": label}
    )
    document = DocumentFactory(
        seller=seller,
        kind=DocumentKind.BUSINESS_LICENSE,
        uploaded_by=user,
        original_name=f"{label}-licence.pdf",
    )
    invitation = Invitation.objects.create(
        seller=seller, invited_by=user, email=f"{label.lower()}-invitee@example.com"
    )
    markers = [
        seller.legal_name,
        seller.legal_name_zh,
        seller.uscc,
        seller.contact_email,
        brand.name_zh,
        product.sku,
        product.title_ru,
        f"{label}-SKU-2",
        f"{label}-catalog.csv",
        f"{label}-licence.pdf",
        f"{label.lower()}-invitee@example.com",
    ]
    return SellerWorld(seller, user, brand, product, job, document, invitation, markers)


@pytest.fixture
def alpha(categories) -> SellerWorld:
    return build_seller_world("Alphasecret")


@pytest.fixture
def beta(categories) -> SellerWorld:
    return build_seller_world("Betaseller")


def db_state() -> dict[str, list[dict[str, Any]]]:
    """Every row of the portal's own tables (and API tokens), to compare before and after."""
    state = {}
    labels = ("sellers", "catalog", "insights", "knox")
    for model in apps.get_models():
        if model._meta.app_label in labels:
            state[model._meta.label] = list(model.objects.order_by("pk").values())
    return state


def db_diff(before: dict, after: dict) -> list[str]:
    changes = []
    for label, rows in before.items():
        if rows != after[label]:
            changes.append(f"{label}: {len(rows)} rows -> {len(after[label])} rows (or changed)")
    return changes

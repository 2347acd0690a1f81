"""Reads about sellers, always scoped to what the asking user may see."""

from datetime import timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sellers import permissions
from sellers.models import (
    DOCUMENT_REMINDER_DAYS,
    LICENCE_WARNING_DAYS,
    SELLER_FIELDS,
    Document,
    DocumentKind,
    DocumentReview,
    Seller,
    SellerStatus,
    StatusChange,
    User,
)

# Fields that must be filled before the application can be submitted: all but the website.
REQUIRED_FIELDS = tuple(field for field in SELLER_FIELDS if field != "website")
REQUIRED_DOCUMENTS = {
    DocumentKind.BUSINESS_LICENSE: gettext_lazy("Upload the business licence."),
    DocumentKind.UZ_REGISTRATION_CERTIFICATE: gettext_lazy(
        "Upload the registration certificate of the Uzbek selling entity."
    ),
}


def seller_for_user(*, user: User) -> Seller | None:
    """The seller the user belongs to, or None before the application exists."""
    membership = getattr(user, "membership", None) if user.is_authenticated else None
    return membership.seller if membership is not None else None


def seller_get_for_user(*, user: User) -> Seller:
    """The user's seller with what the application pages and API show, or 404."""
    if not user.is_authenticated:
        raise Http404
    seller = (
        Seller.objects.filter(memberships__user=user)
        .prefetch_related(
            "brands",
            "documents",
            Prefetch("status_history", queryset=StatusChange.objects.order_by("at", "pk")),
        )
        .first()
    )
    if seller is None:
        raise Http404
    return seller


def document_get(*, seller: Seller, id: Any) -> Document:
    """One of this seller's documents, or 404 (another seller's documents do not exist)."""
    try:
        return Document.objects.select_related("seller").get(seller=seller, pk=int(id))
    except (Document.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def document_get_for_staff(*, user: User, id: Any) -> Document:
    """Any document, for staff who may read documents; 404 for everyone else."""
    if not permissions.can_read_documents(user):
        raise Http404
    try:
        return Document.objects.select_related("seller").get(pk=int(id))
    except (Document.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def seller_get_for_ops(*, user: User, id: Any) -> Seller:
    """Any seller, for staff who may see applications; 404 for everyone else and unknown ids."""
    if not permissions.can_view_sellers(user):
        raise Http404
    try:
        return Seller.objects.get(pk=int(id))
    except (Seller.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def seller_missing_requirements(*, seller: Seller) -> dict[str, list[str]]:
    """What stops the application from being submitted, by field; empty when complete."""
    missing: dict[str, list[str]] = {}
    for field in REQUIRED_FIELDS:
        if not getattr(seller, field):
            label = getattr(Seller._meta.get_field(field), "verbose_name", field)
            missing[field] = [_("Fill in %(field)s before submitting.") % {"field": label}]
    brands = seller.brands.all()
    if not any(True for _brand in brands):
        missing["brands"] = [_("Add at least one brand.")]
    kinds = {document.kind for document in seller.documents.all()}
    document_errors = [
        str(message) for kind, message in REQUIRED_DOCUMENTS.items() if kind not in kinds
    ]
    if document_errors:
        missing["documents"] = document_errors
    return missing


def seller_checklist(*, seller: Seller) -> list[dict[str, Any]]:
    """Next steps for the dashboard: `{"key", "label", "done"}` in the order to do them."""
    missing = seller_missing_requirements(seller=seller)
    kinds = {document.kind for document in seller.documents.all()}
    company = ("legal_name", "legal_name_zh", "uscc", "address")
    entity = ("uz_entity_name", "uz_entity_stir")
    contact = ("contact_name", "contact_email", "contact_phone")
    return [
        {
            "key": "company",
            "label": _("Company details: legal names, USCC and address"),
            "done": not any(field in missing for field in company),
        },
        {
            "key": "uz_entity",
            "label": _("Uzbek selling entity: name and STIR"),
            "done": not any(field in missing for field in entity),
        },
        {
            "key": "contact",
            "label": _("Contact person, e-mail and phone"),
            "done": not any(field in missing for field in contact),
        },
        {"key": "brands", "label": _("At least one brand"), "done": "brands" not in missing},
        {
            "key": "business_license",
            "label": _("Business licence uploaded"),
            "done": DocumentKind.BUSINESS_LICENSE in kinds,
        },
        {
            "key": "uz_registration_certificate",
            "label": _("Uzbek registration certificate uploaded"),
            "done": DocumentKind.UZ_REGISTRATION_CERTIFICATE in kinds,
        },
        {
            "key": "submitted",
            "label": _("Application submitted for review"),
            "done": seller.status not in (SellerStatus.DRAFT, SellerStatus.CHANGES_REQUESTED),
        },
        {
            "key": "approved",
            "label": _("Approved by the operations team"),
            "done": seller.status == SellerStatus.APPROVED,
        },
    ]


def licence_expiring_subquery() -> Exists:
    """True for sellers with a business licence that expires within LICENCE_WARNING_DAYS."""
    limit = timezone.localdate() + timedelta(days=LICENCE_WARNING_DAYS)
    return Exists(
        Document.objects.filter(
            seller=OuterRef("pk"),
            kind=DocumentKind.BUSINESS_LICENSE,
            superseded_at__isnull=True,
            expires_on__isnull=False,
            expires_on__lt=limit,
        )
    )


def documents_expiring_subquery() -> Exists:
    """True for sellers with a current accepted document that expires within the first
    reminder's distance (DOCUMENT_REMINDER_DAYS), or has expired: the ops queue's flag."""
    limit = timezone.localdate() + timedelta(days=max(DOCUMENT_REMINDER_DAYS))
    return Exists(
        Document.objects.filter(
            seller=OuterRef("pk"),
            review_state=DocumentReview.ACCEPTED,
            superseded_at__isnull=True,
            expires_on__isnull=False,
            expires_on__lte=limit,
        )
    )


def seller_list_for_ops(*, status: str | None = None, q: str | None = None) -> QuerySet[Seller]:
    """Applications for operations staff, oldest submission first, with the licence flag, the
    documents-expiring flag and the documents."""
    sellers = Seller.objects.annotate(
        licence_expiring=licence_expiring_subquery(),
        documents_expiring=documents_expiring_subquery(),
    )
    if status:
        sellers = sellers.filter(status=status)
    if q:
        q = q.strip()
        sellers = sellers.filter(
            Q(legal_name__icontains=q)
            | Q(legal_name_zh__icontains=q)
            | Q(uscc__iexact=q.replace(" ", "").upper())
            | Q(brands__name__icontains=q)
            | Q(brands__name_zh__icontains=q)
            | Q(contact_email__icontains=q)
        ).distinct()
    return sellers.prefetch_related("brands", "documents").order_by("submitted_at", "pk")

"""Reads about documents: what blocks an approval, what expires soon, what waits for review."""

from datetime import date, timedelta

from django.db.models import Exists, OuterRef, QuerySet

from sellers.models import (
    DOCUMENT_REMINDER_DAYS,
    Document,
    DocumentReview,
    Seller,
    SellerStatus,
)
from sellers.selectors import REQUIRED_DOCUMENTS


def documents_blocking_approval(*, seller: Seller) -> tuple[list[Document], list[str]]:
    """The required documents that stop an approval, and the required kinds with no document.

    A required kind is settled by one accepted document that no renewal has replaced; until
    then each of its current documents (pending or rejected) is named. A renewal still pending
    review blocks nothing: the document it renews stays valid.
    """
    current = list(
        Document.objects.filter(
            seller=seller, kind__in=list(REQUIRED_DOCUMENTS), superseded_at__isnull=True
        ).order_by("kind", "uploaded_at", "pk")
    )
    blocking: list[Document] = []
    missing: list[str] = []
    for kind in REQUIRED_DOCUMENTS:
        of_kind = [document for document in current if document.kind == kind]
        if any(document.review_state == DocumentReview.ACCEPTED for document in of_kind):
            continue
        if of_kind:
            blocking.extend(of_kind)
        else:
            missing.append(str(kind))
    return blocking, missing


def documents_due_for_reminder(*, today: date) -> QuerySet[Document]:
    """Current accepted documents that expire between today and the first reminder's distance,
    of sellers that are not rejected, with no renewal waiting for review (the seller has acted)."""
    horizon = today + timedelta(days=max(DOCUMENT_REMINDER_DAYS))
    renewal_pending = Exists(
        Document.objects.filter(
            replaces=OuterRef("pk"),
            review_state=DocumentReview.PENDING,
            superseded_at__isnull=True,
        )
    )
    return (
        Document.objects.filter(
            review_state=DocumentReview.ACCEPTED,
            superseded_at__isnull=True,
            expires_on__gte=today,
            expires_on__lte=horizon,
        )
        .exclude(seller__status=SellerStatus.REJECTED)
        .filter(~renewal_pending)
        .select_related("seller")
        .order_by("expires_on", "pk")
    )


def document_list_for_ops(
    *, review_state: str | None = None, seller_id: int | None = None
) -> QuerySet[Document]:
    """Documents for reviewers, oldest upload first (the review queue)."""
    # Current documents only: one superseded by a renewal stays in admin for the record.
    documents = Document.objects.select_related("seller").filter(superseded_at__isnull=True)
    if review_state:
        documents = documents.filter(review_state=review_state)
    if seller_id is not None:
        documents = documents.filter(seller_id=seller_id)
    return documents.order_by("uploaded_at", "pk")

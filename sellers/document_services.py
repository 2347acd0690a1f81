"""Documents through their life: review, renewal after approval, the approval check, and the
reminders before an accepted document expires.

The upload itself (type by content, size, generated name) is sellers.services.document_upload,
which asks here which document a renewal replaces.
"""

import logging
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.errors import ConflictError
from sellers import permissions
from sellers.document_emails import ReminderNotSent, document_expiry_email_send
from sellers.document_selectors import documents_blocking_approval, documents_due_for_reminder
from sellers.models import (
    DOCUMENT_REMINDER_DAYS,
    Document,
    DocumentKind,
    DocumentReminder,
    DocumentReview,
    Seller,
    User,
)
from sellers.selectors import REQUIRED_DOCUMENTS

logger = logging.getLogger(__name__)

# The code of the 409 an approval gets while a required document is not accepted.
DOCUMENTS_NOT_ACCEPTED = "documents_not_accepted"


# The approval check


def seller_approval_check(*, seller: Seller) -> None:
    """Refuse (409) to approve while a required document is pending, rejected or missing;
    the answer names each document (id, kind, file, review state)."""
    blocking, missing = documents_blocking_approval(seller=seller)
    if not blocking and not missing:
        return
    parts = [
        _("%(kind)s “%(file)s” (%(state)s)")
        % {
            "kind": document.get_kind_display(),
            "file": document.original_name,
            "state": document.get_review_state_display().lower(),
        }
        for document in blocking
    ]
    parts += [_("%(kind)s (not uploaded)") % {"kind": DocumentKind(kind).label} for kind in missing]
    raise ConflictError(
        _("The application cannot be approved until these documents are accepted: %(list)s.")
        % {"list": "; ".join(parts)},
        code=DOCUMENTS_NOT_ACCEPTED,
        data={
            "documents": [
                {
                    "id": document.pk,
                    "kind": document.kind,
                    "original_name": document.original_name,
                    "review_state": document.review_state,
                }
                for document in blocking
            ],
            "missing": missing,
        },
    )


# Review


def document_review_check(*, state: str, reason: str) -> None:
    """A review state is one of the choices, and a rejection says why."""
    if state not in DocumentReview.values:
        raise ValidationError({"review_state": [_("Choose pending, accepted or rejected.")]})
    if state == DocumentReview.REJECTED and not (reason or "").strip():
        raise ValidationError(
            {"review_reason": [_("Say why the document is rejected; the seller will read it.")]}
        )


def superseded_message() -> str:
    return _("This document was replaced by an accepted renewal; it stays only for the record.")


@transaction.atomic
def document_review(*, document: Document, by: User, state: str, reason: str = "") -> Document:
    """A reviewer's verdict on one document; a rejection needs a reason.

    Accepting a renewal supersedes the document it renews (kept, file and all, for the
    record); taking that acceptance back makes the renewed document current again.
    """
    if not permissions.can_review_documents(by):
        raise PermissionDenied(_("Only operations staff review documents."))
    document_review_check(state=state, reason=reason)
    locked = Document.objects.select_for_update().get(pk=document.pk)
    if locked.superseded_at is not None:
        raise ConflictError(superseded_message())
    now = timezone.now()
    locked.review_state = state
    locked.review_reason = (reason or "").strip()
    locked.reviewed_at = now
    locked.reviewed_by = by
    locked.save(update_fields=["review_state", "review_reason", "reviewed_at", "reviewed_by"])
    if locked.replaces_id is not None:
        replaced = Document.objects.filter(pk=locked.replaces_id)
        if state == DocumentReview.ACCEPTED:
            replaced.filter(superseded_at__isnull=True).update(superseded_at=now)
        else:
            replaced.filter(superseded_at__isnull=False).update(superseded_at=None)
    # Keep the caller's instance in step with the database.
    for field in ("review_state", "review_reason", "reviewed_at", "reviewed_by"):
        setattr(document, field, getattr(locked, field))
    return locked


def document_accept(*, document: Document, by: User) -> Document:
    return document_review(document=document, by=by, state=DocumentReview.ACCEPTED)


def document_reject(*, document: Document, by: User, reason: str) -> Document:
    if not (reason or "").strip():
        raise ValidationError(
            {"reason": [_("Say why the document is rejected; the seller will read it.")]}
        )
    return document_review(document=document, by=by, state=DocumentReview.REJECTED, reason=reason)


# Renewal


def document_renewal_target(*, seller: Seller, kind: str, replaces: int | None) -> Document | None:
    """The accepted document an upload renews, or None for a document of its own.

    `replaces` names it; without it, a required kind (one licence, one certificate) renews
    the current accepted document of that kind. Raises ValidationError under `replaces`.
    """
    current = Document.objects.filter(
        seller=seller, review_state=DocumentReview.ACCEPTED, superseded_at__isnull=True
    )
    if replaces is None:
        if kind not in REQUIRED_DOCUMENTS:
            return None
        return current.filter(kind=kind).order_by("-uploaded_at", "-pk").first()
    target = Document.objects.filter(seller=seller, pk=replaces).first()
    if target is None:
        raise ValidationError({"replaces": [_("Choose one of your documents to renew.")]})
    if target.kind != kind:
        raise ValidationError(
            {
                "replaces": [
                    _("That document is a %(kind)s; upload a %(kind)s to renew it.")
                    % {"kind": target.get_kind_display()}
                ]
            }
        )
    if not current.filter(pk=target.pk).exists():
        raise ValidationError(
            {
                "replaces": [
                    _(
                        "Only an accepted document that is still current can be renewed; "
                        "upload this one as a new document instead."
                    )
                ]
            }
        )
    return target


def document_renewal_withdraw_earlier(*, renewal: Document) -> None:
    """A second renewal of the same document replaces the first one still waiting for review:
    the reviewers see only the latest upload."""
    if renewal.replaces_id is None:
        return
    Document.objects.filter(
        replaces_id=renewal.replaces_id,
        review_state=DocumentReview.PENDING,
        superseded_at__isnull=True,
    ).exclude(pk=renewal.pk).update(superseded_at=timezone.now())


# Expiry reminders


def reminder_threshold(days_left: int) -> int | None:
    """The reminder due for a document with `days_left` days to go: the nearest of
    DOCUMENT_REMINDER_DAYS at or above it, or None (expired, or not yet near)."""
    if days_left < 0:
        return None
    due = [days for days in DOCUMENT_REMINDER_DAYS if days_left <= days]
    return min(due) if due else None


def document_reminder_send(*, document: Document, today: date) -> bool:
    """Send the reminder due today for one document, once: True when it was sent now.

    The reminder row is written before the mail, in the same transaction: a second run at the
    same moment waits on the unique pair, then finds it taken. A mail that could not go to
    anyone rolls the row back, so the next run tries again. A reminder for a nearer threshold
    also covers the farther ones (one mail, never three at once for a late upload).
    """
    if document.expires_on is None:
        return False
    days_left = (document.expires_on - today).days
    days = reminder_threshold(days_left)
    if days is None:
        return False
    try:
        with transaction.atomic():
            if DocumentReminder.objects.filter(document=document, days__lte=days).exists():
                return False
            DocumentReminder.objects.create(document=document, days=days)
            document_expiry_email_send(document=document, days_left=days_left)
    except IntegrityError:
        return False  # another run sent it
    return True


def document_reminders_send(*, today: date | None = None) -> dict[str, int]:
    """Every reminder due today (the beat task and `manage.py document_reminders` run this);
    running it again the same day sends nothing."""
    today = today or timezone.localdate()
    checked = sent = failed = 0
    for document in documents_due_for_reminder(today=today):
        checked += 1
        try:
            if document_reminder_send(document=document, today=today):
                sent += 1
        except ReminderNotSent:
            failed += 1
            logger.warning("Expiry reminder for document %s not sent; retried later", document.pk)
    return {"checked": checked, "sent": sent, "failed": failed}

"""Every write a seller undergoes: the application, brands, documents, the status flow, members.

Writes to accounts (sign-up, tokens, passwords) are in sellers.accounts."""

import os
import uuid
from datetime import date, timedelta
from functools import partial
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.downloads import clean_filename
from portal.errors import ConflictError
from sellers import document_services, emails, limits, permissions
from sellers.models import (
    MAX_BRANDS,
    SELLER_FIELDS,
    Brand,
    BrandState,
    Document,
    DocumentKind,
    Invitation,
    Membership,
    MembershipRole,
    Seller,
    SellerStatus,
    StatusChange,
    User,
)
from sellers.selectors import seller_missing_requirements
from sellers.validators import (
    country_normalize,
    email_normalize,
    phone_normalize,
    stir_normalize,
    uscc_normalize,
    validate_country_code,
    validate_uscc,
)

BRAND_FIELDS = ("name", "name_zh", "origin_country", "trademark_number")

# The status flow of DESIGN.md; anything not listed here is a conflict (HTTP 409).
TRANSITIONS: dict[str, frozenset[str]] = {
    SellerStatus.DRAFT: frozenset({SellerStatus.SUBMITTED}),
    SellerStatus.SUBMITTED: frozenset(
        {SellerStatus.APPROVED, SellerStatus.REJECTED, SellerStatus.CHANGES_REQUESTED}
    ),
    SellerStatus.CHANGES_REQUESTED: frozenset({SellerStatus.SUBMITTED}),
    SellerStatus.APPROVED: frozenset({SellerStatus.SUSPENDED}),
    SellerStatus.SUSPENDED: frozenset({SellerStatus.APPROVED}),
    SellerStatus.REJECTED: frozenset(),
}
# Decisions belong to operations staff, who give a reason for each (DESIGN.md: "approve,
# reject, ask for changes, with a reason"); only submitting is the seller's own step.
STAFF_DECISIONS = frozenset(
    {
        SellerStatus.APPROVED,
        SellerStatus.REJECTED,
        SellerStatus.CHANGES_REQUESTED,
        SellerStatus.SUSPENDED,
    }
)

# Magic bytes of the document types we accept: content decides, never the name.
DOCUMENT_SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)
INVITATION_VALID_DAYS = 14


def _require_verified(user: User) -> None:
    if not user.email_verified:
        raise ConflictError(
            _(
                "Confirm your e-mail address first: open the link we sent to %(email)s, or ask "
                "for a new one."
            )
            % {"email": user.email}
        )


# The application


def _require_editable(seller: Seller) -> None:
    if not seller.is_editable:
        raise ConflictError(
            _(
                "The application can only be changed while it is a draft or after changes were "
                "requested; it is now %(status)s."
            )
            % {"status": seller.get_status_display()}
        )


def _require_open(seller: Seller) -> None:
    if seller.is_closed:
        raise ConflictError(
            _("The seller is %(status)s: nothing can be changed.")
            % {"status": seller.get_status_display()}
        )


def _require_member(seller: Seller, user: User) -> None:
    if not Membership.objects.filter(user=user, seller=seller).exists():
        raise PermissionDenied(_("You are not a member of this seller."))


def _seller_apply(seller: Seller, data: dict[str, Any]) -> None:
    """Copy the known fields onto the seller, normalised, and check them all at once."""
    errors: dict[str, list[Any]] = {}
    stored_uscc = seller.uscc
    for field in SELLER_FIELDS:
        if field not in data:
            continue
        value = data[field]
        value = "" if value is None else str(value).strip()
        if field == "uscc":
            value = uscc_normalize(value)
        elif field == "uz_entity_stir":
            value = stir_normalize(value)
        elif field == "contact_phone":
            value = phone_normalize(value)
        elif field == "contact_email":
            value = email_normalize(value)
        setattr(seller, field, value)
    # A pilot code staff saved (it fails the check character) stays valid while it is unchanged.
    if seller.uscc and seller.uscc != stored_uscc:
        try:
            validate_uscc(seller.uscc)
            uscc_check_unique(uscc=seller.uscc, seller=seller)
        except ValidationError as exc:
            errors["uscc"] = list(exc.messages)
    try:
        seller.full_clean(
            exclude=["status", "uscc"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def uscc_check_unique(*, uscc: str, seller: Seller) -> None:
    """A USCC is one seller's: the brand manager's application and the admin's form ask here."""
    if uscc and Seller.objects.filter(uscc=uscc).exclude(pk=seller.pk).exists():
        raise ValidationError(_uscc_taken_message(), code="uscc_taken")


def _uscc_taken_message() -> str:
    return _("A seller with this USCC is already registered.")


def _seller_save(seller: Seller) -> None:
    try:
        with transaction.atomic():
            seller.save()
    except IntegrityError as exc:  # the same USCC saved by another request at the same moment
        raise ValidationError({"uscc": [_uscc_taken_message()]}) from exc


@transaction.atomic
def seller_create(*, user: User, data: dict[str, Any]) -> Seller:
    """The user's seller application, as a draft; the user becomes its owner.

    `data` may hold a "brands" list, set in the same transaction.
    """
    # The user's row is the lock: a simultaneous second request waits here, then finds the
    # membership the first one made (409) instead of racing it into the unique constraints.
    User.objects.select_for_update().get(pk=user.pk)
    if Membership.objects.filter(user=user).exists():
        raise ConflictError(_("You already have a seller application."))
    seller = Seller(status=SellerStatus.DRAFT)
    _seller_apply(seller, data)
    _seller_save(seller)
    Membership.objects.create(user=user, seller=seller, role=MembershipRole.OWNER)
    if data.get("brands") is not None:
        brands_set(seller=seller, user=user, brands=data["brands"])
    return seller


@transaction.atomic
def seller_update(*, seller: Seller, user: User, data: dict[str, Any]) -> Seller:
    """Change the given fields (and brands, when given); only draft and changes_requested."""
    locked = Seller.objects.select_for_update().get(pk=seller.pk)
    _require_member(locked, user)
    _require_editable(locked)
    _seller_apply(locked, data)
    _seller_save(locked)
    if data.get("brands") is not None:
        brands_set(seller=locked, user=user, brands=data["brands"])
    return locked


def brands_too_many_message() -> str:
    return _("List at most %(max)d brands.") % {"max": MAX_BRANDS}


@transaction.atomic
def brands_set(*, seller: Seller, user: User, brands: list[dict[str, Any]]) -> list[Brand]:
    """Replace the seller's brands with the list; brands kept by name keep their id."""
    _require_member(seller, user)
    _require_editable(Seller.objects.select_for_update().get(pk=seller.pk))
    if len(brands or []) > MAX_BRANDS:
        raise ValidationError({"brands": [brands_too_many_message()]})
    cleaned: list[dict[str, str]] = []
    errors: list[str] = []
    seen: set[str] = set()
    for number, raw in enumerate(brands or [], start=1):
        row = {field: str(raw.get(field) or "").strip() for field in BRAND_FIELDS}
        row["origin_country"] = country_normalize(row["origin_country"] or "CN")
        if not row["name"]:
            errors.append(_("Brand %(number)d: enter the brand name.") % {"number": number})
        elif len(row["name"]) > 100:
            errors.append(
                _("Brand %(number)d: the name has at most 100 characters.") % {"number": number}
            )
        elif row["name"].lower() in seen:
            errors.append(
                _("Brand %(number)d: %(name)s is listed twice.")
                % {"number": number, "name": row["name"]}
            )
        if len(row["name_zh"]) > 100:
            errors.append(
                _("Brand %(number)d: the Chinese name has at most 100 characters.")
                % {"number": number}
            )
        if len(row["trademark_number"]) > 50:
            errors.append(
                _("Brand %(number)d: the trademark number has at most 50 characters.")
                % {"number": number}
            )
        try:
            validate_country_code(row["origin_country"])
        except ValidationError as exc:
            errors.append(
                _("Brand %(number)d: %(message)s") % {"number": number, "message": exc.messages[0]}
            )
        seen.add(row["name"].lower())
        cleaned.append(row)
    if errors:
        raise ValidationError({"brands": errors})
    existing = {brand.name.lower(): brand for brand in seller.brands.all()}
    result = []
    for row in cleaned:
        brand = existing.pop(row["name"].lower(), None) or Brand(seller=seller)
        for field, value in row.items():
            setattr(brand, field, value)
        brand.save()
        result.append(brand)
    if existing:
        Brand.objects.filter(pk__in=[brand.pk for brand in existing.values()]).delete()
    return result


# Documents


def document_sniff(head: bytes) -> str | None:
    """The content type of an accepted document from its first bytes, or None."""
    for signature, content_type in DOCUMENT_SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


def document_too_large_message() -> str:
    return _("The file is larger than %(limit)d MB; upload a smaller scan.") % {
        "limit": settings.DOCUMENT_MAX_BYTES // (1024 * 1024)
    }


def document_file_check(file: IO[bytes]) -> tuple[int, str, str | None]:
    """(size, content type, problem) of an uploaded document: a PDF, JPEG or PNG by its
    content, not empty and within DOCUMENT_MAX_BYTES; `problem` is the message when it is not.
    The one rule of every document upload (application documents, renewals, brand papers)."""
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, os.SEEK_END)
        size = file.tell()
    if size > settings.DOCUMENT_MAX_BYTES:
        return size, "", document_too_large_message()
    if size == 0:
        return size, "", _("The file is empty.")
    file.seek(0)
    content_type = document_sniff(file.read(16))
    file.seek(0)
    if content_type is None:
        return (
            size,
            "",
            _(
                "Upload a PDF, JPEG or PNG file; this file's content is none of these, "
                "whatever its name says."
            ),
        )
    return size, content_type, None


@transaction.atomic
def document_upload(
    *,
    seller: Seller,
    user: User,
    kind: str,
    file: IO[bytes],
    expires_on: date | None = None,
    replaces: int | None = None,
) -> Document:
    """Store a PDF, JPEG or PNG (decided by its content) under a generated name.

    An approved seller uploads renewals: the new document names the accepted one it renews
    (`replaces`, or the current one of a required kind), which stays valid until ops accept
    the new one (sellers.document_services)."""
    locked = Seller.objects.select_for_update().get(pk=seller.pk)
    _require_member(locked, user)
    renewal = locked.status == SellerStatus.APPROVED
    if not renewal:
        _require_editable(locked)
    errors: dict[str, list[str]] = {}
    renews = None
    if (renewal or replaces is not None) and kind in DocumentKind.values:
        try:
            renews = document_services.document_renewal_target(
                seller=locked, kind=kind, replaces=replaces
            )
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if kind not in DocumentKind.values:
        errors["kind"] = [
            _("Choose the kind of document: %(kinds)s.")
            % {"kinds": ", ".join(str(label) for label in DocumentKind.labels)}
        ]
    if expires_on is not None and expires_on < timezone.localdate():
        errors["expires_on"] = [
            _("This document expired on %(date)s; upload a valid one.")
            % {"date": date_format(expires_on, "DATE_FORMAT")}
        ]
    size, content_type, problem = document_file_check(file)
    if problem:
        errors["file"] = [problem]
    if errors:
        raise ValidationError(errors)
    document = Document(
        seller=locked,
        kind=kind,
        original_name=clean_filename(getattr(file, "name", ""), fallback="document"),
        content_type=content_type or "",
        size=size,
        expires_on=expires_on,
        uploaded_by=user,
        replaces=renews,
    )
    # The stored name is generated (document_upload_to); the user's name is only displayed.
    document.file.save("upload", file if isinstance(file, File) else File(file), save=False)
    try:
        document.save()
    except Exception:
        document.file.storage.delete(str(document.file.name))
        raise
    document_services.document_renewal_withdraw_earlier(renewal=document)
    return document


@transaction.atomic
def document_delete(*, seller: Seller, user: User, document: Document) -> None:
    """Remove a document from an editable application (the file goes after the commit)."""
    locked = Seller.objects.select_for_update().get(pk=seller.pk)
    _require_member(locked, user)
    _require_editable(locked)
    if document.seller_id != locked.pk:
        raise PermissionDenied
    name, storage = str(document.file.name), document.file.storage
    document.delete()
    transaction.on_commit(partial(storage.delete, name))


# Reviews (and renewals superseding what they renew) live in sellers.document_services.
document_review_check = document_services.document_review_check
document_review = document_services.document_review


# The status flow


def seller_transition(*, seller: Seller, to_status: str, by: User, reason: str = "") -> Seller:
    """The one place a seller's status changes: checked, locked, recorded, announced."""
    reason = (reason or "").strip()
    if to_status not in SellerStatus.values:
        raise ConflictError(_("Unknown status: %(status)s.") % {"status": to_status})
    if to_status in STAFF_DECISIONS and not permissions.can_decide(by):
        raise PermissionDenied(_("Only operations staff decide on applications."))
    with transaction.atomic():
        locked = Seller.objects.select_for_update().get(pk=seller.pk)
        from_status = locked.status
        if to_status not in TRANSITIONS[from_status]:
            raise ConflictError(
                _("An application that is %(from)s cannot become %(to)s.")
                % {
                    "from": SellerStatus(from_status).label,
                    "to": SellerStatus(to_status).label,
                }
            )
        if to_status in STAFF_DECISIONS and not reason:  # after the 409: that answer says more
            raise ValidationError({"reason": [_("Give a reason; the seller will read it.")]})
        if to_status == SellerStatus.APPROVED:
            document_services.seller_approval_check(seller=locked)
        now = timezone.now()
        locked.status = to_status
        update_fields = ["status", "updated_at"]
        if to_status == SellerStatus.SUBMITTED:
            locked.submitted_at = now
            update_fields.append("submitted_at")
        locked.save(update_fields=update_fields)
        if from_status == SellerStatus.SUBMITTED and to_status == SellerStatus.APPROVED:
            # The brands of the application are reviewed with it (later ones one by one).
            Brand.objects.filter(seller=locked, state=BrandState.PENDING).update(
                state=BrandState.APPROVED, reason="", reviewed_at=now, reviewed_by=by
            )
        change = StatusChange.objects.create(
            seller=locked,
            from_status=from_status,
            to_status=to_status,
            reason=reason,
            by=by,
            at=now,
        )
        transaction.on_commit(
            partial(emails.seller_status_email_send, seller=locked, change=change)
        )
    # Keep the caller's instance in step with the database.
    seller.status, seller.submitted_at, seller.updated_at = (
        locked.status,
        locked.submitted_at,
        locked.updated_at,
    )
    return locked


@transaction.atomic
def seller_submit(*, seller: Seller, user: User) -> Seller:
    """Send the application to review once it is complete; lists what is missing otherwise."""
    locked = Seller.objects.select_for_update().get(pk=seller.pk)
    _require_member(locked, user)
    _require_verified(user)
    if SellerStatus.SUBMITTED not in TRANSITIONS[locked.status]:
        raise ConflictError(
            _("An application that is %(status)s cannot be submitted.")
            % {"status": locked.get_status_display()}
        )
    missing = seller_missing_requirements(seller=locked)
    if missing:
        raise ValidationError(missing)
    return seller_transition(seller=seller, to_status=SellerStatus.SUBMITTED, by=user)


def seller_approve(*, seller: Seller, by: User, reason: str) -> Seller:
    return seller_transition(seller=seller, to_status=SellerStatus.APPROVED, by=by, reason=reason)


def seller_reject(*, seller: Seller, by: User, reason: str) -> Seller:
    return seller_transition(seller=seller, to_status=SellerStatus.REJECTED, by=by, reason=reason)


def seller_request_changes(*, seller: Seller, by: User, reason: str) -> Seller:
    return seller_transition(
        seller=seller, to_status=SellerStatus.CHANGES_REQUESTED, by=by, reason=reason
    )


def seller_suspend(*, seller: Seller, by: User, reason: str) -> Seller:
    return seller_transition(seller=seller, to_status=SellerStatus.SUSPENDED, by=by, reason=reason)


# Members


@transaction.atomic
def member_invite(*, seller: Seller, by: User, email: str) -> Invitation:
    """The owner invites a colleague by e-mail; inviting the same address again resends it."""
    if not Membership.objects.filter(user=by, seller=seller, role=MembershipRole.OWNER).exists():
        raise PermissionDenied(_("Only the owner of the seller can invite members."))
    _require_open(Seller.objects.select_for_update().get(pk=seller.pk))
    _require_verified(by)
    email = email_normalize(email)
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError({"email": [_("Enter a valid e-mail address.")]}) from exc
    invitee = User.objects.filter(email__iexact=email).first()
    if invitee is not None and Membership.objects.filter(user=invitee).exists():
        raise ValidationError(
            {"email": [_("This person already belongs to a seller and cannot be invited.")]}
        )
    limits.sender_check(kind=limits.INVITATION, sender=f"user:{by.pk}")
    limits.recipient_check(kind=limits.INVITATION, recipient=email)
    invitation = (
        Invitation.objects.filter(seller=seller, email__iexact=email, accepted_at__isnull=True)
        .order_by("-created_at")
        .first()
    )
    if invitation is None:
        invitation = Invitation.objects.create(seller=seller, email=email, invited_by=by)
    language = invitee.preferred_language if invitee else by.preferred_language
    transaction.on_commit(
        partial(emails.invitation_email_send, invitation=invitation, language=language)
    )
    return invitation


@transaction.atomic
def invitation_accept(*, token: Any, user: User) -> Membership:
    """The signed-in user whose e-mail the invitation names joins the seller."""
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("seller")
        .filter(token=token, accepted_at__isnull=True)
        .first()
        if _is_uuid(token)
        else None
    )
    if invitation is None or invitation.created_at < timezone.now() - timedelta(
        days=INVITATION_VALID_DAYS
    ):
        raise ValidationError(
            _("This invitation is no longer valid; ask the owner to invite you again.")
        )
    if email_normalize(invitation.email) != email_normalize(user.email):
        raise PermissionDenied(
            _("This invitation was sent to %(email)s; log in with that address to accept it.")
            % {"email": invitation.email}
        )
    if Membership.objects.filter(user=user).exists():
        raise ConflictError(_("You already belong to a seller."))
    _require_open(invitation.seller)
    membership = Membership.objects.create(
        user=user, seller=invitation.seller, role=MembershipRole.MEMBER
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    if not user.email_verified:
        # The invitation's token was mailed to this address: that confirms it.
        user.email_verified_at = invitation.accepted_at
        user.save(update_fields=["email_verified_at"])
    return membership


def _is_uuid(value: Any) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True

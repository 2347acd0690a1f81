"""Brands as objects with their own review: a seller requests one at any time, operations
approve or reject it, and only approved brands import (catalog rows, product API)."""

from functools import partial
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.downloads import clean_filename
from portal.errors import ConflictError
from portal.tabular.validators import validate_visible_text
from sellers import brand_emails, permissions, services
from sellers.models import (
    MAX_BRANDS,
    Brand,
    BrandState,
    Document,
    DocumentKind,
    Seller,
    User,
)
from sellers.validators import country_normalize, validate_country_code

# The documents that show a seller may sell a brand: its own trademark, or the owner's licence.
BRAND_DOCUMENT_KINDS = (DocumentKind.TRADEMARK_CERTIFICATE, DocumentKind.BRAND_AUTHORIZATION)
BRAND_TEXT_FIELDS = ("name", "name_zh", "origin_country", "trademark_number")
REASON_MAX_LENGTH = 4000
DOCUMENT_MISSING = gettext_lazy(
    "Attach the trademark certificate or the brand authorisation (PDF, JPEG or PNG)."
)


def _max_length(field: str) -> int:
    return int(getattr(Brand._meta.get_field(field), "max_length", 0) or 0)


def brand_fields_clean(data: dict[str, Any]) -> dict[str, str]:
    """The brand's text fields trimmed and checked (lengths, visible text, country code);
    raises ValidationError by field."""
    row = {field: str(data.get(field) or "").strip() for field in BRAND_TEXT_FIELDS}
    row["origin_country"] = country_normalize(row["origin_country"] or "CN")
    errors: dict[str, list[str]] = {}
    if not row["name"]:
        errors["name"] = [_("Enter the brand name.")]
    for field, value in row.items():
        if field in errors:
            continue
        limit = _max_length(field)
        if len(value) > limit:
            errors[field] = [_("At most %(max)d characters.") % {"max": limit}]
            continue
        try:
            validate_visible_text(value)
            if field == "origin_country":
                validate_country_code(value)
        except ValidationError as exc:
            errors[field] = list(exc.messages)
    if errors:
        raise ValidationError(errors)
    return row


def brand_document_check(file: IO[bytes] | None) -> tuple[int, str]:
    """The file's size and content type when it is a PDF, JPEG or PNG by its content (the
    rule of document uploads); ValidationError on "document" otherwise."""
    if file is None:
        raise ValidationError({"document": [str(DOCUMENT_MISSING)]})
    size, content_type, problem = services.document_file_check(file)
    if problem:
        raise ValidationError({"document": [problem]})
    return size, content_type


def _brand_keys(name: str, name_zh: str) -> set[str]:
    """What catalog rows may call the brand: its name and its Chinese name, any case."""
    return {key.lower() for key in (name, name_zh) if key}


def brand_clashes(*, seller: Seller, name: str, name_zh: str) -> list[Brand]:
    """The seller's brands that a row naming `name` or `name_zh` would already mean."""
    wanted = _brand_keys(name, name_zh)
    return [
        brand for brand in seller.brands.all() if _brand_keys(brand.name, brand.name_zh) & wanted
    ]


def _duplicate_error(brand: Brand, *, name: str) -> ValidationError:
    field = "name" if name.lower() in _brand_keys(brand.name, brand.name_zh) else "name_zh"
    if brand.state == BrandState.PENDING:
        message = _(
            "You already asked for the brand %(brand)s; it is waiting for review by Bozor."
        ) % {"brand": str(brand)}
    else:
        message = _("The brand %(brand)s is already one of your brands (%(state)s).") % {
            "brand": str(brand),
            "state": brand.get_state_display(),
        }
    return ValidationError({field: [message]}, code="brand_duplicate")


def _document_store(
    *, seller: Seller, user: User, kind: str, file: IO[bytes], size: int, content_type: str
) -> Document:
    document = Document(
        seller=seller,
        kind=kind,
        original_name=clean_filename(getattr(file, "name", ""), fallback="document"),
        content_type=content_type,
        size=size,
        uploaded_by=user,
    )
    # The stored name is generated (document_upload_to); the user's name is only displayed.
    document.file.save("upload", file if isinstance(file, File) else File(file), save=False)
    try:
        document.save()
    except Exception:
        _file_delete(document)
        raise
    return document


def _file_delete(document: Document) -> None:
    document.file.storage.delete(str(document.file.name))


@transaction.atomic
def brand_request(
    *,
    seller: Seller,
    user: User,
    data: dict[str, Any],
    document: IO[bytes] | None,
    document_kind: str = DocumentKind.TRADEMARK_CERTIFICATE,
) -> Brand:
    """A seller asks for a brand, at any time (also once approved): it waits for review.

    Refused, with nothing stored: a closed seller (409); a brand the seller already has by its
    name or Chinese name (400; a rejected one is asked for again in its place); more than
    MAX_BRANDS; a document that is not a PDF, JPEG or PNG by its content.
    """
    locked = Seller.objects.select_for_update().get(pk=seller.pk)
    services._require_member(locked, user)
    services._require_open(locked)
    errors: dict[str, list[str]] = {}
    row: dict[str, str] = {}
    try:
        row = brand_fields_clean(data)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if document_kind not in BRAND_DOCUMENT_KINDS:
        errors["document_kind"] = [
            _("Choose the trademark certificate or the brand authorisation.")
        ]
    size, content_type = 0, ""
    try:
        size, content_type = brand_document_check(document)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    clashes = brand_clashes(seller=locked, name=row["name"], name_zh=row["name_zh"])
    # A rejected brand is asked for again in its place (same name, nothing else clashing).
    again = (
        clashes[0]
        if len(clashes) == 1
        and clashes[0].state == BrandState.REJECTED
        and clashes[0].name.lower() == row["name"].lower()
        else None
    )
    if clashes and again is None:
        raise _duplicate_error(clashes[0], name=row["name"])
    if again is None and len(locked.brands.all()) >= MAX_BRANDS:
        raise ValidationError({"name": [services.brands_too_many_message()]})
    assert document is not None  # brand_document_check refused None
    stored = _document_store(
        seller=locked,
        user=user,
        kind=document_kind,
        file=document,
        size=size,
        content_type=content_type,
    )
    brand = again or Brand(seller=locked)
    for field, value in row.items():
        setattr(brand, field, value)
    brand.state = BrandState.PENDING
    brand.reason = ""
    brand.document = stored
    brand.requested_by = user
    brand.requested_at = timezone.now()
    brand.reviewed_at = None
    brand.reviewed_by = None
    try:
        with transaction.atomic():
            brand.save()
    except IntegrityError as exc:  # the same name saved by another request at the same moment
        _file_delete(stored)
        raise ValidationError(
            {"name": [_("You already asked for the brand %(brand)s.") % {"brand": row["name"]}]}
        ) from exc
    return brand


def _require_reviewer(user: User) -> None:
    if not permissions.can_review_brands(user):
        raise PermissionDenied(_("Only operations staff review brands."))


def _brand_decide(*, brand: Brand, by: User, state: str, reason: str) -> Brand:
    _require_reviewer(by)
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = Brand.objects.select_for_update().select_related("seller").get(pk=brand.pk)
        if locked.state == state:
            raise ConflictError(
                _("The brand %(brand)s is already %(state)s.")
                % {"brand": str(locked), "state": locked.get_state_display()}
            )
        if state == BrandState.REJECTED:
            if not reason:
                raise ValidationError(
                    {"reason": [_("Say why the brand is rejected; the seller will read it.")]}
                )
            if len(reason) > REASON_MAX_LENGTH:
                raise ValidationError(
                    {"reason": [_("At most %(max)d characters.") % {"max": REASON_MAX_LENGTH}]}
                )
        locked.state = state
        locked.reason = reason if state == BrandState.REJECTED else ""
        locked.reviewed_at = timezone.now()
        locked.reviewed_by = by
        locked.save(update_fields=["state", "reason", "reviewed_at", "reviewed_by"])
        transaction.on_commit(partial(brand_emails.brand_review_email_send, brand=locked))
    brand.state, brand.reason = locked.state, locked.reason
    brand.reviewed_at, brand.reviewed_by = locked.reviewed_at, locked.reviewed_by
    return locked


def brand_approve(*, brand: Brand, by: User) -> Brand:
    """Operations approve a brand: its rows import from now on; the seller is told by mail."""
    return _brand_decide(brand=brand, by=by, state=BrandState.APPROVED, reason="")


def brand_reject(*, brand: Brand, by: User, reason: str) -> Brand:
    """Operations reject a brand, saying why; the seller reads it by mail and on the page."""
    return _brand_decide(brand=brand, by=by, state=BrandState.REJECTED, reason=reason)

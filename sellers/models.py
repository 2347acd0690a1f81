"""Accounts, the seller (the company), its brands, members, documents and status history."""

import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken

from portal.downloads import clean_filename
from sellers.validators import (
    email_normalize,
    validate_country_code,
    validate_phone_e164,
    validate_stir,
    validate_uscc_format,
)

# A business licence with fewer days than this before it expires is flagged to reviewers.
LICENCE_WARNING_DAYS = 60
# An application lists at most this many brands: the rows of the form, and each one a
# reviewer checks.
MAX_BRANDS = 50
# The fields of the application a brand manager edits (brands and documents have their own);
# the API, the admin's form and its export, and the submission checks all list them from here.
SELLER_FIELDS = (
    "legal_name",
    "legal_name_zh",
    "uscc",
    "address",
    "uz_entity_name",
    "uz_entity_stir",
    "contact_name",
    "contact_email",
    "contact_phone",
    "website",
)


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email: str | None) -> str:
        return email_normalize(email)

    def _create(self, email: str, password: str | None, **extra: Any) -> "User":
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        # Typed in by whoever runs the server: nobody else's address to take over.
        extra.setdefault("email_verified_at", timezone.now())
        return self._create(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> "User":
        # Login (page and API token) and password reset find the account by any spelling;
        # iexact also finds a row written before addresses were normalised.
        return self.get(email__iexact=email_normalize(username))


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with an e-mail address: a brand manager or a staff member."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Until the mailed link is confirmed the user may fill in a draft, but not submit it or
    # invite anyone: the address may be someone else's.
    email_verified_at = models.DateTimeField(_("e-mail address confirmed"), null=True, blank=True)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.email

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    def clean(self) -> None:
        super().clean()
        self.email = email_normalize(self.email)

    # Every way a password is set ends here: the reset and account pages, the API, the admin's
    # password form, `manage.py changepassword`. Each calls set_password() (or
    # set_unusable_password()) and then save(), so this is the one place none of them can skip:
    # the save revokes every API token of the user. Other browser sessions end by themselves,
    # because the session keeps a hash of the password (the page that changed it keeps its
    # own session with update_session_auth_hash).
    def set_password(self, raw_password: str | None) -> None:
        super().set_password(raw_password)
        self._password_set = True

    def set_unusable_password(self) -> None:
        super().set_unusable_password()
        self._password_set = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        if getattr(self, "_password_set", False):
            self._password_set = False
            AuthToken.objects.filter(user=self).delete()


class SellerStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    SUSPENDED = "suspended", _("Suspended")


class Seller(models.Model):
    """A Chinese company's application to sell, and the Uzbek entity that will trade for it."""

    status = models.CharField(
        _("status"), max_length=20, choices=SellerStatus.choices, default=SellerStatus.DRAFT
    )
    legal_name = models.CharField(_("legal name (Latin)"), max_length=255, blank=True)
    legal_name_zh = models.CharField(_("legal name (Chinese)"), max_length=255, blank=True)
    # Format only: the check character is enforced by the services for brand managers, while
    # staff may save a real pilot code that fails it.
    uscc = models.CharField(_("USCC"), max_length=18, blank=True, validators=[validate_uscc_format])
    address = models.TextField(_("address"), blank=True)
    uz_entity_name = models.CharField(_("Uzbek selling entity"), max_length=255, blank=True)
    uz_entity_stir = models.CharField(
        _("STIR"), max_length=9, blank=True, validators=[validate_stir]
    )
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(
        _("contact phone"), max_length=20, blank=True, validators=[validate_phone_e164]
    )
    website = models.URLField(_("website"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        verbose_name = _("seller")
        verbose_name_plural = _("sellers")
        constraints = [
            models.UniqueConstraint(
                fields=["uscc"], condition=~Q(uscc=""), name="seller_uscc_unique"
            ),
            models.CheckConstraint(
                condition=Q(status__in=SellerStatus.values), name="seller_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return self.legal_name or self.legal_name_zh or f"Seller #{self.pk}"

    @property
    def localized_name(self) -> str:
        """The company as its brand manager reads it: the Chinese legal name in the Chinese UI
        where there is one (staff pages keep the Latin name, `str()`)."""
        return name_for_reader(str(self), self.legal_name_zh)

    @property
    def is_editable(self) -> bool:
        return self.status in (SellerStatus.DRAFT, SellerStatus.CHANGES_REQUESTED)

    @property
    def can_import(self) -> bool:
        return self.status == SellerStatus.APPROVED

    @property
    def is_closed(self) -> bool:
        """Suspended or rejected: the seller writes nothing (members, documents, catalog)."""
        return self.status in (SellerStatus.SUSPENDED, SellerStatus.REJECTED)

    @property
    def licence_expires_soon(self) -> bool:
        """A business licence expires within LICENCE_WARNING_DAYS (or has expired)."""
        return any(
            document.expires_soon
            for document in self.documents.all()
            if document.kind == DocumentKind.BUSINESS_LICENSE
        )


class MembershipRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    MEMBER = "member", _("Member")


class Membership(models.Model):
    """A user's place in a seller; a user belongs to at most one seller."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="membership",
    )
    seller = models.ForeignKey(
        Seller, verbose_name=_("seller"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(
        _("role"), max_length=10, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    created_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.seller}"


class Invitation(models.Model):
    """An owner's invitation for a colleague to join the seller, accepted through a link."""

    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return self.email


class BrandState(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Brand(models.Model):
    """A brand the seller registers; catalog rows name it by its name or its Chinese name.

    Each brand has its own review: only an approved brand imports. The brands of the first
    application are approved with it; a brand added later waits for operations."""

    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="brands")
    name = models.CharField(_("brand name"), max_length=100)
    name_zh = models.CharField(_("brand name (Chinese)"), max_length=100, blank=True)
    origin_country = models.CharField(
        _("origin country"), max_length=2, default="CN", validators=[validate_country_code]
    )
    trademark_number = models.CharField(_("trademark number"), max_length=50, blank=True)
    state = models.CharField(
        _("review"), max_length=10, choices=BrandState.choices, default=BrandState.PENDING
    )
    reason = models.TextField(_("rejection reason"), blank=True)
    # The trademark certificate or brand authorisation (a Document of the seller, of one of
    # those two kinds); the brands of an application may rely on the application's documents.
    document = models.ForeignKey(
        "Document",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="brands",
        verbose_name=_("trademark document"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )

    class Meta:
        verbose_name = _("brand")
        verbose_name_plural = _("brands")
        constraints = [
            models.UniqueConstraint("seller", Lower("name"), name="brand_name_unique_per_seller"),
            models.CheckConstraint(
                condition=Q(state__in=BrandState.values), name="brand_state_valid"
            ),
        ]
        indexes = [models.Index(fields=["state", "requested_at"], name="brand_review_queue")]
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.name_zh})" if self.name_zh else self.name

    @property
    def localized_name(self) -> str:
        return name_for_reader(self.name, self.name_zh)

    @property
    def is_approved(self) -> bool:
        return self.state == BrandState.APPROVED


def name_for_reader(name: str, name_zh: str | None) -> str:
    """A brand or a company as the reader sees it: its Chinese name in the Chinese UI where it
    has one, else its registered (Latin) name."""
    if name_zh and (get_language() or "").startswith("zh"):
        return name_zh
    return name


class DocumentKind(models.TextChoices):
    BUSINESS_LICENSE = "business_license", _("Business licence")
    UZ_REGISTRATION_CERTIFICATE = "uz_registration_certificate", _("Uzbek registration certificate")
    TRADEMARK_CERTIFICATE = "trademark_certificate", _("Trademark certificate")
    BRAND_AUTHORIZATION = "brand_authorization", _("Brand authorisation")


class DocumentReview(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


def document_upload_to(instance: "Document", filename: str) -> str:
    # Never the user's file name: a generated one, with the extension of the detected type.
    return f"documents/{instance.seller_id}/{uuid.uuid4().hex}{instance.extension}"


class Document(models.Model):
    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=40, choices=DocumentKind.choices)
    file = models.FileField(_("file"), upload_to=document_upload_to, max_length=255)
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=50)
    size = models.PositiveIntegerField(_("size in bytes"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    review_state = models.CharField(
        _("review"), max_length=10, choices=DocumentReview.choices, default=DocumentReview.PENDING
    )
    review_reason = models.TextField(_("review reason"), blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    # A renewal (an approved seller's new licence, say) names the accepted document it renews.
    # That one stays the valid one until the renewal is accepted; then it is superseded, and
    # kept, file and all, for the record.
    replaces = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="renewals",
        verbose_name=_("renews"),
    )
    superseded_at = models.DateTimeField(_("superseded"), null=True, blank=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["kind", "-uploaded_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(review_state__in=DocumentReview.values),
                name="document_review_state_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["review_state", "expires_on"], name="document_expiry"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.original_name}"

    @property
    def is_current(self) -> bool:
        """Not replaced by an accepted renewal."""
        return self.superseded_at is None

    @property
    def expires_soon(self) -> bool:
        """A business licence with fewer than LICENCE_WARNING_DAYS left (or already expired)."""
        if self.kind != DocumentKind.BUSINESS_LICENSE or self.expires_on is None:
            return False
        if self.superseded_at is not None:
            return False
        days_left = (self.expires_on - timezone.localdate()).days
        return days_left < LICENCE_WARNING_DAYS

    @property
    def extension(self) -> str:
        return {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}.get(
            self.content_type, ""
        )

    @property
    def download_name(self) -> str:
        """The uploaded name, cleaned, with the extension of the type its content was detected
        as: `passwd.html` with a PDF's content downloads as `passwd.pdf`."""
        name = clean_filename(self.original_name, fallback="")
        stem = name.rpartition(".")[0] if "." in name else name
        return f"{stem.strip(' .') or 'document'}{self.extension}"


# Reminder mails before an accepted document expires: this many days before, each sent once.
DOCUMENT_REMINDER_DAYS = (60, 30, 7)


class DocumentReminder(models.Model):
    """One expiry reminder sent for one document: the unique pair makes it once only, even
    when two beat runs meet."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="reminders")
    days = models.PositiveSmallIntegerField(_("days before expiry"))
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("document reminder")
        verbose_name_plural = _("document reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["document", "days"], name="document_reminder_once_per_threshold"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document_id}: {self.days}"


class StatusChange(models.Model):
    """One step of a seller's status history: who, when, from, to and why."""

    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="status_history")
    from_status = models.CharField(_("from"), max_length=20, choices=SellerStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=SellerStatus.choices)
    reason = models.TextField(_("reason"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status history")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"

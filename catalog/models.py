"""The category tree, products, import jobs and their row errors."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Func, Q, Value
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from catalog.importing.messages import message_for


class Category(models.Model):
    """A marketplace category; codes are dotted paths, so a prefix finds the descendants."""

    code = models.CharField(_("code"), max_length=100, unique=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    name_en = models.CharField(_("name (English)"), max_length=150)
    name_ru = models.CharField(_("name (Russian)"), max_length=150)
    name_uz = models.CharField(_("name (Uzbek)"), max_length=150)
    name_zh = models.CharField(_("name (Chinese)"), max_length=150)
    is_leaf = models.BooleanField(_("leaf"), default=True)
    # The marketplace does not sell it (nor anything under it): its cards are `needs_fixes`
    # with `forbidden_category` (catalog.readiness). Set by operations staff in the admin.
    forbidden = models.BooleanField(_("forbidden on the marketplace"), default=False)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} ({self.name})"

    @property
    def name(self) -> str:
        """The name in the active language, English when there is none."""
        language = (get_language() or "en").split("-")[0]
        return getattr(self, f"name_{language}", "") or self.name_en


class Readiness(models.TextChoices):
    """Whether a card is what the marketplace accepts (catalog.readiness)."""

    READY = "ready", _("Ready")
    NEEDS_FIXES = "needs_fixes", _("Needs fixes")


class Product(models.Model):
    """One variant (SKU) of a seller's card; the catalog is keyed by (seller, sku).

    A card groups the variants that share `group` (the seller's model code); a product without
    a group is a card of one variant. Card-level values (titles, descriptions, features, brand,
    category, images) are the same on every variant of a card.
    """

    seller = models.ForeignKey("sellers.Seller", on_delete=models.CASCADE, related_name="products")
    sku = models.CharField(_("SKU"), max_length=64)
    group = models.CharField(_("card (model code)"), max_length=64, blank=True, default="")
    title_uz = models.CharField(_("title (Uzbek)"), max_length=255)
    title_ru = models.CharField(_("title (Russian)"), max_length=255)
    description_uz = models.TextField(_("description (Uzbek)"), blank=True, default="")
    description_ru = models.TextField(_("description (Russian)"), blank=True, default="")
    # SET_NULL rather than PROTECT: a seller may re-register its brands; the product stays and
    # its next import (or edit) names a brand again.
    brand = models.ForeignKey(
        "sellers.Brand",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="products",
        verbose_name=_("brand"),
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="products", verbose_name=_("category")
    )
    price_uzs = models.BigIntegerField(_("price (so'm)"))
    stock = models.IntegerField(_("stock"), default=0)
    barcode = models.CharField(_("barcode"), max_length=14, blank=True, default="")
    ikpu = models.CharField(_("IKPU (MXIK)"), max_length=17)
    weight_g = models.IntegerField(_("weight (g)"))
    image_urls = models.JSONField(_("image URLs"), default=list, blank=True)
    length_mm = models.IntegerField(_("length (mm)"), null=True, blank=True)
    width_mm = models.IntegerField(_("width (mm)"), null=True, blank=True)
    height_mm = models.IntegerField(_("height (mm)"), null=True, blank=True)
    features_uz = models.JSONField(_("features (Uzbek)"), default=list, blank=True)
    features_ru = models.JSONField(_("features (Russian)"), default=list, blank=True)
    # {attribute code: value}: an enum's option code, a number, true/false or text.
    attributes = models.JSONField(_("characteristics"), default=dict, blank=True)
    # The readiness check's outcome (catalog.readiness), stored on every write so lists filter
    # on it: the state, and the issues as codes and parameters (worded when read).
    readiness_state = models.CharField(
        _("readiness"), max_length=12, choices=Readiness.choices, default=Readiness.NEEDS_FIXES
    )
    readiness_issues = models.JSONField(_("readiness issues"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    # The committed import that last created or changed the product (an import that left it
    # unchanged does not count); empty for a product written by hand or the API. No foreign
    # key in the database: only an import writes it, its own job's id inside that job's
    # transaction, and PostgreSQL's check of every row was a tenth of a first import's INSERT
    # (1.1 s per 100,000 rows). Deleting a job still empties it (Django's SET_NULL).
    last_import = models.ForeignKey(
        "ImportJob",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last import"),
        db_constraint=False,
    )

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["sku"]
        constraints = [
            models.UniqueConstraint(fields=["seller", "sku"], name="product_sku_unique_per_seller"),
            models.CheckConstraint(condition=Q(price_uzs__gt=0), name="product_price_positive"),
            models.CheckConstraint(condition=Q(stock__gte=0), name="product_stock_not_negative"),
            models.CheckConstraint(
                condition=Q(weight_g__gt=0) & Q(weight_g__lte=50_000),
                name="product_weight_in_range",
            ),
        ]
        indexes = [
            models.Index(fields=["seller", "category"]),
            models.Index(fields=["seller", "brand"]),
            models.Index(fields=["seller", "group"], name="product_card"),
            models.Index(fields=["seller", "readiness_state"], name="product_readiness"),
            # Finds the zero-padded SKU that a file's all-digit SKU lost its zeros from (the
            # lost_leading_zero row error); only SKUs that start with a zero are indexed.
            models.Index(
                F("seller"),
                Func(F("sku"), Value("0"), function="LTRIM", output_field=models.CharField()),
                name="product_sku_unpadded",
                condition=Q(sku__startswith="0"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sku}: {self.title_ru}"

    @property
    def card_key(self) -> str:
        """What names the product's card: its group, or its SKU for a card of one variant."""
        return self.group or self.sku

    @property
    def title(self) -> str:
        """The title in the active language: Russian for Russian readers, Uzbek otherwise."""
        language = (get_language() or "en").split("-")[0]
        return self.title_ru if language in ("ru", "en", "zh") else self.title_uz


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    VALIDATED = "validated", _("Validated")
    COMPLETED = "completed", _("Completed")
    FAILED = "failed", _("Failed")


class ImportMode(models.TextChoices):
    VALIDATE = "validate", _("Validate (preview)")
    COMMIT = "commit", _("Commit")


class ImportPhase(models.TextChoices):
    """Where a running job is; progress only moves forward through these."""

    READING = "reading", _("Reading the file")
    CHECKING = "checking", _("Checking the rows")
    WRITING = "writing", _("Writing to your catalog")


ACTIVE_IMPORT_STATUSES = (ImportStatus.QUEUED, ImportStatus.RUNNING)


def import_upload_to(instance: "ImportJob", filename: str) -> str:
    # Never the user's file name (a hostile name must not reach the disk): a random one; the
    # original is display-only.
    return f"imports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.upload"


class ImportJob(models.Model):
    """One uploaded catalog file and what importing it did (or would do, for a preview)."""

    seller = models.ForeignKey(
        "sellers.Seller",
        verbose_name=_("seller"),
        on_delete=models.CASCADE,
        related_name="import_jobs",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    mode = models.CharField(
        _("mode"), max_length=20, choices=ImportMode.choices, default=ImportMode.VALIDATE
    )
    file = models.FileField(_("file"), upload_to=import_upload_to, max_length=255)
    filename = models.CharField(_("file name as sent"), max_length=255, blank=True)
    size = models.BigIntegerField(_("size in bytes"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    detected = models.JSONField(_("detected format"), default=dict, blank=True)
    total_rows = models.IntegerField(_("rows read"), default=0)
    total_lines = models.IntegerField(_("lines in the file"), default=0)
    processed_rows = models.IntegerField(_("rows processed"), default=0)
    created_count = models.IntegerField(_("created"), default=0)
    updated_count = models.IntegerField(_("updated"), default=0)
    unchanged_count = models.IntegerField(_("unchanged"), default=0)
    invalid_count = models.IntegerField(_("invalid"), default=0)
    warning_count = models.IntegerField(_("warnings"), default=0)
    # File-level warnings, e.g. {"code": "unknown_columns", "params": {"columns": "..."}}.
    warnings = models.JSONField(_("file warnings"), default=list, blank=True)
    error_code = models.CharField(_("error code"), max_length=50, blank=True)
    error_params = models.JSONField(_("error parameters"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # A lease on the row makes a second delivery of the same task exit (a job that outlives the
    # broker's visibility timeout runs once).
    lease_owner = models.CharField(_("lease owner"), max_length=100, blank=True)
    lease_until = models.DateTimeField(_("lease until"), null=True, blank=True)
    attempts = models.IntegerField(_("attempts"), default=0)
    enqueued_at = models.DateTimeField(_("last sent to a worker"), null=True, blank=True)
    # What was understood (catalog/importing/preview.py): the phase of a running job, the
    # file's header as mapped, the first rows as they will be stored, the column mapping used.
    phase = models.CharField(_("phase"), max_length=20, choices=ImportPhase.choices, blank=True)
    columns = models.JSONField(_("header as understood"), default=dict, blank=True)
    sample_rows = models.JSONField(_("first rows as stored"), default=list, blank=True)
    header_signature = models.CharField(_("header signature"), max_length=64, blank=True)
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    mapping_applied = models.BooleanField(_("remembered mapping applied"), default=False)
    # Uzbek text in Cyrillic is written in the Latin alphabet (a `transliterated` warning keeps
    # the original); on unless the seller turns it off.
    transliterate = models.BooleanField(_("Uzbek Cyrillic to Latin"), default=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One active job per identical file and seller: a double click gets the first job.
            models.UniqueConstraint(
                fields=["seller", "sha256"],
                condition=Q(status__in=["queued", "running"]),
                name="import_job_one_active_per_file",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ImportStatus.values), name="import_job_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(mode__in=ImportMode.values), name="import_job_mode_valid"
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.filename} ({self.status})"

    @property
    def counts(self) -> dict[str, int]:
        return {
            "created": self.created_count,
            "updated": self.updated_count,
            "unchanged": self.unchanged_count,
            "invalid": self.invalid_count,
        }

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_IMPORT_STATUSES

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportStatus.VALIDATED, ImportStatus.COMPLETED, ImportStatus.FAILED)

    @property
    def progress_percent(self) -> int:
        if self.is_finished:
            return 100
        if not self.total_rows:
            return 0
        return min(100, self.processed_rows * 100 // self.total_rows)

    @property
    def error_message(self) -> str:
        """The file-level error in the active language ("" when there is none)."""
        if not self.error_code:
            return ""
        return message_for(self.error_code, self.error_params)

    @property
    def warning_messages(self) -> list[str]:
        return [message_for(w["code"], w.get("params", {})) for w in self.warnings]


class ColumnMapping(models.Model):
    """A seller's mapping of file columns to catalog fields, remembered per header."""

    seller = models.ForeignKey(
        "sellers.Seller", on_delete=models.CASCADE, related_name="column_mappings"
    )
    # SHA-256 of the normalised header (catalog.importing.columns.header_signature).
    header_signature = models.CharField(_("header signature"), max_length=64)
    mapping = models.JSONField(_("mapping"), default=dict)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")
        constraints = [
            models.UniqueConstraint(
                fields=["seller", "header_signature"], name="column_mapping_one_per_header"
            )
        ]

    def __str__(self) -> str:
        return f"{self.seller_id} {self.header_signature[:12]}"


class Severity(models.TextChoices):
    ERROR = "error", _("Error")
    WARNING = "warning", _("Warning")


class RowError(models.Model):
    """A problem found in one cell (or row) of an import; errors reject the row, warnings not."""

    # No index of its own: the (job, row) index serves every look-up by job, and an import
    # writes a row error per problem (its readiness warnings too), so each index costs.
    job = models.ForeignKey(
        ImportJob, on_delete=models.CASCADE, related_name="row_errors", db_index=False
    )
    row = models.IntegerField(_("row"))
    column = models.CharField(_("column"), max_length=100, blank=True)
    code = models.CharField(_("code"), max_length=50)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.ERROR
    )

    class Meta:
        verbose_name = _("row error")
        verbose_name_plural = _("row errors")
        ordering = ["row", "id"]
        indexes = [models.Index(fields=["job", "row"])]

    def __str__(self) -> str:
        return f"row {self.row} {self.column}: {self.code}"

    @property
    def message(self) -> str:
        """The message in the active language, with its parameters filled in."""
        return message_for(self.code, self.params)


# The category characteristics live in their own module; importing them here registers them.
from catalog.attribute_models import (  # noqa: E402, F401
    Attribute,
    AttributeOption,
    AttributeType,
    CategoryAttribute,
)

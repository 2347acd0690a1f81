"""Writes to the catalog: the category tree, products and imports."""

import csv
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog import tasks
from catalog.importing.columns import CANONICAL_HEADER, catalog_table_open, columns_map
from catalog.importing.mapping import import_header_resolve
from catalog.importing.messages import file_too_large_message, message_for
from catalog.importing.rows import validate_record
from catalog.models import (
    ACTIVE_IMPORT_STATUSES,
    Category,
    ImportJob,
    ImportMode,
    ImportPhase,
    ImportStatus,
    Product,
)
from catalog.selectors import product_lookups
from portal.errors import ConflictError
from portal.tabular import PreviewIncomplete, file_sha256
from sellers.models import Seller, User

CATEGORIES_CSV = Path(__file__).resolve().parent / "data" / "categories.csv"


@transaction.atomic
def categories_load(*, path: Path = CATEGORIES_CSV) -> int:
    """Create or update the category tree from a CSV (code, parent, name_en/ru/uz/zh).

    Repeatable: codes already present are updated, none are deleted. Returns the row count.
    """
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    by_code = {c.code: c for c in Category.objects.all()}
    parents = {row["parent"] for row in rows if row["parent"]}
    for row in rows:  # parents come before children in the file
        fields = {
            "parent": by_code[row["parent"]] if row["parent"] else None,
            "name_en": row["name_en"],
            "name_ru": row["name_ru"],
            "name_uz": row["name_uz"],
            "name_zh": row["name_zh"],
            "is_leaf": row["code"] not in parents,
        }
        category, _created = Category.objects.update_or_create(code=row["code"], defaults=fields)
        by_code[category.code] = category
    return len(rows)


# --- who may change a catalog ---------------------------------------------------------------


def seller_require_approved(*, seller: Seller, by_import: bool) -> None:
    """Only approved sellers change their catalog, by hand or by import (ConflictError).

    The import says so with the file-level error the pipeline records when a seller is
    suspended while its job waits, so the two read the same.
    """
    if not seller.can_import:
        raise ConflictError(
            message_for("seller_not_approved")
            if by_import
            else _("Only approved sellers can change their catalog.")
        )


# --- products -------------------------------------------------------------------------------


def _values_or_errors(*, seller: Seller, record: dict[str, Any]) -> dict[str, Any]:
    values, problems = validate_record(record, product_lookups(seller=seller))
    errors: dict[str, list[str]] = {}
    for problem in problems:
        if problem.severity == "error":
            errors.setdefault(problem.column or "", []).append(
                message_for(problem.code, problem.params)
            )
    if values is None:
        raise ValidationError(errors)
    return values


def _product_record(product: Product) -> dict[str, Any]:
    """A stored product as the row rules read it (canonical column -> value); the brand and
    the category by the name and code a file would give."""
    record = {name: getattr(product, name) for name in CANONICAL_HEADER}
    record["brand"] = product.brand.name if product.brand else ""
    record["category"] = product.category.code
    return record


def _sku_taken_error(sku: str) -> ValidationError:
    return ValidationError(
        {"sku": [_("A product with SKU %(sku)s already exists.") % {"sku": sku}]}
    )


def product_create(*, seller: Seller, data: dict[str, Any]) -> Product:
    """Create one product through the same row rules as the import."""
    seller_require_approved(seller=seller, by_import=False)
    values = _values_or_errors(seller=seller, record=data)
    if Product.objects.filter(seller=seller, sku=values["sku"]).exists():
        raise _sku_taken_error(values["sku"])
    try:
        with transaction.atomic():
            return Product.objects.create(seller=seller, **values)
    except IntegrityError:
        raise _sku_taken_error(values["sku"]) from None


def product_update(*, seller: Seller, product: Product, data: dict[str, Any]) -> Product:
    """Change some fields of a product (a partial update), checked by the row rules."""
    if product.seller_id != seller.pk:
        raise Http404
    seller_require_approved(seller=seller, by_import=False)
    record = _product_record(product)
    record.update(data)
    values = _values_or_errors(seller=seller, record=record)
    if (
        values["sku"] != product.sku
        and Product.objects.filter(seller=seller, sku=values["sku"]).exists()
    ):
        raise _sku_taken_error(values["sku"])
    for name, value in values.items():
        setattr(product, name, value)
    product.updated_at = timezone.now()
    try:
        with transaction.atomic():
            product.save()
    except IntegrityError:
        raise _sku_taken_error(values["sku"]) from None
    return product


def product_delete(*, seller: Seller, product: Product, by_staff: bool = False) -> None:
    """Remove a product: the seller only while approved; operations staff (moderation) always."""
    if product.seller_id != seller.pk:
        raise Http404
    if not by_staff:
        seller_require_approved(seller=seller, by_import=False)
    product.delete()


def product_delete_selected(*, seller: Seller, skus: list[str]) -> int:
    """Remove the seller's products with these SKUs (others' SKUs match nothing); only while
    approved (ConflictError). Returns how many were removed."""
    seller_require_approved(seller=seller, by_import=False)
    _total, by_model = Product.objects.filter(seller=seller, sku__in=skus).delete()
    return by_model.get(Product._meta.label, 0)


# --- imports --------------------------------------------------------------------------------


def import_file_check(*, file: Any) -> dict[str, Any]:
    """Open the file and map its header: TableError unless it can be imported at all.

    Cheap, so an upload answers at once: the archive's directory, the header and the first
    row, within a small budget. A workbook whose first rows need more (a shared-strings bomb
    names its last string there) is left to the worker, under its time limit, to check and
    import or fail. Returns what was detected.
    """
    try:
        with catalog_table_open(file, header_only=True) as table:
            columns_map(table.header)
            return table.detected
    except PreviewIncomplete as incomplete:
        return incomplete.detected


def import_job_create(
    *,
    seller: Seller,
    user: User | None,
    file: Any,
    mode: str = ImportMode.VALIDATE,
    enqueue: bool = True,
    mapping: Any = None,
) -> tuple[ImportJob, bool]:
    """Store an uploaded catalog file as a queued import and send it to a worker on commit.

    Returns (job, created). While an identical file (same SHA-256) of this seller is queued or
    running, that job is returned with created=False (a double click, two tabs, an API retry).
    Refuses non-approved sellers (ConflictError) and files that cannot be imported at all
    (ValidationError on "file": empty, no rows, wrong type, missing columns, ...).
    """
    seller_require_approved(seller=seller, by_import=True)
    if mode not in ImportMode.values:
        raise ValidationError({"mode": [_("Choose “validate” or “commit”.")]})
    if getattr(file, "size", 0) > settings.CATALOG_UPLOAD_MAX_BYTES:
        raise ValidationError({"file": [file_too_large_message()]})
    sha256 = file_sha256(file)
    active = ImportJob.objects.filter(
        seller=seller, sha256=sha256, status__in=ACTIVE_IMPORT_STATUSES
    ).first()
    if active is not None:
        return active, False
    # The header mapped (a `mapping` {file column: field} checked and remembered, or the one
    # remembered for this header applied): catalog/importing/mapping.py.
    header = import_header_resolve(seller=seller, file=file, mapping=mapping)
    file.seek(0)
    filename = _display_name(getattr(file, "name", "") or "")
    job = ImportJob(
        seller=seller,
        created_by=user if user is not None and user.is_authenticated else None,
        mode=mode,
        filename=filename,
        size=getattr(file, "size", 0) or 0,
        sha256=sha256,
        detected=header.detected,
        header_signature=header.signature,
        mapping=header.mapping,
        mapping_applied=header.applied,
    )
    job.file.save("upload", file, save=False)  # the name comes from import_upload_to
    try:
        with transaction.atomic():
            job.save()
    except IntegrityError:
        job.file.delete(save=False)
        active = ImportJob.objects.filter(
            seller=seller, sha256=sha256, status__in=ACTIVE_IMPORT_STATUSES
        ).first()
        if active is None:
            raise
        return active, False
    if enqueue:
        import_job_enqueue(job=job)
    return job, True


def _display_name(name: str) -> str:
    """The name as sent, for display only: path parts and control characters dropped."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable())
    return name[:255]


def import_job_commit(*, job: ImportJob, user: User | None) -> ImportJob:
    """Apply a validated import: queue it again in commit mode (409 unless validated)."""
    seller_require_approved(seller=job.seller, by_import=True)
    try:
        with transaction.atomic():
            changed = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.VALIDATED).update(
                status=ImportStatus.QUEUED,
                mode=ImportMode.COMMIT,
                # Checked by the preview: progress moves on from there, never back to 0.
                phase=ImportPhase.WRITING,
                attempts=0,
                lease_owner="",
                lease_until=None,
                started_at=None,
                finished_at=None,
                error_code="",
                error_params={},
            )
    except IntegrityError:
        raise ConflictError(_("An import of this file is already in progress.")) from None
    if not changed:
        raise ConflictError(_("Only a validated import can be committed."))
    job.refresh_from_db()
    import_job_enqueue(job=job)
    return job


def import_job_enqueue(*, job: ImportJob) -> None:
    """Send the job to a worker once the current transaction commits (never for a rollback)."""
    job_id = job.pk
    transaction.on_commit(lambda: tasks.import_job_send(job_id))

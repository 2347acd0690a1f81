"""Writes to the catalog: the category tree, products and imports."""

import csv
import hashlib
import logging
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.importing.columns import looks_like_header
from catalog.importing.messages import message_for
from catalog.importing.readers import FileError, open_table
from catalog.importing.rows import Lookups, validate_record
from catalog.models import (
    ACTIVE_IMPORT_STATUSES,
    Category,
    ImportJob,
    ImportMode,
    ImportStatus,
    Product,
)
from portal.errors import ConflictError
from sellers.models import Seller, User

logger = logging.getLogger(__name__)

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


# --- products -------------------------------------------------------------------------------


def product_lookups(*, seller: Seller) -> Lookups:
    """What the row rules check a product against: this seller's brands and the category tree."""
    from sellers.selectors import brand_lookup_for_seller

    brands = brand_lookup_for_seller(seller=seller)
    return Lookups(
        brands={key: brand.pk for key, brand in brands.items()},
        brand_names=sorted({brand.name for brand in brands.values()}),
        categories={
            code: (pk, is_leaf)
            for code, pk, is_leaf in Category.objects.values_list("code", "pk", "is_leaf")
        },
    )


def _values_or_errors(*, seller: Seller, record: dict[str, Any]) -> dict[str, Any]:
    values, problems = validate_record(record, product_lookups(seller=seller))
    errors: dict[str, list[str]] = {}
    for problem in problems:
        if problem.severity == "error":
            errors.setdefault(problem.column, []).append(message_for(problem.code, problem.params))
    if values is None:
        raise ValidationError(errors)
    return values


def _product_record(product: Product) -> dict[str, Any]:
    """A stored product as the row rules read it (canonical column -> text)."""
    return {
        "sku": product.sku,
        "title_uz": product.title_uz,
        "title_ru": product.title_ru,
        "description_uz": product.description_uz,
        "description_ru": product.description_ru,
        "brand": product.brand.name if product.brand else "",
        "category": product.category.code,
        "price_uzs": product.price_uzs,
        "stock": product.stock,
        "barcode": product.barcode,
        "ikpu": product.ikpu,
        "weight_g": product.weight_g,
        "image_urls": product.image_urls,
        "length_mm": product.length_mm,
        "width_mm": product.width_mm,
        "height_mm": product.height_mm,
    }


def _sku_taken_error(sku: str) -> ValidationError:
    return ValidationError(
        {"sku": [_("A product with SKU %(sku)s already exists.") % {"sku": sku}]}
    )


def product_create(*, seller: Seller, data: dict[str, Any]) -> Product:
    """Create one product through the same row rules as the import."""
    _require_approved(seller)
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
    _require_approved(seller)
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


def product_delete(*, seller: Seller, product: Product) -> None:
    if product.seller_id != seller.pk:
        raise Http404
    product.delete()


def _require_approved(seller: Seller) -> None:
    if not seller.can_import:
        raise ConflictError(_("Only approved sellers can change their catalog."))


# --- imports --------------------------------------------------------------------------------


def _sha256(file: Any) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in (
        file.chunks() if hasattr(file, "chunks") else iter(lambda: file.read(1 << 20), b"")
    ):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def import_file_check(*, file: Any) -> dict[str, Any]:
    """Open the file and map its header: FileError unless it can be imported at all.

    Cheap (reads the first rows only); the worker reads the rest. Returns what was detected.
    """
    from catalog.importing.columns import columns_map

    with open_table(file, is_header=looks_like_header) as table:
        columns_map(table.header)
        return table.detected


def import_job_create(
    *,
    seller: Seller,
    user: User | None,
    file: Any,
    mode: str = ImportMode.VALIDATE,
    enqueue: bool = True,
) -> tuple[ImportJob, bool]:
    """Store an uploaded catalog file as a queued import and send it to a worker on commit.

    Returns (job, created). While an identical file (same SHA-256) of this seller is queued or
    running, that job is returned with created=False (a double click, two tabs, an API retry).
    Refuses non-approved sellers (ConflictError) and files that cannot be imported at all
    (ValidationError on "file": empty, no rows, wrong type, missing columns, ...).
    """
    if not seller.can_import:
        raise ConflictError(_("Only approved sellers can import catalogs."))
    if mode not in ImportMode.values:
        raise ValidationError({"mode": [_("Choose “validate” or “commit”.")]})
    limit = settings.CATALOG_UPLOAD_MAX_BYTES
    if getattr(file, "size", 0) > limit:
        raise ValidationError(
            {"file": [message_for("file_too_large", {"max": filesizeformat(limit)})]}
        )
    sha256 = _sha256(file)
    active = ImportJob.objects.filter(
        seller=seller, sha256=sha256, status__in=ACTIVE_IMPORT_STATUSES
    ).first()
    if active is not None:
        return active, False
    try:
        detected = import_file_check(file=file)
    except FileError as error:
        raise ValidationError({"file": [error.message]}) from None
    file.seek(0)
    filename = _display_name(getattr(file, "name", "") or "")
    job = ImportJob(
        seller=seller,
        created_by=user if user is not None and user.is_authenticated else None,
        mode=mode,
        filename=filename,
        size=getattr(file, "size", 0) or 0,
        sha256=sha256,
        detected=detected,
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
    if not job.seller.can_import:
        raise ConflictError(_("Only approved sellers can import catalogs."))
    try:
        with transaction.atomic():
            changed = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.VALIDATED).update(
                status=ImportStatus.QUEUED,
                mode=ImportMode.COMMIT,
                processed_rows=0,
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
    transaction.on_commit(lambda: import_job_send(job_id=job_id))


def import_job_send(*, job_id: int) -> bool:
    """Publish the task; a broker outage is logged, the job stays queued for the sweep."""
    from catalog.tasks import import_job_run

    try:
        import_job_run.delay(job_id)
    except Exception:  # the broker being down must never fail the upload
        logger.warning("could not send import job %s to the broker", job_id, exc_info=True)
        return False
    ImportJob.objects.filter(pk=job_id).update(enqueued_at=timezone.now())
    return True


def import_jobs_sweep(*, resend_after: int = 120) -> dict[str, int]:
    """Re-send queued jobs never delivered (broker down) and running jobs whose lease expired.

    A job started too many times is failed with a message instead. Sending twice is harmless:
    the lease lets only one execution run.
    """
    from catalog.importing.pipeline import import_job_fail, max_attempts

    now = timezone.now()
    stale = now - timedelta(seconds=resend_after)
    sent = failed = 0
    queued = ImportJob.objects.filter(
        status=ImportStatus.QUEUED, created_at__lt=now - timedelta(seconds=5)
    ).filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=stale))
    expired = ImportJob.objects.filter(status=ImportStatus.RUNNING).filter(
        Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    )
    for job_id, attempts, status in list(
        queued.values_list("pk", "attempts", "status")[:500]
    ) + list(expired.values_list("pk", "attempts", "status")[:500]):
        if status == ImportStatus.RUNNING and attempts >= max_attempts():
            if import_job_fail(
                job_id=job_id, owner=None, code="too_many_attempts", params={"attempts": attempts}
            ):
                failed += 1
            continue
        if import_job_send(job_id=job_id):
            sent += 1
    return {"sent": sent, "failed": failed}

"""Writes to the catalog: the category tree, products and imports."""

import csv
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog import tasks
from catalog.attribute_values import params_in_language
from catalog.cards import (
    CARD_FIELDS,
    CardRules,
    CategoryRules,
    attributes_parse,
    card_rules_load,
    card_values_give,
    product_readiness,
    readiness_fields,
)
from catalog.importing.columns import (
    CANONICAL_HEADER,
    catalog_table_open,
    column_label,
    columns_map,
)
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
from portal.tabular.table import INVISIBLE
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


def _values_or_errors(
    *, seller: Seller, record: dict[str, Any], rules: CardRules, attributes_sent: bool = True
) -> dict[str, Any]:
    """The model field values of a product record, characteristics included, or a
    ValidationError of every field's problems in the request's language.

    `attributes` ({characteristic code or name in any language: value}) are checked against the
    record's category; with `attributes_sent=False` (a PATCH that leaves them alone) the stored
    ones that are no characteristic of the category any more are dropped quietly.
    """
    record = dict(record)
    raw = record.pop("attributes", None)
    lookups = product_lookups(seller=seller)
    values, problems = validate_record(record, lookups)
    errors: dict[str, list[str]] = {}
    for problem in problems:
        if problem.severity == "error":
            errors.setdefault(problem.column or "", []).append(
                message_for(problem.code, problem.params)
            )
    found = lookups.categories.get(str(record.get("category") or "").strip())
    category = rules.for_category(found[0]) if found else None
    attributes: dict[str, Any] = {}
    if raw is not None and not isinstance(raw, Mapping):
        errors.setdefault("attributes", []).append(
            _("Send the characteristics as an object: {characteristic: value}.")
        )
    elif raw and category is not None:
        if not attributes_sent:
            raw = {code: value for code, value in raw.items() if code in category.attributes}
        attributes, attribute_problems = _attributes_checked(raw, category, rules)
        if attribute_problems:
            errors.setdefault("attributes", []).extend(attribute_problems)
    if values is None or errors:
        raise ValidationError(errors)
    values["attributes"] = attributes
    return values


def _attributes_checked(
    raw: Mapping[str, Any], category: CategoryRules, rules: CardRules
) -> tuple[dict[str, Any], list[str]]:
    """Characteristics as stored, and the messages of those refused (each names its value)."""
    scalar = {k: v for k, v in raw.items() if v is None or isinstance(v, str | int | float)}
    messages = [
        _("“%(attribute)s”: send a single value (text, a number or true/false).")
        % {"attribute": INVISIBLE.sub("\ufffd", str(name))}
        for name in raw
        if name not in scalar
    ]
    # A name several characteristics share is the category's: "Size" is the shoe size of
    # sneakers and the clothing size of a shirt (attributes_parse picks it).
    values, problems = attributes_parse(scalar, category, rules)
    messages += [message_for(problem.code, problem.params) for problem in problems]
    return values, messages


def _product_record(product: Product) -> dict[str, Any]:
    """A stored product as the row rules read it (canonical column -> value); the brand and
    the category by the name and code a file would give."""
    record = {name: getattr(product, name) for name in CANONICAL_HEADER}
    record["brand"] = product.brand.name if product.brand else ""
    record["category"] = product.category.code
    record["attributes"] = dict(product.attributes or {})
    return record


def _sku_taken_error(sku: str) -> ValidationError:
    return ValidationError(
        {"sku": [_("A product with SKU %(sku)s already exists.") % {"sku": sku}]}
    )


# --- cards: the variants of one group ---------------------------------------------------------


def _card_differences(values: dict[str, Any], variant: Product) -> list[str]:
    """The card-level fields (CARD_FIELDS) where the values differ from a stored variant."""
    return [name for name in CARD_FIELDS if values[name] != getattr(variant, name)]


def _group_mismatch(group: str, variant: Product, fields: list[str]) -> ValidationError:
    names = [name.removesuffix("_id") for name in fields]
    message = _(
        "Card “%(group)s” already has variant %(sku)s, and every variant of a card shares its "
        "%(fields)s. Send the card's values, change them on the card (a change to one variant "
        "changes them all), or give this product another card code."
    ) % {"group": group, "sku": variant.sku, "fields": ", ".join(column_label(n) for n in names)}
    return ValidationError({names[0]: [message], "group": [message]})


def _variant_check(*, values: dict[str, Any], siblings: list[Product], rules: CardRules) -> None:
    """A variant of a group has its axis values, and a combination no other variant has."""
    group = values["group"]
    category = rules.for_category(values["category_id"])
    axes = category.axes if category else ()
    if not axes:
        return
    attributes = values["attributes"]
    missing = [code for code in axes if attributes.get(code) in (None, "")]
    names = [str(params_in_language({"n": rules.attributes[c].names})["n"]) for c in axes]
    if missing:
        message = _(
            "The variants of card “%(group)s” differ by %(axes)s: fill in “%(attribute)s” for "
            "this one."
        ) % {"group": group, "axes": ", ".join(names), "attribute": names[axes.index(missing[0])]}
        raise ValidationError({"attributes": [message]})
    key = [attributes.get(code) for code in axes]
    for sibling in siblings:
        if [(sibling.attributes or {}).get(code) for code in axes] == key:
            message = _(
                "Variant %(sku)s of card “%(group)s” already has these %(axes)s (%(values)s). "
                "Each variant needs its own combination."
            ) % {
                "sku": sibling.sku,
                "group": group,
                "axes": ", ".join(names),
                "values": ", ".join(
                    _option_name(rules, code, value) for code, value in zip(axes, key, strict=True)
                ),
            }
            raise ValidationError({"attributes": [message]})


def _option_name(rules: CardRules, code: str, value: Any) -> str:
    """An enum value's name in the reader's language (its option code otherwise)."""
    options = rules.attributes[code].options
    order = list(dict.fromkeys(options.codes.values()))  # the codes, in option order
    names = params_in_language({"n": {k: list(v) for k, v in options.names.items()}})["n"]
    if value in order and isinstance(names, list) and order.index(value) < len(names):
        return str(names[order.index(value)])
    return str(value)


def _siblings(*, seller: Seller, group: str, exclude: int | None = None) -> list[Product]:
    """The other variants of a group, locked for this transaction (first by SKU first)."""
    if not group:
        return []
    products = Product.objects.select_for_update().filter(seller=seller, group=group)
    if exclude is not None:
        products = products.exclude(pk=exclude)
    return list(products.order_by("sku"))


def _readiness_store(values: dict[str, Any], rules: CardRules) -> None:
    values.update(readiness_fields(product_readiness(values, rules)))


def product_create(*, seller: Seller, data: dict[str, Any]) -> Product:
    """Create one product (a variant) through the same row rules as the import, with its
    characteristics and its readiness; a variant of an existing card has the card's values."""
    seller_require_approved(seller=seller, by_import=False)
    rules = card_rules_load()
    values = _values_or_errors(seller=seller, record=data, rules=rules)
    if Product.objects.filter(seller=seller, sku=values["sku"]).exists():
        raise _sku_taken_error(values["sku"])
    _readiness_store(values, rules)
    try:
        with transaction.atomic():
            siblings = _siblings(seller=seller, group=values["group"])
            if siblings:
                fields = _card_differences(values, siblings[0])
                if fields:
                    raise _group_mismatch(values["group"], siblings[0], fields)
            if values["group"]:
                _variant_check(values=values, siblings=siblings, rules=rules)
            return Product.objects.create(seller=seller, **values)
    except IntegrityError:
        raise _sku_taken_error(values["sku"]) from None


def product_update(*, seller: Seller, product: Product, data: dict[str, Any]) -> Product:
    """Change some fields of a product (a partial update), checked by the row rules.

    A change of a card-level field (CARD_FIELDS) is made on every variant of the product's
    card, in one transaction, and their readiness checked again; moving the product to
    another card needs that card's values.
    """
    if product.seller_id != seller.pk:
        raise Http404
    seller_require_approved(seller=seller, by_import=False)
    rules = card_rules_load()
    record = _product_record(product)
    record.update(data)
    values = _values_or_errors(
        seller=seller, record=record, rules=rules, attributes_sent="attributes" in data
    )
    if (
        values["sku"] != product.sku
        and Product.objects.filter(seller=seller, sku=values["sku"]).exists()
    ):
        raise _sku_taken_error(values["sku"])
    changed = _card_differences(values, product)
    same_card = values["group"] == product.group
    _readiness_store(values, rules)
    try:
        with transaction.atomic():
            siblings = _siblings(seller=seller, group=values["group"], exclude=product.pk)
            if siblings and not same_card:
                fields = _card_differences(values, siblings[0])
                if fields:
                    raise _group_mismatch(values["group"], siblings[0], fields)
            if values["group"]:
                _variant_check(values=values, siblings=siblings, rules=rules)
            now = timezone.now()
            for name, value in values.items():
                setattr(product, name, value)
            product.updated_at = now
            product.save()
            if siblings and changed and same_card:
                card_values_give(siblings, values, rules, now)
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
    transliterate: bool = True,
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
        transliterate=bool(transliterate),
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

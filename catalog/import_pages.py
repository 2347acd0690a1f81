"""What the import pages show of a job: the preview a seller can act on (errors grouped by cause,
the paged row list, what was understood, the phases) and the column mapping offer."""

from math import ceil
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from catalog.importing.columns import (
    ALIASES,
    COLUMNS,
    COLUMNS_BY_NAME,
    catalog_table_open,
    column_label,
    columns_map,
)
from catalog.importing.mapping import MissingColumns
from catalog.importing.preview import (
    column_labels,
    encoding_label,
    error_summary_total,
    first_problems,
    import_job_error_summary,
    phase_steps,
)
from catalog.models import ImportJob, ImportStatus
from catalog.readiness import RULES
from portal.tabular import TableError, header_key

PROBLEMS_PER_PAGE = 50
MAPPING_FIELD_PREFIX = "map-"


def brand_request_url() -> str:
    """The page where a seller requests a brand ("" while no such page is installed)."""
    for name in ("sellers:brand-add", "brand-add"):
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return ""


def _page_number(raw: Any, pages: int) -> int:
    try:
        number = int(raw)
    except (TypeError, ValueError):
        number = 1
    return min(max(number, 1), pages)


def _groups(job: ImportJob) -> list[dict[str, Any]]:
    groups = import_job_error_summary(job=job)
    request_url = brand_request_url()
    for group in groups:
        if group["code"] == "unknown_brand" and request_url:
            for example in group["examples"]:
                example["request_url"] = f"{request_url}?{urlencode({'name': example['value']})}"
    return groups


def _understood(job: ImportJob) -> dict[str, Any]:
    columns = job.columns or {}
    mapped = [{**item, "label": column_label(item["field"])} for item in columns.get("mapped", [])]
    fields = {item["field"] for item in mapped}
    shown = [column.name for column in COLUMNS if column.name in fields]
    return {
        "mapped_columns": mapped,
        "unmapped_columns": columns.get("unmapped", []),
        "ignored_columns": columns.get("ignored", []),
        "sample_fields": [{"name": name, "label": column_label(name)} for name in shown],
        "sample_rows": [
            {"row": row.get("row"), "cells": [_cell(row.get(name)) for name in shown]}
            for row in job.sample_rows or []
        ],
    }


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " | ".join(str(v) for v in value)
    return str(value)


def preview_context(job: ImportJob, page: Any = None) -> dict[str, Any]:
    """Everything the job's page shows; two queries once the job is finished (the grouped
    summary and one page of the row list), none before."""
    context: dict[str, Any] = {
        "steps": phase_steps(job),
        "encoding_label": encoding_label((job.detected or {}).get("encoding")),
        "nothing_to_commit": not (job.created_count or job.updated_count),
        "groups": [],
        "readiness_groups": [],
        "first_errors": [],
        **_understood(job),
    }
    if not job.is_finished:
        return context
    # Rejected rows and file problems first; the readiness issues of accepted rows (a card
    # file's) on their own, so a catalogue's "add features" never hides a rejected row.
    found = _groups(job)
    groups = [group for group in found if group["code"] not in RULES]
    total = error_summary_total(groups)
    pages = max(1, ceil(total / PROBLEMS_PER_PAGE))
    number = _page_number(page, pages)
    problems = (
        first_problems(job=job, offset=(number - 1) * PROBLEMS_PER_PAGE, limit=PROBLEMS_PER_PAGE)
        if total
        else []
    )
    labels = column_labels(error.column for error in problems)
    context.update(
        groups=groups,
        readiness_groups=[group for group in found if group["code"] in RULES],
        problems_total=total,
        problems_page=number,
        problems_pages=pages,
        problems_previous=number - 1 if number > 1 else None,
        problems_next=number + 1 if number < pages else None,
        first_errors=[
            {
                "row": error.row,
                "column_label": labels.get(error.column, ""),
                "message": error.message,
                "severity": error.severity,
            }
            for error in problems
        ],
    )
    return context


# --- the column mapping offer ---------------------------------------------------------------


def mapping_from_post(data: QueryDict) -> dict[str, str]:
    """The page's selects (`map-<field>` = file column) as {file column: field}; a column chosen
    for two fields is refused on "mapping" (nothing is stored)."""
    mapping: dict[str, str] = {}
    for name in COLUMNS_BY_NAME:
        column = (data.get(MAPPING_FIELD_PREFIX + name) or "").strip()
        if not column:
            continue
        if column in mapping:
            raise ValidationError(
                {
                    "mapping": [
                        _("Column “{column}” is chosen for both {first} and {second}.").format(
                            column=column,
                            first=column_label(mapping[column]),
                            second=column_label(name),
                        )
                    ]
                }
            )
        mapping[column] = name
    return mapping


def mapping_offer(
    missing: list[str], columns: list[str], chosen: dict[str, str] | None = None
) -> dict[str, Any] | None:
    """One select per missing field listing the file's columns, the ones no alias knows
    first; None when the file has no column to offer."""
    unknown = [c for c in columns if header_key(c) not in ALIASES]
    if not missing or not unknown:
        return None
    known = [c for c in columns if c not in unknown]
    by_field = {field: column for column, field in (chosen or {}).items()}
    return {
        "fields": [
            {
                "name": name,
                "input": MAPPING_FIELD_PREFIX + name,
                "label": column_label(name),
                "chosen": by_field.get(name, ""),
            }
            for name in missing
        ],
        "columns": unknown + known,
    }


def mapping_offer_for_error(
    error: MissingColumns, chosen: dict[str, str] | None = None
) -> dict[str, Any] | None:
    return mapping_offer(error.missing, error.columns, chosen)


def mapping_offer_for_job(job: ImportJob) -> dict[str, Any] | None:
    """For a job that failed on missing columns: the offer, from its stored file's header."""
    if job.status != ImportStatus.FAILED or job.error_code != "missing_columns":
        return None
    try:
        with job.file.open("rb") as handle, catalog_table_open(handle, header_only=True) as table:
            header = table.header
    except (OSError, ValueError, TableError):
        return None
    try:
        columns_map(header, job.mapping)
    except TableError as error:
        if error.code != "missing_columns":
            return None
        return mapping_offer(
            list(error.params.get("columns", [])),
            [cell.strip() for cell in header if cell.strip()],
            job.mapping,
        )
    return None

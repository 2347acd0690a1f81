"""What an import understood and found, for a seller to act on: the header as mapped, the first
rows as they will be stored, the encoding by name, the phases, the row errors grouped by cause."""

from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from catalog.attribute_values import LANGUAGES, params_in_language
from catalog.importing.columns import COLUMNS_BY_NAME, ColumnMap, column_label
from catalog.importing.messages import FIXES, message_for
from catalog.importing.rows import Lookups
from catalog.importing.writers import Stager
from catalog.models import Attribute, ImportJob, ImportPhase, RowError
from catalog.readiness import RULES
from portal.tabular import Problem
from portal.tabular.table import INVISIBLE

SAMPLE_ROWS = 5
NAME_FIELDS = tuple(f"name_{language}" for language in LANGUAGES)
EXAMPLES_PER_GROUP = 5
# The codec names the readers report (portal.tabular.encodings), as people know them.
ENCODING_NAMES = {
    "utf-8": _("UTF-8"),
    "utf-8-sig": _("UTF-8 with BOM"),
    "utf-16": _("UTF-16 (Excel “Unicode text”)"),
    "utf-16-le": _("UTF-16 (Excel “Unicode text”)"),
    "utf-16-be": _("UTF-16 (Excel “Unicode text”)"),
    "utf-32": _("UTF-32"),
    "gb18030": _("GB18030 (Simplified Chinese)"),
    "gbk": _("GBK (Simplified Chinese)"),
    "cp1251": _("Windows-1251 (Cyrillic)"),
}
PHASE_ORDER = (ImportPhase.READING, ImportPhase.CHECKING, ImportPhase.WRITING)


def encoding_label(codec: str | None) -> str:
    """The encoding's human name in the active language ("" for a workbook)."""
    if not codec:
        return ""
    return str(ENCODING_NAMES.get(codec.lower(), codec))


# --- phases ---------------------------------------------------------------------------------


def import_job_phase_advance(*, job_id: int, phase: str) -> None:
    """Move a job to `phase` unless it is already there or further: progress never goes back
    (a commit after a preview starts at "writing" and stays there)."""
    later = PHASE_ORDER[PHASE_ORDER.index(ImportPhase(phase)) :]
    ImportJob.objects.filter(pk=job_id).exclude(phase__in=later).update(phase=phase)


def phase_steps(job: ImportJob) -> list[dict[str, Any]]:
    """The phases a job goes through, each `done`, `current` or `pending`, for the page."""
    steps = [ImportPhase.READING, ImportPhase.CHECKING]
    if job.mode == "commit":
        steps.append(ImportPhase.WRITING)
    if job.status in ("validated", "completed"):
        current = len(steps)
    elif job.status == "running" and job.phase in steps:
        current = steps.index(ImportPhase(job.phase))
    elif job.phase == ImportPhase.WRITING:  # a commit of a preview, queued: checked already
        current = steps.index(ImportPhase.WRITING)
    else:
        current = 0 if job.status != "failed" else -1
    return [
        {
            "phase": step.value,
            "label": step.label,
            "state": "done" if i < current else ("current" if i == current else "pending"),
        }
        for i, step in enumerate(steps)
    ]


# --- what was understood --------------------------------------------------------------------


def _cell_text(cell: str) -> str:
    return INVISIBLE.sub("", cell).strip()[:100]


def understood_columns(header: list[str], column_map: ColumnMap) -> dict[str, Any]:
    """The header as read: each file column with the field it fills, and the columns left out."""
    by_position = {position: name for name, position in column_map.index.items()}
    mapped = [
        {"column": _cell_text(cell) or f"#{i + 1}", "field": by_position[i]}
        for i, cell in enumerate(header)
        if i in by_position
    ]
    return {
        "mapped": mapped,
        # Characteristics' columns: the file column and the characteristic's code.
        "attributes": [
            {
                "column": _cell_text(header[position]) or f"#{position + 1}",
                # the characteristic's code; a name several share ("Size") lists them all
                "code": "|".join(spec.code for spec in candidates),
            }
            for position, candidates in sorted(column_map.attributes.items())
        ],
        "unmapped": [_cell_text(c) for c in column_map.unknown],
        "ignored": [_cell_text(c) for c in column_map.ignored],
    }


def _json_value(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool, list, dict)):
        return value
    return str(value)


class RowSample(Stager):
    """Passes rows on to the stager, keeping the first valid ones as they will be stored
    (brand and category by the name and code the seller knows)."""

    def __init__(self, stager: Stager, lookups: Lookups) -> None:
        super().__init__(job=stager.job)
        self.stager = stager
        self.lookups = lookups
        self.rows: list[dict[str, Any]] = []

    def add(
        self, number: int, sku: str, values: dict[str, Any] | None, problems: list[Problem]
    ) -> None:
        self.stager.add(number, sku, values, problems)
        if values is not None and len(self.rows) < SAMPLE_ROWS:
            self.rows.append(self._stored(number, values))

    def _stored(self, number: int, values: dict[str, Any]) -> dict[str, Any]:
        brands = {pk: name for name, pk in self.lookups.brands.items()}
        names = {name.lower(): name for name in self.lookups.brand_names}
        categories = {pk: code for code, (pk, _leaf) in self.lookups.categories.items()}
        stored: dict[str, Any] = {"row": number}
        for name in COLUMNS_BY_NAME:
            if name == "brand":
                key = brands.get(values["brand_id"], "")
                stored[name] = names.get(key, key)
            elif name == "category":
                stored[name] = categories.get(values["category_id"], "")
            else:
                stored[name] = _json_value(values.get(name))
        stored["attributes"] = _json_value(values.get("attributes") or {})
        stored["readiness_state"] = values.get("readiness_state", "")
        return stored


# --- errors grouped by cause ----------------------------------------------------------------

# One GROUP BY over the job's row errors: per (code, column, severity, offending value) a count;
# windows add each cause's total and number of distinct values and rank its values, so only the
# most frequent few come back, whatever the number of rows.
ERROR_SUMMARY_SQL = """
    SELECT code, "column", severity, value, n, total, distinct_values FROM (
        SELECT code, "column", severity, value, n,
               SUM(n) OVER (PARTITION BY code, "column", severity) AS total,
               COUNT(*) OVER (PARTITION BY code, "column", severity) AS distinct_values,
               ROW_NUMBER() OVER (
                   PARTITION BY code, "column", severity ORDER BY n DESC, value
               ) AS rank
        FROM (
            SELECT code, "column", severity, {value} AS value, COUNT(*) AS n
            FROM catalog_rowerror WHERE job_id = %s
            GROUP BY code, "column", severity, {value}
        ) grouped
    ) ranked
    WHERE rank <= %s
    ORDER BY severity, total DESC, code, "column", rank
"""


def _summary_sql() -> str:
    value = "params->>'value'" if connection.vendor == "postgresql" else "params ->> '$.value'"
    return ERROR_SUMMARY_SQL.format(value=value)


def import_job_error_summary(*, job: ImportJob) -> list[dict[str, Any]]:
    """The job's row errors grouped by cause (code and column), errors before warnings, the
    largest first: `{code, column, severity, count, distinct, examples: [{value, count}],
    message}`, the message saying what to do, in the active language. One query."""
    with connection.cursor() as cursor:
        cursor.execute(_summary_sql(), [job.pk, EXAMPLES_PER_GROUP])
        found = cursor.fetchall()
    groups: list[dict[str, Any]] = []
    for code, column, severity, value, n, total, distinct in found:
        if not groups or (groups[-1]["code"], groups[-1]["column"], groups[-1]["severity"]) != (
            code,
            column,
            severity,
        ):
            groups.append(
                {
                    "code": code,
                    "column": column,
                    "severity": severity,
                    "count": int(total),
                    "distinct": int(distinct),
                    "examples": [],
                }
            )
        if value is not None and value != "":
            groups[-1]["examples"].append({"value": str(value), "count": int(n)})
    labels = column_labels(group["column"] for group in groups)
    for group in groups:
        group["column_label"] = labels.get(group["column"], "")
        group["message"] = group_message(group)
    return groups


def column_labels(columns: Iterable[str | None]) -> dict[str, str]:
    """Each column's name for people in the active language, its code in brackets: a catalog
    column's label, or a characteristic's name (one query, only when there are some)."""
    labels = {column: column_label(column) for column in columns if column}
    codes = [column for column in labels if column not in COLUMNS_BY_NAME]
    if codes:
        for row in Attribute.objects.filter(code__in=codes).values("code", *NAME_FIELDS):
            names = {language: row[f"name_{language}"] for language in LANGUAGES}
            labels[row["code"]] = f"{params_in_language({'name': names})['name']} ({row['code']})"
    return labels


def group_message(group: dict[str, Any]) -> str:
    """ "12 rows · Barcode: in scientific notation; format the column as text." """
    count = group["count"]
    rows = ngettext("%(count)s row", "%(count)s rows", count) % {"count": count}
    fix = FIXES.get(group["code"])
    if fix is None and group["code"] in RULES:
        fix = RULES[group["code"]].label
    if fix is None:
        example = group["examples"][0]["value"] if group["examples"] else ""
        fix = message_for(group["code"], {"value": example} if example else {})
    where = group.get("column_label") or (column_label(group["column"]) if group["column"] else "")
    return f"{rows} · {where}: {fix}" if where else f"{rows}: {fix}"


def error_summary_total(groups: list[dict[str, Any]], severity: str | None = None) -> int:
    return sum(g["count"] for g in groups if severity is None or g["severity"] == severity)


def first_problems(*, job: ImportJob, offset: int, limit: int) -> list[RowError]:
    """One page of the row list: errors (rejected rows) before warnings, by row. The readiness
    warnings of accepted rows are not in it: the page shows them grouped on their own and the
    error report lists them row by row."""
    found = RowError.objects.filter(job=job).exclude(code__in=list(RULES))
    return list(found.order_by("severity", "row", "id")[offset : offset + limit])

"""Running one import job: lease the job, read, validate, stage, commit (or preview), count.

The whole catalog change happens in one transaction: the rows go to a stager (writers.py),
which previews or applies them; the job row records the outcome in the same transaction. The
lease and its heartbeat (jobs.py) make a second delivery of the same task exit.
"""

import logging
import time
from contextlib import ExitStack
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from catalog.cards import (
    CardRules,
    card_rules_load,
    card_values_spread_after_import,
    readiness_refresh,
)
from catalog.importing.batch import BatchStager
from catalog.importing.columns import ColumnMap, catalog_table_open, columns_map
from catalog.importing.jobs import Heartbeat, LeaseLost, import_job_acquire, import_job_fail
from catalog.importing.preview import RowSample, import_job_phase_advance, understood_columns
from catalog.importing.rows import MAX_SKU, Lookups, validate_texts
from catalog.importing.variants import CardChecker
from catalog.importing.writers import PostgresStager, Stager
from catalog.models import (
    ImportJob,
    ImportMode,
    ImportPhase,
    ImportStatus,
    Product,
    RowError,
    Severity,
)
from catalog.selectors import product_lookups
from portal.tabular import Problem, Row, Table, TableError
from portal.tabular.table import INVISIBLE

logger = logging.getLogger(__name__)


def import_job_execute(*, job_id: int, owner: str) -> str:
    """The task body: lease, process, record the outcome. Database errors propagate (retry)."""
    job = import_job_acquire(job_id=job_id, owner=owner)
    if job is None:
        return "skipped"
    try:
        with Heartbeat(job_id=job.pk, owner=owner) as heartbeat:
            import_job_process(job=job, heartbeat=heartbeat)
    except TableError as error:
        import_job_fail(job_id=job.pk, owner=owner, code=error.code, params=error.params)
        return "failed"
    except LeaseLost:
        logger.warning("import %s: lease lost, another execution has it", job_id)
        return "lease lost"
    return "done"


def import_job_process(*, job: ImportJob, heartbeat: Heartbeat) -> ImportJob:
    """Read, validate and preview or apply one job's file; TableError for a file-level error."""
    commit = job.mode == ImportMode.COMMIT
    # Checked again here: the seller may have been suspended while the job waited.
    if not job.seller.can_import:
        raise TableError("seller_not_approved")
    import_job_phase_advance(job_id=job.pk, phase=ImportPhase.READING)
    estimate = _estimate_rows(job)
    if estimate:
        ImportJob.objects.filter(pk=job.pk).update(total_rows=estimate)
    try:
        handle = job.file.open("rb")
    except (OSError, ValueError) as error:
        raise TableError("file_missing") from error
    rules = card_rules_load()
    with handle, catalog_table_open(handle) as table:
        column_map = columns_map(table.header, job.mapping, rules.header_index())
        job.columns = understood_columns(table.header, column_map)
        names = _column_names(column_map, table.header)
        fields = list(column_map.index.items())
        sku_index = column_map.index["sku"]
        lookups = product_lookups(seller=job.seller)
        kept = _kept_card_columns(column_map)
        stager: Stager = (
            PostgresStager(job=job, kept=kept, rows=estimate)
            if connection.vendor == "postgresql"
            else BatchStager(job=job, kept=kept, rows=estimate)
        )
        sample = RowSample(stager, lookups)  # the first rows as stored, for the preview
        cards = CardChecker(rules, column_map, transliterate=job.transliterate, rows=estimate)
        phase = ImportPhase.WRITING if commit else ImportPhase.CHECKING
        import_job_phase_advance(job_id=job.pk, phase=phase)
        with transaction.atomic(), ExitStack() as stack:
            RowError.objects.filter(job=job).delete()
            started = time.monotonic()
            stager.begin(stack)
            for row in table:
                _stage_row(row, fields, names, sku_index, lookups, cards, sample)
                heartbeat.tick()
            stager.end()
            staged = time.monotonic()
            counts = stager.finish(commit=commit)
            if commit and kept and counts["updated"]:
                # Updated products keep their stored card columns: check them again whole.
                _kept_readiness_refresh(job, kept, rules)
            # The other variants of the file's cards take the card values it gave.
            spread = (
                card_values_spread_after_import(job_id=job.pk, seller_id=job.seller_id, rules=rules)
                if commit and column_map.is_card_file and not stager.catalog_empty
                else 0
            )
            applied = time.monotonic()
            job.sample_rows = sample.rows
            if not _record_outcome(job, heartbeat.owner, table, column_map, counts, spread):
                raise LeaseLost  # rolls the whole run back
        logger.info(
            "import %s: %s rows read and staged in %.2f s, %s in %.2f s, committed in %.2f s: %s",
            job.pk,
            table.rows_read,
            staged - started,
            job.mode,
            applied - staged,
            time.monotonic() - applied,
            counts,
        )
    job.refresh_from_db()
    return job


def _stage_row(
    row: Row,
    fields: list[tuple[str, int]],
    names: list[str],
    sku_index: int,
    lookups: Lookups,
    cards: CardChecker,
    stager: Stager,
) -> None:
    number, cells = row
    width = len(cells)
    sku = cells[sku_index].strip() if sku_index < width else ""
    problems: list[Problem] = []
    damaged = False
    if row.problems:
        for problem in row.problems:
            if problem.column is None:
                damaged = True
                problems.append(Problem("", problem.code, problem.params))
            else:
                name = names[problem.column] if problem.column < len(names) else ""
                problems.append(Problem(name, problem.code, problem.params))
    if damaged:
        stager.add(number, _sku_key(sku, problems), None, problems)
        return
    record = {name: cells[index] if index < width else "" for name, index in fields}
    values, found = validate_texts(record, lookups, cards.memo)
    if problems:
        flagged = {p.column for p in problems}
        problems += [p for p in found if p.column not in flagged]
        values = None
    else:
        problems = found
    values, problems = cards.check(number, cells, values, problems)
    stager.add(number, sku if values is not None else _sku_key(sku, problems), values, problems)


def _sku_key(sku: str, problems: list[Problem]) -> str:
    """What a rejected row is known by among the file's SKUs: its SKU if a valid row could
    have it (so a later valid row with it is still a duplicate), else "" (never compared).
    A SKU the rules refuse (150,000 characters, NUL) so never reaches an index."""
    if len(sku) > MAX_SKU or any(problem.column == "sku" for problem in problems):
        return ""
    return sku


def _record_outcome(
    job: ImportJob,
    owner: str,
    table: Table,
    column_map: ColumnMap,
    counts: dict[str, Any],
    spread: int = 0,
) -> bool:
    """Write the counts on the job row and release the lease; False if the lease was lost.
    `spread`: the variants not in the file that took its card values (a file warning)."""
    warnings = _file_warnings(column_map)
    if spread:
        warnings.append({"code": "card_variants_updated", "params": {"count": spread}})
    commit = job.mode == ImportMode.COMMIT
    row_warnings = RowError.objects.filter(job=job, severity=Severity.WARNING).count()
    return bool(
        ImportJob.objects.filter(pk=job.pk, lease_owner=owner).update(
            status=ImportStatus.COMPLETED if commit else ImportStatus.VALIDATED,
            total_rows=table.rows_read,
            total_lines=table.lines_read,
            processed_rows=table.rows_read,
            created_count=counts["created"],
            updated_count=counts["updated"],
            unchanged_count=counts["unchanged"],
            invalid_count=counts["invalid"],
            warning_count=row_warnings,
            warnings=warnings,
            columns=job.columns,
            sample_rows=job.sample_rows,
            detected=table.detected,
            error_code="",
            error_params={},
            finished_at=timezone.now(),
            lease_owner="",
            lease_until=None,
        )
    )


# A header cell names its column in row errors and warnings as the database stores them.
COLUMN_NAME_LENGTH = RowError._meta.get_field("column").max_length or 100


def _header_text(cell: str) -> str:
    """A header cell as row errors and warnings name it: without invisible characters (NUL
    cannot be stored), cut to what a row error's column holds."""
    return INVISIBLE.sub("", cell).strip()[:COLUMN_NAME_LENGTH]


def _column_names(column_map: ColumnMap, header: list[str]) -> list[str]:
    """The name to report for each cell position: canonical if mapped, else the header text."""
    names = [_header_text(cell) or f"#{i + 1}" for i, cell in enumerate(header)]
    for name, index in column_map.index.items():
        names[index] = name
    return names


def _kept_card_columns(column_map: ColumnMap) -> frozenset[str]:
    """The card columns the file lacks (group, features, characteristics): an update of an
    existing product keeps what it has in them."""
    kept = {
        name for name in ("group", "features_uz", "features_ru") if name not in column_map.index
    }
    if not column_map.attributes:
        kept.add("attributes")
    return frozenset(kept)


def _kept_readiness_refresh(job: ImportJob, kept: frozenset[str], rules: CardRules) -> None:
    """The readiness of the products the import wrote that have something in a kept column:
    computed from the file's values alone, it is checked again with what they kept."""
    empty = {"group": "", "features_uz": [], "features_ru": [], "attributes": {}}
    holds = Q()
    for name in kept:
        holds |= ~Q(**{name: empty[name]})
    readiness_refresh(
        Product.objects.filter(seller_id=job.seller_id, last_import_id=job.pk).filter(holds),
        rules=rules,
    )


def _file_warnings(column_map: ColumnMap) -> list[dict[str, Any]]:
    """The header's warnings (unknown and ignored columns) with storable column names."""
    return [
        {**warning, "params": {"columns": [_header_text(c) for c in warning["params"]["columns"]]}}
        for warning in column_map.warnings()
    ]


def _estimate_rows(job: ImportJob) -> int:
    """Rows to expect, for the progress bar (CSV: line breaks; XLSX: the sheet dimension)."""
    if job.detected.get("format") != "csv":
        return 0
    count = 0
    try:
        with job.file.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                count += chunk.count(b"\n")
    except OSError:
        return 0
    return max(count - 1, 0)

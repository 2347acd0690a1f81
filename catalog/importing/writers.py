"""The import's database writers: stagers that preview or apply the validated rows.

On PostgreSQL the valid rows (and the row errors, as JSON) stream through COPY into a temporary
table; duplicates, the preview counts and the upsert are then a few set-based statements, named
below. Other databases use batched `bulk_create(update_conflicts=True)`.
"""

import json
import sys
import threading
from contextlib import ExitStack
from operator import itemgetter
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, transaction
from django.utils import timezone

from catalog.importing.columns import CANONICAL_HEADER
from catalog.models import ImportJob, ImportMode, Product, RowError, Severity
from portal.tabular import Problem
from sellers.models import Seller

# --- the product's columns ------------------------------------------------------------------

# The import's canonical columns as the database names them (brand -> brand_id): what the
# upsert writes, and but for the key, what it compares to tell a changed product.
_FIELDS_BY_NAME = {field.name: field for field in Product._meta.concrete_fields}
PRODUCT_FIELDS = tuple(_FIELDS_BY_NAME[name] for name in CANONICAL_HEADER)
PRODUCT_COLUMNS = tuple(field.attname for field in PRODUCT_FIELDS)
COMPARED = tuple(column for column in PRODUCT_COLUMNS if column != "sku")
# A staged row: its number, whether it is still valid, its problems and its image URLs (both
# JSON text), then the other product columns, taken from the row's values in one C call
# (`_plain_values`): building a row costs no more than writing the tuple out by hand. A
# rejected row keeps its number, its problems and at most a SKU (see PostgresStager.add).
PLAIN_COLUMNS = tuple(column for column in PRODUCT_COLUMNS if column != "image_urls")
STAGED_COLUMNS = ("row_number", "valid", "errors", "image_urls", *PLAIN_COLUMNS)
_plain_values = itemgetter(*PLAIN_COLUMNS)
_NO_VALUES = (None,) * (len(PLAIN_COLUMNS) - 1)

APPLY_BATCH = 500
ERROR_BATCH = 1000
SELLER_LOCK_NAMESPACE = 0x0B02  # pg_advisory_xact_lock(namespace, seller id)
TEMP_BUFFERS = "256MB"
# While the helper thread waits on PostgreSQL, the validating main thread holds the GIL; at
# Python's default 5 ms switch interval each of the helper's wake-ups waited that long, which
# made the chunk statements about 2.5 times slower than PostgreSQL ran them (3.9 s against
# 3.0 s for a 100,000-row import).
GIL_SWITCH_SECONDS = 0.0002


def _staging_table_columns() -> str:
    """The staging table's `name type, ...`: text for any string, else the product column's
    own type (bigint, integer, jsonb)."""
    types = {"row_number": "integer", "valid": "boolean", "errors": "jsonb"}
    for field in PRODUCT_FIELDS:
        is_text = field.get_internal_type() in ("CharField", "TextField")
        types[field.attname] = "text" if is_text else str(field.db_type(connection))
    return ", ".join(f"{name} {types[name]}" for name in STAGED_COLUMNS)


def _json_list(items: list[str]) -> str:
    """A JSON array of strings, the quick way when no character needs escaping."""
    if not items:
        return "[]"
    raw = "".join(items)
    if '"' in raw or "\\" in raw or not raw.isprintable():
        return json.dumps(items, ensure_ascii=False)
    return '["' + '","'.join(items) + '"]'


def _problem_json(problem: Problem) -> list[Any]:
    return [problem.column, problem.code, problem.params, problem.severity]


# --- the statements (PostgreSQL) ------------------------------------------------------------
# Placeholders: {rows} is the staging table of the current chunk, {seen} the table of every
# SKU seen so far with the row it first appeared on; the column lists are fixed.

SQL_NAMES = {
    "columns": ", ".join(COMPARED),
    "target": ", ".join(f"p.{c}" for c in COMPARED),
    "source": ", ".join(f"t.{c}" for c in COMPARED),
    "assignments": ", ".join(f"{c} = EXCLUDED.{c}" for c in COMPARED),
    "current": ", ".join(f"catalog_product.{c}" for c in COMPARED),
    "excluded": ", ".join(f"EXCLUDED.{c}" for c in COMPARED),
}

CREATE_TABLES = (
    "DROP TABLE IF EXISTS {rows}, {seen}",
    "CREATE TEMP TABLE {rows} ({staged}) ON COMMIT DROP",
    "CREATE TEMP TABLE {seen} (sku text PRIMARY KEY, first_row integer) ON COMMIT DROP",
)
LOCK_SELLER = "SELECT pg_advisory_xact_lock(%s, %s)"
CATALOG_IS_EMPTY = "SELECT NOT EXISTS (SELECT 1 FROM catalog_product WHERE seller_id = %s)"
HAS_ZERO_PADDED_SKUS = (
    "SELECT EXISTS (SELECT 1 FROM catalog_product WHERE seller_id = %s AND sku::text LIKE '0%%')"
)
EMPTY_CHUNK = "TRUNCATE {rows}"
COPY_CHUNK = "COPY {rows} ({staged_names}) FROM STDIN"

RECORD_ROW_ERRORS = """
    INSERT INTO catalog_rowerror (job_id, "row", "column", code, params, severity)
    SELECT %s, t.row_number, e->>0, e->>1, e->2, e->>3
    FROM {rows} t, jsonb_array_elements(t.errors) e
    WHERE t.errors IS NOT NULL
    ORDER BY t.row_number
"""

# Duplicate SKUs: a row whose SKU an earlier row (of this chunk or any before) has is an error
# that names the first row; it is never applied. One statement records the chunk's SKUs in the
# table of every SKU seen so far and finds the repeats: a SKU that table already had (the
# statement still sees it as it was), or a later row of the chunk. Only repeats look their
# first row up, so the table is never scanned whole. Returns (valid rows rejected, errors).
REJECT_DUPLICATE_SKUS = """
    WITH f AS (
        SELECT sku, min(row_number) AS first_row FROM {rows} WHERE sku <> '' GROUP BY sku
    ), fresh AS (
        INSERT INTO {seen} (sku, first_row) SELECT sku, first_row FROM f
        ON CONFLICT (sku) DO NOTHING
        RETURNING sku
    ), d AS (
        SELECT t.row_number, t.sku, t.valid,
               COALESCE(
                   (SELECT s.first_row FROM {seen} s WHERE s.sku = t.sku),
                   f.first_row
               ) AS first_row
        FROM {rows} t JOIN f ON f.sku = t.sku
        WHERE t.row_number > f.first_row
           OR NOT EXISTS (SELECT 1 FROM fresh WHERE fresh.sku = t.sku)
    ), m AS (
        UPDATE {rows} SET valid = false FROM d
        WHERE {rows}.row_number = d.row_number
        RETURNING d.row_number, d.sku, d.first_row, d.valid AS was_valid
    ), e AS (
        INSERT INTO catalog_rowerror (job_id, "row", "column", code, params, severity)
        SELECT %s, row_number, 'sku', 'duplicate_sku',
               jsonb_build_object('value', sku, 'first_row', first_row), 'error'
        FROM m
        RETURNING 1
    )
    SELECT count(*) FILTER (WHERE was_valid), (SELECT count(*) FROM e) FROM m
"""

# New all-digit SKUs that are existing SKUs with their leading zeros dropped: `123` is taken
# for `00123` when the catalog has `00123` and not `123`, and the file itself does not name
# `00123` (the seen table): Excel turned the column into numbers. Importing it would add a
# second card for the same product. Returns the rows rejected.
REJECT_LOST_ZEROS = """
    WITH m AS (
        UPDATE {rows} SET valid = false FROM (
            SELECT t.row_number, p.sku AS existing FROM {rows} t
            JOIN LATERAL (
                -- min(), not ORDER BY ... LIMIT 1, which walks the unique index.
                SELECT min(p.sku) AS sku FROM catalog_product p
                WHERE p.seller_id = %s AND LTRIM(p.sku, '0') = t.sku
                  AND p.sku::text LIKE '0%%'
            ) p ON p.sku IS NOT NULL
            WHERE t.valid AND t.sku ~ '^[1-9][0-9]*$'
              AND NOT EXISTS (
                  SELECT 1 FROM catalog_product q
                  WHERE q.seller_id = %s AND q.sku = t.sku
              )
              AND NOT EXISTS (SELECT 1 FROM {seen} s WHERE s.sku = p.sku)
        ) d
        WHERE {rows}.row_number = d.row_number
        RETURNING {rows}.row_number, {rows}.sku, d.existing
    ), e AS (
        INSERT INTO catalog_rowerror (job_id, "row", "column", code, params, severity)
        SELECT %s, row_number, 'sku', 'lost_leading_zero',
               jsonb_build_object('value', sku, 'existing', existing), 'error'
        FROM m
        RETURNING 1
    )
    SELECT count(*) FROM e
"""

# The preview's counts (created, updated) of a first import: every valid row is new.
PREVIEW_NEW_CATALOG = "SELECT count(*), 0 FROM {rows} WHERE valid"
# LATERAL ... LIMIT 1: one index lookup per row. A plain join would be planned as a hash of all
# the seller's products (the ones written by earlier chunks are not in the statistics yet),
# which is quadratic over a million rows.
PREVIEW = """
    SELECT count(*) FILTER (WHERE p.id IS NULL),
           count(*) FILTER (WHERE p.id IS NOT NULL AND ({target}) IS DISTINCT FROM ({source}))
    FROM {rows} t
    LEFT JOIN LATERAL (
        SELECT * FROM catalog_product p
        WHERE p.seller_id = %s AND p.sku = t.sku LIMIT 1
    ) p ON true
    WHERE t.valid
"""
# The rows an upsert writes: all the valid ones into an empty catalog, else the new or changed.
ALL_VALID_ROWS = "SELECT * FROM {rows} WHERE valid"
NEW_OR_CHANGED_ROWS = """
    SELECT t.* FROM {rows} t
    LEFT JOIN LATERAL (
        SELECT * FROM catalog_product p
        WHERE p.seller_id = %s AND p.sku = t.sku LIMIT 1
    ) p ON true
    WHERE t.valid AND (p.id IS NULL OR ({target}) IS DISTINCT FROM ({source}))
"""
# Returns (created, updated); {changed} is one of the two statements above.
UPSERT = """
    WITH changed AS ({changed}), up AS (
        INSERT INTO catalog_product (seller_id, sku, {columns}, created_at, updated_at)
        SELECT %s, sku, {columns}, now(), now() FROM changed
        ON CONFLICT (seller_id, sku) DO UPDATE
        SET {assignments}, updated_at = EXCLUDED.updated_at
        WHERE ({current}) IS DISTINCT FROM ({excluded})
        RETURNING (xmax = 0) AS inserted
    )
    SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted)
    FROM up
"""


# --- the stagers ----------------------------------------------------------------------------


class Stager:
    """Collects validated rows and row errors, then previews or applies them."""

    def __init__(self, *, job: ImportJob) -> None:
        self.job = job
        self.invalid = 0
        self.valid = 0

    def begin(self, stack: ExitStack) -> None: ...

    def add(
        self, number: int, sku: str, values: dict[str, Any] | None, problems: list[Problem]
    ) -> None:
        raise NotImplementedError

    def end(self) -> None: ...

    def finish(self, *, commit: bool) -> dict[str, int]:
        raise NotImplementedError


class PostgresStager(Stager):
    """COPY each chunk into a temporary table, then set-based SQL per chunk.

    Each chunk of rows is validated in Python while PostgreSQL applies the previous chunk (a
    helper thread runs its statements on the same connection, inside the same transaction), so
    the two CPUs work at once. Per chunk: the row errors, duplicate SKUs (against the chunk and
    a table of every SKU seen so far), then the upsert (commit) or the preview count. Each
    statement touches one chunk, so the cost stays linear in the number of rows.
    """

    def __init__(self, *, job: ImportJob) -> None:
        super().__init__(job=job)
        self.names = {
            **SQL_NAMES,
            "rows": f"import_rows_{job.pk}",
            "seen": f"import_skus_{job.pk}",
            "staged": _staging_table_columns(),
            "staged_names": ", ".join(STAGED_COLUMNS),
        }
        self.commit = job.mode == ImportMode.COMMIT
        self.chunk_rows = settings.CATALOG_IMPORT_CHUNK_ROWS
        self.buffer: list[tuple] = []
        self.chunk_has_problems = False
        self.created = 0
        self.updated = 0
        self.rejected = 0  # rows valid on their own, rejected as a repeated or unpadded SKU
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def sql(self, statement: str, **more: str) -> str:
        """The statement with this job's table names and the fixed column lists filled in."""
        return statement.format_map({**self.names, **more})

    def begin(self, stack: ExitStack) -> None:
        self.cursor = cursor = stack.enter_context(connection.cursor())
        # Django's foreign keys are DEFERRABLE INITIALLY DEFERRED: checked all at once at COMMIT.
        # Checked per statement instead, they run in the helper thread, beside the validation.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        # Keep the staging table in memory (the default 8 MB spills a 100,000-row file to disk).
        # PostgreSQL accepts it only before the session's first temporary table; it then stays.
        try:
            with transaction.atomic():
                cursor.execute(f"SET temp_buffers = '{TEMP_BUFFERS}'")
        except DatabaseError:
            pass
        for statement in CREATE_TABLES:
            cursor.execute(self.sql(statement))
        seller_id = self.job.seller_id
        if self.commit:  # two files of one seller apply one after the other
            cursor.execute(LOCK_SELLER, [SELLER_LOCK_NAMESPACE, seller_id])
        # A first import (no products yet): every valid row is new, since a SKU of an earlier
        # chunk is a duplicate. The rows then need no lookup against the catalog.
        cursor.execute(CATALOG_IS_EMPTY, [seller_id])
        self.catalog_empty = cursor.fetchone()[0]
        # An all-digit SKU may be one whose leading zeros a spreadsheet dropped: worth checking
        # only when the seller has SKUs that start with a zero (the lost_leading_zero error).
        self.zero_padded = False
        if not self.catalog_empty:
            cursor.execute(HAS_ZERO_PADDED_SKUS, [seller_id])
            self.zero_padded = cursor.fetchone()[0]
        stack.callback(sys.setswitchinterval, sys.getswitchinterval())
        sys.setswitchinterval(GIL_SWITCH_SECONDS)
        # For the helper thread: the psycopg connection, and this thread's Django wrapper so that
        # psycopg errors become Django's (OperationalError -> the task's retry).
        self.wrapper = connections[DEFAULT_DB_ALIAS]
        self.raw = self.wrapper.connection
        stack.callback(self._join_quietly)

    def add(
        self, number: int, sku: str, values: dict[str, Any] | None, problems: list[Problem]
    ) -> None:
        # PostgreSQL's jsonb cannot hold NUL: a value with one is already rejected, and where a
        # message quotes it, it shows U+FFFD instead. A rejected row is staged with its number,
        # its errors and, for the duplicate check, a SKU only if a valid row could have it (the
        # pipeline passes "" otherwise), so nothing of it reaches an index that would refuse it.
        errors = None
        if problems:
            self.chunk_has_problems = True
            errors = json.dumps([_problem_json(p) for p in problems]).replace("\\u0000", "\\ufffd")
        if values is None:
            self.invalid += 1
            self.buffer.append((number, False, errors, None, sku) + _NO_VALUES)
        else:
            self.valid += 1
            self.buffer.append(
                (number, True, errors, _json_list(values["image_urls"])) + _plain_values(values)
            )
        if len(self.buffer) >= self.chunk_rows:
            self._flush()

    def _flush(self) -> None:
        if not self.buffer:
            return
        self._wait()  # the connection is free again
        rows, self.buffer = self.buffer, []
        has_problems, self.chunk_has_problems = self.chunk_has_problems, False
        self.cursor.execute(self.sql(EMPTY_CHUNK))
        with self.cursor.copy(self.sql(COPY_CHUNK)) as copy:
            write = copy.write_row
            for row in rows:
                write(row)
        del rows
        self._thread = threading.Thread(
            target=self._apply_in_thread, args=(has_problems,), daemon=True
        )
        self._thread.start()

    def _wait(self) -> None:
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def _join_quietly(self) -> None:
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def _apply_in_thread(self, has_problems: bool) -> None:
        try:
            with self.wrapper.wrap_database_errors, self.raw.cursor() as cursor:
                self._apply(cursor, has_problems)
        except BaseException as error:  # handed to the main thread by _wait()
            self._error = error

    def _apply(self, cursor: Any, has_problems: bool) -> None:
        job_id, seller_id = self.job.pk, self.job.seller_id
        if has_problems:  # row errors and warnings recorded while reading
            cursor.execute(self.sql(RECORD_ROW_ERRORS), [job_id])
        cursor.execute(self.sql(REJECT_DUPLICATE_SKUS), [job_id])
        # Only this thread writes these counters (the main thread counts rows as read).
        self.rejected += cursor.fetchone()[0]
        if self.zero_padded:
            cursor.execute(self.sql(REJECT_LOST_ZEROS), [seller_id, seller_id, job_id])
            self.rejected += cursor.fetchone()[0]
        if not self.commit and self.catalog_empty:
            cursor.execute(self.sql(PREVIEW_NEW_CATALOG))
        elif not self.commit:
            cursor.execute(self.sql(PREVIEW), [seller_id])
        elif self.catalog_empty:
            cursor.execute(self.sql(UPSERT, changed=self.sql(ALL_VALID_ROWS)), [seller_id])
        else:
            changed = self.sql(NEW_OR_CHANGED_ROWS)
            cursor.execute(self.sql(UPSERT, changed=changed), [seller_id, seller_id])
        created, updated = cursor.fetchone()
        self.created += created
        self.updated += updated

    def end(self) -> None:
        self._flush()
        self._wait()

    def finish(self, *, commit: bool) -> dict[str, int]:
        valid = self.valid - self.rejected
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": valid - self.created - self.updated,
            "invalid": self.invalid + self.rejected,
        }


class BatchStager(Stager):
    """Any database: row errors in batches, valid rows kept, bulk upsert at the end."""

    def __init__(self, *, job: ImportJob) -> None:
        super().__init__(job=job)
        self.first_row: dict[str, int] = {}
        self.rows: list[dict[str, Any]] = []
        self.errors: list[RowError] = []

    def add(
        self, number: int, sku: str, values: dict[str, Any] | None, problems: list[Problem]
    ) -> None:
        problems = list(problems)
        if sku:
            first = self.first_row.setdefault(sku, number)
            if first != number:
                problems.append(Problem("sku", "duplicate_sku", {"value": sku, "first_row": first}))
                values = None
        for problem in problems:
            self.errors.append(
                RowError(
                    job_id=self.job.pk,
                    row=number,
                    column=problem.column or "",
                    code=problem.code,
                    params=problem.params,
                    severity=problem.severity,
                )
            )
        if len(self.errors) >= ERROR_BATCH:
            self._flush_errors()
        if values is None:
            self.invalid += 1
            return
        self.valid += 1
        self.rows.append(values)

    def _flush_errors(self) -> None:
        RowError.objects.bulk_create(self.errors, batch_size=ERROR_BATCH)
        self.errors = []

    def _reject_lost_zeros(self) -> None:
        """REJECT_LOST_ZEROS, in Python."""
        seller_id = self.job.seller_id
        padded: dict[str, str] = {}
        for sku in (
            Product.objects.filter(seller_id=seller_id, sku__startswith="0")
            .order_by("sku")
            .values_list("sku", flat=True)
            .iterator()
        ):
            padded.setdefault(sku.lstrip("0"), sku)
        suspects = {
            row["sku"]
            for row in self.rows
            if row["sku"] in padded
            and padded[row["sku"]] not in self.first_row
            and row["sku"].isascii()
            and row["sku"].isdigit()
        }
        if not suspects:
            return
        suspects -= set(
            Product.objects.filter(seller_id=seller_id, sku__in=suspects).values_list(
                "sku", flat=True
            )
        )
        kept = []
        for values in self.rows:
            sku = values["sku"]
            if sku not in suspects:
                kept.append(values)
                continue
            self.errors.append(
                RowError(
                    job_id=self.job.pk,
                    row=self.first_row[sku],
                    column="sku",
                    code="lost_leading_zero",
                    params={"value": sku, "existing": padded[sku]},
                    severity=Severity.ERROR,
                )
            )
            self.valid -= 1
            self.invalid += 1
        self.rows = kept
        self._flush_errors()

    def end(self) -> None:
        self._flush_errors()

    def finish(self, *, commit: bool) -> dict[str, int]:
        if commit:  # two files of one seller apply one after the other
            Seller.objects.select_for_update().filter(pk=self.job.seller_id).first()
        self._reject_lost_zeros()
        created = updated = 0
        now = timezone.now()
        for start in range(0, len(self.rows), APPLY_BATCH):
            batch = self.rows[start : start + APPLY_BATCH]
            existing = {
                row["sku"]: tuple(row[c] for c in COMPARED)
                for row in Product.objects.filter(
                    seller_id=self.job.seller_id, sku__in=[r["sku"] for r in batch]
                ).values("sku", *COMPARED)
            }
            changed = []
            for values in batch:
                before = existing.get(values["sku"])
                if before is None:
                    created += 1
                elif before != tuple(values[c] for c in COMPARED):
                    updated += 1
                else:
                    continue
                changed.append(values)
            if commit and changed:
                Product.objects.bulk_create(
                    [
                        Product(seller_id=self.job.seller_id, created_at=now, updated_at=now, **v)
                        for v in changed
                    ],
                    update_conflicts=True,
                    unique_fields=["seller", "sku"],
                    update_fields=[*COMPARED, "updated_at"],
                    batch_size=APPLY_BATCH,
                )
        return {
            "created": created,
            "updated": updated,
            "unchanged": self.valid - created - updated,
            "invalid": self.invalid,
        }

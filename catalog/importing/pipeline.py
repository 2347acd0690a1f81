"""Running one import job: lease the job, read, validate, stage, commit (or preview), count.

The whole catalog change happens in one transaction. On PostgreSQL the valid rows (and the row
errors, as JSON) stream through COPY into a temporary table; duplicates, the preview counts and
the upsert are then a few set-based statements. Other databases use batched
`bulk_create(update_conflicts=True)`. A lease on the job row (owner + expiry, renewed by a
heartbeat thread on its own connection, which also publishes progress) makes a second delivery
of the same task exit.
"""

import json
import logging
import sys
import threading
import time
import uuid
from contextlib import ExitStack
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from catalog.importing.columns import ColumnMap, columns_map, looks_like_header
from catalog.importing.readers import FileError, Row, open_table
from catalog.importing.rows import Lookups, Problem, validate_texts
from catalog.models import (
    ACTIVE_IMPORT_STATUSES,
    ImportJob,
    ImportMode,
    ImportStatus,
    Product,
    RowError,
    Severity,
)

logger = logging.getLogger(__name__)

COMPARED = (
    "title_uz",
    "title_ru",
    "description_uz",
    "description_ru",
    "brand_id",
    "category_id",
    "price_uzs",
    "stock",
    "barcode",
    "ikpu",
    "weight_g",
    "image_urls",
    "length_mm",
    "width_mm",
    "height_mm",
)
PROGRESS_EVERY_ROWS = 5000
ERROR_BATCH = 1000
APPLY_BATCH = 500
SELLER_LOCK_NAMESPACE = 0x0B02  # pg_advisory_xact_lock(namespace, seller id)


TEMP_BUFFERS = "256MB"
CHUNK_ROWS = 10_000  # rows validated in Python while PostgreSQL applies the previous chunk
# While the helper thread waits on PostgreSQL, the validating main thread holds the GIL; at
# Python's default 5 ms switch interval each of the helper's wake-ups waited that long, which
# made the chunk statements about 2.5 times slower than PostgreSQL ran them (3.9 s against
# 3.0 s for a 100,000-row import).
GIL_SWITCH_SECONDS = 0.0002


def _json_list(items: list[str]) -> str:
    """A JSON array of strings, the quick way when no character needs escaping."""
    if not items:
        return "[]"
    raw = "".join(items)
    if '"' in raw or "\\" in raw or not raw.isprintable():
        return json.dumps(items, ensure_ascii=False)
    return '["' + '","'.join(items) + '"]'


class LeaseLost(Exception):
    """Another execution took the job over (ours was presumed dead): stop without writing."""


def lease_seconds() -> int:
    return int(getattr(settings, "CATALOG_IMPORT_LEASE_SECONDS", 120))


def max_attempts() -> int:
    return int(getattr(settings, "CATALOG_IMPORT_MAX_ATTEMPTS", 5))


def new_lease_owner(task_id: str | None = None) -> str:
    import os
    import socket

    return f"{socket.gethostname()}:{os.getpid()}:{task_id or '-'}:{uuid.uuid4().hex[:8]}"[:100]


# --- lease ----------------------------------------------------------------------------------


def import_job_acquire(*, job_id: int, owner: str, lease: int | None = None) -> ImportJob | None:
    """Take the job for this execution with one conditional UPDATE; None if someone holds it.

    Also None (after marking it failed) when the job has been started too many times.
    """
    now = timezone.now()
    if lease is None:
        # Without a heartbeat (see Heartbeat) the lease must outlive the longest run.
        heartbeat = connection.vendor == "postgresql" and not connection.in_atomic_block
        lease = lease_seconds() if heartbeat else int(settings.CELERY_TASK_TIME_LIMIT)
    taken = (
        ImportJob.objects.filter(pk=job_id, status__in=ACTIVE_IMPORT_STATUSES)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .update(
            status=ImportStatus.RUNNING,
            lease_owner=owner,
            lease_until=now + timedelta(seconds=lease),
            attempts=F("attempts") + 1,
            started_at=Coalesce(F("started_at"), Value(now)),
        )
    )
    if not taken:
        return None
    job = ImportJob.objects.select_related("seller").get(pk=job_id)
    if job.attempts > max_attempts():
        import_job_fail(
            job_id=job.pk,
            owner=owner,
            code="too_many_attempts",
            params={"attempts": job.attempts - 1},
        )
        return None
    return job


def import_job_release(*, job_id: int, owner: str) -> None:
    """Give the lease back (before a retry) so the next attempt can take it at once."""
    ImportJob.objects.filter(pk=job_id, lease_owner=owner).update(lease_owner="", lease_until=None)


def import_job_fail(
    *, job_id: int, owner: str | None, code: str, params: dict[str, Any] | None = None
) -> bool:
    """Mark the job failed with a file-level error (only if this execution still owns it)."""
    jobs = ImportJob.objects.filter(pk=job_id, status__in=ACTIVE_IMPORT_STATUSES)
    if owner is not None:
        jobs = jobs.filter(lease_owner=owner)
    done = jobs.update(
        status=ImportStatus.FAILED,
        error_code=code,
        error_params=params or {},
        finished_at=timezone.now(),
        lease_owner="",
        lease_until=None,
    )
    return bool(done)


class Heartbeat:
    """Renews the lease and publishes progress from a thread with its own DB connection.

    Only on PostgreSQL outside an enclosing transaction (a real worker or the command): inside
    a transaction (eager tasks in tests) or on SQLite, progress is written inline instead.
    """

    def __init__(self, *, job_id: int, owner: str) -> None:
        self.job_id = job_id
        self.owner = owner
        self.processed = 0
        self.lost = False
        self.threaded = connection.vendor == "postgresql" and not connection.in_atomic_block
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.interval = max(0.5, min(2.0, lease_seconds() / 4))  # progress bar refresh

    def __enter__(self) -> "Heartbeat":
        if self.threaded:
            self._thread = threading.Thread(target=self._run, name="import-heartbeat", daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)

    def _run(self) -> None:
        from django.db import connection as thread_connection

        try:
            while not self._stop.wait(self.interval):
                self.beat()
        finally:
            thread_connection.close()

    def beat(self) -> None:
        try:
            renewed = ImportJob.objects.filter(pk=self.job_id, lease_owner=self.owner).update(
                processed_rows=self.processed,
                lease_until=timezone.now() + timedelta(seconds=lease_seconds()),
            )
        except DatabaseError:
            logger.warning("import %s: heartbeat failed", self.job_id, exc_info=True)
            if self.threaded:  # the next beat gets a fresh connection (database restarted)
                from django.db import connection as thread_connection

                thread_connection.close()
            return
        if not renewed:
            self.lost = True

    def tick(self) -> None:
        self.processed += 1
        if self.processed % PROGRESS_EVERY_ROWS == 0:
            if self.lost:
                raise LeaseLost
            if not self.threaded:
                ImportJob.objects.filter(pk=self.job_id).update(processed_rows=self.processed)


# --- staging --------------------------------------------------------------------------------


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


def _problem_json(problem: Problem) -> list[Any]:
    return [problem.column, problem.code, problem.params, problem.severity]


class PostgresStager(Stager):
    """COPY each chunk into a temporary table, then set-based SQL per chunk.

    Each chunk of rows is validated in Python while PostgreSQL applies the previous chunk (a
    helper thread runs its statements on the same connection, inside the same transaction), so
    the two CPUs work at once. Per chunk: the row errors, duplicate SKUs (against the chunk and
    a table of every SKU seen so far), then the upsert (commit) or the preview count. Each
    statement touches one chunk, so the cost stays linear in the number of rows.
    """

    COLUMNS = (
        ("row_number", "integer"),
        ("sku", "text"),
        ("valid", "boolean"),
        ("title_uz", "text"),
        ("title_ru", "text"),
        ("description_uz", "text"),
        ("description_ru", "text"),
        ("brand_id", "bigint"),
        ("category_id", "bigint"),
        ("price_uzs", "bigint"),
        ("stock", "integer"),
        ("barcode", "text"),
        ("ikpu", "text"),
        ("weight_g", "integer"),
        ("image_urls", "jsonb"),
        ("length_mm", "integer"),
        ("width_mm", "integer"),
        ("height_mm", "integer"),
        ("errors", "jsonb"),
    )

    def __init__(self, *, job: ImportJob) -> None:
        super().__init__(job=job)
        self.table = f"import_rows_{job.pk}"  # the current chunk
        self.seen = f"import_skus_{job.pk}"  # every SKU so far, with the row it first appeared
        self.commit = job.mode == ImportMode.COMMIT
        self.chunk_rows = int(getattr(settings, "CATALOG_IMPORT_CHUNK_ROWS", CHUNK_ROWS))
        self.buffer: list[tuple] = []
        self.chunk_has_problems = False
        self.created = 0
        self.updated = 0
        self.rejected = 0  # rows valid on their own, rejected as a repeated or unpadded SKU
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def begin(self, stack: ExitStack) -> None:
        self.cursor = stack.enter_context(connection.cursor())
        # The job row commits with the products, so a crash just after COMMIT loses both
        # together (the job is redone by the sweep): no need to wait for the WAL flush.
        self.cursor.execute("SET LOCAL synchronous_commit = off")
        # Django's foreign keys are DEFERRABLE INITIALLY DEFERRED: checked all at once at COMMIT.
        # Checked per statement instead, they run in the helper thread, beside the validation.
        self.cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        # Keep the staging table in memory (the default 8 MB spills a 100,000-row file to disk).
        # PostgreSQL accepts it only before the session's first temporary table; it then stays.
        try:
            with transaction.atomic():
                self.cursor.execute(f"SET temp_buffers = '{TEMP_BUFFERS}'")
        except DatabaseError:
            pass
        columns = ", ".join(f"{name} {kind}" for name, kind in self.COLUMNS)
        self.cursor.execute(f"DROP TABLE IF EXISTS {self.table}, {self.seen}")
        self.cursor.execute(f"CREATE TEMP TABLE {self.table} ({columns}) ON COMMIT DROP")
        self.cursor.execute(
            f"CREATE TEMP TABLE {self.seen} (sku text PRIMARY KEY, first_row integer) "
            "ON COMMIT DROP"
        )
        if self.commit:
            # Two files of one seller apply one after the other.
            self.cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)", [SELLER_LOCK_NAMESPACE, self.job.seller_id]
            )
        # A first import (no products yet): every valid row is new, since a SKU of an earlier
        # chunk is a duplicate. The rows then need no lookup against the catalog.
        self.cursor.execute(
            "SELECT NOT EXISTS (SELECT 1 FROM catalog_product WHERE seller_id = %s)",
            [self.job.seller_id],
        )
        self.catalog_empty = self.cursor.fetchone()[0]
        # An all-digit SKU may be one whose leading zeros a spreadsheet dropped: worth checking
        # only when the seller has SKUs that start with a zero (RELIABILITY row 3).
        self.zero_padded = False
        if not self.catalog_empty:
            self.cursor.execute(
                "SELECT EXISTS (SELECT 1 FROM catalog_product "
                "WHERE seller_id = %s AND sku::text LIKE '0%%')",
                [self.job.seller_id],
            )
            self.zero_padded = self.cursor.fetchone()[0]
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
        # PostgreSQL text and jsonb cannot hold NUL: such rows are already rejected, and what is
        # kept of them (the SKU for duplicates, values quoted in messages) shows U+FFFD instead.
        errors = None
        if problems:
            self.chunk_has_problems = True
            errors = json.dumps([_problem_json(p) for p in problems]).replace("\\u0000", "\\ufffd")
        if values is None:
            self.invalid += 1
            self.buffer.append(
                (number, sku.replace("\x00", "\ufffd"), False) + (None,) * 15 + (errors,)
            )
        else:
            self.valid += 1
            self.buffer.append(
                (
                    number,
                    values["sku"],
                    True,
                    values["title_uz"],
                    values["title_ru"],
                    values["description_uz"],
                    values["description_ru"],
                    values["brand_id"],
                    values["category_id"],
                    values["price_uzs"],
                    values["stock"],
                    values["barcode"],
                    values["ikpu"],
                    values["weight_g"],
                    _json_list(values["image_urls"]),
                    values["length_mm"],
                    values["width_mm"],
                    values["height_mm"],
                    errors,
                )
            )
        if len(self.buffer) >= self.chunk_rows:
            self._flush()

    def _flush(self) -> None:
        if not self.buffer:
            return
        self._wait()  # the connection is free again
        rows, self.buffer = self.buffer, []
        has_problems, self.chunk_has_problems = self.chunk_has_problems, False
        names = ", ".join(name for name, _kind in self.COLUMNS)
        self.cursor.execute(f"TRUNCATE {self.table}")
        with self.cursor.copy(f"COPY {self.table} ({names}) FROM STDIN") as copy:
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
        t = self.table
        job_id = self.job.pk
        if has_problems:  # row errors and warnings recorded while reading
            cursor.execute(
                f"""
                INSERT INTO catalog_rowerror (job_id, "row", "column", code, params, severity)
                SELECT %s, t.row_number, e->>0, e->>1, e->2, e->>3
                FROM {t} t, jsonb_array_elements(t.errors) e
                WHERE t.errors IS NOT NULL
                ORDER BY t.row_number
                """,
                [job_id],
            )
        # Duplicate SKUs: a row whose SKU an earlier row (of this chunk or any before) has is
        # an error that names the first row; it is never applied. One statement records the
        # chunk's SKUs in the table of every SKU seen so far and finds the repeats: a SKU that
        # table already had (the statement still sees it as it was), or a later row of the
        # chunk. Only repeats look their first row up, so the table is never scanned whole.
        cursor.execute(
            f"""
            WITH f AS (
                SELECT sku, min(row_number) AS first_row FROM {t} WHERE sku <> '' GROUP BY sku
            ), fresh AS (
                INSERT INTO {self.seen} (sku, first_row) SELECT sku, first_row FROM f
                ON CONFLICT (sku) DO NOTHING
                RETURNING sku
            ), d AS (
                SELECT t.row_number, t.sku, t.valid,
                       COALESCE(
                           (SELECT s.first_row FROM {self.seen} s WHERE s.sku = t.sku),
                           f.first_row
                       ) AS first_row
                FROM {t} t JOIN f ON f.sku = t.sku
                WHERE t.row_number > f.first_row
                   OR NOT EXISTS (SELECT 1 FROM fresh WHERE fresh.sku = t.sku)
            ), m AS (
                UPDATE {t} SET valid = false FROM d
                WHERE {t}.row_number = d.row_number
                RETURNING d.row_number, d.sku, d.first_row, d.valid AS was_valid
            ), e AS (
                INSERT INTO catalog_rowerror (job_id, "row", "column", code, params, severity)
                SELECT %s, row_number, 'sku', 'duplicate_sku',
                       jsonb_build_object('value', sku, 'first_row', first_row), 'error'
                FROM m
                RETURNING 1
            )
            SELECT count(*) FILTER (WHERE was_valid), (SELECT count(*) FROM e) FROM m
            """,
            [job_id],
        )
        # Only this thread writes these counters (the main thread counts rows as read).
        self.rejected += cursor.fetchone()[0]
        seller_id = self.job.seller_id
        if self.zero_padded:
            self.rejected += self._reject_lost_zeros(cursor)
        # LATERAL ... LIMIT 1: one index lookup per row. A plain join would be planned as a hash
        # of all the seller's products (the ones written by earlier chunks are not in the
        # statistics yet), which is quadratic over a million rows.
        target = ", ".join(f"p.{c}" for c in COMPARED)
        source = ", ".join(f"t.{c}" for c in COMPARED)
        if not self.commit and self.catalog_empty:
            cursor.execute(f"SELECT count(*), 0 FROM {t} WHERE valid")
        elif not self.commit:
            cursor.execute(
                f"""
                SELECT count(*) FILTER (WHERE p.id IS NULL),
                       count(*) FILTER (WHERE p.id IS NOT NULL
                                        AND ({target}) IS DISTINCT FROM ({source}))
                FROM {t} t
                LEFT JOIN LATERAL (
                    SELECT * FROM catalog_product p
                    WHERE p.seller_id = %s AND p.sku = t.sku LIMIT 1
                ) p ON true
                WHERE t.valid
                """,
                [seller_id],
            )
        else:
            columns = ", ".join(COMPARED)
            assignments = ", ".join(f"{c} = EXCLUDED.{c}" for c in COMPARED)
            current = ", ".join(f"catalog_product.{c}" for c in COMPARED)
            excluded = ", ".join(f"EXCLUDED.{c}" for c in COMPARED)
            if self.catalog_empty:
                changed = f"SELECT * FROM {t} WHERE valid"
                params = [seller_id]
            else:
                changed = f"""
                    SELECT t.* FROM {t} t
                    LEFT JOIN LATERAL (
                        SELECT * FROM catalog_product p
                        WHERE p.seller_id = %s AND p.sku = t.sku LIMIT 1
                    ) p ON true
                    WHERE t.valid AND (p.id IS NULL OR ({target}) IS DISTINCT FROM ({source}))
                """
                params = [seller_id, seller_id]
            cursor.execute(
                f"""
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
                """,
                params,
            )
        created, updated = cursor.fetchone()
        self.created += created
        self.updated += updated

    def _reject_lost_zeros(self, cursor: Any) -> int:
        """Reject new all-digit SKUs that are existing SKUs with their leading zeros dropped.

        `123` is taken for `00123` when the catalog has `00123` and not `123`, and the file
        itself does not name `00123` (the seen table): Excel turned the column into numbers.
        Importing it would add a second card for the same product. Returns the rows rejected.
        """
        t = self.table
        cursor.execute(
            f"""
            WITH m AS (
                UPDATE {t} SET valid = false FROM (
                    SELECT t.row_number, p.sku AS existing FROM {t} t
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
                      AND NOT EXISTS (SELECT 1 FROM {self.seen} s WHERE s.sku = p.sku)
                ) d
                WHERE {t}.row_number = d.row_number
                RETURNING {t}.row_number, {t}.sku, d.existing
            ), e AS (
                INSERT INTO catalog_rowerror (job_id, "row", "column", code, params, severity)
                SELECT %s, row_number, 'sku', 'lost_leading_zero',
                       jsonb_build_object('value', sku, 'existing', existing), 'error'
                FROM m
                RETURNING 1
            )
            SELECT count(*) FROM e
            """,
            [self.job.seller_id, self.job.seller_id, self.job.pk],
        )
        return cursor.fetchone()[0]

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
                    column=problem.column,
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
        """PostgresStager._reject_lost_zeros, in Python."""
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
        from sellers.models import Seller

        if commit:
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


# --- the run --------------------------------------------------------------------------------


def _column_names(column_map: ColumnMap, header: list[str]) -> list[str]:
    """The name to report for each cell position: canonical if mapped, else the header text."""
    names = [cell.strip() or f"#{i + 1}" for i, cell in enumerate(header)]
    for name, index in column_map.index.items():
        names[index] = name
    return names


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


def import_job_process(*, job: ImportJob, heartbeat: Heartbeat) -> ImportJob:
    """Read, validate and preview or apply one job's file; FileError for a file-level error."""
    from catalog.services import product_lookups

    commit = job.mode == ImportMode.COMMIT
    if not job.seller.can_import:
        raise FileError("seller_not_approved")
    estimate = _estimate_rows(job)
    if estimate:
        ImportJob.objects.filter(pk=job.pk).update(total_rows=estimate)
    try:
        handle = job.file.open("rb")
    except (OSError, ValueError) as error:
        raise FileError("file_missing") from error
    with handle, open_table(handle, is_header=looks_like_header) as table:
        column_map = columns_map(table.header)
        names = _column_names(column_map, table.header)
        fields = list(column_map.index.items())
        sku_index = column_map.index["sku"]
        lookups: Lookups = product_lookups(seller=job.seller)
        stager: Stager = (
            PostgresStager(job=job) if connection.vendor == "postgresql" else BatchStager(job=job)
        )
        with transaction.atomic(), ExitStack() as stack:
            RowError.objects.filter(job=job).delete()
            started = time.monotonic()
            stager.begin(stack)
            for row in table:
                _stage_row(row, fields, names, sku_index, lookups, stager)
                heartbeat.tick()
            stager.end()
            staged = time.monotonic()
            counts = stager.finish(commit=commit)
            finished_sql = time.monotonic()
            delay = float(getattr(settings, "CATALOG_IMPORT_TEST_COMMIT_DELAY", 0) or 0)
            if delay:
                time.sleep(delay)  # tests only: hold the transaction open to kill the worker
            warnings = RowError.objects.filter(job=job, severity=Severity.WARNING).count()
            finished = ImportJob.objects.filter(pk=job.pk, lease_owner=heartbeat.owner).update(
                status=ImportStatus.COMPLETED if commit else ImportStatus.VALIDATED,
                total_rows=table.rows_read,
                total_lines=table.lines_read,
                processed_rows=table.rows_read,
                created_count=counts["created"],
                updated_count=counts["updated"],
                unchanged_count=counts["unchanged"],
                invalid_count=counts["invalid"],
                warning_count=warnings,
                warnings=column_map.warnings(),
                detected=table.detected,
                error_code="",
                error_params={},
                finished_at=timezone.now(),
                lease_owner="",
                lease_until=None,
            )
            if not finished:
                raise LeaseLost  # rolls the whole run back
        logger.info(
            "import %s: %s rows read and staged in %.2f s, %s in %.2f s, committed in %.2f s: %s",
            job.pk,
            table.rows_read,
            staged - started,
            job.mode,
            finished_sql - staged,
            time.monotonic() - finished_sql,
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
        stager.add(number, sku, None, problems)
        return
    record = {name: cells[index] if index < width else "" for name, index in fields}
    values, found = validate_texts(record, lookups)
    if problems:
        flagged = {p.column for p in problems}
        problems += [p for p in found if p.column not in flagged]
        values = None
    else:
        problems = found
    stager.add(number, sku, values, problems)


def import_job_execute(*, job_id: int, owner: str) -> str:
    """The task body: lease, process, record the outcome. Database errors propagate (retry)."""
    job = import_job_acquire(job_id=job_id, owner=owner)
    if job is None:
        return "skipped"
    try:
        with Heartbeat(job_id=job.pk, owner=owner) as heartbeat:
            import_job_process(job=job, heartbeat=heartbeat)
    except FileError as error:
        import_job_fail(job_id=job.pk, owner=owner, code=error.code, params=error.params)
        return "failed"
    except LeaseLost:
        logger.warning("import %s: lease lost, another execution has it", job_id)
        return "lease lost"
    return "done"

"""The import's database writers: stagers that preview or apply the validated rows.

On PostgreSQL the valid rows (and the row errors, as JSON) stream through COPY into a temporary
table; duplicates, the preview counts and the upsert are then a few set-based statements, named
below. Other databases use batched `bulk_create(update_conflicts=True)`
(`catalog.importing.batch`).
"""

import io
import queue
import sys
import threading
from contextlib import ExitStack
from operator import itemgetter
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, transaction
from psycopg import Copy
from psycopg.copy import FileWriter
from psycopg.errors import UniqueViolation

from catalog.importing.encoding import (
    RepeatedList,
    json_object,
    problems_json,
    stored_issues_json,
)
from catalog.importing.skus import INDEX_AFTER_LOOKUPS, SkuFilter
from catalog.importing.statements import (
    ALL_VALID_ROWS,
    CATALOG_IS_EMPTY,
    COPY_CHUNK,
    COPY_ISSUE_SETS,
    CREATE_TABLES,
    EMPTY_CHUNK,
    HAS_ZERO_PADDED_SKUS,
    INDEX_SKU_LOG,
    INSERT_NEW,
    ISSUE_SET,
    JSON_COLUMNS,
    LOCK_SELLER,
    LOG_SKUS,
    NEW_OR_CHANGED_ROWS,
    PREVIEW,
    PREVIEW_NEW_CATALOG,
    PRODUCT_COLUMNS,
    PRODUCT_FIELDS,
    RECORD_ROW_ERRORS,
    REJECT_DUPLICATE_SKUS,
    REJECT_LOST_ZEROS,
    REJECT_SKUS_SEEN_BEFORE,
    RELEASE_SAVEPOINT,
    ROLLBACK_TO_SAVEPOINT,
    SAVEPOINT,
    UPSERT,
    quoted,
    sql_names,
)
from catalog.models import ImportJob, ImportMode
from portal.tabular import Problem

# --- the product's columns ------------------------------------------------------------------
# A staged row: its number, whether it is still valid, its problems and its image URLs (both
# JSON text), then the other product columns, taken from the row's values in one C call
# (`_plain_values`): building a row costs no more than writing the tuple out by hand. A
# rejected row keeps its number, its problems and at most a SKU (see PostgresStager.add).
JSON_LIST_COLUMNS = ("image_urls", "features_uz", "features_ru")
PLAIN_COLUMNS = tuple(
    column
    for column in PRODUCT_COLUMNS
    if column not in JSON_LIST_COLUMNS and column not in ("attributes", "readiness_issues")
)
STAGED_COLUMNS = (
    "row_number",
    "valid",
    "maybe_seen",
    "errors",
    *JSON_LIST_COLUMNS,
    "attributes",
    ISSUE_SET,
    *PLAIN_COLUMNS,
)
_plain_values = itemgetter(*PLAIN_COLUMNS)
_NO_JSON = (None,) * (len(JSON_LIST_COLUMNS) + 2)
_NO_VALUES = (None,) * (len(PLAIN_COLUMNS) - 1)

ATTRIBUTE_TEXTS = 10_000
ISSUE_SETS = 10_000
FIRST_CHUNK_ROWS = 1000
# Chunks formatted and waiting for the helper thread (about 7 MB each at 10,000 card rows).
PENDING_CHUNKS = 2
SELLER_LOCK_NAMESPACE = 0x0B02  # pg_advisory_xact_lock(namespace, seller id)
TEMP_BUFFERS = "256MB"
# While the helper thread waits on PostgreSQL, the validating main thread holds the GIL; at
# Python's default 5 ms switch interval each of the helper's wake-ups waited that long, which
# made the chunk statements about 2.5 times slower than PostgreSQL ran them (3.9 s against
# 3.0 s for a 100,000-row import).
GIL_SWITCH_SECONDS = 0.0002


def _staging_table_columns() -> str:
    """The staging table's `name type, ...`: text for any string and the file's JSON columns
    (read as jsonb by the statements), else the product column's own type (bigint, integer,
    jsonb)."""
    types = {
        "row_number": "integer",
        "valid": "boolean",
        "maybe_seen": "boolean",
        "errors": "text",
        ISSUE_SET: "integer",
    }
    for field in PRODUCT_FIELDS:
        is_text = field.get_internal_type() in ("CharField", "TextField")
        is_text = is_text or field.attname in JSON_COLUMNS
        types[field.attname] = "text" if is_text else str(field.db_type(connection))
    return ", ".join(f"{quoted(name)} {types[name]}" for name in STAGED_COLUMNS)


def chunk_rows_next(*, left: int, least: int, full: int) -> int:
    """The rows of the next chunk: full chunks, then halving ones over the file's last rows
    (`left`, by the expected count), never fewer than `least`. Once the rows are validated,
    the import waits for the statements of the chunks not yet applied; PostgreSQL keeps up
    with the validation, so that is the last chunk, made small. A file longer than expected
    goes on in full chunks."""
    if left <= 0:
        return full
    return max(least, min(full, left // 2))


# --- the stagers ----------------------------------------------------------------------------


class Stager:
    """Collects validated rows and row errors, then previews or applies them."""

    def __init__(
        self, *, job: ImportJob, kept: frozenset[str] = frozenset(), rows: int = 0
    ) -> None:
        """`rows`: how many the file is expected to have (0: not known)."""
        self.job = job
        self.expected_rows = rows
        # The card columns the file lacks: an update keeps what the product has in them.
        self.kept = kept
        # Whether the seller had no products when the import began (then nothing it writes has
        # siblings or kept values to look after); a stager that does not look says False.
        self.catalog_empty = False
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

    Each chunk of rows is validated in Python while PostgreSQL applies the chunks before it (a
    helper thread takes them off a short queue and runs their statements in order, on the same
    connection, inside the same transaction), so the two CPUs work at once; the main thread
    waits only when PostgreSQL falls PENDING_CHUNKS chunks behind, and at the end for what is
    left, which the chunk sizes keep small (chunk_rows_next). Per chunk: the row errors,
    duplicate SKUs (against the chunk and a table of every SKU seen so far), then the upsert
    (commit) or the preview count. Each statement touches one chunk, so the cost stays linear
    in the number of rows.
    """

    def __init__(
        self, *, job: ImportJob, kept: frozenset[str] = frozenset(), rows: int = 0
    ) -> None:
        super().__init__(job=job, kept=kept, rows=rows)
        names = sql_names(kept)
        self.names = {
            **names,
            "rows": f"import_rows_{job.pk}",
            "issue_sets": f"import_issue_sets_{job.pk}",
            "seen": f"import_skus_{job.pk}",
            "seen_log": f"import_sku_log_{job.pk}",
            "staged": _staging_table_columns(),
            "staged_names": ", ".join(quoted(name) for name in STAGED_COLUMNS),
        }
        for name in ("values", "source"):  # the readiness issues come from {issue_sets}
            self.names[name] = names[name].format(issue_sets=self.names["issue_sets"])
        self.commit = job.mode == ImportMode.COMMIT
        # The first chunk is small, so PostgreSQL starts on it while the rest is validated.
        self.full_chunk_rows = settings.CATALOG_IMPORT_CHUNK_ROWS
        self.least_chunk_rows = max(1, min(FIRST_CHUNK_ROWS, self.full_chunk_rows))
        self.chunk_rows = self.least_chunk_rows
        self.flushed_rows = 0
        self.buffer: list[tuple] = []
        self.attribute_texts: dict[int, tuple[dict[str, Any], str]] = {}
        # id(the issues as stored) -> (them, their set's number); the sets not yet staged
        self.issue_sets: dict[int, tuple[list, int]] = {}
        self.issue_sets_count = 0
        self.issue_sets_new: list[tuple[int, str]] = []
        self.image_urls_json = RepeatedList()
        self.features_uz_json = RepeatedList()
        self.features_ru_json = RepeatedList()
        self.chunk_has_problems = False
        self.created = 0
        self.updated = 0
        self.rejected = 0  # rows valid on their own, rejected as a repeated or unpadded SKU
        # The helper thread applies the chunks in order, as the main thread queues them.
        self._queue: queue.Queue[tuple | None] = queue.Queue(maxsize=PENDING_CHUNKS)
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None
        self._cancelled = False

    def sql(self, statement: str, **more: str) -> str:
        """The statement with this job's table names and the fixed column lists filled in."""
        return statement.format_map({**self.names, **more})

    def begin(self, stack: ExitStack) -> None:
        self.cursor = cursor = stack.enter_context(connection.cursor())
        # Django's foreign keys are DEFERRABLE INITIALLY DEFERRED: checked all at once at COMMIT.
        # Checked per statement instead, they run in the helper thread, beside the validation.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        # A chunk's statements are planned for many more rows than they touch (a row's errors
        # are a JSON array, estimated at 100 each), which switched on JIT compilation: about
        # 5 ms per chunk and statement, for statements that run in about 30.
        cursor.execute("SET LOCAL jit = off")
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
        # A first import tells repeated SKUs mostly in Python (see catalog.importing.skus).
        self.skus = SkuFilter() if self.catalog_empty else None
        self.sku_log_indexed = False
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
        # A cursor that runs nothing: its adapters format the chunks' COPY data.
        self.formatting = stack.enter_context(self.raw.cursor())
        stack.callback(self._join_quietly)

    def add(
        self, number: int, sku: str, values: dict[str, Any] | None, problems: list[Problem]
    ) -> None:
        # PostgreSQL's jsonb cannot hold NUL: a value with one is already rejected, and where a
        # message quotes it, it shows U+FFFD instead. A rejected row is staged with its number,
        # its errors and, for the duplicate check, a SKU only if a valid row could have it (the
        # pipeline passes "" otherwise), so nothing of it reaches an index that would refuse it.
        maybe_seen = False
        skus = self.skus
        if skus is not None and sku:
            first, maybe_seen = skus.check(sku, number)
            if first is not None:
                problems = [
                    *problems,
                    Problem("sku", "duplicate_sku", {"value": sku, "first_row": first}),
                ]
                values, sku = None, ""
        errors = None
        if problems:
            self.chunk_has_problems = True
            errors = problems_json(problems)
        if values is None:
            self.invalid += 1
            self.buffer.append((number, False, maybe_seen, errors, *_NO_JSON, sku, *_NO_VALUES))
        else:
            self.valid += 1
            self.buffer.append(
                (
                    number,
                    True,
                    maybe_seen,
                    errors,
                    self.image_urls_json(values["image_urls"]),
                    self.features_uz_json(values["features_uz"]),
                    self.features_ru_json(values["features_ru"]),
                    self._attributes_json(values["attributes"]),
                    self._issue_set(values["readiness_issues"]),
                )
                + _plain_values(values)
            )
        if len(self.buffer) >= self.chunk_rows:
            self._flush()

    def _issue_set(self, issues: list[dict[str, Any]]) -> int:
        """The number of the row's set of readiness issues, staged with the chunk if new. Rows
        share the lists the card checker shares (catalog.importing.variants)."""
        found = self.issue_sets.get(id(issues))
        if found is not None and found[0] is issues:
            return found[1]
        self.issue_sets_count += 1
        number = self.issue_sets_count
        self.issue_sets_new.append((number, stored_issues_json(issues)))
        if len(self.issue_sets) < ISSUE_SETS:  # kept alive with it: its id stays its own
            self.issue_sets[id(issues)] = (issues, number)
        return number

    def _attributes_json(self, attributes: dict[str, Any]) -> str:
        """Variants repeat a few combinations of values, and the card checker gives the rows
        of one combination the same dictionary: each encoded once."""
        if not attributes:
            return "{}"
        found = self.attribute_texts.get(id(attributes))
        if found is not None and found[0] is attributes:
            return found[1]
        text = json_object(attributes)
        if len(self.attribute_texts) < ATTRIBUTE_TEXTS:  # kept alive with it: its id is its own
            self.attribute_texts[id(attributes)] = (attributes, text)
        return text

    def _flush(self) -> None:
        if not self.buffer:
            return
        rows, self.buffer = self.buffer, []
        self.flushed_rows += len(rows)
        # The chunk's COPY data is formatted here and sent by the helper thread: this thread
        # goes on validating while PostgreSQL reads it.
        data = self._copy_data(rows)
        del rows
        self._raise_error()
        self.chunk_rows = chunk_rows_next(
            left=self.expected_rows - self.flushed_rows,
            least=self.least_chunk_rows,
            full=self.full_chunk_rows,
        )
        has_problems, self.chunk_has_problems = self.chunk_has_problems, False
        maybe_seen = 0
        if self.skus is not None:
            maybe_seen = self.skus.maybe_seen
            self.skus.new_chunk()
        issue_sets, self.issue_sets_new = self.issue_sets_new, []
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._apply_queued, name="import-chunks", daemon=True
            )
            self._thread.start()
        # Waits only when PostgreSQL is PENDING_CHUNKS chunks behind.
        self._queue.put((data, issue_sets, has_problems, maybe_seen))

    def _copy_data(self, rows: list[tuple]) -> bytes:
        """The rows as COPY's text format, by psycopg's own formatter (psycopg.copy.FileWriter:
        a COPY written to a file, here one in memory, sends nothing)."""
        out = io.BytesIO()
        copy = Copy(self.formatting, writer=FileWriter(out))
        write = copy.write_row
        for row in rows:
            write(row)
        copy.finish(None)
        return out.getvalue()

    def _raise_error(self) -> None:
        """The helper thread's error, in the main thread (the import stops at the next
        chunk)."""
        if self._error is not None:
            self._cancelled = True
            error, self._error = self._error, None
            raise error

    def _wait(self) -> None:
        """Until every queued chunk is applied (the connection is then free again)."""
        self._stop_thread()
        self._raise_error()

    def _join_quietly(self) -> None:
        """On the way out of an import that failed: the chunks still queued are dropped (the
        transaction rolls back)."""
        self._cancelled = True
        self._stop_thread()

    def _stop_thread(self) -> None:
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = None

    def _apply_queued(self) -> None:
        """The helper thread: each queued chunk in order, until None. After an error (handed
        to the main thread) the rest are only taken off the queue."""
        while (chunk := self._queue.get()) is not None:
            if self._error is None and not self._cancelled:
                self._apply_in_thread(*chunk)
            del chunk  # its data, while the next one is awaited

    def _apply_in_thread(
        self, data: bytes, issue_sets: list[tuple[int, str]], has_problems: bool, maybe_seen: int
    ) -> None:
        try:
            with self.wrapper.wrap_database_errors, self.raw.cursor() as cursor:
                cursor.execute(self.sql(EMPTY_CHUNK))
                if issue_sets:
                    with cursor.copy(self.sql(COPY_ISSUE_SETS)) as copy:
                        for issue_set in issue_sets:
                            copy.write_row(issue_set)
                with cursor.copy(self.sql(COPY_CHUNK)) as copy:
                    copy.write(data)
                self._apply(cursor, has_problems, maybe_seen)
        except BaseException as error:  # handed to the main thread by _raise_error()
            self._error = error

    def _apply(self, cursor: Any, has_problems: bool, maybe_seen: int) -> None:
        job_id, seller_id = self.job.pk, self.job.seller_id
        if has_problems:  # row errors and warnings recorded while reading
            cursor.execute(self.sql(RECORD_ROW_ERRORS), [job_id])
        # Only this thread writes these counters (the main thread counts rows as read).
        if self.skus is None:
            cursor.execute(self.sql(REJECT_DUPLICATE_SKUS), [job_id])
            self.rejected += cursor.fetchone()[0]
        else:
            if maybe_seen >= INDEX_AFTER_LOOKUPS and not self.sku_log_indexed:
                cursor.execute(self.sql(INDEX_SKU_LOG))
                self.sku_log_indexed = True
            if maybe_seen:
                cursor.execute(self.sql(REJECT_SKUS_SEEN_BEFORE), [job_id])
                self.rejected += cursor.fetchone()[0]
            cursor.execute(self.sql(LOG_SKUS))
        if self.zero_padded:
            cursor.execute(self.sql(REJECT_LOST_ZEROS), [seller_id, seller_id, job_id])
            self.rejected += cursor.fetchone()[0]
        if not self.commit and self.catalog_empty:
            cursor.execute(self.sql(PREVIEW_NEW_CATALOG))
        elif not self.commit:
            cursor.execute(self.sql(PREVIEW), [seller_id])
        elif self.catalog_empty:
            if self._insert_new(cursor):
                return
            cursor.execute(self.sql(UPSERT, changed=self.sql(ALL_VALID_ROWS)), [seller_id, job_id])
        else:
            changed = self.sql(NEW_OR_CHANGED_ROWS)
            cursor.execute(self.sql(UPSERT, changed=changed), [seller_id, seller_id, job_id])
        created, updated = cursor.fetchone()
        self.created += created
        self.updated += updated

    def _insert_new(self, cursor: Any) -> bool:
        """A first import's rows, with a plain INSERT (no conflict arbitration): every valid row
        is new, as the catalog was empty and earlier chunks' SKUs are duplicates. Should a
        product with one of the SKUs have been added meanwhile (the API does not wait for the
        import's lock), the chunk falls back to the upsert: False."""
        cursor.execute(SAVEPOINT)
        try:
            cursor.execute(self.sql(INSERT_NEW), [self.job.seller_id, self.job.pk])
        except UniqueViolation:
            cursor.execute(ROLLBACK_TO_SAVEPOINT)
            return False
        created = cursor.rowcount
        cursor.execute(RELEASE_SAVEPOINT)
        self.created += created
        return True

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

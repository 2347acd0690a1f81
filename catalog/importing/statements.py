"""The import's SQL on PostgreSQL, each statement named for what it does.

Placeholders: {rows} is the staging table of the current chunk, {seen} the indexed table of every
SKU seen so far with the row it first appeared on, {seen_log} the same without an index (a first
import's, see `catalog.importing.skus`); the column lists are fixed (`SQL_NAMES`).
"""

from catalog.importing.columns import CANONICAL_HEADER
from catalog.models import Product

# The import's canonical columns as the database names them (brand -> brand_id): what the
# upsert writes, and but for the key, what it compares to tell a changed product.
_FIELDS_BY_NAME = {field.name: field for field in Product._meta.concrete_fields}
# The card's stored outcome travels with the file's columns (catalog.importing.variants).
CARD_OUTCOME = ("attributes", "readiness_state", "readiness_issues")
PRODUCT_FIELDS = tuple(_FIELDS_BY_NAME[name] for name in (*CANONICAL_HEADER, *CARD_OUTCOME))
PRODUCT_COLUMNS = tuple(field.attname for field in PRODUCT_FIELDS)
COMPARED = tuple(column for column in PRODUCT_COLUMNS if column != "sku")


def quoted(column: str) -> str:
    """A column name as SQL writes it (`group` is a reserved word)."""
    return f'"{column}"'


# The file's JSON columns (photos, features, characteristics) are staged as text and read as
# jsonb by the chunk's statements: parsing them is then done in the helper thread, beside the
# validation, not in the COPY the main thread waits for.
JSON_COLUMNS = frozenset(
    field.attname
    for field in PRODUCT_FIELDS
    if field.get_internal_type() == "JSONField" and field.attname != "readiness_issues"
)
# The readiness issues: most rows of a file share one of a few lists (a plain file's rows, one
# per category), so each distinct list is staged once in {issue_sets} and a row names its set.
# PostgreSQL then reads a few lists, not one per row (they are most of a plain file's bytes).
ISSUE_SET = "readiness_set"


def staged(column: str, table: str = "") -> str:
    """A staged column as the product's type (jsonb from its text, the issues from the row's
    set)."""
    if column == "readiness_issues":
        return f"(SELECT s.issues FROM {{issue_sets}} s WHERE s.id = {table}{ISSUE_SET})"
    name = f"{table}{quoted(column)}"
    return f"{name}::jsonb" if column in JSON_COLUMNS else name


# A file without a card column (group, features, characteristics) keeps what the products have
# stored in it: an update writes the file's columns only. Readiness then also depends on what was
# kept, so it is not compared (it is checked again afterwards: catalog.cards.readiness_refresh).
CARD_KEPT = ("group", "features_uz", "features_ru", "attributes")
READINESS_COLUMNS = ("readiness_state", "readiness_issues")


def updated_columns(kept: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """The columns an update of an existing product writes."""
    return tuple(column for column in COMPARED if column not in kept)


def compared_columns(kept: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """The columns that tell a changed product from an unchanged one."""
    if not kept:
        return COMPARED
    return tuple(c for c in updated_columns(kept) if c not in READINESS_COLUMNS)


def sql_names(kept: frozenset[str] = frozenset()) -> dict[str, str]:
    """The column lists of the statements, for a file that lacks the card columns `kept`."""
    written = tuple(quoted(c) for c in updated_columns(kept))
    compared = compared_columns(kept)
    return {
        "columns": ", ".join(quoted(c) for c in COMPARED),
        "values": ", ".join(staged(c) for c in COMPARED),
        "target": ", ".join(f"p.{quoted(c)}" for c in compared),
        "source": ", ".join(staged(c, "t.") for c in compared),
        "assignments": ", ".join(f"{c} = EXCLUDED.{c}" for c in written),
        "current": ", ".join(f"catalog_product.{quoted(c)}" for c in compared),
        "excluded": ", ".join(f"EXCLUDED.{quoted(c)}" for c in compared),
    }


SQL_NAMES = sql_names()

CREATE_TABLES = (
    "DROP TABLE IF EXISTS {rows}, {seen}, {seen_log}, {issue_sets}",
    "CREATE TEMP TABLE {rows} ({staged}) ON COMMIT DROP",
    "CREATE TEMP TABLE {issue_sets} (id integer PRIMARY KEY, issues jsonb) ON COMMIT DROP",
    "CREATE TEMP TABLE {seen} (sku text PRIMARY KEY, first_row integer) ON COMMIT DROP",
    "CREATE TEMP TABLE {seen_log} (sku text, first_row integer) ON COMMIT DROP",
)
LOCK_SELLER = "SELECT pg_advisory_xact_lock(%s, %s)"
CATALOG_IS_EMPTY = "SELECT NOT EXISTS (SELECT 1 FROM catalog_product WHERE seller_id = %s)"
HAS_ZERO_PADDED_SKUS = (
    "SELECT EXISTS (SELECT 1 FROM catalog_product WHERE seller_id = %s AND sku::text LIKE '0%%')"
)
EMPTY_CHUNK = "TRUNCATE {rows}"
COPY_CHUNK = "COPY {rows} ({staged_names}) FROM STDIN"
COPY_ISSUE_SETS = "COPY {issue_sets} (id, issues) FROM STDIN"

RECORD_ROW_ERRORS = """
    INSERT INTO catalog_rowerror (job_id, "row", "column", code, params, severity)
    SELECT %s, t.row_number, e->>0, e->>1, e->2, e->>3
    FROM {rows} t, jsonb_array_elements(t.errors::jsonb) e
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

# A first import's repeats (the rows certainly new, and repeats within a chunk of a SKU no
# earlier chunk can have had, are told in Python: `catalog.importing.skus`): the rows the filter
# could not clear are looked up in the log of earlier chunks' SKUs, and among themselves. A
# repeat is rejected and loses its SKU, so that the log keeps one entry per SKU. Returns (valid
# rows rejected, errors).
REJECT_SKUS_SEEN_BEFORE = """
    WITH c AS (
        SELECT row_number, sku, valid FROM {rows} WHERE maybe_seen
    ), d AS (
        SELECT c.row_number, c.sku, c.valid, COALESCE(s.first_row, f.first_row) AS first_row
        FROM c
        JOIN (SELECT sku, min(row_number) AS first_row FROM c GROUP BY sku) f ON f.sku = c.sku
        LEFT JOIN {seen_log} s ON s.sku = c.sku
        WHERE s.sku IS NOT NULL OR c.row_number > f.first_row
    ), m AS (
        UPDATE {rows} SET valid = false, sku = '' FROM d
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
INDEX_SKU_LOG = "CREATE INDEX ON {seen_log} (sku)"
# The chunk's SKUs (each once, and new) join the log for the chunks after it.
LOG_SKUS = (
    "INSERT INTO {seen_log} (sku, first_row) SELECT sku, row_number FROM {rows} WHERE sku <> ''"
)

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
# A first import's valid rows, all new: see PostgresStager._insert_new.
INSERT_NEW = """
    INSERT INTO catalog_product (seller_id, sku, {columns}, created_at, updated_at, last_import_id)
    SELECT %s, sku, {values}, now(), now(), %s FROM {rows} WHERE valid
"""
SAVEPOINT = "SAVEPOINT import_chunk"
ROLLBACK_TO_SAVEPOINT = "ROLLBACK TO SAVEPOINT import_chunk"
RELEASE_SAVEPOINT = "RELEASE SAVEPOINT import_chunk"
# Returns (created, updated); {changed} is one of the two statements above.
UPSERT = """
    WITH changed AS ({changed}), up AS (
        INSERT INTO catalog_product (seller_id, sku, {columns}, created_at, updated_at,
                                     last_import_id)
        SELECT %s, sku, {values}, now(), now(), %s FROM changed
        ON CONFLICT (seller_id, sku) DO UPDATE
        SET {assignments}, updated_at = EXCLUDED.updated_at,
            last_import_id = EXCLUDED.last_import_id
        WHERE ({current}) IS DISTINCT FROM ({excluded})
        RETURNING (xmax = 0) AS inserted
    )
    SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted)
    FROM up
"""

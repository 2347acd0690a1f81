"""Writes to insights: seasons, sales loads (facts and their rollups, in one transaction)."""

import datetime
import hashlib
import io
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

from django.db import connection, transaction
from django.db.models import Q

from catalog.models import Category
from insights.countries import COUNTRIES
from insights.messages import message_render
from insights.models import MarketBrand, SalesLoad, Season
from insights.rows import ALIASES, SALES_COLUMNS, CellError, header_key, parse_date, parse_whole
from insights.seasons import DEFAULTS, default_windows

logger = logging.getLogger(__name__)

MAX_REPORTED_ERRORS = 1000
SALES_MAX_ROWS = 50_000_000
BRAND_NAME_MAX = 100
# One advisory lock key for every sales load: loads are rare and serialising them keeps the
# rollups free of lock-order deadlocks and lets a second identical file see the first's load.
SALES_LOAD_LOCK = 7_340_011


# ---------------------------------------------------------------------------------------------
# Seasons


def seasons_seed(*, year: int) -> int:
    """Create the default seasons of a year that do not exist yet; edited ones are kept.

    Returns how many were created. Ramadan and Eid are seeded for the years in the table only.
    """
    windows = default_windows(year)
    existing = set(Season.objects.filter(year=year).values_list("code", flat=True))
    created = [
        Season(
            code=default.code,
            name_en=default.name_en,
            name_ru=default.name_ru,
            name_uz=default.name_uz,
            name_zh=default.name_zh,
            year=year,
            start=windows[default.code][0],
            end=windows[default.code][1],
        )
        for default in DEFAULTS
        if default.code in windows and default.code not in existing
    ]
    Season.objects.bulk_create(created, ignore_conflicts=True)
    return len(created)


# ---------------------------------------------------------------------------------------------
# Loading sales facts


@dataclass
class LoadProblem:
    row: int | None
    column: str | None
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return message_render(self.code, self.params)

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "code": self.code, "message": self.message}


@dataclass
class SalesLoadResult:
    """What a load did: `loaded`, `already_loaded` (same content as an earlier load: nothing
    added) or `rejected` (file or row problems: nothing stored)."""

    status: str
    filename: str
    sha256: str
    load: SalesLoad | None = None
    rows: int = 0
    brands_created: int = 0
    error_count: int = 0
    errors: list[LoadProblem] = field(default_factory=list)
    detected: dict[str, Any] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status != "rejected"

    def as_dict(self) -> dict[str, Any]:
        load = self.load
        return {
            "status": self.status,
            "filename": self.filename,
            "sha256": self.sha256,
            "load_id": load.pk if load else None,
            "loaded_at": load.loaded_at.isoformat() if load else None,
            "rows": load.rows if load else self.rows,
            "brands_created": self.brands_created,
            "units": load.units if load else 0,
            "revenue_uzs": load.revenue_uzs if load else 0,
            "first_date": load.first_date.isoformat() if load and load.first_date else None,
            "last_date": load.last_date.isoformat() if load and load.last_date else None,
            "detected": self.detected or (load.detected if load else {}),
            "ignored_columns": self.ignored_columns,
            "error_count": self.error_count,
            "errors": [problem.as_dict() for problem in self.errors],
        }


class _Problems(list):
    """The problems of a load: every one counted, the first MAX_REPORTED_ERRORS kept."""

    total = 0

    def append(self, problem: LoadProblem) -> None:  # type: ignore[override]
        self.total += 1
        if len(self) < MAX_REPORTED_ERRORS:
            super().append(problem)


class _Rejected(Exception):
    """Raised inside the load transaction to roll everything back."""


def _file_sha256(source: BinaryIO | Path | str) -> str:
    digest = hashlib.sha256()
    if isinstance(source, str | Path):
        with open(source, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        return digest.hexdigest()
    source.seek(0)
    for chunk in iter(lambda: source.read(1 << 20), b""):
        digest.update(chunk)
    source.seek(0)
    return digest.hexdigest()


def _seller_brands_by_name() -> dict[str, Any]:
    """Lower-cased registered brand names (Latin and Chinese) -> the one Brand, or None when
    several sellers registered the same name (then no link is guessed)."""
    from sellers.models import Brand

    found: dict[str, Any] = {}
    for brand in Brand.objects.all():
        for name in {brand.name.strip().lower(), brand.name_zh.strip().lower()} - {""}:
            found[name] = None if name in found else brand
    return found


class _BrandResolver:
    """Market brands by lower-cased name; a brand met for the first time is created when its
    first row is written (the writer pauses COPY for it: no query may run during COPY)."""

    def __init__(self) -> None:
        self.known: dict[str, list[Any]] = {}  # lower-cased name -> [pk or None, origin, name]
        for pk, name, origin in MarketBrand.objects.values_list("pk", "name", "origin_country"):
            self.known[name.lower()] = [pk, origin, name]
        self.seller_brands = _seller_brands_by_name()
        self.created = 0

    def origin_of(self, name: str) -> str | None:
        found = self.known.get(name.lower())
        return found[1] if found is not None else None

    def entry(self, name: str, origin: str) -> list[Any]:
        key = name.lower()
        found = self.known.get(key)
        if found is None:
            found = self.known[key] = [None, origin, name]
        return found

    def create(self, entry: list[Any]) -> int:
        _pk, origin, name = entry
        brand = MarketBrand.objects.create(
            name=name, origin_country=origin, brand=self.seller_brands.get(name.lower())
        )
        entry[0] = brand.pk
        self.created += 1
        return brand.pk


def _looks_like_header(cells: list[str]) -> bool:
    """A header names at least three sales columns (title lines above it are skipped)."""
    return len({ALIASES.get(header_key(cell)) for cell in cells} - {None}) >= 3


def _header_map(header: list[str]) -> tuple[dict[str, int], list[str], list[LoadProblem]]:
    positions: dict[str, int] = {}
    ignored: list[str] = []
    problems: list[LoadProblem] = []
    for index, cell in enumerate(header):
        column = ALIASES.get(header_key(cell))
        if column is None:
            if cell.strip():
                ignored.append(cell.strip())
            continue
        if column in positions:
            problems.append(LoadProblem(None, column, "duplicate_column", {"value": cell.strip()}))
            continue
        positions[column] = index
    missing = [column for column in SALES_COLUMNS if column not in positions]
    if missing:
        problems.append(LoadProblem(None, None, "missing_columns", {"columns": ", ".join(missing)}))
    return positions, ignored, problems


@dataclass
class _Totals:
    rows: int = 0
    units: int = 0
    revenue_uzs: int = 0
    first_date: datetime.date | None = None
    last_date: datetime.date | None = None


def _categories_by_code() -> dict[str, tuple[int, bool]]:
    return {
        code: (pk, leaf) for pk, code, leaf in Category.objects.values_list("pk", "code", "is_leaf")
    }


def _parsed_rows(
    table: Any,
    positions: dict[str, int],
    problems: list[LoadProblem],
    brands: _BrandResolver,
    categories: dict[str, tuple[int, bool]],
) -> Iterator[tuple[str, int, int, int, int]]:
    """Yield (iso date, category id, brand number, units, revenue) for each good row and
    append a problem for each bad cell. It runs during COPY, so it must not query: categories
    and brands are resolved in memory."""
    expected = len(table.header)
    i_date, i_category, i_brand = positions["date"], positions["category"], positions["brand"]
    i_origin, i_units, i_revenue = (
        positions["brand_origin"],
        positions["units"],
        positions["revenue_uzs"],
    )
    width = max(positions.values()) + 1
    names = {index: column for column, index in positions.items()}
    for row in table:
        row_number, cells = row
        damage = getattr(row, "problems", None)
        if damage or len(cells) < width:
            for problem in damage or ():
                problems.append(
                    LoadProblem(row_number, names.get(problem.column), problem.code, problem.params)
                )
            if not damage:
                problems.append(
                    LoadProblem(
                        row_number,
                        None,
                        "wrong_cell_count",
                        {"found": len(cells), "expected": expected},
                    )
                )
            continue
        bad = False
        try:
            day = parse_date(cells[i_date])
        except CellError as error:
            problems.append(LoadProblem(row_number, "date", error.code, error.params))
            bad = True
        code = cells[i_category].strip().lower()
        category = categories.get(code)
        if not code:
            problems.append(LoadProblem(row_number, "category", "required"))
            bad = True
        elif category is None:
            problems.append(
                LoadProblem(row_number, "category", "unknown_category", {"value": code})
            )
            bad = True
        elif not category[1]:
            problems.append(
                LoadProblem(row_number, "category", "not_leaf_category", {"value": code})
            )
            bad = True
        origin = cells[i_origin].strip().upper()
        if not origin:
            problems.append(LoadProblem(row_number, "brand_origin", "required"))
            bad = True
        elif origin not in COUNTRIES:
            problems.append(
                LoadProblem(row_number, "brand_origin", "unknown_origin", {"value": origin})
            )
            bad = True
        name = " ".join(cells[i_brand].split())
        if not name:
            problems.append(LoadProblem(row_number, "brand", "required"))
            bad = True
        elif len(name) > BRAND_NAME_MAX:
            problems.append(LoadProblem(row_number, "brand", "too_long", {"max": BRAND_NAME_MAX}))
            bad = True
        values = []
        for column, index in (("units", i_units), ("revenue_uzs", i_revenue)):
            try:
                values.append(parse_whole(cells[index]))
            except CellError as error:
                problems.append(LoadProblem(row_number, column, error.code, error.params))
                bad = True
        if bad:
            continue
        known_origin = brands.origin_of(name)
        if known_origin is not None and known_origin != origin:
            problems.append(
                LoadProblem(
                    row_number,
                    "brand_origin",
                    "origin_conflict",
                    {"brand": name, "known": known_origin, "value": origin},
                )
            )
            continue
        brand = brands.entry(name, origin)
        if problems:
            continue  # the file is rejected already: keep checking, write nothing more
        yield day.isoformat(), category[0], brand, values[0], values[1]  # type: ignore[index,possibly-undefined,misc]


FACT_COLUMNS = "load_id, date, category_id, market_brand_id, units, revenue_uzs"
FACT_BATCH = 10_000


def _facts_write(*, load_id: int, rows: Iterator[tuple[Any, ...]], brands: _BrandResolver) -> None:
    """Stream the facts into the table: COPY on PostgreSQL (paused to create a brand met for
    the first time), batched executemany elsewhere."""
    rows = iter(rows)
    if connection.vendor != "postgresql":
        sql = f"INSERT INTO insights_sale ({FACT_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s)"
        batch: list[tuple[Any, ...]] = []
        with connection.cursor() as cursor:
            for day, category_id, brand, units, revenue in rows:
                brand_id = brand[0] if brand[0] is not None else brands.create(brand)
                batch.append((load_id, day, category_id, brand_id, units, revenue))
                if len(batch) >= FACT_BATCH:
                    cursor.executemany(sql, batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
        return
    pending: tuple[Any, ...] | None = None
    with connection.cursor() as cursor:
        while True:
            if pending is not None:
                brands.create(pending[2])
            with cursor.cursor.copy(f"COPY insights_sale ({FACT_COLUMNS}) FROM STDIN") as copy:
                buffer = io.StringIO()
                write = buffer.write
                if pending is not None:
                    day, category_id, brand, units, revenue = pending
                    write(f"{load_id}\t{day}\t{category_id}\t{brand[0]}\t{units}\t{revenue}\n")
                    pending = None
                for row in rows:
                    day, category_id, brand, units, revenue = row
                    brand_id = brand[0]
                    if brand_id is None:
                        pending = row
                        break
                    write(f"{load_id}\t{day}\t{category_id}\t{brand_id}\t{units}\t{revenue}\n")
                    if buffer.tell() > 1 << 18:
                        copy.write(buffer.getvalue())
                        buffer = io.StringIO()
                        write = buffer.write
                copy.write(buffer.getvalue())
            if pending is None:
                return


def _counted(rows: Iterator[tuple[str, int, int, int, int]], totals: _Totals) -> Iterator[Any]:
    first = last = None
    for row in rows:
        totals.rows += 1
        totals.units += row[3]
        totals.revenue_uzs += row[4]
        if first is None or row[0] < first:
            first = row[0]
        if last is None or row[0] > last:
            last = row[0]
        yield row
    totals.first_date = datetime.date.fromisoformat(first) if first else None
    totals.last_date = datetime.date.fromisoformat(last) if last else None


class _Rollup(NamedTuple):
    """One rollup table: its key columns, their expressions over the facts `s`, a join."""

    table: str
    keys: tuple[str, ...]
    exprs: tuple[str, ...]
    join: str = ""

    @property
    def key_list(self) -> str:
        return ", ".join(self.keys)

    @property
    def expr_list(self) -> str:
        return ", ".join(self.exprs)

    def delta(self, where: str) -> str:
        """The facts selected by `where`, summed per key of this rollup."""
        aliases = ", ".join(f"{e} AS {k}" for e, k in zip(self.exprs, self.keys, strict=True))
        return (
            f"SELECT {aliases}, SUM(s.units) AS units, SUM(s.revenue_uzs) AS revenue_uzs, "
            f"COUNT(*) AS facts FROM insights_sale s {self.join} WHERE {where} "
            f"GROUP BY {self.expr_list}"
        )


def _month_of(column: str) -> str:
    """SQL for the first day of the month of a date column."""
    if connection.vendor == "postgresql":
        return f"CAST(date_trunc('month', {column}) AS date)"
    return f"date({column}, 'start of month')"


# Where each rollup key column comes from, over the facts `s` (and their brand `b`).
_KEY_SOURCES = {
    "category_id": "s.category_id",
    "market_brand_id": "s.market_brand_id",
    "origin_country": "b.origin_country",
}


def _rollup_tables() -> tuple[_Rollup, ...]:
    """Every rollup, its keys read off its primary key. The SQL that maintains them is the
    same on PostgreSQL and SQLite but for the month of a date."""
    from insights.models import ROLLUP_MODELS

    month = _month_of("s.date")
    rollups = []
    for model in ROLLUP_MODELS:
        keys = tuple(field.attname for field in model._meta.pk_fields)
        day = month if model.MONTHLY else "s.date"
        exprs = tuple(day if key == "date" else _KEY_SOURCES[key] for key in keys)
        join = ""
        if "origin_country" in keys:  # the origin is the brand's
            join = "JOIN insights_marketbrand b ON b.id = s.market_brand_id"
        rollups.append(_Rollup(model._meta.db_table, keys, exprs, join))
    return tuple(rollups)


def _rollups_add(*, where: str, params: list[Any], empty: bool = False) -> None:
    """Add the facts selected by `where` to every rollup.

    Into empty rollups (a rebuild) a plain INSERT. Otherwise, on PostgreSQL, one statement
    that updates the keys already present and inserts the others (cheaper than ON CONFLICT's
    speculative insertion; loads are serialised by the advisory lock); elsewhere an upsert.
    """
    with connection.cursor() as cursor:
        for rollup in _rollup_tables():
            table, keys = rollup.table, rollup.key_list
            delta = rollup.delta(where)
            columns = f"{keys}, units, revenue_uzs, facts"
            if empty:
                # In key order, so each category's days lie together on disk (fast ranges).
                cursor.execute(
                    f"INSERT INTO {table} ({columns}) {delta} ORDER BY {rollup.expr_list}",
                    params,
                )
            elif connection.vendor == "postgresql":
                match = " AND ".join(f"r.{name} = d.{name}" for name in rollup.keys)
                found = " AND ".join(f"u.{name} = d.{name}" for name in rollup.keys)
                cursor.execute(
                    f"WITH d AS ({delta}), u AS (UPDATE {table} r SET units = r.units + d.units, "
                    f"revenue_uzs = r.revenue_uzs + d.revenue_uzs, facts = r.facts + d.facts "
                    f"FROM d WHERE {match} RETURNING {', '.join(f'r.{n}' for n in rollup.keys)}) "
                    f"INSERT INTO {table} ({columns}) SELECT {columns} FROM d "
                    f"WHERE NOT EXISTS (SELECT 1 FROM u WHERE {found}) ORDER BY {keys}",
                    params,
                )
            else:
                cursor.execute(
                    f"INSERT INTO {table} ({columns}) SELECT * FROM ({delta}) WHERE true "
                    f"ON CONFLICT ({keys}) DO UPDATE SET "
                    f"units = {table}.units + EXCLUDED.units, "
                    f"revenue_uzs = {table}.revenue_uzs + EXCLUDED.revenue_uzs, "
                    f"facts = {table}.facts + EXCLUDED.facts",
                    params,
                )


def _rollups_subtract(*, load_id: int) -> None:
    """Remove one load's facts from every rollup; rows left with no facts are dropped."""
    with connection.cursor() as cursor:
        for rollup in _rollup_tables():
            table = rollup.table
            match = " AND ".join(f"{table}.{name} = d.{name}" for name in rollup.keys)
            cursor.execute(
                f"UPDATE {table} SET units = {table}.units - d.units, "
                f"revenue_uzs = {table}.revenue_uzs - d.revenue_uzs, "
                f"facts = {table}.facts - d.facts "
                f"FROM ({rollup.delta('s.load_id = %s')}) d WHERE {match}",
                [load_id],
            )
            cursor.execute(f"DELETE FROM {table} WHERE facts <= 0")


def _lock_loads() -> None:
    """Serialise loads, deletions and rebuilds; give their GROUP BY room to hash in memory."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SALES_LOAD_LOCK])
            cursor.execute("SET LOCAL work_mem = '64MB'")


def sales_load(
    *, file: BinaryIO | Path | str, filename: str = "", user: Any = None
) -> SalesLoadResult:
    """Load a marketplace sales report (CSV or XLSX) as one all-or-nothing load.

    A load is identified by the SHA-256 of the file's content: the same content again is
    reported as `already_loaded` and adds nothing. Any file or row problem rejects the whole
    file (status `rejected`, every problem listed with its row number and code) and leaves the
    facts and rollups exactly as they were. Facts and rollups change in one transaction.
    """
    from catalog.importing.readers import FileError, open_table

    if not filename and isinstance(file, str | Path):
        filename = Path(file).name
    filename = (filename or "sales.csv")[:255]
    sha256 = _file_sha256(file)
    result = SalesLoadResult(status="loaded", filename=filename, sha256=sha256)
    existing = SalesLoad.objects.filter(sha256=sha256).first()
    if existing is not None:
        result.status, result.load = "already_loaded", existing
        return result
    table = None
    try:
        table = open_table(
            file, filename=filename, is_header=_looks_like_header, max_rows=SALES_MAX_ROWS
        )
        result.detected = dict(table.detected)
        positions, ignored, header_problems = _header_map(list(table.header))
        result.ignored_columns = ignored
        if header_problems:
            result.status, result.errors = "rejected", header_problems
            result.error_count = len(header_problems)
            return result
        with transaction.atomic():
            _lock_loads()
            existing = SalesLoad.objects.filter(sha256=sha256).first()
            if existing is not None:
                result.status, result.load = "already_loaded", existing
                return result
            load = SalesLoad.objects.create(
                sha256=sha256, filename=filename, loaded_by=user, detected=result.detected
            )
            brands = _BrandResolver()
            totals = _Totals()
            problems = _Problems()
            rows = _parsed_rows(table, positions, problems, brands, _categories_by_code())
            _facts_write(load_id=load.pk, rows=_counted(rows, totals), brands=brands)
            if problems:
                result.error_count, result.errors = problems.total, list(problems)
                raise _Rejected
            if totals.rows == 0:
                result.errors = [LoadProblem(None, None, "no_rows")]
                result.error_count = 1
                raise _Rejected
            _rollups_add(where="s.load_id = %s", params=[load.pk])
            load.rows, load.units, load.revenue_uzs = totals.rows, totals.units, totals.revenue_uzs
            load.first_date, load.last_date = totals.first_date, totals.last_date
            load.brands_created = brands.created
            load.save(
                update_fields=[
                    "rows",
                    "units",
                    "revenue_uzs",
                    "first_date",
                    "last_date",
                    "brands_created",
                ]
            )
            result.load, result.rows, result.brands_created = load, totals.rows, brands.created
    except _Rejected:
        result.status = "rejected"
    except FileError as error:
        result.status = "rejected"
        result.errors = [LoadProblem(None, None, error.code, dict(error.params))]
        result.error_count = 1
    finally:
        if table is not None:
            table.close()
    if result.status == "loaded" and result.load is not None:
        for year in range(result.load.first_date.year, result.load.last_date.year + 1):  # type: ignore[union-attr]
            seasons_seed(year=year)
    return result


@transaction.atomic
def sales_load_delete(*, load: SalesLoad) -> int:
    """Delete a load: its facts and their contribution to every rollup. Returns the fact count.

    This is how a corrected file replaces a wrong one: delete the wrong load, load the new file.
    """
    _lock_loads()
    _rollups_subtract(load_id=load.pk)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM insights_sale WHERE load_id = %s", [load.pk])
        deleted = cursor.rowcount
    SalesLoad.objects.filter(pk=load.pk).delete()
    return deleted


@transaction.atomic
def rollups_rebuild() -> dict[str, int]:
    """Rebuild every rollup from the facts (after a manual fix in the database, say)."""
    _lock_loads()
    counts = {}
    with connection.cursor() as cursor:
        for table, *_rest in _rollup_tables():
            if connection.vendor == "postgresql":
                cursor.execute(f"TRUNCATE {table}")  # no dead rows left behind
            else:
                cursor.execute(f"DELETE FROM {table}")
    _rollups_add(where="1 = 1", params=[], empty=True)
    with connection.cursor() as cursor:
        for table, *_rest in _rollup_tables():
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            counts[table] = cursor.fetchone()[0]
    return counts


@transaction.atomic
def market_brand_update(
    *, market_brand: MarketBrand, origin_country: str | None = None, brand: Any = ...
) -> MarketBrand:
    """Change a market brand's origin (moving its figures between origins in the rollups) or
    its link to a registered seller brand."""
    from django.core.exceptions import ValidationError

    if brand is not ...:
        market_brand.brand = brand
    if origin_country is not None:
        origin_country = origin_country.strip().upper()
        if origin_country not in COUNTRIES:
            raise ValidationError(
                {"origin_country": [message_render("unknown_origin", {"value": origin_country})]}
            )
    old_origin = (
        MarketBrand.objects.filter(pk=market_brand.pk)
        .values_list("origin_country", flat=True)
        .first()
    )
    if origin_country is not None:
        market_brand.origin_country = origin_country
    market_brand.save()
    if old_origin is not None and origin_country is not None and origin_country != old_origin:
        # Recompute the two origins' rollup rows from the facts of their brands.
        _lock_loads()
        brand_ids = list(
            MarketBrand.objects.filter(
                Q(origin_country=old_origin) | Q(origin_country=origin_country)
            ).values_list("pk", flat=True)
        )
        placeholders = ", ".join(["%s"] * len(brand_ids))
        with connection.cursor() as cursor:
            for rollup in _rollup_tables():
                if "origin_country" not in rollup.keys:
                    continue
                cursor.execute(
                    f"DELETE FROM {rollup.table} WHERE origin_country IN (%s, %s)",
                    [old_origin, origin_country],
                )
                if brand_ids:
                    cursor.execute(
                        f"INSERT INTO {rollup.table} ({rollup.key_list}, units, revenue_uzs, "
                        f"facts) {rollup.delta(f's.market_brand_id IN ({placeholders})')}",
                        brand_ids,
                    )
    return market_brand

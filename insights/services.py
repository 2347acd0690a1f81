"""Writes to insights: seasons, sales loads (facts and their rollups, in one transaction)."""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q

from catalog.selectors import category_codes
from insights.countries import COUNTRIES
from insights.facts import facts_delete, facts_write
from insights.loading import (
    BrandResolver,
    ProblemList,
    SalesProblem,
    Totals,
    counted,
    header_map,
    parsed_rows,
    sales_table_open,
)
from insights.messages import message_render
from insights.models import MarketBrand, SalesLoad, Season
from insights.rollups import (
    origin_rollups_recompute,
    rollups_add,
    rollups_recompute,
    rollups_subtract,
)
from insights.seasons import DEFAULTS, default_windows
from portal.tabular import TableError, file_sha256

# One advisory lock key for every sales load: loads are rare and serialising them keeps the
# rollups free of lock-order deadlocks and lets a second identical file see the first's load.
SALES_LOAD_LOCK = 7_340_011


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
    errors: list[SalesProblem] = field(default_factory=list)
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


class _Rejected(Exception):
    """Raised inside the load transaction to roll everything back."""


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
    if not filename and isinstance(file, str | Path):
        filename = Path(file).name
    filename = (filename or "sales.csv")[:255]
    sha256 = file_sha256(file)
    result = SalesLoadResult(status="loaded", filename=filename, sha256=sha256)
    existing = SalesLoad.objects.filter(sha256=sha256).first()
    if existing is not None:
        result.status, result.load = "already_loaded", existing
        return result
    table = None
    try:
        table = sales_table_open(file)
        result.detected = dict(table.detected)
        positions, ignored, header_problems = header_map(list(table.header))
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
            brands = BrandResolver()
            totals = Totals()
            problems = ProblemList()
            rows = parsed_rows(table, positions, problems, brands, category_codes())
            facts_write(load_id=load.pk, rows=counted(rows, totals), brands=brands)
            if problems:
                result.error_count, result.errors = problems.total, list(problems)
                raise _Rejected
            if totals.rows == 0:
                result.errors = [SalesProblem(None, "no_rows")]
                result.error_count = 1
                raise _Rejected
            rollups_add(where="s.load_id = %s", params=[load.pk])
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
    except TableError as error:
        result.status = "rejected"
        result.errors = [SalesProblem(None, error.code, dict(error.params))]
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
    rollups_subtract(load_id=load.pk)
    deleted = facts_delete(load_id=load.pk)
    SalesLoad.objects.filter(pk=load.pk).delete()
    return deleted


@transaction.atomic
def rollups_rebuild() -> dict[str, int]:
    """Rebuild every rollup from the facts (after a manual fix in the database, say)."""
    _lock_loads()
    return rollups_recompute()


@transaction.atomic
def market_brand_update(
    *, market_brand: MarketBrand, origin_country: str | None = None, brand: Any = ...
) -> MarketBrand:
    """Change a market brand's origin (moving its figures between origins in the rollups) or
    its link to a registered seller brand."""
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
        origin_rollups_recompute(origins=(old_origin, origin_country), brand_ids=brand_ids)
    return market_brand

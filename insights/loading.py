"""Reading a sales report: its header, then each row as a fact to write or as problems."""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from insights.countries import COUNTRIES
from insights.messages import message_render
from insights.models import MarketBrand
from insights.rows import ALIASES, SALES_COLUMNS, parse_date
from portal.tabular import Problem, Table, TableError, header_key, open_table, parse_whole
from portal.uploads import spreadsheet_limits
from sellers.models import Brand

MAX_REPORTED_ERRORS = 1000
SALES_MAX_ROWS = 50_000_000
BRAND_NAME_MAX = 100


class SalesProblem(Problem[str]):
    """The shared Problem, worded in the active language wherever a load's problems are shown
    (the admin page, the command's JSON)."""

    @property
    def message(self) -> str:
        return message_render(self.code, self.params)

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "code": self.code, "message": self.message}


class ProblemList(list):
    """The problems of a load: every one counted, the first MAX_REPORTED_ERRORS kept."""

    total = 0

    def append(self, problem: SalesProblem) -> None:  # type: ignore[override]
        self.total += 1
        if len(self) < MAX_REPORTED_ERRORS:
            super().append(problem)


def _seller_brands_by_name() -> dict[str, Any]:
    """Lower-cased registered brand names (Latin and Chinese) -> the one Brand, or None when
    several sellers registered the same name (then no link is guessed)."""
    found: dict[str, Any] = {}
    for brand in Brand.objects.all():
        for name in {brand.name.strip().lower(), brand.name_zh.strip().lower()} - {""}:
            found[name] = None if name in found else brand
    return found


class BrandResolver:
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


def sales_table_open(file: BinaryIO | Path | str) -> Table:
    """The report as a table of rows under its header (title lines above it skipped); the
    catalogs' limits on columns and on XLSX archives apply, the row limit is the sales one."""
    limits = spreadsheet_limits(max_rows=SALES_MAX_ROWS)
    return open_table(file, limits=limits, is_header=_looks_like_header)


def header_map(header: list[str]) -> tuple[dict[str, int], list[str], list[SalesProblem]]:
    """Each sales column's position, the header cells that name none, the header's problems."""
    positions: dict[str, int] = {}
    ignored: list[str] = []
    problems: list[SalesProblem] = []
    for index, cell in enumerate(header):
        column = ALIASES.get(header_key(cell))
        if column is None:
            if cell.strip():
                ignored.append(cell.strip())
            continue
        if column in positions:
            problems.append(SalesProblem(column, "duplicate_column", {"value": cell.strip()}))
            continue
        positions[column] = index
    missing = [column for column in SALES_COLUMNS if column not in positions]
    if missing:
        problems.append(SalesProblem(None, "missing_columns", {"columns": ", ".join(missing)}))
    return positions, ignored, problems


def parsed_rows(
    table: Table,
    positions: dict[str, int],
    problems: list[SalesProblem],
    brands: BrandResolver,
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
                    SalesProblem(
                        names.get(problem.column), problem.code, problem.params, row=row_number
                    )
                )
            if not damage:
                problems.append(
                    SalesProblem(
                        None,
                        "wrong_cell_count",
                        {"found": len(cells), "expected": expected},
                        row=row_number,
                    )
                )
            continue
        bad = False
        try:
            day = parse_date(cells[i_date])
        except TableError as error:
            problems.append(SalesProblem("date", error.code, error.params, row=row_number))
            bad = True
        code = cells[i_category].strip().lower()
        category = categories.get(code)
        if not code:
            problems.append(SalesProblem("category", "required", row=row_number))
            bad = True
        elif category is None:
            problems.append(
                SalesProblem("category", "unknown_category", {"value": code}, row=row_number)
            )
            bad = True
        elif not category[1]:
            problems.append(
                SalesProblem("category", "not_leaf_category", {"value": code}, row=row_number)
            )
            bad = True
        origin = cells[i_origin].strip().upper()
        if not origin:
            problems.append(SalesProblem("brand_origin", "required", row=row_number))
            bad = True
        elif origin not in COUNTRIES:
            problems.append(
                SalesProblem("brand_origin", "unknown_origin", {"value": origin}, row=row_number)
            )
            bad = True
        name = " ".join(cells[i_brand].split())
        if not name:
            problems.append(SalesProblem("brand", "required", row=row_number))
            bad = True
        elif len(name) > BRAND_NAME_MAX:
            problems.append(
                SalesProblem("brand", "too_long", {"max": BRAND_NAME_MAX}, row=row_number)
            )
            bad = True
        values = []
        for column, index in (("units", i_units), ("revenue_uzs", i_revenue)):
            try:
                values.append(parse_whole(cells[index]))
            except TableError as error:
                problems.append(SalesProblem(column, error.code, error.params, row=row_number))
                bad = True
        if bad:
            continue
        known_origin = brands.origin_of(name)
        if known_origin is not None and known_origin != origin:
            problems.append(
                SalesProblem(
                    "brand_origin",
                    "origin_conflict",
                    {"brand": name, "known": known_origin, "value": origin},
                    row=row_number,
                )
            )
            continue
        brand = brands.entry(name, origin)
        if problems:
            continue  # the file is rejected already: keep checking, write nothing more
        yield day.isoformat(), category[0], brand, values[0], values[1]  # type: ignore[index,possibly-undefined,misc]


@dataclass
class Totals:
    rows: int = 0
    units: int = 0
    revenue_uzs: int = 0
    first_date: datetime.date | None = None
    last_date: datetime.date | None = None


def counted(rows: Iterator[tuple[str, int, int, int, int]], totals: Totals) -> Iterator[Any]:
    """The rows unchanged, adding each to `totals` on the way."""
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

"""The rollups' SQL: add facts to them, subtract a load, rebuild them, recompute two origins."""

from typing import Any, NamedTuple

from django.db import connection

from insights.models import ROLLUP_MODELS


class Rollup(NamedTuple):
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


def rollup_tables() -> tuple[Rollup, ...]:
    """Every rollup, its keys read off its primary key. The SQL that maintains them is the
    same on PostgreSQL and SQLite but for the month of a date."""
    month = _month_of("s.date")
    rollups = []
    for model in ROLLUP_MODELS:
        keys = tuple(field.attname for field in model._meta.pk_fields)
        day = month if model.MONTHLY else "s.date"
        exprs = tuple(day if key == "date" else _KEY_SOURCES[key] for key in keys)
        join = ""
        if "origin_country" in keys:  # the origin is the brand's
            join = "JOIN insights_marketbrand b ON b.id = s.market_brand_id"
        rollups.append(Rollup(model._meta.db_table, keys, exprs, join))
    return tuple(rollups)


def rollups_add(*, where: str, params: list[Any], empty: bool = False) -> None:
    """Add the facts selected by `where` to every rollup.

    Into empty rollups (a rebuild) a plain INSERT. Otherwise, on PostgreSQL, one statement
    that updates the keys already present and inserts the others (cheaper than ON CONFLICT's
    speculative insertion; loads are serialised by the advisory lock); elsewhere an upsert.
    """
    with connection.cursor() as cursor:
        for rollup in rollup_tables():
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


def rollups_subtract(*, load_id: int) -> None:
    """Remove one load's facts from every rollup; rows left with no facts are dropped."""
    with connection.cursor() as cursor:
        for rollup in rollup_tables():
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


def rollups_recompute() -> dict[str, int]:
    """Empty every rollup and fill it again from all the facts; the row count of each."""
    counts = {}
    with connection.cursor() as cursor:
        for table, *_rest in rollup_tables():
            if connection.vendor == "postgresql":
                cursor.execute(f"TRUNCATE {table}")  # no dead rows left behind
            else:
                cursor.execute(f"DELETE FROM {table}")
    rollups_add(where="1 = 1", params=[], empty=True)
    with connection.cursor() as cursor:
        for table, *_rest in rollup_tables():
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            counts[table] = cursor.fetchone()[0]
    return counts


def origin_rollups_recompute(*, origins: tuple[str, str], brand_ids: list[int]) -> None:
    """Recompute the two origins' rows of the rollups by origin from the facts of their brands
    (`brand_ids`: every market brand now of either origin)."""
    placeholders = ", ".join(["%s"] * len(brand_ids))
    with connection.cursor() as cursor:
        for rollup in rollup_tables():
            if "origin_country" not in rollup.keys:
                continue
            cursor.execute(
                f"DELETE FROM {rollup.table} WHERE origin_country IN (%s, %s)",
                list(origins),
            )
            if brand_ids:
                cursor.execute(
                    f"INSERT INTO {rollup.table} ({rollup.key_list}, units, revenue_uzs, "
                    f"facts) {rollup.delta(f's.market_brand_id IN ({placeholders})')}",
                    brand_ids,
                )

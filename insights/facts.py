"""The sales facts table: streaming a load's facts in, deleting them."""

import io
from collections.abc import Iterator
from typing import Any

from django.db import connection

from insights.loading import BrandResolver

FACT_COLUMNS = "load_id, date, category_id, market_brand_id, units, revenue_uzs"
FACT_BATCH = 10_000


def facts_write(*, load_id: int, rows: Iterator[tuple[Any, ...]], brands: BrandResolver) -> None:
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


def facts_delete(*, load_id: int) -> int:
    """Delete a load's facts; how many there were."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM insights_sale WHERE load_id = %s", [load_id])
        return cursor.rowcount

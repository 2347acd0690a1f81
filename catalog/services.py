"""Writes to the catalog: the category tree, products and imports."""

import csv
from pathlib import Path

from django.db import transaction

from catalog.models import Category

CATEGORIES_CSV = Path(__file__).resolve().parent / "data" / "categories.csv"


@transaction.atomic
def categories_load(*, path: Path = CATEGORIES_CSV) -> int:
    """Create or update the category tree from a CSV (code, parent, name_en/ru/uz/zh).

    Repeatable: codes already present are updated, none are deleted. Returns the row count.
    """
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    by_code = {c.code: c for c in Category.objects.all()}
    parents = {row["parent"] for row in rows if row["parent"]}
    for row in rows:  # parents come before children in the file
        fields = {
            "parent": by_code[row["parent"]] if row["parent"] else None,
            "name_en": row["name_en"],
            "name_ru": row["name_ru"],
            "name_uz": row["name_uz"],
            "name_zh": row["name_zh"],
            "is_leaf": row["code"] not in parents,
        }
        category, _created = Category.objects.update_or_create(code=row["code"], defaults=fields)
        by_code[category.code] = category
    return len(rows)

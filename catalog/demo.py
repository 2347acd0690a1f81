"""Demo data for the catalog app (called by manage.py seed_demo)."""

from typing import Any

from catalog.services import categories_load


def seed(*, stdout: Any, options: dict[str, Any]) -> None:
    count = categories_load()
    stdout.write(f"categories: {count}")

"""Demo data for the sellers app (called by manage.py seed_demo)."""

from typing import Any


def seed(*, stdout: Any, options: dict[str, Any]) -> None:
    """Nothing to seed yet."""

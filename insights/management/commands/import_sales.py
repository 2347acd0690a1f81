"""Load a marketplace sales report: prints a JSON summary; exit status 1 when rejected."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from insights.services import sales_load


class Command(BaseCommand):
    help = (
        "Load sales facts from a CSV or XLSX file (date, category, brand, brand_origin, units, "
        "revenue_uzs). The same file twice adds nothing; a file with bad rows loads nothing."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        result = sales_load(file=path, filename=path.name)
        self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        if not result.ok:
            raise SystemExit(1)

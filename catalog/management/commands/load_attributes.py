"""manage.py load_attributes [FILE]: the category tree's characteristics from their data file."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalog.attribute_services import ATTRIBUTES_JSON, attributes_load


class Command(BaseCommand):
    help = (
        "Create or update attributes, options and category attributes from a JSON file "
        "(default catalog/data/attributes.json); prints the counts as JSON. Run after the "
        "category tree is loaded; nothing is deleted."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", default=str(ATTRIBUTES_JSON))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            counts = attributes_load(path=Path(options["file"]))
        except (OSError, ValueError, KeyError) as error:
            raise CommandError(f"cannot load {options['file']}: {error!r}") from error
        self.stdout.write(json.dumps(counts))

"""Rebuild the insights rollups from the sales facts (one transaction)."""

import json
from typing import Any

from django.core.management.base import BaseCommand

from insights.services import rollups_rebuild


class Command(BaseCommand):
    help = "Rebuild the daily rollups that insights read from the sales facts."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(json.dumps(rollups_rebuild()))

"""Load demo data: categories, sellers, catalogs, seasons and a year of sales. Repeatable."""

from importlib import import_module
from typing import Any

from django.core.management.base import BaseCommand

# Each app seeds its own part through `<app>.demo.seed(stdout=...)`, in this order.
DEMO_MODULES = ("sellers.demo", "catalog.demo", "insights.demo")


class Command(BaseCommand):
    help = "Load demo data; running it again changes nothing that is already there."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--skip-sales", action="store_true", help="skip the year of demo sales facts"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        for name in DEMO_MODULES:
            module = import_module(name)
            module.seed(stdout=self.stdout, options=options)

"""Send the document expiry reminders due today once (what the beat task runs); prints JSON."""

import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from sellers import document_services


class Command(BaseCommand):
    help = (
        "Mail the reminders due for accepted documents that expire within 60, 30 or 7 days; "
        "each is sent once, so running it again sends nothing new."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--today",
            help="count days from this date (YYYY-MM-DD) instead of today, e.g. to catch up",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options.get("today"):
            try:
                today = date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError(f"--today must be a date YYYY-MM-DD: {exc}") from exc
        summary = document_services.document_reminders_send(today=today)
        self.stdout.write(json.dumps(summary))

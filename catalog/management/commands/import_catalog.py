"""manage.py import_catalog --seller USCC FILE [--commit]: the upload pipeline, run in-process."""

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalog.importing.jobs import new_lease_owner
from catalog.importing.pipeline import import_job_execute
from catalog.models import ImportMode, ImportStatus
from catalog.selectors import import_job_first_errors
from catalog.services import import_job_create
from portal.errors import ConflictError
from sellers.models import Seller

FIRST_ERRORS = 20


class Command(BaseCommand):
    help = "Import a catalog file (CSV or XLSX) for a seller; prints a JSON summary."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seller", required=True, help="the seller's USCC")
        parser.add_argument("file", help="path of the CSV or XLSX file")
        parser.add_argument(
            "--commit", action="store_true", help="apply the rows (default: validate only)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        uscc = options["seller"].replace(" ", "").upper()
        seller = Seller.objects.filter(uscc=uscc).first()
        if seller is None:
            raise CommandError(f"No seller with USCC {uscc}.")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        mode = ImportMode.COMMIT if options["commit"] else ImportMode.VALIDATE
        with path.open("rb") as handle:
            try:
                job, _created = import_job_create(
                    seller=seller,
                    user=None,
                    file=File(handle, name=path.name),
                    mode=mode,
                    enqueue=False,
                )
            except ConflictError as error:
                raise CommandError(error.message) from None
            except ValidationError as error:
                messages = [str(m) for m in error.messages]
                self.stdout.write(
                    json.dumps(
                        {"status": "refused", "errors": messages}, ensure_ascii=False, indent=2
                    )
                )
                raise CommandError("; ".join(messages)) from None
        import_job_execute(job_id=job.pk, owner=new_lease_owner("command"))
        job.refresh_from_db()
        summary = {
            "job": job.pk,
            "status": job.status,
            "mode": job.mode,
            "file": job.filename,
            "detected": job.detected,
            "total_rows": job.total_rows,
            "total_lines": job.total_lines,
            "counts": job.counts,
            "warnings": job.warning_messages,
            "error": job.error_message or None,
            "first_errors": [
                {"row": e.row, "column": e.column, "code": e.code, "message": e.message}
                for e in import_job_first_errors(job=job, limit=FIRST_ERRORS)
            ],
        }
        self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
        if job.status == ImportStatus.FAILED:
            raise CommandError(job.error_message)

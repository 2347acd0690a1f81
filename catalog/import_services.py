"""Writes of the import pages beyond catalog/services.py: running a stored file again."""

from typing import Any

from django.core.files import File

from catalog import services
from catalog.models import ImportJob
from sellers.models import User


def import_job_rerun(*, job: ImportJob, user: User | None, mapping: Any) -> tuple[ImportJob, bool]:
    """Import a job's stored file again with a column mapping (a job that failed on missing
    columns): a new job, through the same checks as an upload; the mapping is remembered."""
    with job.file.open("rb") as handle:
        upload = File(handle, name=job.filename or "catalog")
        return services.import_job_create(
            seller=job.seller,
            user=user,
            file=upload,
            mode=job.mode,
            mapping=mapping,
            transliterate=job.transliterate,
        )

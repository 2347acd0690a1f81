"""Catalog fixtures: the sample seller, sample files, and an uploader helper."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.catalog.factories import sample_seller

SAMPLES = Path("/work/shared/samples")
if not SAMPLES.is_dir():
    SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "samples"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "catalog"


@pytest.fixture
def seller(categories):
    return sample_seller()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def sample_upload(name: str) -> SimpleUploadedFile:
    return upload(name, (SAMPLES / name).read_bytes())


@pytest.fixture
def run_import(django_capture_on_commit_callbacks):
    """Upload a file the way every entry point does and let the (eager) task run it."""
    from catalog.services import import_job_create

    def run(seller, name: str, content: bytes | None = None, *, mode: str = "commit", user=None):
        if content is None:
            content = (SAMPLES / name).read_bytes()
        with django_capture_on_commit_callbacks(execute=True):
            job, _created = import_job_create(
                seller=seller, user=user, file=upload(name, content), mode=mode
            )
        job.refresh_from_db()
        return job

    return run

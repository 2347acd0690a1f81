"""Catalog fixtures: the sample seller, sample files, an uploader helper and real workers."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections

from catalog.services import import_job_create
from portal.celery import app
from tests.catalog import worker
from tests.catalog.factories import sample_seller
from tests.conftest import SAMPLES

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


@pytest.fixture
def celery_worker_factory(transactional_db, settings):
    """Start real Celery worker processes (tests/catalog/worker.py) on the pytest test database.

    Each worker runs in its own session (process group) so a test can SIGKILL it, pool
    children included. `commit_delay` holds each import's transaction open that many seconds
    before it commits; extra environment variables per worker.
    """
    root = Path(__file__).resolve().parents[2]
    database = connection.settings_dict
    url = f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    app.control.purge()  # messages left by an earlier run must not reach these workers
    workers: list[subprocess.Popen] = []

    def start(*, commit_delay: float = 0, **extra_env: str) -> subprocess.Popen:
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "CATALOG_IMPORT_LEASE_SECONDS": "4",
            "CELERY_VISIBILITY_TIMEOUT": "6",
            "DATABASE_POOL": "0",
            worker.COMMIT_DELAY_VARIABLE: str(commit_delay),
            **extra_env,
        }
        name = f"c1test-{uuid.uuid4().hex[:6]}@%h"
        process = subprocess.Popen(
            [sys.executable, "-m", worker.__name__, "-n", name]
            + ["--pool=prefork", "--concurrency=1", "--loglevel=INFO"]
            + ["--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=root,
            env=env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        workers.append(process)
        return process

    def kill(process: subprocess.Popen) -> None:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=10)

    start.kill = kill  # type: ignore[attr-defined]
    yield start
    for process in workers:
        if process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=10)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                kill(process)
    time.sleep(0.5)
    for alias in connections:  # the workers' sessions are gone; let the test DB be flushed
        connections[alias].close()


@pytest.fixture(autouse=True)
def _small_import_chunks(settings):
    """Several chunks even for the sample files, so chunk boundaries are always exercised."""
    settings.CATALOG_IMPORT_CHUNK_ROWS = 64

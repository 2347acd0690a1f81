"""Faults through real processes: a Celery worker killed mid-commit, its connection terminated,
and Redis down while a file is uploaded."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from catalog.models import ImportJob, ImportStatus, Product
from catalog.services import import_job_create
from catalog.tasks import import_jobs_sweep
from tests.catalog.conftest import SAMPLES, upload

pytestmark = [pytest.mark.postgres]


def wait_for(predicate, timeout: float, every: float = 0.25, sweep: bool = False):
    deadline = time.monotonic() + timeout
    last_sweep = time.monotonic()
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        if sweep and time.monotonic() - last_sweep > 3:
            import_jobs_sweep(resend_after=0)  # what celery beat does every minute
            last_sweep = time.monotonic()
        time.sleep(every)
    raise AssertionError("timed out")


def commit_lock_holder(seller_id: int) -> int | None:
    """The backend pid holding the seller's commit lock: the worker is inside the commit."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objid = %s",
            [seller_id],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def wait_until_finished(job: ImportJob, timeout: float) -> ImportJob:
    """The job once it is completed or failed (whichever: the test asserts which)."""
    finished = (ImportStatus.COMPLETED, ImportStatus.FAILED)
    wait_for(lambda: ImportJob.objects.get(pk=job.pk).status in finished, timeout=timeout)
    job.refresh_from_db()
    return job


def commit_job(seller) -> ImportJob:
    job, _created = import_job_create(
        seller=seller,
        user=None,
        file=upload("catalog.csv", (SAMPLES / "catalog_utf8.csv").read_bytes()),
        mode="commit",
    )  # on commit (transactional test): sent to Redis for the real worker
    return job


@pytest.mark.fault
@pytest.mark.celery_worker
def test_row_16_a_worker_killed_mid_commit_leaves_nothing_and_a_new_worker_completes(
    celery_worker_factory, seller
):
    first = celery_worker_factory(commit_delay=30)
    job = commit_job(seller)
    wait_for(lambda: commit_lock_holder(seller.pk), timeout=60)  # upsert done, not committed
    celery_worker_factory.kill(first)
    time.sleep(0.5)
    assert not Product.objects.exists()  # the transaction died with the worker
    job.refresh_from_db()
    assert job.status == ImportStatus.RUNNING

    celery_worker_factory()  # a fresh worker, no delay
    wait_for(
        lambda: ImportJob.objects.get(pk=job.pk).status == ImportStatus.COMPLETED,
        timeout=90,
        sweep=True,
    )
    job.refresh_from_db()
    assert job.counts == {"created": 200, "updated": 0, "unchanged": 0, "invalid": 0}
    assert job.attempts >= 2
    assert Product.objects.filter(seller=seller).count() == 200
    assert Product.objects.values("sku").distinct().count() == 200


@pytest.mark.fault
@pytest.mark.celery_worker
def test_row_18_a_terminated_database_connection_mid_commit_is_retried_to_completion(
    celery_worker_factory, seller
):
    celery_worker_factory(commit_delay=3)
    job = commit_job(seller)
    pid = wait_for(lambda: commit_lock_holder(seller.pk), timeout=60)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    assert not Product.objects.exists()
    job = wait_until_finished(job, timeout=90)
    assert job.status == ImportStatus.COMPLETED, job.error_message
    assert job.attempts == 2 and job.counts["created"] == 200
    assert Product.objects.filter(seller=seller).count() == 200


def restart_postgresql() -> None:
    """Restart the local PostgreSQL server as an outage would: `fast` ends every session,
    rolling back open transactions. Where the server is not ours to restart, skip."""
    import shutil

    versions = (
        sorted(Path("/etc/postgresql").glob("*/main")) if Path("/etc/postgresql").exists() else []
    )
    if (
        not shutil.which("pg_ctlcluster")
        or not versions
        or connection.settings_dict["HOST"]
        not in (
            "127.0.0.1",
            "localhost",
        )
    ):
        pytest.skip("needs the machine's own PostgreSQL cluster (pg_ctlcluster) to restart")
    version = versions[-1].parent.name
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart", "-m", "fast"],
        check=True,
        capture_output=True,
        timeout=120,
    )


@pytest.mark.fault
@pytest.mark.celery_worker
def test_row_18_a_postgresql_restart_mid_commit_is_retried_on_a_fresh_connection(
    celery_worker_factory, seller
):
    from django.db import connections

    celery_worker_factory(commit_delay=3)
    job = commit_job(seller)
    wait_for(lambda: commit_lock_holder(seller.pk), timeout=60)  # inside the commit
    connections.close_all()  # this test's own connection goes back to the pool before the outage
    restart_postgresql()
    # The pool checks connections as they leave it: the broken ones are replaced, so the first
    # query after the restart works.
    assert not Product.objects.exists()  # the open transaction was rolled back
    job = wait_until_finished(job, timeout=120)
    assert job.status == ImportStatus.COMPLETED, job.error_message
    assert job.attempts >= 2
    assert job.counts == {"created": 200, "updated": 0, "unchanged": 0, "invalid": 0}
    assert Product.objects.filter(seller=seller).count() == 200
    assert Product.objects.values("sku").distinct().count() == 200


@pytest.mark.django_db(transaction=True)
def test_row_19_an_upload_answers_within_seconds_when_redis_is_down(seller):
    job, _created = import_job_create(
        seller=seller,
        user=None,
        file=upload("catalog.csv", (SAMPLES / "catalog_utf8.csv").read_bytes()),
        enqueue=False,
    )
    database = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
        ),
        "CELERY_BROKER_URL": "redis://127.0.0.1:1/0",  # nothing listens there
        "DATABASE_POOL": "0",
    }
    code = (
        "import django, sys; django.setup(); "
        "from catalog.tasks import import_job_send; "
        f"print(import_job_send(job_id={job.pk}))"
    )
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[2],
        env={**env, "DJANGO_SETTINGS_MODULE": "portal.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == "False"
    assert elapsed < 15
    job.refresh_from_db()
    assert job.status == ImportStatus.QUEUED and job.enqueued_at is None

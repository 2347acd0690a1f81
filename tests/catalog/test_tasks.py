"""The Celery side of imports: lease, retries, time limit, sweep, broker outages, on_commit."""

from datetime import timedelta

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.db import OperationalError, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from catalog import tasks
from catalog.importing import pipeline
from catalog.models import ImportJob, ImportStatus, Product
from catalog.services import import_job_create
from catalog.tasks import import_job_run, import_jobs_sweep
from tests.catalog.conftest import SAMPLES, upload


def queued_job(seller, mode="commit", name="catalog_utf8.csv"):
    job, _created = import_job_create(
        seller=seller,
        user=None,
        file=upload(name, (SAMPLES / name).read_bytes()),
        mode=mode,
        enqueue=False,
    )
    return job


def fail_once(monkeypatch, error: Exception) -> list[int]:
    """The task body raises `error` on its first run only; returns the runs, by job id."""
    calls: list[int] = []
    original = pipeline.import_job_process

    def flaky(*, job, heartbeat):
        calls.append(job.pk)
        if len(calls) == 1:
            raise error
        return original(job=job, heartbeat=heartbeat)

    monkeypatch.setattr(pipeline, "import_job_process", flaky)
    return calls


def run(job) -> str:
    result = import_job_run.apply(args=[job.pk])
    job.refresh_from_db()
    return result.result


@pytest.mark.django_db
def test_it_runs_a_job_and_records_progress_and_counts(seller):
    job = queued_job(seller)
    assert run(job) == "done"
    assert job.status == ImportStatus.COMPLETED
    assert job.processed_rows == job.total_rows == 200
    assert job.started_at and job.finished_at and job.attempts == 1
    assert job.lease_owner == "" and job.lease_until is None


@pytest.mark.django_db
def test_row_17_it_exits_when_another_execution_holds_the_lease(seller):
    job = queued_job(seller)
    until = timezone.now() + timedelta(minutes=5)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.RUNNING, lease_owner="worker-1", lease_until=until, attempts=1
    )
    assert run(job) == "skipped"
    assert job.status == ImportStatus.RUNNING and job.lease_owner == "worker-1"
    assert job.attempts == 1 and not Product.objects.exists()


@pytest.mark.django_db
def test_it_does_nothing_for_a_finished_job(seller):
    job = queued_job(seller)
    run(job)
    Product.objects.update(stock=0)
    assert run(job) == "skipped"
    assert set(Product.objects.values_list("stock", flat=True)) == {0}


@pytest.mark.django_db
def test_row_16_it_fails_a_job_started_too_many_times(seller, settings):
    settings.CATALOG_IMPORT_MAX_ATTEMPTS = 3
    job = queued_job(seller)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING, attempts=3)
    assert run(job) == "skipped"
    assert job.status == ImportStatus.FAILED and job.error_code == "too_many_attempts"
    assert "3 times" in job.error_message
    assert not Product.objects.exists()


@pytest.mark.django_db
def test_row_18_it_retries_after_a_database_error_and_completes(seller, monkeypatch):
    calls = fail_once(
        monkeypatch, OperationalError("terminating connection due to administrator command")
    )
    job = queued_job(seller)
    run(job)
    assert len(calls) == 2
    assert job.status == ImportStatus.COMPLETED and job.attempts == 2
    assert job.counts["created"] == 200 and Product.objects.count() == 200


@pytest.mark.django_db
def test_row_18_it_fails_cleanly_when_the_database_stays_away(seller, monkeypatch):
    def broken(*, job, heartbeat):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(pipeline, "import_job_process", broken)
    job = queued_job(seller)
    run(job)
    assert job.status == ImportStatus.FAILED and job.error_code == "database_unavailable"
    assert job.attempts == tasks.MAX_RETRIES + 1


@pytest.mark.django_db
def test_row_21_it_fails_with_split_the_file_at_the_time_limit_and_rolls_back(seller, monkeypatch):
    first = queued_job(seller)
    run(first)
    before = list(Product.objects.order_by("sku").values_list("sku", "price_uzs", "updated_at"))
    stager = (
        pipeline.PostgresStager
        if pipeline.connection.vendor == "postgresql"
        else pipeline.BatchStager
    )
    original = stager.finish

    def slow(self, *, commit):
        original(self, commit=commit)
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(stager, "finish", slow)
    text = (SAMPLES / "catalog_utf8.csv").read_text(encoding="utf-8").replace("000,", "500,")
    job, _created = import_job_create(
        seller=seller, user=None, file=upload("b.csv", text.encode()), mode="commit", enqueue=False
    )
    run(job)
    assert job.status == ImportStatus.FAILED and job.error_code == "time_limit"
    assert "Split the file" in job.error_message
    after = list(Product.objects.order_by("sku").values_list("sku", "price_uzs", "updated_at"))
    assert after == before


@pytest.mark.django_db
def test_row_19_the_sweep_sends_jobs_left_queued_and_jobs_whose_worker_died(seller, settings):
    settings.CATALOG_IMPORT_MAX_ATTEMPTS = 3
    long_ago = timezone.now() - timedelta(minutes=10)
    never_sent = queued_job(seller)
    dead_worker = queued_job(seller, name="catalog_cp1251_ru.csv")
    hopeless = queued_job(seller, name="catalog_utf16_uz.txt")
    alive = queued_job(seller, name="catalog_gbk_zh.csv")
    ImportJob.objects.update(created_at=long_ago)
    ImportJob.objects.filter(pk=dead_worker.pk).update(
        status=ImportStatus.RUNNING, lease_owner="dead", lease_until=long_ago, attempts=1
    )
    ImportJob.objects.filter(pk=hopeless.pk).update(
        status=ImportStatus.RUNNING, lease_owner="dead", lease_until=long_ago, attempts=3
    )
    ImportJob.objects.filter(pk=alive.pk).update(
        status=ImportStatus.RUNNING,
        lease_owner="alive",
        lease_until=timezone.now() + timedelta(minutes=1),
        attempts=1,
    )
    assert tasks.import_jobs_sweep.apply().result == {"sent": 2, "failed": 1}
    statuses = dict(ImportJob.objects.values_list("pk", "status"))
    assert statuses == {
        never_sent.pk: ImportStatus.COMPLETED,
        dead_worker.pk: ImportStatus.COMPLETED,
        hopeless.pk: ImportStatus.FAILED,
        alive.pk: ImportStatus.RUNNING,
    }
    assert ImportJob.objects.get(pk=hopeless.pk).error_code == "too_many_attempts"


@pytest.mark.django_db
def test_row_19_an_upload_does_not_fail_when_the_broker_is_down(
    seller, monkeypatch, django_capture_on_commit_callbacks
):
    def down(*args, **kwargs):
        raise BrokerError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(import_job_run, "delay", down)
    with django_capture_on_commit_callbacks(execute=True):
        job, created = import_job_create(
            seller=seller,
            user=None,
            file=upload("a.csv", (SAMPLES / "catalog_utf8.csv").read_bytes()),
        )
    job.refresh_from_db()
    assert created and job.status == ImportStatus.QUEUED and job.enqueued_at is None
    monkeypatch.undo()
    ImportJob.objects.update(created_at=timezone.now() - timedelta(minutes=1))
    assert import_jobs_sweep()["sent"] == 1  # the broker is back: the sweep sends it
    job.refresh_from_db()
    assert job.status == ImportStatus.VALIDATED


@pytest.mark.django_db
def test_row_20_no_task_is_sent_for_a_job_whose_transaction_rolled_back(
    seller, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            import_job_create(
                seller=seller,
                user=None,
                file=upload("a.csv", (SAMPLES / "catalog_utf8.csv").read_bytes()),
            )
            raise RuntimeError("the view failed after creating the job")
    assert callbacks == [] and not ImportJob.objects.exists()


@pytest.mark.django_db
def test_row_22_a_preview_writes_nothing_and_sends_nothing_else(
    seller, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    original = import_job_run.delay
    monkeypatch.setattr(import_job_run, "delay", lambda *a: sent.append(a) or original(*a))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job, _created = import_job_create(
            seller=seller,
            user=None,
            file=upload("a.csv", (SAMPLES / "catalog_gbk_zh.csv").read_bytes()),
        )
    job.refresh_from_db()
    assert job.status == ImportStatus.VALIDATED and len(callbacks) == 1 and sent == [(job.pk,)]
    assert not Product.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_psycopg_error_in_the_chunk_thread_is_retried_like_any_database_error(
    seller, monkeypatch
):
    import psycopg

    calls = []
    original = pipeline.PostgresStager._apply

    def flaky(self, cursor, *args):
        calls.append(1)
        if len(calls) == 1:
            raise psycopg.OperationalError("terminating connection due to administrator command")
        return original(self, cursor, *args)

    monkeypatch.setattr(pipeline.PostgresStager, "_apply", flaky)
    job = queued_job(seller)
    run(job)
    assert job.status == ImportStatus.COMPLETED and job.attempts == 2
    assert Product.objects.count() == 200


def _driver_error(django_class, driver_error):
    """A Django database error as Django raises it: the driver's error as its cause."""
    error = django_class(str(driver_error))
    error.__cause__ = driver_error
    return error


def _refused_statements():
    import psycopg
    from django.db import DataError, IntegrityError

    errors = psycopg.errors
    return [
        _driver_error(DataError, errors.NumericValueOutOfRange("integer out of range")),
        _driver_error(DataError, errors.StringDataRightTruncation("value too long")),
        _driver_error(IntegrityError, errors.UniqueViolation("duplicate key value")),
        # psycopg classes these as OperationalError: the statement was refused, the
        # connection is fine.
        _driver_error(
            OperationalError, errors.ProgramLimitExceeded("index row size exceeds maximum")
        ),
        _driver_error(OperationalError, errors.QueryCanceled("canceling statement")),
        _driver_error(OperationalError, errors.DiskFull("could not extend file")),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("index", range(6))
def test_row_37_a_statement_the_database_refused_fails_the_job_at_once_as_unexpected(
    seller, monkeypatch, caplog, index
):
    error = _refused_statements()[index]
    calls = []

    def refused(*, job, heartbeat):
        calls.append(job.pk)
        raise error

    monkeypatch.setattr(pipeline, "import_job_process", refused)
    job = queued_job(seller)
    with caplog.at_level("ERROR", logger="catalog.tasks"):
        assert run(job) == "failed"
    assert len(calls) == 1 and job.attempts == 1
    assert job.status == ImportStatus.FAILED and job.error_code == "unexpected"
    assert "database" not in job.error_message.lower()
    reference = job.error_params["reference"]
    logged = [r for r in caplog.records if reference in r.getMessage()]
    assert logged and f"import {job.pk}" in logged[0].getMessage()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "make_error",
    [
        lambda psycopg: psycopg.OperationalError("server closed the connection unexpectedly"),
        lambda psycopg: psycopg.errors.AdminShutdown("terminating connection"),
        lambda psycopg: psycopg.errors.ConnectionFailure("connection failure"),
        lambda psycopg: psycopg.errors.CannotConnectNow("the database system is starting up"),
        lambda psycopg: psycopg.errors.TooManyConnections("too many clients already"),
    ],
    ids=["no-sqlstate", "57P01", "08006", "57P03", "53300"],
)
def test_row_37_only_a_lost_connection_is_retried(seller, monkeypatch, make_error):
    import psycopg

    calls = fail_once(monkeypatch, _driver_error(OperationalError, make_error(psycopg)))
    job = queued_job(seller)
    run(job)
    assert len(calls) == 2
    assert job.status == ImportStatus.COMPLETED and job.attempts == 2


def test_row_37_tells_a_lost_connection_from_a_refused_statement():
    import sqlite3

    import psycopg
    from django.db import DataError, InterfaceError

    assert tasks.is_connection_error(InterfaceError("connection already closed"))
    assert tasks.is_connection_error(OperationalError("raised by hand: taken at its word"))
    for error in _refused_statements():
        assert not tasks.is_connection_error(error), error
    locked = sqlite3.OperationalError("database is locked")
    locked.sqlite_errorcode = sqlite3.SQLITE_BUSY
    assert tasks.is_connection_error(_driver_error(OperationalError, locked))
    too_many = sqlite3.OperationalError("too many SQL variables")
    too_many.sqlite_errorcode = sqlite3.SQLITE_ERROR
    assert not tasks.is_connection_error(_driver_error(OperationalError, too_many))
    assert not tasks.is_connection_error(DataError("plain"))
    assert not tasks.is_connection_error(ValueError("not a database error"))
    assert tasks.is_connection_error(
        _driver_error(OperationalError, psycopg.OperationalError("consuming input failed"))
    )

"""The import job's lease: acquire, release, fail, the heartbeat and the sweep."""

from datetime import timedelta

import pytest
from django.utils import timezone

from catalog.importing import jobs
from catalog.importing.jobs import (
    Heartbeat,
    LeaseLost,
    import_job_acquire,
    import_job_fail,
    import_job_release,
    import_jobs_sweep,
    new_lease_owner,
)
from catalog.models import ImportJob, ImportStatus
from catalog.services import import_job_create
from tests.catalog.conftest import SAMPLES, upload
from tests.catalog.factories import ImportJobFactory

pytestmark = pytest.mark.django_db
LONG_AGO = timedelta(minutes=10)


def running(job: ImportJob, *, owner: str, until: timedelta, attempts: int = 1) -> ImportJob:
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.RUNNING,
        lease_owner=owner,
        lease_until=timezone.now() + until,
        attempts=attempts,
    )
    job.refresh_from_db()
    return job


def test_it_names_the_lease_owner_by_host_process_and_task():
    owner = new_lease_owner("task-1")
    assert ":task-1:" in owner and len(owner) <= 100
    assert new_lease_owner("task-1") != owner  # two executions of one task differ


def test_it_takes_a_queued_job_and_counts_the_attempt():
    job = ImportJobFactory()
    taken = import_job_acquire(job_id=job.pk, owner="me", lease=60)
    assert taken is not None
    assert taken.status == ImportStatus.RUNNING and taken.lease_owner == "me"
    assert taken.attempts == 1 and taken.started_at is not None
    assert taken.lease_until > timezone.now() + timedelta(seconds=50)


def test_it_leaves_a_job_whose_lease_is_held_and_takes_it_once_expired():
    job = running(ImportJobFactory(), owner="other", until=timedelta(minutes=1))
    assert import_job_acquire(job_id=job.pk, owner="me", lease=60) is None
    running(job, owner="other", until=-LONG_AGO)
    taken = import_job_acquire(job_id=job.pk, owner="me", lease=60)
    assert taken is not None and taken.lease_owner == "me" and taken.attempts == 2


@pytest.mark.parametrize("status", [ImportStatus.VALIDATED, ImportStatus.FAILED])
def test_it_never_takes_a_finished_job(status):
    job = ImportJobFactory(status=status)
    assert import_job_acquire(job_id=job.pk, owner="me", lease=60) is None


def test_it_fails_a_job_taken_more_often_than_allowed(settings):
    settings.CATALOG_IMPORT_MAX_ATTEMPTS = 2
    job = ImportJobFactory(attempts=2)
    assert import_job_acquire(job_id=job.pk, owner="me", lease=60) is None
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and job.error_code == "too_many_attempts"
    assert job.error_params == {"attempts": 2} and job.lease_owner == ""


def test_it_gives_the_lease_back_only_for_its_owner():
    job = running(ImportJobFactory(), owner="other", until=timedelta(minutes=1))
    import_job_release(job_id=job.pk, owner="me")
    job.refresh_from_db()
    assert job.lease_owner == "other"
    import_job_release(job_id=job.pk, owner="other")
    job.refresh_from_db()
    assert job.lease_owner == "" and job.lease_until is None
    assert job.status == ImportStatus.RUNNING  # the retry takes it again


def test_it_fails_a_job_only_while_the_execution_still_owns_it():
    job = running(ImportJobFactory(), owner="other", until=timedelta(minutes=1))
    assert not import_job_fail(job_id=job.pk, owner="me", code="unexpected")
    assert import_job_fail(job_id=job.pk, owner="other", code="time_limit")
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and job.error_code == "time_limit"
    assert job.finished_at is not None and job.lease_owner == ""
    assert not import_job_fail(job_id=job.pk, owner=None, code="unexpected")  # finished


def test_it_renews_the_lease_and_publishes_progress_on_a_beat(settings):
    settings.CATALOG_IMPORT_LEASE_SECONDS = 300
    job = running(ImportJobFactory(), owner="me", until=timedelta(seconds=1))
    heartbeat = Heartbeat(job_id=job.pk, owner="me")
    heartbeat.processed = 42
    heartbeat.beat()
    job.refresh_from_db()
    assert job.processed_rows == 42 and not heartbeat.lost
    assert job.lease_until > timezone.now() + timedelta(seconds=250)


def test_it_stops_the_run_at_the_next_progress_step_once_the_lease_is_lost():
    job = running(ImportJobFactory(), owner="other", until=timedelta(minutes=1))
    heartbeat = Heartbeat(job_id=job.pk, owner="me")
    heartbeat.threaded = False
    heartbeat.beat()
    assert heartbeat.lost
    with pytest.raises(LeaseLost):
        for _ in range(jobs.PROGRESS_EVERY_ROWS):
            heartbeat.tick()
    assert heartbeat.processed == jobs.PROGRESS_EVERY_ROWS


def test_it_publishes_progress_every_n_rows(seller):
    job, _created = import_job_create(
        seller=seller,
        user=None,
        file=upload("a.csv", (SAMPLES / "catalog_utf8.csv").read_bytes()),
        enqueue=False,
    )
    heartbeat = Heartbeat(job_id=job.pk, owner="me")
    heartbeat.threaded = False
    for _ in range(jobs.PROGRESS_EVERY_ROWS):
        heartbeat.tick()
    job.refresh_from_db()
    assert job.processed_rows == jobs.PROGRESS_EVERY_ROWS
    assert job.progress_percent == 100 or job.progress_percent >= 0


def test_the_sweep_sends_again_what_got_stuck_and_fails_what_was_tried_too_often(settings):
    settings.CATALOG_IMPORT_MAX_ATTEMPTS = 3
    created = timezone.now() - LONG_AGO
    never_sent = ImportJobFactory()
    just_created = ImportJobFactory()
    dead_worker = running(ImportJobFactory(), owner="dead", until=-LONG_AGO)
    hopeless = running(ImportJobFactory(), owner="dead", until=-LONG_AGO, attempts=3)
    alive = running(ImportJobFactory(), owner="alive", until=timedelta(minutes=1))
    ImportJob.objects.exclude(pk=just_created.pk).update(created_at=created)
    sent: list[int] = []

    def send(job_id: int) -> bool:
        sent.append(job_id)
        return True

    assert import_jobs_sweep(send=send) == {"sent": 2, "failed": 1}
    assert sorted(sent) == sorted([never_sent.pk, dead_worker.pk])
    hopeless.refresh_from_db()
    assert hopeless.status == ImportStatus.FAILED and hopeless.error_code == "too_many_attempts"
    alive.refresh_from_db()
    assert alive.status == ImportStatus.RUNNING and alive.lease_owner == "alive"


def test_the_sweep_leaves_a_job_sent_lately_and_counts_only_what_reached_the_broker():
    recently = ImportJobFactory(enqueued_at=timezone.now())
    unsent = ImportJobFactory()
    ImportJob.objects.update(created_at=timezone.now() - LONG_AGO)
    sent: list[int] = []

    def broker_down(job_id: int) -> bool:
        sent.append(job_id)
        return False

    assert import_jobs_sweep(send=broker_down) == {"sent": 0, "failed": 0}
    assert sent == [unsent.pk]
    assert import_jobs_sweep(send=broker_down, resend_after=0)["sent"] == 0
    assert sorted(sent[1:]) == sorted([recently.pk, unsent.pk])


def test_progress_never_goes_back_when_a_retry_counts_its_rows_again(settings):
    job = running(ImportJobFactory(), owner="me", until=timedelta(seconds=1))
    ImportJob.objects.filter(pk=job.pk).update(processed_rows=120, total_rows=200)
    heartbeat = Heartbeat(job_id=job.pk, owner="me")  # a second attempt, from row 1 again
    heartbeat.processed = 40
    heartbeat.beat()
    job.refresh_from_db()
    assert job.processed_rows == 120 and job.progress_percent == 60
    heartbeat.processed = 150
    heartbeat.beat()
    job.refresh_from_db()
    assert job.processed_rows == 150


@pytest.mark.django_db
def test_the_commit_of_a_checked_preview_keeps_its_progress(seller, run_import):
    """Reading, checking, writing: the commit moves on to writing at 100%, never 100 -> 0."""
    from catalog.services import import_job_commit

    job = run_import(seller, "a.csv", (SAMPLES / "catalog_utf8.csv").read_bytes(), mode="validate")
    assert job.status == ImportStatus.VALIDATED and job.progress_percent == 100
    import_job_commit(job=job, user=None)
    job = ImportJob.objects.get(pk=job.pk)
    assert job.phase == "writing" and job.progress_percent == 100

"""The import job's lease: who runs a job, the heartbeat that keeps it, attempts and failure.

A lease on the job row (owner + expiry, renewed by a heartbeat thread on its own connection,
which also publishes progress) makes a second delivery of the same task exit. The sweep sends
again what never reached a worker or whose worker died, and fails a job started too often.
"""

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from catalog.models import ACTIVE_IMPORT_STATUSES, ImportJob, ImportStatus

logger = logging.getLogger(__name__)

PROGRESS_EVERY_ROWS = 5000
SWEEP_BATCH = 500  # jobs of each kind (queued, expired) looked at per sweep
# A job just created is sent by its own request's on_commit; the sweep leaves it that long.
SWEEP_GRACE_SECONDS = 5
# A queued job sent this long ago and still not started is sent again.
RESEND_AFTER_SECONDS = 120


class LeaseLost(Exception):
    """Another execution took the job over (ours was presumed dead): stop without writing."""


def new_lease_owner(task_id: str | None = None) -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{task_id or '-'}:{uuid.uuid4().hex[:8]}"[:100]


def _heartbeat_runs() -> bool:
    """A heartbeat thread renews the lease only on PostgreSQL outside an enclosing transaction
    (a real worker or the command); inside one (eager tasks in tests) or on SQLite, no thread."""
    return connection.vendor == "postgresql" and not connection.in_atomic_block


def import_job_acquire(*, job_id: int, owner: str, lease: int | None = None) -> ImportJob | None:
    """Take the job for this execution with one conditional UPDATE; None if someone holds it.

    Also None (after marking it failed) when the job has been started too many times.
    """
    now = timezone.now()
    if lease is None:
        # Without a heartbeat the lease must outlive the longest run.
        lease = (
            settings.CATALOG_IMPORT_LEASE_SECONDS
            if _heartbeat_runs()
            else settings.CELERY_TASK_TIME_LIMIT
        )
    taken = (
        ImportJob.objects.filter(pk=job_id, status__in=ACTIVE_IMPORT_STATUSES)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .update(
            status=ImportStatus.RUNNING,
            lease_owner=owner,
            lease_until=now + timedelta(seconds=lease),
            attempts=F("attempts") + 1,
            started_at=Coalesce(F("started_at"), Value(now)),
        )
    )
    if not taken:
        return None
    job = ImportJob.objects.select_related("seller").get(pk=job_id)
    if job.attempts > settings.CATALOG_IMPORT_MAX_ATTEMPTS:
        import_job_fail(
            job_id=job.pk,
            owner=owner,
            code="too_many_attempts",
            params={"attempts": job.attempts - 1},
        )
        return None
    return job


def import_job_release(*, job_id: int, owner: str) -> None:
    """Give the lease back (before a retry) so the next attempt can take it at once."""
    ImportJob.objects.filter(pk=job_id, lease_owner=owner).update(lease_owner="", lease_until=None)


def import_job_fail(
    *, job_id: int, owner: str | None, code: str, params: dict[str, Any] | None = None
) -> bool:
    """Mark the job failed with a file-level error (only if this execution still owns it)."""
    jobs = ImportJob.objects.filter(pk=job_id, status__in=ACTIVE_IMPORT_STATUSES)
    if owner is not None:
        jobs = jobs.filter(lease_owner=owner)
    done = jobs.update(
        status=ImportStatus.FAILED,
        error_code=code,
        error_params=params or {},
        finished_at=timezone.now(),
        lease_owner="",
        lease_until=None,
    )
    return bool(done)


class Heartbeat:
    """Renews the lease and publishes progress from a thread with its own DB connection.

    Without the thread (see _heartbeat_runs), progress is written inline instead.
    """

    def __init__(self, *, job_id: int, owner: str) -> None:
        self.job_id = job_id
        self.owner = owner
        self.processed = 0
        self.lost = False
        self.threaded = _heartbeat_runs()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        # The progress bar's refresh, well within the lease.
        self.interval = max(0.5, min(2.0, settings.CATALOG_IMPORT_LEASE_SECONDS / 4))

    def __enter__(self) -> "Heartbeat":
        if self.threaded:
            self._thread = threading.Thread(target=self._run, name="import-heartbeat", daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.interval):
                self.beat()
        finally:
            connection.close()  # this thread's own connection

    def beat(self) -> None:
        try:
            renewed = ImportJob.objects.filter(pk=self.job_id, lease_owner=self.owner).update(
                processed_rows=_never_less(self.processed),
                lease_until=timezone.now()
                + timedelta(seconds=settings.CATALOG_IMPORT_LEASE_SECONDS),
            )
        except DatabaseError:
            logger.warning("import %s: heartbeat failed", self.job_id, exc_info=True)
            if self.threaded:  # the next beat gets a fresh connection (database restarted)
                connection.close()
            return
        if not renewed:
            self.lost = True

    def tick(self) -> None:
        self.processed += 1
        if self.processed % PROGRESS_EVERY_ROWS == 0:
            if self.lost:
                raise LeaseLost
            if not self.threaded:
                ImportJob.objects.filter(pk=self.job_id).update(
                    processed_rows=_never_less(self.processed)
                )


def _never_less(processed: int) -> Greatest:
    """The rows processed, never fewer than already shown: a retry, or the commit of a
    checked preview, counts its rows again without the progress going back."""
    return Greatest(F("processed_rows"), Value(processed))


def import_job_mark_sent(*, job_id: int) -> None:
    """The job reached the broker: the sweep leaves it alone for a while."""
    ImportJob.objects.filter(pk=job_id).update(enqueued_at=timezone.now())


def import_jobs_sweep(
    *, send: Callable[[int], bool], resend_after: int = RESEND_AFTER_SECONDS
) -> dict[str, int]:
    """Send again queued jobs never delivered (broker down) and running jobs whose lease expired.

    A job started too many times is failed with a message instead. Sending twice is harmless:
    the lease lets only one execution run. `send` publishes one job (False when the broker is
    down); it is passed in because publishing belongs to the tasks, which call this.
    """
    now = timezone.now()
    stale = now - timedelta(seconds=resend_after)
    sent = failed = 0
    queued = ImportJob.objects.filter(
        status=ImportStatus.QUEUED, created_at__lt=now - timedelta(seconds=SWEEP_GRACE_SECONDS)
    ).filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=stale))
    expired = ImportJob.objects.filter(status=ImportStatus.RUNNING).filter(
        Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    )
    for job_id, attempts, status in list(
        queued.values_list("pk", "attempts", "status")[:SWEEP_BATCH]
    ) + list(expired.values_list("pk", "attempts", "status")[:SWEEP_BATCH]):
        if status == ImportStatus.RUNNING and attempts >= settings.CATALOG_IMPORT_MAX_ATTEMPTS:
            if import_job_fail(
                job_id=job_id, owner=None, code="too_many_attempts", params={"attempts": attempts}
            ):
                failed += 1
            continue
        if send(job_id):
            sent += 1
    return {"sent": sent, "failed": failed}

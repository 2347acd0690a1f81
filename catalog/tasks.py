"""Celery tasks of the catalog: run an import job, sweep jobs that got stuck, and send a run.

The services send a run through `import_job_send`; the tasks call only the import package
(never the services), so the two modules do not import each other.
"""

import logging
import uuid

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import DatabaseError, InterfaceError, OperationalError, connection

from catalog.importing import jobs
from catalog.importing.jobs import (
    import_job_fail,
    import_job_mark_sent,
    import_job_release,
    new_lease_owner,
)
from catalog.importing.pipeline import import_job_execute

logger = logging.getLogger(__name__)

MAX_RETRIES = 4  # five attempts in all, within CATALOG_IMPORT_MAX_ATTEMPTS


def _retry_countdown(retries: int) -> int:
    return min(2 ** (retries + 1), 60)  # 2, 4, 8, 16 s


def _reset_connection() -> None:
    """Drop a connection a database error may have broken (never inside an outer transaction,
    as when tests run the task eagerly)."""
    if not connection.in_atomic_block:
        connection.close()


def _fail_quietly(job_id: int, owner: str | None, code: str, params: dict | None = None) -> None:
    try:
        import_job_fail(job_id=job_id, owner=owner, code=code, params=params)
    except DatabaseError:
        _reset_connection()
        logger.exception("import %s: could not record the failure %s", job_id, code)


@shared_task(
    bind=True,
    name="catalog.tasks.import_job_run",
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=MAX_RETRIES,
    # The job row is the result; not touching the result backend also keeps an upload fast
    # when Redis is down (the backend would retry its connection for 20 seconds).
    ignore_result=True,
)
def import_job_run(self, job_id: int) -> str:
    """Run one import job (idempotent: a second delivery finds the lease taken or the job done)."""
    owner = new_lease_owner(self.request.id)
    try:
        return import_job_execute(job_id=job_id, owner=owner)
    except SoftTimeLimitExceeded:
        _reset_connection()  # the transaction has rolled back; start clean
        _fail_quietly(job_id, owner, "time_limit")
        return "failed"
    except (OperationalError, InterfaceError) as error:
        # The database went away (restart, terminated backend): the transaction is gone, so
        # nothing was written. Retry on a fresh connection with backoff.
        _reset_connection()
        try:
            import_job_release(job_id=job_id, owner=owner)
        except DatabaseError:
            _reset_connection()
        if self.request.retries >= self.max_retries:
            _fail_quietly(job_id, None, "database_unavailable")
            return "failed"
        logger.warning("import %s: database error, retrying: %s", job_id, error)
        raise self.retry(exc=error, countdown=_retry_countdown(self.request.retries)) from error
    except Exception:
        reference = uuid.uuid4().hex[:12]
        logger.exception("import %s failed unexpectedly (reference %s)", job_id, reference)
        _reset_connection()
        _fail_quietly(job_id, owner, "unexpected", {"reference": reference})
        return "failed"


def import_job_send(job_id: int) -> bool:
    """Publish a run of the job; a broker outage is logged, the job stays queued for the sweep."""
    try:
        import_job_run.delay(job_id)
    except Exception:  # the broker being down must never fail the upload
        logger.warning("could not send import job %s to the broker", job_id, exc_info=True)
        return False
    import_job_mark_sent(job_id=job_id)
    return True


@shared_task(name="catalog.tasks.import_jobs_sweep", ignore_result=True)
def import_jobs_sweep(resend_after: int = jobs.RESEND_AFTER_SECONDS) -> dict[str, int]:
    """Periodic: send again jobs left queued (broker was down) or whose worker died."""
    return jobs.import_jobs_sweep(send=import_job_send, resend_after=resend_after)

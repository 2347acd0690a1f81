"""Celery tasks of the catalog: run an import job, sweep jobs that got stuck, and send a run.

The services send a run through `import_job_send`; the tasks call only the import package
(never the services), so the two modules do not import each other.
"""

import logging
import sqlite3
import uuid

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.db.models import Q

from catalog.cards import readiness_refresh
from catalog.importing import jobs
from catalog.importing.jobs import (
    import_job_fail,
    import_job_mark_sent,
    import_job_release,
    new_lease_owner,
)
from catalog.importing.pipeline import import_job_execute
from catalog.models import Product

logger = logging.getLogger(__name__)

MAX_RETRIES = 4  # five attempts in all, within CATALOG_IMPORT_MAX_ATTEMPTS

# The retry policy: only a lost or refused connection is retried, told by the SQLSTATE the
# server sent. psycopg classes as OperationalError some refusals of one statement too (an
# index row too large, a cancelled statement, a full disk): retrying those only repeats them,
# and "the database was unavailable" would be the wrong message.
CONNECTION_SQLSTATES = (
    "08",  # connection exception: the connection failed or was lost
    "57P01",  # admin shutdown: the server stopped or a backend was terminated
    "57P02",  # crash shutdown
    "57P03",  # cannot connect now: the server is starting up
    "53300",  # too many connections
)
# SQLite's counterparts: the file is locked by another connection, or cannot be opened.
SQLITE_CONNECTION_CODES = frozenset(
    {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_IOERR}
)


def is_connection_error(error: BaseException) -> bool:
    """True when the database connection was lost or refused (worth a retry on a new one),
    False for a statement the database refused or any other error."""
    if isinstance(error, InterfaceError):
        return True  # the connection is closed or unusable
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    if cause is None:
        return True  # raised by hand, not by a driver: taken at its word
    if isinstance(cause, sqlite3.Error):
        return getattr(cause, "sqlite_errorcode", None) in SQLITE_CONNECTION_CODES
    sqlstate = getattr(cause, "sqlstate", None)
    if sqlstate is None:
        # psycopg's own errors carry no SQLSTATE: the server sent nothing, because the
        # connection broke (or the pool had none to give).
        return True
    return str(sqlstate).startswith(CONNECTION_SQLSTATES)


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
        if not is_connection_error(error):
            return _fail_unexpectedly(job_id, owner)
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
        return _fail_unexpectedly(job_id, owner)


def _fail_unexpectedly(job_id: int, owner: str) -> str:
    """Log the error being handled with the job id and a reference the job's message shows."""
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


@shared_task(name="catalog.tasks.category_readiness_refresh", ignore_result=True)
def category_readiness_refresh(code: str) -> int:
    """Check again the cards of a category and its subcategories (after operations staff
    changed its characteristics or forbade it); returns how many products changed."""
    products = Product.objects.filter(
        Q(category__code=code) | Q(category__code__startswith=f"{code}.")
    )
    return readiness_refresh(products)


def category_readiness_refresh_send(code: str) -> None:
    """Send the refresh once the admin's change is committed (never for a rollback)."""
    transaction.on_commit(lambda: category_readiness_refresh.delay(code))

"""RELIABILITY row 14: the same file uploaded twice at the same moment makes one job."""

import threading

import pytest
from django.db import connection

from catalog.models import ImportJob
from catalog.services import import_job_create
from tests.catalog.conftest import SAMPLES, upload
from tests.catalog.factories import sample_seller


@pytest.mark.postgres
def test_row_14_it_makes_one_job_for_two_identical_uploads_at_the_same_moment(
    transactional_db, categories
):
    seller = sample_seller()
    content = (SAMPLES / "catalog_utf8.csv").read_bytes()
    barrier = threading.Barrier(2)
    results: list[tuple[int, bool]] = []
    errors: list[BaseException] = []

    def double_click() -> None:
        try:
            barrier.wait(timeout=10)
            job, created = import_job_create(
                seller=seller, user=None, file=upload("catalog.csv", content), enqueue=False
            )
            results.append((job.pk, created))
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=double_click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert len(results) == 2
    assert len({job_id for job_id, _created in results}) == 1
    assert sorted(created for _job_id, created in results) == [False, True]
    assert ImportJob.objects.filter(seller=seller).count() == 1

"""A real Celery worker for the fault tests, able to hold each import's transaction open.

`python -m tests.catalog.worker [celery worker options]`. With TEST_WORKER_COMMIT_DELAY set to a
number of seconds, every import waits that long after its rows are applied and before its
transaction commits, so a test can kill the worker or its connection in the middle of a commit.
The pool's processes are forked from this one, so they inherit the delay.
"""

import os
import sys
import time
from typing import Any

import django

from portal.celery import app

COMMIT_DELAY_VARIABLE = "TEST_WORKER_COMMIT_DELAY"


def hold_commits_open(seconds: float) -> None:
    # Imported once django.setup() has run: the writers import the models.
    from catalog.importing.writers import PostgresStager

    finish = PostgresStager.finish

    def finish_then_wait(self: PostgresStager, *, commit: bool) -> dict[str, Any]:
        counts = finish(self, commit=commit)
        time.sleep(seconds)
        return counts

    PostgresStager.finish = finish_then_wait  # type: ignore[method-assign]


def main() -> None:
    django.setup()
    delay = float(os.environ.get(COMMIT_DELAY_VARIABLE) or 0)
    if delay:
        hold_commits_open(delay)
    app.worker_main(["worker", *sys.argv[1:]])


if __name__ == "__main__":
    main()

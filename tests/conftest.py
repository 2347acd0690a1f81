"""Shared fixtures: isolated media, eager Celery by default, the category tree, service markers."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache

# The sample files the tests read, copied from ../shared/samples (test_shared_copies.py keeps
# the copies in step), so the tests need nothing outside the checkout.
SAMPLES = Path(__file__).resolve().parent / "fixtures" / "samples"
# The project's shared folder beside the checkout, where the originals live (absent elsewhere).
SHARED = Path(__file__).resolve().parents[2] / "shared"

REQUIRE_SERVICES = os.environ.get("BOZOR_REQUIRE_SERVICES") == "1"
# Fault tests restart the machine's PostgreSQL server or kill processes: on a laptop that
# drops every other database's connections, so they run only in CI or when asked.
FAULT_TESTS = REQUIRE_SERVICES or os.environ.get("BOZOR_FAULT_TESTS") == "1"
HAS_POSTGRES = settings.IS_POSTGRES
HAS_BROKER = settings.CELERY_BROKER_URL.startswith("redis")

# WhiteNoise warns on every request handler it builds when STATIC_ROOT is missing (a fresh
# clone has no var/static/ until collectstatic): hundreds of copies of one warning.
Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if REQUIRE_SERVICES and not (HAS_POSTGRES and HAS_BROKER):
        raise pytest.UsageError("CI requires PostgreSQL and Redis; refusing to fall back")
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
    skip_worker = pytest.mark.skip(reason="needs Redis and a Celery worker (set CELERY_BROKER_URL)")
    skip_fault = pytest.mark.skip(
        reason="restarts PostgreSQL or kills processes: set BOZOR_FAULT_TESTS=1 to run it"
    )
    for item in items:
        if "postgres" in item.keywords and not HAS_POSTGRES:
            item.add_marker(skip_pg)
        if "celery_worker" in item.keywords and not (HAS_BROKER and HAS_POSTGRES):
            item.add_marker(skip_worker)
        if "fault" in item.keywords and not FAULT_TESTS:
            item.add_marker(skip_fault)


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path_factory: pytest.TempPathFactory) -> None:
    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))


@pytest.fixture(autouse=True)
def _eager_celery(request: pytest.FixtureRequest) -> Iterator[None]:
    """Tasks run in-process unless the test is marked celery_worker (then a real worker runs)."""
    from portal.celery import app

    eager = "celery_worker" not in request.keywords
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = eager
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    cache.clear()  # throttling and axes counters must not leak between tests
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _english_by_default() -> Iterator[None]:
    """Each test starts in English: a request in another language leaves it active in the thread."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def categories(db: None) -> None:
    from catalog.services import categories_load

    categories_load()

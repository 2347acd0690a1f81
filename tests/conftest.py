"""Shared fixtures: isolated media, eager Celery by default, the category tree, service markers."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache

# ../shared/samples beside the checkout (as CI lays it out), else the workplace's copy.
SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples"
if not SAMPLES.is_dir():
    SAMPLES = Path("/work/shared/samples")

REQUIRE_SERVICES = os.environ.get("BOZOR_REQUIRE_SERVICES") == "1"
HAS_POSTGRES = settings.IS_POSTGRES
HAS_BROKER = settings.CELERY_BROKER_URL.startswith("redis")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if REQUIRE_SERVICES and not (HAS_POSTGRES and HAS_BROKER):
        raise pytest.UsageError("CI requires PostgreSQL and Redis; refusing to fall back")
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
    skip_worker = pytest.mark.skip(reason="needs Redis and a Celery worker (set CELERY_BROKER_URL)")
    for item in items:
        if "postgres" in item.keywords and not HAS_POSTGRES:
            item.add_marker(skip_pg)
        if "celery_worker" in item.keywords and not (HAS_BROKER and HAS_POSTGRES):
            item.add_marker(skip_worker)


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

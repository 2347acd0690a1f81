"""The chunks of a PostgreSQL import: their sizes, their order through the helper thread's
queue, and what happens when either thread fails while chunks are queued."""

import threading

import pytest

from catalog.importing import writers
from catalog.importing.writers import chunk_rows_next
from catalog.models import ImportStatus, Product, RowError
from tests.catalog.factories import ProductFactory
from tests.catalog.factories_api import catalog_csv, row


@pytest.mark.parametrize(
    ("left", "least", "full", "expected"),
    [
        (99_000, 1000, 10_000, 10_000),  # far from the end: full chunks
        (20_000, 1000, 10_000, 10_000),
        (19_000, 1000, 10_000, 9500),  # the last rows: halving
        (9000, 1000, 10_000, 4500),
        (2100, 1000, 10_000, 1050),
        (1500, 1000, 10_000, 1000),  # never below the least
        (10, 1000, 10_000, 1000),
        (0, 1000, 10_000, 10_000),  # more rows than expected: full chunks again
        (-5000, 1000, 10_000, 10_000),
        (50, 64, 64, 64),  # chunks smaller than the first: always that size
        (7, 1, 1, 1),
    ],
)
def test_chunks_halve_over_the_last_rows_of_the_file(left, least, full, expected):
    assert chunk_rows_next(left=left, least=least, full=full) == expected


def _applied_chunks(monkeypatch) -> list[int]:
    """The data rows of every chunk the helper thread applies, in order."""
    sizes: list[int] = []
    original = writers.PostgresStager._apply_in_thread

    def counted(self, data, *args):
        sizes.append(data.count(b"\n"))
        return original(self, data, *args)

    monkeypatch.setattr(writers.PostgresStager, "_apply_in_thread", counted)
    return sizes


def _chunk_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "import-chunks"]


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_long_file_goes_in_full_chunks_then_halving_ones(
    seller, run_import, settings, monkeypatch
):
    settings.CATALOG_IMPORT_CHUNK_ROWS = 2000
    sizes = _applied_chunks(monkeypatch)
    rows = [row(f"SKU-{n:05}", price_uzs=str(1000 + n)) for n in range(6000)]
    job = run_import(seller, "long.csv", catalog_csv(rows))
    assert job.status == ImportStatus.COMPLETED, job.error_code
    # 1,000 first (PostgreSQL starts early), full chunks, then halving over the last rows.
    assert sizes == [1000, 2000, 1500, 1000, 500]
    assert job.counts == {"created": 6000, "updated": 0, "unchanged": 0, "invalid": 0}
    stored = dict(Product.objects.filter(seller=seller).values_list("sku", "price_uzs"))
    assert stored == {f"SKU-{n:05}": 1000 + n for n in range(6000)}
    assert not _chunk_threads()


@pytest.mark.postgres
@pytest.mark.django_db
def test_chunks_are_applied_in_file_order_with_many_queued(
    seller, run_import, settings, monkeypatch
):
    """Repeats across many small chunks, queued faster than applied: each names its first
    row, and a product changed by a later row of the file ends with that row's value."""
    settings.CATALOG_IMPORT_CHUNK_ROWS = 2
    sizes = _applied_chunks(monkeypatch)
    skus = ["A", "B", "C", "A", "D", "B", "E", "F", "C", "G", "A", "H"]
    job = run_import(seller, "dups.csv", catalog_csv([row(s, price_uzs="1000") for s in skus]))
    assert sizes == [2] * 6
    errors = RowError.objects.filter(job=job, code="duplicate_sku").order_by("row")
    assert [(e.row, e.params["value"], e.params["first_row"]) for e in errors] == [
        (5, "A", 2),
        (7, "B", 3),
        (10, "C", 4),
        (12, "A", 2),
    ]
    assert job.counts["created"] == 8


@pytest.mark.postgres
@pytest.mark.django_db
def test_an_error_in_a_queued_chunk_stops_the_import_and_stores_nothing(
    seller, run_import, settings, monkeypatch
):
    ProductFactory(seller=seller, sku="KEEP", price_uzs=5000)
    settings.CATALOG_IMPORT_CHUNK_ROWS = 2
    applied = []
    original = writers.PostgresStager._apply

    def failing_third(self, cursor, *args):
        applied.append(1)
        if len(applied) == 3:
            raise RuntimeError("disk full")
        return original(self, cursor, *args)

    monkeypatch.setattr(writers.PostgresStager, "_apply", failing_third)
    rows = [row("KEEP", price_uzs="9000")] + [row(f"N{n}", price_uzs="1000") for n in range(20)]
    job = run_import(seller, "fails.csv", catalog_csv(rows))
    assert job.status == ImportStatus.FAILED and job.error_code == "unexpected"
    # The chunks queued after the failed one were not applied.
    assert len(applied) == 3
    assert list(Product.objects.filter(seller=seller).values_list("sku", "price_uzs")) == [
        ("KEEP", 5000)
    ]
    assert not RowError.objects.filter(job=job).exists()
    assert not _chunk_threads()


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_file_error_while_chunks_are_queued_stores_nothing(
    seller, run_import, settings, monkeypatch
):
    settings.CATALOG_IMPORT_CHUNK_ROWS = 2
    settings.CATALOG_MAX_ROWS = 9
    sizes = _applied_chunks(monkeypatch)
    rows = [row(f"N{n}", price_uzs="1000") for n in range(12)]
    job = run_import(seller, "too-long.csv", catalog_csv(rows))
    assert job.status == ImportStatus.FAILED and job.error_code == "too_many_rows"
    assert len(sizes) <= 4  # chunks of the first 8 rows were queued, some applied
    assert not Product.objects.filter(seller=seller).exists()
    assert not RowError.objects.filter(job=job).exists()
    assert not _chunk_threads()

"""Repeated SKUs of a first import, told by the SKU filter (catalog.importing.skus): the same
errors as the indexed check an import into an existing catalog uses, whatever the filter says."""

import functools

import pytest

from catalog.importing import writers
from catalog.importing.skus import SkuFilter
from catalog.models import Product
from catalog.selectors import import_job_errors
from tests.catalog.factories import ProductFactory
from tests.catalog.factories_api import catalog_csv, row

# File rows 2-11: repeats within a chunk and across chunks, of valid rows and of a row that is
# invalid for another reason (its SKU still counts as taken), and a SKU repeated three times.
SKUS = ["A", "B", "A", "C", "B", "A", "D", "C", "E", "E"]
INVALID = {"D"}  # row 8 has no price
EXPECTED = [
    (4, "A", 2),
    (6, "B", 3),
    (7, "A", 2),
    (9, "C", 5),
    (11, "E", 10),
]


def catalog_file(skus: list[str]) -> bytes:
    return catalog_csv([row(sku, price_uzs="" if sku in INVALID else "1000") for sku in skus])


def duplicates(job) -> list[tuple[int, str, int]]:
    errors = import_job_errors(job=job).filter(code="duplicate_sku").order_by("row")
    return [(e.row, e.params["value"], e.params["first_row"]) for e in errors]


@pytest.mark.django_db
@pytest.mark.parametrize("chunk_rows", [1, 2, 3, 100])
@pytest.mark.parametrize("bits", [1, 1 << 20], ids=["every-sku-collides", "few-collide"])
def test_row_11_a_first_import_names_the_first_row_of_every_repeat(
    seller, run_import, settings, monkeypatch, chunk_rows, bits
):
    settings.CATALOG_IMPORT_CHUNK_ROWS = chunk_rows
    monkeypatch.setattr(writers, "SkuFilter", functools.partial(SkuFilter, bits=bits))
    job = run_import(seller, "dups.csv", catalog_file(SKUS))
    assert duplicates(job) == EXPECTED
    assert job.counts == {"created": 4, "updated": 0, "unchanged": 0, "invalid": 6}
    assert sorted(Product.objects.filter(seller=seller).values_list("sku", flat=True)) == [
        "A",
        "B",
        "C",
        "E",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("chunk_rows", [2, 100])
def test_row_11_an_import_into_an_existing_catalog_reports_the_same_repeats(
    seller, run_import, settings, chunk_rows
):
    settings.CATALOG_IMPORT_CHUNK_ROWS = chunk_rows
    ProductFactory(seller=seller, sku="Z")  # not empty: the indexed check runs
    job = run_import(seller, "dups.csv", catalog_file(SKUS))
    assert duplicates(job) == EXPECTED
    assert job.counts["created"] == 4 and job.counts["invalid"] == 6


@pytest.mark.django_db
@pytest.mark.parametrize("mode", ["commit", "validate"])
def test_a_first_import_counts_the_same_in_validation_and_commit(
    seller, run_import, settings, mode
):
    settings.CATALOG_IMPORT_CHUNK_ROWS = 3
    job = run_import(seller, "dups.csv", catalog_file(SKUS), mode=mode)
    assert duplicates(job) == EXPECTED
    assert job.counts["created"] == 4 and job.counts["invalid"] == 6


@pytest.mark.django_db
def test_a_product_added_during_a_first_import_is_updated_not_refused(
    seller, run_import, settings, monkeypatch
):
    """The API does not wait for an import's lock: a product it adds while a first import runs
    makes that chunk's plain INSERT conflict, and the chunk falls back to the upsert."""
    settings.CATALOG_IMPORT_CHUNK_ROWS = 2
    begin = writers.PostgresStager.begin

    def begin_then_add(self, stack):
        begin(self, stack)  # the catalog is empty: the first-import path is chosen
        ProductFactory(seller=seller, sku="C", stock=1)

    monkeypatch.setattr(writers.PostgresStager, "begin", begin_then_add)
    job = run_import(seller, "skus.csv", catalog_file(["A", "B", "C", "E"]))
    assert job.counts == {"created": 3, "updated": 1, "unchanged": 0, "invalid": 0}
    assert Product.objects.get(seller=seller, sku="C").stock == 10


def test_the_filter_clears_new_skus_and_flags_repeats_within_a_chunk():
    skus = SkuFilter()
    assert skus.check("A", 2) == (None, False)
    assert skus.check("B", 3) == (None, False)
    assert skus.check("A", 4) == (2, False)  # within the chunk: certain, told in Python
    skus.new_chunk()
    assert skus.check("A", 5) == (None, True)  # an earlier chunk had it: look it up
    assert skus.check("A", 6) == (None, True)  # repeats a row that is itself looked up
    assert skus.check("F", 7) == (None, False)
    assert skus.maybe_seen == 2


@pytest.mark.django_db
def test_a_file_repeating_many_skus_across_chunks_gets_the_log_indexed(
    seller, run_import, settings, monkeypatch
):
    """Past INDEX_AFTER_LOOKUPS rows to look up in one chunk, the log is indexed: the repeats
    are still named with their first row."""
    settings.CATALOG_IMPORT_CHUNK_ROWS = 4
    monkeypatch.setattr(writers, "INDEX_AFTER_LOOKUPS", 2)
    skus = ["A", "B", "C", "D", "A", "B", "C", "D", "E", "A"]
    job = run_import(seller, "repeats.csv", catalog_csv([row(sku) for sku in skus]))
    assert duplicates(job) == [
        (6, "A", 2),
        (7, "B", 3),
        (8, "C", 4),
        (9, "D", 5),
        (11, "A", 2),
    ]
    assert job.counts["created"] == 5 and job.counts["invalid"] == 5


def test_the_filter_clears_two_hundred_thousand_distinct_skus_almost_always():
    """Each false "maybe" costs a lookup in PostgreSQL: about one in a million is expected."""
    skus = SkuFilter()
    maybe = sum(skus.check(f"PH-{n:06d}-black-64gb", n)[1] for n in range(200_000))
    assert maybe <= 2

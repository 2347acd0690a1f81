"""RELIABILITY row 3: what Excel does to codes typed as numbers, caught with the cause named.

A scientific-notation barcode, a 16-digit IKPU and a serial-number date have their tests beside
the other rules (test_rows.py, insights/test_loading.py); here: the leading zeros Excel drops.
"""

import pytest
from django.utils import translation

from catalog.importing import pipeline
from catalog.importing.messages import message_for
from catalog.importing.rows import gtin_check_digit, parse_barcode
from catalog.models import ImportStatus, Product, RowError
from catalog.selectors import import_job_errors
from portal.tabular import TableError
from tests.catalog.factories_api import catalog_csv, product_for, row


@pytest.fixture(params=["native", "batch"])
def stager(request, monkeypatch, settings):
    """Both stagers: PostgreSQL's set-based one (on PostgreSQL) and the portable one."""
    from django.db import connection

    if request.param == "native" and connection.vendor != "postgresql":
        pytest.skip("the set-based stager needs PostgreSQL")
    if request.param == "batch":
        monkeypatch.setattr(pipeline, "PostgresStager", pipeline.BatchStager)
    settings.CATALOG_IMPORT_CHUNK_ROWS = 2  # several chunks: the check spans them
    return request.param


def with_check_digit(body: str) -> str:
    return body + str(gtin_check_digit(body))


@pytest.mark.parametrize(
    "barcode",
    [
        with_check_digit("0123456")[1:],  # an EAN-8 starting with 0, now 7 digits
        with_check_digit("03600029145")[1:],  # a UPC-A starting with 0, now 11 digits
    ],
)
def test_row_03_it_says_a_barcode_lost_its_leading_zero(barcode):
    with pytest.raises(TableError) as error:
        parse_barcode(barcode)
    assert error.value.code == "invalid_barcode"
    assert error.value.params["hint"] == "leading_zero"
    message = message_for(error.value.code, error.value.params)
    assert "leading zero" in message and "as text" in message and barcode in message


def test_it_gives_no_leading_zero_hint_when_the_check_digit_does_not_match():
    barcode = with_check_digit("0123456")[1:]
    wrong = barcode[:-1] + str((int(barcode[-1]) + 1) % 10)
    with pytest.raises(TableError) as error:
        parse_barcode(wrong)
    assert error.value.code == "invalid_barcode" and "hint" not in error.value.params


def catalog_with_padded_skus(seller):
    for sku in ("00123", "0456", "789", "0999", "999", "0777"):
        product_for(seller, sku)
    return {p.sku: (p.pk, p.updated_at) for p in Product.objects.filter(seller=seller)}


def damaged_file() -> bytes:
    return catalog_csv(
        [
            row("123"),  # row 2: was 00123
            row("789", price_uzs="130000"),  # row 3: 789 itself exists, an update
            row("0777"),  # row 4: the file names 0777 itself...
            row("777"),  # row 5: ...so 777 is a SKU of its own, not 0777 damaged
            row("456"),  # row 6: was 0456
            row("999"),  # row 7: 999 exists as well as 0999
            row("555"),  # row 8: no 0555 anywhere, a new product
        ]
    )


@pytest.mark.django_db
@pytest.mark.parametrize("mode", ["validate", "commit"])
def test_row_03_it_rejects_a_sku_that_lost_its_leading_zeros(seller, run_import, stager, mode):
    before = catalog_with_padded_skus(seller)
    job = run_import(seller, "zeros.csv", damaged_file(), mode=mode)
    assert job.status == (ImportStatus.COMPLETED if mode == "commit" else ImportStatus.VALIDATED)
    errors = list(import_job_errors(job=job, severity="error"))
    assert [(e.row, e.column, e.code, e.params) for e in errors] == [
        (2, "sku", "lost_leading_zero", {"value": "123", "existing": "00123"}),
        (6, "sku", "lost_leading_zero", {"value": "456", "existing": "0456"}),
    ]
    assert job.counts == {"created": 2, "updated": 3, "unchanged": 0, "invalid": 2}
    after = set(Product.objects.filter(seller=seller).values_list("sku", flat=True))
    if mode == "commit":
        assert after == set(before) | {"777", "555"}
    else:
        assert after == set(before)
    for sku in ("00123", "0456", "0999"):  # the padded cards are untouched
        product = Product.objects.get(seller=seller, sku=sku)
        assert (product.pk, product.updated_at) == before[sku]


@pytest.mark.django_db
def test_row_03_it_explains_the_lost_zeros_in_the_users_language(seller, run_import, stager):
    catalog_with_padded_skus(seller)
    job = run_import(seller, "zeros.csv", catalog_csv([row("123")]), mode="validate")
    error = RowError.objects.get(job=job)
    assert "00123" in error.message and "123" in error.message and "as text" in error.message
    with translation.override("zh-hans"):
        chinese = error.message
    with translation.override("ru"):
        russian = error.message
    assert "00123" in chinese and "文本" in chinese
    assert "00123" in russian and "текст" in russian


@pytest.mark.django_db
def test_it_does_not_suspect_skus_of_another_sellers_catalog(seller, run_import, stager):
    from tests.catalog.factories import sample_seller

    other = sample_seller()
    product_for(other, "00123")
    product_for(seller, "0456")  # this seller does have zero-padded SKUs
    job = run_import(seller, "zeros.csv", catalog_csv([row("123"), row("456")]))
    assert [(e.row, e.params["value"]) for e in import_job_errors(job=job)] == [(3, "456")]
    assert Product.objects.filter(seller=seller, sku="123").exists()

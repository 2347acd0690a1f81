"""The import pipeline end to end: samples, preview, re-import, idempotence, isolation, faults."""

import csv
import io
import json
import threading

import hypothesis
import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from hypothesis import strategies as st

from catalog.importing import pipeline
from catalog.importing.columns import CANONICAL_HEADER
from catalog.importing.jobs import new_lease_owner
from catalog.importing.pipeline import import_job_execute
from catalog.models import ImportJob, ImportStatus, Product, RowError
from catalog.selectors import error_report_write, import_job_errors, template_write
from catalog.services import import_job_commit, import_job_create
from portal.errors import ConflictError
from portal.tabular import escape_formula
from sellers.models import SellerStatus
from tests.catalog.conftest import FIXTURES, SAMPLES, upload
from tests.catalog.factories import ProductFactory, sample_seller
from tests.sellers.factories import BrandFactory

EXPECTED = json.loads((SAMPLES / "expected.json").read_text())
CATALOG_SAMPLES = [name for name in EXPECTED if name.startswith("catalog_")]


def error_triples(job: ImportJob) -> set[tuple[int, str, str]]:
    return {(e.row, e.column, e.code) for e in import_job_errors(job=job, severity="error")}


@pytest.mark.django_db
@pytest.mark.parametrize("name", CATALOG_SAMPLES)
def test_it_imports_each_sample_exactly_as_expected(name, seller, run_import):
    expected = EXPECTED[name]
    job = run_import(seller, name)
    assert job.status == ImportStatus.COMPLETED, job.error_message
    assert job.total_rows == expected["rows"]
    assert job.counts == {
        "created": expected["rows"] - expected["invalid"],
        "updated": 0,
        "unchanged": 0,
        "invalid": expected["invalid"],
    }
    assert error_triples(job) == {
        (e["row"], e["column"], e["code"]) for e in expected.get("errors", [])
    }
    assert Product.objects.filter(seller=seller).count() == expected["rows"] - expected["invalid"]
    assert job.processed_rows == job.total_rows
    assert job.detected["format"] in ("csv", "xlsx")


@pytest.mark.django_db
@pytest.mark.parametrize("name", CATALOG_SAMPLES)
def test_row_22_it_previews_without_writing_products(name, seller, run_import):
    expected = EXPECTED[name]
    job = run_import(seller, name, mode="validate")
    assert job.status == ImportStatus.VALIDATED
    assert job.counts["created"] == expected["rows"] - expected["invalid"]
    assert job.counts["invalid"] == expected["invalid"]
    assert not Product.objects.exists()
    assert len(error_triples(job)) == len(expected.get("errors", []))


@pytest.mark.django_db
def test_it_commits_a_validated_job_and_refuses_to_commit_twice(
    seller, run_import, django_capture_on_commit_callbacks
):
    job = run_import(seller, "catalog_utf8.csv", mode="validate")
    with django_capture_on_commit_callbacks(execute=True):
        import_job_commit(job=job, user=None)
    job.refresh_from_db()
    assert job.status == ImportStatus.COMPLETED and job.counts["created"] == 200
    with pytest.raises(ConflictError):
        import_job_commit(job=job, user=None)


@pytest.mark.django_db
def test_row_14_it_finds_every_row_unchanged_on_a_second_import(seller, run_import):
    run_import(seller, "catalog_cp1251_ru.csv")
    stamps = dict(Product.objects.values_list("sku", "updated_at"))
    job = run_import(seller, "catalog_cp1251_ru.csv")
    assert job.counts == {"created": 0, "updated": 0, "unchanged": 200, "invalid": 0}
    assert dict(Product.objects.values_list("sku", "updated_at")) == stamps  # nothing written


@pytest.mark.django_db
def test_products_name_their_last_import_until_it_is_deleted(seller, run_import):
    """last_import has no foreign key in the database (catalog.models): Django empties it."""
    job = run_import(seller, "catalog_cp1251_ru.csv")
    assert Product.objects.filter(seller=seller, last_import=job).count() == 200
    job.delete()
    assert Product.objects.filter(seller=seller).count() == 200
    assert not Product.objects.filter(seller=seller, last_import__isnull=False).exists()


@pytest.mark.django_db
def test_it_counts_updates_and_previews_them_against_the_catalog(seller, run_import):
    run_import(seller, "catalog_utf8.csv")
    text = (SAMPLES / "catalog_utf8.csv").read_text(encoding="utf-8")
    changed = text.replace(",29477000,", ",29478000,", 1)
    assert changed != text
    preview = run_import(seller, "changed.csv", changed.encode(), mode="validate")
    assert preview.counts == {"created": 0, "updated": 1, "unchanged": 199, "invalid": 0}
    assert Product.objects.get(seller=seller, sku="LY-000001").price_uzs == 29_477_000
    job = run_import(seller, "changed.csv", changed.encode())
    assert job.counts == {"created": 0, "updated": 1, "unchanged": 199, "invalid": 0}
    assert Product.objects.get(seller=seller, sku="LY-000001").price_uzs == 29_478_000


@pytest.mark.django_db
def test_it_gives_the_same_catalog_and_counts_when_the_task_runs_twice(seller, run_import):
    job = run_import(seller, "catalog_gbk_zh.csv")
    counts = job.counts
    assert import_job_execute(job_id=job.pk, owner=new_lease_owner()) == "skipped"
    job.refresh_from_db()
    assert job.counts == counts and Product.objects.count() == 294


@pytest.mark.django_db
def test_row_16_it_finishes_a_job_whose_worker_died_with_the_full_counts(seller):
    """A second delivery after the lease expired redoes the (rolled back) work completely."""
    job, _created = import_job_create(
        seller=seller,
        user=None,
        file=upload("a.csv", (SAMPLES / "catalog_utf8.csv").read_bytes()),
        mode="commit",
        enqueue=False,
    )
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.RUNNING,
        lease_owner="dead-worker",
        lease_until="2000-01-01T00:00Z",
        attempts=1,
    )
    assert import_job_execute(job_id=job.pk, owner=new_lease_owner()) == "done"
    job.refresh_from_db()
    assert job.status == ImportStatus.COMPLETED and job.attempts == 2
    assert job.counts == {"created": 200, "updated": 0, "unchanged": 0, "invalid": 0}


@pytest.mark.django_db
def test_row_14_it_returns_the_active_job_for_a_second_identical_upload(seller, run_import):
    content = (SAMPLES / "catalog_utf8.csv").read_bytes()
    first, created = import_job_create(seller=seller, user=None, file=upload("a.csv", content))
    second, created_again = import_job_create(
        seller=seller, user=None, file=upload("b.csv", content)
    )
    assert created and not created_again and second.pk == first.pk
    assert ImportJob.objects.count() == 1
    # Once finished, the same file is a new import that finds every row unchanged.
    ImportJob.objects.filter(pk=first.pk).update(status=ImportStatus.FAILED)
    run_import(seller, "catalog_utf8.csv")
    again = run_import(seller, "catalog_utf8.csv")
    assert again.counts["unchanged"] == 200 and ImportJob.objects.count() == 3


@pytest.mark.django_db
def test_row_12_it_keeps_sellers_apart(seller, run_import):
    other = sample_seller()
    BrandFactory(seller=other, name="Xiaomi", name_zh="小米")
    theirs = ProductFactory(seller=other, sku="LY-000001", price_uzs=1_000)
    text = (SAMPLES / "catalog_utf8.csv").read_text(encoding="utf-8")
    text = text.replace(",Lanyue,shoes.sneakers,29477000,", ",Xiaomi,shoes.sneakers,29477000,", 1)
    job = run_import(seller, "mine.csv", text.encode())
    assert (2, "brand", "unknown_brand") in error_triples(job)  # another seller's brand
    assert job.counts["created"] == 199
    theirs.refresh_from_db()
    assert theirs.price_uzs == 1_000 and theirs.seller == other
    assert Product.objects.filter(sku="LY-000001").count() == 1  # row 2 was rejected
    assert Product.objects.filter(sku="LY-000002").count() == 1
    run_import(seller, "catalog_utf8.csv")
    assert Product.objects.filter(sku="LY-000001").count() == 2  # the SKU shared across sellers
    theirs.refresh_from_db()
    assert theirs.price_uzs == 1_000


@pytest.mark.django_db
def test_row_12_it_ignores_id_and_seller_columns_and_warns_about_unknown_ones(seller, run_import):
    other = sample_seller()
    job = run_import(
        seller, "cols.csv", (FIXTURES / "unknown_and_ignored_columns.csv").read_bytes()
    )
    assert job.status == ImportStatus.COMPLETED
    assert job.counts["created"] == 3
    assert {w["code"] for w in job.warnings} == {"unknown_columns", "ignored_columns"}
    assert any("warehouse_note" in m for m in job.warning_messages)
    assert not Product.objects.filter(seller=other).exists()


@pytest.mark.django_db
def test_it_leaves_the_catalog_as_it_was_when_the_commit_fails_midway(
    seller, run_import, monkeypatch
):
    run_import(seller, "catalog_utf8.csv")
    before = list(Product.objects.order_by("sku").values_list("sku", "price_uzs", "updated_at"))
    original = (
        pipeline.PostgresStager.finish
        if connection.vendor == "postgresql"
        else pipeline.BatchStager.finish
    )

    def finish_then_fail(self, *, commit):
        original(self, commit=commit)  # the upsert has run inside the transaction
        raise RuntimeError("disk full")

    monkeypatch.setattr(
        pipeline.PostgresStager if connection.vendor == "postgresql" else pipeline.BatchStager,
        "finish",
        finish_then_fail,
    )
    job = run_import(seller, "gbk.csv", (SAMPLES / "catalog_gbk_zh.csv").read_bytes())
    assert job.status == ImportStatus.FAILED and job.error_code == "unexpected"
    assert "reference" in job.error_params
    assert (
        list(Product.objects.order_by("sku").values_list("sku", "price_uzs", "updated_at"))
        == before
    )
    assert not RowError.objects.filter(job=job).exists()


@pytest.mark.django_db
def test_it_refuses_sellers_that_are_not_approved(categories):
    for status in (SellerStatus.DRAFT, SellerStatus.SUBMITTED, SellerStatus.SUSPENDED):
        seller = sample_seller(status=status)
        with pytest.raises(ConflictError):
            import_job_create(
                seller=seller,
                user=None,
                file=upload("a.csv", (SAMPLES / "catalog_utf8.csv").read_bytes()),
            )
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_it_fails_a_queued_job_whose_seller_was_suspended_meanwhile(seller):
    job, _created = import_job_create(
        seller=seller,
        user=None,
        file=upload("a.csv", (SAMPLES / "catalog_utf8.csv").read_bytes()),
        mode="commit",
        enqueue=False,
    )
    seller.status = SellerStatus.SUSPENDED
    seller.save()
    import_job_execute(job_id=job.pk, owner=new_lease_owner())
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and job.error_code == "seller_not_approved"
    assert not Product.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fixture, code",
    [
        ("empty.csv", "empty_file"),
        ("header_only.csv", "no_rows"),
        ("blank_lines.csv", "no_rows"),
        ("png_named.csv", "unsupported_format"),
        ("html_named.xlsx", "unsupported_format"),
        ("missing_columns.csv", "missing_columns"),
        ("duplicate_column.csv", "duplicate_column"),
        ("wide.csv", "too_many_columns"),
    ],
)
def test_row_06_it_creates_no_job_for_a_file_that_cannot_be_imported(fixture, code, seller):
    from catalog.importing.messages import message_for  # noqa: F401 - messages are rendered

    with pytest.raises(ValidationError) as error:
        import_job_create(
            seller=seller, user=None, file=upload(fixture, (FIXTURES / fixture).read_bytes())
        )
    assert "file" in error.value.message_dict
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_file_above_the_upload_limit(seller, settings):
    settings.CATALOG_UPLOAD_MAX_BYTES = 1000
    with pytest.raises(ValidationError):
        import_job_create(
            seller=seller,
            user=None,
            file=upload("big.csv", (SAMPLES / "catalog_utf8.csv").read_bytes()),
        )
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_row_13_it_stores_the_file_under_a_generated_name(seller, run_import):
    job = run_import(
        seller, "../../etc/passwd\u202e.csv", (SAMPLES / "catalog_utf8.csv").read_bytes()
    )
    assert job.file.name.startswith("imports/") and "passwd" not in job.file.name
    assert job.filename == "passwd.csv"
    assert len(job.sha256) == 64


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fixture, problems",
    [
        ("unbalanced_quote.csv", {(4, "", "unbalanced_quote")}),
        ("wrong_cells.csv", {(3, "", "wrong_cell_count"), (4, "", "wrong_cell_count")}),
        (
            "nul_bidi.csv",
            {
                (2, "sku", "invisible_characters"),
                (3, "title_uz", "invisible_characters"),
                (4, "sku", "invisible_characters"),
            },
        ),
        ("long_field.csv", {(2, "description_uz", "cell_too_long")}),
    ],
)
def test_row_04_it_rejects_damaged_rows_and_keeps_the_others(fixture, problems, seller, run_import):
    job = run_import(seller, fixture, (FIXTURES / fixture).read_bytes())
    assert job.status == ImportStatus.COMPLETED
    assert error_triples(job) == problems
    assert job.counts["invalid"] == len({row for row, _c, _code in problems})
    assert job.total_lines >= job.total_rows + 1


@pytest.mark.django_db
def test_row_11_it_reports_duplicate_skus_on_the_later_rows_naming_the_first(seller, run_import):
    text = (SAMPLES / "catalog_utf8.csv").read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    content = "".join(lines + [lines[1], lines[1]]).encode()
    job = run_import(seller, "dups.csv", content)
    duplicates = list(import_job_errors(job=job).filter(code="duplicate_sku"))
    assert [(e.row, e.params["first_row"]) for e in duplicates] == [(202, 2), (203, 2)]
    assert "row 2" in duplicates[0].message
    assert job.counts["created"] == 200 and job.counts["invalid"] == 2


@pytest.mark.django_db
@pytest.mark.parametrize("chunk_rows", [2, 3, 100])
def test_row_11_it_names_the_first_row_whether_it_was_in_this_chunk_or_an_earlier_one(
    seller, run_import, settings, chunk_rows
):
    from tests.catalog.factories_api import catalog_csv, row

    settings.CATALOG_IMPORT_CHUNK_ROWS = chunk_rows
    skus = ["A", "B", "A", "C", "B", "A", "D", "C"]  # file rows 2-9
    job = run_import(seller, "dups.csv", catalog_csv([row(sku) for sku in skus]))
    duplicates = import_job_errors(job=job).filter(code="duplicate_sku")
    assert [(e.row, e.params["value"], e.params["first_row"]) for e in duplicates] == [
        (4, "A", 2),
        (6, "B", 3),
        (7, "A", 2),
        (9, "C", 5),
    ]
    assert job.counts["created"] == 4 and job.counts["invalid"] == 4


@pytest.mark.django_db
def test_it_writes_the_error_report_with_the_rows_as_sent(seller, run_import):
    text = (SAMPLES / "catalog_errors.csv").read_text(encoding="utf-8-sig")
    text = text.replace("ER-000006,", "=HYPERLINK(1),", 1)  # row 7, rejected
    job = run_import(seller, "errors.csv", text.encode("utf-8-sig"))
    stream = io.BytesIO()
    error_report_write(job=job, stream=stream)
    data = stream.getvalue()
    assert data.startswith(b"\xef\xbb\xbf")
    report = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    original = list(csv.reader(io.StringIO(text)))
    assert report[0] == original[0] + ["errors"]
    assert len(report) == 1 + job.counts["invalid"]
    rejected_rows = sorted({e.row for e in import_job_errors(job=job, severity="error")})
    for line, row in zip(report[1:], rejected_rows, strict=True):
        sent = original[row - 1]
        assert line[:-1] == [escape_formula(c) for c in sent]
        assert line[-1]
    assert report[1][0] == "'=HYPERLINK(1)"  # escaped in the export, stored as typed
    assert Product.objects.filter(sku="=HYPERLINK(1)").exists() is False  # row 7 was rejected


@pytest.mark.django_db
def test_it_writes_the_templates():
    stream = io.BytesIO()
    template_write(file_format="csv", stream=stream)
    assert stream.getvalue().startswith(b"\xef\xbb\xbfsku,title_uz,title_ru,")
    stream = io.BytesIO()
    template_write(file_format="xlsx", stream=stream)
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(stream.getvalue()), read_only=True)
    assert workbook.sheetnames == ["Products", "Instructions"]
    rows = list(workbook["Instructions"].iter_rows(values_only=True))
    assert ("sku", "SKU (sku)", "yes", "商品编码", "Артикул", "Artikul") == rows[1][:6]
    assert [c for c in next(workbook["Products"].iter_rows(values_only=True))][:2] == [
        "sku",
        "title_uz",
    ]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_row_15_it_applies_two_files_of_one_seller_one_after_the_other(categories):
    seller = sample_seller()
    text = (SAMPLES / "catalog_utf8.csv").read_text(encoding="utf-8")
    other_prices = text.replace("000,", "100,")
    jobs = []
    for name, content in (("a.csv", text), ("b.csv", other_prices)):
        job, _created = import_job_create(
            seller=seller,
            user=None,
            file=upload(name, content.encode()),
            mode="commit",
            enqueue=False,
        )
        jobs.append(job)
    results = []

    def work(job_id):
        try:
            results.append(import_job_execute(job_id=job_id, owner=new_lease_owner()))
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(job.pk,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert results == ["done", "done"]
    counts = sorted((j.counts["created"], j.counts["updated"]) for j in ImportJob.objects.all())
    assert counts == [(0, 200), (200, 0)] or counts[0][0] + counts[1][0] == 200
    assert sum(c for c, _u in counts) == 200  # each product created exactly once
    assert Product.objects.filter(seller=seller).count() == 200


@pytest.mark.django_db
def test_it_fails_a_file_with_more_rows_than_the_limit_and_writes_nothing(
    seller, run_import, settings
):
    settings.CATALOG_MAX_ROWS = 150
    job = run_import(seller, "catalog_utf8.csv")
    assert job.status == ImportStatus.FAILED and job.error_code == "too_many_rows"
    assert "150" in job.error_message and "split" in job.error_message
    assert not Product.objects.exists() and not RowError.objects.filter(job=job).exists()


@pytest.mark.django_db
def test_row_36_out_of_range_numbers_reject_their_rows_and_the_job_completes(seller, run_import):
    from tests.catalog.factories_api import catalog_csv

    reader = csv.DictReader(io.StringIO((SAMPLES / "catalog_utf8.csv").read_text()))
    sample = next(reader)
    rows = [
        {**sample, "sku": "OK-1"},
        {**sample, "sku": "BIG-STOCK", "stock": "3000000000"},
        {**sample, "sku": "BIG-PRICE", "price_uzs": "99999999999999999999"},
        {**sample, "sku": "HUGE-PRICE", "price_uzs": "9" * 5000},
        {**sample, "sku": "HUGE-WEIGHT", "weight_g": "1" * 4400},
        {**sample, "sku": "OK-2"},
    ]
    job = run_import(seller, "ranges.csv", catalog_csv(rows, header=list(reader.fieldnames or [])))
    assert job.status == ImportStatus.COMPLETED, job.error_message
    assert job.counts == {"created": 2, "updated": 0, "unchanged": 0, "invalid": 4}
    assert error_triples(job) == {
        (3, "stock", "out_of_range"),
        (4, "price_uzs", "out_of_range"),
        (5, "price_uzs", "out_of_range"),
        (6, "weight_g", "out_of_range"),
    }
    assert sorted(Product.objects.values_list("sku", flat=True)) == ["OK-1", "OK-2"]


# --- whatever one row does wrong, the job completes with that row rejected -------------------

FULL_HEADER = list(CANONICAL_HEADER)
NUMBER_COLUMNS = ("price_uzs", "stock", "weight_g", "length_mm", "width_mm", "height_mm")


def _good_row(sku: str) -> dict[str, str]:
    from tests.catalog.factories_api import row

    return row(sku, length_mm="300", width_mm="200", height_mm="100")


def _with(sku: str, **cells: str) -> dict[str, str]:
    return {**_good_row(sku), **cells}


def _everywhere(text: str, **more: str) -> dict[str, str]:
    return {name: text for name in FULL_HEADER} | more


def _incompressible(length: int) -> str:
    """Text PostgreSQL cannot compress below an index entry's 2,704 bytes (a repeated letter
    compresses to almost nothing and would fit)."""
    import random
    import string

    return "".join(random.Random(length).choices(string.ascii_letters, k=length))


SINGLE_ROW_DAMAGE = {
    "a 150,000-character SKU": _with(_incompressible(150_000)),
    "a SKU of 65 characters": _with("S" * 65),
    "a 3,000-character SKU": _with(_incompressible(3000)),
    "NUL in every cell": {k: v + "\x00" for k, v in _good_row("NUL-1").items()},
    "only NUL": _everywhere("\x00"),
    "NUL SKU": _with("\x00"),
    "zero-width and bidi characters": _with("BIDI\u202e-1", title_uz="Nomi\u200b choynak"),
    "huge numbers in every number column": _with(
        "NUM-1", **{name: "9" * 5000 for name in NUMBER_COLUMNS}
    ),
    "negative huge numbers": _with("NUM-2", **{name: "-" + "9" * 30 for name in NUMBER_COLUMNS}),
    "numbers just past each bound": _with(
        "NUM-3",
        price_uzs="1000000000001",
        stock="10000001",
        weight_g="50001",
        length_mm="2147483648",
        width_mm="9223372036854775808",
        height_mm="100001",
    ),
    "cells past Excel's 32,767 characters": _everywhere("X" * 32_768),
    "a title past 255 characters": _with("LONG-1", title_ru="Б" * 40_000),
    "a 40,000-character image URL": _with(
        "URL-1", image_urls="https://img.example.com/" + "x" * 40_000
    ),
    "a barcode of 5,000 digits": _with("BAR-1", barcode="4" * 5000),
    "an IKPU of 5,000 digits": _with("IKPU-1", ikpu="1" * 5000),
    "a quoted cell full of delimiters and new lines": _with("Q-1", description_uz=",\n" * 40),
    "an empty SKU": _with(""),
    "spaces in every cell but the SKU": _everywhere("   ", sku="SPACES-1"),
    "formula-like text everywhere": _everywhere("=1+2"),
    "a brand and category of 32,767 characters": _with(
        "BC-1", brand="B" * 32_767, category="c" * 32_767
    ),
}


def _file(rows: list[dict[str, str]]) -> bytes:
    from tests.catalog.factories_api import catalog_csv

    return catalog_csv(rows, header=FULL_HEADER)


@pytest.mark.django_db
@pytest.mark.parametrize("damage", list(SINGLE_ROW_DAMAGE))
def test_row_37_whatever_one_row_does_wrong_the_job_completes_with_that_row_rejected(
    damage, categories, run_import
):
    from tests.catalog.factories_api import approved_seller

    seller, _user = approved_seller()
    rows = [_good_row("GOOD-1"), SINGLE_ROW_DAMAGE[damage], _good_row("GOOD-2")]
    job = run_import(seller, "damage.csv", _file(rows))
    assert job.status == ImportStatus.COMPLETED, (job.error_code, job.error_params)
    assert job.attempts == 1
    assert job.counts == {"created": 2, "updated": 0, "unchanged": 0, "invalid": 1}
    assert {e.row for e in import_job_errors(job=job, severity="error")} == {3}
    assert sorted(Product.objects.values_list("sku", flat=True)) == ["GOOD-1", "GOOD-2"]
    for error in import_job_errors(job=job):
        assert error.message and len(error.column) <= 100


@pytest.mark.django_db
def test_row_37_a_huge_sku_is_reported_never_staged_and_duplicates_still_found(
    categories, run_import
):
    from tests.catalog.factories_api import approved_seller

    seller, _user = approved_seller()
    huge = _with(_incompressible(150_000), title_uz="Katta artikul", title_ru="Большой артикул")
    rows = [
        huge,
        _with("A", price_uzs="bad"),  # invalid, but its SKU is one a valid row could have
        _good_row("A"),
        huge,
        _good_row("B"),
    ]
    job = run_import(seller, "huge.csv", _file(rows), mode="validate")
    assert job.status == ImportStatus.VALIDATED, (job.error_code, job.error_params)
    assert error_triples(job) == {
        (2, "sku", "cell_too_long"),
        (3, "price_uzs", "invalid_number"),
        (4, "sku", "duplicate_sku"),
        (5, "sku", "cell_too_long"),
    }
    assert job.counts == {"created": 1, "updated": 0, "unchanged": 0, "invalid": 4}


@pytest.mark.django_db
def test_row_37_unknown_columns_the_database_could_not_store_as_named_do_not_fail_the_job(
    categories, run_import
):
    from tests.catalog.factories_api import approved_seller, catalog_csv

    seller, _user = approved_seller()
    long_name, nul_name = "Colour " + "x" * 300, "size\x00"
    header = [*FULL_HEADER, long_name, nul_name]
    rows = [
        {**_good_row("GOOD-1"), long_name: "red\u200b", nul_name: "M"},
        {**_good_row("GOOD-2"), long_name: "blue", nul_name: "L\x00"},
    ]
    job = run_import(seller, "extra.csv", catalog_csv(rows, header=header))
    assert job.status == ImportStatus.COMPLETED, (job.error_code, job.error_params)
    assert job.counts["invalid"] == 2
    columns = {e.column for e in import_job_errors(job=job)}
    assert len(columns) == 2 and all(len(c) <= 100 and "\x00" not in c for c in columns)
    assert job.warnings and "\x00" not in json.dumps(job.warnings, ensure_ascii=False)


NASTY_TEXT = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=50),
    st.sampled_from(["\x00", "\u202e", "\ufeff", "=cmd|' /C calc'!A0", '"', "\r", "\n\n\n"]),
    st.integers(min_value=0, max_value=6000).map(lambda n: "9" * n),
    st.integers(min_value=1, max_value=40_000).map(lambda n: "€" * n),
    st.builds(lambda n, digits: "-" + digits * n, st.integers(1, 400), st.sampled_from("19")),
)


@pytest.mark.django_db
@hypothesis.settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture],
)
@hypothesis.given(column=st.sampled_from(FULL_HEADER), text=NASTY_TEXT)
def test_row_37_any_text_in_any_cell_of_one_row_leaves_the_others_imported(
    categories, run_import, column, text
):
    from tests.catalog.factories_api import approved_seller

    seller, _user = approved_seller()
    rows = [_good_row("GOOD-1"), {**_good_row("ODD-1"), column: text}, _good_row("GOOD-2")]
    job = run_import(seller, "odd.csv", _file(rows))
    assert job.status == ImportStatus.COMPLETED, (job.error_code, job.error_params)
    assert job.attempts == 1
    assert job.counts["created"] + job.counts["invalid"] == 3
    skus = set(Product.objects.filter(seller=seller).values_list("sku", flat=True))
    assert {"GOOD-1"} <= skus and len(skus) == job.counts["created"]


@pytest.mark.django_db
def test_row_39_the_worker_imports_a_workbook_whose_check_was_left_to_it(seller, run_import):
    """The upload could not check this workbook within its first rows (row 2 names the last of
    60,000 shared strings); the worker reads it all, under its time limit."""
    from tests.portal.tabular.conftest import HEADER, shared_strings_workbook

    last = len(HEADER) + 60_000 - 1
    content = shared_strings_workbook(HEADER, [[last]], filler=60_000)
    job = run_import(seller, "strings.xlsx", content, mode="validate")
    assert job.status == ImportStatus.VALIDATED, (job.error_code, job.error_params)
    assert job.detected["format"] == "xlsx" and job.total_rows == 1
    assert job.counts["invalid"] == 1

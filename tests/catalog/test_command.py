"""manage.py import_catalog: the same pipeline, in-process, with a JSON summary."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from catalog.models import ImportJob, Product
from sellers.models import SellerStatus
from tests.catalog.conftest import FIXTURES, SAMPLES
from tests.catalog.factories import sample_seller


def command(*args: str) -> dict:
    out = StringIO()
    call_command("import_catalog", *args, stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.django_db
def test_it_validates_by_default_and_prints_a_summary(seller):
    summary = command("--seller", seller.uscc.lower(), str(SAMPLES / "catalog_gbk_zh.csv"))
    assert summary["status"] == "validated"
    assert summary["detected"] == {"format": "csv", "encoding": "gb18030", "delimiter": ","}
    assert summary["counts"] == {"created": 294, "updated": 0, "unchanged": 0, "invalid": 6}
    assert summary["total_rows"] == 300 and summary["total_lines"] == 301
    assert {"row": 35, "column": "brand", "code": "unknown_brand"}.items() <= summary[
        "first_errors"
    ][0].items()
    assert not Product.objects.exists()


@pytest.mark.django_db
def test_it_commits_with_commit(seller):
    summary = command("--seller", seller.uscc, str(SAMPLES / "catalog_zh.xlsx"), "--commit")
    assert summary["status"] == "completed" and summary["counts"]["created"] == 150
    assert Product.objects.filter(seller=seller).count() == 150
    again = command("--seller", seller.uscc, str(SAMPLES / "catalog_zh.xlsx"), "--commit")
    assert again["counts"] == {"created": 0, "updated": 0, "unchanged": 150, "invalid": 0}


@pytest.mark.django_db
def test_it_exits_non_zero_for_an_unknown_seller(categories):
    with pytest.raises(CommandError, match="No seller"):
        command("--seller", "91110000600037341L", str(SAMPLES / "catalog_utf8.csv"))


@pytest.mark.django_db
def test_it_exits_non_zero_for_a_file_error(seller):
    with pytest.raises(CommandError, match="no product rows"):
        command("--seller", seller.uscc, str(FIXTURES / "header_only.csv"))
    with pytest.raises(CommandError, match="No such file"):
        command("--seller", seller.uscc, str(FIXTURES / "missing.csv"))
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_seller_that_is_not_approved(categories):
    seller = sample_seller(status=SellerStatus.SUSPENDED)
    with pytest.raises(CommandError, match="approved"):
        command("--seller", seller.uscc, str(SAMPLES / "catalog_utf8.csv"), "--commit")
    assert not Product.objects.exists()

"""The error report (rejected rows as sent, plus their errors) and the import template."""

import csv
import io
from pathlib import Path

import pytest

from catalog.importing.report import error_report_write, template_write
from tests.catalog.factories_api import catalog_csv, row


def report_lines(job) -> list[list[str]]:
    stream = io.BytesIO()
    error_report_write(job=job, stream=stream)
    return list(csv.reader(io.StringIO(stream.getvalue().decode("utf-8-sig"))))


@pytest.mark.django_db
def test_it_names_each_error_by_the_column_header_the_file_used(seller, run_import):
    text = catalog_csv([row("OK-1"), row("BAD-1", price_uzs="abc")]).decode()
    text = text.replace("price_uzs", "Цена (сум)", 1)
    job = run_import(seller, "prices.csv", text.encode(), mode="validate")
    lines = report_lines(job)
    assert lines[0][7] == "Цена (сум)" and lines[0][-1] == "errors"
    assert [line[0] for line in lines[1:]] == ["BAD-1"]
    assert lines[1][-1].startswith("Цена (сум): ")


@pytest.mark.django_db
def test_it_still_lists_the_errors_when_the_file_is_gone(seller, run_import):
    job = run_import(seller, "prices.csv", catalog_csv([row("=BAD", price_uzs="abc")]))
    job.file.delete(save=False)
    lines = report_lines(job)
    assert lines[0] == ["errors"]
    assert len(lines) == 2 and lines[1][0].startswith("price_uzs: ")


@pytest.mark.django_db
def test_it_stops_quietly_where_the_file_itself_is_damaged(seller, run_import):
    rows = [row("BAD-1", price_uzs="abc"), row("BAD-2", price_uzs="abc")]
    job = run_import(seller, "prices.csv", catalog_csv(rows), mode="validate")
    # The stored file lost its last row to a runaway quote after the run: the file's damage is
    # the job's to report, so the report ends where the file can no longer be read.
    damaged = catalog_csv(rows[:1]) + b'BAD-2,"' + b"x" * 1_100_000
    Path(job.file.path).write_bytes(damaged)
    assert [line[0] for line in report_lines(job)] == ["sku", "BAD-1"]


def test_it_refuses_a_template_format_it_does_not_write():
    with pytest.raises(ValueError):
        template_write(file_format="ods", stream=io.BytesIO())

"""manage.py import_sales, rebuild_rollups and the demo seed."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from insights.models import ROLLUP_MODELS, Sale, SalesLoad
from tests.insights.factories import GOOD_ROWS, sales_csv

pytestmark = pytest.mark.usefixtures("categories")


def run(*args) -> tuple[dict, int]:
    out = StringIO()
    code = 0
    try:
        call_command(*args, stdout=out)
    except SystemExit as exit_:
        code = exit_.code
    return json.loads(out.getvalue()), code


def test_it_loads_a_file_and_prints_a_json_summary(sample_sales_path):
    summary, code = run("import_sales", str(sample_sales_path))
    assert code == 0
    assert summary["status"] == "loaded"
    assert summary["rows"] == 4301
    assert summary["detected"]["encoding"] == "utf-8"


def test_it_says_a_file_was_already_loaded(sample_sales_path):
    run("import_sales", str(sample_sales_path))
    summary, code = run("import_sales", str(sample_sales_path))
    assert (summary["status"], code) == ("already_loaded", 0)
    assert Sale.objects.count() == 4301


def test_it_exits_non_zero_and_lists_row_errors(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(sales_csv([*GOOD_ROWS, ["2025-11-05", "nope", "A", "CN", "1", "1"]]))
    summary, code = run("import_sales", str(path))
    assert code == 1
    assert summary["status"] == "rejected"
    assert summary["errors"][0]["row"] == 6
    assert summary["errors"][0]["code"] == "unknown_category"
    assert SalesLoad.objects.count() == 0


def test_it_refuses_a_missing_file(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("import_sales", str(tmp_path / "nothing.csv"))


def test_it_rebuilds_the_rollups_from_the_facts(sample_sales_path):
    run("import_sales", str(sample_sales_path))

    def rollups():
        return [sorted(model._default_manager.values_list()) for model in ROLLUP_MODELS]

    before = rollups()  # kept up by the load
    assert all(before)
    for model in ROLLUP_MODELS:
        model._default_manager.all().delete()

    out = StringIO()
    call_command("rebuild_rollups", stdout=out)

    assert rollups() == before
    assert json.loads(out.getvalue())


def test_it_seeds_seasons_but_no_sales_with_skip_sales():
    from insights import demo

    out = StringIO()
    demo.seed(stdout=out, options={"skip_sales": True})
    assert Sale.objects.count() == 0
    assert "skipped" in out.getvalue()


def test_it_makes_the_same_demo_file_every_time():
    from insights.demo import demo_sales_csv

    first = demo_sales_csv()
    assert first == demo_sales_csv()
    assert first.count(b"\n") > 200_000


@pytest.mark.postgres
def test_it_seeds_repeatable_demo_sales_where_cn_brands_win_only_in_11_11():
    from insights import demo, selectors
    from insights.models import Season

    demo.seed(stdout=StringIO(), options={})
    facts = Sale.objects.count()
    demo.seed(stdout=StringIO(), options={})  # the same file: recognised, nothing added

    assert facts >= 200_000
    assert Sale.objects.count() == facts and SalesLoad.objects.count() == 1
    for season in Season.objects.filter(year__in=demo.DEMO_YEARS):
        window = selectors.window_resolve(season=season.code, year=season.year)
        hot = {row["category"] for row in selectors.hotspots(window=window)}
        assert hot == (demo.CN_HOT if season.code == "singles_day" else set()), season

"""The admin export page in Chromium under the Content-Security-Policy (RELIABILITY rows 9, 29).

django-import-export's own template wires "Select all" with an inline handler, which the policy
blocks; ours (templates/admin/import_export/export.html) wires it from a static script.
"""

import csv
import io

import pytest

from tests.e2e.test_journey import _staff_user, staff_logs_in


@pytest.mark.timeout(300)
def test_row_29_the_admin_export_page_works_under_the_csp_and_escapes_formulas(
    browser_factory, categories
):
    from tests.catalog.factories import ProductFactory

    ProductFactory(title_ru='=HYPERLINK("http://evil.example","x")')
    staff, password = _staff_user()
    ops = browser_factory("staff-export", locale="ru-RU")
    staff_logs_in(ops, staff.email, password)
    page = ops.page
    page.goto("/admin/catalog/product/export/")
    ops.assert_clean()
    boxes = page.locator('.selectable-field-export-row:visible input[type="checkbox"]')
    assert boxes.count() > 5
    assert all(boxes.nth(i).is_checked() for i in range(boxes.count()))

    page.uncheck("#select-all-toggle")  # by its label's target: the label is tied to it
    assert not any(boxes.nth(i).is_checked() for i in range(boxes.count()))
    page.get_by_label("Выбрать все").check()
    assert all(boxes.nth(i).is_checked() for i in range(boxes.count()))
    ops.assert_clean()
    assert not ops.axe("admin-export"), ops.axe_results
    ops.shot("admin-export")

    page.select_option("#id_format", label="csv")
    with page.expect_download() as download:
        page.click(".submit-row [type=submit]")
    content = download.value.path().read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content)))
    assert len(rows) == 1
    assert any(value == '\'=HYPERLINK("http://evil.example","x")' for value in rows[0].values())
    ops.assert_clean()

"""A brand manager's whole first week, in a real browser, with a real Celery worker.

Signs up in Chinese and confirms the address from the mail (the file e-mail backend writes it
to a folder), fills in the application (the USCC error shows inline before submit),
uploads the licence and the Uzbek certificate and submits; staff ask for changes in the
admin; the manager edits and resubmits; staff approve; the manager downloads the template,
uploads Chinese Excel's GBK CSV with six bad rows, watches the progress bar, reads the
preview, commits, downloads the error report, fixes it and uploads it again (keyboard only);
then opens insights and switches season and category (keyboard only) and the charts change.
Every page of the way runs under the strict Content-Security-Policy with no violation, and
axe-core finds no serious or critical accessibility problem on it. Screenshots of every step
go to test-artifacts/e2e/.
"""

import csv
import email
import io
import json
import re
import shutil
from email import policy
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SAMPLES
from tests.e2e.conftest import ARTIFACTS, Browser

pytestmark = [pytest.mark.postgres, pytest.mark.celery_worker]


PASSWORD = "Lanyue-2026-secret"
EMAIL = "manager@lanyue.example.cn"
VALID_USCC = "914403001922038216"
WRONG_CHECK_USCC = "914403001922038217"
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
BRANDS = [("Lanyue", "蓝月"), ("Jinma", "金马"), ("Tianxin", "天心")]
# How each error code of the sample file is fixed in the error report.
LEAF = "appliances.kitchen.kettles"


class Journey:
    """The pages the journey saw, for one axe-core report at the end."""

    def __init__(self) -> None:
        self.axe: dict[str, list[dict[str, Any]]] = {}

    def check(self, browser: Browser, label: str) -> None:
        browser.page.wait_for_load_state("networkidle")
        browser.assert_clean()
        browser.shot(label)
        self.axe[f"{browser.name}: {label}"] = browser.axe(label)


def _staff_user():
    from tests.sellers.factories import PASSWORD as STAFF_PASSWORD
    from tests.sellers.factories import StaffFactory

    return StaffFactory(email="ops@bozor.example"), STAFF_PASSWORD


def _load_sales(tmp_path: Path) -> None:
    from insights.services import sales_load

    copy = tmp_path / "sales_2025.csv"
    shutil.copy(SAMPLES / "sales_2025.csv", copy)
    result = sales_load(file=copy, filename="sales_2025.csv")
    assert getattr(result, "status", "loaded") != "rejected", result


def _seller():
    from sellers.models import Seller

    return Seller.objects.get(memberships__user__email=EMAIL)


def _type_slowly(browser: Browser, selector: str, text: str) -> None:
    field = browser.page.locator(selector)
    field.fill("")
    field.press_sequentially(text, delay=10)


def mailed_texts(mail_dir: Path) -> list[str]:
    """The plain-text bodies of every mail the file backend wrote, oldest first."""
    texts = []
    for path in sorted(mail_dir.iterdir(), key=lambda p: p.stat().st_mtime):
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                message = email.message_from_bytes(chunk, policy=policy.default)
                body = message.get_body(preferencelist=("plain",))
                texts.append(body.get_content() if body else "")
    return texts


def sign_up_in_chinese(m: Browser, journey: Journey, mail_dir: Path) -> None:
    page = m.page
    page.goto("/")
    journey.check(m, "landing")
    page.select_option("#lang-select", "zh-hans")
    page.wait_for_selector("html[lang=zh-hans]")
    page.click("nav a[href='/accounts/signup/']")
    page.wait_for_selector("#id_email")
    page.fill("#id_email", EMAIL)
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.select_option("#id_language", "zh-hans")
    journey.check(m, "signup")
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/signup/sent/" in url)
    journey.check(m, "signup-sent")
    # The mailed link opens a page whose button confirms the address and signs the user in.
    links = [
        found.group(1)
        for text in mailed_texts(mail_dir)
        if (found := re.search(r"https?://[^/\s]+(/accounts/verify/[^/\s]+/)", text))
    ]
    assert len(links) == 1, mailed_texts(mail_dir)
    page.goto(links[0])
    journey.check(m, "verify-email")
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/verify/" not in url)
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert "/dashboard/" in page.url


def fill_in_the_application(m: Browser, journey: Journey) -> None:
    page = m.page
    page.goto("/application/")
    fields = {
        "legal_name": "Shenzhen Lanyue Household Appliances Co., Ltd.",
        "legal_name_zh": "深圳蓝月家用电器有限公司",
        "address": "广东省深圳市南山区科技园 1 号",
        "uz_entity_name": "Lanyue Savdo MChJ",
        "uz_entity_stir": "301234567",
        "contact_name": "王丽",
        "contact_email": EMAIL,
        "contact_phone": "+8613812345678",
        "website": "https://lanyue.example.cn",
    }
    for name, value in fields.items():
        page.fill(f"#id_{name}", value)
    # RELIABILITY row 25: an HTMX POST with another session's CSRF token is refused and the
    # page says so (the htmx:responseError handler), instead of failing silently.
    page.wait_for_load_state("networkidle")  # the fields filled above validated themselves
    foreign = "x" * 64
    original = page.evaluate(
        """(foreign) => {
            const saved = {header: document.body.getAttribute('hx-headers'), inputs: []};
            document.body.setAttribute('hx-headers', JSON.stringify({'X-CSRFToken': foreign}));
            for (const input of document.querySelectorAll('input[name=csrfmiddlewaretoken]')) {
                saved.inputs.push(input.value);
                input.value = foreign;
            }
            return saved;
        }""",
        foreign,
    )
    with page.expect_response(lambda r: "/application/validate/" in r.url) as refused:
        _type_slowly(m, "#id_uscc", "9")
    assert refused.value.status == 403, refused.value.request.post_data
    page.locator("#htmx-error").wait_for(state="visible")
    assert page.locator("#htmx-error").inner_text().strip()
    m.shot("application-csrf-refused")
    # htmx logs the refused request to the console: expected here, and only here.
    m.console_errors[:] = [e for e in m.console_errors if "403" not in e]
    page.evaluate(
        """(saved) => {
            document.body.setAttribute('hx-headers', saved.header);
            const inputs = document.querySelectorAll('input[name=csrfmiddlewaretoken]');
            inputs.forEach((input, i) => { input.value = saved.inputs[i]; });
        }""",
        original,
    )
    # A wrong check character: the inline validation says so before anything is submitted.
    _type_slowly(m, "#id_uscc", WRONG_CHECK_USCC)
    error = page.locator("#id_uscc-msg .field-error")
    error.wait_for()
    assert error.inner_text().strip()
    journey.check(m, "application-uscc-error")
    _type_slowly(m, "#id_uscc", VALID_USCC)
    page.locator("#id_uscc-msg .field-ok").wait_for()
    page.locator("#id_uscc-msg .field-error").wait_for(state="detached")
    for _ in range(len(BRANDS) - page.locator("#brand-rows [data-brand-row]").count()):
        page.click("[data-brand-add]")
    for index, (name, name_zh) in enumerate(BRANDS):
        page.fill(f"[name='brands-{index}-name']", name)
        page.fill(f"[name='brands-{index}-name_zh']", name_zh)
        page.fill(f"[name='brands-{index}-trademark_number']", f"TM{index + 1:07d}")
    journey.check(m, "application-filled")
    page.click("button[name=action][value=save]")
    page.wait_for_load_state("networkidle")
    seller = _seller()
    assert seller.uscc == VALID_USCC
    assert sorted(seller.brands.values_list("name_zh", flat=True)) == sorted(z for _, z in BRANDS)


def upload_documents(m: Browser, journey: Journey) -> None:
    page = m.page
    page.goto("/documents/")
    journey.check(m, "documents-empty")
    for kind, name in [
        ("business_license", "营业执照.pdf"),
        ("uz_registration_certificate", "guvohnoma.pdf"),
    ]:
        page.select_option("#id_kind", kind)
        page.set_input_files(
            "#id_file", files=[{"name": name, "mimeType": "application/pdf", "buffer": PDF}]
        )
        if kind == "business_license":
            page.fill("#id_expires_on", "2030-12-31")
        page.click("form.upload-form button[type=submit]")
        page.wait_for_load_state("networkidle")
        page.locator("#documents", has_text=name).wait_for()
    journey.check(m, "documents-uploaded")
    assert _seller().documents.count() == 2


def submit_application(m: Browser, journey: Journey, expected: str = "submitted") -> None:
    page = m.page
    page.goto("/application/")
    page.click("button[name=action][value=submit]")
    page.wait_for_load_state("networkidle")
    assert _seller().status == expected
    page.goto("/dashboard/")
    page.locator(f".badge-{expected}").first.wait_for()
    journey.check(m, f"dashboard-{expected}")


def staff_accepts_the_documents(s: Browser) -> None:
    """The review of each document in the admin's inline: an approval needs them accepted."""
    page = s.page
    seller = _seller()
    page.goto(f"/admin/sellers/seller/{seller.pk}/change/")
    selects = page.locator("select[name^='documents-'][name$='-review_state']")
    for index in range(selects.count()):
        selects.nth(index).select_option("accepted")
    page.click("input[name=_save]")
    page.wait_for_url(lambda url: "/change/" not in url)
    assert not seller.documents.exclude(review_state="accepted").exists()


def staff_decides(s: Browser, journey: Journey, action: str, reason: str, status: str) -> None:
    page = s.page
    seller = _seller()
    if action == "approve":
        staff_accepts_the_documents(s)
    page.goto(f"/admin/sellers/seller/{seller.pk}/change/")
    journey.check(s, f"admin-seller-before-{action}")
    page.click(f"a[href$='/transition/{action}/']")
    page.fill("textarea[name=reason]", reason)
    journey.check(s, f"admin-{action}-form")
    page.click("main form [type=submit]")
    page.wait_for_url(f"**/admin/sellers/seller/{seller.pk}/change/")
    assert _seller().status == status


def staff_logs_in(s: Browser, email: str, password: str) -> None:
    page = s.page
    page.goto("/admin/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    page.click("form [type=submit]")
    page.wait_for_url("**/admin/")


def manager_edits_and_resubmits(m: Browser, journey: Journey, reason: str) -> None:
    page = m.page
    page.goto("/dashboard/")
    page.get_by_text(reason).first.wait_for()
    journey.check(m, "dashboard-changes-requested")
    page.goto("/application/")
    page.fill("#id_address", "广东省深圳市南山区科技园 1 号 A 座 12 楼")
    page.click("button[name=action][value=submit]")
    page.wait_for_load_state("networkidle")
    assert _seller().status == "submitted"


def wait_for_job(m: Browser, status: str) -> list[int]:
    """Watch the progress bar until the job reaches `status`; returns the values it showed."""
    page = m.page
    seen: list[int] = []
    badge = page.locator(f"#job-status .badge-{status}")
    for _ in range(240):
        if badge.count():
            break
        bar = page.locator("#job-progress")
        if bar.count():
            seen.append(int(bar.get_attribute("value") or 0))
        page.wait_for_timeout(250)
    badge.wait_for(timeout=1000)
    return seen


def import_the_gbk_catalog(m: Browser, journey: Journey, tmp_path: Path) -> Path:
    page = m.page
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto("/catalog/imports/")
    journey.check(m, "imports")
    with page.expect_download() as download:
        page.click("a[href$='template/?format=csv']")
    template = download.value.path().read_bytes().decode("utf-8-sig")
    assert template.splitlines()[0].startswith("sku,")
    gbk = tmp_path / "蓝月商品目录.csv"
    shutil.copy(SAMPLES / "catalog_gbk_zh.csv", gbk)
    page.set_input_files("#id_file", str(gbk))
    page.check("input[name=mode][value=validate]")
    page.click("main form[enctype='multipart/form-data'] button[type=submit]")
    page.wait_for_url("**/catalog/imports/*/")
    seen = wait_for_job(m, "validated")
    assert page.locator("#job-progress").get_attribute("value") == "100"
    assert all(0 <= value <= 100 for value in seen)
    status = page.locator("#job-status").inner_text()
    assert "294" in status and "6" in status, status
    # The detected encoding is shown by its human name ("GBK (Simplified Chinese)"), under
    # "what we read", which is folded.
    page.click("#understood summary")
    understood = page.locator("#understood").inner_text()
    assert re.search(r"GB(K|18030) ?[(（]", understood), understood
    journey.check(m, "import-preview")
    with page.expect_download() as download:
        page.click("a[href$='errors.csv']")
    report = tmp_path / "errors.csv"
    shutil.copy(download.value.path(), report)
    page.click("#job-status form button[type=submit]")
    wait_for_job(m, "completed")
    journey.check(m, "import-committed")
    assert _seller().products.count() == 294
    return report


def fix_the_error_report(report: Path, tmp_path: Path) -> Path:
    expected = json.loads((SAMPLES / "expected.json").read_text())["catalog_gbk_zh.csv"]
    assert len(expected["errors"]) == 6
    text = report.read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    header, body = rows[0], rows[1:]
    assert len(body) == 6, body
    errors_at = header.index("errors")

    def column(*names: str) -> int:
        return next(i for i, h in enumerate(header) if h.strip() in names)

    sku = column("sku", "商品编码", "货号")
    brand = column("brand", "品牌")
    barcode = column("barcode", "条形码")
    ikpu = column("ikpu", "税务分类编码")
    category = column("category", "类目")
    fixed = []
    for number, row in enumerate(body):
        row[brand] = "蓝月"
        row[barcode] = ""
        row[ikpu] = "10711001000000000"
        row[category] = LEAF
        row[sku] = f"LY-FIX-{number + 1:03d}"
        fixed.append([cell for i, cell in enumerate(row) if i != errors_at])
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([h for i, h in enumerate(header) if i != errors_at])
    writer.writerows(fixed)
    path = tmp_path / "errors-fixed.csv"
    path.write_bytes(out.getvalue().encode("utf-8-sig"))
    return path


def tab_to(m: Browser, selector: str, limit: int = 60) -> None:
    """Press Tab until the element matching `selector` has the focus."""
    page = m.page
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement?.matches(s) ?? false", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def reupload_with_the_keyboard(m: Browser, journey: Journey, fixed: Path) -> None:
    page = m.page
    page.goto("/catalog/imports/")
    page.locator("body").focus()
    tab_to(m, "#id_file")
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(str(fixed))
    tab_to(m, "input[name=mode]")
    page.keyboard.press("ArrowDown")  # radio group: validate -> commit
    assert page.locator("input[name=mode][value=commit]").is_checked()
    tab_to(m, "main form[enctype='multipart/form-data'] button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/catalog/imports/*/")
    wait_for_job(m, "completed")
    journey.check(m, "reimport-completed")
    assert _seller().products.count() == 300


def charts(m: Browser) -> str:
    return m.page.locator("#insights-body").inner_html()


def read_insights_with_the_keyboard(m: Browser, journey: Journey) -> None:
    page = m.page
    page.goto("/insights/")
    page.locator("#id_season").wait_for()
    journey.check(m, "insights")
    before = charts(m)
    page.locator("body").focus()
    tab_to(m, "#id_season")
    page.keyboard.press("ArrowDown")
    tab_to(m, "#insights-body form button[type=submit]")
    with page.expect_response(lambda r: "/insights/" in r.url):
        page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    after_season = charts(m)
    assert after_season != before
    assert "season=" in page.url  # hx-push-url keeps the choice in the address
    journey.check(m, "insights-season")
    tab_to(m, "#id_category")
    page.keyboard.press("ArrowDown")
    tab_to(m, "#insights-body form button[type=submit]")
    with page.expect_response(lambda r: "/insights/" in r.url):
        page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    assert charts(m) != after_season
    assert "category=" in page.url
    journey.check(m, "insights-category")


@pytest.mark.timeout(600)
def test_row_25_it_takes_a_brand_manager_from_sign_up_to_insights(
    browser_factory, celery_worker_process, categories, tmp_path, settings
):
    mail_dir = tmp_path / "mail"
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(mail_dir)},
        }
    }
    staff, staff_password = _staff_user()
    _load_sales(tmp_path)
    journey = Journey()
    manager = browser_factory("manager")
    sign_up_in_chinese(manager, journey, mail_dir)
    fill_in_the_application(manager, journey)
    upload_documents(manager, journey)
    submit_application(manager, journey)

    ops = browser_factory("staff", locale="ru-RU")
    staff_logs_in(ops, staff.email, staff_password)
    reason = "请上传清晰的营业执照扫描件 / Add the full address, please."
    staff_decides(ops, journey, "request_changes", reason, "changes_requested")
    manager_edits_and_resubmits(manager, journey, reason)
    staff_decides(ops, journey, "approve", "All documents are in order.", "approved")

    report = import_the_gbk_catalog(manager, journey, tmp_path)
    fixed = fix_the_error_report(report, tmp_path)
    reupload_with_the_keyboard(manager, journey, fixed)
    read_insights_with_the_keyboard(manager, journey)

    (ARTIFACTS / "axe.json").write_text(json.dumps(journey.axe, indent=2, ensure_ascii=False))
    serious = {page: found for page, found in journey.axe.items() if found}
    assert not serious, json.dumps(serious, indent=2, ensure_ascii=False)

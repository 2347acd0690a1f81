"""Issue 13's journey in Chinese: a variant file becomes cards, and one fix makes a card ready.

A brand manager of an approved seller (brands Lanyue and Jinma) works in the Chinese UI
(zh-hans) of a live server with a real Celery worker, through the pages as people use them:

1. uploads a variant file with Chinese headers (tests/fixtures/catalog/cards/cards_zh.csv:
   款号, 颜色, 尺码, 存储容量 ...) as a preview, then commits it;
2. the product list shows 3 cards with their variants folded: the T-shirt (3 variants) ready,
   the phone (2 variants) "needs fixes" with only 2 Russian features, a single phone;
3. opens the phone's page, which names its one issue (`features_count`);
4. fixes it as a seller does, by importing the corrected file (cards_zh_fixed.csv), and sees
   the card ready on its page and in the list;
5. (second test) a card imported with the transliteration option off has its Uzbek title in
   Cyrillic (`uz_cyrillic`); the "Write Uzbek in Latin" button on its page makes it ready.

Stable hooks only: URLs, the list's `tbody.card-group[data-card=<card key>]`, the badges'
classes `badge-ready` / `badge-needs-fixes`, the readiness list's `li[data-issue=<code>]`, the
`#transliterate-card` button, and texts through `zh()` (the zh-hans catalog's translation at
test time: the English msgid until the catalogs are merged, the Chinese text after).
"""

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import translation

from catalog.readiness import Issue
from tests.e2e.conftest import ROOT
from tests.e2e.test_journey_zh import (
    Person,
    job_counts,
    job_finished,
    manager_browser,  # noqa: F401 (a module-scoped fixture, shared)
    open_from_menu,
    upload,
    zh,
)

CARDS = ROOT / "tests" / "fixtures" / "catalog" / "cards"
CYRILLIC_TITLE = "Эркаклар учун пахта футболка"
LATIN_TITLE = "Erkaklar uchun paxta futbolka"


def seller_file(name: str, folder: Path, saved_as: str) -> Path:
    """A fixture variant file as the seller has it, its photos on the image host the pages'
    Content-Security-Policy allows (CATALOG_IMAGE_HOSTS)."""
    text = (CARDS / name).read_text(encoding="utf-8")
    host = settings.CATALOG_IMAGE_HOSTS[0].rstrip("/")
    path = folder / saved_as
    path.write_bytes(text.replace("https://img.example.com", host).encode("utf-8-sig"))
    return path


def zh_variants(count: int) -> str:
    """How the list counts a card's variants in Chinese."""
    with translation.override("zh-hans"):
        return translation.ngettext("%(counter)s variant", "%(counter)s variants", count) % {
            "counter": count
        }


def zh_issue(code: str, field: str, **params: Any) -> str:
    with translation.override("zh-hans"):
        return Issue(code, field, params).message


@pytest.fixture
def card_manager(
    manager_browser: Person,  # noqa: F811
    categories: Any,
    transactional_db: None,
) -> Iterator[Person]:
    """An approved seller with the brands of the variant files, its owner signed in (zh-hans),
    and the category characteristics loaded."""
    from catalog.attribute_services import attributes_load
    from sellers.models import SellerStatus
    from tests.sellers.factories import PASSWORD, seller_with_owner

    attributes_load()
    seller, owner = seller_with_owner(status=SellerStatus.APPROVED, brands=["Lanyue", "Jinma"])
    owner.email = "li.na@lanyue.example.cn"
    owner.preferred_language = "zh-hans"
    owner.save(update_fields=["email", "preferred_language"])
    person = manager_browser
    person.start()
    page = person.page
    page.goto("/accounts/login/")
    page.fill("#id_username", owner.email)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/dashboard/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"

    def confirm(dialog: Any) -> None:  # "Create 6 and update 0 products?" on commit
        dialog.accept()

    page.on("dialog", confirm)
    person.seller = seller
    yield person
    page.remove_listener("dialog", confirm)


def card(person: Person, key: str) -> Any:
    return person.page.locator(f"tbody.card-group[data-card='{key}']")


def issues_shown(person: Person) -> list[str]:
    found = person.page.locator("#readiness li[data-issue]")
    return [found.nth(i).get_attribute("data-issue") or "" for i in range(found.count())]


@pytest.mark.postgres
@pytest.mark.celery_worker
@pytest.mark.timeout(300)
def test_a_chinese_variant_file_becomes_cards_and_one_fix_makes_a_card_ready(
    card_manager, celery_worker_process, tmp_path
):
    from catalog.models import Product

    person = card_manager
    page = person.page
    catalog = seller_file("cards_zh.csv", tmp_path, "蓝月金马款式.csv")

    # 1. Preview, then commit.
    upload(person, catalog, "validate")
    job_finished(person, "validated")
    counts = job_counts(person)
    assert (counts[zh("Would be created")], counts[zh("Rejected (skipped)")]) == ("6", "0")
    assert page.locator("[data-job-transliterate]").get_attribute("data-job-transliterate") == "on"
    assert not Product.objects.exists()  # a preview writes nothing
    person.settle("cards-preview", axe=True)
    page.click("#job-status form button[type=submit]")
    job_finished(person, "completed")
    assert job_counts(person)[zh("Created")] == "6"
    person.settle("cards-committed")

    # 2. The list: 3 cards, variants folded.
    open_from_menu(person, "/catalog/products/")
    assert page.locator("tbody.card-group").count() == 3
    shirt, phone, solo = card(person, "TS-CLASSIC"), card(person, "PH-X5"), card(person, "PH-SOLO")
    assert shirt.locator(".card-row .badge-ready").inner_text() == zh("Ready")
    assert shirt.locator(".variant-count").inner_text().strip() == zh_variants(3)
    assert phone.locator(".card-row .badge-needs-fixes").count() == 1
    assert phone.locator(".variant-count").inner_text().strip() == zh_variants(2)
    assert solo.locator(".variant-count").count() == 0  # a single-variant card
    assert solo.locator(".card-row .badge-needs-fixes").count() == 1
    variants = phone.locator(".variant-table")
    assert variants.is_hidden()  # folded
    phone.locator("details.variants summary").click()
    assert variants.is_visible()
    rows = variants.locator("tbody tr")
    assert rows.count() == 2
    assert "PH-X5-128" in rows.nth(0).inner_text() and "128GB" in rows.nth(0).inner_text()
    assert "PH-X5-256" in rows.nth(1).inner_text() and "256GB" in rows.nth(1).inner_text()
    assert "蓝色" in rows.nth(0).inner_text()  # the option's name in the reader's language
    person.settle("cards-list", axe=True)

    # 3. The phone's page names its one issue.
    phone.locator(".card-row a.sku").click()
    page.wait_for_url(re.compile(r"/catalog/products/PH-X5-(128|256)/$"))
    assert page.locator("h1 .badge-needs-fixes").count() == 1
    assert issues_shown(person) == ["features_count"]
    expected = zh_issue("features_count", "features_ru", count=2, min=3)
    assert page.locator("#readiness li[data-issue=features_count]").inner_text() == expected
    person.settle("card-needs-fixes", axe=True)

    # 4. The seller adds the third Russian feature in the file and imports it again.
    fixed = seller_file("cards_zh_fixed.csv", tmp_path, "蓝月金马款式-修正.csv")
    upload(person, fixed, "commit")
    job_finished(person, "completed")
    counts = job_counts(person)
    assert (counts[zh("Updated")], counts[zh("Unchanged")]) == ("2", "4"), counts
    page.goto("/catalog/products/PH-X5-128/")
    assert page.locator("h1 .badge-ready").inner_text() == zh("Ready")
    assert issues_shown(person) == []
    person.settle("card-ready", axe=True)
    open_from_menu(person, "/catalog/products/")
    assert card(person, "PH-X5").locator(".card-row .badge-ready").inner_text() == zh("Ready")
    assert set(Product.objects.filter(group="PH-X5").values_list("readiness_state", flat=True)) == {
        "ready"
    }


def cyrillic_file(folder: Path) -> Path:
    """cards_zh.csv with the T-shirt's Uzbek title in Cyrillic (all else ready)."""
    text = seller_file("cards_zh.csv", folder, "款式.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    title = rows[0].index("商品名称(乌兹别克语)")
    for cells in rows[1:]:
        if cells[0] == "TS-CLASSIC":
            cells[title] = CYRILLIC_TITLE
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    path = folder / "西里尔文标题.csv"
    path.write_bytes(out.getvalue().encode("utf-8-sig"))
    return path


@pytest.mark.postgres
@pytest.mark.celery_worker
@pytest.mark.timeout(300)
def test_a_card_with_uzbek_in_cyrillic_is_made_ready_by_its_transliterate_button(
    card_manager, celery_worker_process, tmp_path
):
    from catalog.models import Product

    person = card_manager
    page = person.page
    open_from_menu(person, "/catalog/imports/")
    page.uncheck("#id_transliterate")  # stored exactly as in the file
    upload(person, cyrillic_file(tmp_path), "commit")
    job_finished(person, "completed")
    assert page.locator("[data-job-transliterate]").get_attribute("data-job-transliterate") == "off"
    assert set(Product.objects.filter(group="TS-CLASSIC").values_list("title_uz", flat=True)) == {
        CYRILLIC_TITLE
    }

    open_from_menu(person, "/catalog/products/")
    shirt = card(person, "TS-CLASSIC")
    assert shirt.locator(".card-row .badge-needs-fixes").count() == 1
    shirt.locator(".card-row a.sku").click()
    page.wait_for_url(re.compile(r"/catalog/products/TS-CLASSIC-[A-Z-]+/$"))
    assert issues_shown(person) == ["uz_cyrillic"]
    button = page.locator("#transliterate-card")
    assert button.inner_text().strip() == zh("Write Uzbek in Latin")
    person.settle("card-cyrillic", axe=True)
    button.click()
    page.wait_for_url(re.compile(r"/catalog/products/TS-CLASSIC-[A-Z-]+/$"))
    page.wait_for_load_state("networkidle")
    assert page.locator("h1 .badge-ready").inner_text() == zh("Ready")
    assert issues_shown(person) == []
    person.settle("card-transliterated", axe=True)
    products = Product.objects.filter(group="TS-CLASSIC")
    assert {(p.title_uz, p.readiness_state) for p in products} == {(LATIN_TITLE, "ready")}


@pytest.mark.postgres
@pytest.mark.celery_worker
@pytest.mark.timeout(300)
def test_the_product_list_filters_cards_by_issue(card_manager, celery_worker_process, tmp_path):
    """The filters swap the results by htmx. No screenshot before them on the page: Playwright's
    screenshot leaves `style=""` on the inputs (it hides the caret), which htmx then settles
    with setAttribute, and the CSP (style-src 'self') reports that as a violation."""
    person = card_manager
    page = person.page
    upload(person, seller_file("cards_zh.csv", tmp_path, "款式.csv"), "commit")
    job_finished(person, "completed")
    open_from_menu(person, "/catalog/products/")
    assert page.locator("tbody.card-group").count() == 3
    # The cards with too few features: the phone's, found by the htmx filter.
    with page.expect_response(re.compile(r"/catalog/products/\?.*readiness=features_count")):
        page.select_option("#id_readiness", "features_count")
    page.wait_for_load_state("networkidle")
    assert "readiness=features_count" in page.url  # hx-push-url keeps the choice
    assert page.locator("tbody.card-group").count() == 1
    assert card(person, "PH-X5").count() == 1
    with page.expect_response(re.compile(r"/catalog/products/\?.*readiness=ready")):
        page.select_option("#id_readiness", "ready")
    page.wait_for_load_state("networkidle")
    assert page.locator("tbody.card-group").count() == 1
    assert card(person, "TS-CLASSIC").count() == 1
    person.settle("cards-filtered", axe=True)

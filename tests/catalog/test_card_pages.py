"""The card pages: the product list with variants folded under their card and a readiness
filter, one variant's page with its card, characteristics and readiness, the "Write Uzbek in
Latin" action, and the import page's transliteration option and category template."""

import csv
import io
import re
from html import escape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from catalog.attribute_services import attributes_load
from catalog.cards import readiness_refresh
from catalog.models import ImportJob, Product
from catalog.readiness import Readiness
from sellers.models import SellerStatus
from tests.catalog.factories_api import approved_seller, catalog_csv, product_for, row

pytestmark = pytest.mark.django_db
LIST = "/catalog/products/"
HTMX = {"HTTP_HX_REQUEST": "true"}
NO_IMAGES = {"code": "no_images", "field": "image_urls", "params": {"recommended": 3}, "kind": ""}


@pytest.fixture
def owner(categories):
    attributes_load()
    return approved_seller()


@pytest.fixture
def web(owner) -> Client:
    client = Client()
    client.force_login(owner[1])
    return client


def detail_url(sku: str) -> str:
    return reverse("catalog:product-detail", kwargs={"sku": sku})


def in_language(client: Client, language: str) -> Client:
    client.cookies["django_language"] = language
    return client


def sneakers(seller, group: str = "SNK-1") -> list[Product]:
    """A card of two variants: black and white, size 42."""
    return [
        product_for(
            seller,
            f"{group}-{colour.upper()}-42",
            group=group,
            attributes={"colour": colour, "shoe_size": "42", "gender": "men"},
            price_uzs=price,
        )
        for colour, price in (("black", 250_000), ("white", 270_000))
    ]


def stored(seller, sku: str, *, issues: list[dict] | None = None, **fields) -> Product:
    """A product with a stored readiness: ready without issues."""
    issues = issues or []
    return product_for(
        seller,
        sku,
        readiness_state="needs_fixes" if issues else "ready",
        readiness_issues=issues,
        **fields,
    )


# --- the list -------------------------------------------------------------------------------


def test_it_folds_a_cards_variants_under_one_row_with_their_characteristics_by_name(web, owner):
    sneakers(owner[0])
    product_for(owner[0], "SINGLE-1")
    html = in_language(web, "zh-hans").get(LIST).content.decode()
    assert html.count('class="card-row"') == 2
    assert html.count('data-card="SNK-1"') == 1
    assert 'name="card" value="SNK-1"' in html  # the card is selected as one
    assert 'name="sku" value="SINGLE-1"' in html
    assert 'name="sku" value="SNK-1-BLACK-42"' not in html
    variants = html[html.index('data-card="SNK-1"') :]
    variants = variants[: variants.index("</tbody>", variants.index('class="variant-table"'))]
    assert "<details" in variants
    for text in ("SNK-1-BLACK-42", "SNK-1-WHITE-42", "黑色", "白色", "尺码", "颜色"):
        assert text in variants, text
    assert "black" not in re.sub(r'(href|value|title|data-card)="[^"]*"', "", variants)
    assert "250,000–270,000" in html or "250 000–270 000" in html


def test_it_names_the_characteristics_in_english_for_an_english_reader(web, owner):
    sneakers(owner[0])
    html = in_language(web, "en").get(LIST).content.decode()
    assert "Black" in html and "White" in html and "Size" in html


def test_it_exports_every_variant_of_a_ticked_card(web, owner):
    sneakers(owner[0])
    product_for(owner[0], "OTHER-1")
    response = web.post(LIST, {"action": "export_csv", "card": "SNK-1"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    skus = sorted(r["sku"] for r in csv.DictReader(io.StringIO(text)))
    assert skus == ["SNK-1-BLACK-42", "SNK-1-WHITE-42"]


def test_it_asks_before_deleting_a_ticked_cards_variants(web, owner):
    sneakers(owner[0])
    response = web.post(LIST, {"action": "delete", "card": "SNK-1"})
    html = response.content.decode()
    assert 'name="sku" value="SNK-1-BLACK-42"' in html
    assert 'name="sku" value="SNK-1-WHITE-42"' in html
    assert Product.objects.count() == 2


def test_it_filters_cards_by_readiness_and_by_issue(web, owner):
    seller = owner[0]
    stored(seller, "READY-1")
    stored(seller, "PHOTO-1", issues=[NO_IMAGES])
    other_issue = {
        "code": "features_count",
        "field": "features_uz",
        "params": {"count": 1, "min": 3},
        "kind": "",
    }
    stored(seller, "FEAT-1", issues=[other_issue])

    def listed(**params):
        html = web.get(LIST, params, **HTMX).content.decode()
        return {sku for sku in ("READY-1", "PHOTO-1", "FEAT-1") if sku in html}

    assert listed() == {"READY-1", "PHOTO-1", "FEAT-1"}
    assert listed(readiness="ready") == {"READY-1"}
    assert listed(readiness="needs_fixes") == {"PHOTO-1", "FEAT-1"}
    assert listed(readiness="no_images") == {"PHOTO-1"}
    assert listed(readiness="nonsense") == {"READY-1", "PHOTO-1", "FEAT-1"}  # ignored
    html = web.get(LIST).content.decode()
    assert '<option value="no_images"' in html and '<select name="readiness"' in html


def test_a_card_needs_fixes_when_one_variant_does(web, owner):
    seller = owner[0]
    stored(seller, "G-A", group="G")
    stored(seller, "G-B", group="G", issues=[NO_IMAGES])
    assert "G-A" not in web.get(LIST, {"readiness": "ready"}, **HTMX).content.decode()
    html = web.get(LIST, {"readiness": "needs_fixes"}, **HTMX).content.decode()
    assert "G-A" in html and "G-B" in html  # the whole card, both variants


def test_the_readiness_filter_is_kept_across_pages(web, owner):
    for number in range(55):
        stored(owner[0], f"R-{number:03d}")
    stored(owner[0], "BAD-1", issues=[NO_IMAGES])
    html = web.get(LIST, {"readiness": "ready"}, **HTMX).content.decode()
    assert "55 cards" in html
    assert 'href="?readiness=ready&amp;page=2"' in html
    page2 = web.get(LIST, {"readiness": "ready", "page": 2}, **HTMX).content.decode()
    assert "R-054" in page2 and "BAD-1" not in page2


def test_it_shows_each_cards_readiness_badge(web, owner):
    stored(owner[0], "READY-1")
    stored(owner[0], "PHOTO-1", issues=[NO_IMAGES])
    html = in_language(web, "en").get(LIST).content.decode()
    assert 'class="badge badge-ready">Ready<' in html
    assert "Needs fixes: 1" in html


# --- one variant ----------------------------------------------------------------------------


def test_the_detail_page_shows_the_card_its_variants_features_and_characteristics(web, owner):
    black, white = sneakers(owner[0])
    Product.objects.filter(pk=black.pk).update(
        features_uz=["Yengil taglik", "Nafas oluvchi"], features_ru=["Лёгкая подошва"]
    )
    html = in_language(web, "en").get(detail_url(black.sku)).content.decode()
    for text in ("SNK-1", "Yengil taglik", "Nafas oluvchi", "Лёгкая подошва", "Colour:", "Black"):
        assert text in html, text
    assert f'href="{detail_url(white.sku)}"' in html


def test_the_detail_page_words_the_readiness_issues_in_chinese(web, owner):
    product = product_for(owner[0], "FIX-1", image_urls=[], features_uz=["bir"])
    readiness_refresh(Product.objects.filter(pk=product.pk))
    product.refresh_from_db()
    assert product.readiness_state == "needs_fixes"
    with translation.override("zh-hans"):
        messages = [
            i.message for i in Readiness.from_json({"issues": product.readiness_issues}).issues
        ]
    assert messages
    html = in_language(web, "zh-hans").get(detail_url("FIX-1")).content.decode()
    assert 'id="readiness"' in html
    for message in messages:
        assert escape(message, quote=False) in html or escape(message) in html, message
    assert 'id="transliterate-card"' not in html  # no Cyrillic Uzbek: no button


def test_the_transliterate_button_writes_the_cards_uzbek_in_latin(web, owner):
    black, white = sneakers(owner[0])
    Product.objects.filter(group="SNK-1").update(
        title_uz="Эркаклар кроссовкаси қора", features_uz=["Енгил тагчарм", "Ўзбекча матн"]
    )
    readiness_refresh(Product.objects.filter(group="SNK-1"))
    html = web.get(detail_url(black.sku)).content.decode()
    assert 'id="transliterate-card"' in html
    response = web.post(
        reverse("catalog:card-transliterate"), {"card": "SNK-1", "sku": white.sku}, follow=True
    )
    assert response.redirect_chain[-1][0] == detail_url(white.sku)
    for product in Product.objects.filter(group="SNK-1"):
        assert product.title_uz == "Erkaklar krossovkasi qora"
        assert product.features_uz == ["Yengil tagcharm", "Oʻzbekcha matn"]
        assert "uz_cyrillic" not in {issue["code"] for issue in product.readiness_issues}
    html = response.content.decode()
    assert "Latin" in html  # the success message
    assert 'id="transliterate-card"' not in html


def test_the_transliterate_action_needs_the_csrf_token_and_an_approved_seller(owner):
    black, _white = sneakers(owner[0])
    Product.objects.filter(pk=black.pk).update(title_uz="Эркаклар кроссовкаси қора")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(owner[1])
    url = reverse("catalog:card-transliterate")
    assert strict.post(url, {"card": "SNK-1"}).status_code == 403
    owner[0].status = SellerStatus.SUSPENDED
    owner[0].save(update_fields=["status"])
    web = Client()
    web.force_login(owner[1])
    web.post(url, {"card": "SNK-1", "sku": black.sku})
    black.refresh_from_db()
    assert black.title_uz == "Эркаклар кроссовкаси қора"


def test_another_sellers_card_cannot_be_transliterated(web, categories):
    other, _user = approved_seller(brands=("Other",))
    product_for(other, "THEIRS-1", title_uz="Эркаклар кроссовкаси қора")
    response = web.post(reverse("catalog:card-transliterate"), {"card": "THEIRS-1"})
    assert response.status_code == 404
    assert Product.objects.get(sku="THEIRS-1").title_uz == "Эркаклар кроссовкаси қора"


# --- the import page ------------------------------------------------------------------------


def _upload(web: Client, sku: str, **extra: str) -> ImportJob:
    content = catalog_csv([row(sku)])
    data = {"file": SimpleUploadedFile("c.csv", content, "text/csv"), "mode": "validate", **extra}
    response = web.post(reverse("catalog:import-list"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportJob.objects.latest("id")


def test_the_upload_form_offers_transliteration_on_by_default(web):
    html = web.get(reverse("catalog:import-list")).content.decode()
    box = re.search(r'<input[^>]*name="transliterate"[^>]*>', html)
    assert box and "checked" in box.group(0)
    assert 'name="upload_options"' in html


def test_an_upload_with_the_option_off_stores_it_off(web):
    assert _upload(web, "OFF-1", upload_options="1").transliterate is False
    assert _upload(web, "ON-1", upload_options="1", transliterate="on").transliterate is True
    assert _upload(web, "DEFAULT-1").transliterate is True  # a script that sends no options


def test_the_job_page_says_whether_the_option_was_on(web):
    job = _upload(web, "OFF-2", upload_options="1")
    html = web.get(reverse("catalog:import-detail", args=[job.pk])).content.decode()
    assert 'data-job-transliterate="off"' in html


def test_the_upload_page_offers_each_leaf_categorys_template(web):
    html = web.get(reverse("catalog:import-list")).content.decode()
    form = html[html.index('id="category-template"') - 200 :]
    assert 'action="/catalog/imports/template/"' in form
    assert 'name="format" value="xlsx"' in form
    assert '<option value="shoes.sneakers">' in form
    assert '<option value="shoes">' not in form  # leaves only


def test_the_category_template_downloads_and_an_unknown_category_is_a_404(web):
    url = reverse("catalog:template")
    response = web.get(url, {"format": "xlsx", "category": "shoes.sneakers"})
    assert response.status_code == 200
    assert "shoes.sneakers" in response["Content-Disposition"]
    assert web.get(url, {"format": "xlsx", "category": "no.such"}).status_code == 404

"""The dashboard's readiness block: how many cards are ready, and what blocks the rest grouped
by issue, each issue linking to the product list filtered by it.

sellers cannot import catalog (lint-imports layers): the block comes from the provider
`catalog.dashboard.readiness_kpis`, named in DASHBOARD_KPI_PROVIDERS."""

import pytest
from django.urls import reverse

from catalog.dashboard import readiness_kpis
from sellers.models import SellerStatus
from tests.catalog.factories_api import product_for
from tests.sellers.factories import seller_with_owner

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("categories")]

PROVIDER = "catalog.dashboard.readiness_kpis"
NO_IMAGES = {"code": "no_images", "field": "image_urls", "params": {"recommended": 3}, "kind": ""}
FEATURES = {
    "code": "features_count",
    "field": "features_uz",
    "params": {"count": 0, "min": 3},
    "kind": "",
}


@pytest.fixture(autouse=True)
def provider(settings):
    providers = list(getattr(settings, "DASHBOARD_KPI_PROVIDERS", []))
    if PROVIDER not in providers:
        settings.DASHBOARD_KPI_PROVIDERS = [*providers, PROVIDER]


def _product(seller, sku: str, *issues: dict, **fields):
    return product_for(
        seller,
        sku,
        readiness_state="needs_fixes" if issues else "ready",
        readiness_issues=list(issues),
        **fields,
    )


def _catalog(seller) -> None:
    """4 cards: 1 ready (2 variants), 3 to fix: 2 without photos, 3 with too few features."""
    _product(seller, "OK-A", group="OK")
    _product(seller, "OK-B", group="OK")
    _product(seller, "P-1", NO_IMAGES, FEATURES)
    _product(seller, "P-2", NO_IMAGES, FEATURES, group="P2")
    _product(seller, "P-2B", FEATURES, group="P2")
    _product(seller, "F-1", FEATURES)


def _dashboard(client, user, language: str = "en") -> str:
    client.force_login(user)
    client.cookies["django_language"] = language
    response = client.get(reverse("sellers:dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def _block(body: str) -> str:
    start = body.index('id="readiness"')
    return body[start : body.index("</section>", start)]


def test_the_provider_counts_cards_and_groups_what_blocks_them(client):
    seller, _user = seller_with_owner(status=SellerStatus.APPROVED)
    _catalog(seller)
    summary = readiness_kpis(seller=seller)["readiness"]
    assert (summary["cards"], summary["ready"], summary["needs_fixes"]) == (4, 1, 3)
    assert [(i["code"], i["cards"]) for i in summary["issues"]] == [
        ("features_count", 3),
        ("no_images", 2),
    ]
    products = reverse("catalog:product-list")
    assert summary["issues"][1]["url"] == f"{products}?readiness=no_images"
    assert summary["ready_percent"] == 25


def test_the_dashboard_shows_the_ready_count_and_each_blocking_issue_with_a_link(client):
    seller, user = seller_with_owner(status=SellerStatus.APPROVED)
    _catalog(seller)
    block = _block(_dashboard(client, user))
    products = reverse("catalog:product-list")
    assert '<span class="kpi-value">1</span>' in block
    assert "of 4 cards ready" in block
    assert "What blocks the other 3 cards" in block
    for code, count in (("features_count", 3), ("no_images", 2)):
        item = block[block.index(f'data-issue="{code}"') :]
        item = item[: item.index("</li>")]
        assert f'href="{products}?readiness={code}"' in item
        assert f"{count} cards" in item
    assert f'href="{products}?readiness=needs_fixes"' in block
    assert f'href="{products}?readiness=ready"' in block


def test_the_issue_labels_follow_the_readers_language(client):
    from django.utils import translation

    from catalog.readiness import RULES

    seller, user = seller_with_owner(status=SellerStatus.APPROVED)
    _catalog(seller)
    block = _block(_dashboard(client, user, "zh-hans"))
    with translation.override("zh-hans"):
        label = str(RULES["no_images"].label)
    assert label in block


def test_a_catalog_of_ready_cards_says_so(client):
    seller, user = seller_with_owner(status=SellerStatus.APPROVED)
    _product(seller, "OK-1")
    block = _block(_dashboard(client, user))
    assert "Every card passes" in block
    assert "data-issue=" not in block


def test_no_block_without_products(client):
    _seller, user = seller_with_owner(status=SellerStatus.APPROVED)
    assert 'id="readiness"' not in _dashboard(client, user)


def test_the_dashboard_counts_only_the_sellers_own_cards(client):
    seller, user = seller_with_owner(status=SellerStatus.APPROVED)
    other, _other_user = seller_with_owner(status=SellerStatus.APPROVED)
    _product(seller, "MINE-1")
    _product(other, "THEIRS-1", NO_IMAGES)
    block = _block(_dashboard(client, user))
    assert "of 1 card ready" in block

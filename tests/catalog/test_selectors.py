"""Reads scoped to one seller: filters, 404 for other sellers' objects, fixed query counts."""

import pytest
from django.http import Http404

from catalog.models import Category
from catalog.selectors import (
    category_codes,
    import_job_errors,
    import_job_first_errors,
    import_job_get,
    import_job_list,
    product_get,
    product_list,
    product_lookups,
)
from tests.catalog.factories import ImportJobFactory, ProductFactory, sample_seller
from tests.sellers.factories import UserFactory


@pytest.fixture
def catalog(seller):
    sneakers = Category.objects.get(code="shoes.sneakers")
    chargers = Category.objects.get(code="electronics.phones.chargers")
    lanyue, jinma = seller.brands.get(name="Lanyue"), seller.brands.get(name="Jinma")
    ProductFactory(
        seller=seller, sku="A-1", brand=lanyue, category=sneakers, title_ru="Кроссовки Lanyue белые"
    )
    ProductFactory(
        seller=seller, sku="A-2", brand=jinma, category=chargers, barcode="6970669074398"
    )
    ProductFactory(seller=seller, sku="A-3", brand=jinma, category=sneakers)
    return seller


@pytest.mark.django_db
@pytest.mark.parametrize(
    "filters, skus",
    [
        ({}, ["A-1", "A-2", "A-3"]),
        ({"category": "shoes"}, ["A-1", "A-3"]),  # descendants included
        ({"category": "shoes.sneakers"}, ["A-1", "A-3"]),
        ({"category": "electronics"}, ["A-2"]),
        ({"brand": "jinma"}, ["A-2", "A-3"]),
        ({"brand": "金马"}, ["A-2", "A-3"]),
        ({"q": "Кроссовки"}, ["A-1"]),  # SQLite folds case of ASCII only
        ({"q": "6970669074398"}, ["A-2"]),
        ({"q": "a-3"}, ["A-3"]),
        ({"category": "shoes", "brand": "Jinma"}, ["A-3"]),
    ],
)
def test_it_filters_the_sellers_products(catalog, filters, skus):
    assert [p.sku for p in product_list(seller=catalog, **filters)] == skus


@pytest.mark.django_db
def test_it_lists_products_in_a_fixed_number_of_queries(catalog, django_assert_num_queries):
    for n in range(10):
        ProductFactory(seller=catalog, sku=f"B-{n}")
    with django_assert_num_queries(1):
        rows = [(p.sku, p.brand.name, p.category.name) for p in product_list(seller=catalog)]
    assert len(rows) == 13


@pytest.mark.django_db
def test_it_lists_imports_in_a_fixed_number_of_queries(seller, django_assert_num_queries):
    user = UserFactory()
    for _ in range(5):
        ImportJobFactory(seller=seller, created_by=user)
    with django_assert_num_queries(1):
        rows = [(j.filename, j.created_by.email, j.counts) for j in import_job_list(seller=seller)]
    assert len(rows) == 5


@pytest.mark.django_db
def test_it_hides_other_sellers_products_and_jobs(catalog):
    other = sample_seller()
    theirs = ProductFactory(seller=other, sku="THEIRS")
    their_job = ImportJobFactory(seller=other)
    assert product_get(seller=catalog, sku="A-1").sku == "A-1"
    with pytest.raises(Http404):
        product_get(seller=catalog, sku=theirs.sku)
    with pytest.raises(Http404):
        import_job_get(seller=catalog, id=their_job.pk)
    for bad_id in ("abc", None, "1; DROP TABLE"):
        with pytest.raises(Http404):
            import_job_get(seller=catalog, id=bad_id)
    assert list(product_list(seller=other)) == [theirs]
    assert list(import_job_list(seller=catalog)) == []


@pytest.mark.django_db
def test_it_lists_errors_before_warnings_for_the_preview(seller, run_import):
    job = run_import(seller, "catalog_gbk_zh.csv", mode="validate")
    first = import_job_first_errors(job=job, limit=8)
    assert [e.severity for e in first[:6]] == ["error"] * 6
    assert all(e.message for e in first)
    assert import_job_errors(job=job, severity="error").count() == 6


@pytest.mark.django_db
def test_it_maps_every_category_code_to_its_id_and_leafness(categories, django_assert_num_queries):
    with django_assert_num_queries(1):
        codes = category_codes()

    assert len(codes) == Category.objects.count()
    phones = Category.objects.get(code="electronics.phones")
    chargers = Category.objects.get(code="electronics.phones.chargers")
    assert codes["electronics.phones"] == (phones.pk, False)
    assert codes["electronics.phones.chargers"] == (chargers.pk, True)


@pytest.mark.django_db
def test_it_gives_the_row_rules_the_sellers_brands_and_the_category_tree(
    seller, django_assert_num_queries
):
    sample_seller()  # another seller's brands are not this seller's
    with django_assert_num_queries(2):
        lookups = product_lookups(seller=seller)
    lanyue = seller.brands.get(name="Lanyue")
    assert lookups.brands["lanyue"] == lookups.brands["蓝月"] == lanyue.pk
    assert set(lookups.brands.values()) == set(seller.brands.values_list("pk", flat=True))
    assert lookups.brand_names == ["Jinma", "Lanyue", "Tianxin"]
    assert lookups.categories == category_codes()

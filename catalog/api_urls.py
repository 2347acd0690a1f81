"""API v1 routes of the catalog (included under /api/v1/)."""

from django.urls import path

from catalog import api, attribute_api, card_api, import_api

app_name = "catalog-api"
urlpatterns = [
    path("categories/", api.CategoryListView.as_view(), name="categories"),
    path(
        "categories/<str:code>/attributes/",
        attribute_api.CategoryAttributeListView.as_view(),
        name="category-attributes",
    ),
    path("products/", api.ProductListView.as_view(), name="products"),
    # SKUs are the seller's own strings and may hold a slash, hence `path`.
    path("products/<path:sku>/", api.ProductDetailView.as_view(), name="product-detail"),
    path("cards/", card_api.CardListView.as_view(), name="cards"),
    path(
        "cards/readiness/summary/",
        card_api.CardReadinessSummaryView.as_view(),
        name="cards-readiness-summary",
    ),
    # Card codes are the seller's own strings, as SKUs (a slash is allowed).
    path(
        "cards/<path:group>/transliterate/",
        card_api.CardTransliterateView.as_view(),
        name="card-transliterate",
    ),
    path("cards/<path:group>/", card_api.CardDetailView.as_view(), name="card-detail"),
    path("imports/", api.ImportListView.as_view(), name="imports"),
    path("imports/template/", api.ImportTemplateView.as_view(), name="import-template"),
    path("imports/<int:id>/", api.ImportDetailView.as_view(), name="import-detail"),
    path("imports/<int:id>/commit/", api.ImportCommitView.as_view(), name="import-commit"),
    path("imports/<int:id>/errors/", api.ImportErrorListView.as_view(), name="import-errors"),
    path(
        "imports/<int:id>/errors/summary/",
        import_api.ImportErrorSummaryView.as_view(),
        name="import-errors-summary",
    ),
    path(
        "imports/<int:id>/errors.csv",
        api.ImportErrorReportView.as_view(),
        name="import-errors-csv",
    ),
]

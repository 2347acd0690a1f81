"""API v1 routes of the catalog (included under /api/v1/)."""

from django.urls import path

from catalog import api

app_name = "catalog-api"
urlpatterns = [
    path("categories/", api.CategoryListApi.as_view(), name="categories"),
    path("products/", api.ProductListApi.as_view(), name="products"),
    # SKUs are the seller's own strings and may hold a slash, hence `path`.
    path("products/<path:sku>/", api.ProductDetailApi.as_view(), name="product-detail"),
    path("imports/", api.ImportListApi.as_view(), name="imports"),
    path("imports/template/", api.ImportTemplateApi.as_view(), name="import-template"),
    path("imports/<int:id>/", api.ImportDetailApi.as_view(), name="import-detail"),
    path("imports/<int:id>/commit/", api.ImportCommitApi.as_view(), name="import-commit"),
    path("imports/<int:id>/errors/", api.ImportErrorListApi.as_view(), name="import-errors"),
    path(
        "imports/<int:id>/errors.csv",
        api.ImportErrorReportApi.as_view(),
        name="import-errors-csv",
    ),
]

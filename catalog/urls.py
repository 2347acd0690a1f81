"""HTML pages of the catalog: products and imports."""

from django.urls import path

from catalog import product_views, views

app_name = "catalog"
urlpatterns = [
    path("products/", product_views.product_list, name="product-list"),
    path("products/<path:sku>/", product_views.product_detail, name="product-detail"),
    path("cards/transliterate/", product_views.card_transliterate, name="card-transliterate"),
    path("imports/", views.import_list, name="import-list"),
    path("imports/template/", views.template_download, name="template"),
    path("imports/<int:id>/", views.import_detail, name="import-detail"),
    path("imports/<int:id>/progress/", views.import_progress, name="import-progress"),
    path("imports/<int:id>/commit/", views.import_commit, name="import-commit"),
    path("imports/<int:id>/mapping/", views.import_remap, name="import-remap"),
    path("imports/<int:id>/errors.csv", views.import_errors_csv, name="import-errors-csv"),
]

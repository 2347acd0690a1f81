"""HTML pages: products and imports."""

from django.urls import path
from django.views.generic import TemplateView

app_name = "catalog"
urlpatterns = [
    path("products/", TemplateView.as_view(template_name="landing.html"), name="product-list"),
    path("imports/", TemplateView.as_view(template_name="landing.html"), name="import-list"),
]

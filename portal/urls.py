"""URL configuration: HTML pages per app, the v1 API, the schema, admin."""

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from portal import views

# The operations team's admin carries the product's name, in the reader's language.
admin.site.site_header = _("Bozor operations")
admin.site.site_title = _("Bozor operations")
admin.site.index_title = _("Applications, brands, catalogs and market data")

api_v1 = [
    path("", include("sellers.api_urls")),
    path("", include("catalog.api_urls")),
    path("insights/", include("insights.api_urls")),
]

urlpatterns = [
    path("", views.landing, name="landing"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("i18n/setlang/", include("sellers.language_urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("", include("sellers.urls")),
    path("catalog/", include("catalog.urls")),
    path("insights/", include("insights.urls")),
]

# Uploaded files are private: they are served only through views that check access.

handler404 = "portal.views.not_found"
handler500 = "portal.views.server_error"

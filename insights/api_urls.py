"""API v1 routes of this app (included under /api/v1/insights/)."""

from django.urls import path

from insights import api

urlpatterns = [
    path("seasons/", api.SeasonListView.as_view(), name="insights-api-seasons"),
    path("market-share/", api.MarketShareView.as_view(), name="insights-api-market-share"),
    path("hotspots/", api.HotspotsView.as_view(), name="insights-api-hotspots"),
    path("opportunities/", api.OpportunitiesView.as_view(), name="insights-api-opportunities"),
]

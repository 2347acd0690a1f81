"""HTML pages: market insights."""

from django.urls import path

from insights import views

app_name = "insights"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:chart>.csv", views.chart_csv, name="csv"),
]

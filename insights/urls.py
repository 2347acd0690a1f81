"""HTML pages: market insights."""

from django.urls import path
from django.views.generic import TemplateView

app_name = "insights"
urlpatterns = [
    path("", TemplateView.as_view(template_name="landing.html"), name="index"),
]

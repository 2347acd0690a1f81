"""HTML pages: accounts, the seller application, the dashboard."""

from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.generic import TemplateView

app_name = "sellers"
urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/signup/", TemplateView.as_view(template_name="landing.html"), name="signup"),
    path("dashboard/", TemplateView.as_view(template_name="landing.html"), name="dashboard"),
    path("application/", TemplateView.as_view(template_name="landing.html"), name="application"),
]

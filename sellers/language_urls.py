"""The language switch, outside the sellers namespace: templates name it `set_language`."""

from django.urls import path

from sellers import account_views

urlpatterns = [path("", account_views.language_set, name="set_language")]

"""API v1 routes of this app (included under /api/v1/)."""

urlpatterns: list = []

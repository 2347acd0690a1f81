"""The Bozor Django project: settings, URLs, the Celery app."""

from portal.celery import app as celery_app

__all__ = ["celery_app"]

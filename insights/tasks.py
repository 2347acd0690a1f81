"""Celery tasks for insights: rebuilding the rollups off the request path."""

from celery import shared_task

from insights.services import rollups_rebuild


@shared_task(acks_late=True)
def rollups_rebuild_task() -> dict[str, int]:
    return rollups_rebuild()

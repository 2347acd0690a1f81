"""Celery tasks of the sellers app: the daily expiry reminders for accepted documents.

Thin and idempotent: the service records each (document, threshold) before mailing it, so a
second run, a retry or two workers at once send nothing twice.
"""

from celery import shared_task

from sellers import document_services


@shared_task(name="sellers.tasks.document_reminders_send", ignore_result=True)
def document_reminders_send() -> dict[str, int]:
    return document_services.document_reminders_send()

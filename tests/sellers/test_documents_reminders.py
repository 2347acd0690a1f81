"""Expiry reminders: 60, 30 and 7 days before an accepted document expires, each sent once."""

import json
import threading
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from sellers import document_services
from sellers.models import DocumentKind, DocumentReminder, DocumentReview, SellerStatus
from sellers.selectors import seller_list_for_ops
from sellers.tasks import document_reminders_send
from tests.sellers.factories import DocumentFactory, UserFactory, seller_with_owner

pytestmark = pytest.mark.django_db
TODAY = date(2027, 3, 1)
R = DocumentReview


@pytest.fixture
def seller_and_owner():
    return seller_with_owner(status=SellerStatus.APPROVED, documents=False)


def licence(seller, expires_in: int | None, **kwargs):
    kwargs.setdefault("review_state", R.ACCEPTED)
    return DocumentFactory(
        seller=seller,
        kind=DocumentKind.BUSINESS_LICENSE,
        expires_on=None if expires_in is None else TODAY + timedelta(days=expires_in),
        **kwargs,
    )


def run(day: date = TODAY) -> dict[str, int]:
    return document_services.document_reminders_send(today=day)


@pytest.mark.parametrize(
    "days_left, threshold",
    [(61, None), (60, 60), (31, 60), (30, 30), (8, 30), (7, 7), (1, 7), (0, 7), (-1, None)],
)
def test_the_reminder_due_is_the_nearest_threshold_at_or_above_the_days_left(days_left, threshold):
    assert document_services.reminder_threshold(days_left) == threshold


def test_it_sends_the_60_30_and_7_day_reminders_once_each(seller_and_owner):
    seller, owner = seller_and_owner
    document = licence(seller, 60)
    sent_days = []
    for offset in range(0, 62):  # the beat runs every day until the expiry, and after it
        day = TODAY + timedelta(days=offset)
        if run(day)["sent"]:
            sent_days.append((document.expires_on - day).days)
    assert sent_days == [60, 30, 7]
    assert len(mail.outbox) == 3
    assert sorted(document.reminders.values_list("days", flat=True)) == [7, 30, 60]
    assert all(message.to == [owner.email] for message in mail.outbox)


def test_running_twice_the_same_day_sends_nothing_more(seller_and_owner):
    seller, _owner = seller_and_owner
    licence(seller, 30)
    assert run()["sent"] == 1
    assert run() == {"checked": 1, "sent": 0, "failed": 0}
    assert len(mail.outbox) == 1


def test_a_late_upload_gets_one_mail_for_the_nearest_threshold(seller_and_owner):
    seller, _owner = seller_and_owner
    document = licence(seller, 5)
    assert run()["sent"] == 1
    assert list(document.reminders.values_list("days", flat=True)) == [7]
    # The farther thresholds are covered: nothing on the next days either.
    assert run(TODAY + timedelta(days=1))["sent"] == 0
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    "expires_in, state",
    [
        (-1, R.ACCEPTED),  # already expired
        (30, R.PENDING),  # never accepted
        (30, R.REJECTED),
        (None, R.ACCEPTED),  # no expiry date
        (90, R.ACCEPTED),  # not near yet
    ],
)
def test_it_sends_nothing_for_documents_that_are_not_accepted_and_expiring(
    seller_and_owner, expires_in, state
):
    seller, _owner = seller_and_owner
    licence(seller, expires_in, review_state=state)
    assert run()["sent"] == 0
    assert mail.outbox == []
    assert not DocumentReminder.objects.exists()


def test_it_sends_nothing_for_a_superseded_document_or_one_with_a_renewal_waiting(
    seller_and_owner,
):
    seller, _owner = seller_and_owner
    old = licence(seller, 10)
    renewal = licence(seller, 400, review_state=R.PENDING, replaces=old)
    assert run()["sent"] == 0  # the seller has acted: the renewal waits for review
    renewal.review_state = R.REJECTED
    renewal.save()
    assert run()["sent"] == 1  # a rejected renewal: the old one still expires


def test_it_sends_nothing_to_a_rejected_seller():
    seller, _owner = seller_with_owner(status=SellerStatus.REJECTED, documents=False)
    licence(seller, 30)
    assert run()["sent"] == 0


def test_the_mail_names_the_document_without_seller_text_in_the_subject(seller_and_owner):
    seller, owner = seller_and_owner
    seller.legal_name = "Evil\r\nBcc: victim@example.com Co."
    seller.save()
    licence(seller, 30, original_name="licence\u202e\x1b[31mfdp.pdf")
    run()
    message = mail.outbox[0]
    assert message.subject == "Bozor: one of your documents expires soon"
    assert "\r" not in message.body.replace("\r\n", "\n")
    assert "Evil Bcc: victim@example.com Co." in message.body
    assert "\u202e" not in message.body and "\x1b" not in message.body
    assert "Business licence" in message.body
    assert "30 days" in message.body
    assert "/documents/" in message.body


def test_every_member_of_the_seller_gets_it(seller_and_owner):
    seller, _owner = seller_and_owner
    from tests.sellers.factories import MembershipFactory

    colleague = UserFactory(preferred_language="ru")
    MembershipFactory(seller=seller, user=colleague, role="member")
    licence(seller, 7)
    run()
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [_owner.email, colleague.email]
    )
    assert DocumentReminder.objects.count() == 1  # one reminder, however many members


def test_a_mail_that_reached_nobody_is_tried_again(seller_and_owner, monkeypatch):
    seller, _owner = seller_and_owner
    document = licence(seller, 30)

    def broken(**kwargs):
        raise OSError("SMTP down")

    monkeypatch.setattr("sellers.emails.send_mail", broken)
    assert run() == {"checked": 1, "sent": 0, "failed": 1}
    assert not document.reminders.exists()
    monkeypatch.undo()
    assert run()["sent"] == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_two_runs_at_once_send_each_reminder_once(seller_and_owner):
    seller, _owner = seller_and_owner
    for days in (3, 20, 45):
        licence(seller, days)
    results: list[dict[str, int]] = []
    barrier = threading.Barrier(2)

    def worker() -> None:
        try:
            barrier.wait()
            results.append(run())
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(result["sent"] for result in results) == 3
    assert DocumentReminder.objects.count() == 3
    assert len(mail.outbox) == 3


def test_the_beat_task_and_the_command_run_the_same_service(seller_and_owner):
    seller, _owner = seller_and_owner
    document = licence(seller, 0)
    document.expires_on = timezone.localdate() + timedelta(days=30)
    document.save()
    document_reminders_send.delay()
    assert len(mail.outbox) == 1
    out = StringIO()
    call_command("document_reminders", stdout=out)
    assert json.loads(out.getvalue())["sent"] == 0


def test_the_command_takes_a_day_to_count_from(seller_and_owner):
    seller, _owner = seller_and_owner
    licence(seller, 30)
    out = StringIO()
    call_command("document_reminders", "--today", TODAY.isoformat(), stdout=out)
    assert json.loads(out.getvalue()) == {"checked": 1, "sent": 1, "failed": 0}


def test_the_command_refuses_a_bad_day():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("document_reminders", "--today", "01/03/2027")


def test_the_beat_schedule_runs_the_reminders(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "sellers.tasks.document_reminders_send" in tasks


def test_the_ops_queue_flags_a_seller_whose_accepted_document_expires_soon():
    soon, _a = seller_with_owner(status=SellerStatus.APPROVED, documents=False)
    later, _b = seller_with_owner(status=SellerStatus.APPROVED, documents=False)
    pending, _c = seller_with_owner(status=SellerStatus.SUBMITTED, documents=False)
    today = timezone.localdate()
    DocumentFactory(seller=soon, review_state=R.ACCEPTED, expires_on=today + timedelta(days=20))
    DocumentFactory(seller=later, review_state=R.ACCEPTED, expires_on=today + timedelta(days=200))
    DocumentFactory(seller=pending, expires_on=today + timedelta(days=20))
    flags = {seller.pk: seller.documents_expiring for seller in seller_list_for_ops()}
    assert flags == {soon.pk: True, later.pk: False, pending.pk: False}

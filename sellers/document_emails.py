"""E-mails about documents: the reminder before an accepted document expires.

Built on the helpers of sellers.emails: the subject is a fixed sentence, and seller-typed text
(the company's name, the uploaded file's name) enters the body on one line, without control
characters.
"""

import logging

from django.utils import formats, translation

from sellers.emails import _absolute, _send, mail_text
from sellers.models import Document, User

logger = logging.getLogger(__name__)


class ReminderNotSent(Exception):
    """No member of the seller could be mailed: the reminder is tried again on the next run."""


def document_expiry_email_send(*, document: Document, days_left: int) -> int:
    """Tell every active member of the document's seller, each in their own language; returns
    how many were mailed. Raises ReminderNotSent when there were members and none was mailed."""
    if document.expires_on is None:
        return 0
    members = list(
        User.objects.filter(membership__seller_id=document.seller_id, is_active=True).order_by("pk")
    )
    sent = 0
    for member in members:
        with translation.override(member.preferred_language):
            context = {
                "seller": mail_text(document.seller),
                "kind": str(document.get_kind_display()),
                "file": mail_text(document.original_name),
                "expires_on": formats.date_format(document.expires_on, "DATE_FORMAT"),
                "days_left": days_left,
                "documents_url": _absolute("sellers:documents", "/documents/"),
            }
        try:
            _send(
                template="document_expiry",
                context=context,
                recipient=member.email,
                language=member.preferred_language,
            )
        except Exception:  # one unreachable mailbox must not hide the others' e-mails
            logger.exception("Could not send the expiry reminder to user %s", member.pk)
        else:
            sent += 1
    if members and not sent:
        raise ReminderNotSent(f"document {document.pk}")
    return sent

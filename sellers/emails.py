"""E-mails to a seller's members about their application, each in the member's own language."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from sellers.models import Invitation, Seller, StatusChange, User

logger = logging.getLogger(__name__)


def _absolute(path_name: str, fallback: str, **kwargs: object) -> str:
    try:
        path = reverse(path_name, kwargs=kwargs or None)
    except NoReverseMatch:
        path = fallback
    return settings.SITE_URL.rstrip("/") + path


def _send(*, template: str, context: dict, recipient: str, language: str) -> None:
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"sellers/email/{template}_subject.txt", context)
        body = render_to_string(f"sellers/email/{template}_body.txt", context)
    send_mail(
        subject=" ".join(subject.split()),
        message=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[recipient],
    )


def seller_status_email_send(*, seller: Seller, change: StatusChange) -> None:
    """Tell every member of the seller about a status change (called after the commit)."""
    members = User.objects.filter(membership__seller=seller, is_active=True).order_by("pk")
    context = {
        "seller": seller,
        "change": change,
        "reason": change.reason,
        "dashboard_url": _absolute("sellers:dashboard", "/dashboard/"),
    }
    for member in members:
        try:
            _send(
                template=f"status_{change.to_status}",
                context={**context, "user": member},
                recipient=member.email,
                language=member.preferred_language,
            )
        except Exception:  # one unreachable mailbox must not hide the others' e-mails
            logger.exception("Could not send the status e-mail to user %s", member.pk)


def invitation_email_send(*, invitation: Invitation, language: str) -> None:
    url = _absolute(
        "sellers:invitation-accept",
        f"/accounts/invitations/{invitation.token}/",
        token=invitation.token,
    )
    _send(
        template="invitation",
        context={"invitation": invitation, "seller": invitation.seller, "accept_url": url},
        recipient=invitation.email,
        language=language,
    )

"""E-mails to users and sellers' members, each in the recipient's own language.

Text a seller typed (the legal name, a member's name) enters a mail on one line, without control
characters (mail_text), and never a subject: subjects are fixed sentences.
"""

import logging
import re
import unicodedata

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from sellers.models import Invitation, Seller, StatusChange, User

logger = logging.getLogger(__name__)

_SPACES = re.compile(r"\s+")
# Control and format characters (NUL, escape sequences, bidi overrides, zero-width) and line or
# paragraph separators: what could forge a header line or disguise text in a mail reader.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def mail_text(value: object) -> str:
    """Seller-typed text as it may enter a mail: one line, printable characters only."""
    text = "".join(
        " " if unicodedata.category(char) in _INVISIBLE_CATEGORIES else char
        for char in str(value or "")
    )
    return _SPACES.sub(" ", text).strip()


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
        "seller": mail_text(seller),
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
    inviter = invitation.invited_by
    _send(
        template="invitation",
        context={
            "seller": mail_text(invitation.seller),
            "inviter": mail_text(inviter.full_name or inviter.email if inviter else ""),
            "accept_url": url,
        },
        recipient=invitation.email,
        language=language,
    )


def verification_email_send(*, user: User, token: str) -> None:
    """The link that confirms the user's address (a page that confirms with a button)."""
    _send(
        template="verification",
        context={
            "email": user.email,
            "verify_url": _absolute(
                "sellers:verify-email", f"/accounts/verify/{token}/", token=token
            ),
            "hours": settings.EMAIL_VERIFICATION_MAX_AGE_HOURS,
        },
        recipient=user.email,
        language=user.preferred_language,
    )


def signup_attempt_email_send(*, user: User) -> None:
    """Tell the owner of an address that someone tried to sign up with it again.

    The sign-up page answers the same for a taken address as for a new one, so only the owner
    learns that the account exists.
    """
    _send(
        template="signup_attempt",
        context={
            "email": user.email,
            "login_url": _absolute("sellers:login", "/accounts/login/"),
            "reset_url": _absolute("sellers:password-reset", "/accounts/password-reset/"),
        },
        recipient=user.email,
        language=user.preferred_language,
    )

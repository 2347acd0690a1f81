"""Writes to accounts: registration, tokens, passwords, e-mail verification."""

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from knox.models import AuthToken

from portal.errors import ConflictError
from sellers import emails, limits
from sellers.models import User
from sellers.validators import email_normalize

logger = logging.getLogger(__name__)


class EmailTaken(ValidationError):
    """The address already has an account (its owner has been told someone tried)."""


def _email_taken_message() -> str:
    return _("An account with this e-mail address already exists. Log in instead.")


def user_register(*, email: str, password: str, language: str = "en", client_ip: str = "") -> User:
    """A new brand-manager account, its address unconfirmed, and the link to confirm it mailed.

    For an address that already has an account, its owner is told that someone tried and
    EmailTaken is raised: the API answers it with 400 (it is throttled), the sign-up page like
    a new account, so that page never says whether an address has an account.
    """
    email = email_normalize(email)
    errors: dict[str, list[Any]] = {}
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = [_("Enter a valid e-mail address.")]
    try:
        validate_password(password or "", User(email=email))
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    if errors:
        raise ValidationError(errors)
    limits.sender_check(kind=limits.SIGNUP, sender=client_ip)
    languages = {code for code, _name in settings.LANGUAGES}
    existing = User.objects.filter(email__iexact=email).first()
    if existing is None:
        try:
            with transaction.atomic():
                user = User.objects.create_user(
                    email=email,
                    password=password,
                    preferred_language=language
                    if language in languages
                    else settings.LANGUAGE_CODE,
                )
        except IntegrityError:  # the same e-mail registered at the same moment
            existing = User.objects.filter(email__iexact=email).first()
        else:
            _verification_mail(user=user)
            return user
    # As slow as creating an account, so the time taken does not tell either.
    make_password(password)
    if existing is not None and not limits.recipient_wait(kind=limits.SIGNUP, recipient=email):
        _mail_quietly(emails.signup_attempt_email_send, user=existing)
    raise EmailTaken({"email": [_email_taken_message()]})


def _mail_quietly(send: Any, **kwargs: Any) -> None:
    """A mail that the answer does not depend on: an unreachable server is logged, not raised."""
    try:
        send(**kwargs)
    except Exception:
        logger.exception("Could not send %s", getattr(send, "__name__", send))


def user_language_set(*, user: User, language: str) -> None:
    """Remember the interface language the user picked, so the next login keeps it."""
    if language in {code for code, _name in settings.LANGUAGES} and (
        user.preferred_language != language
    ):
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])


def user_token(*, user: User) -> str:
    """A new API token for the user (one per device or integration); only its hash is stored.

    Expired tokens go, and beyond API_TOKENS_PER_USER the oldest: signing in from a script in a
    loop cannot pile up tokens.
    """
    _instance, key = AuthToken.objects.create(user=user)
    tokens = AuthToken.objects.filter(user=user)
    keep = list(
        tokens.order_by("-created").values_list("digest", flat=True)[: settings.API_TOKENS_PER_USER]
    )
    tokens.filter(Q(expiry__lt=timezone.now()) | ~Q(digest__in=keep)).delete()
    return key


def user_token_revoke(*, token: AuthToken) -> None:
    """Sign one device or integration out of the API (the other tokens stay)."""
    AuthToken.objects.filter(digest=token.digest).delete()


def user_password_change(*, user: User, old_password: str, new_password: str) -> None:
    """Change a password knowing the current one; every API token of the user is revoked.

    The revocation is the User model's: every password set goes through it (see User.save).
    """
    errors: dict[str, list[Any]] = {}
    if not user.check_password(old_password or ""):
        errors["old_password"] = [_("Your current password is wrong.")]
    try:
        validate_password(new_password or "", user)
    except ValidationError as exc:
        errors["new_password"] = list(exc.messages)
    if errors:
        raise ValidationError(errors)
    user.set_password(new_password)
    user.save(update_fields=["password"])


# Confirming the e-mail address

VERIFICATION_SALT = "sellers.email-verification"


def _verification_state(user: User) -> str:
    # The address and whether it is confirmed: a link stops working once it is used, or when
    # the address changes.
    state = f"{user.pk}|{user.email}|{user.email_verified_at}"
    return salted_hmac(VERIFICATION_SALT, state, algorithm="sha256").hexdigest()[:32]


def email_verification_token(*, user: User) -> str:
    """The signed, time-stamped token of the link that confirms the user's address."""
    return signing.dumps([user.pk, _verification_state(user)], salt=VERIFICATION_SALT)


def email_verification_user(*, token: str) -> User:
    """Whose address the token confirms, changing nothing; ValidationError when it does not work.

    It works for EMAIL_VERIFICATION_MAX_AGE_HOURS, and once.
    """
    invalid = ValidationError(
        {
            "token": [
                _(
                    "This link does not work: it was already used, is too old or is incomplete. "
                    "Log in and ask for a new one."
                )
            ]
        }
    )
    try:
        pk, state = signing.loads(
            str(token),
            salt=VERIFICATION_SALT,
            max_age=timedelta(hours=settings.EMAIL_VERIFICATION_MAX_AGE_HOURS),
        )
    except (signing.BadSignature, TypeError, ValueError) as exc:
        raise invalid from exc
    user = User.objects.filter(pk=pk, is_active=True).first() if isinstance(pk, int) else None
    if user is None or not constant_time_compare(str(state), _verification_state(user)):
        raise invalid
    return user


def email_verify(*, token: str) -> User:
    """Confirm the address the mailed token was made for."""
    user = email_verification_user(token=token)
    user.email_verified_at = timezone.now()
    user.save(update_fields=["email_verified_at"])
    return user


def _verification_mail(*, user: User) -> None:
    # Right after sign-up: the address is new, so only a cooldown from an earlier attempt can
    # hold it back, and then the user asks again from the dashboard.
    if not limits.recipient_wait(kind=limits.VERIFICATION, recipient=user.email):
        _mail_quietly(
            emails.verification_email_send, user=user, token=email_verification_token(user=user)
        )


def email_verification_send(*, user: User) -> None:
    """Mail the link again, when the user asks (limited per user and per cooldown)."""
    if user.email_verified:
        raise ConflictError(_("Your e-mail address is already confirmed."))
    limits.sender_check(kind=limits.VERIFICATION, sender=f"user:{user.pk}")
    limits.recipient_check(kind=limits.VERIFICATION, recipient=user.email)
    emails.verification_email_send(user=user, token=email_verification_token(user=user))

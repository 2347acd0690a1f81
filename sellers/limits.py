"""Limits on the account mails anyone can make the portal send, counted in the shared cache.

Sign-up, password reset, invitations and confirmation links: each is limited per sender (the
client's address, or the inviting user) per hour, each recipient gets a few account mails an
hour whatever their kind, and the same kind of mail waits for a cooldown before it goes to the
same recipient again. The counters live in Django's default cache, which is Redis whenever one
is configured (portal/settings.py), so every web process and worker counts against one limit.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _
from rest_framework.exceptions import Throttled

from sellers.validators import email_normalize

SIGNUP = "signup"
PASSWORD_RESET = "password_reset"
INVITATION = "invitation"
VERIFICATION = "verification"

# Each kind's hourly limit per sender, by the name of its setting.
SENDER_LIMITS = {
    SIGNUP: "MAIL_LIMIT_SIGNUP_PER_HOUR",
    PASSWORD_RESET: "MAIL_LIMIT_PASSWORD_RESET_PER_HOUR",
    INVITATION: "MAIL_LIMIT_INVITATIONS_PER_HOUR",
    VERIFICATION: "MAIL_LIMIT_VERIFICATION_PER_HOUR",
}
RECIPIENT_LIMIT = "MAIL_LIMIT_PER_RECIPIENT_PER_HOUR"
COOLDOWN = "MAIL_COOLDOWN_SECONDS"
# Every limit is a setting read from the environment under the same name.
SETTING_NAMES = (*SENDER_LIMITS.values(), RECIPIENT_LIMIT, COOLDOWN)

HOUR = 3600


class MailLimitReached(Throttled):
    """A limit is reached: DRF answers 429 with Retry-After; pages catch it and say the same."""

    wait: int  # seconds, set by Throttled

    def __init__(self, wait: int, message: str) -> None:
        super().__init__(wait=wait, detail=message)
        self.message = message


def _key(*parts: str) -> str:
    # Hashed: no address in the cache, and any length fits a key.
    return "mail-limit:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _count(key: str) -> tuple[int, int]:
    """One more in this clock hour's window: (the count, the seconds left in the window)."""
    now = time.time()
    window = int(now // HOUR)
    left = max(1, int((window + 1) * HOUR - now))
    windowed = f"{key}:{window}"
    cache.add(windowed, 0, timeout=left + 60)
    try:
        return cache.incr(windowed), left
    except ValueError:  # expired between the two calls
        cache.add(windowed, 1, timeout=left + 60)
        return 1, left


def sender_check(*, kind: str, sender: str) -> None:
    """Count one mail the sender (a client address or a user) asks for; refuse over the limit."""
    if not sender:
        return
    limit = getattr(settings, SENDER_LIMITS[kind])
    count, left = _count(_key("sender", kind, sender))
    if count > limit:
        minutes = max(1, (left + 59) // 60)
        raise MailLimitReached(
            wait=left,
            message=_("Too many requests of this kind from here; try again in %(minutes)d minutes.")
            % {"minutes": minutes},
        )


def recipient_wait(*, kind: str, recipient: str) -> int:
    """0 when this mail may go to the recipient now (and it is counted); else the seconds to wait.

    Callers decide what a wait means: pages that must not say whether an address has an
    account send nothing and answer as usual; an owner inviting a colleague is told.
    """
    address = email_normalize(recipient)
    now = time.time()
    cooldown = _key("cooldown", kind, address)
    if not cache.add(
        cooldown, now + settings.MAIL_COOLDOWN_SECONDS, settings.MAIL_COOLDOWN_SECONDS
    ):
        until = cache.get(cooldown) or now + 1
        return max(1, int(until - now))
    count, left = _count(_key("recipient", address))
    if count > settings.MAIL_LIMIT_PER_RECIPIENT_PER_HOUR:
        return left
    return 0


def recipient_check(*, kind: str, recipient: str) -> None:
    """recipient_wait() for callers that tell the user: refuse with the time to wait."""
    wait = recipient_wait(kind=kind, recipient=recipient)
    if wait:
        raise MailLimitReached(
            wait=wait,
            message=_(
                "An e-mail of this kind went to %(email)s a moment ago; you can send it again "
                "in %(seconds)d seconds."
            )
            % {"email": email_normalize(recipient), "seconds": wait},
        )

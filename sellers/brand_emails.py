"""The e-mail that tells a seller's members a brand was approved or rejected.

As every seller mail: brand and seller names enter the body on one line (mail_text), never the
subject, which is a fixed sentence."""

import logging

from sellers.emails import _absolute, _send, mail_text
from sellers.models import Brand, BrandState, User

logger = logging.getLogger(__name__)

TEMPLATES = {BrandState.APPROVED: "brand_approved", BrandState.REJECTED: "brand_rejected"}


def brand_review_email_send(*, brand: Brand) -> None:
    """Tell every member of the brand's seller about its review (called after the commit)."""
    template = TEMPLATES.get(BrandState(brand.state))
    if template is None:
        return
    members = User.objects.filter(membership__seller_id=brand.seller_id, is_active=True)
    context = {
        "brand": mail_text(brand),
        "seller": mail_text(brand.seller),
        "reason": brand.reason,
        "brands_url": _absolute("sellers:brand-list", "/brands/"),
    }
    for member in members.order_by("pk"):
        try:
            _send(
                template=template,
                context={**context, "user": member},
                recipient=member.email,
                language=member.preferred_language,
            )
        except Exception:  # one unreachable mailbox must not hide the others' e-mails
            logger.exception("Could not send the brand review e-mail to user %s", member.pk)

"""Mails to sellers: text typed by sellers enters them on one line, and never their subjects."""

import pytest
from django.core import mail

from sellers import emails
from sellers.models import Invitation, SellerStatus, StatusChange
from tests.sellers.factories import UserFactory, seller_with_owner

pytestmark = pytest.mark.django_db

# What a seller could type (PostgreSQL stores no NUL: mail_text's own test has one).
HOSTILE = "Evil Co.\r\nBcc: everyone@example.com\x1b[31m\u202eevil\u2028Ltd"


@pytest.mark.parametrize(
    "value",
    [HOSTILE, "Line one\nLine two", "Tab\there", "\x07bell", "a\u200bzero-width", "NUL\x00!"],
)
def test_row_34_mail_text_keeps_one_printable_line(value):
    cleaned = emails.mail_text(value)
    assert all(ord(char) >= 32 and char not in "\u2028\u2029\u202e\u200b\x7f" for char in cleaned)
    assert cleaned == cleaned.strip()
    assert "  " not in cleaned


def test_row_34_mail_text_keeps_chinese_and_cyrillic():
    assert (
        emails.mail_text(" 深圳蓝月科技有限公司 ООО «Ланюэ» ") == "深圳蓝月科技有限公司 ООО «Ланюэ»"
    )


def test_row_34_an_invitation_carries_the_sellers_name_on_one_line_and_not_in_the_subject():
    seller, owner = seller_with_owner()
    seller.legal_name = HOSTILE
    seller.save()
    owner.full_name = "Li\nWei"
    owner.save()
    invitation = Invitation.objects.create(seller=seller, email="wang@example.cn", invited_by=owner)
    emails.invitation_email_send(invitation=invitation, language="en")
    message = mail.outbox[0]
    assert "Evil" not in message.subject
    assert "Evil Co. Bcc: everyone@example.com" in message.body
    assert "\x1b" not in message.body and "\u202e" not in message.body
    assert "Bcc" not in str(message.message()["Bcc"] or "")
    assert message.recipients() == ["wang@example.cn"]


@pytest.mark.parametrize("to_status", [SellerStatus.SUBMITTED, SellerStatus.APPROVED])
def test_row_34_status_mails_carry_no_seller_text_in_the_subject(to_status):
    seller, _owner = seller_with_owner(status=SellerStatus.SUBMITTED)
    seller.legal_name = HOSTILE
    seller.save()
    change = StatusChange.objects.create(
        seller=seller, from_status=SellerStatus.DRAFT, to_status=to_status
    )
    emails.seller_status_email_send(seller=seller, change=change)
    message = mail.outbox[0]
    assert "Evil" not in message.subject
    assert "Evil Co. Bcc: everyone@example.com" in message.body
    assert "\x1b" not in message.body


def test_row_32_mail_goes_to_files_with_the_file_backend(settings, tmp_path):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(tmp_path)},
        }
    }
    user = UserFactory(email="li@example.cn", email_verified_at=None)
    emails.verification_email_send(user=user, token="a-token")
    written = "".join(path.read_text() for path in tmp_path.iterdir())
    assert "li@example.cn" in written
    assert "/accounts/verify/a-token/" in written

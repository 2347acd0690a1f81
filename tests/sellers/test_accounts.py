"""Accounts as a brand manager meets them: sign up, log in, log out, reset, lockout, invitations."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sellers.models import Invitation, Membership, MembershipRole, User
from tests.sellers.factories import PASSWORD, UserFactory, seller_with_owner

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "tashkent-silk-road-2026"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def signup_data(**overrides: str) -> dict[str, str]:
    data = {
        "email": "Manager@Lanyue.example.cn",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "language": "zh-hans",
    }
    data.update(overrides)
    return data


def login(client, email: str, password: str = PASSWORD, ip: str = "203.0.113.5", **extra):
    return client.post(
        reverse("sellers:login"), {"username": email, "password": password}, REMOTE_ADDR=ip, **extra
    )


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


# Sign up


def confirmation_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/verify/[^/\s]+/)", message.body).group(1)


def confirm(client, mailoutbox):
    """Open the link of the latest mail and press its button, as the new user does."""
    link = confirmation_link(mailoutbox[-1])
    page = client.get(link)
    assert page.status_code == 200
    return client.post(link)


def test_it_signs_up_logs_in_and_switches_to_the_chosen_language(client, mailoutbox):
    response = client.post(reverse("sellers:signup"), signup_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("sellers:signup-sent")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    user = User.objects.get()
    assert user.email == "manager@lanyue.example.cn"
    assert user.preferred_language == "zh-hans"
    assert user.check_password(NEW_PASSWORD)
    # Logged in once the address is confirmed from the mail, in the same browser.
    assert not is_logged_in(client)
    assert mailoutbox[-1].to == ["manager@lanyue.example.cn"]
    confirmed = confirm(client, mailoutbox)
    assert confirmed.status_code == 302
    assert confirmed["Location"] == reverse("sellers:dashboard")
    assert is_logged_in(client)
    page = client.get(reverse("sellers:dashboard"))
    assert '<html lang="zh-hans">' in page.content.decode()


def test_it_returns_to_the_page_that_sent_the_user_to_sign_up(client, mailoutbox):
    target = "/accounts/invitations/6f1e7c2a-58f4-4c55-9d4e-2f4f7a3b9c10/"
    client.post(reverse("sellers:signup"), signup_data(next=target))
    response = confirm(client, mailoutbox)
    assert response["Location"] == target


def test_it_ignores_a_next_that_leaves_the_site(client, mailoutbox):
    client.post(reverse("sellers:signup"), signup_data(next="https://evil.example/"))
    response = confirm(client, mailoutbox)
    assert response["Location"] == reverse("sellers:dashboard")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"password2": "something-else-entirely"}, "password2", "two passwords are different"),
        ({"password1": "12345", "password2": "12345"}, "password1", "too short"),
        ({"email": "not-an-address"}, "email", "valid email"),
        ({"language": "fr"}, "language", "Select a valid choice"),
    ],
)
def test_it_refuses_a_bad_sign_up_and_creates_nobody(client, overrides, field, message):
    response = client.post(reverse("sellers:signup"), signup_data(**overrides))
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert f'id="id_{field}-msg"' in body
    assert not User.objects.exists()
    assert not is_logged_in(client)


def test_row_34_sign_up_answers_alike_whether_or_not_the_address_has_an_account(client, mailoutbox):
    UserFactory(email="manager@lanyue.example.cn")
    taken = client.post(reverse("sellers:signup"), signup_data())
    fresh = Client().post(reverse("sellers:signup"), signup_data(email="new@lanyue.example.cn"))
    assert (taken.status_code, taken["Location"]) == (fresh.status_code, fresh["Location"])
    assert taken["Location"] == reverse("sellers:signup-sent")
    assert client.get(taken["Location"]).content.decode().count("manager@lanyue.example.cn") <= 1
    assert User.objects.count() == 2
    # The owner of the taken address is told someone tried; the new one gets the link.
    by_recipient = {message.to[0]: message for message in mailoutbox}
    assert set(by_recipient) == {"manager@lanyue.example.cn", "new@lanyue.example.cn"}
    notice = by_recipient["manager@lanyue.example.cn"]
    assert "/accounts/verify/" not in notice.body
    assert "/accounts/password-reset/" in notice.body
    assert "/accounts/verify/" in by_recipient["new@lanyue.example.cn"].body
    assert not is_logged_in(client)


def test_row_34_html_sign_ups_are_limited_per_client_address(client, settings, mailoutbox):
    settings.MAIL_LIMIT_SIGNUP_PER_HOUR = 2
    codes = [
        client.post(
            reverse("sellers:signup"),
            signup_data(email=f"new{n}@example.cn", language="en"),
            REMOTE_ADDR="198.51.100.7",
        ).status_code
        for n in range(3)
    ]
    assert codes == [302, 302, 429]
    assert User.objects.count() == 2
    assert len(mailoutbox) == 2
    # A taken address answers the limit the same way.
    UserFactory(email="taken@example.cn")
    again = client.post(
        reverse("sellers:signup"),
        signup_data(email="taken@example.cn", language="en"),
        REMOTE_ADDR="198.51.100.7",
    )
    assert again.status_code == 429
    assert "try again" in again.content.decode().lower()
    other = client.post(
        reverse("sellers:signup"), signup_data(email="new9@example.cn"), REMOTE_ADDR="192.0.2.44"
    )
    assert other.status_code == 302


def test_row_33_sign_up_and_login_know_one_mailbox_by_any_spelling(client, mailoutbox):
    client.post(reverse("sellers:signup"), signup_data(email="A@Bücher.example"))
    assert User.objects.get().email == "a@xn--bcher-kva.example"
    Client().post(reverse("sellers:signup"), signup_data(email="a@bu\u0308cher.example"))
    assert User.objects.count() == 1
    assert login(client, "a@XN--BCHER-KVA.example", NEW_PASSWORD).status_code == 302
    assert is_logged_in(client)


def test_it_sends_a_signed_in_user_from_sign_up_to_the_dashboard(client):
    client.force_login(UserFactory())
    response = client.get(reverse("sellers:signup"))
    assert response.status_code == 302
    assert response["Location"] == reverse("sellers:dashboard")


# Log in and out


def test_it_logs_in_with_the_e_mail_in_any_case_and_switches_language(client):
    UserFactory(email="li@example.cn", preferred_language="zh-hans")
    response = login(client, "LI@Example.CN")
    assert response.status_code == 302
    assert response["Location"] == reverse("sellers:dashboard")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    assert is_logged_in(client)


def test_it_refuses_a_wrong_password_with_a_message(client):
    UserFactory(email="li@example.cn")
    response = login(client, "li@example.cn", "wrong-password")
    assert response.status_code == 200
    assert "correct e-mail address and password" in response.content.decode()
    assert not is_logged_in(client)


def test_it_follows_next_after_login(client):
    UserFactory(email="li@example.cn")
    response = client.post(
        reverse("sellers:login"),
        {"username": "li@example.cn", "password": PASSWORD, "next": reverse("sellers:documents")},
    )
    assert response["Location"] == reverse("sellers:documents")


def test_it_logs_out_on_post_only(client):
    client.force_login(UserFactory())
    assert client.get(reverse("sellers:logout")).status_code == 405
    assert is_logged_in(client)
    response = client.post(reverse("sellers:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("landing")
    assert not is_logged_in(client)


# Brute force


def test_row_27_it_locks_one_account_from_one_address_after_the_failure_limit(client, settings):
    UserFactory(email="li@example.cn")
    UserFactory(email="wang@example.cn")
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, "li@example.cn", "guess", ip="198.51.100.7").status_code == 200
    # The attempt that reaches the limit is answered with the lockout page...
    assert login(client, "li@example.cn", "guess", ip="198.51.100.7").status_code == 429
    # ...and so is the right password from there, until the cool-off ends.
    locked = login(client, "li@example.cn", PASSWORD, ip="198.51.100.7")
    assert locked.status_code == 429
    body = locked.content.decode()
    assert "Too many failed log-in attempts" in body
    assert "Wait 15 minutes" in body
    assert not is_logged_in(client)

    # The same account from another address, and another account from the same address, work.
    other_address = login(client, "li@example.cn", PASSWORD, ip="192.0.2.44")
    assert other_address.status_code == 302
    client.post(reverse("sellers:logout"))
    other_account = login(client, "wang@example.cn", PASSWORD, ip="198.51.100.7")
    assert other_account.status_code == 302


def test_it_counts_failures_whatever_the_case_of_the_e_mail(client, settings):
    UserFactory(email="li@example.cn")
    variants = [
        "li@example.cn",
        "LI@example.cn",
        " Li@Example.CN",
        "li@EXAMPLE.cn",
        "lI@example.cn",
    ]
    responses = [login(client, email, "guess") for email in variants[: settings.AXES_FAILURE_LIMIT]]
    assert responses[-1].status_code == 429
    assert login(client, "li@example.cn", PASSWORD).status_code == 429
    assert not is_logged_in(client)


def test_it_forgets_failures_after_a_successful_login(client, settings):
    UserFactory(email="li@example.cn")
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, "li@example.cn", "guess")
    assert login(client, "li@example.cn", PASSWORD).status_code == 302
    client.post(reverse("sellers:logout"))
    assert login(client, "li@example.cn", "guess").status_code == 200


def test_it_shows_the_lockout_page_in_chinese(client, settings):
    UserFactory(email="li@example.cn")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        login(client, "li@example.cn", "guess")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    response = login(client, "li@example.cn", "guess")
    assert response.status_code == 429
    assert '<html lang="zh-hans">' in response.content.decode()


# Password reset


def test_it_resets_a_forgotten_password_by_e_mail(client, mailoutbox):
    user = UserFactory(email="li@example.cn")
    response = client.post(reverse("sellers:password-reset"), {"email": "li@example.cn"})
    assert response.status_code == 302
    assert response["Location"] == reverse("sellers:password-reset-done")
    assert client.get(response["Location"]).status_code == 200
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["li@example.cn"]
    assert message.subject == "Reset your Bozor password"
    link = re.search(r"https?://testserver(/accounts/reset/\S+/)", message.body).group(1)

    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    assert 'name="new_password1"' in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.status_code == 302
    assert done["Location"] == reverse("sellers:password-reset-complete")
    assert client.get(done["Location"]).status_code == 200
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_it_does_not_reveal_whether_an_address_has_an_account(client, mailoutbox):
    response = client.post(reverse("sellers:password-reset"), {"email": "nobody@example.cn"})
    assert response.status_code == 302
    assert response["Location"] == reverse("sellers:password-reset-done")
    assert mailoutbox == []


def test_it_explains_a_used_or_broken_reset_link(client):
    response = client.get("/accounts/reset/MQ/set-password/", follow=True)
    assert response.status_code == 200
    assert "This link does not work" in response.content.decode()


def test_it_writes_the_reset_e_mail_in_the_active_language(client, mailoutbox):
    UserFactory(email="li@example.cn")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    client.post(reverse("sellers:password-reset"), {"email": "li@example.cn"})
    assert len(mailoutbox) == 1
    assert "/accounts/reset/" in mailoutbox[0].body


@pytest.mark.parametrize(
    "name",
    [
        "sellers:login",
        "sellers:signup",
        "sellers:password-reset",
        "sellers:password-reset-done",
        "sellers:password-reset-complete",
    ],
)
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_it_renders_the_account_pages(client, name, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.content.decode()


# Invitations


def test_it_lets_an_invited_colleague_join_the_seller(client, mailoutbox):
    seller, owner = seller_with_owner()
    invitation = Invitation.objects.create(seller=seller, email="wang@example.cn", invited_by=owner)
    url = reverse("sellers:invitation-accept", kwargs={"token": invitation.token})

    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("sellers:login"))

    client.post(
        reverse("sellers:signup"),
        {
            "email": "wang@example.cn",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "language": "en",
            "next": url,
        },
    )
    confirm(client, mailoutbox)
    page = client.get(url)
    assert page.status_code == 200
    assert "Accept the invitation" in page.content.decode()
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("sellers:dashboard")
    membership = Membership.objects.get(user__email="wang@example.cn")
    assert (membership.seller, membership.role) == (seller, MembershipRole.MEMBER)


def test_it_hides_an_invitation_meant_for_someone_else(client):
    seller, owner = seller_with_owner()
    invitation = Invitation.objects.create(seller=seller, email="wang@example.cn", invited_by=owner)
    client.force_login(UserFactory(email="intruder@example.cn"))
    url = reverse("sellers:invitation-accept", kwargs={"token": invitation.token})
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 404
        body = response.content.decode()
        assert "wang@example.cn" not in body
        assert seller.legal_name not in body
    assert not Membership.objects.filter(user__email="intruder@example.cn").exists()


def test_it_answers_an_unknown_invitation_with_404(client):
    client.force_login(UserFactory())
    url = reverse(
        "sellers:invitation-accept", kwargs={"token": "6f1e7c2a-58f4-4c55-9d4e-2f4f7a3b9c10"}
    )
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert not Membership.objects.exists()


def test_it_shows_who_invited_the_user_to_which_seller(client):
    seller, owner = seller_with_owner()
    invitation = Invitation.objects.create(seller=seller, email="wang@example.cn", invited_by=owner)
    client.force_login(UserFactory(email="Wang@Example.cn"))
    body = client.get(reverse("sellers:invitation-accept", kwargs={"token": invitation.token}))
    text = body.content.decode()
    assert owner.email in text
    assert seller.legal_name in text


def test_it_explains_an_expired_invitation(client):
    seller, owner = seller_with_owner()
    invitation = Invitation.objects.create(seller=seller, email="wang@example.cn", invited_by=owner)
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - timedelta(days=30)
    )
    client.force_login(UserFactory(email="wang@example.cn"))
    response = client.post(reverse("sellers:invitation-accept", kwargs={"token": invitation.token}))
    assert response.status_code == 400
    assert "no longer valid" in response.content.decode()
    assert not Membership.objects.filter(user__email="wang@example.cn").exists()


def test_it_refuses_an_invitation_to_someone_who_already_has_a_seller(client):
    seller, owner = seller_with_owner()
    _other, user = seller_with_owner()
    invitation = Invitation.objects.create(seller=seller, email=user.email, invited_by=owner)
    client.force_login(user)
    response = client.post(reverse("sellers:invitation-accept", kwargs={"token": invitation.token}))
    assert response.status_code == 409
    assert "already belong to a seller" in response.content.decode()
    assert Membership.objects.get(user=user).seller != seller


def test_it_sends_a_member_who_opens_the_link_again_to_the_dashboard(client):
    seller, owner = seller_with_owner()
    invitation = Invitation.objects.create(seller=seller, email="wang@example.cn", invited_by=owner)
    user = UserFactory(email="wang@example.cn")
    client.force_login(user)
    url = reverse("sellers:invitation-accept", kwargs={"token": invitation.token})
    assert client.post(url).status_code == 302
    again = client.get(url)
    assert again.status_code == 302
    assert again["Location"] == reverse("sellers:dashboard")


# Row 31: a password set ends every other session and every API token


def logged_in_client(user) -> Client:
    other = Client()
    assert login(other, user.email).status_code == 302
    return other


def test_row_31_the_account_page_changes_the_password_and_ends_the_other_sessions(client):
    from knox.models import AuthToken

    from tests.sellers.factories import api_token

    user = UserFactory(email="li@example.cn")
    other_browser = logged_in_client(user)
    api_token(user)
    client.force_login(user)
    page = client.get(reverse("sellers:account"))
    assert page.status_code == 200
    assert 'name="old_password"' in page.content.decode()
    response = client.post(
        reverse("sellers:account"),
        {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    # This browser stays signed in; the other one and every API token are signed out.
    assert client.get(reverse("sellers:dashboard")).status_code == 200
    assert other_browser.get(reverse("sellers:dashboard")).status_code == 302
    assert not AuthToken.objects.filter(user=user).exists()


def test_row_31_the_account_page_refuses_a_wrong_current_password(client):
    user = UserFactory(email="li@example.cn")
    client.force_login(user)
    response = client.post(
        reverse("sellers:account"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 400
    assert 'id="id_old_password-msg"' in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_row_31_the_header_links_to_the_account_page(client):
    client.force_login(UserFactory())
    assert f'href="{reverse("sellers:account")}"' in client.get("/dashboard/").content.decode()


def test_row_31_a_password_reset_ends_every_session_of_the_user(client, mailoutbox):
    user = UserFactory(email="li@example.cn")
    other_browser = logged_in_client(user)
    client.post(reverse("sellers:password-reset"), {"email": "li@example.cn"})
    link = re.search(r"https?://testserver(/accounts/reset/\S+/)", mailoutbox[-1].body).group(1)
    form = client.get(link, follow=True)
    client.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert other_browser.get(reverse("sellers:dashboard")).status_code == 302


# Row 32: the mailed link, confirmed by a button


def test_row_32_opening_the_link_confirms_nothing_until_the_button_is_pressed(client, mailoutbox):
    client.post(reverse("sellers:signup"), signup_data())
    link = confirmation_link(mailoutbox[-1])
    scanner = Client()
    for _visit in range(3):  # a mail provider's link scanner follows every link
        page = scanner.get(link)
        assert page.status_code == 200
        assert 'method="post"' in page.content.decode()
    user = User.objects.get()
    assert user.email_verified_at is None
    # Pressed in another browser: confirmed, but that browser is not signed in by it.
    pressed = scanner.post(link)
    assert pressed.status_code == 302
    assert pressed["Location"].startswith(reverse("sellers:login"))
    assert not is_logged_in(scanner)
    user.refresh_from_db()
    assert user.email_verified_at is not None


def test_row_32_a_used_link_says_it_no_longer_works(client, mailoutbox):
    client.post(reverse("sellers:signup"), signup_data(language="en"))
    confirm(client, mailoutbox)
    again = client.get(confirmation_link(mailoutbox[-1]))
    assert again.status_code == 400
    assert "does not work" in again.content.decode()


def test_row_32_submitting_before_confirming_is_a_409_with_a_button_to_resend(client):
    seller, user = seller_with_owner()
    User.objects.filter(pk=user.pk).update(email_verified_at=None)
    client.force_login(user)
    response = client.post(reverse("sellers:application-submit"))
    assert response.status_code == 409
    body = response.content.decode()
    assert "Confirm your e-mail address" in body
    assert f'action="{reverse("sellers:verification-resend")}"' in body
    seller.refresh_from_db()
    assert seller.status == "draft"


def test_row_32_inviting_before_confirming_is_a_409(client, mailoutbox):
    seller, user = seller_with_owner()
    User.objects.filter(pk=user.pk).update(email_verified_at=None)
    client.force_login(user)
    response = client.post(reverse("sellers:member-invite"), {"email": "wang@example.cn"})
    assert response.status_code == 409
    assert "Confirm your e-mail address" in response.content.decode()
    assert not seller.invitations.exists()
    assert mailoutbox == []


def test_row_32_the_dashboard_resends_the_link_once_per_cooldown(client, mailoutbox):
    user = UserFactory(email="li@example.cn", email_verified_at=None)
    client.force_login(user)
    dashboard = client.get(reverse("sellers:dashboard")).content.decode()
    assert f'action="{reverse("sellers:verification-resend")}"' in dashboard
    sent = client.post(reverse("sellers:verification-resend"), follow=True)
    assert sent.status_code == 200
    assert len(mailoutbox) == 1
    assert "li@example.cn" in sent.content.decode()
    again = client.post(reverse("sellers:verification-resend"))
    assert again.status_code == 429
    assert len(mailoutbox) == 1
    confirmed = confirm(client, mailoutbox)
    assert confirmed["Location"] == reverse("sellers:dashboard")
    user.refresh_from_db()
    assert user.email_verified_at is not None
    dashboard = client.get(reverse("sellers:dashboard")).content.decode()
    assert reverse("sellers:verification-resend") not in dashboard


def test_row_32_accepting_an_invitation_confirms_the_address_it_was_sent_to(client):
    seller, owner = seller_with_owner()
    invitation = Invitation.objects.create(seller=seller, email="wang@example.cn", invited_by=owner)
    user = UserFactory(email="wang@example.cn", email_verified_at=None)
    client.force_login(user)
    client.post(reverse("sellers:invitation-accept", kwargs={"token": invitation.token}))
    user.refresh_from_db()
    assert user.email_verified_at is not None


# Rows 33 and 34: password reset by any spelling, limited, and saying nothing about accounts


def test_row_33_a_reset_asked_for_by_another_spelling_reaches_the_account(client, mailoutbox):
    UserFactory(email="a@xn--bcher-kva.example")
    client.post(reverse("sellers:password-reset"), {"email": "A@bücher.example"})
    assert [message.to for message in mailoutbox] == [["a@xn--bcher-kva.example"]]


def test_row_34_password_resets_are_limited_per_client_address(client, settings, mailoutbox):
    settings.MAIL_LIMIT_PASSWORD_RESET_PER_HOUR = 2
    UserFactory(email="li@example.cn")
    answers = [
        client.post(reverse("sellers:password-reset"), {"email": email}, REMOTE_ADDR="198.51.100.7")
        for email in ("nobody@example.cn", "li@example.cn", "li@example.cn", "nobody@example.cn")
    ]
    assert [answer.status_code for answer in answers] == [302, 302, 429, 429]
    assert len(mailoutbox) == 1
    for refused in answers[2:]:
        body = refused.content.decode()
        assert "try again" in body
        assert "li@example.cn" not in body and "nobody@example.cn" not in body


def test_row_34_a_second_reset_mail_waits_for_the_cooldown_and_the_answer_is_the_same(
    client, mailoutbox
):
    UserFactory(email="li@example.cn")
    first = client.post(reverse("sellers:password-reset"), {"email": "li@example.cn"})
    second = client.post(reverse("sellers:password-reset"), {"email": "li@example.cn"})
    nobody = client.post(reverse("sellers:password-reset"), {"email": "nobody@example.cn"})
    assert first["Location"] == second["Location"] == nobody["Location"]
    assert len(mailoutbox) == 1


def test_row_34_the_same_invitation_waits_for_the_cooldown_on_the_dashboard(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    _seller, owner = seller_with_owner()
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(reverse("sellers:member-invite"), {"email": "wang@example.cn"})
        again = client.post(reverse("sellers:member-invite"), {"email": "Wang@Example.cn"})
    assert first.status_code == 302
    assert again.status_code == 429
    assert "wang@example.cn" in again.content.decode()
    assert len(mailoutbox) == 1


def test_row_34_invitations_on_the_dashboard_are_limited_per_inviter(
    client, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.MAIL_LIMIT_INVITATIONS_PER_HOUR = 2
    _seller, owner = seller_with_owner()
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        codes = [
            client.post(
                reverse("sellers:member-invite"), {"email": f"colleague{n}@example.cn"}
            ).status_code
            for n in range(3)
        ]
    assert codes == [302, 302, 429]
    assert len(mailoutbox) == 2

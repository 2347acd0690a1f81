"""Accounts as a brand manager meets them: sign up, log in, log out, reset, lockout, invitations."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
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


def test_it_signs_up_logs_in_and_switches_to_the_chosen_language(client):
    response = client.post(reverse("sellers:signup"), signup_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("sellers:dashboard")
    user = User.objects.get()
    assert user.email == "manager@lanyue.example.cn"
    assert user.preferred_language == "zh-hans"
    assert user.check_password(NEW_PASSWORD)
    assert is_logged_in(client)
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    page = client.get(reverse("sellers:dashboard"))
    assert '<html lang="zh-hans">' in page.content.decode()


def test_it_returns_to_the_page_that_sent_the_user_to_sign_up(client):
    target = "/accounts/invitations/6f1e7c2a-58f4-4c55-9d4e-2f4f7a3b9c10/"
    response = client.post(reverse("sellers:signup"), signup_data(next=target))
    assert response["Location"] == target


def test_it_ignores_a_next_that_leaves_the_site(client):
    response = client.post(reverse("sellers:signup"), signup_data(next="https://evil.example/"))
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


def test_it_refuses_an_e_mail_that_already_has_an_account(client):
    UserFactory(email="manager@lanyue.example.cn")
    response = client.post(reverse("sellers:signup"), signup_data())
    assert response.status_code == 400
    assert "already exists" in response.content.decode()
    assert User.objects.count() == 1


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


def test_it_lets_an_invited_colleague_join_the_seller(client):
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

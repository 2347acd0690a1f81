"""RELIABILITY row 27: login brute force is locked per account and client address (also behind
a proxy), and one attacker cannot lock everyone out."""

import pytest
from django.test import Client

from tests.sellers.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def attempt(email: str, password: str, **meta: str):
    client = Client(**meta)
    response = client.post(LOGIN, {"username": email, "password": password})
    logged_in = "_auth_user_id" in client.session
    return response, logged_in


def fail_until_locked(email: str, **meta: str) -> None:
    from django.conf import settings

    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(email, "wrong-password", **meta)


def test_row_27_it_locks_an_account_for_the_address_that_guessed(settings):
    user = UserFactory()
    fail_until_locked(user.email, REMOTE_ADDR="203.0.113.5")
    response, logged_in = attempt(user.email, PASSWORD, REMOTE_ADDR="203.0.113.5")
    assert not logged_in
    assert response.status_code in (403, 429)


def test_row_27_it_counts_the_account_case_insensitively(settings):
    user = UserFactory(email="brand.manager@example.com")
    for variant in [
        "Brand.Manager@example.com",
        "BRAND.MANAGER@EXAMPLE.COM",
        "brand.manager@example.com",
    ]:
        for _ in range(2):
            attempt(variant, "wrong-password", REMOTE_ADDR="203.0.113.5")
    _, logged_in = attempt(user.email, PASSWORD, REMOTE_ADDR="203.0.113.5")
    assert not logged_in


def test_row_27_it_still_lets_the_owner_in_from_another_address():
    user = UserFactory()
    fail_until_locked(user.email, REMOTE_ADDR="203.0.113.5")
    _, logged_in = attempt(user.email, PASSWORD, REMOTE_ADDR="198.51.100.7")
    assert logged_in


def test_row_27_it_does_not_lock_other_accounts_from_the_attackers_address():
    victim, bystander = UserFactory(), UserFactory()
    fail_until_locked(victim.email, REMOTE_ADDR="203.0.113.5")
    _, logged_in = attempt(bystander.email, PASSWORD, REMOTE_ADDR="203.0.113.5")
    assert logged_in


def test_row_27_it_ignores_a_forged_forwarded_for_header_without_a_proxy(settings):
    """Directly exposed (no proxy configured), X-Forwarded-For is the attacker's own text:
    changing it on every attempt must not reset the count."""
    settings.AXES_IPWARE_PROXY_COUNT = 0
    user = UserFactory()
    for n in range(settings.AXES_FAILURE_LIMIT + 2):
        attempt(
            user.email,
            "wrong-password",
            REMOTE_ADDR="203.0.113.5",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n + 1}",
        )
    _, logged_in = attempt(
        user.email, PASSWORD, REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="192.0.2.200"
    )
    assert not logged_in


def test_row_27_it_uses_the_forwarded_address_behind_one_proxy(settings):
    settings.AXES_IPWARE_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    user = UserFactory()
    # The attacker forges the left part of the header; the proxy appends the real address.
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(
            user.email, "wrong-password", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.5", **proxy
        )
    _, attacker_in = attempt(
        user.email, PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.5", **proxy
    )
    assert not attacker_in
    # The real owner comes through the same proxy from another address and gets in.
    _, owner_in = attempt(user.email, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)
    assert owner_in


def test_row_27_it_locks_the_token_endpoint_too():
    user = UserFactory()
    client = Client(REMOTE_ADDR="203.0.113.5")
    for _ in range(10):
        client.post(
            "/api/v1/auth/token/",
            {"email": user.email, "password": "wrong-password"},
            content_type="application/json",
        )
    response = client.post(
        "/api/v1/auth/token/",
        {"email": user.email, "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code in (403, 429)
    assert "token" not in response.json()

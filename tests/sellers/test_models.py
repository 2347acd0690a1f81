"""The user model: a password set revokes every API token; staff made by hand count as confirmed."""

import pytest
from knox.models import AuthToken

from sellers.models import User
from tests.sellers.factories import UserFactory, api_token

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("how", ["set_password", "set_unusable_password"])
def test_row_31_any_password_set_revokes_every_api_token_of_the_user(how):
    user, colleague = UserFactory(), UserFactory()
    api_token(user)
    api_token(user)
    api_token(colleague)
    if how == "set_password":
        user.set_password("tashkent-silk-road-2026")
    else:
        user.set_unusable_password()
    user.save()
    assert not AuthToken.objects.filter(user=user).exists()
    assert AuthToken.objects.filter(user=colleague).count() == 1


def test_row_31_saving_without_a_new_password_keeps_the_tokens():
    user = UserFactory()
    api_token(user)
    user.full_name = "Li Wei"
    user.save()
    user.refresh_from_db()
    user.save()
    assert AuthToken.objects.filter(user=user).count() == 1


def test_row_32_a_new_user_starts_unconfirmed_and_a_superuser_confirmed():
    assert (
        User.objects.create_user(email="li@example.cn", password="x" * 12).email_verified_at is None
    )
    admin = User.objects.create_superuser(email="root@bozor.localhost", password="x" * 12)
    assert admin.email_verified_at is not None


def test_row_33_the_manager_stores_and_finds_one_spelling():
    user = User.objects.create_user(email="A@Bücher.example", password="x" * 12)
    assert user.email == "a@xn--bcher-kva.example"
    assert User.objects.get_by_natural_key("a@bu\u0308cher.EXAMPLE") == user

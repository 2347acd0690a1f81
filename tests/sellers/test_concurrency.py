"""RELIABILITY row 42: one new user's simultaneous `POST seller/` make one application."""

import threading

import pytest
from django.db import connection

from sellers.models import Membership, Seller
from tests.sellers.factories import UserFactory
from tests.sellers.test_api import API, api_for, application


@pytest.mark.postgres
@pytest.mark.parametrize("body", ["complete", "empty"])
def test_row_42_four_simultaneous_seller_posts_give_one_201_and_409s(transactional_db, body):
    user = UserFactory()
    data = application() if body == "complete" else {}
    clients = [api_for(user) for _ in range(4)]
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []
    errors: list[BaseException] = []

    def post(client) -> None:
        try:
            barrier.wait(timeout=10)
            statuses.append(client.post(f"{API}seller/", data, format="json").status_code)
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=post, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert sorted(statuses) == [201, 409, 409, 409]
    assert Membership.objects.filter(user=user).count() == 1
    assert Seller.objects.count() == 1

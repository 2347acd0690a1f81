"""RELIABILITY row 35: staff roles hold. A staff user without the review permission (one who
only loads sales data) reaches no application through the ops API, admin pages, admin actions,
exports or document downloads; a reviewer does, and an analyst still loads sales and edits
seasons.

The sweeps walk every ops route of the API and every admin route of the sellers app, so a
route added later is covered without touching this file.
"""

import importlib

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from sellers import permissions
from sellers.models import SellerStatus, User
from tests.security.conftest import SellerWorld, db_diff, db_state
from tests.security.routes import Route, all_routes, read
from tests.sellers.factories import UserFactory

pytestmark = pytest.mark.django_db

METHODS = ("get", "post", "put", "patch", "delete")
DECISION = {"reason": "Because the sweep says so.", "apply": "1"}


def staff_in(group_name: str) -> User:
    # The data migration made the groups; a flushed test database may have lost them since.
    permissions.staff_roles_sync()
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return User.objects.get(pk=user.pk)  # a fresh object: no cached permissions


def logged_in(user: User) -> Client:
    client = Client()
    client.raise_request_exception = False
    client.force_login(user)
    return client


def _ops_routes() -> list[Route]:
    return [r for r in all_routes() if r.route.startswith("api/v1/ops/")]


def _seller_admin_routes() -> list[Route]:
    return [r for r in all_routes() if r.route.startswith("admin/sellers/seller/")]


def _admin_path(route: Route, world: SellerWorld) -> str:
    values = {
        "object_id": world.seller.pk,
        "seller_id": world.seller.pk,
        "document_id": world.document.pk,
        "action": "suspend",
    }
    return route.build({name: values[name] for name in route.params})


def _leaks(world: SellerWorld, where: str, body: bytes, before: dict) -> list[str]:
    """What a refused request gave away: the application in the answer, or any change."""
    problems = []
    if any(marker.encode() in body for marker in world.markers):
        problems.append(f"{where}: shows the application")
    changes = db_diff(before, db_state())
    if changes:
        problems.append(f"{where}: changed {changes}")
    return problems


def test_row_35_the_migration_makes_the_reviewers_and_market_analysts_groups():
    Group.objects.all().delete()
    migration = importlib.import_module("sellers.migrations.0003_staff_roles")
    from django.apps import apps

    migration.forwards(apps, None)
    migration.forwards(apps, None)  # twice: nothing doubles
    groups = {
        group.name: {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        for group in Group.objects.prefetch_related("permissions__content_type")
    }
    assert set(groups) == {"Reviewers", "Market analysts"}
    assert {"sellers.change_seller", "sellers.view_document"} <= groups["Reviewers"]
    assert not any(name.startswith("insights.") for name in groups["Reviewers"])
    assert {"insights.add_sale", "insights.change_season"} <= groups["Market analysts"]
    assert not any(name.startswith("sellers.") for name in groups["Market analysts"])


def test_row_35_an_analyst_gets_403_or_404_from_every_ops_api_route(alpha: SellerWorld):
    alpha.seller.status = SellerStatus.SUBMITTED
    alpha.seller.save()
    client = logged_in(staff_in(permissions.MARKET_ANALYSTS))
    problems = []
    for route in _ops_routes():
        path = route.build({name: alpha.seller.pk for name in route.params})
        for method in METHODS:
            before = db_state()
            response = getattr(client, method)(path, DECISION, content_type="application/json")
            body = read(response)
            where = f"{method.upper()} {path}"
            if response.status_code not in (403, 404, 405):
                problems.append(f"{where}: {response.status_code}")
            problems += _leaks(alpha, where, body, before)
    assert not problems, "\n".join(problems)


def test_row_35_an_analyst_gets_403_from_every_admin_page_of_applications(alpha: SellerWorld):
    client = logged_in(staff_in(permissions.MARKET_ANALYSTS))
    problems = []
    for route in _seller_admin_routes():
        path = _admin_path(route, alpha)
        for method in ("get", "post"):
            before = db_state()
            response = getattr(client, method)(path, DECISION)
            body = read(response)
            where = f"{method.upper()} {path}"
            # The admin's old object URL only redirects to the change page, which refuses.
            to_change_page = response.get("Location", "").endswith(f"{path}change/")
            if response.status_code != 403 and not to_change_page:
                problems.append(f"{where}: {response.status_code}")
            problems += _leaks(alpha, where, body, before)
    assert not problems, "\n".join(problems)


def test_row_35_an_analyst_cannot_run_a_bulk_decision_from_the_admin_list(alpha: SellerWorld):
    client = logged_in(staff_in(permissions.MARKET_ANALYSTS))
    before = db_state()
    response = client.post(
        reverse("admin:sellers_seller_changelist"),
        {"action": "suspend", "_selected_action": [alpha.seller.pk], **DECISION},
    )
    assert response.status_code == 403
    assert not db_diff(before, db_state())


def test_row_35_a_staff_user_without_any_group_is_refused_like_an_analyst(alpha: SellerWorld):
    client = logged_in(UserFactory(is_staff=True))
    document = reverse("admin:sellers_seller_document_file", args=[alpha.document.pk])
    assert client.get(document).status_code == 403
    assert client.get("/api/v1/ops/sellers/").status_code in (403, 404)


def test_row_35_a_reviewer_lists_decides_and_reads_documents(alpha: SellerWorld):
    reviewer = staff_in(permissions.REVIEWERS)
    client = logged_in(reviewer)
    listed = client.get("/api/v1/ops/sellers/")
    assert listed.status_code == 200
    assert alpha.seller.uscc in listed.content.decode()
    assert (
        client.get(reverse("admin:sellers_seller_change", args=[alpha.seller.pk])).status_code
        == 200
    )
    document = client.get(reverse("admin:sellers_seller_document_file", args=[alpha.document.pk]))
    assert document.status_code == 200
    read(document)
    decided = client.post(
        f"/api/v1/ops/sellers/{alpha.seller.pk}/suspend/",
        {"reason": "Counterfeit complaint."},
        content_type="application/json",
    )
    assert decided.status_code == 200, decided.content
    alpha.seller.refresh_from_db()
    assert alpha.seller.status == SellerStatus.SUSPENDED


def test_row_35_a_reviewer_does_not_load_sales_data(alpha: SellerWorld):
    client = logged_in(staff_in(permissions.REVIEWERS))
    assert client.get(reverse("admin:insights_salesload_upload")).status_code == 403
    assert client.get(reverse("admin:insights_season_changelist")).status_code == 403


def test_row_35_an_analyst_loads_sales_data_and_edits_seasons(categories):
    client = logged_in(staff_in(permissions.MARKET_ANALYSTS))
    assert client.get(reverse("admin:insights_salesload_upload")).status_code == 200
    assert client.get(reverse("admin:insights_salesload_changelist")).status_code == 200
    assert client.get(reverse("admin:insights_season_add")).status_code == 200


def test_row_35_staff_who_may_only_look_see_no_decision_buttons(alpha: SellerWorld):
    alpha.seller.status = SellerStatus.SUBMITTED
    alpha.seller.save()
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_seller"))
    client = logged_in(User.objects.get(pk=user.pk))
    page = client.get(reverse("admin:sellers_seller_change", args=[alpha.seller.pk]))
    assert page.status_code == 200
    assert "/transition/" not in page.content.decode()
    assert client.get("/api/v1/ops/sellers/").status_code == 200
    decided = client.post(
        f"/api/v1/ops/sellers/{alpha.seller.pk}/approve/",
        {"reason": "Looks fine."},
        content_type="application/json",
    )
    assert decided.status_code == 403

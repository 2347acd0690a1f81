"""RELIABILITY rows 12 and 23: one seller never reaches another seller's objects.

Seller B tries every object route (API and pages, every method) with seller A's ids: the
answer must be exactly what a made-up id gets (404, or 405 when the route does not take the
method), nothing in the database changes, and no list or insights response shows A's rows.
"""

import itertools
import re
import uuid

import pytest
from django.test import Client

from tests.security.conftest import SellerWorld, db_diff, db_state
from tests.security.routes import Route, all_routes, is_public, read

pytestmark = pytest.mark.django_db

METHODS = ("get", "post", "put", "patch", "delete")
# What a hostile request would change if it reached the object: every editable field at once.
HOSTILE_BODY = {
    "title_uz": "Hacked",
    "title_ru": "Hacked",
    "stock": 0,
    "price_uzs": 1,
    "reason": "hacked",
    "mode": "commit",
    "state": "accepted",
    "legal_name": "Hacked",
    "email": "attacker@example.com",
    "kind": "business_license",
}

# Which of a seller's objects a route parameter names: by parameter name first, then by the
# path segment in front of it ("imports/<int:id>/" is an import job).
BY_NAME = {
    "sku": "sku",
    "group": "sku",  # a card: its group code, or the SKU of a card of one variant
    "job_id": "job",
    "import_id": "job",
    "document_id": "document",
    "product_id": "product",
    "seller_id": "seller",
    "brand_id": "brand",
    "token": "invitation",
    "invitation_id": "invitation",
    "membership_id": "membership",
    "member_id": "membership",
    "user_id": "user",
    "error_id": "row_error",
}
BY_SEGMENT = {
    "imports": "job",
    "import": "job",
    "jobs": "job",
    "documents": "document",
    "document": "document",
    "products": "sku",
    "product": "sku",
    "sellers": "seller",
    "seller": "seller",
    "brands": "brand",
    "invitations": "invitation",
    "invitation": "invitation",
    "invite": "invitation",
    "members": "membership",
    "memberships": "membership",
    "errors": "row_error",
}


def object_kind(route: Route, param: str) -> str | None:
    if param in BY_NAME:
        return BY_NAME[param]
    match = re.search(r"([\w-]+)/(?:<(?:\w+:)?" + param + ">|\\(\\?P<" + param + ">)", route.route)
    return BY_SEGMENT.get(match.group(1)) if match else None


def missing_value(kind: str) -> str:
    if kind == "sku":
        return "NO-SUCH-SKU-404"
    if kind == "invitation":
        return str(uuid.uuid4())
    return "987654321"


# Capability links: whoever holds the secret token in the link (an invitation e-mail) may
# open it, whichever seller they belong to; there is no id to guess.
CAPABILITY_PARAMS = {"token"}
# Parameters that pick a view of the user's own data, not an object: the sweep of lists
# tries each value.
# A category code names shared reference data (the same tree for every user), never a
# seller's object: swept like a view.
VIEW_PARAMS = {
    "chart": ["brands", "origins", "seasons", "hotspots", "positions"],
    "code": ["shoes.sneakers", "electronics.phones.smartphones", "shoes"],
}


def object_routes() -> list[Route]:
    return [
        r
        for r in all_routes()
        if r.params
        and not r.is_admin
        and not r.is_catch_all
        and not is_public("/" + r.route)
        and not CAPABILITY_PARAMS.intersection(r.params)
        and not set(r.params) <= set(VIEW_PARAMS)
    ]


def list_paths() -> list[tuple[Route, str]]:
    """Every page and endpoint that shows the user's own data without an object id."""
    found = []
    for r in all_routes():
        if r.is_admin or r.is_catch_all or is_public("/" + r.route):
            continue
        if not r.params:
            found.append((r, r.build({})))
        elif set(r.params) <= set(VIEW_PARAMS):
            for values in itertools.product(*(VIEW_PARAMS[p] for p in r.params)):
                found.append((r, r.build(dict(zip(r.params, values, strict=True)))))
    return found


def _request(client: Client, method: str, route: Route, path: str):
    if route.is_api and method in ("post", "put", "patch"):
        return getattr(client, method)(path, HOSTILE_BODY, content_type="application/json")
    if method == "post":
        return client.post(path, HOSTILE_BODY, headers={"HX-Request": "true"})
    return getattr(client, method)(path)


@pytest.fixture
def as_beta(beta: SellerWorld) -> Client:
    client = Client()
    client.raise_request_exception = False
    client.force_login(beta.user)
    return client


@pytest.fixture
def beta_token_client(beta: SellerWorld) -> Client:
    from tests.sellers.factories import api_token

    client = Client(headers={"Authorization": f"Token {api_token(beta.user)}"})
    client.raise_request_exception = False
    return client


def test_row_23_it_knows_which_object_every_route_parameter_names():
    unknown = [
        f"{r.route} <{p}>" for r in object_routes() for p in r.params if object_kind(r, p) is None
    ]
    assert not unknown, "teach tests/security/test_isolation.py what these name:\n" + "\n".join(
        unknown
    )


@pytest.mark.parametrize("auth", ["session", "token"])
def test_row_23_it_answers_another_sellers_ids_like_ids_that_do_not_exist(
    alpha: SellerWorld, beta: SellerWorld, as_beta: Client, beta_token_client: Client, auth
):
    ids = alpha.ids
    problems = []
    tried = 0
    for route in object_routes():
        if auth == "token" and not route.is_api:
            continue
        client = beta_token_client if auth == "token" else as_beta
        kinds = {p: object_kind(route, p) for p in route.params}
        if None in kinds.values():
            continue  # reported by the test above
        theirs = route.build({p: ids[k] for p, k in kinds.items()})
        nowhere = route.build({p: missing_value(k) for p, k in kinds.items()})
        for method in METHODS:
            before = db_state()
            answer = _request(client, method, route, theirs)
            changes = db_diff(before, db_state())
            control = _request(client, method, route, nowhere)
            tried += 1
            where = f"{method.upper()} {theirs} [{route.name}]"
            if changes:
                problems.append(f"{where} changed data: {changes}")
            if answer.status_code not in (403, 404, 405):
                problems.append(f"{where}: {answer.status_code} (expected 404)")
            elif answer.status_code != control.status_code:
                problems.append(
                    f"{where}: {answer.status_code} but {control.status_code} for an id that"
                    " does not exist (the difference tells that the object exists)"
                )
            body = read(answer).decode(errors="replace")
            read(control)
            leaked = [m for m in alpha.markers if m in body]
            if leaked:
                problems.append(f"{where} shows {leaked}")
    assert tried, "no object routes found"
    assert not problems, "\n".join(problems)


def test_row_23_it_never_lists_another_sellers_rows(alpha: SellerWorld, beta: SellerWorld, as_beta):
    from tests.sellers.factories import api_token

    token = api_token(beta.user)
    queries = [
        "",
        f"?q={alpha.product.sku}",
        f"?q={alpha.seller.legal_name}",
        f"?brand={alpha.brand.pk}",
        f"?brand={alpha.brand.name}",
        f"?seller={alpha.seller.pk}",
        f"?category={alpha.product.category.code}",
        "?format=csv",
        "?format=xlsx",
    ]
    clients = []
    for headers in ({}, {"HX-Request": "true"}, {"Authorization": f"Token {token}"}):
        client = Client(headers=headers)
        client.raise_request_exception = False
        if "Authorization" not in headers:
            client.force_login(beta.user)
        clients.append((headers, client))
    problems = []
    for _route, path in list_paths():
        for query in queries:
            for headers, client in clients:
                response = client.get(path + query)
                if response.status_code >= 500:
                    problems.append(f"GET {path}{query} {headers}: {response.status_code}")
                text = read(response).decode("utf-8", errors="replace")
                # A marker in the query itself may be echoed (a search box, a next link).
                leaked = [m for m in alpha.markers if m in text and m not in query]
                if leaked:
                    problems.append(f"GET {path}{query} {headers} shows {leaked}")
    assert not problems, "\n".join(problems)


def test_row_12_it_keeps_beta_to_its_own_products_when_both_use_the_same_sku(
    alpha: SellerWorld, beta: SellerWorld, beta_token_client: Client
):
    """Row 12: a SKU that another seller also uses is keyed by (seller, sku)."""
    from catalog.models import Product

    shared = Product.objects.get(pk=beta.product.pk)
    shared.sku = alpha.product.sku
    shared.save()
    response = beta_token_client.patch(
        f"/api/v1/products/{alpha.product.sku}/",
        {"stock": 99},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    alpha.product.refresh_from_db()
    shared.refresh_from_db()
    assert (alpha.product.stock, shared.stock) == (7, 99)


def test_row_23_it_keeps_sellers_out_of_the_admin_and_the_staff_api(
    alpha: SellerWorld, as_beta: Client
):
    """Staff-only routes: a brand manager gets the admin login page, or 403/404 from the staff
    API, whatever the id, and nothing changes."""
    problems = []
    for route in all_routes():
        staff_api = route.route.startswith("api/v1/ops/")
        if not (route.is_admin or staff_api) or is_public("/" + route.route):
            continue
        values = {p: alpha.ids["seller"] if p != "url" else "x/" for p in route.params}
        path = route.build(values)
        for method in ("get", "post"):
            before = db_state()
            response = _request(as_beta, method, route, path)
            read(response)
            if db_diff(before, db_state()):
                problems.append(f"{method.upper()} {path} changed data")
            if staff_api and response.status_code not in (403, 404):
                problems.append(f"{method.upper()} {path}: {response.status_code} (expected 404)")
            if route.is_admin and not (
                response.status_code == 302 and response["Location"].startswith("/admin/login/")
            ):
                problems.append(f"{method.upper()} {path}: {response.status_code}")
    assert not problems, "\n".join(problems)

"""Staff roles: the groups operations staff belong to and the model permissions each check needs."""

from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.contrib.auth.management import create_permissions

from sellers.models import User

REVIEWERS = "Reviewers"
MARKET_ANALYSTS = "Market analysts"

# What each part of the review needs: the permissions the admin's own pages check, so the ops
# API, admin actions and document downloads answer exactly as the change pages do.
VIEW_SELLERS = ("sellers.view_seller", "sellers.change_seller")
DECIDE = "sellers.change_seller"
READ_DOCUMENTS = ("sellers.view_document", "sellers.change_document")
REVIEW_DOCUMENTS = "sellers.change_document"
# The brand review queue (admin's brand change page, ops/brands/ API).
REVIEW_BRANDS = "sellers.change_brand"

# Each group's permissions ("app_label.codename"). A change here needs a data migration that
# calls staff_roles_sync again (as sellers 0003 does), so every database gets it.
STAFF_ROLES: dict[str, tuple[str, ...]] = {
    # Decide on applications and read and review their documents.
    REVIEWERS: (
        "sellers.view_seller",
        "sellers.change_seller",
        "sellers.view_brand",
        "sellers.change_brand",
        "sellers.view_membership",
        "sellers.view_statuschange",
        "sellers.view_document",
        "sellers.change_document",
    ),
    # Load and remove marketplace sales reports, correct market brands, edit seasons.
    MARKET_ANALYSTS: (
        "insights.add_sale",
        "insights.view_sale",
        "insights.view_salesload",
        "insights.delete_salesload",
        "insights.view_marketbrand",
        "insights.change_marketbrand",
        "insights.view_season",
        "insights.add_season",
        "insights.change_season",
        "insights.delete_season",
    ),
}


def _staff_has_any(user: User, permissions: tuple[str, ...] | str) -> bool:
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    wanted = (permissions,) if isinstance(permissions, str) else permissions
    return any(user.has_perm(permission) for permission in wanted)


def can_view_sellers(user: User) -> bool:
    """The user may list and open applications (admin's changelist and change page)."""
    return _staff_has_any(user, VIEW_SELLERS)


def can_decide(user: User) -> bool:
    """The user may approve, reject, request changes and suspend."""
    return _staff_has_any(user, DECIDE)


def can_read_documents(user: User) -> bool:
    """The user may download any seller's documents."""
    return _staff_has_any(user, READ_DOCUMENTS)


def can_review_documents(user: User) -> bool:
    """The user may accept or reject a document."""
    return _staff_has_any(user, REVIEW_DOCUMENTS)


def can_review_brands(user: User) -> bool:
    """The user may list, approve and reject brands."""
    return _staff_has_any(user, REVIEW_BRANDS)


def staff_roles_sync(apps: Apps = global_apps) -> None:
    """Create the groups of STAFF_ROLES with exactly their permissions (from a migration, with
    its historical `apps`, or live); running it again changes nothing."""
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for label in sorted({name.split(".")[0] for names in STAFF_ROLES.values() for name in names}):
        # On a new database the permissions appear only after the last migration: make them now.
        create_permissions(global_apps.get_app_config(label), verbosity=0, apps=apps)
    for group_name, names in STAFF_ROLES.items():
        group, _created = group_model.objects.get_or_create(name=group_name)
        permissions = []
        for name in names:
            app_label, codename = name.split(".")
            permissions.append(
                permission_model.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(permissions)

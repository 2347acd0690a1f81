"""Reads about sellers, always scoped to what the asking user may see."""

from sellers.models import Seller, User


def seller_for_user(*, user: User) -> Seller | None:
    """The seller the user belongs to, or None before the application exists."""
    membership = getattr(user, "membership", None) if user.is_authenticated else None
    return membership.seller if membership is not None else None

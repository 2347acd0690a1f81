"""Reads of the category characteristics."""

from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _

from catalog.models import AttributeOption, Category, CategoryAttribute


def category_attributes_list(*, code: str) -> list[CategoryAttribute]:
    """A category's attributes in position order, each with its attribute and the attribute's
    options in position order: three queries whatever the count. 404 for an unknown code; a
    parent category has none (products take leaves), so its list is empty."""
    category = Category.objects.filter(code=code).only("id", "is_leaf").first()
    if category is None:
        raise Http404(_("No category with this code."))
    if not category.is_leaf:
        return []
    options = AttributeOption.objects.order_by("position", "id")
    return list(
        CategoryAttribute.objects.filter(category=category)
        .select_related("attribute")
        .prefetch_related(Prefetch("attribute__options", queryset=options))
        .order_by("position", "id")
    )

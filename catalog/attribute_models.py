"""Category characteristics: attributes, their enum options, and which leaf category takes which.

Imported at the end of catalog/models.py (Django finds the models there); this module refers to
Category by its label, never by import, so the two modules do not import each other.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class AttributeType(models.TextChoices):
    TEXT = "text", _("Text")
    NUMBER = "number", _("Number")
    ENUM = "enum", _("List of values")
    BOOLEAN = "boolean", _("Yes or no")


def _localized(obj: object) -> str:
    """`name_<active language>`, English when there is none."""
    language = (get_language() or "en").split("-")[0]
    return getattr(obj, f"name_{language}", "") or getattr(obj, "name_en", "")


class Attribute(models.Model):
    """A characteristic a product can have (colour, memory, material), named in 4 languages."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_ru = models.CharField(_("name (Russian)"), max_length=100)
    name_uz = models.CharField(_("name (Uzbek)"), max_length=100)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    type = models.CharField(
        _("type"), max_length=10, choices=AttributeType.choices, default=AttributeType.TEXT
    )
    # Numbers only: what the value counts ("GB", "mAh", "W"); a file may repeat it after the value.
    unit = models.CharField(_("unit"), max_length=20, blank=True, default="")

    class Meta:
        verbose_name = _("attribute")
        verbose_name_plural = _("attributes")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(type__in=AttributeType.values), name="attribute_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(type=AttributeType.NUMBER) | Q(unit=""),
                name="attribute_unit_only_for_numbers",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.name})"

    @property
    def name(self) -> str:
        return _localized(self)

    def clean(self) -> None:
        if self.unit and self.type != AttributeType.NUMBER:
            raise ValidationError({"unit": _("Only a number has a unit.")})


class AttributeOption(models.Model):
    """One allowed value of an enum attribute; files may name it in any language, it is stored
    as its code."""

    attribute = models.ForeignKey(
        Attribute, on_delete=models.CASCADE, related_name="options", verbose_name=_("attribute")
    )
    code = models.SlugField(_("code"), max_length=50)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_ru = models.CharField(_("name (Russian)"), max_length=100)
    name_uz = models.CharField(_("name (Uzbek)"), max_length=100)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("attribute option")
        verbose_name_plural = _("attribute options")
        ordering = ["attribute", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["attribute", "code"], name="attribute_option_code_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.attribute_id}: {self.code}"

    @property
    def name(self) -> str:
        return _localized(self)


class CategoryAttribute(models.Model):
    """An attribute of a leaf category: whether a card must have it, whether its variants
    differ by it (colour, size)."""

    category = models.ForeignKey(
        "catalog.Category",
        on_delete=models.CASCADE,
        related_name="category_attributes",
        verbose_name=_("category"),
        limit_choices_to={"is_leaf": True},
    )
    attribute = models.ForeignKey(
        Attribute,
        on_delete=models.PROTECT,
        related_name="category_links",
        verbose_name=_("attribute"),
    )
    required = models.BooleanField(_("required"), default=False)
    variant_axis = models.BooleanField(_("variant axis"), default=False)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("category attribute")
        verbose_name_plural = _("category attributes")
        ordering = ["category", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "attribute"], name="category_attribute_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.category_id}: {self.attribute_id}"

    def clean(self) -> None:
        if self.category_id is not None and not self.category.is_leaf:
            raise ValidationError({"category": _("Only a leaf category has attributes.")})

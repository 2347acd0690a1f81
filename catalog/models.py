"""The category tree, products, import jobs and their row errors."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Category(models.Model):
    """A marketplace category; codes are dotted paths, so a prefix finds the descendants."""

    code = models.CharField(_("code"), max_length=100, unique=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    name_en = models.CharField(_("name (English)"), max_length=150)
    name_ru = models.CharField(_("name (Russian)"), max_length=150)
    name_uz = models.CharField(_("name (Uzbek)"), max_length=150)
    name_zh = models.CharField(_("name (Chinese)"), max_length=150)
    is_leaf = models.BooleanField(_("leaf"), default=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} ({self.name})"

    @property
    def name(self) -> str:
        """The name in the active language, English when there is none."""
        language = (get_language() or "en").split("-")[0]
        return getattr(self, f"name_{language}", "") or self.name_en

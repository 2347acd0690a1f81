"""Admin for the category characteristics: attributes with their options inline, and the leaf
categories' attributes as a list filtered by category, attribute, required and axis.

Not an inline on the category page: the category form would then need a formset's management
data on every save, which scripts and tests posting it today do not send. catalog/admin.py
imports this module at its end, which registers these admins."""

from typing import Any

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from catalog import tasks
from catalog.models import Attribute, AttributeOption, CategoryAttribute


class AttributeOptionInline(admin.TabularInline):
    model = AttributeOption
    fields = ("position", "code", "name_en", "name_ru", "name_uz", "name_zh")
    extra = 0
    ordering = ("position", "id")


@admin.register(Attribute)
class AttributeAdmin(admin.ModelAdmin):
    list_display = ("code", "localized_name", "type", "unit", "option_count")
    list_filter = ("type",)
    search_fields = ("code", "name_en", "name_ru", "name_uz", "name_zh")
    ordering = ("code",)
    fieldsets = (
        (None, {"fields": ("code", "type", "unit")}),
        (_("Names"), {"fields": ("name_en", "name_ru", "name_uz", "name_zh")}),
    )
    inlines = (AttributeOptionInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Attribute]:
        return super().get_queryset(request).annotate(option_total=Count("options"))

    @admin.display(description=_("name"))
    def localized_name(self, attribute: Attribute) -> str:
        return attribute.name

    @admin.display(description=_("options"), ordering="option_total")
    def option_count(self, attribute: Attribute) -> int:
        return attribute.option_total  # type: ignore[attr-defined]


@admin.register(CategoryAttribute)
class CategoryAttributeAdmin(admin.ModelAdmin):
    list_display = ("category", "attribute", "required", "variant_axis", "position")
    list_editable = ("required", "variant_axis", "position")
    list_filter = (
        "required",
        "variant_axis",
        ("attribute", admin.RelatedOnlyFieldListFilter),
        ("category", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("category", "attribute")
    search_fields = ("category__code", "attribute__code", "attribute__name_en")
    autocomplete_fields = ("category", "attribute")
    ordering = ("category__code", "position", "id")

    # A card's readiness depends on its category's required characteristics: check the
    # category's cards again in the background after a change.
    def save_model(
        self, request: HttpRequest, obj: CategoryAttribute, form: Any, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        if {"required", "variant_axis", "category", "attribute"} & set(form.changed_data):
            tasks.category_readiness_refresh_send(obj.category.code)

    def delete_model(self, request: HttpRequest, obj: CategoryAttribute) -> None:
        code = obj.category.code
        super().delete_model(request, obj)
        tasks.category_readiness_refresh_send(code)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[CategoryAttribute]) -> None:
        codes = set(queryset.values_list("category__code", flat=True))
        super().delete_queryset(request, queryset)
        for code in sorted(codes):
            tasks.category_readiness_refresh_send(code)

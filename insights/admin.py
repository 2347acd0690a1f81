"""Admin for insights: seasons (editable), market brands, sales loads (upload, delete), facts."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from insights.countries import COUNTRIES
from insights.models import MarketBrand, Sale, SalesLoad, Season
from insights.services import market_brand_update, sales_load, sales_load_delete, seasons_seed
from portal.admin import ReadOnlyAdminMixin


@admin.register(Season)
class SeasonAdmin(admin.ModelAdmin):
    list_display = ["year", "code", "localized_name", "start", "end"]
    list_display_links = ["code"]
    list_filter = ["year", "code"]
    search_fields = ["code", "name_en", "name_ru", "name_uz", "name_zh"]
    ordering = ["-year", "start"]
    actions = ["seed_next_year"]

    @admin.display(description=_("name"))
    def localized_name(self, season: Season) -> str:
        return season.name

    @admin.action(description=_("Add the default seasons of the following year"))
    def seed_next_year(self, request: HttpRequest, queryset: QuerySet[Season]) -> None:
        years = {season.year + 1 for season in queryset}
        created = sum(seasons_seed(year=year) for year in sorted(years))
        self.message_user(request, _("%(count)s seasons added.") % {"count": created})


class MarketBrandForm(forms.ModelForm):
    class Meta:
        model = MarketBrand
        fields = ["name", "origin_country", "brand"]

    def clean_origin_country(self) -> str:
        value = (self.cleaned_data.get("origin_country") or "").strip().upper()
        if value not in COUNTRIES:
            raise ValidationError(_("Use an ISO 3166 alpha-2 country code, e.g. CN."))
        return value


@admin.register(MarketBrand)
class MarketBrandAdmin(admin.ModelAdmin):
    form = MarketBrandForm
    list_display = ["name", "origin_country", "brand"]
    list_filter = ["origin_country"]
    search_fields = ["name"]
    raw_id_fields = ["brand"]
    list_select_related = ["brand"]

    def save_model(self, request: HttpRequest, obj: MarketBrand, form: Any, change: bool) -> None:
        if change:
            # Through the service: an origin change moves the brand's figures between origins.
            market_brand_update(
                market_brand=obj,
                origin_country=form.cleaned_data["origin_country"],
                brand=form.cleaned_data["brand"],
            )
        else:
            super().save_model(request, obj, form, change)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # facts refer to it; delete their load instead


class SalesUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Sales report"),
        help_text=_(
            "CSV or XLSX with the columns date, category, brand, brand_origin, units, "
            "revenue_uzs. A file already loaded is recognised and adds nothing; a file with "
            "any bad row loads nothing and lists the rows to fix."
        ),
    )


@admin.register(SalesLoad)
class SalesLoadAdmin(admin.ModelAdmin):
    list_display = [
        "filename",
        "loaded_at",
        "loaded_by",
        "rows",
        "brands_created",
        "first_date",
        "last_date",
        "revenue_uzs",
    ]
    readonly_fields = [f.name for f in SalesLoad._meta.fields]
    search_fields = ["filename", "sha256"]
    actions = ["delete_loads"]
    change_list_template = "insights/admin/salesload_change_list.html"

    def get_actions(
        self, request: HttpRequest, action_location: Any = admin.ActionLocation.CHANGE_LIST
    ) -> dict:
        actions = super().get_actions(request, action_location)
        actions.pop("delete_selected", None)  # would bypass the rollups: use delete_loads
        return actions

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # loads come from the upload page

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj: SalesLoad) -> None:
        sales_load_delete(load=obj)

    @admin.action(
        description=_("Delete the selected loads with their facts"), permissions=["delete"]
    )
    def delete_loads(self, request: HttpRequest, queryset: QuerySet[SalesLoad]) -> None:
        facts = 0
        loads = list(queryset)
        for load in loads:
            facts += sales_load_delete(load=load)
        self.message_user(
            request,
            ngettext(
                "%(loads)s load deleted with %(facts)s facts.",
                "%(loads)s loads deleted with %(facts)s facts.",
                len(loads),
            )
            % {"loads": len(loads), "facts": facts},
        )

    def get_urls(self) -> list:
        return [
            path(
                "upload/",
                self.admin_site.admin_view(self.upload_view),
                name="insights_salesload_upload",
            ),
            *super().get_urls(),
        ]

    def upload_view(self, request: HttpRequest) -> HttpResponse:
        """Staff upload a sales report; it is loaded at once through `sales_load`."""
        if not (request.user.is_staff and request.user.has_perm("insights.add_sale")):
            raise PermissionDenied
        result = None
        form = SalesUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            result = sales_load(file=upload, filename=upload.name, user=request.user)
            if result.status == "loaded":
                messages.success(
                    request,
                    _("Loaded %(rows)s sales rows from %(name)s.")
                    % {"rows": result.rows, "name": result.filename},
                )
                return HttpResponseRedirect(reverse("admin:insights_salesload_changelist"))
            if result.status == "already_loaded":
                messages.warning(
                    request,
                    _("This file was already loaded on %(at)s; nothing was added.")
                    % {"at": result.load.loaded_at if result.load else "?"},
                )
                return HttpResponseRedirect(reverse("admin:insights_salesload_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Load sales data"),
            "form": form,
            "result": result,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "insights/admin/salesload_upload.html", context)


@admin.register(Sale)
class SaleAdmin(ReadOnlyAdminMixin):
    list_display = ["date", "category", "market_brand", "units_grouped", "revenue", "load"]
    list_select_related = ["category", "market_brand", "load"]
    list_filter = ["date"]
    date_hierarchy = "date"
    show_full_result_count = False  # counting millions of facts on every page is slow
    raw_id_fields = ["category", "market_brand", "load"]

    # Grouped in the reader's language (USE_THOUSAND_SEPARATOR stays off, see settings).
    @admin.display(description=_("units"), ordering="units")
    def units_grouped(self, sale: Sale) -> str:
        return number_format(sale.units, 0, force_grouping=True)

    @admin.display(description=_("revenue (so'm)"), ordering="revenue_uzs")
    def revenue(self, sale: Sale) -> str:
        return number_format(sale.revenue_uzs, 0, force_grouping=True)

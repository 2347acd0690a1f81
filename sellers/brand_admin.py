"""The brand review queue in admin: pending brands first, approve and reject (with a reason).

Decisions go through sellers.brand_services, as from the ops API; the permission is the one
the brand's change page needs (sellers.change_brand, which Reviewers have)."""

from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.errors import ConflictError
from sellers import brand_selectors, brand_services
from sellers.models import Brand, BrandState, User


class BrandRejectForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text=gettext_lazy("The seller reads this in the e-mail and on the brands page."),
        max_length=brand_services.REASON_MAX_LENGTH,
    )


def _refusal(exc: Exception) -> str:
    return str(getattr(exc, "message", None) or " ".join(getattr(exc, "messages", [])) or str(exc))


def _decide_many(
    request: HttpRequest, brands: list[Brand], action: str, reason: str = ""
) -> tuple[list[Brand], list[str]]:
    """Apply one decision to each brand; a refused one is reported, the others go on."""
    done, refused = [], []
    by = cast(User, request.user)
    for brand in brands:
        try:
            if action == "approve":
                brand_services.brand_approve(brand=brand, by=by)
            else:
                brand_services.brand_reject(brand=brand, by=by, reason=reason)
        except (ConflictError, ValidationError, PermissionDenied) as exc:
            refused.append(f"{brand}: {_refusal(exc)}")
        else:
            done.append(brand)
    return done, refused


def _report(request: HttpRequest, action: str, done: list[Brand], refused: list[str]) -> None:
    if done:
        names = ", ".join(str(brand) for brand in done)
        if action == "approve":
            text = _("Approved %(count)d brand(s): %(names)s.")
        else:
            text = _("Rejected %(count)d brand(s): %(names)s.")
        messages.success(request, text % {"count": len(done), "names": names})
    for line in refused:
        messages.error(request, _("Not changed: %(detail)s") % {"detail": line})


@admin.register(Brand)
class BrandAdmin(admin.ModelAdmin):
    change_form_template = "admin/sellers/brand/change_form.html"
    list_display = (
        "name",
        "name_zh",
        "seller",
        "origin_country",
        "trademark_number",
        "state_badge",
        "document_link",
        "requested_at",
        "reviewed_at",
    )
    list_filter = ("state", "origin_country", "requested_at")
    list_select_related = ("seller", "document")
    search_fields = ("name", "name_zh", "trademark_number", "seller__legal_name", "seller__uscc")
    # The queue: pending brands first, the oldest request first.
    ordering = (brand_selectors.brand_queue_order().asc(), "requested_at", "pk")
    fields = (
        "seller",
        "name",
        "name_zh",
        "origin_country",
        "trademark_number",
        "document_link",
        "state",
        "reason",
        "requested_by",
        "requested_at",
        "reviewed_by",
        "reviewed_at",
    )
    # The review changes only through the decisions (recorded, mailed); staff may correct
    # a spelling.
    readonly_fields = (
        "seller",
        "document_link",
        "state",
        "reason",
        "requested_by",
        "requested_at",
        "reviewed_by",
        "reviewed_at",
    )
    actions = ["approve_selected", "reject_selected"]
    list_per_page = 50

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # sellers ask for brands; staff review them

    @admin.display(description=gettext_lazy("review"), ordering="state")
    def state_badge(self, brand: Brand) -> str:
        return format_html(
            '<span class="bozor-status bozor-status-{}">{}</span>',
            brand.state,
            brand.get_state_display().upper(),
        )

    @admin.display(description=gettext_lazy("trademark document"))
    def document_link(self, brand: Brand) -> str:
        if brand.document is None:
            return "—"
        url = reverse("admin:sellers_seller_document_file", args=[brand.document.pk])
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            url,
            brand.document.get_kind_display(),
        )

    # Decisions: one brand from its change page, many from the list.

    def get_urls(self) -> list[Any]:
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:brand_id>/review/<str:action>/",
                wrap(self.review_view),
                name="sellers_brand_review",
            ),
            *super().get_urls(),
        ]

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        brand = self.get_object(request, object_id)
        buttons = []
        if brand is not None and self.has_change_permission(request, brand):
            for action, label, state in (
                ("approve", _("Approve"), BrandState.APPROVED),
                ("reject", _("Reject"), BrandState.REJECTED),
            ):
                if brand.state != state:
                    url = reverse("admin:sellers_brand_review", args=[brand.pk, action])
                    buttons.append({"url": url, "label": label})
        extra_context = {**(extra_context or {}), "review_buttons": buttons}
        return super().change_view(request, object_id, form_url, extra_context)

    def review_view(self, request: HttpRequest, brand_id: int, action: str) -> HttpResponse:
        if action not in ("approve", "reject") or not self.has_change_permission(request):
            raise PermissionDenied
        brand = get_object_or_404(Brand.objects.select_related("seller", "document"), pk=brand_id)
        change_url = reverse("admin:sellers_brand_change", args=[brand.pk])
        form = BrandRejectForm(request.POST or None) if action == "reject" else None
        if request.method == "POST" and (form is None or form.is_valid()):
            reason = form.cleaned_data["reason"] if form is not None else ""
            done, refused = _decide_many(request, [brand], action, reason)
            _report(request, action, done, refused)
            return HttpResponseRedirect(change_url)
        return self._review_page(request, [brand], action, form, single=True)

    @admin.action(description=gettext_lazy("Approve selected brands"), permissions=["change"])
    def approve_selected(self, request: HttpRequest, queryset: QuerySet[Brand]) -> None:
        done, refused = _decide_many(request, list(queryset.order_by("pk")), "approve")
        _report(request, "approve", done, refused)

    @admin.action(
        description=gettext_lazy("Reject selected brands (with a reason)"), permissions=["change"]
    )
    def reject_selected(self, request: HttpRequest, queryset: QuerySet[Brand]) -> Any:
        form = BrandRejectForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            brands = list(queryset.order_by("pk"))
            done, refused = _decide_many(request, brands, "reject", form.cleaned_data["reason"])
            _report(request, "reject", done, refused)
            return None  # back to the list
        brands = list(queryset.select_related("seller").order_by("pk"))
        return self._review_page(request, brands, "reject", form, single=False)

    def _review_page(
        self,
        request: HttpRequest,
        brands: list[Brand],
        action: str,
        form: BrandRejectForm | None,
        *,
        single: bool,
    ) -> TemplateResponse:
        verb = _("Approve") if action == "approve" else _("Reject")
        title = (
            _("Approve the brand")
            if action == "approve"
            else _("Reject: give a reason the seller will read")
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "form": form,
            "verb": verb,
            "action": action,
            "single": single,
            "brands": brands,
            "action_name": f"{action}_selected",
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/sellers/brand/review.html", context)

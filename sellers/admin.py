"""Django admin for operations staff: users, and the review of seller applications."""

from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy
from import_export import fields as export_fields
from import_export import resources
from import_export.admin import ExportMixin

from portal.errors import ConflictError
from portal.tabular import escape_formula
from sellers import permissions, selectors, services
from sellers.document_admin import (
    DocumentReviewForm,
    DocumentsExpiringFilter,
    LicenceExpiringFilter,
    renewal_text,
)
from sellers.document_preview import document_preview_view
from sellers.files import document_file_response
from sellers.models import (
    SELLER_FIELDS,
    Brand,
    Document,
    Invitation,
    Membership,
    Seller,
    SellerStatus,
    StatusChange,
    User,
)
from sellers.validators import email_normalize, phone_normalize, stir_normalize, uscc_normalize

# Users. A password set here (the change-password form included) revokes the user's API
# tokens and other sessions like every other password set: see User.save.


class EmailUserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)

    def clean_email(self) -> str:
        return email_normalize(self.cleaned_data.get("email"))


class EmailUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    def clean_email(self) -> str:
        return email_normalize(self.cleaned_data.get("email"))


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = EmailUserChangeForm
    add_form = EmailUserCreationForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (gettext_lazy("Personal info"), {"fields": ("full_name", "preferred_language")}),
        (
            gettext_lazy("Permissions"),
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                )
            },
        ),
        (
            gettext_lazy("Important dates"),
            {"fields": ("last_login", "date_joined", "email_verified_at")},
        ),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "usable_password", "password1", "password2"),
            },
        ),
    )
    list_display = ("email", "full_name", "preferred_language", "is_staff", "is_active")
    list_filter = ("is_staff", "is_superuser", "is_active", "preferred_language")
    search_fields = ("email", "full_name")
    ordering = ("email",)
    readonly_fields = ("last_login", "date_joined")


# Seller export (CSV / XLSX), every text escaped against spreadsheet formulas


class SellerResource(resources.ModelResource):
    brands = export_fields.Field(attribute="brands", column_name="brands")

    class Meta:
        model = Seller
        fields = (
            "id",
            "status",
            *SELLER_FIELDS,
            "brands",
            "submitted_at",
            "created_at",
        )
        export_order = fields

    def dehydrate_brands(self, seller: Seller) -> str:
        return " | ".join(str(brand) for brand in seller.brands.all())

    def export_field(self, field: Any, instance: Any, **kwargs: Any) -> Any:
        value = super().export_field(field, instance, **kwargs)
        return escape_formula(value) if isinstance(value, str) else value

    def get_queryset(self) -> QuerySet[Seller]:
        return Seller.objects.prefetch_related("brands").order_by("pk")


# Seller review


class SellerAdminForm(forms.ModelForm):
    """Format-only USCC check: staff may save a real pilot code whose check character fails."""

    class Meta:
        model = Seller
        fields = SELLER_FIELDS

    def clean_uscc(self) -> str:
        code = uscc_normalize(self.cleaned_data.get("uscc"))
        services.uscc_check_unique(uscc=code, seller=self.instance)
        return code

    def clean_uz_entity_stir(self) -> str:
        return stir_normalize(self.cleaned_data.get("uz_entity_stir"))

    def clean_contact_phone(self) -> str:
        return phone_normalize(self.cleaned_data.get("contact_phone"))


class LabelledTabularInline(admin.TabularInline):
    """A tabular inline whose inputs carry their field name as aria-label.

    Tabular inlines show the label once in the column header, so without this a screen reader
    announces the inputs of each row unnamed (axe: label, select-name).
    """

    def formfield_for_dbfield(self, db_field: Any, request: Any, **kwargs: Any) -> Any:
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None:
            formfield.widget.attrs.setdefault("aria-label", str(db_field.verbose_name))
        return formfield

    def get_formset(self, request: Any, obj: Any = None, **kwargs: Any) -> Any:
        base = super().get_formset(request, obj, **kwargs)

        class LabelledFormSet(base):  # type: ignore[valid-type,misc]
            def add_fields(self, form: Any, index: Any) -> None:
                super().add_fields(form, index)
                if "DELETE" in form.fields:
                    form.fields["DELETE"].widget.attrs.setdefault("aria-label", _("Delete"))

        return LabelledFormSet


class BrandInline(LabelledTabularInline):
    model = Brand
    extra = 0
    fields = ("name", "name_zh", "origin_country", "trademark_number", "state")
    readonly_fields = ("state",)  # decided in the brand review queue (sellers.brand_admin)


class MembershipInline(LabelledTabularInline):
    model = Membership
    extra = 0
    fields = ("user", "role", "created_at")
    readonly_fields = ("created_at",)
    autocomplete_fields = ("user",)
    verbose_name_plural = gettext_lazy("members")


class DocumentInline(LabelledTabularInline):
    model = Document
    form = DocumentReviewForm
    extra = 0
    can_delete = False
    fields = (
        "kind",
        "file_link",
        "size",
        "expires_on",
        "licence_flag",
        "uploaded_at",
        "renewal",
        "review_state",
        "review_reason",
    )
    readonly_fields = (
        "kind",
        "file_link",
        "size",
        "expires_on",
        "licence_flag",
        "uploaded_at",
        "renewal",
    )

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # brand managers upload; staff review

    @admin.display(description=gettext_lazy("file"))
    def file_link(self, document: Document) -> str:
        url = reverse("admin:sellers_seller_document_file", args=[document.pk])
        return format_html(
            '<a href="{}" target="_blank" rel="noopener" title="{}">{}</a>',
            url,
            document.original_name,
            document.original_name,
        )

    @admin.display(description=gettext_lazy("expires within 60 days"), boolean=True)
    def licence_flag(self, document: Document) -> bool:
        return document.expires_soon

    @admin.display(description=gettext_lazy("renewal"))
    def renewal(self, document: Document) -> str:
        return renewal_text(document)


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    can_delete = False
    fields = ("at", "from_status", "to_status", "reason", "by")
    readonly_fields = fields
    ordering = ("at", "pk")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class TransitionForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text=gettext_lazy("The seller reads this in the e-mail and on the dashboard."),
        max_length=4000,
    )


# action name -> (target status, verb shown to staff)
TRANSITION_ACTIONS: dict[str, tuple[str, Any]] = {
    "approve": (SellerStatus.APPROVED, gettext_lazy("Approve")),
    "reject": (SellerStatus.REJECTED, gettext_lazy("Reject")),
    "request_changes": (SellerStatus.CHANGES_REQUESTED, gettext_lazy("Request changes")),
    "suspend": (SellerStatus.SUSPENDED, gettext_lazy("Suspend")),
}


def _transition_many(
    request: HttpRequest, sellers: QuerySet[Seller] | list[Seller], to_status: str, reason: str
) -> tuple[list[Seller], list[str]]:
    """Apply one decision to each seller; a refused one is reported, the others go on."""
    done, refused = [], []
    for seller in sellers:
        try:
            services.seller_transition(
                seller=seller, to_status=to_status, by=cast(User, request.user), reason=reason
            )
        except (ConflictError, ValidationError, PermissionDenied) as exc:
            message = (
                getattr(exc, "message", None) or " ".join(getattr(exc, "messages", [])) or str(exc)
            )
            refused.append(f"{seller}: {message}")
        else:
            done.append(seller)
    return done, refused


# What staff read after a decision, whole sentences with their plural forms. No full stop
# after the names: "… Ltd." must not end in "..".
DONE_MESSAGES: dict[str, Any] = {
    "approve": ngettext_lazy(
        "%(count)d application approved: %(names)s",
        "%(count)d applications approved: %(names)s",
        "count",
    ),
    "reject": ngettext_lazy(
        "%(count)d application rejected: %(names)s",
        "%(count)d applications rejected: %(names)s",
        "count",
    ),
    "request_changes": ngettext_lazy(
        "Changes requested for %(count)d application: %(names)s",
        "Changes requested for %(count)d applications: %(names)s",
        "count",
    ),
    "suspend": ngettext_lazy(
        "%(count)d seller suspended: %(names)s",
        "%(count)d sellers suspended: %(names)s",
        "count",
    ),
}


def _report(request: HttpRequest, action: str, done: list[Seller], refused: list[str]) -> None:
    if done:
        messages.success(
            request,
            DONE_MESSAGES[action] % {"count": len(done), "names": "; ".join(str(s) for s in done)},
        )
    for line in refused:
        messages.error(request, _("Not changed: %(detail)s") % {"detail": line})


# Descriptions of the bulk actions, whole sentences so each translates as one.
BULK_DESCRIPTIONS: dict[str, Any] = {
    "approve": gettext_lazy("Approve selected applications (with a reason)"),
    "reject": gettext_lazy("Reject selected applications (with a reason)"),
    "request_changes": gettext_lazy("Request changes to selected applications (with a reason)"),
    "suspend": gettext_lazy("Suspend selected sellers (with a reason)"),
}


def _make_bulk_action(name: str) -> Any:
    def action(modeladmin: "SellerAdmin", request: HttpRequest, queryset: QuerySet[Seller]) -> Any:
        return modeladmin.bulk_transition(request, queryset, name)

    action.__name__ = name
    return admin.action(
        description=BULK_DESCRIPTIONS[name],
        permissions=["change"],
    )(action)


@admin.register(Seller)
class SellerAdmin(ExportMixin, admin.ModelAdmin):
    form = SellerAdminForm
    resource_classes = [SellerResource]
    change_form_template = "admin/sellers/seller/change_form.html"
    list_display = (
        "display_name",
        "uscc",
        "status_badge",
        "brand_names",
        "submitted_at",
        "licence_expires_soon",
        "documents_expiring",
    )
    list_filter = ("status", LicenceExpiringFilter, DocumentsExpiringFilter, "submitted_at")
    search_fields = (
        "legal_name",
        "legal_name_zh",
        "uscc",
        "brands__name",
        "brands__name_zh",
        "contact_email",
    )
    ordering = ("-submitted_at", "-pk")
    readonly_fields = ("status", "submitted_at", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("status", "submitted_at", "created_at", "updated_at")}),
        (
            gettext_lazy("Chinese company"),
            {"fields": ("legal_name", "legal_name_zh", "uscc", "address")},
        ),
        (gettext_lazy("Uzbek selling entity"), {"fields": ("uz_entity_name", "uz_entity_stir")}),
        (
            gettext_lazy("Contact"),
            {"fields": ("contact_name", "contact_email", "contact_phone", "website")},
        ),
    )
    inlines = [BrandInline, MembershipInline, DocumentInline, StatusChangeInline]
    actions = [_make_bulk_action(name) for name in TRANSITION_ACTIONS]
    list_per_page = 50

    def get_queryset(self, request: HttpRequest) -> QuerySet[Seller]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                licence_expiring=selectors.licence_expiring_subquery(),
                documents_expiring=selectors.documents_expiring_subquery(),
            )
            .prefetch_related("brands")
        )

    @admin.display(description=gettext_lazy("seller"), ordering="legal_name")
    def display_name(self, seller: Seller) -> str:
        return str(seller)

    @admin.display(description=gettext_lazy("status"), ordering="status")
    def status_badge(self, seller: Seller) -> str:
        return format_html(
            '<span class="bozor-status bozor-status-{}">{}</span>',
            seller.status,
            seller.get_status_display().upper(),
        )

    @admin.display(description=gettext_lazy("brands"))
    def brand_names(self, seller: Seller) -> str:
        return ", ".join(brand.name for brand in seller.brands.all())

    @admin.display(
        description=gettext_lazy("licence expires soon"),
        boolean=True,
        ordering="licence_expiring",
    )
    def licence_expires_soon(self, seller: Seller) -> bool:
        if hasattr(seller, "licence_expiring"):
            return bool(seller.licence_expiring)
        return seller.licence_expires_soon

    @admin.display(
        description=gettext_lazy("documents expiring"),
        boolean=True,
        ordering="documents_expiring",
    )
    def documents_expiring(self, seller: Seller) -> bool:
        return bool(getattr(seller, "documents_expiring", False))

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not Document:
            return super().save_formset(request, form, formset, change)
        # Document reviews go through the service (the one place the rule lives). The admin's
        # change message reads what formset.save() would have recorded.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for document_form in formset.forms:
            if document_form.instance.pk and document_form.has_changed():
                services.document_review(
                    document=document_form.instance,
                    by=cast(User, request.user),
                    state=document_form.cleaned_data["review_state"],
                    reason=document_form.cleaned_data["review_reason"],
                )
                formset.changed_objects.append((document_form.instance, document_form.changed_data))
        return None

    # Transition pages: one seller from its change page, many from the list.

    def get_urls(self) -> list[Any]:
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:seller_id>/transition/<str:action>/",
                wrap(self.transition_view),
                name="sellers_seller_transition",
            ),
            path(
                "document/<int:document_id>/file/",
                wrap(self.document_file_view),
                name="sellers_seller_document_file",
            ),
            path(
                "document/<int:document_id>/preview/",
                wrap(document_preview_view),
                name="sellers_seller_document_preview",
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
        seller = self.get_object(request, object_id)
        allowed = services.TRANSITIONS.get(seller.status, frozenset()) if seller else frozenset()
        if not self.has_change_permission(request, seller):
            allowed = frozenset()  # a reviewer who may only look sees no decisions
        buttons = [
            {
                "url": reverse("admin:sellers_seller_transition", args=[seller.pk, name]),
                "label": verb,
                "name": name,
            }
            for name, (to_status, verb) in TRANSITION_ACTIONS.items()
            if seller is not None and to_status in allowed
        ]
        extra_context = {**(extra_context or {}), "transition_buttons": buttons}
        return super().change_view(request, object_id, form_url, extra_context)

    def transition_view(self, request: HttpRequest, seller_id: int, action: str) -> HttpResponse:
        if action not in TRANSITION_ACTIONS or not self.has_change_permission(request):
            raise PermissionDenied
        seller = get_object_or_404(Seller, pk=seller_id)
        to_status, verb = TRANSITION_ACTIONS[action]
        change_url = reverse("admin:sellers_seller_change", args=[seller.pk])
        form = TransitionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            done, refused = _transition_many(
                request, [seller], to_status, form.cleaned_data["reason"]
            )
            _report(request, action, done, refused)
            return HttpResponseRedirect(change_url)
        return self._transition_page(request, form, verb, [seller], action=action, single=True)

    def bulk_transition(self, request: HttpRequest, queryset: QuerySet[Seller], name: str) -> Any:
        to_status, verb = TRANSITION_ACTIONS[name]
        form = TransitionForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            done, refused = _transition_many(
                request, queryset.order_by("pk"), to_status, form.cleaned_data["reason"]
            )
            _report(request, name, done, refused)
            return None  # back to the list
        return self._transition_page(request, form, verb, list(queryset), action=name, single=False)

    def _transition_page(
        self,
        request: HttpRequest,
        form: TransitionForm,
        verb: Any,
        sellers: list[Seller],
        *,
        action: str,
        single: bool,
    ) -> TemplateResponse:
        allowed_from = {
            status
            for status, targets in services.TRANSITIONS.items()
            if TRANSITION_ACTIONS[action][0] in targets
        }
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("%(verb)s: give a reason") % {"verb": verb},
            "form": form,
            "verb": verb,
            "action": action,
            "single": single,
            "sellers": sellers,
            "not_allowed": [s for s in sellers if s.status not in allowed_from],
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/sellers/seller/transition.html", context)

    def document_file_view(self, request: HttpRequest, document_id: int) -> FileResponse:
        if not permissions.can_read_documents(cast(User, request.user)):
            raise PermissionDenied
        document = selectors.document_get_for_staff(user=cast(User, request.user), id=document_id)
        return document_file_response(document, as_attachment="download" in request.GET)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "seller", "invited_by", "created_at", "accepted_at")
    search_fields = ("email", "seller__legal_name")
    readonly_fields = ("token", "created_at", "accepted_at")
    list_select_related = ("seller", "invited_by")


# The brand review queue registers itself (a module of its own: this one is near its size cap).
from sellers import brand_admin  # noqa: E402, F401

"""Forms of the seller pages: they parse input and call the validators; services decide the rest."""

import re
from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, UsernameField
from django.db import models
from django.urls import reverse_lazy
from django.utils.text import capfirst
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _

from sellers import limits, validators
from sellers.models import MAX_BRANDS, Brand, DocumentKind, Seller, User

# The inline validation endpoint; every validated input posts to it as the user types.
VALIDATE_URL = reverse_lazy("sellers:application-validate")
VALIDATE_TRIGGER = "keyup changed delay:400ms, change"


def message_id(bound_field: forms.BoundField) -> str:
    """The id of the element under an input where its inline validation message goes."""
    return f"{bound_field.auto_id}-msg"


def _inline_validation(form: forms.Form, name: str) -> None:
    """Make an input validate itself as the user types (htmx attributes; no inline script)."""
    target = message_id(form[name])
    described_by = target
    if form.fields[name].help_text:
        described_by = f"{form[name].auto_id}_helptext {target}"
    form.fields[name].widget.attrs.update(
        {
            "hx-post": VALIDATE_URL,
            "hx-trigger": VALIDATE_TRIGGER,
            "hx-target": f"#{target}",
            "hx-swap": "innerHTML",
            "hx-sync": "this:replace",
            "aria-describedby": described_by,
        }
    )


def _model_label(model: type[models.Model], name: str) -> Any:
    return capfirst(getattr(model._meta.get_field(name), "verbose_name", name))


def _max_length(model: type[models.Model], name: str) -> int:
    return int(getattr(model._meta.get_field(name), "max_length", 0) or 0)


# ---------------------------------------------------------------------------------------------
# Accounts


def _password_field(label: Any, *, autocomplete: str = "new-password", **kwargs: Any) -> Any:
    return forms.CharField(
        label=label,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
        **kwargs,
    )


def _passwords_match(form: forms.Form, cleaned: dict[str, Any], name: str) -> bool:
    """The password typed twice (`<name>1`, `<name>2`) is the same; the second says otherwise."""
    first, second = cleaned.get(f"{name}1"), cleaned.get(f"{name}2")
    if first and second and first != second:
        form.add_error(f"{name}2", _("The two passwords are different. Type them again."))
        return False
    return True


class SignupForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password1 = _password_field(_("Password"))
    password2 = _password_field(
        _("Password again"), help_text=_("Type the same password again, to be sure.")
    )
    language = forms.ChoiceField(
        label=_("Preferred language"),
        # Each language in its own script, so a reader finds theirs whatever the page shows.
        choices=[
            (code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES
        ],
        help_text=_("The portal and our e-mails use this language."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # In the active language: what the configured password validators ask for.
        self.fields[
            "password1"
        ].help_text = password_validation.password_validators_help_text_html()
        codes = {code for code, _name in settings.LANGUAGES}
        current = get_language() or settings.LANGUAGE_CODE
        self.fields["language"].initial = current if current in codes else settings.LANGUAGE_CODE

    def clean_email(self) -> str:
        return validators.email_normalize(self.cleaned_data["email"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password1 = cleaned.get("password1")
        if _passwords_match(self, cleaned, "password") and password1:
            try:
                password_validation.validate_password(
                    password1, user=User(email=cleaned.get("email", ""))
                )
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


def login_username(request: Any, credentials: dict[str, Any] | None) -> str | None:
    """AXES_USERNAME_CALLABLE: the e-mail typed at login, normalised as accounts are.

    Logins find the account by any spelling of its address, so failures must count the same
    way, or `LI@x.cn` (or `a@bücher.example` for `a@xn--bcher-kva.example`) would be a fresh
    account to guess at. The login form and the API pass the e-mail as `username`; axes
    itself files it under the user model's USERNAME_FIELD (`email`).
    """
    values = credentials or {}
    raw = values.get("username") or values.get("email")
    if not raw and request is not None:
        data = getattr(request, "POST", None) or {}
        raw = data.get("username") or data.get("email")
    return validators.email_normalize(raw) if raw else None


class EmailAuthenticationForm(AuthenticationForm):
    """Log in with the e-mail address (the field keeps the name `username` that axes reads)."""

    username = UsernameField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )


class EmailPasswordResetForm(PasswordResetForm):
    """Django's reset form: the account found by any spelling of its address, and no second
    mail to it before the cooldown (silently: the page answers alike either way)."""

    def clean_email(self) -> str:
        return validators.email_normalize(self.cleaned_data["email"])

    def get_users(self, email: str) -> Any:
        candidates = User.objects.filter(
            email__iexact=validators.email_normalize(email), is_active=True
        )
        return (user for user in candidates if user.has_usable_password())

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        if not limits.recipient_wait(kind=limits.PASSWORD_RESET, recipient=to_email):
            super().send_mail(
                subject_template_name,
                email_template_name,
                context,
                from_email,
                to_email,
                html_email_template_name=html_email_template_name,
            )


class AccountPasswordForm(forms.Form):
    """The account page's password change; the service checks the current password."""

    old_password = _password_field(_("Current password"), autocomplete="current-password")
    new_password1 = _password_field(_("New password"))
    new_password2 = _password_field(
        _("New password again"),
        help_text=_(
            "Changing it signs you out everywhere else: other browsers and every API token."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[
            "new_password1"
        ].help_text = password_validation.password_validators_help_text_html()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _passwords_match(self, cleaned, "new_password")
        return cleaned


# ---------------------------------------------------------------------------------------------
# The seller application


def _seller_char(name: str, *, max_length: int | None = None, **kwargs: Any) -> forms.CharField:
    kwargs.setdefault("label", _model_label(Seller, name))
    return forms.CharField(
        max_length=max_length or _max_length(Seller, name),
        required=False,
        **kwargs,
    )


class SellerApplicationForm(forms.Form):
    """Every field may stay empty in a draft; submission says what is still missing."""

    SECTIONS = [
        (_("Chinese company"), ["legal_name", "legal_name_zh", "uscc", "address"]),
        (_("Uzbek selling entity"), ["uz_entity_name", "uz_entity_stir"]),
        (_("Contact"), ["contact_name", "contact_email", "contact_phone", "website"]),
    ]
    INLINE_VALIDATED = ["uscc", "uz_entity_stir", "contact_email", "contact_phone", "website"]

    legal_name = _seller_char(
        "legal_name", help_text=_("As printed on the business licence, in Latin letters.")
    )
    legal_name_zh = _seller_char(
        "legal_name_zh", help_text=_("As printed on the business licence (营业执照).")
    )
    uscc = _seller_char(
        "uscc",
        # Spaces are allowed while typing; they are removed before the check.
        max_length=36,
        help_text=_(
            "The 18-character unified social credit code (统一社会信用代码) on the business licence."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
    )
    address = forms.CharField(
        label=_model_label(Seller, "address"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    uz_entity_name = _seller_char(
        "uz_entity_name",
        label=_("Company name"),
        help_text=_(
            "Your own LLC in Uzbekistan or your authorised distributor there: the company "
            "that will trade on the marketplace."
        ),
    )
    uz_entity_stir = _seller_char(
        "uz_entity_stir",
        max_length=20,
        help_text=_("The selling entity's taxpayer number: 9 digits."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    contact_name = _seller_char("contact_name")
    contact_email = forms.EmailField(
        label=_model_label(Seller, "contact_email"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    contact_phone = _seller_char(
        "contact_phone",
        max_length=32,
        help_text=_("International format, for example +8613812345678 or +998901234567."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    website = forms.URLField(
        label=_model_label(Seller, "website"),
        required=False,
        max_length=200,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.INLINE_VALIDATED:
            _inline_validation(self, name)

    def clean_uscc(self) -> str:
        value = validators.uscc_normalize(self.cleaned_data.get("uscc"))
        if value:
            validators.validate_uscc(value)
        return value

    def clean_uz_entity_stir(self) -> str:
        value = validators.stir_normalize(self.cleaned_data.get("uz_entity_stir"))
        if value:
            validators.validate_stir(value)
        return value

    def clean_contact_phone(self) -> str:
        value = validators.phone_normalize(self.cleaned_data.get("contact_phone"))
        if value:
            validators.validate_phone_e164(value)
        return value

    def sections(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [(title, [self[name] for name in names]) for title, names in self.SECTIONS]

    @classmethod
    def initial_from(cls, seller: Seller | None) -> dict[str, Any]:
        if seller is None:
            return {}
        return {name: getattr(seller, name) for name in cls.base_fields}


class BrandForm(forms.Form):
    name = forms.CharField(label=_model_label(Brand, "name"), max_length=_max_length(Brand, "name"))
    name_zh = forms.CharField(
        label=_model_label(Brand, "name_zh"),
        max_length=_max_length(Brand, "name_zh"),
        required=False,
    )
    origin_country = forms.CharField(
        label=_model_label(Brand, "origin_country"),
        max_length=2,
        initial="CN",
        help_text=_("Two-letter code, for example CN."),
        widget=forms.TextInput(attrs={"size": 3, "autocapitalize": "characters"}),
    )
    trademark_number = forms.CharField(
        label=_model_label(Brand, "trademark_number"),
        max_length=_max_length(Brand, "trademark_number"),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _inline_validation(self, "origin_country")
        if "DELETE" in self.fields:
            self.fields["DELETE"].label = _("Remove this brand")
            self.fields["DELETE"].widget.attrs["data-brand-remove"] = ""

    def clean_origin_country(self) -> str:
        value = validators.country_normalize(self.cleaned_data.get("origin_country"))
        validators.validate_country_code(value)
        return value


class BaseBrandFormSet(forms.BaseFormSet):
    def brands(self) -> list[dict[str, Any]]:
        """The rows to keep, as the service takes them (empty and removed rows dropped)."""
        rows = []
        for form in self.forms:
            if not form.has_changed() and not form.initial:
                continue
            if self.can_delete and form.cleaned_data.get("DELETE"):
                continue
            data = dict(form.cleaned_data)
            data.pop("DELETE", None)
            if data:
                rows.append(data)
        return rows


BrandFormSet = forms.formset_factory(
    BrandForm,
    formset=BaseBrandFormSet,
    extra=0,
    can_delete=True,
    max_num=MAX_BRANDS,
    validate_max=True,
)
BRAND_PREFIX = "brands"
_BRAND_FIELD = re.compile(rf"^{BRAND_PREFIX}-(\d+)-(\w+)$")


def brand_formset(*, data: Any = None, seller: Seller | None = None) -> BaseBrandFormSet:
    initial = (
        [
            {
                "name": brand.name,
                "name_zh": brand.name_zh,
                "origin_country": brand.origin_country,
                "trademark_number": brand.trademark_number,
            }
            for brand in seller.brands.all()
        ]
        if seller is not None
        else []
    )
    formset = cast(BaseBrandFormSet, BrandFormSet(data=data, initial=initial, prefix=BRAND_PREFIX))
    if data is None and not initial:
        # A first visit shows one empty row to fill in.
        formset.extra = 1
    return formset


def inline_field_errors(*, name: str, data: Any) -> tuple[list[str], bool]:
    """Errors for one input of the application page, and whether there was a value to check.

    `name` is the input's name: an application field or a brand row's field
    (`brands-0-origin_country`). Unknown names give no errors and no value.
    """
    match = _BRAND_FIELD.match(name)
    if match:
        field = match.group(2)
        form: forms.Form = BrandForm(data=data, prefix=f"{BRAND_PREFIX}-{match.group(1)}")
    else:
        field = name
        form = SellerApplicationForm(data=data)
    if field not in form.fields or field == "DELETE":
        return [], False
    value = data.get(form.add_prefix(field), "")
    if not str(value).strip():
        return [], False
    return [str(message) for message in form.errors.get(field, [])], True


# ---------------------------------------------------------------------------------------------
# Documents and members


class DocumentUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=DocumentKind.choices)
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(
            attrs={"accept": "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"}
        ),
    )
    expires_on = forms.DateField(
        label=_("Expiry date"),
        required=False,
        help_text=_("For the business licence: the last day it is valid."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Colleague's e-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )

    def clean_email(self) -> str:
        return validators.email_normalize(self.cleaned_data["email"])

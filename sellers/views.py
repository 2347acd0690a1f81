"""HTML pages of the seller side: accounts, the application, documents and the dashboard.

Thin views: forms parse, services decide, selectors read. An HTMX request gets only the partial
it swaps (`"sellers/<page>.html#<partial>"`), a normal request the full page.
"""

from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django.views.i18n import set_language
from django_htmx.middleware import HtmxDetails

from portal.client_ip import client_ip
from portal.errors import ConflictError
from portal.htmx import is_partial, partial_or_page
from portal.uploads import upload_limit, upload_too_large
from sellers import limits, selectors, services
from sellers.files import document_file_response
from sellers.forms import (
    AccountPasswordForm,
    DocumentUploadForm,
    EmailAuthenticationForm,
    EmailPasswordResetForm,
    InviteForm,
    SellerApplicationForm,
    SignupForm,
    brand_formset,
    inline_field_errors,
)
from sellers.models import Invitation, MembershipRole, Seller, SellerStatus, User
from sellers.validators import email_normalize

ACCEPTED_DOCUMENT_TYPES = "PDF, JPEG, PNG"
# What the sign-up page remembers until the address is confirmed from this same browser: the
# address typed and where to go next. The same for a taken address as for a new one.
SIGNUP_SESSION_KEY = "sellers_signup"


class HtmxRequest(HttpRequest):
    htmx: HtmxDetails


class AuthenticatedRequest(HtmxRequest):
    """What a view behind login_required receives."""

    user: User


# ---------------------------------------------------------------------------------------------
# Helpers


def _remember_language(response: HttpResponse, language: str) -> None:
    """The same cookie Django's set_language view writes, so LocaleMiddleware picks it up."""
    codes = {code for code, _name in settings.LANGUAGES}
    if language not in codes:
        return
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _error_messages(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {field: list(msgs) for field, msgs in error.message_dict.items()}
    return {"__all__": list(error.messages)}


def _add_service_errors(form: Form, error: ValidationError) -> list[str]:
    """Put a service's errors on the form's fields; return those no field of the form owns."""
    leftover: list[str] = []
    for field, msgs in _error_messages(error).items():
        for message in msgs:
            if field in form.fields:
                form.add_error(field, message)
            elif field in ("__all__", None):
                form.add_error(None, message)
            else:
                leftover.append(message)
    return leftover


def _add_password_form_errors(form: Form, error: ValidationError, *, service_field: str) -> None:
    """A service's errors on a form that asks for the new password twice: the service's one
    password field is the form's first input (`password1`, `new_password1`)."""
    messages_by_field = _error_messages(error)
    for message in messages_by_field.pop(service_field, []):
        form.add_error(f"{service_field}1", message)
    for message in _add_service_errors(form, ValidationError(messages_by_field)):
        form.add_error(None, message)


def _reload_seller(user: User, seller: Seller | None) -> Seller | None:
    """After a rolled-back write: drop the cached membership and re-read the stored seller."""
    relation = User.membership.related  # type: ignore[attr-defined]
    if relation.is_cached(user):
        relation.delete_cached_value(user)
    if seller is not None:
        seller.refresh_from_db()
        return seller
    return selectors.seller_for_user(user=user)


def _is_owner(user: User) -> bool:
    membership = getattr(user, "membership", None)
    return membership is not None and membership.role == MembershipRole.OWNER


def _limit_reached(request: HttpRequest, refusal: limits.MailLimitReached) -> HttpResponse:
    """429 with the time to wait; it repeats nothing the visitor typed."""
    response = render(
        request, "sellers/limit_reached.html", {"message": refusal.message}, status=429
    )
    response["Retry-After"] = str(refusal.wait)
    return response


# ---------------------------------------------------------------------------------------------
# Accounts


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """Sign up; the answer is "check your e-mail" whether or not the address has an account.

    The new account is signed in when its address is confirmed from this browser.
    """
    if request.user.is_authenticated:
        return redirect(_safe_next(request, reverse("sellers:dashboard")))
    form = SignupForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.user_register(
                    email=form.cleaned_data["email"],
                    password=form.cleaned_data["password1"],
                    language=form.cleaned_data["language"],
                    client_ip=client_ip(request),
                )
            except services.EmailTaken:
                pass  # answered like a new account: only the owner's mailbox hears of it
            except limits.MailLimitReached as refusal:
                return _limit_reached(request, refusal)
            except ValidationError as error:
                _add_password_form_errors(form, error, service_field="password")
            if form.is_valid():
                request.session[SIGNUP_SESSION_KEY] = {
                    "email": form.cleaned_data["email"],
                    "next": _safe_next(request, ""),
                }
                response = redirect("sellers:signup-sent")
                _remember_language(response, form.cleaned_data["language"])
                return response
    context = {"form": form, "next": _safe_next(request, "")}
    return render(request, "sellers/signup.html", context, status=status)


@require_GET
def signup_sent(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(SIGNUP_SESSION_KEY) or {}
    return render(request, "sellers/signup_sent.html", {"email": pending.get("email", "")})


@require_http_methods(["GET", "POST"])
def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    """The page the confirmation mail links to. Opening it changes nothing (mail providers'
    link scanners open every link); its button confirms the address."""
    try:
        user = (
            services.email_verify(token=token)
            if request.method == "POST"
            else services.email_verification_user(token=token)
        )
    except ValidationError as error:
        context = {"errors": [m for msgs in _error_messages(error).values() for m in msgs]}
        return render(request, "sellers/verify_email.html", context, status=400)
    if request.method == "GET":
        return render(request, "sellers/verify_email.html", {"address": user.email})
    pending = request.session.get(SIGNUP_SESSION_KEY) or {}
    if not request.user.is_authenticated and pending.get("email") == user.email:
        # Confirmed from the browser that signed up: that is the new user, signed in now.
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        request.session.pop(SIGNUP_SESSION_KEY, None)
        messages.success(request, _("Your e-mail address is confirmed. Welcome to Bozor."))
        target = pending.get("next") or ""
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = reverse("sellers:dashboard")
        response = redirect(target)
        _remember_language(response, user.preferred_language)
        return response
    messages.success(request, _("Your e-mail address is confirmed."))
    if request.user.is_authenticated:
        return redirect("sellers:dashboard")
    return redirect(f"{reverse('sellers:login')}?next={reverse('sellers:dashboard')}")


@login_required
@require_POST
def verification_resend(request: AuthenticatedRequest) -> HttpResponse:
    try:
        services.email_verification_send(user=request.user)
    except limits.MailLimitReached as refusal:
        return _limit_reached(request, refusal)
    except ConflictError as error:
        messages.info(request, error.message)
    else:
        messages.success(
            request,
            _("We sent a new link to %(email)s. It may take a few minutes to arrive.")
            % {"email": request.user.email},
        )
    return redirect(_safe_next(request, reverse("sellers:dashboard")))


@login_required
@require_http_methods(["GET", "POST"])
def account(request: AuthenticatedRequest) -> HttpResponse:
    """The user's account: the address and its confirmation, and the password change."""
    form = AccountPasswordForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.user_password_change(
                    user=request.user,
                    old_password=form.cleaned_data["old_password"],
                    new_password=form.cleaned_data["new_password1"],
                )
            except ValidationError as error:
                _add_password_form_errors(form, error, service_field="new_password")
            else:
                # This browser stays signed in; every other session ends with the old hash.
                update_session_auth_hash(request, request.user)
                messages.success(
                    request,
                    _(
                        "Your password is changed. Other browsers and every API token are "
                        "signed out."
                    ),
                )
                return redirect("sellers:account")
    return render(request, "sellers/account.html", {"form": form}, status=status)


class LoginView(auth_views.LoginView):
    """Django's login with the e-mail address; the user's language is switched on."""

    template_name = "sellers/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        user = form.get_user()
        _remember_language(response, getattr(user, "preferred_language", ""))
        return response


class LogoutView(auth_views.LogoutView):
    """POST only (Django's default); the language cookie stays."""


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset, limited per client address; the answer says nothing about accounts."""

    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("sellers:password-reset-done")
    form_class = EmailPasswordResetForm

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            limits.sender_check(kind=limits.PASSWORD_RESET, sender=client_ip(self.request))
        except limits.MailLimitReached as refusal:
            return _limit_reached(self.request, refusal)
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("sellers:password-reset-complete")


def _invitation_for_user(user: User, token: UUID) -> Invitation:
    """The invitation behind a link, for the user it was sent to only; 404 for anyone else.

    A scoped read that belongs in sellers/selectors.py (not this helper's file to edit).
    """
    invitation = (
        Invitation.objects.select_related("seller", "invited_by")
        .filter(token=token, email__iexact=email_normalize(user.email))
        .first()
    )
    if invitation is None:
        raise Http404
    return invitation


@login_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request: AuthenticatedRequest, token: UUID) -> HttpResponse:
    """The page an invitation e-mail links to: join the inviting seller with one click."""
    invitation = _invitation_for_user(request.user, token)
    if invitation.accepted_at is not None:
        if selectors.seller_for_user(user=request.user) == invitation.seller:
            messages.info(request, _("You already accepted this invitation."))
            return redirect("sellers:dashboard")
        raise Http404
    context: dict[str, Any] = {"invitation": invitation}
    if request.method == "GET":
        return render(request, "sellers/invitation_detail.html", context)
    try:
        membership = services.invitation_accept(token=token, user=request.user)
    except ValidationError as error:
        context["errors"] = [m for msgs in _error_messages(error).values() for m in msgs]
        return render(request, "sellers/invitation_detail.html", context, status=400)
    except ConflictError as error:
        context["errors"] = [error.message]
        return render(request, "sellers/invitation_detail.html", context, status=409)
    except PermissionDenied as error:
        raise Http404 from error
    messages.success(request, _("You joined %(seller)s.") % {"seller": str(membership.seller)})
    return redirect("sellers:dashboard")


# ---------------------------------------------------------------------------------------------
# Dashboard and members


def _dashboard_context(request: AuthenticatedRequest, seller: Seller) -> dict[str, Any]:
    # seller_get_for_user prefetched brands, documents and the history (oldest first).
    history = list(reversed(seller.status_history.all()))
    # The reviewer's latest decision is news until the seller submits again.
    latest = history[0] if history else None
    return {
        "seller": seller,
        "checklist": selectors.seller_checklist(seller=seller),
        "history": history,
        "latest_decision": latest
        if latest and latest.to_status != SellerStatus.SUBMITTED
        else None,
        "members": seller.memberships.select_related("user").order_by("created_at", "pk"),
        "invitations": seller.invitations.filter(accepted_at__isnull=True).order_by("-created_at"),
        "is_owner": _is_owner(request.user),
        "invite_form": InviteForm(),
    }


@login_required
@require_GET
@vary_on_headers("HX-Request")
def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    if selectors.seller_for_user(user=request.user) is None:
        return render(request, "sellers/dashboard.html", {"seller": None})
    seller = selectors.seller_get_for_user(user=request.user)
    context = _dashboard_context(request, seller)
    return render(request, partial_or_page(request, "sellers/dashboard.html", "status"), context)


@login_required
@require_POST
def member_invite(request: AuthenticatedRequest) -> HttpResponse:
    seller = selectors.seller_get_for_user(user=request.user)
    form = InviteForm(request.POST)
    status = 200
    if form.is_valid():
        try:
            invitation = services.member_invite(
                seller=seller, by=request.user, email=form.cleaned_data["email"]
            )
        except ValidationError as error:
            for message in _add_service_errors(form, error):
                form.add_error(None, message)
            status = 400
        except (ConflictError, PermissionDenied) as error:
            form.add_error(None, str(getattr(error, "message", "") or error))
            status = 403 if isinstance(error, PermissionDenied) else 409
        except limits.MailLimitReached as refusal:
            form.add_error(None, refusal.message)
            status = 429
        else:
            notice = _("Invitation sent to %(email)s.") % {"email": invitation.email}
            if not is_partial(request):
                messages.success(request, notice)
                return redirect("sellers:dashboard")
            form = InviteForm()
            context = _dashboard_context(request, seller) | {"invite_form": form, "notice": notice}
            return render(request, "sellers/dashboard.html#members", context)
    else:
        status = 400
    context = _dashboard_context(request, seller) | {"invite_form": form}
    # htmx swaps only 2xx answers by default: the form with its errors is the answer.
    if is_partial(request):
        return render(request, "sellers/dashboard.html#members", context)
    return render(request, "sellers/dashboard.html", context, status=status)


# ---------------------------------------------------------------------------------------------
# The application


def _application_context(
    *,
    seller: Seller | None,
    form: SellerApplicationForm | None = None,
    formset: Any = None,
    errors: list[str] | None = None,
) -> dict[str, Any]:
    editable = seller is None or seller.is_editable
    if editable:
        form = form or SellerApplicationForm(initial=SellerApplicationForm.initial_from(seller))
        formset = formset or brand_formset(seller=seller)
    return {
        "seller": seller,
        "editable": editable,
        "form": form,
        "formset": formset,
        "errors": errors or [],
        "brands": list(seller.brands.all()) if seller is not None else [],
    }


@login_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def application(request: AuthenticatedRequest) -> HttpResponse:
    seller = selectors.seller_for_user(user=request.user)
    if request.method == "GET":
        return render(request, "sellers/seller_form.html", _application_context(seller=seller))

    form = SellerApplicationForm(request.POST)
    formset = brand_formset(data=request.POST, seller=seller)
    errors: list[str] = []
    if form.is_valid() and formset.is_valid():
        try:
            with transaction.atomic():
                if seller is None:
                    saved = services.seller_create(user=request.user, data=form.cleaned_data)
                else:
                    saved = services.seller_update(
                        seller=seller, user=request.user, data=form.cleaned_data
                    )
                services.brands_set(seller=saved, user=request.user, brands=formset.brands())
        except (ConflictError, ValidationError) as error:
            # Rolled back: forget anything cached from the attempt, show what is stored.
            seller = _reload_seller(request.user, seller)
            if isinstance(error, ConflictError):
                context = _application_context(seller=seller, errors=[error.message])
                return render(request, "sellers/seller_form.html", context, status=409)
            errors = _add_service_errors(form, error)
        else:
            if request.POST.get("action") == "submit":
                return _submit(request, saved)
            messages.success(request, _("Your application is saved."))
            return redirect("sellers:application")
    context = _application_context(seller=seller, form=form, formset=formset, errors=errors)
    # A locked application is shown read-only with its status, whatever was posted.
    status = 400 if context["editable"] else 409
    return render(request, "sellers/seller_form.html", context, status=status)


def _submit(request: AuthenticatedRequest, seller: Seller) -> HttpResponse:
    try:
        services.seller_submit(seller=seller, user=request.user)
    except ValidationError as error:
        missing = [m for msgs in _error_messages(error).values() for m in msgs]
        seller.refresh_from_db()
        context = _application_context(seller=seller) | {"submit_errors": missing}
        return render(request, "sellers/seller_form.html", context, status=400)
    except ConflictError as error:
        seller.refresh_from_db()
        context = _application_context(seller=seller, errors=[error.message])
        return render(request, "sellers/seller_form.html", context, status=409)
    messages.success(
        request,
        _(
            "Your application was submitted. We will tell you here and by e-mail when it is reviewed."
        ),
    )
    return redirect("sellers:dashboard")


@login_required
@require_POST
def application_submit(request: AuthenticatedRequest) -> HttpResponse:
    seller = selectors.seller_for_user(user=request.user)
    if seller is None:
        messages.error(request, _("Fill in and save your application first."))
        return redirect("sellers:application")
    return _submit(request, seller)


@login_required
@require_POST
def application_validate(request: AuthenticatedRequest) -> HttpResponse:
    """One input's inline validation: its translated errors, or an OK mark."""
    name = request.htmx.trigger_name or request.POST.get("_field") or request.GET.get("field", "")
    errors, checked = inline_field_errors(name=name, data=request.POST)
    return render(
        request,
        "sellers/seller_form.html#field-message",
        {"errors": errors, "checked": checked},
    )


# ---------------------------------------------------------------------------------------------
# Documents


def _documents_context(seller: Seller | None, form: DocumentUploadForm | None = None) -> dict:
    return {
        "seller": seller,
        "form": form or DocumentUploadForm(),
        "documents": list(seller.documents.select_related("uploaded_by")) if seller else [],
        "max_bytes": settings.DOCUMENT_MAX_BYTES,
        "accepted_types": ACCEPTED_DOCUMENT_TYPES,
    }


@login_required
@upload_limit(lambda: settings.DOCUMENT_MAX_BYTES)
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def documents(request: AuthenticatedRequest) -> HttpResponse:
    seller = selectors.seller_for_user(user=request.user)
    if request.method == "GET":
        page = partial_or_page(request, "sellers/document_list.html", "documents")
        return render(request, page, _documents_context(seller))

    if seller is None:
        messages.error(request, _("Save your application before uploading documents."))
        return redirect("sellers:application")
    # Reading the body runs the size limit; only then can upload_too_large() tell.
    form = DocumentUploadForm(request.POST, request.FILES)
    if upload_too_large(request):
        form = DocumentUploadForm(initial={"kind": request.POST.get("kind")})
        context = _documents_context(seller, form) | {
            "upload_error": _(
                "The file is larger than %(limit)s. Upload a smaller scan (PDF, JPEG or PNG)."
            )
            % {"limit": filesizeformat(settings.DOCUMENT_MAX_BYTES)}
        }
        return render(request, "sellers/document_list.html", context, status=413)

    status = 400
    if form.is_valid():
        try:
            document = services.document_upload(
                seller=seller,
                user=request.user,
                kind=form.cleaned_data["kind"],
                file=form.cleaned_data["file"],
                expires_on=form.cleaned_data["expires_on"],
            )
        except ValidationError as error:
            for message in _add_service_errors(form, error):
                form.add_error(None, message)
        except ConflictError as error:
            form.add_error(None, error.message)
            status = 409
        else:
            messages.success(
                request,
                _("%(kind)s uploaded. It will be reviewed with your application.")
                % {"kind": document.get_kind_display()},
            )
            return redirect("sellers:documents")
    return render(
        request, "sellers/document_list.html", _documents_context(seller, form), status=status
    )


@login_required
@require_POST
def document_delete(request: AuthenticatedRequest, id: int) -> HttpResponse:
    """Remove a document from an editable application (to replace a wrong or blurry scan)."""
    seller = selectors.seller_for_user(user=request.user)
    if seller is None:
        raise Http404
    document = selectors.document_get(seller=seller, id=id)
    name = document.original_name
    error = None
    try:
        services.document_delete(seller=seller, user=request.user, document=document)
    except (ConflictError, PermissionDenied) as refusal:
        error = str(getattr(refusal, "message", "") or refusal)
    notice = "" if error else _("%(name)s was removed.") % {"name": name}
    if is_partial(request):
        context = _documents_context(seller) | {"notice": notice, "list_error": error}
        return render(request, "sellers/document_list.html#documents", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, notice)
    return redirect("sellers:documents")


@login_required
@require_GET
def document_file(request: AuthenticatedRequest, id: int) -> FileResponse:
    """The stored file, for members of its seller only (404 for anyone else)."""
    seller = selectors.seller_for_user(user=request.user)
    if seller is None:
        raise Http404
    return document_file_response(selectors.document_get(seller=seller, id=id))


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """Django's set_language, and the choice is remembered on the signed-in user."""
    response = set_language(request)
    if request.user.is_authenticated:
        services.user_language_set(user=request.user, language=request.POST.get("language", ""))
    return response

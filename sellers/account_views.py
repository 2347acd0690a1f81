"""HTML pages of accounts: sign-up, confirming the address, log in and out, the password,
the language."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.i18n import set_language

from portal.client_ip import client_ip
from portal.errors import ConflictError
from sellers import accounts, limits
from sellers.forms import (
    AccountPasswordForm,
    EmailAuthenticationForm,
    EmailPasswordResetForm,
    SignupForm,
)
from sellers.views import AuthenticatedRequest, _add_service_errors, _error_messages

# What the sign-up page remembers until the address is confirmed from this same browser: the
# address typed and where to go next. The same for a taken address as for a new one.
SIGNUP_SESSION_KEY = "sellers_signup"


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


def _add_password_form_errors(form: Form, error: ValidationError, *, service_field: str) -> None:
    """A service's errors on a form that asks for the new password twice: the service's one
    password field is the form's first input (`password1`, `new_password1`)."""
    messages_by_field = _error_messages(error)
    for message in messages_by_field.pop(service_field, []):
        form.add_error(f"{service_field}1", message)
    for message in _add_service_errors(form, ValidationError(messages_by_field)):
        form.add_error(None, message)


def _limit_reached(request: HttpRequest, refusal: limits.MailLimitReached) -> HttpResponse:
    """429 with the time to wait; it repeats nothing the visitor typed."""
    response = render(
        request, "sellers/limit_reached.html", {"message": refusal.message}, status=429
    )
    response["Retry-After"] = str(refusal.wait)
    return response


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
                accounts.user_register(
                    email=form.cleaned_data["email"],
                    password=form.cleaned_data["password1"],
                    language=form.cleaned_data["language"],
                    client_ip=client_ip(request),
                )
            except accounts.EmailTaken:
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
            accounts.email_verify(token=token)
            if request.method == "POST"
            else accounts.email_verification_user(token=token)
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
        accounts.email_verification_send(user=request.user)
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
                accounts.user_password_change(
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


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """Django's set_language, and the choice is remembered on the signed-in user."""
    response = set_language(request)
    if request.user.is_authenticated:
        accounts.user_language_set(user=request.user, language=request.POST.get("language", ""))
    return response

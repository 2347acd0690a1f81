"""HTML pages: accounts, the seller application, documents, the dashboard."""

from django.contrib.auth import views as auth_views
from django.urls import path

from sellers import account_views, brand_views, views

app_name = "sellers"
urlpatterns = [
    path("accounts/signup/", account_views.signup, name="signup"),
    path("accounts/signup/sent/", account_views.signup_sent, name="signup-sent"),
    path("accounts/verify/<str:token>/", account_views.verify_email, name="verify-email"),
    path("accounts/account/", account_views.account, name="account"),
    path(
        "accounts/account/verification/",
        account_views.verification_resend,
        name="verification-resend",
    ),
    path("accounts/login/", account_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", account_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password-reset/", account_views.PasswordResetView.as_view(), name="password-reset"
    ),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="registration/password_reset_done.html"
        ),
        name="password-reset-done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        account_views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="registration/password_reset_complete.html"
        ),
        name="password-reset-complete",
    ),
    path(
        "accounts/invitations/<uuid:token>/",
        views.invitation_accept,
        name="invitation-accept",
    ),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/members/invite/", views.member_invite, name="member-invite"),
    path("application/", views.application, name="application"),
    path("application/validate/", views.application_validate, name="application-validate"),
    path("application/submit/", views.application_submit, name="application-submit"),
    path("brands/", brand_views.brand_list, name="brand-list"),
    path("brands/new/", brand_views.brand_add, name="brand-add"),
    path("documents/", views.documents, name="documents"),
    path("documents/<int:id>/file/", views.document_file, name="document-file"),
    path("documents/<int:id>/delete/", views.document_delete, name="document-delete"),
]

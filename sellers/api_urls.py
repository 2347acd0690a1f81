"""API v1 routes of this app (included under /api/v1/)."""

from django.urls import path

from sellers import api, auth_api, brand_api, document_api

urlpatterns = [
    path("auth/register/", auth_api.RegisterView.as_view(), name="api-register"),
    path("auth/token/", auth_api.TokenView.as_view(), name="api-token"),
    path("auth/password/", auth_api.PasswordView.as_view(), name="api-password"),
    path("auth/logout/", auth_api.LogoutView.as_view(), name="api-logout"),
    path("auth/verify/", auth_api.VerifyView.as_view(), name="api-verify"),
    path("auth/verify/resend/", auth_api.VerifyResendView.as_view(), name="api-verify-resend"),
    path("seller/", api.SellerView.as_view(), name="api-seller"),
    path("seller/submit/", api.SellerSubmitView.as_view(), name="api-seller-submit"),
    path("seller/documents/", api.DocumentUploadView.as_view(), name="api-document-upload"),
    path("seller/documents/<int:id>/", api.DocumentDetailView.as_view(), name="api-document"),
    path(
        "seller/documents/<int:id>/file/",
        api.DocumentFileView.as_view(),
        name="api-document-file",
    ),
    path("seller/invitations/", api.InvitationCreateView.as_view(), name="api-invitation-create"),
    path("seller/brands/", brand_api.SellerBrandListView.as_view(), name="api-brand-list"),
    path("seller/brands/<int:id>/", brand_api.SellerBrandDetailView.as_view(), name="api-brand"),
    path("ops/brands/", brand_api.OpsBrandListView.as_view(), name="api-ops-brand-list"),
    path(
        "ops/brands/<int:id>/approve/",
        brand_api.OpsBrandApproveView.as_view(),
        name="api-ops-brand-approve",
    ),
    path(
        "ops/brands/<int:id>/reject/",
        brand_api.OpsBrandRejectView.as_view(),
        name="api-ops-brand-reject",
    ),
    path(
        "invitations/<str:token>/accept/",
        api.InvitationAcceptView.as_view(),
        name="api-invitation-accept",
    ),
    path("ops/sellers/", api.OpsSellerListView.as_view(), name="api-ops-seller-list"),
    path(
        "ops/documents/", document_api.OpsDocumentListView.as_view(), name="api-ops-document-list"
    ),
    path(
        "ops/documents/<int:id>/accept/",
        document_api.OpsDocumentAcceptView.as_view(),
        name="api-ops-document-accept",
    ),
    path(
        "ops/documents/<int:id>/reject/",
        document_api.OpsDocumentRejectView.as_view(),
        name="api-ops-document-reject",
    ),
    path(
        "ops/sellers/<int:id>/approve/",
        api.OpsSellerApproveView.as_view(),
        name="api-ops-seller-approve",
    ),
    path(
        "ops/sellers/<int:id>/reject/",
        api.OpsSellerRejectView.as_view(),
        name="api-ops-seller-reject",
    ),
    path(
        "ops/sellers/<int:id>/request-changes/",
        api.OpsSellerRequestChangesView.as_view(),
        name="api-ops-seller-request-changes",
    ),
    path(
        "ops/sellers/<int:id>/suspend/",
        api.OpsSellerSuspendView.as_view(),
        name="api-ops-seller-suspend",
    ),
]

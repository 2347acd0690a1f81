"""Sellers API v1 for accounts: sign-up, tokens, the password, confirming the address."""

from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate, logout, update_session_auth_hash
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from knox.models import AuthToken
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from portal.client_ip import client_ip
from sellers import accounts
from sellers.api import TOO_MANY, UNAUTHENTICATED, VALIDATION_ERROR, DetailSerializer, _user
from sellers.lockout import LOCKED_OUT_STATUS, lockout_message

# Serializers: shapes only; every rule lives in sellers.accounts.


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)


class CredentialsSerializer(serializers.Serializer):
    email = serializers.CharField(max_length=254)
    password = serializers.CharField(max_length=128, trim_whitespace=False, write_only=True)


class RegisterSerializer(CredentialsSerializer):
    language = serializers.ChoiceField(
        choices=[code for code, _name in settings.LANGUAGES],
        required=False,
        help_text="Language of the e-mails the user receives (defaults to the request's).",
    )


class PasswordChangeSerializer(serializers.Serializer):
    old_password = serializers.CharField(max_length=128, trim_whitespace=False, write_only=True)
    new_password = serializers.CharField(max_length=128, trim_whitespace=False, write_only=True)


class VerifySerializer(serializers.Serializer):
    token = serializers.CharField(
        max_length=512, help_text="The last part of the mailed link /accounts/verify/<token>/."
    )


class AuthView(APIView):
    """Sign-up and token: open to anyone, no session (so no CSRF), throttled per address."""

    authentication_classes: Any = []
    permission_classes: Any = [AllowAny]
    throttle_classes: Any = [ScopedRateThrottle]
    throttle_scope = "auth"


class RegisterView(AuthView):
    @extend_schema(
        tags=["auth"],
        summary="Create an account and get its API token",
        description="A link that confirms the address is mailed; until it is confirmed "
        "(auth/verify/), the application cannot be submitted and nobody invited (409).",
        request=RegisterSerializer,
        responses={201: TokenSerializer, 400: VALIDATION_ERROR, 429: TOO_MANY},
    )
    def post(self, request: Request) -> Response:
        payload = RegisterSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        user = accounts.user_register(
            email=payload.validated_data["email"],
            password=payload.validated_data["password"],
            language=payload.validated_data.get("language") or get_language() or "en",
            client_ip=client_ip(request._request),
        )
        token = accounts.user_token(user=user)
        return Response({"token": token}, status=status.HTTP_201_CREATED)


class TokenView(AuthView):
    @extend_schema(
        tags=["auth"],
        summary="Exchange e-mail and password for the API token",
        request=CredentialsSerializer,
        responses={
            200: TokenSerializer,
            400: VALIDATION_ERROR,
            429: OpenApiResponse(
                DetailSerializer, description="Too many requests, or locked after failed attempts."
            ),
        },
    )
    def post(self, request: Request) -> Response:
        payload = CredentialsSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        django_request = request._request
        # `username` is what django-axes counts failures by (per account and address).
        user = authenticate(
            django_request,
            username=payload.validated_data["email"].strip(),
            password=payload.validated_data["password"],
        )
        if getattr(django_request, "axes_locked_out", False):
            return Response({"detail": lockout_message(django_request)}, status=LOCKED_OUT_STATUS)
        if user is None or not user.is_active:
            return Response(
                {"non_field_errors": [_("The e-mail address or the password is wrong.")]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response({"token": accounts.user_token(user=user)})


class VerifyView(AuthView):
    @extend_schema(
        tags=["auth"],
        summary="Confirm the e-mail address with the token of the mailed link",
        request=VerifySerializer,
        responses={200: DetailSerializer, 400: VALIDATION_ERROR, 429: TOO_MANY},
    )
    def post(self, request: Request) -> Response:
        payload = VerifySerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        accounts.email_verify(token=payload.validated_data["token"])
        return Response({"detail": _("Your e-mail address is confirmed.")})


class SignedInAuthView(APIView):
    """Account routes for a signed-in caller, throttled like sign-up and token."""

    throttle_classes: Any = [ScopedRateThrottle]
    throttle_scope = "auth"


class VerifyResendView(SignedInAuthView):
    @extend_schema(
        tags=["auth"],
        summary="Mail the link that confirms the address again",
        request=None,
        responses={
            200: DetailSerializer,
            401: UNAUTHENTICATED,
            409: OpenApiResponse(DetailSerializer, description="The address is confirmed."),
            429: TOO_MANY,
        },
    )
    def post(self, request: Request) -> Response:
        user = _user(request)
        accounts.email_verification_send(user=user)
        return Response({"detail": _("We sent a new link to %(email)s.") % {"email": user.email}})


class PasswordView(SignedInAuthView):
    @extend_schema(
        tags=["auth"],
        summary="Change the password; every earlier token and session of the user is revoked",
        request=PasswordChangeSerializer,
        responses={200: TokenSerializer, 400: VALIDATION_ERROR, 401: UNAUTHENTICATED},
    )
    def post(self, request: Request) -> Response:
        payload = PasswordChangeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        user = _user(request)
        accounts.user_password_change(
            user=user,
            old_password=payload.validated_data["old_password"],
            new_password=payload.validated_data["new_password"],
        )
        if request.auth is None:  # a web page's session: it stays, the others end
            update_session_auth_hash(request._request, user)
        return Response({"token": accounts.user_token(user=user)})


class LogoutView(APIView):
    @extend_schema(
        tags=["auth"],
        summary="Revoke the token of this request (a session is ended instead)",
        request=None,
        responses={204: None, 401: UNAUTHENTICATED},
    )
    def post(self, request: Request) -> Response:
        if isinstance(request.auth, AuthToken):
            accounts.user_token_revoke(token=request.auth)
        else:
            logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)

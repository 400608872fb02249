"""/api/v1/auth/token/: sign in for a token (POST), revoke it (DELETE).

Tokens are django-rest-knox's: stored only as a hash, one per sign-in (so revoking
one integration's token leaves the others working), and valid for API_TOKEN_HOURS.
Wrong passwords count towards the sign-in lock-out (config/signin.py) like the
login page's.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from drf_spectacular.utils import OpenApiResponse, extend_schema
from knox.models import AuthToken
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.signin import LOCKED_CODE, locked_message
from config.token_auth import ExpiringTokenAuthentication


class SignInInput(serializers.Serializer[None]):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)


class TokenOutput(serializers.Serializer[None]):
    token = serializers.CharField()
    expiry = serializers.DateTimeField()


class TokenView(APIView):
    authentication_classes = [ExpiringTokenAuthentication]

    def get_permissions(self) -> list[object]:  # type: ignore[override]
        if self.request.method == "POST":
            return [AllowAny()]
        return [IsAuthenticated()]

    @extend_schema(
        request=SignInInput,
        responses={
            200: TokenOutput,
            429: OpenApiResponse(description="Too many wrong passwords: sign-in is paused."),
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        given = SignInInput(data=request.data)
        given.is_valid(raise_exception=True)
        # The plain Django request, so that the lock-out guard sees (and marks) this one.
        http_request = request._request
        user = authenticate(
            http_request,
            username=given.validated_data["username"],
            password=given.validated_data["password"],
        )
        if getattr(http_request, "axes_locked_out", False):
            return Response(
                {"code": LOCKED_CODE, "detail": locked_message()},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
            )
        if user is None or not user.is_active:
            return Response(
                {
                    "code": "sign_in_failed",
                    "detail": "That username and password do not match an active account.",
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        # As a page sign-in does: the lock-out's count starts again, last_login is set.
        user_logged_in.send(sender=type(user), request=http_request, user=user)
        token, key = AuthToken.objects.create(
            user=user, expiry=timedelta(hours=settings.API_TOKEN_HOURS)
        )
        return Response(
            {"token": key, "expiry": serializers.DateTimeField().to_representation(token.expiry)}
        )

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request) -> Response:
        """Revoke the token this request was made with."""
        if isinstance(request.auth, AuthToken):
            request.auth.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)

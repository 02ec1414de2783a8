"""API of the accounts app: the caller's own account, and accounts for the administrator."""

from __future__ import annotations

from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from accounts.models import User
from core.api import GateReadOnlyViewSet


class UserSerializer(serializers.ModelSerializer):
    phone_masked = serializers.CharField(read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "role", "unit", "email", "phone_masked", "is_active", "last_login"]


class UserViewSet(GateReadOnlyViewSet):
    """Accounts (administrator and office head); ``me`` is the caller's own account."""

    serializer_class = UserSerializer
    base_queryset = User.objects.select_related("unit")
    permissions = {"list": "accounts.user.view", "retrieve": "accounts.user.view", "me": "accounts.profile.view"}

    @action(detail=False, methods=["get"])
    def me(self, request: Request) -> Response:
        return Response(UserSerializer(request.user).data)


router = SimpleRouter()
router.register("users", UserViewSet, basename="user")

"""API of the registry (/api/v1/org/…): the same selectors, services and filters as the
pages, scoped by the gate."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from core import permissions as gate
from core.api import GateViewSetMixin
from org import services
from org.filters import EnterpriseFilter, PostFilter, StaffFilter, UnitFilter, WhereaboutsFilter
from org.models import Enterprise, Post, Staff, Unit, UnitCategory, Whereabouts


class UnitSerializer(serializers.ModelSerializer):
    parent = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), allow_null=True, required=False)  # type: ignore[assignment]  # a field named like Field.parent
    category = serializers.PrimaryKeyRelatedField(queryset=UnitCategory.objects.all(), allow_null=True, required=False)

    class Meta:
        model = Unit
        fields = ["id", "code", "name", "short_name", "kind", "parent", "category", "location", "phone", "sort_order", "depth", "is_active"]
        read_only_fields = ["depth", "is_active"]


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = UnitCategory
        fields = ["id", "code", "name", "description", "sort_order", "is_active"]


class StaffSerializer(serializers.ModelSerializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    phone = serializers.CharField(write_only=True, required=False, allow_blank=True)
    phone_masked = serializers.CharField(read_only=True)
    id_number = serializers.CharField(write_only=True, required=False, allow_blank=True)

    class Meta:
        model = Staff
        fields = ["id", "name", "unit", "role_in_unit", "title", "employee_no", "phone", "phone_masked", "id_number", "is_active"]
        read_only_fields = ["is_active"]


class PostSerializer(serializers.ModelSerializer):
    class Meta:
        model = Post
        fields = ["id", "unit", "name", "duties", "holder", "backup", "is_active"]


class WhereaboutsSerializer(serializers.ModelSerializer):
    class Meta:
        model = Whereabouts
        fields = ["id", "staff", "kind", "destination", "start", "expected_return", "ended_at"]
        read_only_fields = ["ended_at"]


class EnterpriseSerializer(serializers.ModelSerializer):
    contact_phone = serializers.CharField(write_only=True, required=False, allow_blank=True)
    contact_phone_masked = serializers.CharField(read_only=True)

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "name",
            "credit_code",
            "legal_representative",
            "industry",
            "address",
            "contact_name",
            "contact_phone",
            "contact_phone_masked",
            "is_active",
        ]
        read_only_fields = ["is_active"]
        extra_kwargs: dict[str, dict[str, Any]] = {"credit_code": {"validators": []}}  # uniqueness is the service's job


def _in_scope(request: Request, perm: str, obj: Any, field: str) -> None:
    """A related object the caller names must itself be inside their scope."""
    if obj is not None and not gate.allows(request.user, perm, obj):
        raise serializers.ValidationError({field: ["不存在或不在您的权限范围内。"]})


class ServiceViewSet(
    GateViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Writes go through the app's services; the serializer only parses."""

    create_service: Any = None
    update_service: Any = None
    update_kwarg = ""

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        serializer.instance = type(self).create_service(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        serializer.instance = type(self).update_service(
            actor=self.request.user, **{self.update_kwarg: serializer.instance}, **serializer.validated_data
        )


class UnitViewSet(ServiceViewSet):
    """Units, as a tree (``parent``); unit users see their own branch only."""

    serializer_class = UnitSerializer
    base_queryset = Unit.objects.select_related("parent", "category")
    filterset_class = UnitFilter
    permissions = {
        "list": "org.unit.view",
        "retrieve": "org.unit.view",
        "create": "org.unit.change",
        "update": "org.unit.change",
        "partial_update": "org.unit.change",
        "deactivate": "org.unit.change",
    }
    create_service = services.unit_create
    update_service = services.unit_update
    update_kwarg = "unit"

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        _in_scope(self.request, "org.unit.change", serializer.validated_data.get("parent"), "parent")
        super().perform_create(serializer)

    @extend_schema(request=None, responses=UnitSerializer)
    @action(detail=True, methods=["post"])
    def deactivate(self, request: Request, pk: str) -> Response:
        unit = services.unit_set_active(actor=request.user, unit=self.get_object(), active=False)
        return Response(UnitSerializer(unit).data)


class CategoryViewSet(GateViewSetMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = CategorySerializer
    base_queryset = UnitCategory.objects.all()
    permissions = {"*": "org.category.view"}


class StaffViewSet(ServiceViewSet):
    """Staff; phone numbers are masked (``phone_masked``)."""

    serializer_class = StaffSerializer
    base_queryset = Staff.objects.select_related("unit")
    filterset_class = StaffFilter
    permissions = {
        "list": "org.staff.view",
        "retrieve": "org.staff.view",
        "create": "org.staff.change",
        "update": "org.staff.change",
        "partial_update": "org.staff.change",
        "phone": "org.staff.reveal_phone",
    }
    create_service = services.staff_create
    update_service = services.staff_update
    update_kwarg = "staff"

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        _in_scope(self.request, "org.staff.change", serializer.validated_data.get("unit"), "unit")
        super().perform_create(serializer)

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        _in_scope(self.request, "org.staff.change", serializer.validated_data.get("unit"), "unit")
        super().perform_update(serializer)

    @extend_schema(request=None, responses={200: {"type": "object", "properties": {"phone": {"type": "string"}}}})
    @action(detail=True, methods=["post"])
    def phone(self, request: Request, pk: str) -> Response:
        """The full phone number; every call is audited."""
        return Response({"phone": services.staff_phone_reveal(actor=request.user, staff=self.get_object())})


class PostViewSet(ServiceViewSet):
    serializer_class = PostSerializer
    base_queryset = Post.objects.select_related("unit", "holder", "backup")
    filterset_class = PostFilter
    permissions = {
        "list": "org.post.view",
        "retrieve": "org.post.view",
        "create": "org.post.change",
        "update": "org.post.change",
        "partial_update": "org.post.change",
    }
    create_service = services.post_create
    update_service = services.post_update
    update_kwarg = "post"

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        _in_scope(self.request, "org.post.change", serializer.validated_data.get("unit"), "unit")
        serializer.validated_data.pop("is_active", None)
        super().perform_create(serializer)

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        serializer.validated_data.pop("unit", None)  # a post does not change unit
        super().perform_update(serializer)


class WhereaboutsViewSet(
    GateViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = WhereaboutsSerializer
    base_queryset = Whereabouts.objects.select_related("staff")
    filterset_class = WhereaboutsFilter
    permissions = {
        "list": "org.whereabouts.view",
        "retrieve": "org.whereabouts.view",
        "create": "org.whereabouts.change",
        "end": "org.whereabouts.change",
    }

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        _in_scope(self.request, "org.whereabouts.change", serializer.validated_data.get("staff"), "staff")
        serializer.instance = services.whereabouts_create(actor=self.request.user, **serializer.validated_data)

    @extend_schema(request=None, responses=WhereaboutsSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: str) -> Response:
        notice = services.whereabouts_end(actor=request.user, notice=self.get_object())
        return Response(WhereaboutsSerializer(notice).data, status=status.HTTP_200_OK)


class EnterpriseViewSet(ServiceViewSet):
    serializer_class = EnterpriseSerializer
    base_queryset = Enterprise.objects.all()
    filterset_class = EnterpriseFilter
    permissions = {
        "list": "org.enterprise.view",
        "retrieve": "org.enterprise.view",
        "create": "org.enterprise.change",
        "update": "org.enterprise.change",
        "partial_update": "org.enterprise.change",
    }
    create_service = services.enterprise_create
    update_service = services.enterprise_update
    update_kwarg = "enterprise"


router = SimpleRouter()
router.register("units", UnitViewSet, basename="unit")
router.register("categories", CategoryViewSet, basename="category")
router.register("staff", StaffViewSet, basename="staff")
router.register("posts", PostViewSet, basename="post")
router.register("whereabouts", WhereaboutsViewSet, basename="whereabouts")
router.register("enterprises", EnterpriseViewSet, basename="enterprise")

"""API of the roster (/api/v1/supervisors/…)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers
from rest_framework.routers import SimpleRouter

from org.api import ServiceViewSet
from supervisors import services
from supervisors.filters import SupervisorFilter
from supervisors.models import Supervisor


class SupervisorSerializer(serializers.ModelSerializer):
    phone = serializers.CharField(write_only=True, required=False, allow_blank=True)
    phone_masked = serializers.CharField(read_only=True)

    class Meta:
        model = Supervisor
        fields = ["id", "code", "name", "user", "employer", "phone", "phone_masked", "term_start", "term_end", "status", "note"]
        extra_kwargs: dict[str, dict[str, Any]] = {"code": {"validators": []}, "user": {"validators": []}}


class SupervisorViewSet(ServiceViewSet):
    serializer_class = SupervisorSerializer
    base_queryset = Supervisor.objects.select_related("employer")
    filterset_class = SupervisorFilter
    permissions = {
        "list": "supervisors.supervisor.view",
        "retrieve": "supervisors.supervisor.view",
        "create": "supervisors.supervisor.change",
        "update": "supervisors.supervisor.change",
        "partial_update": "supervisors.supervisor.change",
    }
    create_service = services.supervisor_create
    update_service = services.supervisor_update
    update_kwarg = "supervisor"


router = SimpleRouter()
router.register("supervisors", SupervisorViewSet, basename="supervisor")

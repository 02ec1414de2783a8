"""API of the core app: working-day arithmetic for other systems, the policy in force,
and the caller's inbox."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core import calendar
from core.api import GateReadOnlyViewSet
from core.models import Notification
from core.notify import mark_read
from core.selectors import NoPolicy, policy_version_for


class WorkingDaysQuery(serializers.Serializer):
    start = serializers.DateField(help_text="起算日（不计入）")
    days = serializers.IntegerField(min_value=0, max_value=366, required=False)
    end = serializers.DateField(required=False)

    def validate(self, attrs: dict) -> dict:
        if ("days" in attrs) == ("end" in attrs):
            raise serializers.ValidationError("请给出 days（加多少个工作日）或 end（截止日期）其中之一。")
        return attrs


class WorkingDaysAnswer(serializers.Serializer):
    start = serializers.DateField()
    days = serializers.IntegerField()
    end = serializers.DateField()


class WorkingDaysView(APIView):
    """Working-day arithmetic on the platform's calendar (民法典 第201/203条)."""

    permissions = {"*": "core.calendar.view"}

    @extend_schema(
        parameters=[
            OpenApiParameter("start", date, required=True),
            OpenApiParameter("days", int),
            OpenApiParameter("end", date),
        ],
        responses=WorkingDaysAnswer,
    )
    def get(self, request: Request) -> Response:
        query = WorkingDaysQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        start = query.validated_data["start"]
        try:
            if "days" in query.validated_data:
                days = query.validated_data["days"]
                end = calendar.add_working_days(start, days)
            else:
                end = query.validated_data["end"]
                days = calendar.working_days_between(start, end)
        except calendar.CalendarUnknownYear as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_422_UNPROCESSABLE_ENTITY)
        return Response(WorkingDaysAnswer({"start": start, "days": days, "end": end}).data)


class PolicyInForceView(APIView):
    """The policy version in force on a date, with its parameters."""

    permissions = {"*": "core.policy.view"}

    @extend_schema(parameters=[OpenApiParameter("on", date)], responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request) -> Response:
        try:
            on = date.fromisoformat(request.query_params["on"]) if "on" in request.query_params else timezone.localdate()
        except ValueError:
            return Response({"on": ["日期格式应为 YYYY-MM-DD。"]}, status=400)
        try:
            version = policy_version_for(on)
        except NoPolicy as exc:
            return Response({"detail": str(exc)}, status=404)
        return Response(
            {
                "policy": version.policy.code,
                "name": version.policy.name,
                "version": version.version,
                "version_id": version.pk,
                "effective_from": version.effective_from,
                "document": version.document,
            }
        )


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "created_at", "read_at"]


class NotificationViewSet(GateReadOnlyViewSet):
    """The caller's own inbox."""

    serializer_class = NotificationSerializer
    base_queryset = Notification.objects.all()
    permissions = {"*": "core.notification.view"}

    @action(detail=False, methods=["post"], url_path="mark-read")
    def mark_all_read(self, request: Request) -> Response:
        return Response({"marked": mark_read(request.user)})

"""API of the cases module (/api/v1/cases/…): intake from other systems (idempotent on
the sender's own case number), status, the unit's sign-for / return / reply, follow-up,
and statistics — the same selectors, services, filters and permissions as the pages.

Who the person is appears only as the caller may see it (``cases.selectors.identity_for``):
the phone is always masked here; unmasking is a page action and is audited.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_serializer, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from cases import figures as figures_module
from cases import selectors, services
from cases.choices import CaseKind, FollowUpOutcome
from cases.filters import CaseFilter
from cases.models import Case, Channel
from core.api import GateViewSetMixin, validated
from org.models import Staff, Unit


class CaseSerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True)
    channel: serializers.SlugRelatedField[Channel] = serializers.SlugRelatedField(slug_field="code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True, default="")
    contact = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "external_id",
            "channel",
            "kind",
            "is_urgent",
            "title",
            "content",
            "status",
            "triage",
            "received_at",
            "deadline",
            "deadline_problem",
            "extended",
            "unit",
            "unit_name",
            "concerned_unit",
            "reply",
            "replied_at",
            "completed_at",
            "handled_on_time",
            "satisfaction",
            "resolved",
            "closed_at",
            "reopen_count",
            "escalated",
            "verdict",
            "contact",
        ]
        read_only_fields = fields

    @extend_schema_field(
        inline_serializer(
            "CaseContact",
            fields={
                "visible": serializers.BooleanField(),
                "anonymous": serializers.BooleanField(),
                "name": serializers.CharField(),
                "phone_masked": serializers.CharField(),
                "tracking_code": serializers.CharField(),
            },
        )
    )
    def get_contact(self, case: Case) -> dict[str, Any]:
        """The person as the caller may see them: nothing for a unit without consent."""
        identity = selectors.identity_for(self.context["request"].user, case)
        return {
            "visible": identity["visible"],
            "anonymous": identity["anonymous"],
            "name": identity["name"] if identity["visible"] else "",
            "phone_masked": identity["phone"],
            "tracking_code": identity["tracking_code"],
        }


@extend_schema_serializer(component_name="Case")  # the request body that creates a Case ("CaseRequest")
class IntakeSerializer(serializers.Serializer):
    external_id = serializers.CharField(
        max_length=64, required=False, allow_blank=True, help_text="推送方系统中的工单编号（必填；重复推送凭此返回同一件）"
    )
    channel = serializers.SlugRelatedField(slug_field="code", queryset=Channel.objects.filter(is_active=True))
    kind = serializers.ChoiceField(choices=CaseKind.choices)
    title = serializers.CharField(max_length=100, required=False, allow_blank=True)
    content = serializers.CharField(max_length=services.CONTENT_MAX + 1000, allow_blank=True)
    contact_name = serializers.CharField(max_length=40, required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    anonymous = serializers.BooleanField(required=False, default=False)
    contact_consent = serializers.BooleanField(required=False, default=False)
    concerned_unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.filter(is_active=True), required=False, allow_null=True)
    is_urgent = serializers.BooleanField(required=False, default=False)
    received_at = serializers.DateTimeField(required=False, allow_null=True)


class IntakeResultSerializer(serializers.Serializer):
    created = serializers.BooleanField(help_text="true：新建；false：此前已推送过，返回原来的件")
    tracking_code = serializers.CharField(help_text="查询码（供诉求人查询进展）")
    query_password = serializers.CharField(help_text="查询密码，只在新建时返回一次；重复推送时为空")
    case = CaseSerializer()


class DispatchSerializer(serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.filter(is_active=True))
    co_units = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.filter(is_active=True), many=True, required=False)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class SignSerializer(serializers.Serializer):
    first_responsible = serializers.PrimaryKeyRelatedField(queryset=Staff.objects.filter(is_active=True), required=False, allow_null=True)


class CaseReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, allow_blank=True)


class ReplySerializer(serializers.Serializer):
    reply = serializers.CharField(max_length=services.REPLY_MAX + 1000, allow_blank=True)


class FollowUpSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=FollowUpOutcome.choices)
    satisfaction = serializers.CharField(max_length=24, required=False, allow_blank=True)
    resolved = serializers.BooleanField(required=False, allow_null=True, default=None)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class CaseViewSet(GateViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Cases. Units see those they lead or co-handle; the identity of the person only
    where the rules allow (``contact``)."""

    serializer_class = CaseSerializer
    base_queryset = Case.objects.select_related("channel", "unit")
    filterset_class = CaseFilter
    permissions = {
        "list": "cases.case.view",
        "retrieve": "cases.case.view",
        "create": "cases.case.create",
        "dispatch_case": "cases.case.dispatch",
        "sign": "cases.case.sign",
        "return_case": "cases.case.return",
        "reply": "cases.case.reply",
        "follow_up": "cases.followup.record",
    }

    def _result(self, case: Case, code: int = status.HTTP_200_OK) -> Response:
        case.refresh_from_db()
        return Response(CaseSerializer(case, context=self.get_serializer_context()).data, status=code)

    @extend_schema(
        request=IntakeSerializer,
        responses={201: IntakeResultSerializer, 200: IntakeResultSerializer},
        description="推送一件诉求。以推送账号 + external_id 幂等：重复推送返回第一次创建的件（HTTP 200，created=false），不会产生重复件；缺少 external_id 的推送被拒绝（400）。",
    )
    def create(self, request: Request) -> Response:
        data = IntakeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case, created, password = services.case_push(actor=request.user, **data.validated_data)
        body = {
            "created": created,
            "tracking_code": case.tracking_code,
            "query_password": password,
            "case": CaseSerializer(case, context=self.get_serializer_context()).data,
        }
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(request=DispatchSerializer, responses=CaseSerializer, description="派单（效能办）。")
    @action(detail=True, methods=["post"], url_path="dispatch")
    def dispatch_case(self, request: Request, pk: str) -> Response:
        data = validated(DispatchSerializer, request)
        case = self.get_object()
        services.case_dispatch(actor=request.user, case=case, **data)
        return self._result(case)

    @extend_schema(request=SignSerializer, responses=CaseSerializer, description="承办单位签收，可指定首办责任人。")
    @action(detail=True, methods=["post"])
    def sign(self, request: Request, pk: str) -> Response:
        data = validated(SignSerializer, request)
        case = self.get_object()
        services.case_sign(actor=request.user, case=case, first_responsible=data.get("first_responsible"))
        return self._result(case)

    @extend_schema(request=CaseReasonSerializer, responses=CaseSerializer, description="承办单位退单（须写明理由，由效能办审核）。")
    @action(detail=True, methods=["post"], url_path="return")
    def return_case(self, request: Request, pk: str) -> Response:
        data = validated(CaseReasonSerializer, request)
        case = self.get_object()
        services.case_return(actor=request.user, case=case, reason=data["reason"])
        return self._result(case)

    @extend_schema(request=ReplySerializer, responses=CaseSerializer, description="承办单位答复（由效能办审核）。")
    @action(detail=True, methods=["post"])
    def reply(self, request: Request, pk: str) -> Response:
        data = validated(ReplySerializer, request)
        case = self.get_object()
        services.case_reply(actor=request.user, case=case, text=data["reply"])
        return self._result(case)

    @extend_schema(request=FollowUpSerializer, responses=CaseSerializer, description="记录一次回访（效能办）。")
    @action(detail=True, methods=["post"], url_path="follow-up")
    def follow_up(self, request: Request, pk: str) -> Response:
        data = validated(FollowUpSerializer, request)
        case = self.get_object()
        services.case_follow_up(actor=request.user, case=case, **data)
        return self._result(case)


class ChannelSerializer(serializers.ModelSerializer):
    class Meta:
        model = Channel
        fields = ["id", "code", "name", "is_platform", "sort_order", "is_active"]


class ChannelViewSet(GateViewSetMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ChannelSerializer
    base_queryset = Channel.objects.all()
    permissions = {"*": "cases.channel.view"}


_RATES = ("completion_rate", "on_time_rate", "satisfaction_rate", "reopened_rate", "signed_on_time_rate", "returned_rate")


class FigureRowSerializer(serializers.Serializer):
    key = serializers.CharField(allow_null=True)
    label = serializers.CharField()  # type: ignore[assignment]  # a field named like Field.label
    received = serializers.IntegerField()
    dispatched = serializers.IntegerField()
    completed = serializers.IntegerField()
    on_time = serializers.IntegerField()
    followed = serializers.IntegerField()
    satisfied = serializers.IntegerField()
    reopened = serializers.IntegerField()
    completion_rate = serializers.FloatField(allow_null=True, help_text="办结率(%)：办结÷受理")
    on_time_rate = serializers.FloatField(allow_null=True, help_text="按时办结率(%)：期限内办结÷办结")
    satisfaction_rate = serializers.FloatField(allow_null=True, help_text="满意率(%)：满意各级÷有效回访")
    reopened_rate = serializers.FloatField(allow_null=True, help_text="重办率(%)")
    signed_on_time_rate = serializers.FloatField(allow_null=True, help_text="按时签收率(%)，按派单计")
    returned_rate = serializers.FloatField(allow_null=True, help_text="退单率(%)，按派单计")
    levels = serializers.DictField(child=serializers.IntegerField(), help_text="五级满意度各级件数")


def _row(row: figures_module.FigureRow) -> dict[str, Any]:
    key = row.key
    return {
        "key": None if key is None else (key.isoformat() if hasattr(key, "isoformat") else str(key)),
        "label": row.label,
        **{name: getattr(row, name) for name in ("received", "dispatched", "completed", "on_time", "followed", "satisfied", "reopened")},
        **{name: getattr(row, name) for name in _RATES},
        "levels": row.levels,
    }


class FiguresViewSet(viewsets.ViewSet):
    """Statistics per unit, channel, kind or month of a year (or one month), over the
    cases the caller may see."""

    permissions = {"*": "cases.figures.view"}

    @extend_schema(
        parameters=[
            OpenApiParameter("dimension", str, enum=list(figures_module.DIMENSIONS), description="统计维度，默认 unit"),
            OpenApiParameter("year", int, description="年份，默认今年"),
            OpenApiParameter("month", int, required=False, description="月份（1–12），不填为全年"),
        ],
        responses=inline_serializer(
            "CaseFigures",
            fields={
                "dimension": serializers.CharField(),
                "year": serializers.IntegerField(),
                "month": serializers.IntegerField(allow_null=True),
                "policy_version": serializers.IntegerField(),
                "rows": FigureRowSerializer(many=True),
                "total": FigureRowSerializer(),
            },
        ),
    )
    def list(self, request: Request) -> Response:
        dimension = request.query_params.get("dimension", "unit")
        try:
            year = int(request.query_params.get("year") or timezone.localdate().year)
            month = int(request.query_params["month"]) if request.query_params.get("month") else None
        except ValueError:
            return Response({"year": ["年份、月份应为数字。"]}, status=status.HTTP_400_BAD_REQUEST)
        if dimension not in figures_module.DIMENSIONS or (month is not None and not 1 <= month <= 12):
            return Response({"dimension": ["统计维度应为 unit、channel、kind 或 month；月份为 1–12。"]}, status=status.HTTP_400_BAD_REQUEST)
        result = figures_module.case_figures(request.user, dimension=dimension, year=year, month=month)
        return Response(
            {
                "dimension": dimension,
                "year": year,
                "month": month,
                "policy_version": result.policy_version.pk,
                "rows": [_row(r) for r in result.rows],
                "total": _row(result.total),
            }
        )


class RankingViewSet(viewsets.ViewSet):
    """The monthly "three rates" ranking with red and black lists."""

    permissions = {"*": "cases.ranking.view"}

    @extend_schema(
        parameters=[OpenApiParameter("month", OpenApiTypes.STR, description="月份 YYYY-MM，默认本月")],
        responses=inline_serializer(
            "CaseRanking",
            fields={
                "month": serializers.CharField(),
                "policy_version": serializers.IntegerField(),
                "frozen": serializers.BooleanField(),
                "rows": inline_serializer(
                    "CaseRankingRow",
                    fields={
                        "unit_id": serializers.IntegerField(),
                        "unit": serializers.CharField(),
                        "dispatched": serializers.IntegerField(),
                        "answered": serializers.IntegerField(),
                        "response_rate": serializers.FloatField(allow_null=True),
                        "resolution_rate": serializers.FloatField(allow_null=True),
                        "satisfaction_rate": serializers.FloatField(allow_null=True),
                        "score": serializers.FloatField(allow_null=True),
                        "rank": serializers.IntegerField(allow_null=True),
                        "list": serializers.CharField(),
                    },
                    many=True,
                ),
            },
        ),
    )
    def list(self, request: Request) -> Response:
        from datetime import datetime

        text = request.query_params.get("month")
        try:
            month = datetime.strptime(text, "%Y-%m").date() if text else timezone.localdate().replace(day=1)  # noqa: DTZ007
        except ValueError:
            return Response({"month": ["月份格式应为 YYYY-MM。"]}, status=status.HTTP_400_BAD_REQUEST)
        ranking = figures_module.ranking_for(month)
        keys = (
            "unit_id",
            "unit",
            "dispatched",
            "answered",
            "response_rate",
            "resolution_rate",
            "satisfaction_rate",
            "score",
            "rank",
            "list",
        )
        return Response(
            {
                "month": f"{ranking['month']:%Y-%m}",
                "policy_version": ranking["policy_version"].pk,
                "frozen": ranking["frozen_at"] is not None,
                "rows": [{k: getattr(r, k) for k in keys} for r in ranking["rows"]],
            }
        )


router = SimpleRouter()
router.register("cases", CaseViewSet, basename="case")
router.register("channels", ChannelViewSet, basename="channel")
router.register("figures", FiguresViewSet, basename="figures")
router.register("ranking", RankingViewSet, basename="ranking")

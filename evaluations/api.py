"""API of evaluations and service ratings (/api/v1/evaluations/…): campaigns, questionnaires,
answer submission (kiosks and other apps), results, and service ratings with their
call-back, rectification and appeal. The same selectors, services, filters and gate as
the pages; no endpoint a unit role may call returns rater details."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response as ApiResponse
from rest_framework.routers import SimpleRouter

from core import permissions as gate
from core.api import GateViewSetMixin, validated
from core.context import client_ip
from evaluations import selectors, services
from evaluations.choices import CampaignStatus, Channel, Resolution
from evaluations.filters import CampaignFilter, RatingFilter, ResponseFilter
from evaluations.models import Campaign, CampaignResult, CampaignTarget, Question, Questionnaire, Response, ServiceRating
from evaluations.public import target_url
from org.models import Unit


# --- serializers -----------------------------------------------------------------------------
class QuestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Question
        fields = ["id", "position", "kind", "text", "options", "required"]
        read_only_fields = ["id", "position"]


class QuestionnaireSerializer(serializers.ModelSerializer):
    questions = QuestionSerializer(many=True)

    class Meta:
        model = Questionnaire
        fields = ["id", "title", "intro", "version", "status", "based_on", "published_at", "questions"]
        read_only_fields = ["version", "status", "based_on", "published_at"]


class CampaignSerializer(serializers.ModelSerializer):
    questionnaire = serializers.PrimaryKeyRelatedField(queryset=Questionnaire.objects.all(), allow_null=True, required=False)
    # plain strings (checked by the service), so that the schema names the channel choices once
    channels = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="渠道：" + "、".join(f"{value}（{label}）" for value, label in Channel.choices),
    )

    class Meta:
        model = Campaign
        fields = [
            "id",
            "name",
            "kind",
            "year",
            "start",
            "end",
            "questionnaire",
            "status",
            "weighted",
            "channels",
            "sample_per_unit",
            "sample_seed",
            "description",
            "results_policy_version",
            "confirmed_at",
            "published_at",
        ]
        read_only_fields = ["status", "sample_seed", "results_policy_version", "confirmed_at", "published_at"]


class TargetSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = CampaignTarget
        fields = ["id", "unit", "label", "position", "url"]

    def get_url(self, obj: CampaignTarget) -> str:
        request = self.context.get("request")
        path = target_url(obj)
        return request.build_absolute_uri(path) if request else path


class ResultSerializer(serializers.ModelSerializer):
    target_label = serializers.CharField(source="target.label", read_only=True)
    unit = serializers.IntegerField(source="target.unit_id", read_only=True)
    change = serializers.FloatField(read_only=True, allow_null=True)

    class Meta:
        model = CampaignResult
        fields = [
            "target",
            "target_label",
            "unit",
            "n",
            "mean",
            "ci_low",
            "ci_high",
            "weighted",
            "below_min_sample",
            "fully_satisfied",
            "rank",
            "awarded",
            "previous_mean",
            "change",
            "policy_version",
        ]


class AnswerOutSerializer(serializers.Serializer):
    question = serializers.IntegerField(source="question_id")
    level = serializers.CharField()
    score = serializers.FloatField(allow_null=True)
    choices = serializers.ListField(child=serializers.CharField())
    text = serializers.CharField()


class ResponseSerializer(serializers.ModelSerializer):
    answers = AnswerOutSerializer(many=True, read_only=True)

    class Meta:
        model = Response
        fields = ["id", "campaign", "target", "group", "channel", "status", "flags", "score", "fully_satisfied", "submitted_at", "answers"]


class ResponseSubmitSerializer(serializers.Serializer):
    campaign = serializers.IntegerField()
    target = serializers.IntegerField()
    answers = serializers.DictField(
        child=serializers.JSONField(),
        help_text="题目编号 → 答案：五级题为等级代码（如 very_satisfied），单选为选项文字，多选为选项文字列表，文字题为文字",
    )
    group = serializers.IntegerField(required=False, allow_null=True)
    device = serializers.CharField(required=False, allow_blank=True, help_text="自助终端或应用的设备标识（每期每对象限答一次）")
    phone = serializers.CharField(required=False, allow_blank=True)
    started_at = serializers.DateTimeField(required=False, allow_null=True, help_text="开始作答时间（用于判定用时过短）")


class ResponseReviewSerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True)


class SampleDrawSerializer(serializers.Serializer):
    seed = serializers.IntegerField(required=False, allow_null=True, min_value=0)


class RatingSerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceRating
        fields = [
            "id",
            "unit",
            "service",
            "level",
            "score",
            "is_bad",
            "comment",
            "channel",
            "flags",
            "created_at",
            "status",
            "due_date",
            "resolution",
            "resolution_note",
            "fixed_at",
            "fix_level",
            "appeal_status",
            "appeal_reason",
            "appeal_decision_note",
            "excluded",
        ]


class RatingSubmitSerializer(serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    level = serializers.CharField()
    comment = serializers.CharField(required=False, allow_blank=True)
    service = serializers.CharField(required=False, allow_blank=True)
    contact_name = serializers.CharField(required=False, allow_blank=True)
    contact_phone = serializers.CharField(required=False, allow_blank=True)
    device = serializers.CharField(required=False, allow_blank=True)


class RatingCallbackSerializer(serializers.Serializer):
    verified = serializers.BooleanField()
    note = serializers.CharField()


class RatingResolveSerializer(serializers.Serializer):
    resolution = serializers.ChoiceField(choices=[Resolution.FIXED_NOW, Resolution.FIX_BY_DEADLINE, Resolution.EXPLAINED])
    note = serializers.CharField()


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True)


class LevelSerializer(serializers.Serializer):
    level = serializers.CharField()


class RatingReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class DecideSerializer(serializers.Serializer):
    upheld = serializers.BooleanField()
    note = serializers.CharField()


# --- viewsets -----------------------------------------------------------------------------------
class QuestionnaireViewSet(
    GateViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Questionnaires; a published one is frozen (``new_version`` makes an editable copy)."""

    serializer_class = QuestionnaireSerializer
    base_queryset = Questionnaire.objects.prefetch_related("questions")
    permissions = {
        "list": "evaluations.questionnaire.view",
        "retrieve": "evaluations.questionnaire.view",
        "create": "evaluations.questionnaire.change",
        "publish": "evaluations.questionnaire.change",
        "new_version": "evaluations.questionnaire.change",
    }

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = services.questionnaire_create(
            actor=self.request.user, title=data["title"], intro=data.get("intro", ""), questions=data["questions"]
        )

    @extend_schema(request=None, responses=QuestionnaireSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str) -> ApiResponse:
        questionnaire = services.questionnaire_publish(actor=request.user, questionnaire=self.get_object())
        return ApiResponse(QuestionnaireSerializer(questionnaire).data)

    @extend_schema(request=None, responses={201: QuestionnaireSerializer})
    @action(detail=True, methods=["post"], url_path="new-version")
    def new_version(self, request: Request, pk: str) -> ApiResponse:
        copy = services.questionnaire_new_version(actor=request.user, source=self.get_object())
        return ApiResponse(QuestionnaireSerializer(copy).data, status=status.HTTP_201_CREATED)


class CampaignViewSet(GateViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Campaigns. Unit users see only published campaigns with a target in their unit."""

    serializer_class = CampaignSerializer
    base_queryset = Campaign.objects.select_related("questionnaire")
    filterset_class = CampaignFilter
    permissions = {
        "list": "evaluations.campaign.view",
        "retrieve": "evaluations.campaign.view",
        "create": "evaluations.campaign.change",
        "targets": "evaluations.campaign.change",
        "results": "evaluations.result.view",
        "open": "evaluations.campaign.change",
        "close": "evaluations.campaign.change",
        "compute": "evaluations.campaign.change",
        "sample": "evaluations.sample.change",
        "confirm": "evaluations.campaign.confirm",
        "publish": "evaluations.campaign.confirm",
    }

    def get_queryset(self) -> Any:
        qs = super().get_queryset()
        if gate.scope_of(self.request.user, "evaluations.campaign.view") is gate.UNIT:
            qs = qs.filter(status=CampaignStatus.PUBLISHED)
        return qs

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        serializer.instance = services.campaign_create(actor=self.request.user, **serializer.validated_data)

    @extend_schema(responses=TargetSerializer(many=True))
    @action(detail=True, methods=["get"])
    def targets(self, request: Request, pk: str) -> ApiResponse:
        """The targets and the address each one's QR code opens."""
        campaign = self.get_object()
        return ApiResponse(TargetSerializer(campaign.targets.all(), many=True, context={"request": request}).data)

    @extend_schema(responses=ResultSerializer(many=True))
    @action(detail=True, methods=["get"])
    def results(self, request: Request, pk: str) -> ApiResponse:
        campaign = selectors.campaign_get(request.user, int(pk), "evaluations.result.view")
        return ApiResponse(ResultSerializer(selectors.result_list(request.user, campaign), many=True).data)

    def _step(self, request: Request, service: Any) -> ApiResponse:
        campaign = service(actor=request.user, campaign=self.get_object())
        return ApiResponse(CampaignSerializer(campaign).data)

    @extend_schema(request=None, responses=CampaignSerializer)
    @action(detail=True, methods=["post"])
    def open(self, request: Request, pk: str) -> ApiResponse:
        return self._step(request, services.campaign_open)

    @extend_schema(request=None, responses=CampaignSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> ApiResponse:
        return self._step(request, services.campaign_close)

    @extend_schema(request=None, responses=CampaignSerializer)
    @action(detail=True, methods=["post"])
    def compute(self, request: Request, pk: str) -> ApiResponse:
        return self._step(request, services.campaign_compute)

    @extend_schema(request=None, responses=CampaignSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str) -> ApiResponse:
        return self._step(request, services.campaign_confirm)

    @extend_schema(request=None, responses=CampaignSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str) -> ApiResponse:
        return self._step(request, services.campaign_publish)

    @extend_schema(request=SampleDrawSerializer, responses=CampaignSerializer)
    @action(detail=True, methods=["post"])
    def sample(self, request: Request, pk: str) -> ApiResponse:
        """Draw the stratified follow-up sample (handled-cases campaigns); the seed is recorded."""
        data = validated(SampleDrawSerializer, request)
        campaign = self.get_object()
        services.sample_draw(actor=request.user, campaign=campaign, seed=data.get("seed"))
        campaign.refresh_from_db()
        return ApiResponse(CampaignSerializer(campaign).data)


class ResponseViewSet(GateViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Answers (office and city leaders only: no unit role may read them). ``create``
    submits an answer from a kiosk or another app, screened like the public pages."""

    serializer_class = ResponseSerializer
    base_queryset = Response.objects.select_related("group").prefetch_related("answers")
    filterset_class = ResponseFilter
    permissions = {
        "list": "evaluations.response.view",
        "retrieve": "evaluations.response.view",
        "create": "evaluations.response.enter",
        "review": "evaluations.response.review",
    }

    @extend_schema(request=ResponseSubmitSerializer, responses={201: ResponseSerializer})
    def create(self, request: Request) -> ApiResponse:
        data = validated(ResponseSubmitSerializer, request)
        campaign = selectors.campaign_get(request.user, data["campaign"], "evaluations.response.enter")
        target = campaign.targets.filter(pk=data["target"]).first()
        if target is None:
            raise serializers.ValidationError({"target": ["评议对象不属于该活动。"]})
        group = campaign.groups.filter(pk=data["group"]).first() if data.get("group") else None
        response = services.response_submit(
            campaign=campaign,
            target=target,
            answers=data["answers"],
            channel=Channel.API,
            actor=request.user,
            group=group,
            device=data.get("device", ""),
            phone=data.get("phone", ""),
            ip=client_ip(request._request),
            started_at=data.get("started_at"),
        )
        return ApiResponse(ResponseSerializer(response).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ResponseReviewSerializer, responses=ResponseSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: str) -> ApiResponse:
        data = validated(ResponseReviewSerializer, request)
        response = services.response_review(
            actor=request.user, response=self.get_object(), accept=data["accept"], note=data.get("note", "")
        )
        return ApiResponse(ResponseSerializer(response).data)


class RatingViewSet(GateViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Service ratings (好差评): submission from kiosks, then call-back, the unit's
    handling, the rater's rating of the fix, and appeals. Rater contacts are never returned."""

    serializer_class = RatingSerializer
    base_queryset = ServiceRating.objects.select_related("unit")
    filterset_class = RatingFilter
    permissions = {
        "list": "evaluations.rating.view",
        "retrieve": "evaluations.rating.view",
        "create": "evaluations.response.enter",
        "callback": "evaluations.rating.callback",
        "resolve": "evaluations.rating.resolve",
        "fixed": "evaluations.rating.resolve",
        "fix_rate": "evaluations.rating.callback",
        "appeal": "evaluations.rating.appeal",
        "decide": "evaluations.rating.decide",
    }

    @extend_schema(request=RatingSubmitSerializer, responses={201: RatingSerializer})
    def create(self, request: Request) -> ApiResponse:
        data = validated(RatingSubmitSerializer, request)
        rating = services.rating_submit(
            unit=data["unit"],
            level=data["level"],
            comment=data.get("comment", ""),
            service=data.get("service", ""),
            contact_name=data.get("contact_name", ""),
            contact_phone=data.get("contact_phone", ""),
            device=data.get("device", ""),
            ip=client_ip(request._request),
            channel=Channel.API,
        )
        return ApiResponse(RatingSerializer(rating).data, status=status.HTTP_201_CREATED)

    def _done(self, rating: ServiceRating) -> ApiResponse:
        return ApiResponse(RatingSerializer(rating).data)

    @extend_schema(request=RatingCallbackSerializer, responses=RatingSerializer)
    @action(detail=True, methods=["post"])
    def callback(self, request: Request, pk: str) -> ApiResponse:
        data = validated(RatingCallbackSerializer, request)
        return self._done(
            services.rating_callback(actor=request.user, rating=self.get_object(), verified=data["verified"], note=data["note"])
        )

    @extend_schema(request=RatingResolveSerializer, responses=RatingSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, pk: str) -> ApiResponse:
        data = validated(RatingResolveSerializer, request)
        return self._done(
            services.rating_resolve(actor=request.user, rating=self.get_object(), resolution=data["resolution"], note=data["note"])
        )

    @extend_schema(request=NoteSerializer, responses=RatingSerializer)
    @action(detail=True, methods=["post"])
    def fixed(self, request: Request, pk: str) -> ApiResponse:
        data = validated(NoteSerializer, request)
        return self._done(services.rating_fixed(actor=request.user, rating=self.get_object(), note=data.get("note", "")))

    @extend_schema(request=LevelSerializer, responses=RatingSerializer)
    @action(detail=True, methods=["post"], url_path="fix-rate")
    def fix_rate(self, request: Request, pk: str) -> ApiResponse:
        data = validated(LevelSerializer, request)
        return self._done(services.rating_fix_rate(actor=request.user, rating=self.get_object(), level=data["level"]))

    @extend_schema(request=RatingReasonSerializer, responses=RatingSerializer)
    @action(detail=True, methods=["post"])
    def appeal(self, request: Request, pk: str) -> ApiResponse:
        data = validated(RatingReasonSerializer, request)
        return self._done(services.rating_appeal(actor=request.user, rating=self.get_object(), reason=data["reason"]))

    @extend_schema(request=DecideSerializer, responses=RatingSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str) -> ApiResponse:
        data = validated(DecideSerializer, request)
        return self._done(
            services.rating_appeal_decide(actor=request.user, rating=self.get_object(), upheld=data["upheld"], note=data["note"])
        )


router = SimpleRouter()
router.register("questionnaires", QuestionnaireViewSet, basename="questionnaire")
router.register("campaigns", CampaignViewSet, basename="campaign")
router.register("responses", ResponseViewSet, basename="response")
router.register("ratings", RatingViewSet, basename="rating")

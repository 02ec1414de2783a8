"""API of inspections (/api/v1/inspections/…): rounds, batches, tasks (with the team's
answers), findings with evidence upload, the unit's verification and rectification, the
office's decisions, circulars and figures — the same selectors, services, filters and
permissions as the pages. A unit's client never receives who recorded a finding, nor
on which task (``task`` and ``recorded_by`` are null for it).
"""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, HttpResponse, HttpResponseBase
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from core import permissions as gate
from core.api import GateViewSetMixin, validated
from inspections import figures, selectors, services
from inspections.choices import InspectionMode, Verdict
from inspections.filters import AssignmentFilter, CircularFilter, FindingFilter, RoundFilter, TaskFilter
from inspections.media import without_metadata
from inspections.models import Circular, Evidence, Finding, InspectionBatch, InspectionRound, InspectionTask, Rectification, TaskAssignment
from org.models import Staff, Unit
from supervisors.models import Supervisor


# --- serializers ----------------------------------------------------------------------------
class RoundSerializer(serializers.ModelSerializer):
    scope = serializers.PrimaryKeyRelatedField(many=True, queryset=Unit.objects.filter(is_active=True))
    checklist_codes = serializers.ListField(
        child=serializers.CharField(), write_only=True, required=False, help_text="检查项目代码（默认为政策的全部检查项目）"
    )
    title = serializers.CharField(required=False, allow_blank=True, max_length=100)

    class Meta:
        model = InspectionRound
        fields = [
            "id",
            "title",
            "kind",
            "theme",
            "month",
            "scope",
            "checklist",
            "checklist_codes",
            "status",
            "note",
            "policy_version",
            "created_at",
        ]
        read_only_fields = ["checklist", "status", "policy_version", "created_at"]
        # “one regular round a month” is the service's rule, said in its own words
        extra_kwargs: dict[str, dict[str, Any]] = {"month": {"validators": []}}


class BatchSerializer(serializers.ModelSerializer):
    class Meta:
        model = InspectionBatch
        fields = ["id", "round", "number", "start_date", "end_date", "note"]
        read_only_fields = ["number"]
        validators: list[Any] = []


class AssignmentSerializer(serializers.ModelSerializer):
    supervisor_code = serializers.CharField(source="supervisor.code", read_only=True)
    supervisor_name = serializers.CharField(source="supervisor.name", read_only=True)
    attended = serializers.BooleanField(read_only=True)

    class Meta:
        model = TaskAssignment
        fields = [
            "id",
            "task",
            "supervisor",
            "supervisor_code",
            "supervisor_name",
            "status",
            "source",
            "override_reason",
            "decline_reason",
            "arrived_at",
            "reported_at",
            "no_problem",
            "attended",
        ]
        read_only_fields = fields


class TaskSerializer(serializers.ModelSerializer):
    units = serializers.PrimaryKeyRelatedField(many=True, queryset=Unit.objects.filter(is_active=True))
    team = AssignmentSerializer(source="assignments", many=True, read_only=True)
    team_size = serializers.IntegerField(required=False, min_value=1, max_value=10, help_text="默认为政策的最少人数")
    reference = serializers.CharField(read_only=True)

    class Meta:
        model = InspectionTask
        fields = [
            "id",
            "reference",
            "round",
            "batch",
            "units",
            "mode",
            "window_start",
            "window_end",
            "team_size",
            "instructions",
            "status",
            "dispatched_at",
            "team",
        ]
        read_only_fields = ["round", "status", "dispatched_at"]


class EvidenceSerializer(serializers.ModelSerializer):
    download = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = ["id", "finding", "stage", "kind", "content_type", "size", "sha256", "captured_at", "uploaded_at", "locked_at", "download"]
        read_only_fields = fields

    def get_download(self, obj: Evidence) -> str:
        return f"/api/v1/inspections/evidence/{obj.pk}/download/"


class RectificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Rectification
        fields = ["id", "text", "due", "reported_at", "decision", "decision_note", "decided_at", "new_due"]
        read_only_fields = fields


class FindingSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    task = serializers.SerializerMethodField(help_text="任务编号；单位用户为 null（保密）")
    recorded_by = serializers.SerializerMethodField(help_text="记录人（监督员编号）；单位用户为 null（保密）")
    staff_name = serializers.SerializerMethodField()
    rectifications = RectificationSerializer(many=True, read_only=True)

    class Meta:
        model = Finding
        fields = [
            "id",
            "reference",
            "task",
            "recorded_by",
            "unit",
            "unit_name",
            "item_code",
            "item_name",
            "description",
            "observed_at",
            "place",
            "staff",
            "staff_name",
            "staff_hint",
            "status",
            "submitted_at",
            "confirmed_at",
            "fed_back_at",
            "verify_due",
            "verdict",
            "verification_text",
            "verified_at",
            "rectify_due",
            "closed_at",
            "rectifications",
        ]
        read_only_fields = fields

    def _source(self) -> bool:
        return bool(self.context.get("show_source"))

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_task(self, obj: Finding) -> int | None:
        return obj.task_id if self._source() else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_recorded_by(self, obj: Finding) -> str | None:
        return obj.recorded_by.code if self._source() else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_staff_name(self, obj: Finding) -> str | None:
        return obj.staff.name if obj.staff is not None else None


class FindingCreateSerializer(serializers.Serializer):
    task = serializers.IntegerField(help_text="派给您的任务")


class FindingUpdateSerializer(serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    item_code = serializers.CharField()
    observed_at = serializers.DateTimeField()
    description = serializers.CharField(allow_blank=True, required=False, default="")
    place = serializers.CharField(allow_blank=True, required=False, default="")
    staff_hint = serializers.CharField(allow_blank=True, required=False, default="")


class EvidenceUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    client_key = serializers.CharField(required=False, allow_blank=True, max_length=64, help_text="重试时使用同一编号，不会重复保存")
    captured_at = serializers.DateTimeField(required=False, allow_null=True)


class InspectionReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class FindingReviewSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=["confirm", "return", "dismiss"])
    note = serializers.CharField(required=False, allow_blank=True, default="")
    staff = serializers.PrimaryKeyRelatedField(queryset=Staff.objects.all(), required=False, allow_null=True, default=None)


class VerifySerializer(serializers.Serializer):
    verdict = serializers.ChoiceField(choices=Verdict.choices)
    explanation = serializers.CharField()
    staff = serializers.PrimaryKeyRelatedField(queryset=Staff.objects.all(), required=False, allow_null=True, default=None)
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class RectifySerializer(serializers.Serializer):
    text = serializers.CharField()
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class DecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["accept", "reject"])
    note = serializers.CharField(required=False, allow_blank=True, default="")
    new_due = serializers.DateField(required=False, allow_null=True, default=None)


class DeadlineSerializer(serializers.Serializer):
    new_due = serializers.DateField()
    reason = serializers.CharField()


class TeamSerializer(serializers.Serializer):
    supervisors = serializers.PrimaryKeyRelatedField(many=True, queryset=Supervisor.objects.select_related("employer"))
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class CircularSerializer(serializers.ModelSerializer):
    findings: serializers.PrimaryKeyRelatedField[Finding] = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Circular
        fields = [
            "id",
            "number",
            "title",
            "issuer",
            "addressee",
            "body",
            "issue_date",
            "copy_to",
            "findings",
            "status",
            "docx_sha256",
            "pdf_sha256",
            "published_at",
        ]
        read_only_fields = fields


# --- viewsets -------------------------------------------------------------------------------
class RoundViewSet(GateViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Rounds (每月一轮): regular or special, with their scope and checklist."""

    serializer_class = RoundSerializer
    base_queryset = InspectionRound.objects.prefetch_related("scope")
    filterset_class = RoundFilter
    permissions = {"list": "inspections.round.view", "retrieve": "inspections.round.view", "create": "inspections.round.change"}

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = serializer.validated_data
        serializer.instance = services.round_create(
            actor=self.request.user,
            kind=data["kind"],
            month=data["month"],
            scope=data["scope"],
            theme=data.get("theme", ""),
            title=data.get("title", ""),
            checklist_codes=data.get("checklist_codes"),
            note_text=data.get("note", ""),
        )


class BatchViewSet(GateViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Batches (每周一批) inside a round."""

    serializer_class = BatchSerializer
    base_queryset = InspectionBatch.objects.select_related("round")
    permissions = {"list": "inspections.round.view", "retrieve": "inspections.round.view", "create": "inspections.round.change"}

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = serializer.validated_data
        serializer.instance = services.batch_create(
            actor=self.request.user,
            round_=data["round"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            note_text=data.get("note", ""),
        )


class TaskViewSet(GateViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Tasks: the office plans, draws the team and dispatches; a supervisor sees only the
    tasks dispatched to them and answers (accept, decline, arrive, no problem found)."""

    serializer_class = TaskSerializer
    base_queryset = InspectionTask.objects.select_related("round", "batch").prefetch_related("units", "assignments__supervisor")
    filterset_class = TaskFilter
    permissions = {
        "list": "inspections.task.view",
        "retrieve": "inspections.task.view",
        "create": "inspections.task.change",
        "assign": "inspections.task.change",
        "team": "inspections.task.change",
        "dispatch_task": "inspections.task.change",
        "cancel": "inspections.task.change",
        "accept": "inspections.task.respond",
        "decline": "inspections.task.respond",
        "arrive": "inspections.task.respond",
        "no_problem": "inspections.task.respond",
    }

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = serializer.validated_data
        batch = data["batch"]
        if not gate.allows(self.request.user, "inspections.round.change", batch.round):
            raise serializers.ValidationError({"batch": ["不存在或不在您的权限范围内。"]})
        serializer.instance = services.task_create(
            actor=self.request.user,
            batch=batch,
            units=data["units"],
            mode=data.get("mode", InspectionMode.COVERT),
            window_start=data["window_start"],
            window_end=data["window_end"],
            team_size=data.get("team_size"),
            instructions=data.get("instructions", ""),
        )

    def _task(self, request: Request) -> Response:
        task = InspectionTask.objects.prefetch_related("units", "assignments__supervisor").get(pk=self.get_object().pk)
        return Response(TaskSerializer(task, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses=TaskSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: str) -> Response:
        """Fill the team by a random draw (conflicts of interest excluded)."""
        services.task_assign(actor=request.user, task=self.get_object())
        return self._task(request)

    @extend_schema(request=TeamSerializer, responses=TaskSerializer)
    @action(detail=True, methods=["post"])
    def team(self, request: Request, pk: str) -> Response:
        """The office sets the team by hand; the reason for the override is kept."""
        data = validated(TeamSerializer, request)
        services.task_team_set(actor=request.user, task=self.get_object(), **data)
        return self._task(request)

    @extend_schema(request=None, responses=TaskSerializer)
    @action(detail=True, methods=["post"], url_path="dispatch")
    def dispatch_task(self, request: Request, pk: str) -> Response:
        """Send the task to its team (only now do the supervisors see it)."""
        services.task_dispatch(actor=request.user, task=self.get_object())
        return self._task(request)

    @extend_schema(request=InspectionReasonSerializer, responses=TaskSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        data = validated(InspectionReasonSerializer, request)
        services.task_cancel(actor=request.user, task=self.get_object(), reason=data["reason"])
        return self._task(request)

    def _mine(self) -> TaskAssignment:
        task = self.get_object()
        assignment = selectors.my_assignment(self.request.user, task)
        if assignment is None:
            from django.http import Http404

            raise Http404
        return assignment

    @extend_schema(request=None, responses=AssignmentSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str) -> Response:
        return Response(AssignmentSerializer(services.assignment_accept(actor=request.user, assignment=self._mine())).data)

    @extend_schema(request=InspectionReasonSerializer, responses=AssignmentSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str) -> Response:
        body = InspectionReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        assignment = services.assignment_decline(actor=request.user, assignment=self._mine(), reason=body.validated_data["reason"])
        return Response(AssignmentSerializer(assignment).data)

    @extend_schema(request=None, responses=AssignmentSerializer)
    @action(detail=True, methods=["post"])
    def arrive(self, request: Request, pk: str) -> Response:
        return Response(AssignmentSerializer(services.assignment_arrive(actor=request.user, assignment=self._mine())).data)

    @extend_schema(request=None, responses=AssignmentSerializer)
    @action(detail=True, methods=["post"], url_path="no-problem")
    def no_problem(self, request: Request, pk: str) -> Response:
        """“No problem found”: counts as attended."""
        return Response(AssignmentSerializer(services.assignment_report_no_problem(actor=request.user, assignment=self._mine())).data)


class AssignmentViewSet(GateViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Supervisor-task assignments (what the attendance rate counts)."""

    serializer_class = AssignmentSerializer
    base_queryset = TaskAssignment.objects.select_related("supervisor", "task")
    filterset_class = AssignmentFilter
    permissions = {"*": "inspections.assignment.view"}


def _detail(view: Any, finding: Finding) -> Response:
    finding = selectors.finding_get(view.request.user, finding.pk)
    return Response(FindingSerializer(finding, context=view.get_serializer_context()).data)


class FindingViewSet(GateViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Findings: recorded by a supervisor (draft → evidence → submit), reviewed and fed back
    by the office, verified and rectified by the unit, accepted by the office."""

    base_queryset = Finding.objects.select_related("unit", "task", "recorded_by", "staff").prefetch_related("rectifications")
    filterset_class = FindingFilter
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    permissions = {
        "list": "inspections.finding.view",
        "retrieve": "inspections.finding.view",
        "create": "inspections.finding.record",
        "partial_update": "inspections.finding.record",
        "evidence": "inspections.evidence.view",
        "upload": "inspections.finding.record",
        "submit": "inspections.finding.record",
        "review": "inspections.finding.review",
        "feedback": "inspections.finding.review",
        "verify": "inspections.finding.verify",
        "rectify": "inspections.finding.rectify",
        "acceptance": "inspections.finding.accept",
        "untrue": "inspections.finding.accept",
        "deadline": "inspections.finding.accept",
        "overturn": "inspections.finding.overturn",
    }

    serializer_class = FindingSerializer

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        # the roles that may see the source see it for every finding they may see at all
        context["show_source"] = gate.can(self.request.user, "inspections.finding.view_source")
        return context

    @extend_schema(request=FindingCreateSerializer, responses={201: FindingSerializer})
    def create(self, request: Request) -> Response:
        """Open a draft finding on one of your tasks (marks your arrival)."""
        body = FindingCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        task = gate.get_object(request.user, "inspections.task.respond", InspectionTask, pk=body.validated_data["task"])
        finding = services.finding_start(actor=request.user, task=task)
        return Response(_detail(self, finding).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=FindingUpdateSerializer, responses=FindingSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        """Save the draft's text (or a finding returned for more evidence)."""
        finding = self.get_object()
        data = validated(FindingUpdateSerializer, request)
        services.finding_update(actor=request.user, finding=finding, **data)
        return _detail(self, finding)

    @extend_schema(responses=EvidenceSerializer(many=True))
    @action(detail=True, methods=["get"])
    def evidence(self, request: Request, pk: str) -> Response:
        """The finding's evidence and attachments the caller may see."""
        finding = self.get_object()
        return Response(EvidenceSerializer(selectors.finding_evidence(request.user, finding), many=True).data)

    @extend_schema(request={"multipart/form-data": EvidenceUploadSerializer}, responses={201: EvidenceSerializer})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser], url_path="evidence/upload")
    def upload(self, request: Request, pk: str) -> Response:
        """Upload one evidence file (photo, video, recording) to a draft; a retry with the
        same ``client_key`` returns the file already stored."""
        finding = self.get_object()
        body = EvidenceUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        evidence = services.evidence_add(
            actor=request.user,
            finding=finding,
            upload=body.validated_data["file"],
            client_key=body.validated_data.get("client_key", ""),
            captured_at=body.validated_data.get("captured_at"),
        )
        return Response(EvidenceSerializer(evidence).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=FindingSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        return _detail(self, services.finding_submit(actor=request.user, finding=self.get_object()))

    @extend_schema(request=FindingReviewSerializer, responses=FindingSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: str) -> Response:
        """Confirm, return for more evidence, or dismiss (with a reason)."""
        finding = self.get_object()
        data = validated(FindingReviewSerializer, request)
        if data["action"] == "confirm":
            services.finding_confirm(actor=request.user, finding=finding, staff=data["staff"], note_text=data["note"])
        elif data["action"] == "return":
            services.finding_return(actor=request.user, finding=finding, reason=data["note"])
        else:
            services.finding_dismiss(actor=request.user, finding=finding, reason=data["note"])
        return _detail(self, finding)

    @extend_schema(request=None, responses=FindingSerializer)
    @action(detail=True, methods=["post"])
    def feedback(self, request: Request, pk: str) -> Response:
        """Feed a confirmed finding back to its unit, which may see it from now on."""
        return _detail(self, services.finding_feed_back(actor=request.user, finding=self.get_object()))

    @extend_schema(request={"multipart/form-data": VerifySerializer, "application/json": VerifySerializer}, responses=FindingSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request: Request, pk: str) -> Response:
        """The unit's verification: true, partly true or untrue, with reasons and files."""
        finding = self.get_object()
        data = validated(VerifySerializer, request)
        services.finding_verify(actor=request.user, finding=finding, **data)
        return _detail(self, finding)

    @extend_schema(request={"multipart/form-data": RectifySerializer, "application/json": RectifySerializer}, responses=FindingSerializer)
    @action(detail=True, methods=["post"])
    def rectify(self, request: Request, pk: str) -> Response:
        """The unit's rectification report, before its deadline."""
        finding = self.get_object()
        data = validated(RectifySerializer, request)
        services.rectification_report(actor=request.user, finding=finding, **data)
        return _detail(self, finding)

    @extend_schema(request=DecisionSerializer, responses=FindingSerializer)
    @action(detail=True, methods=["post"])
    def acceptance(self, request: Request, pk: str) -> Response:
        """Accept the rectification, or reject it with a reason and a new deadline."""
        finding = self.get_object()
        data = validated(DecisionSerializer, request)
        services.rectification_decide(
            actor=request.user, finding=finding, decision=data["decision"], note=data["note"], new_due=data["new_due"]
        )
        return _detail(self, finding)

    @extend_schema(request=DecisionSerializer, responses=FindingSerializer)
    @action(detail=True, methods=["post"])
    def untrue(self, request: Request, pk: str) -> Response:
        """Agree that the finding is untrue, or send it back for verification."""
        finding = self.get_object()
        data = validated(DecisionSerializer, request)
        services.finding_untrue_decide(
            actor=request.user, finding=finding, decision=data["decision"], note=data["note"], new_due=data["new_due"]
        )
        return _detail(self, finding)

    @extend_schema(request=DeadlineSerializer, responses=FindingSerializer)
    @action(detail=True, methods=["post"])
    def deadline(self, request: Request, pk: str) -> Response:
        finding = self.get_object()
        data = validated(DeadlineSerializer, request)
        services.finding_deadline_set(actor=request.user, finding=finding, **data)
        return _detail(self, finding)

    @extend_schema(request=InspectionReasonSerializer, responses=FindingSerializer)
    @action(detail=True, methods=["post"])
    def overturn(self, request: Request, pk: str) -> Response:
        finding = self.get_object()
        data = validated(InspectionReasonSerializer, request)
        services.finding_overturn(actor=request.user, finding=finding, reason=data["reason"])
        return _detail(self, finding)


class EvidenceViewSet(GateViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Evidence files' records (SHA-256, size, type, capture time) and their content."""

    serializer_class = EvidenceSerializer
    base_queryset = Evidence.objects.all()
    permissions = {"*": "inspections.evidence.view"}

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: str) -> HttpResponseBase:
        """The file; a unit's client gets photos without their camera metadata."""
        evidence = self.get_object()
        clean = None if gate.allows(request.user, "inspections.finding.view_source", evidence.finding) else without_metadata(evidence)
        if clean is not None:
            response = HttpResponse(clean, content_type=evidence.content_type)
            response["Content-Disposition"] = f'attachment; filename="evidence-{evidence.pk}"'
            return response
        return FileResponse(
            evidence.file.open("rb"), content_type=evidence.content_type, as_attachment=True, filename=f"evidence-{evidence.pk}"
        )


class CircularViewSet(GateViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Circulars; drafts only for the office. Published ones carry their files' SHA-256."""

    serializer_class = CircularSerializer
    filterset_class = CircularFilter
    permissions = {"*": "inspections.circular.view", "publish": "inspections.circular.publish"}

    def get_queryset(self) -> Any:
        return selectors.circular_list(self.request.user)

    @extend_schema(request=None, responses=CircularSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str) -> Response:
        return Response(CircularSerializer(services.circular_publish(actor=request.user, circular=self.get_object())).data)


class FiguresSerializer(serializers.Serializer):
    period = serializers.CharField()
    rounds = serializers.IntegerField()
    special_rounds = serializers.IntegerField()
    tasks_dispatched = serializers.IntegerField()
    assignments_dispatched = serializers.IntegerField()
    assignments_attended = serializers.IntegerField()
    attendance_rate = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    tasks_attended = serializers.IntegerField()
    tasks_with_findings = serializers.IntegerField()
    lead_feedback_rate = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    findings_submitted = serializers.IntegerField()
    findings_confirmed = serializers.IntegerField()
    findings_verified_true = serializers.IntegerField()
    findings_rectified_on_time = serializers.IntegerField()
    units_in_scope = serializers.IntegerField()
    units_visited = serializers.IntegerField()
    coverage_rate = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    full_coverage_rounds = serializers.IntegerField()


class FiguresQuery(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    month = serializers.RegexField(r"^\d{4}-\d{2}$", required=False)
    round = serializers.IntegerField(required=False)
    unit = serializers.IntegerField(required=False)


class FiguresViewSet(viewsets.ViewSet):
    """Figures of a round, a month or a year (RULES.md §1), overall or for one unit."""

    permissions = {"*": "inspections.figures.view"}

    @extend_schema(
        parameters=[
            OpenApiParameter("year", int),
            OpenApiParameter("month", str, description="YYYY-MM"),
            OpenApiParameter("round", int),
            OpenApiParameter("unit", int, description="一个单位（含下级）"),
        ],
        responses=FiguresSerializer,
    )
    def list(self, request: Request) -> Response:
        from datetime import datetime

        query = FiguresQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        if "round" in data:
            period = figures.Period(round=gate.get_object(request.user, "inspections.figures.view", InspectionRound, pk=data["round"]))
        elif "month" in data:
            try:
                period = figures.Period(month=datetime.strptime(data["month"], "%Y-%m").date())  # noqa: DTZ007 (a month, not a moment)
            except ValueError:
                return Response({"month": ["月份格式应为 YYYY-MM。"]}, status=400)
        else:
            period = figures.Period(year=data.get("year", timezone.localdate().year))
        unit = gate.get_object(request.user, "org.unit.view", Unit, pk=data["unit"]) if "unit" in data else None
        fig = figures.Dataset.load(period).figures(unit=unit)
        return Response(FiguresSerializer({"period": period.label, **fig.as_dict()}).data)


router = SimpleRouter()
router.register("rounds", RoundViewSet, basename="inspection-round")
router.register("batches", BatchViewSet, basename="inspection-batch")
router.register("tasks", TaskViewSet, basename="inspection-task")
router.register("assignments", AssignmentViewSet, basename="inspection-assignment")
router.register("findings", FindingViewSet, basename="inspection-finding")
router.register("evidence", EvidenceViewSet, basename="inspection-evidence")
router.register("circulars", CircularViewSet, basename="inspection-circular")
router.register("figures", FiguresViewSet, basename="inspection-figures")

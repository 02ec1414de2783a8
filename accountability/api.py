"""API of accountability (/api/v1/accountability/…): charges, incidents, proposals and the
decision on them, decisions and their review, sanctions and apologies with their
follow-through, a person's record, the annual-rating consequences and the figures — the
same selectors, services, filters and permissions as the pages.

Choice fields are documented as inline enums (``_enum``): their names (status, kind,
outcome, channel …) repeat across modules and would otherwise collide in the schema.
"""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from accountability import selectors, services
from accountability.choices import (
    ApologyChannel,
    ApologyKind,
    ApologyStatus,
    ChargeSource,
    ChargeStatus,
    IncidentKind,
    Measure,
    Outcome,
    ProposalKind,
    ProposalStatus,
    Rule,
    SanctionStatus,
)
from accountability.filters import ApologyFilter, ChargeFilter, ProposalFilter, SanctionFilter
from accountability.models import Apology, Charge, Decision, Incident, Proposal, Sanction
from core.api import GateViewSetMixin, validated
from org.models import Staff, Unit


def _enum(choices: Any) -> type[serializers.ChoiceField]:
    """A ChoiceField whose values the schema states as a pattern and in words, not as a
    named enum component (the schema's enum names would collide across modules)."""
    codes = [code for code, _label in choices]

    @extend_schema_field(
        {
            "type": "string",
            "pattern": "^(" + "|".join(codes) + ")$",
            "description": " / ".join(f"{code}（{label}）" for code, label in choices),
        }
    )
    class EnumField(serializers.ChoiceField):
        pass

    return EnumField


ChargeSourceField = _enum(ChargeSource.choices)
ChargeStatusField = _enum(ChargeStatus.choices)
IncidentKindField = _enum(IncidentKind.choices)
ProposalKindField = _enum(ProposalKind.choices)
RuleField = _enum(Rule.choices)
ProposalStatusField = _enum(ProposalStatus.choices)
OutcomeField = _enum(Outcome.choices)
MeasureField = _enum(Measure.choices)
ApologyKindField = _enum(ApologyKind.choices)
ApologyStatusField = _enum(ApologyStatus.choices)
ApologyChannelField = _enum(ApologyChannel.choices)
SanctionStatusField = _enum(SanctionStatus.choices)
ReviewField = _enum([("keep", "维持"), ("revoke", "撤销")])


# --- serializers ------------------------------------------------------------------------------
class AccountabilityChargeSerializer(serializers.ModelSerializer):
    source = ChargeSourceField(choices=ChargeSource.choices, read_only=True)  # type: ignore[assignment]  # a field named like Field.source
    status = ChargeStatusField(choices=ChargeStatus.choices, read_only=True)
    staff_name = serializers.CharField(source="staff.name", read_only=True, default=None)
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Charge
        fields = [
            "id",
            "source",
            "reference",
            "summary",
            "case",
            "finding",
            "incident",
            "staff",
            "staff_name",
            "unit",
            "unit_name",
            "head_unit",
            "occurred_at",
            "year",
            "status",
            "withdrawn_at",
            "withdrawn_reason",
        ]
        read_only_fields = fields


class AccountabilityIncidentSerializer(serializers.ModelSerializer):
    kind = IncidentKindField(choices=IncidentKind.choices)
    units = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), many=True)
    occurred_on = serializers.DateField()
    title = serializers.CharField(max_length=200, allow_blank=True)

    class Meta:
        model = Incident
        fields = ["id", "reference", "kind", "occurred_on", "title", "description", "source", "units", "recorded_at"]
        read_only_fields = ["id", "reference", "recorded_at"]


class AccountabilityProposalSerializer(serializers.ModelSerializer):
    kind = ProposalKindField(choices=ProposalKind.choices, read_only=True)
    rule = RuleField(choices=Rule.choices, read_only=True)
    status = ProposalStatusField(choices=ProposalStatus.choices, read_only=True)
    apology_kind = serializers.CharField(read_only=True, help_text="direct / public / joint（问责措施建议为空）")
    measures = serializers.ListField(child=MeasureField(choices=Measure.choices), read_only=True)
    staff_name = serializers.CharField(source="staff.name", read_only=True, default=None)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    policy_version_label = serializers.CharField(source="policy_version", read_only=True)
    decision = serializers.SerializerMethodField()

    class Meta:
        model = Proposal
        fields = [
            "id",
            "reference",
            "kind",
            "rule",
            "staff",
            "staff_name",
            "unit",
            "unit_name",
            "units",
            "measures",
            "apology_kind",
            "trigger",
            "charges",
            "year",
            "year_count",
            "window_count",
            "window_start",
            "policy_version",
            "policy_version_label",
            "basis",
            "status",
            "created_at",
            "withdrawn_reason",
            "decision",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_decision(self, obj: Proposal) -> int | None:
        decision = getattr(obj, "decision", None) if obj.status == ProposalStatus.DECIDED else None
        return decision.pk if decision is not None else None


class AccountabilityDecideSerializer(serializers.Serializer):
    outcome = OutcomeField(choices=Outcome.choices)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, help_text="调整或不予采纳时必填")
    measures = serializers.ListField(child=MeasureField(choices=Measure.choices), required=False, help_text="调整后的措施（问责措施建议）")
    staff = serializers.PrimaryKeyRelatedField(
        queryset=Staff.objects.all(), required=False, allow_null=True, help_text="具名责任人（查实问题）"
    )
    apology_kind = serializers.CharField(required=False, allow_blank=True, help_text="调整后的道歉方式：direct / public")
    term_start = serializers.DateField(required=False, allow_null=True)
    term_end = serializers.DateField(required=False, allow_null=True)
    due = serializers.DateField(required=False, allow_null=True, help_text="落实期限；不填按政策计算")
    to_whom = serializers.CharField(required=False, allow_blank=True, max_length=200)


class AccountabilityDecisionSerializer(serializers.ModelSerializer):
    outcome = OutcomeField(choices=Outcome.choices, read_only=True)
    measures = serializers.ListField(child=MeasureField(choices=Measure.choices), read_only=True)
    apology_kind = serializers.CharField(read_only=True)
    decided_by_name = serializers.CharField(source="decided_by.display_name", read_only=True)
    sanctions: serializers.PrimaryKeyRelatedField[Sanction] = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    apologies: serializers.PrimaryKeyRelatedField[Apology] = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Decision
        fields = [
            "id",
            "proposal",
            "outcome",
            "measures",
            "apology_kind",
            "staff",
            "reason",
            "decided_by",
            "decided_by_name",
            "decided_at",
            "under_review",
            "revoked_at",
            "sanctions",
            "apologies",
        ]
        read_only_fields = fields


class AccountabilityReviewSerializer(serializers.Serializer):
    decision = ReviewField(choices=[("keep", "维持"), ("revoke", "撤销")])
    note = serializers.CharField(allow_blank=True, max_length=2000)


class AccountabilitySanctionSerializer(serializers.ModelSerializer):
    measure = MeasureField(choices=Measure.choices, read_only=True)
    measure_label = serializers.CharField(source="get_measure_display", read_only=True)
    status = SanctionStatusField(choices=SanctionStatus.choices, read_only=True)
    staff_name = serializers.CharField(source="staff.name", read_only=True, default=None)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    evidence = serializers.SerializerMethodField()
    year_count = serializers.IntegerField(source="decision.proposal.year_count", read_only=True)
    window_count = serializers.IntegerField(source="decision.proposal.window_count", read_only=True, allow_null=True)

    class Meta:
        model = Sanction
        fields = [
            "id",
            "reference",
            "measure",
            "measure_label",
            "staff",
            "staff_name",
            "unit",
            "unit_name",
            "year",
            "basis",
            "decision",
            "decided_on",
            "due",
            "term_start",
            "term_end",
            "executed_on",
            "execution_note",
            "status",
            "revoked_reason",
            "year_count",
            "window_count",
            "evidence",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_evidence(self, obj: Sanction) -> list[str]:
        return [c.reference for c in selectors.evidence_of(obj.decision)]


class AccountabilityExecuteSerializer(serializers.Serializer):
    executed_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class AccountabilityApologyUnitSerializer(serializers.Serializer):
    unit = serializers.IntegerField(source="unit_id")
    unit_name = serializers.CharField(source="unit.name")
    head_name = serializers.CharField()


class AccountabilityApologySerializer(serializers.ModelSerializer):
    kind = ApologyKindField(choices=ApologyKind.choices, read_only=True)
    status = ApologyStatusField(choices=ApologyStatus.choices, read_only=True)
    channel = serializers.CharField(read_only=True, help_text="道歉途径（已道歉时）")
    heads = AccountabilityApologyUnitSerializer(source="unit_links", many=True, read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    proof = serializers.SerializerMethodField()

    class Meta:
        model = Apology
        fields = [
            "id",
            "reference",
            "kind",
            "unit",
            "unit_name",
            "heads",
            "to_whom",
            "year",
            "basis",
            "decision",
            "decided_on",
            "due",
            "status",
            "done_on",
            "channel",
            "media_name",
            "note",
            "proof",
            "proof_sha256",
            "revoked_reason",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_proof(self, obj: Apology) -> str | None:
        from django.urls import reverse

        return reverse("api:accountability-apology-proof", args=[obj.pk]) if obj.proof else None


class AccountabilityApologyRecordSerializer(serializers.Serializer):
    done_on = serializers.DateField(required=False, allow_null=True)
    channel = ApologyChannelField(choices=ApologyChannel.choices)
    media_name = serializers.CharField(required=False, allow_blank=True, max_length=100)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)
    proof = serializers.FileField(help_text="证明材料：图片、PDF、Word 或 Excel")


class AccountabilityCountsSerializer(serializers.Serializer):
    on = serializers.DateField()
    year = serializers.IntegerField()
    year_count = serializers.IntegerField()
    window_start = serializers.DateField()
    window_count = serializers.IntegerField()
    dismissal_count = serializers.IntegerField()
    step_measures = serializers.ListField(child=serializers.CharField())
    rule = serializers.CharField()


class AccountabilityPersonSerializer(serializers.Serializer):
    staff = serializers.IntegerField()
    name = serializers.CharField()
    unit = serializers.IntegerField()
    unit_name = serializers.CharField()
    counts = AccountabilityCountsSerializer()
    charges = AccountabilityChargeSerializer(many=True)
    sanctions = AccountabilitySanctionSerializer(many=True)


class AccountabilityConsequenceSerializer(serializers.Serializer):
    staff = serializers.IntegerField()
    barred_from_excellent = serializers.BooleanField()
    incompetent = serializers.BooleanField()
    under_review = serializers.BooleanField()


class AccountabilityYearQuery(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)


class AccountabilityMeasureCountSerializer(serializers.Serializer):
    measure = serializers.CharField()
    name = serializers.CharField()
    in_force = serializers.IntegerField()
    revoked = serializers.IntegerField()


class AccountabilityApologyCountSerializer(serializers.Serializer):
    kind = serializers.CharField()
    name = serializers.CharField()
    total = serializers.IntegerField()
    done = serializers.IntegerField()
    overdue = serializers.IntegerField()


class AccountabilityUnitCountSerializer(serializers.Serializer):
    unit = serializers.IntegerField(source="unit.pk")
    unit_name = serializers.CharField(source="unit.name")
    complaints = serializers.IntegerField()
    findings = serializers.IntegerField()
    incidents = serializers.IntegerField()
    sanctions = serializers.IntegerField()
    apologies = serializers.IntegerField()
    apologies_pending = serializers.IntegerField()


class AccountabilityFiguresSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    proposals = serializers.IntegerField()
    pending = serializers.IntegerField()
    withdrawn = serializers.IntegerField()
    outcomes = serializers.DictField(child=serializers.IntegerField())
    ladder_steps = serializers.DictField(child=serializers.IntegerField(), help_text="已采纳的阶梯建议，按年度件数")
    dismissals = serializers.IntegerField()
    people = serializers.IntegerField()
    reassignments = serializers.IntegerField()
    reassignment_months = serializers.ListField(child=serializers.IntegerField())
    joint_heads = serializers.ListField(child=serializers.IntegerField(), help_text="每次共同公开道歉的单位一把手人数")
    charges = serializers.DictField(child=serializers.IntegerField())
    measures = AccountabilityMeasureCountSerializer(many=True)
    apologies = AccountabilityApologyCountSerializer(many=True)
    units = AccountabilityUnitCountSerializer(many=True)


# --- viewsets ---------------------------------------------------------------------------------
class ChargeViewSet(GateViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """What is charged to people and units: valid complaints, findings verified true and
    the incidents the office records (the office's)."""

    serializer_class = AccountabilityChargeSerializer
    base_queryset = Charge.objects.select_related("staff", "unit")
    filterset_class = ChargeFilter
    permissions = {"*": "accountability.charge.view"}


class IncidentViewSet(GateViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Named criticism or exposure by a superior body, media exposure, violations found by
    electronic supervision — recorded by the office; several units → a joint apology."""

    serializer_class = AccountabilityIncidentSerializer
    base_queryset = Incident.objects.prefetch_related("units")
    permissions = {
        "list": "accountability.charge.view",
        "retrieve": "accountability.charge.view",
        "create": "accountability.incident.record",
    }

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = serializer.validated_data
        serializer.instance = services.incident_record(
            actor=self.request.user,
            kind=data["kind"],
            occurred_on=data["occurred_on"],
            title=data["title"],
            units=data["units"],
            description=data.get("description", ""),
            source=data.get("source", ""),
        )


class ProposalViewSet(GateViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Proposals the rules made, with the counts and policy version they used; the office
    head decides each one exactly once (``decide``)."""

    serializer_class = AccountabilityProposalSerializer
    base_queryset = Proposal.objects.select_related("staff", "unit", "policy_version__policy", "decision").prefetch_related(
        "units", "charges"
    )
    filterset_class = ProposalFilter
    permissions = {
        "list": "accountability.proposal.view",
        "retrieve": "accountability.proposal.view",
        "decide": "accountability.proposal.decide",
    }

    @extend_schema(request=AccountabilityDecideSerializer, responses=AccountabilityDecisionSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str) -> Response:
        proposal = self.get_object()
        data = validated(AccountabilityDecideSerializer, request)
        decision = services.proposal_decide(
            actor=request.user,
            proposal=proposal,
            outcome=data["outcome"],
            reason=data.get("reason", ""),
            measures=data.get("measures"),
            staff=data.get("staff"),
            apology_kind=data.get("apology_kind", ""),
            term_start=data.get("term_start"),
            term_end=data.get("term_end"),
            due=data.get("due"),
            to_whom=data.get("to_whom", ""),
        )
        return Response(AccountabilityDecisionSerializer(decision).data)


class DecisionViewSet(GateViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Decisions (who, when, why) and what they put in force; a decision flagged after a
    withdrawal (``under_review``) is kept or revoked by the office head (``review``)."""

    serializer_class = AccountabilityDecisionSerializer
    base_queryset = Decision.objects.select_related("decided_by").prefetch_related("sanctions", "apologies")
    permissions = {
        "list": "accountability.proposal.view",
        "retrieve": "accountability.proposal.view",
        "review": "accountability.decision.review",
    }

    @extend_schema(request=AccountabilityReviewSerializer, responses=AccountabilityDecisionSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: str) -> Response:
        decision = self.get_object()
        body = AccountabilityReviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.decision_review(
            actor=request.user, decision=decision, keep=body.validated_data["decision"] == "keep", note_text=body.validated_data["note"]
        )
        decision.refresh_from_db()
        return Response(AccountabilityDecisionSerializer(decision).data)


class SanctionViewSet(GateViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Sanctions in force (and revoked ones, kept on record) with their basis, evidence,
    term and follow-through; a unit sees its own (``execute`` records it carried out)."""

    serializer_class = AccountabilitySanctionSerializer
    base_queryset = Sanction.objects.select_related("staff", "unit", "decision__proposal")
    filterset_class = SanctionFilter
    permissions = {
        "list": "accountability.sanction.view",
        "retrieve": "accountability.sanction.view",
        "execute": "accountability.sanction.execute",
    }

    @extend_schema(request=AccountabilityExecuteSerializer, responses=AccountabilitySanctionSerializer)
    @action(detail=True, methods=["post"])
    def execute(self, request: Request, pk: str) -> Response:
        sanction = self.get_object()
        body = AccountabilityExecuteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        sanction = services.sanction_execute(
            actor=request.user,
            sanction=sanction,
            executed_on=body.validated_data.get("executed_on"),
            note_text=body.validated_data.get("note", ""),
        )
        return Response(AccountabilitySanctionSerializer(sanction).data)


class ApologyViewSet(GateViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Apologies by heads of units: to whom, how, by when, when made and the proof (its
    SHA-256); a unit records its own (``record``, multipart with the proof file)."""

    serializer_class = AccountabilityApologySerializer
    base_queryset = Apology.objects.select_related("unit").prefetch_related("unit_links__unit")
    filterset_class = ApologyFilter
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    permissions = {
        "list": "accountability.apology.view",
        "retrieve": "accountability.apology.view",
        "proof": "accountability.apology.view",
        "record": "accountability.apology.record",
    }

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def proof(self, request: Request, pk: str) -> FileResponse:
        """The proof file of an apology made."""
        apology = self.get_object()
        if not apology.proof:
            raise Http404
        return FileResponse(
            apology.proof.open("rb"), content_type=apology.proof_type, as_attachment=True, filename=f"{apology.reference}-proof"
        )

    @extend_schema(request={"multipart/form-data": AccountabilityApologyRecordSerializer}, responses=AccountabilityApologySerializer)
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def record(self, request: Request, pk: str) -> Response:
        apology = self.get_object()
        data = validated(AccountabilityApologyRecordSerializer, request)
        apology = services.apology_record(
            actor=request.user,
            apology=apology,
            done_on=data.get("done_on"),
            channel=data["channel"],
            media_name=data.get("media_name", ""),
            note_text=data.get("note", ""),
            proof=data["proof"],
        )
        return Response(AccountabilityApologySerializer(apology).data)


class PersonViewSet(viewsets.ViewSet):
    """A person's record: everything charged to them, their sanctions, and the ladder's
    counts today (the office, the head of their unit, the person themself)."""

    permissions = {"*": "accountability.record.view"}
    lookup_value_regex = r"\d+"

    @extend_schema(
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH, description="工作人员 ID")], responses=AccountabilityPersonSerializer
    )
    def retrieve(self, request: Request, pk: str) -> Response:
        person = selectors.person_get(request.user, int(pk))
        record = selectors.person_record(request.user, person)
        data = {
            "staff": person.pk,
            "name": person.name,
            "unit": person.unit_id,
            "unit_name": person.unit.name,
            "counts": record["counts"].__dict__,
            "charges": record["charges"],
            "sanctions": record["sanctions"],
        }
        return Response(AccountabilityPersonSerializer(data).data)


class RatingConsequencesViewSet(viewsets.ViewSet):
    """The annual-rating consequences of a year (barred from "excellent", "incompetent"),
    for the annual assessment."""

    permissions = {"*": "accountability.rating.view"}

    @extend_schema(parameters=[OpenApiParameter("year", int)], responses=AccountabilityConsequenceSerializer(many=True))
    def list(self, request: Request) -> Response:
        query = AccountabilityYearQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        year = query.validated_data.get("year") or selectors.current_year()
        rows = [{"staff": staff_id, **values} for staff_id, values in sorted(selectors.rating_consequences(year).items())]
        return Response(AccountabilityConsequenceSerializer(rows, many=True).data)


class FiguresViewSet(viewsets.ViewSet):
    """Counts of a year (aggregated; no person's name)."""

    permissions = {"*": "accountability.figures.view"}

    @extend_schema(parameters=[OpenApiParameter("year", int)], responses=AccountabilityFiguresSerializer)
    def list(self, request: Request) -> Response:
        query = AccountabilityYearQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        year = query.validated_data.get("year") or timezone.localdate().year
        f = selectors.figures(request.user, year)
        data = {
            **{
                k: getattr(f, k) for k in ("year", "proposals", "pending", "withdrawn", "outcomes", "dismissals", "people", "reassignments")
            },
            "ladder_steps": {str(k): v for k, v in f.ladder_steps.items()},
            "reassignment_months": f.reassignment_months,
            "joint_heads": f.joint_heads,
            "charges": f.charges,
            "measures": [{"measure": m, "name": label, "in_force": a, "revoked": b} for m, label, a, b in f.measures],
            "apologies": [{"kind": k, "name": label, "total": t, "done": d, "overdue": o} for k, label, t, d, o in f.apologies],
            "units": f.units,
        }
        return Response(AccountabilityFiguresSerializer(data).data)


router = SimpleRouter()
router.register("charges", ChargeViewSet, basename="accountability-charge")
router.register("incidents", IncidentViewSet, basename="accountability-incident")
router.register("proposals", ProposalViewSet, basename="accountability-proposal")
router.register("decisions", DecisionViewSet, basename="accountability-decision")
router.register("sanctions", SanctionViewSet, basename="accountability-sanction")
router.register("apologies", ApologyViewSet, basename="accountability-apology")
router.register("people", PersonViewSet, basename="accountability-person")
router.register("rating-consequences", RatingConsequencesViewSet, basename="accountability-rating")
router.register("figures", FiguresViewSet, basename="accountability-figures")

"""Reads of evaluations and service ratings, always through the gate.

Unit roles hold their permissions in scope UNIT; on top of that they see a campaign and
its results only once the office has published them, and never any response (no unit
role holds ``evaluations.response.view``), so a rated unit never learns who rated it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from core import permissions as gate
from evaluations import scoring
from evaluations.choices import COUNTED_STATUSES, CampaignKind, CampaignStatus, RatingStatus, ResponseStatus, SampleStatus
from evaluations.models import (
    Campaign,
    CampaignResult,
    CampaignTarget,
    HandledCase,
    Invitation,
    Questionnaire,
    Response,
    SampledCase,
    ServiceRating,
)


def _unit_scoped(user: Any, perm: str) -> bool:
    return gate.scope_of(user, perm) is gate.UNIT


def campaign_list(user: Any) -> QuerySet[Campaign]:
    qs = gate.restrict(
        Campaign.objects.select_related("questionnaire").annotate(n_targets=Count("targets")).order_by("-year", "kind", "-id"),
        user,
        "evaluations.campaign.view",
    )
    if _unit_scoped(user, "evaluations.campaign.view"):
        qs = qs.filter(status=CampaignStatus.PUBLISHED)
    return qs


def campaign_get(user: Any, pk: int, perm: str = "evaluations.campaign.view") -> Campaign:
    qs = Campaign.objects.select_related("questionnaire", "results_policy_version__policy", "confirmed_by")
    if _unit_scoped(user, perm):
        qs = qs.filter(status=CampaignStatus.PUBLISHED)
    return gate.get_object(user, perm, qs, pk=pk)


def result_list(user: Any, campaign: Campaign) -> QuerySet[CampaignResult]:
    qs = gate.restrict(
        CampaignResult.objects.filter(campaign=campaign).select_related("target", "target__unit", "policy_version__policy"),
        user,
        "evaluations.result.view",
    )
    if _unit_scoped(user, "evaluations.result.view") and campaign.status != CampaignStatus.PUBLISHED:
        return qs.none()
    return qs.order_by("rank", "target__position")


def target_get(user: Any, campaign: Campaign, pk: int) -> CampaignTarget:
    return gate.get_object(
        user, "evaluations.response.view", CampaignTarget.objects.filter(campaign=campaign).select_related("unit"), pk=pk
    )


def response_list(user: Any) -> QuerySet[Response]:
    return gate.restrict(
        Response.objects.select_related("campaign", "target", "group", "entered_by", "reviewed_by"), user, "evaluations.response.view"
    )


def response_get(user: Any, pk: int, perm: str = "evaluations.response.view") -> Response:
    return gate.get_object(
        user, perm, Response.objects.select_related("campaign", "target", "group").prefetch_related("answers__question"), pk=pk
    )


def questionnaire_list(user: Any) -> QuerySet[Questionnaire]:
    return gate.restrict(
        Questionnaire.objects.annotate(n_questions=Count("questions", distinct=True)).order_by("-created_at", "-id"),
        user,
        "evaluations.questionnaire.view",
    )


def questionnaire_get(user: Any, pk: int, perm: str = "evaluations.questionnaire.view") -> Questionnaire:
    return gate.get_object(user, perm, Questionnaire.objects.prefetch_related("questions"), pk=pk)


def sample_list(user: Any, campaign: Campaign) -> QuerySet[SampledCase]:
    return gate.restrict(
        SampledCase.objects.filter(campaign=campaign).select_related("case", "target", "target__unit", "response"),
        user,
        "evaluations.sample.view",
    )


def handled_case_list(user: Any) -> QuerySet[HandledCase]:
    return gate.restrict(HandledCase.objects.select_related("unit"), user, "evaluations.sample.view")


def invitation_list(user: Any) -> QuerySet[Invitation]:
    return gate.restrict(Invitation.objects.select_related("campaign", "group"), user, "evaluations.invitation.view")


def rating_list(user: Any) -> QuerySet[ServiceRating]:
    return gate.restrict(ServiceRating.objects.select_related("unit", "unit__parent"), user, "evaluations.rating.view")


def rating_get(user: Any, pk: int, perm: str = "evaluations.rating.view") -> ServiceRating:
    return gate.get_object(
        user, perm, ServiceRating.objects.select_related("unit", "callback_by", "resolved_by", "appeal_decided_by"), pk=pk
    )


# --- figures --------------------------------------------------------------------------------
@dataclass
class CampaignFigures:
    """What the campaign's page, report and export state about it as a whole."""

    targets: int
    scored_targets: int
    responses: int
    counted: int
    flagged: int
    rejected: int
    average: float | None
    previous_average: float | None
    awarded: int
    below_min_sample: int
    fully_satisfied: int
    samples: int
    samples_answered: int
    sample_units: int

    @property
    def change(self) -> float | None:
        if self.average is None or self.previous_average is None:
            return None
        return round(self.average, 2) - round(self.previous_average, 2)


def previous_campaign(campaign: Campaign) -> Campaign | None:
    return (
        Campaign.objects.filter(kind=campaign.kind, year=campaign.year - 1, status__in=[CampaignStatus.CONFIRMED, CampaignStatus.PUBLISHED])
        .order_by("-confirmed_at", "-id")
        .first()
    )


def campaign_figures(campaign: Campaign) -> CampaignFigures:
    counts = Response.objects.filter(campaign=campaign).aggregate(
        total=Count("id"),
        counted=Count("id", filter=Q(status__in=COUNTED_STATUSES)),
        flagged=Count("id", filter=Q(status=ResponseStatus.FLAGGED)),
        rejected=Count("id", filter=Q(status=ResponseStatus.REJECTED)),
        full=Count("id", filter=Q(status__in=COUNTED_STATUSES, fully_satisfied=True)),
    )
    results = list(CampaignResult.objects.filter(campaign=campaign).values_list("mean", "awarded", "below_min_sample"))
    previous = previous_campaign(campaign)
    previous_average = (
        scoring.kind_average(CampaignResult.objects.filter(campaign=previous).values_list("mean", flat=True)) if previous else None
    )
    samples = SampledCase.objects.filter(campaign=campaign).aggregate(
        total=Count("id"), answered=Count("id", filter=Q(status=SampleStatus.ANSWERED)), units=Count("target", distinct=True)
    )
    return CampaignFigures(
        targets=campaign.targets.count(),
        scored_targets=sum(1 for mean, _a, _b in results if mean is not None),
        responses=counts["total"],
        counted=counts["counted"],
        flagged=counts["flagged"],
        rejected=counts["rejected"],
        average=scoring.kind_average(mean for mean, _a, _b in results),
        previous_average=previous_average,
        awarded=sum(1 for _m, awarded, _b in results if awarded),
        below_min_sample=sum(1 for _m, _a, below in results if below),
        fully_satisfied=counts["full"],
        samples=samples["total"],
        samples_answered=samples["answered"],
        sample_units=samples["units"],
    )


def year_figures(year: int) -> dict[str, Any]:
    """The year's three evaluations as the office reports them (seed 000): per kind the
    confirmed campaign's figures, and the questionnaires counted across them."""
    out: dict[str, Any] = {"year": year, "kinds": {}, "questionnaires": 0}
    for kind in CampaignKind.values:
        campaign = (
            Campaign.objects.filter(kind=kind, year=year, status__in=[CampaignStatus.CONFIRMED, CampaignStatus.PUBLISHED])
            .order_by("-confirmed_at", "-id")
            .first()
        )
        if campaign is None:
            continue
        figures = campaign_figures(campaign)
        out["kinds"][kind] = {"campaign": campaign, "figures": figures}
        out["questionnaires"] += figures.counted
    return out


def rating_summary(qs: QuerySet[ServiceRating]) -> dict[str, Any]:
    counted = qs.filter(excluded=False)
    data = counted.aggregate(
        total=Count("id"),
        bad=Count("id", filter=Q(is_bad=True)),
        callback=Count("id", filter=Q(status=RatingStatus.CALLBACK)),
        fixing=Count("id", filter=Q(status__in=[RatingStatus.VERIFIED, RatingStatus.FIXING])),
        appealed=Count("id", filter=Q(status=RatingStatus.APPEALED)),
    )
    data["good_rate"] = (data["total"] - data["bad"]) / data["total"] if data["total"] else None
    return data

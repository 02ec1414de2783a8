"""The places of evaluations and service ratings in the navigation and on home pages."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from core import permissions as gate
from core.registry import home_panel, nav_item
from evaluations.choices import CampaignStatus, RatingStatus, ResponseStatus, SampleStatus
from evaluations.models import Response, SampledCase, ServiceRating

EVALUATIONS = _("评议与好差评")
nav_item(_("评议"), "evaluations:campaigns", "evaluations.campaign.view", order=400, group=EVALUATIONS)
nav_item(_("好差评"), "evaluations:ratings", "evaluations.rating.view", order=410, group=EVALUATIONS)
nav_item(_("我的评议"), "evaluations:my_invitations", "evaluations.invitation.answer", order=420, group=EVALUATIONS)


def _office(request: Any) -> dict[str, Any] | None:
    user = request.user
    if not gate.can(user, "evaluations.response.review"):
        return None
    return {
        "flagged": Response.objects.filter(
            status=ResponseStatus.FLAGGED, campaign__status__in=[CampaignStatus.OPEN, CampaignStatus.CLOSED]
        ).count(),
        "callbacks": ServiceRating.objects.filter(status=RatingStatus.CALLBACK).count(),
        "appeals": ServiceRating.objects.filter(status=RatingStatus.APPEALED).count(),
        "samples": SampledCase.objects.filter(status=SampleStatus.PENDING, campaign__status=CampaignStatus.OPEN).count(),
    }


def _unit(request: Any) -> dict[str, Any] | None:
    user = request.user
    if gate.scope_of(user, "evaluations.rating.resolve") is not gate.UNIT:
        return None
    ratings = gate.restrict(ServiceRating.objects.all(), user, "evaluations.rating.resolve")
    return {
        "to_handle": ratings.filter(status=RatingStatus.VERIFIED).count(),
        "fixing": ratings.filter(status=RatingStatus.FIXING).count(),
    }


home_panel("evaluations_office", "evaluations/panels/office.html", "evaluations.response.review", _office, order=120)
home_panel("evaluations_unit", "evaluations/panels/unit.html", "evaluations.rating.resolve", _unit, order=120)

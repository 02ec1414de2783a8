"""Filters of the evaluation lists — one definition for the pages and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.filters import BaseFilterSet, YesNoWidget
from core.forms import FastSelect
from evaluations.choices import CampaignKind, CampaignStatus, Channel, RatingStatus, ResponseStatus, SampleStatus
from evaluations.models import Campaign, Response, SampledCase, ServiceRating
from org.models import Unit


def _units(request: Any) -> QuerySet[Unit]:
    from org.selectors import unit_choices

    if request is None:
        return Unit.objects.none()
    return unit_choices(request.user)


class CampaignFilter(BaseFilterSet):
    q = django_filters.CharFilter(
        label=_("搜索"), method="search", widget=forms.TextInput(attrs={"type": "search", "placeholder": _("活动名称")})
    )
    kind = django_filters.ChoiceFilter(label=_("类别"), choices=CampaignKind.choices, empty_label=_("全部类别"))
    year = django_filters.NumberFilter(label=_("年度"))
    status = django_filters.ChoiceFilter(label=_("状态"), choices=CampaignStatus.choices, empty_label=_("全部"))

    class Meta(BaseFilterSet.Meta):
        model = Campaign
        fields = ["q", "kind", "year", "status"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(name__icontains=value)


class ResponseFilter(BaseFilterSet):
    campaign = django_filters.NumberFilter(label=_("活动"), field_name="campaign_id", widget=forms.HiddenInput())
    target = django_filters.NumberFilter(label=_("评议对象"), field_name="target_id", widget=forms.HiddenInput())
    status = django_filters.ChoiceFilter(label=_("状态"), choices=ResponseStatus.choices, empty_label=_("全部"))
    channel = django_filters.ChoiceFilter(label=_("渠道"), choices=Channel.choices, empty_label=_("全部"))

    class Meta(BaseFilterSet.Meta):
        model = Response
        fields = ["campaign", "target", "status", "channel"]


class SampleFilter(BaseFilterSet):
    status = django_filters.ChoiceFilter(label=_("状态"), choices=SampleStatus.choices, empty_label=_("全部"))
    q = django_filters.CharFilter(
        label=_("搜索"), method="search", widget=forms.TextInput(attrs={"type": "search", "placeholder": _("办件编号或单位")})
    )

    class Meta(BaseFilterSet.Meta):
        model = SampledCase
        fields = ["status", "q"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(case__ref__icontains=value) | Q(target__label__icontains=value))


class RatingFilter(BaseFilterSet):
    status = django_filters.ChoiceFilter(label=_("状态"), choices=RatingStatus.choices, empty_label=_("全部"))
    is_bad = django_filters.BooleanFilter(label=_("差评"), widget=YesNoWidget())
    unit = django_filters.ModelChoiceFilter(
        label=_("单位（含下级）"), queryset=_units, method="within", empty_label=_("全部单位"), widget=FastSelect
    )
    overdue = django_filters.BooleanFilter(label=_("整改逾期"), method="past_due", widget=YesNoWidget())

    class Meta(BaseFilterSet.Meta):
        model = ServiceRating
        fields = ["status", "is_bad", "unit", "overdue"]

    def within(self, queryset: QuerySet, name: str, value: Unit) -> QuerySet:
        return queryset.filter(unit__path__startswith=value.path)

    def past_due(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        from django.utils import timezone

        late = Q(status=RatingStatus.FIXING, due_date__lt=timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)

"""Filters of the case lists — one definition for the pages and the API. The figures
page links each number to this list with the filters that select its cases."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.choices import CaseKind, CaseStatus, Verdict
from cases.figures import cases_for_figure, period_bounds
from cases.models import Case, Channel
from core.filters import BaseFilterSet, YesNoWidget
from core.forms import DateInput, FastSelect
from org.models import Unit

FIGURES = (
    ("completed", _("已办结")),
    ("not_completed", _("未办结")),
    ("on_time", _("按时办结")),
    ("late", _("超期办结")),
    ("followed", _("已回访")),
    ("level_very_satisfied", _("非常满意")),
    ("level_satisfied", _("满意")),
    ("level_basically_satisfied", _("基本满意")),
    ("level_dissatisfied", _("不满意")),
    ("level_very_dissatisfied", _("非常不满意")),
    ("reopened", _("重办过")),
    ("returned", _("退单过")),
    ("signed_late", _("超时签收")),
)


def _units(request: Any) -> QuerySet[Unit]:
    from org.selectors import unit_choices

    if request is None:
        return Unit.objects.none()
    return unit_choices(request.user)


class CaseFilter(BaseFilterSet):
    q = django_filters.CharFilter(
        label=_("搜索"), method="search", widget=forms.TextInput(attrs={"type": "search", "placeholder": _("编号、标题或内容")})
    )
    status = django_filters.ChoiceFilter(label=_("状态"), choices=CaseStatus.choices, empty_label=_("全部状态"))
    kind = django_filters.ChoiceFilter(label=_("类别"), choices=CaseKind.choices, empty_label=_("全部类别"))
    channel = django_filters.ModelChoiceFilter(label=_("渠道"), queryset=Channel.objects.all(), empty_label=_("全部渠道"))
    unit = django_filters.ModelChoiceFilter(
        label=_("承办单位（含下级）"), queryset=_units, method="within", empty_label=_("全部单位"), widget=FastSelect
    )
    dispatched_to = django_filters.ModelChoiceFilter(
        label=_("曾派往"), queryset=_units, method="dispatched_within", empty_label=_("全部"), widget=forms.HiddenInput()
    )
    year = django_filters.NumberFilter(label=_("受理年份"), method="in_year", widget=forms.HiddenInput())
    month = django_filters.NumberFilter(label=_("受理月份"), method="in_month", widget=forms.HiddenInput())
    received_from = django_filters.DateFilter(label=_("受理日期从"), field_name="received_at", lookup_expr="date__gte", widget=DateInput())
    received_to = django_filters.DateFilter(label=_("受理日期至"), field_name="received_at", lookup_expr="date__lte", widget=DateInput())
    overdue = django_filters.BooleanFilter(label=_("已逾期"), method="is_overdue", widget=YesNoWidget())
    verdict = django_filters.ChoiceFilter(label=_("投诉认定"), choices=Verdict.choices[1:], empty_label=_("全部"))
    escalated = django_filters.BooleanFilter(label=_("提级督办"), widget=YesNoWidget())
    no_deadline = django_filters.BooleanFilter(label=_("期限待定"), method="without_deadline", widget=YesNoWidget())
    figure = django_filters.ChoiceFilter(label=_("统计口径"), choices=FIGURES, method="by_figure", empty_label=_("全部"))
    external_id = django_filters.CharFilter(label=_("来源系统编号"), widget=forms.HiddenInput())
    # exact units, for the links of the figures page (0: not dispatched)
    lead_unit = django_filters.NumberFilter(label=_("承办单位"), method="exact_unit", widget=forms.HiddenInput())
    dispatch_unit = django_filters.NumberFilter(label=_("派往单位"), method="exact_dispatch_unit", widget=forms.HiddenInput())

    class Meta(BaseFilterSet.Meta):
        model = Case
        fields = [
            "q",
            "status",
            "kind",
            "channel",
            "unit",
            "received_from",
            "received_to",
            "overdue",
            "verdict",
            "escalated",
            "no_deadline",
            "figure",
            "dispatched_to",
            "year",
            "month",
            "external_id",
            "lead_unit",
            "dispatch_unit",
        ]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        text = value.strip()
        q = Q(title__icontains=text) | Q(content__icontains=text)
        digits = text.upper().removeprefix("XN")
        if digits.isdigit():
            q |= Q(pk=int(digits))
        return queryset.filter(q)

    def within(self, queryset: QuerySet, name: str, value: Unit) -> QuerySet:
        return queryset.filter(unit__path__startswith=value.path)

    def dispatched_within(self, queryset: QuerySet, name: str, value: Unit) -> QuerySet:
        return queryset.filter(dispatches__unit__path__startswith=value.path).distinct()

    def exact_unit(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        return queryset.filter(unit__isnull=True) if not value else queryset.filter(unit_id=int(value))

    def exact_dispatch_unit(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        return queryset.filter(dispatches__unit_id=int(value)).distinct()

    def in_year(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        month = self.data.get("month") if self.data else None
        try:
            start, end = period_bounds(int(value), int(month) if month else None)
        except (TypeError, ValueError):
            return queryset.none()
        return queryset.filter(received_at__gte=start, received_at__lt=end)

    def in_month(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        return queryset  # applied together with the year

    def is_overdue(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        running = Q(status__in=[CaseStatus.DISPATCHED, CaseStatus.IN_PROGRESS, CaseStatus.RETURNED], deadline__lt=timezone.localdate())
        return queryset.filter(running) if value else queryset.exclude(running)

    def without_deadline(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        missing = Q(deadline__isnull=True) & ~Q(deadline_problem="")
        return queryset.filter(missing) if value else queryset.exclude(missing)

    def by_figure(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return cases_for_figure(queryset.exclude(status=CaseStatus.MERGED), value)


class ChannelFilter(BaseFilterSet):
    is_active = django_filters.BooleanFilter(label=_("启用"), widget=YesNoWidget())

    class Meta(BaseFilterSet.Meta):
        model = Channel
        fields = ["is_active"]

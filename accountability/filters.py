"""Filters of the accountability lists — one definition for the pages and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accountability.choices import (
    ApologyKind,
    ApologyStatus,
    ChargeSource,
    ChargeStatus,
    Measure,
    Outcome,
    ProposalKind,
    ProposalStatus,
    Rule,
    SanctionStatus,
)
from accountability.models import Apology, Charge, Proposal, Sanction
from core.filters import BaseFilterSet, YesNoWidget
from org.models import Unit


def _units(request: Any) -> QuerySet[Unit]:
    from org.selectors import unit_choices

    if request is None:
        return Unit.objects.none()
    return unit_choices(request.user, "accountability.unit.view")


def _search(placeholder: Any) -> django_filters.CharFilter:
    return django_filters.CharFilter(
        label=_("搜索"), method="search", widget=forms.TextInput(attrs={"type": "search", "placeholder": placeholder})
    )


class YearFilterMixin:
    def by_year(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        return queryset.filter(year=value)


def _year() -> django_filters.NumberFilter:
    return django_filters.NumberFilter(
        label=_("考核年度"), method="by_year", widget=forms.NumberInput(attrs={"placeholder": str(timezone.localdate().year)})
    )


class ProposalFilter(YearFilterMixin, BaseFilterSet):
    q = _search(_("姓名、单位或编号"))
    status = django_filters.ChoiceFilter(label=_("状态"), choices=ProposalStatus.choices, empty_label=_("全部"))
    kind = django_filters.ChoiceFilter(label=_("类别"), choices=ProposalKind.choices, empty_label=_("全部"))
    rule = django_filters.ChoiceFilter(label=_("依据规则"), choices=Rule.choices, empty_label=_("全部规则"))
    outcome = django_filters.ChoiceFilter(label=_("决定"), choices=Outcome.choices, empty_label=_("全部"), field_name="decision__outcome")
    under_review = django_filters.BooleanFilter(label=_("待复核"), field_name="decision__under_review", widget=YesNoWidget())
    year = _year()
    unit = django_filters.ModelChoiceFilter(label=_("单位（含下级）"), queryset=_units, method="within", empty_label=_("全部单位"))

    class Meta(BaseFilterSet.Meta):
        model = Proposal
        fields = ["q", "status", "kind", "rule", "outcome", "under_review", "year", "unit"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        q = Q(staff__name__icontains=value) | Q(unit__name__icontains=value) | Q(trigger__reference__iexact=value)
        if value.upper().startswith("JY") and value[2:].isdigit():
            q |= Q(pk=int(value[2:]))
        return queryset.filter(q)

    def within(self, queryset: QuerySet, name: str, value: Unit) -> QuerySet:
        return queryset.filter(Proposal.gate_unit_q(value))


class SanctionFilter(YearFilterMixin, BaseFilterSet):
    q = _search(_("姓名或单位"))
    measure = django_filters.ChoiceFilter(label=_("措施"), choices=Measure.choices, empty_label=_("全部措施"))
    status = django_filters.ChoiceFilter(label=_("状态"), choices=SanctionStatus.choices, empty_label=_("全部"))
    overdue = django_filters.BooleanFilter(label=_("逾期未落实"), method="by_overdue", widget=YesNoWidget())
    under_review = django_filters.BooleanFilter(label=_("待复核"), field_name="decision__under_review", widget=YesNoWidget())
    year = _year()
    unit = django_filters.ModelChoiceFilter(label=_("单位（含下级）"), queryset=_units, method="within", empty_label=_("全部单位"))

    class Meta(BaseFilterSet.Meta):
        model = Sanction
        fields = ["q", "measure", "status", "overdue", "under_review", "year", "unit"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(staff__name__icontains=value.strip()) | Q(unit__name__icontains=value.strip()))

    def by_overdue(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        late = Q(status=SanctionStatus.IN_FORCE, executed_on__isnull=True, due__lt=timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)

    def within(self, queryset: QuerySet, name: str, value: Unit) -> QuerySet:
        return queryset.filter(unit__path__startswith=value.path)


class ApologyFilter(YearFilterMixin, BaseFilterSet):
    kind = django_filters.ChoiceFilter(label=_("方式"), choices=ApologyKind.choices, empty_label=_("全部"))
    status = django_filters.ChoiceFilter(label=_("状态"), choices=ApologyStatus.choices, empty_label=_("全部"))
    overdue = django_filters.BooleanFilter(label=_("逾期未道歉"), method="by_overdue", widget=YesNoWidget())
    year = _year()
    unit = django_filters.ModelChoiceFilter(label=_("单位（含下级）"), queryset=_units, method="within", empty_label=_("全部单位"))

    class Meta(BaseFilterSet.Meta):
        model = Apology
        fields = ["kind", "status", "overdue", "year", "unit"]

    def by_overdue(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        late = Q(status=ApologyStatus.PENDING, due__lt=timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)

    def within(self, queryset: QuerySet, name: str, value: Unit) -> QuerySet:
        return queryset.filter(Apology.gate_unit_q(value))


class ChargeFilter(YearFilterMixin, BaseFilterSet):
    q = _search(_("姓名、单位、编号或摘要"))
    source = django_filters.ChoiceFilter(label=_("来源"), choices=ChargeSource.choices, empty_label=_("全部来源"))
    status = django_filters.ChoiceFilter(label=_("状态"), choices=ChargeStatus.choices, empty_label=_("全部"))
    year = _year()
    unit = django_filters.ModelChoiceFilter(label=_("单位（含下级）"), queryset=_units, method="within", empty_label=_("全部单位"))

    class Meta(BaseFilterSet.Meta):
        model = Charge
        fields = ["q", "source", "status", "year", "unit"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        return queryset.filter(
            Q(staff__name__icontains=value) | Q(unit__name__icontains=value) | Q(reference__iexact=value) | Q(summary__icontains=value)
        )

    def within(self, queryset: QuerySet, name: str, value: Unit) -> QuerySet:
        return queryset.filter(unit__path__startswith=value.path)

"""Filters of the registry lists — one definition for the pages and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.filters import BaseFilterSet, YesNoWidget
from core.forms import FastSelect
from org.choices import StaffRole, UnitKind, WhereaboutsKind
from org.models import Enterprise, Post, Staff, Unit, UnitCategory, Whereabouts

ACTIVE_CHOICES = ((True, _("在用")), (False, _("已停用")))


def _units(request: Any) -> QuerySet[Unit]:
    from org.selectors import unit_choices

    if request is None:
        return Unit.objects.none()
    return unit_choices(request.user)


class UnitFilter(BaseFilterSet):
    q = django_filters.CharFilter(
        label=_("搜索"), method="search", widget=forms.TextInput(attrs={"type": "search", "placeholder": _("名称或编码")})
    )
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=UnitKind.choices, empty_label=_("全部类型"))
    category = django_filters.ModelChoiceFilter(label=_("考评类别"), queryset=UnitCategory.objects.all(), empty_label=_("全部类别"))
    parent = django_filters.ModelChoiceFilter(
        label=_("上级单位"), queryset=_units, method="within", empty_label=_("全部"), widget=FastSelect
    )
    is_active = django_filters.BooleanFilter(label=_("状态"), widget=YesNoWidget())

    class Meta(BaseFilterSet.Meta):
        model = Unit
        fields = ["q", "kind", "category", "parent", "is_active"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value) | Q(short_name__icontains=value))

    def within(self, queryset: QuerySet, name: str, value: Unit) -> QuerySet:
        return queryset.filter(path__startswith=value.path).exclude(pk=value.pk)


class StaffFilter(BaseFilterSet):
    q = django_filters.CharFilter(
        label=_("搜索"), method="search", widget=forms.TextInput(attrs={"type": "search", "placeholder": _("姓名、职务或工号")})
    )
    unit = django_filters.ModelChoiceFilter(
        label=_("单位（含下级）"), queryset=_units, method="within", empty_label=_("全部单位"), widget=FastSelect
    )
    role_in_unit = django_filters.ChoiceFilter(label=_("职务类别"), choices=StaffRole.choices, empty_label=_("全部"))
    is_active = django_filters.BooleanFilter(label=_("在职"), widget=YesNoWidget())

    class Meta(BaseFilterSet.Meta):
        model = Staff
        fields = ["q", "unit", "role_in_unit", "is_active"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(name__icontains=value) | Q(title__icontains=value) | Q(employee_no=value))

    def within(self, queryset: QuerySet, name: str, value: Unit) -> QuerySet:
        return queryset.filter(unit__path__startswith=value.path)


class PostFilter(BaseFilterSet):
    unit = django_filters.ModelChoiceFilter(
        label=_("单位（含下级）"), queryset=_units, method="within", empty_label=_("全部单位"), widget=FastSelect
    )
    uncovered = django_filters.BooleanFilter(label=_("缺A角或B角"), method="missing", widget=YesNoWidget())

    class Meta(BaseFilterSet.Meta):
        model = Post
        fields = ["unit", "uncovered"]

    def within(self, queryset: QuerySet, name: str, value: Unit) -> QuerySet:
        return queryset.filter(unit__path__startswith=value.path)

    def missing(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        gap = Q(holder__isnull=True) | Q(backup__isnull=True)
        return queryset.filter(gap) if value else queryset.exclude(gap)


class WhereaboutsFilter(BaseFilterSet):
    unit = django_filters.ModelChoiceFilter(
        label=_("单位（含下级）"), queryset=_units, method="within", empty_label=_("全部单位"), widget=FastSelect
    )
    kind = django_filters.ChoiceFilter(label=_("去向"), choices=WhereaboutsKind.choices, empty_label=_("全部"))
    current = django_filters.BooleanFilter(label=_("当前离岗"), method="in_force", widget=YesNoWidget())

    class Meta(BaseFilterSet.Meta):
        model = Whereabouts
        fields = ["unit", "kind", "current"]

    def within(self, queryset: QuerySet, name: str, value: Unit) -> QuerySet:
        return queryset.filter(staff__unit__path__startswith=value.path)

    def in_force(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        current = Whereabouts.objects.current().values("pk")
        return queryset.filter(pk__in=current) if value else queryset.exclude(pk__in=current)


class EnterpriseFilter(BaseFilterSet):
    q = django_filters.CharFilter(
        label=_("搜索"), method="search", widget=forms.TextInput(attrs={"type": "search", "placeholder": _("名称或信用代码")})
    )
    industry = django_filters.CharFilter(label=_("行业"), lookup_expr="icontains")
    is_active = django_filters.BooleanFilter(label=_("存续"), widget=YesNoWidget())

    class Meta(BaseFilterSet.Meta):
        model = Enterprise
        fields = ["q", "industry", "is_active"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(name__icontains=value) | Q(credit_code__iexact=value.strip()))

"""Filters of the roster (pages and API)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.filters import BaseFilterSet
from supervisors.choices import SupervisorStatus
from supervisors.models import Supervisor


class SupervisorFilter(BaseFilterSet):
    q = django_filters.CharFilter(
        label=_("搜索"), method="search", widget=forms.TextInput(attrs={"type": "search", "placeholder": _("编号或姓名")})
    )
    status = django_filters.ChoiceFilter(label=_("状态"), choices=SupervisorStatus.choices, empty_label=_("全部"))

    class Meta(BaseFilterSet.Meta):
        model = Supervisor
        fields = ["q", "status"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))

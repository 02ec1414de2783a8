"""Filters of the inspection lists — one definition for the pages and the API. The
figures page links here: ``year``/``month``/``round``, ``unit`` and the flags
(``dispatched``, ``attended``, ``has_finding``, ``stage``) use the same definitions as
inspections.figures, so a list shows exactly the records a figure counts.

Filters a user cannot use are left out of the form (a unit user is never offered a list
of rounds), so the filter itself reveals nothing.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import permissions as gate
from core.filters import BaseFilterSet, YesNoWidget
from core.forms import FastSelect
from inspections import figures
from inspections.choices import (
    AssignmentStatus,
    CircularStatus,
    FindingStatus,
    InspectionMode,
    RoundKind,
    RoundStatus,
    TaskStatus,
    Verdict,
)
from inspections.models import Circular, Finding, InspectionRound, InspectionTask, TaskAssignment
from org.models import Unit


def _units(request: Any) -> QuerySet[Unit]:
    from org.selectors import unit_choices

    return unit_choices(request.user) if request is not None else Unit.objects.none()


def _rounds(request: Any) -> QuerySet[InspectionRound]:
    if request is None:
        return InspectionRound.objects.none()
    return gate.restrict(InspectionRound.objects.all(), request.user, "inspections.round.view")


class MonthFilter(django_filters.Filter):
    """``2025-03`` (what ``<input type=month>`` sends) → the rounds of March 2025."""

    field_class = forms.DateField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", ["%Y-%m"])
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "month"}, format="%Y-%m"))
        super().__init__(*args, **kwargs)


class PeriodFilterSet(BaseFilterSet):
    """Year, month and round, through the round a record belongs to (``round_path``)."""

    round_path = ""
    year = django_filters.NumberFilter(label=_("年度"), method="in_year", min_value=2000, max_value=2100)
    month = MonthFilter(label=_("月份"), method="in_month")
    round = django_filters.ModelChoiceFilter(label=_("轮次"), queryset=_rounds, method="in_round", empty_label=_("全部轮次"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        if not gate.can(user, "inspections.round.view"):
            self.filters.pop("round", None)
        if "unit" in self.filters and not gate.can(user, "org.unit.view"):
            self.filters.pop("unit")

    def _p(self, name: str) -> str:
        return f"{self.round_path}{name}"

    def in_year(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        return queryset.filter(**{self._p("month__year"): int(value)})

    def in_month(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        return queryset.filter(**{self._p("month"): value.replace(day=1)})

    def in_round(self, queryset: QuerySet, name: str, value: InspectionRound) -> QuerySet:
        key = self.round_path.removesuffix("__") or "pk"
        return queryset.filter(**{key: value.pk})


class RoundFilter(PeriodFilterSet):
    q = django_filters.CharFilter(
        label=_("搜索"), method="search", widget=forms.TextInput(attrs={"type": "search", "placeholder": _("名称或主题")})
    )
    kind = django_filters.ChoiceFilter(label=_("类别"), choices=RoundKind.choices, empty_label=_("全部"))
    status = django_filters.ChoiceFilter(label=_("状态"), choices=RoundStatus.choices, empty_label=_("全部"))

    class Meta(BaseFilterSet.Meta):
        model = InspectionRound
        fields = ["q", "year", "month", "kind", "status"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters.pop("round", None)

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(title__icontains=value) | Q(theme__icontains=value))


class TaskFilter(PeriodFilterSet):
    round_path = "round__"
    unit = django_filters.ModelChoiceFilter(
        label=_("检查对象（含下级）"), queryset=_units, method="for_unit", empty_label=_("全部单位"), widget=FastSelect
    )
    status = django_filters.ChoiceFilter(label=_("状态"), choices=TaskStatus.choices, empty_label=_("全部"))
    mode = django_filters.ChoiceFilter(label=_("方式"), choices=InspectionMode.choices, empty_label=_("全部"))
    dispatched = django_filters.BooleanFilter(label=_("已派发"), method="is_dispatched", widget=YesNoWidget())
    attended = django_filters.BooleanFilter(label=_("有人出勤"), method="is_attended", widget=YesNoWidget())
    has_finding = django_filters.BooleanFilter(label=_("有提交的线索"), method="with_finding", widget=YesNoWidget())

    class Meta(BaseFilterSet.Meta):
        model = InspectionTask
        fields = ["year", "month", "round", "unit", "status", "mode", "dispatched", "attended", "has_finding"]

    def for_unit(self, queryset: QuerySet, name: str, value: Unit) -> QuerySet:
        return queryset.filter(figures.task_targets(value.path))

    def is_dispatched(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.filter(figures.DISPATCHED_TASK) if value else queryset.exclude(figures.DISPATCHED_TASK)

    def is_attended(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.filter(figures.task_attended()) if value else queryset.exclude(figures.task_attended())

    def with_finding(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        # per unit, a task counts for the unit only if a finding was made there
        unit = self.form.cleaned_data.get("unit") if "unit" in self.filters else None
        condition = figures.task_has_finding(unit.path if unit else None)
        return queryset.filter(condition) if value else queryset.exclude(condition)


class AssignmentFilter(PeriodFilterSet):
    round_path = "task__round__"
    unit = django_filters.ModelChoiceFilter(
        label=_("检查对象（含下级）"), queryset=_units, method="for_unit", empty_label=_("全部单位"), widget=FastSelect
    )
    status = django_filters.ChoiceFilter(label=_("状态"), choices=AssignmentStatus.choices, empty_label=_("全部"))
    dispatched = django_filters.BooleanFilter(label=_("任务已派发"), method="is_dispatched", widget=YesNoWidget())
    attended = django_filters.BooleanFilter(label=_("出勤"), method="is_attended", widget=YesNoWidget())
    supervisor = django_filters.NumberFilter(label=_("监督员编号"), field_name="supervisor_id", widget=forms.HiddenInput())

    class Meta(BaseFilterSet.Meta):
        model = TaskAssignment
        fields = ["year", "month", "round", "unit", "status", "dispatched", "attended", "supervisor"]

    def for_unit(self, queryset: QuerySet, name: str, value: Unit) -> QuerySet:
        tasks = InspectionTask.objects.filter(figures.task_targets(value.path))
        return queryset.filter(task__in=tasks)

    def is_dispatched(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        tasks = InspectionTask.objects.filter(figures.DISPATCHED_TASK)
        return queryset.filter(task__in=tasks) if value else queryset.exclude(task__in=tasks)

    def is_attended(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.filter(figures.ATTENDED_ASSIGNMENT) if value else queryset.exclude(figures.ATTENDED_ASSIGNMENT)


STAGE_CHOICES = [(key, _(label)) for key, label in figures.STAGE_LABELS.items()]


class FindingFilter(PeriodFilterSet):
    round_path = "task__round__"
    q = django_filters.CharFilter(
        label=_("搜索"), method="search", widget=forms.TextInput(attrs={"type": "search", "placeholder": _("编号、描述或单位")})
    )
    unit = django_filters.ModelChoiceFilter(
        label=_("单位（含下级）"), queryset=_units, method="for_unit", empty_label=_("全部单位"), widget=FastSelect
    )
    status = django_filters.ChoiceFilter(label=_("状态"), choices=FindingStatus.choices, empty_label=_("全部状态"))
    stage = django_filters.ChoiceFilter(label=_("统计口径"), choices=STAGE_CHOICES, method="at_stage", empty_label=_("全部"))
    verdict = django_filters.ChoiceFilter(label=_("核查结论"), choices=Verdict.choices, empty_label=_("全部"))
    overdue = django_filters.BooleanFilter(label=_("已逾期"), method="is_overdue", widget=YesNoWidget())

    class Meta(BaseFilterSet.Meta):
        model = Finding
        fields = ["q", "year", "month", "round", "unit", "status", "stage", "verdict", "overdue"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not gate.can(getattr(self.request, "user", None), "inspections.figures.view"):
            self.filters.pop("stage")  # the figures' definitions: of no use to those without figures

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        condition = Q(description__icontains=value) | Q(unit__name__icontains=value) | Q(item_name__icontains=value)
        digits = value.upper().removeprefix("XS").lstrip("0")
        if digits.isdigit():
            condition |= Q(pk=int(digits))
        return queryset.filter(condition)

    def for_unit(self, queryset: QuerySet, name: str, value: Unit) -> QuerySet:
        return queryset.filter(unit__path__startswith=value.path)

    def at_stage(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(figures.FINDING_STAGES[value]())

    def is_overdue(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        today = timezone.localdate()
        late = Q(status=FindingStatus.FED_BACK, verify_due__lt=today) | Q(status=FindingStatus.RECTIFYING, rectify_due__lt=today)
        return queryset.filter(late) if value else queryset.exclude(late)


class CircularFilter(BaseFilterSet):
    q = django_filters.CharFilter(
        label=_("搜索"), method="search", widget=forms.TextInput(attrs={"type": "search", "placeholder": _("文号或标题")})
    )
    year = django_filters.NumberFilter(label=_("年度"), field_name="issue_date__year")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=CircularStatus.choices, empty_label=_("全部"))

    class Meta(BaseFilterSet.Meta):
        model = Circular
        fields = ["q", "year", "status"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not gate.can(getattr(self.request, "user", None), "inspections.circular.change"):
            self.filters.pop("status")

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(number__icontains=value) | Q(title__icontains=value))

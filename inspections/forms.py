"""Forms of the inspection pages. They parse input only; the rules are in the services."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, DateTimeInput, StyledForm
from inspections.choices import InspectionMode, RoundKind, Verdict
from inspections.models import Finding, InspectionRound, InspectionTask
from org.choices import UnitKind
from org.forms import UnitChoiceField
from org.models import Staff, Unit, UnitCategory
from supervisors.models import Supervisor


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return f"{'　' * obj.depth}{obj.name}"


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Staff) -> str:
        return f"{obj.name}（{obj.unit.name}{'，' + obj.title if obj.title else ''}）"


def _supervisor_label(obj: Supervisor) -> str:
    return f"{obj.code} {obj.name}（{obj.employer.name}）"


class SupervisorChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Supervisor) -> str:
        return _supervisor_label(obj)


class OneSupervisorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Supervisor) -> str:
        return _supervisor_label(obj)


class FindingChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Finding) -> str:
        return f"{obj.reference} {obj.unit.name}：{obj.item_name}"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m", **kwargs)


# --- planning ---------------------------------------------------------------------------------
class RoundForm(StyledForm):
    kind = forms.ChoiceField(label=_("类别"), choices=RoundKind.choices, initial=RoundKind.REGULAR)
    theme = forms.CharField(
        label=_("专项主题"), max_length=100, required=False, help_text=_("专项暗访必填，如：上下班制度执行、拎早点上班")
    )
    month = forms.DateField(label=_("月份"), widget=MonthInput(), input_formats=["%Y-%m", "%Y-%m-%d"])
    title = forms.CharField(label=_("名称"), max_length=100, required=False, help_text=_("留空则按月份和主题自动命名"))
    scope_categories = forms.ModelMultipleChoiceField(
        label=_("按考评类别选择全部部门"),
        queryset=UnitCategory.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    scope_units = UnitMultipleChoiceField(
        label=_("另选单位（处室、窗口等）"),
        queryset=Unit.objects.filter(is_active=True),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )
    checklist = forms.MultipleChoiceField(
        label=_("检查项目"), choices=(), widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}), required=False
    )
    note = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, checklist: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.MultipleChoiceField, self.fields["checklist"]).choices = checklist

    def scope(self) -> list[Unit]:
        data = self.cleaned_data
        units = {u.pk: u for u in data.get("scope_units") or []}
        categories = data.get("scope_categories") or []
        for unit in Unit.objects.filter(kind=UnitKind.DEPARTMENT, category__in=categories, is_active=True):
            units.setdefault(unit.pk, unit)
        return sorted(units.values(), key=lambda u: u.path)


class BatchForm(StyledForm):
    start_date = forms.DateField(label=_("开始日期"), widget=DateInput())
    end_date = forms.DateField(label=_("结束日期"), widget=DateInput())
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class TaskForm(StyledForm):
    units = UnitMultipleChoiceField(label=_("检查对象"), queryset=Unit.objects.none(), widget=forms.SelectMultiple(attrs={"size": 10}))
    mode = forms.ChoiceField(label=_("方式"), choices=InspectionMode.choices, initial=InspectionMode.COVERT)
    window_start = forms.DateTimeField(label=_("开始时间"), widget=DateTimeInput())
    window_end = forms.DateTimeField(label=_("结束时间"), widget=DateTimeInput())
    team_size = forms.IntegerField(label=_("监督员人数"), min_value=1, max_value=10)
    instructions = forms.CharField(label=_("任务要求"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, round_: InspectionRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from django.db.models import Q

        within = Q(pk__in=[])
        for unit in round_.scope.all():
            within |= Q(path__startswith=unit.path)
        cast(forms.ModelMultipleChoiceField, self.fields["units"]).queryset = Unit.objects.filter(within, is_active=True).order_by("path")


class TeamForm(StyledForm):
    supervisors = SupervisorChoiceField(
        label=_("监督员"),
        queryset=Supervisor.objects.none(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text=_("只列出在任且无需回避的监督员。"),
    )
    reason = forms.CharField(label=_("人工调整的理由"), max_length=200, required=False, help_text=_("改变随机抽派结果时必填，将留档"))

    def __init__(self, *args: Any, task: InspectionTask, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from inspections.assignment import conflicting_units
        from supervisors.selectors import active_supervisors

        units = list(task.units.all())
        eligible = [s.pk for s in active_supervisors(timezone.localtime(task.window_start).date()) if not conflicting_units(s, units)]
        cast(forms.ModelMultipleChoiceField, self.fields["supervisors"]).queryset = (
            Supervisor.objects.filter(pk__in=eligible).select_related("employer").order_by("code")
        )


class ReplaceForm(StyledForm):
    supervisor = OneSupervisorChoiceField(
        label=_("指定监督员"), queryset=Supervisor.objects.none(), required=False, empty_label=_("（随机抽派）")
    )
    reason = forms.CharField(label=_("人工指定的理由"), max_length=200, required=False)

    def __init__(self, *args: Any, task: InspectionTask, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from supervisors.selectors import active_supervisors

        cast(forms.ModelChoiceField, self.fields["supervisor"]).queryset = active_supervisors(
            timezone.localtime(task.window_start).date()
        ).order_by("code")


class ReasonForm(StyledForm):
    reason = forms.CharField(label=_("理由"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


# --- findings -------------------------------------------------------------------------------
class FindingForm(StyledForm):
    unit = UnitChoiceField(label=_("被检查单位"), queryset=Unit.objects.none())
    item_code = forms.ChoiceField(label=_("检查项目"), choices=())
    observed_at = forms.DateTimeField(label=_("发现时间"), widget=DateTimeInput())
    place = forms.CharField(
        label=_("地点"), max_length=200, required=False, widget=forms.TextInput(attrs={"placeholder": _("如：二楼3号窗口")})
    )
    staff_hint = forms.CharField(
        label=_("人员特征"), max_length=100, required=False, widget=forms.TextInput(attrs={"placeholder": _("工牌号、工位、体貌特征")})
    )
    description = forms.CharField(label=_("问题描述"), widget=forms.Textarea(attrs={"rows": 5}), required=False, max_length=4000)
    files = MultipleFileField(label=_("证据文件"))  # type: ignore[assignment]  # a field named like BaseForm.files

    def __init__(self, *args: Any, finding: Finding, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from django.db.models import Q

        within = Q(pk__in=[])
        for unit in finding.task.units.all():
            within |= Q(path__startswith=unit.path)
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = Unit.objects.filter(within).order_by("path")
        cast(forms.ChoiceField, self.fields["item_code"]).choices = [(i["code"], i["name"]) for i in finding.task.round.checklist]
        self.fields["files"].widget.attrs.update({"accept": "image/*,video/*,audio/*"})


class ReviewForm(StyledForm):
    ACTIONS = (("confirm", _("确认")), ("return", _("退回补充证据")), ("dismiss", _("不予采用")))
    action = forms.ChoiceField(label=_("审核"), choices=ACTIONS, widget=forms.RadioSelect)
    staff = StaffChoiceField(label=_("涉及人员（可选）"), queryset=Staff.objects.none(), required=False)
    note = forms.CharField(label=_("意见或理由"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["staff"]).queryset = staff


class VerifyForm(StyledForm):
    verdict = forms.ChoiceField(label=_("核查结论"), choices=Verdict.choices, widget=forms.RadioSelect)
    explanation = forms.CharField(label=_("核查说明"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)
    staff = StaffChoiceField(label=_("涉及人员"), queryset=Staff.objects.none(), required=False)
    files = MultipleFileField(label=_("附件（图片、PDF、Word、Excel）"))  # type: ignore[assignment]  # a field named like BaseForm.files

    def __init__(self, *args: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["staff"]).queryset = staff


class RectifyForm(StyledForm):
    text = forms.CharField(label=_("整改情况"), widget=forms.Textarea(attrs={"rows": 5}), max_length=4000)
    files = MultipleFileField(label=_("附件（图片、PDF、Word、Excel）"))  # type: ignore[assignment]  # a field named like BaseForm.files


class DecisionForm(StyledForm):
    DECISIONS = (("accept", _("通过")), ("reject", _("不通过")))
    decision = forms.ChoiceField(label=_("决定"), choices=DECISIONS, widget=forms.RadioSelect)
    note = forms.CharField(label=_("意见或理由"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    new_due = forms.DateField(label=_("新的期限（不通过时；留空按政策天数计算）"), widget=DateInput(), required=False)


class DeadlineForm(StyledForm):
    new_due = forms.DateField(label=_("新的期限"), widget=DateInput())
    reason = forms.CharField(label=_("理由"), max_length=300)


# --- circulars ------------------------------------------------------------------------------
class CircularCreateForm(StyledForm):
    findings = FindingChoiceField(
        label=_("通报的问题"), queryset=Finding.objects.none(), widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})
    )
    title = forms.CharField(label=_("标题（留空自动拟定）"), max_length=200, required=False)

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["findings"]).queryset = candidates


class CircularForm(StyledForm):
    number = forms.CharField(label=_("文号"), max_length=60)
    title = forms.CharField(label=_("标题"), max_length=200)
    issuer = forms.CharField(label=_("发文机关"), max_length=100)
    addressee = forms.CharField(label=_("主送"), max_length=200)
    body = forms.CharField(
        label=_("正文"),
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=_("每段一行；以“一、”“二、”开头的行排为标题。"),
    )
    issue_date = forms.DateField(label=_("成文日期"), widget=DateInput())
    copy_to = forms.CharField(label=_("抄送"), max_length=300, required=False)

"""Forms of the cases pages (office, units, the public). They parse input only; the
services decide what is allowed."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.choices import CaseKind, FollowUpOutcome, Triage
from cases.models import Case, Channel
from core.forms import DateTimeInput, StyledForm
from org.forms import UnitChoiceField
from org.models import Staff, Unit
from org.selectors import unit_choices

YES_NO = ((True, _("是")), (False, _("否")))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (attachments)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def _levels() -> list[tuple[str, str]]:
    from core.selectors import policy_document

    _version, document = policy_document()
    return [(lv.code, lv.label) for lv in document.ratings.levels]


def _radios_as_checks(form: forms.Form) -> None:
    """Radio buttons get Bootstrap's check style (the shared mixin styles them as boxes)."""
    for field in form.fields.values():
        if isinstance(field.widget, forms.RadioSelect):
            field.widget.attrs["class"] = "form-check-input"


class IntakeForm(StyledForm):
    """The office enters a case taken by phone or letter."""

    channel = forms.ModelChoiceField(label=_("渠道"), queryset=Channel.objects.filter(is_active=True))
    kind = forms.ChoiceField(label=_("类别"), choices=CaseKind.choices)
    is_urgent = forms.BooleanField(label=_("紧急件（当日办结，2小时内响应）"), required=False)
    received_at = forms.DateTimeField(label=_("受理时间"), widget=DateTimeInput(), initial=timezone.now, required=False)
    title = forms.CharField(label=_("标题"), max_length=100, required=False, help_text=_("可不填，默认取内容开头"))
    content = forms.CharField(label=_("诉求内容"), widget=forms.Textarea(attrs={"rows": 5}))
    concerned_unit = UnitChoiceField(label=_("反映的单位"), queryset=Unit.objects.none(), required=False)
    anonymous = forms.BooleanField(label=_("匿名举报（不登记姓名和电话）"), required=False)
    contact_name = forms.CharField(label=_("姓名"), max_length=40, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    contact_consent = forms.BooleanField(label=_("诉求人同意承办单位直接联系"), required=False)
    triage = forms.ChoiceField(label=_("分诊"), choices=Triage.choices, required=False)
    triage_note = forms.CharField(
        label=_("分诊说明"), max_length=300, required=False, help_text=_("转办去向、告知的法定途径或不予受理的解释")
    )
    attachments = MultipleFileField(label=_("附件（图片、PDF等，最多5个）"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["concerned_unit"]).queryset = unit_choices(user)


class PublicSubmitForm(StyledForm):
    """What anyone may submit from a phone. ``website`` is a honeypot (people never see
    it); ``stamp`` is a signed time the form was shown (robots post too fast)."""

    kind = forms.ChoiceField(label=_("您要反映的是"), choices=CaseKind.choices, widget=forms.RadioSelect)
    concerned_unit = UnitChoiceField(
        label=_("涉及的单位（知道的话请选择）"), queryset=Unit.objects.none(), required=False, empty_label=_("不清楚")
    )
    content = forms.CharField(
        label=_("具体内容"),
        widget=forms.Textarea(attrs={"rows": 6, "placeholder": _("时间、地点、经过和您的诉求"), "maxlength": 2000}),
    )
    anonymous = forms.BooleanField(label=_("匿名举报（不留姓名和电话，只能凭查询码查看进展）"), required=False)
    contact_name = forms.CharField(label=_("姓名"), max_length=40, required=False)
    contact_phone = forms.CharField(label=_("手机号码"), max_length=20, required=False, widget=forms.TextInput(attrs={"inputmode": "tel"}))
    contact_consent = forms.BooleanField(label=_("同意承办单位直接与我联系"), required=False)
    attachments = MultipleFileField(label=_("图片或文件（可选，最多5个）"), required=False)
    website = forms.CharField(required=False, widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))
    stamp = forms.CharField(widget=forms.HiddenInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from org.choices import UnitKind

        cast(forms.ModelChoiceField, self.fields["concerned_unit"]).queryset = Unit.objects.filter(
            is_active=True, kind=UnitKind.DEPARTMENT
        ).order_by("sort_order", "code")
        _radios_as_checks(self)
        if not self.is_bound:
            self.initial["stamp"] = signing.TimestampSigner(salt="cases.public.submit").sign(str(int(timezone.now().timestamp())))


class TrackForm(StyledForm):
    code = forms.CharField(
        label=_("查询码"), max_length=20, widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"})
    )
    password = forms.CharField(label=_("查询密码"), max_length=20, widget=forms.PasswordInput(attrs={"inputmode": "numeric"}))


class RateForm(StyledForm):
    satisfaction = forms.ChoiceField(label=_("您对办理结果满意吗"), choices=(), widget=forms.RadioSelect)
    resolved = forms.TypedChoiceField(
        label=_("您的问题解决了吗"), choices=YES_NO, coerce=lambda v: v in (True, "True"), widget=forms.RadioSelect
    )
    comment = forms.CharField(label=_("意见（可选）"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["satisfaction"]).choices = _levels()
        _radios_as_checks(self)


class TriageForm(StyledForm):
    triage = forms.ChoiceField(label=_("分诊结果"), choices=Triage.choices[1:])
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


class DispatchForm(StyledForm):
    unit = UnitChoiceField(label=_("承办单位（牵头）"), queryset=Unit.objects.none())
    co_units = forms.ModelMultipleChoiceField(label=_("协办单位"), queryset=Unit.objects.none(), required=False)
    note = forms.CharField(label=_("派单意见"), max_length=300, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = unit_choices(user)
        cast(forms.ModelMultipleChoiceField, self.fields["co_units"]).queryset = unit_choices(user)
        self.fields["co_units"].widget.attrs["size"] = 6


class MergeForm(StyledForm):
    into = forms.IntegerField(label=_("并入的件（编号）"), widget=forms.HiddenInput())
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


class SignForm(StyledForm):
    first_responsible = forms.ModelChoiceField(label=_("首办责任人"), queryset=Staff.objects.none(), required=False)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if case.unit is not None:
            cast(forms.ModelChoiceField, self.fields["first_responsible"]).queryset = Staff.objects.filter(
                unit__path__startswith=case.unit.path, is_active=True
            ).select_related("unit")


class ReasonForm(StyledForm):
    reason = forms.CharField(label=_("理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(StyledForm):
    decision = forms.ChoiceField(label=_("决定"), choices=(("", "—"), ("yes", _("同意")), ("no", _("不同意"))))
    note = forms.CharField(label=_("意见"), max_length=300, required=False)


class ReplyForm(StyledForm):
    reply = forms.CharField(label=_("答复内容"), widget=forms.Textarea(attrs={"rows": 6}))
    attachments = MultipleFileField(label=_("附件（最多5个）"), required=False)


class FollowUpForm(StyledForm):
    outcome = forms.ChoiceField(label=_("回访结果"), choices=FollowUpOutcome.choices)
    satisfaction = forms.ChoiceField(label=_("满意度"), choices=(), required=False)
    resolved = forms.TypedChoiceField(
        label=_("问题是否解决"), choices=(("", "—"), *YES_NO), coerce=lambda v: v in (True, "True"), required=False, empty_value=None
    )
    note = forms.CharField(label=_("回访记录"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["satisfaction"]).choices = [("", "—"), *_levels()]


class JudgeForm(StyledForm):
    verdict = forms.ChoiceField(label=_("认定"), choices=(("", "—"), ("valid", _("有效投诉")), ("invalid", _("非有效投诉"))))
    first_responsible = forms.ModelChoiceField(label=_("首办责任人"), queryset=Staff.objects.none(), required=False)
    reason = forms.CharField(label=_("认定理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if case.unit is not None:
            cast(forms.ModelChoiceField, self.fields["first_responsible"]).queryset = Staff.objects.filter(
                unit__path__startswith=case.unit.path, is_active=True
            ).select_related("unit")
        self.initial.setdefault("first_responsible", case.first_responsible_id)


class ChannelForm(StyledForm):
    code = forms.SlugField(label=_("代码"), max_length=40)
    name = forms.CharField(label=_("名称"), max_length=60)
    is_platform = forms.BooleanField(label=_("六大平台之一"), required=False)
    sort_order = forms.IntegerField(label=_("排序"), min_value=0, initial=0, required=False)
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)


class FiguresForm(StyledForm):
    dimension = forms.ChoiceField(
        label=_("统计维度"),
        choices=(("unit", _("单位")), ("channel", _("渠道")), ("kind", _("类别")), ("month", _("月份"))),
        required=False,
    )
    year = forms.IntegerField(label=_("年份"), min_value=2000, max_value=2100, required=False)
    month = forms.TypedChoiceField(
        label=_("月份"), choices=[("", _("全年"))] + [(m, f"{m}月") for m in range(1, 13)], coerce=int, required=False, empty_value=None
    )
    channel = forms.ModelChoiceField(label=_("渠道"), queryset=Channel.objects.all(), required=False, empty_label=_("全部渠道"))
    kind = forms.ChoiceField(label=_("类别"), choices=[("", _("全部类别")), *CaseKind.choices], required=False)


class MonthForm(StyledForm):
    month = forms.DateField(
        label=_("月份"), input_formats=["%Y-%m"], widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"), required=False
    )


class ImportForm(StyledForm):
    file = forms.FileField(label=_("Excel 文件（.xlsx）"))

"""Forms of the evaluation pages. They parse input; the services validate and write."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, StyledForm
from core.policy_schema import SatisfactionLevel
from evaluations.choices import CampaignKind, Channel, QuestionKind, Resolution
from evaluations.models import Question, Questionnaire, RaterGroup
from org.forms import UnitChoiceField
from org.models import Unit


class CampaignForm(StyledForm):
    name = forms.CharField(label=_("名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类别"), choices=CampaignKind.choices)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, initial=lambda: timezone.localdate().year)
    start = forms.DateField(label=_("开始日期"), widget=DateInput())
    end = forms.DateField(label=_("结束日期"), widget=DateInput())
    questionnaire = forms.ModelChoiceField(
        label=_("问卷"), queryset=Questionnaire.objects.none(), required=False, help_text=_("只能选用已发布的问卷")
    )
    weighted = forms.BooleanField(label=_("按评议群体加权计分"), required=False)
    channels = forms.MultipleChoiceField(
        label=_("渠道"), choices=Channel.choices, widget=forms.CheckboxSelectMultiple, initial=[Channel.LINK, Channel.QR], required=False
    )
    sample_per_unit = forms.IntegerField(
        label=_("每单位抽样件数"), min_value=1, max_value=1000, initial=10, help_text=_("仅“千项办件看效能”使用")
    )
    description = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["questionnaire"]).queryset = Questionnaire.objects.filter(status="published")


class QuestionnaireForm(StyledForm):
    title = forms.CharField(label=_("标题"), max_length=100)
    intro = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class QuestionForm(StyledForm):
    kind = forms.ChoiceField(label=_("题型"), choices=QuestionKind.choices, initial=QuestionKind.SATISFACTION)
    text = forms.CharField(label=_("题目"), max_length=200, required=False)
    options = forms.CharField(label=_("选项（每行一个）"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    required = forms.BooleanField(label=_("必答"), required=False, initial=True)


QuestionFormSet = forms.formset_factory(QuestionForm, extra=0)


def question_rows(formset: Any) -> list[dict[str, Any]]:
    """The filled rows of the builder, in order (blank rows are ignored)."""
    rows = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or not (data.get("text") or "").strip():
            continue
        options = [line.strip() for line in (data.get("options") or "").splitlines() if line.strip()]
        rows.append({"kind": data["kind"], "text": data["text"], "options": options, "required": data.get("required", False)})
    return rows


def question_initial(questions: list[Question], blanks: int = 4) -> list[dict[str, Any]]:
    rows = [{"kind": q.kind, "text": q.text, "options": "\n".join(q.options), "required": q.required} for q in questions]
    return rows + [{"kind": QuestionKind.SATISFACTION, "required": True} for _ in range(blanks)]


class TargetsForm(StyledForm):
    units = forms.ModelMultipleChoiceField(
        label=_("评议对象"), queryset=Unit.objects.none(), widget=forms.SelectMultiple(attrs={"size": 16})
    )

    def __init__(self, *args: Any, queryset: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["units"]).queryset = queryset


class GroupForm(StyledForm):
    code = forms.SlugField(label=_("代码"), max_length=30)
    name = forms.CharField(label=_("群体名称"), max_length=40)
    weight = forms.FloatField(label=_("权重"), min_value=0, initial=1)
    is_public = forms.BooleanField(label=_("公开扫码答卷归入此群体"), required=False)


class InvitationForm(StyledForm):
    group = forms.ModelChoiceField(label=_("评议群体"), queryset=RaterGroup.objects.none())
    name = forms.CharField(label=_("受邀人"), max_length=60, help_text=_("如：市人大代表 王某"))

    def __init__(self, *args: Any, campaign: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["group"]).queryset = campaign.groups.all()


class ReviewForm(StyledForm):
    accept = forms.TypedChoiceField(
        label=_("复核结论"), choices=((1, _("有效，计入得分")), (0, _("剔除，不计入得分"))), coerce=lambda v: str(v) == "1"
    )
    note = forms.CharField(label=_("复核意见"), max_length=200, required=False)


class SampleDrawForm(StyledForm):
    seed = forms.IntegerField(label=_("抽样种子（留空则随机生成并记录）"), min_value=0, required=False)


class CallbackForm(StyledForm):
    reached = forms.TypedChoiceField(
        label=_("回访结果"), choices=((1, _("已接通，记录回答")), (0, _("未接通"))), coerce=lambda v: str(v) == "1", initial=1
    )
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


class ImportForm(StyledForm):
    file = forms.FileField(label=_("Excel 文件（.xlsx）"))


def level_choices(levels: list[SatisfactionLevel]) -> list[tuple[str, str]]:
    return [(level.code, level.label) for level in levels]


class RatingCallbackForm(StyledForm):
    verified = forms.TypedChoiceField(
        label=_("核实结论"), choices=((1, _("属实，交单位处理")), (0, _("不属实，办结"))), coerce=lambda v: str(v) == "1"
    )
    note = forms.CharField(label=_("回访记录"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class RatingResolveForm(StyledForm):
    resolution = forms.ChoiceField(
        label=_("处理方式"), choices=[(c, label) for c, label in Resolution.choices if c != Resolution.NOT_VERIFIED]
    )
    note = forms.CharField(label=_("处理情况"), widget=forms.Textarea(attrs={"rows": 3}))


class RatingFixedForm(StyledForm):
    note = forms.CharField(label=_("整改情况"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class RatingFixRateForm(StyledForm):
    level = forms.ChoiceField(label=_("评价人对整改的评价"), choices=())

    def __init__(self, *args: Any, levels: list[SatisfactionLevel], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["level"]).choices = level_choices(levels)


class RatingAppealForm(StyledForm):
    reason = forms.CharField(
        label=_("申诉理由"), widget=forms.Textarea(attrs={"rows": 3}), help_text=_("如：评价对象错误、恶意评价，请附依据")
    )


class RatingDecideForm(StyledForm):
    upheld = forms.TypedChoiceField(
        label=_("复核结论"), choices=((1, _("申诉成立，该差评不计")), (0, _("申诉不成立"))), coerce=lambda v: str(v) == "1"
    )
    note = forms.CharField(label=_("复核意见"), max_length=300)


class PosterUnitsForm(StyledForm):
    unit = UnitChoiceField(label=_("部门（其下全部窗口）"), queryset=Unit.objects.none(), required=False)

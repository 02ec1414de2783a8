"""Forms of the accountability pages. They parse input; the services validate the rules
(reasons required, terms that end after they start, one decision per proposal)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accountability.choices import DIRECT_CHANNELS, ApologyChannel, ApologyKind, IncidentKind, Measure, Outcome, ProposalKind, Rule
from accountability.models import Apology, Proposal
from core.forms import DateInput, StyledForm
from org.models import Staff, Unit


class DecisionForm(StyledForm):
    outcome = forms.ChoiceField(label=_("决定"), choices=Outcome.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("理由"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        help_text=_("调整或不予采纳须写明理由；采纳时可不填。"),
    )
    measures = forms.MultipleChoiceField(
        label=_("调整后的措施"), choices=Measure.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    staff = forms.ModelChoiceField(label=_("责任人"), queryset=Staff.objects.none(), required=False, empty_label=_("（不具名，计入单位）"))
    apology_kind = forms.ChoiceField(
        label=_("调整后的道歉方式"),
        choices=[("", "—"), (ApologyKind.DIRECT, ApologyKind.DIRECT.label), (ApologyKind.PUBLIC, ApologyKind.PUBLIC.label)],
        required=False,
    )
    term_start = forms.DateField(label=_("期限起"), widget=DateInput(), required=False, help_text=_("基层再上岗等有期限的措施必填"))
    term_end = forms.DateField(label=_("期限止"), widget=DateInput(), required=False, help_text=_("不填则按政策规定的月数计算"))
    due = forms.DateField(label=_("落实期限"), widget=DateInput(), required=False, help_text=_("不填则按政策规定的工作日数计算"))
    to_whom = forms.CharField(
        label=_("道歉对象"), max_length=200, required=False, help_text=_("不填：直接道歉为投诉人，公开道歉为社会公众")
    )

    def __init__(self, *args: Any, proposal: Proposal, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("measures", list(proposal.measures))
        super().__init__(*args, **kwargs)
        if proposal.kind == ProposalKind.SANCTION:
            for name in ("apology_kind", "to_whom"):
                del self.fields[name]
            if proposal.rule == Rule.FINDING:
                top = proposal.unit.top()
                people = (
                    Staff.objects.filter(unit__path__startswith=top.path, is_active=True)
                    .select_related("unit")
                    .order_by("unit__path", "name")
                )
                cast(forms.ModelChoiceField, self.fields["staff"]).queryset = people
                self.fields["staff"].initial = proposal.staff_id
            else:
                del self.fields["staff"]
        else:
            for name in ("measures", "staff", "term_start", "term_end"):
                del self.fields[name]
            if proposal.apology_kind == ApologyKind.JOINT:
                del self.fields["apology_kind"]


class ReviewForm(StyledForm):
    decision = forms.ChoiceField(
        label=_("复核结论"), choices=[("keep", _("维持原决定")), ("revoke", _("撤销原决定"))], widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("复核意见"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000)


class ExecuteForm(StyledForm):
    executed_on = forms.DateField(label=_("落实日期"), widget=DateInput(), required=False, initial=timezone.localdate)
    note = forms.CharField(label=_("落实情况"), max_length=300, required=False, help_text=_("如：已进行诫勉谈话；已到市交警支队报到"))


class ApologyForm(StyledForm):
    done_on = forms.DateField(label=_("道歉日期"), widget=DateInput(), required=False, initial=timezone.localdate)
    channel = forms.ChoiceField(label=_("道歉途径"), choices=ApologyChannel.choices, required=False)
    media_name = forms.CharField(
        label=_("媒体名称"), max_length=100, required=False, help_text=_("在报刊、电视台、网站上道歉的，填写媒体名称")
    )
    note = forms.CharField(label=_("说明"), max_length=300, required=False)
    proof = forms.FileField(label=_("证明材料"), required=False, help_text=_("照片、截图、见报版面或书面材料（图片、PDF、Word、Excel）"))

    def __init__(self, *args: Any, apology: Apology, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        direct = apology.kind == ApologyKind.DIRECT
        choices = [(code, label) for code, label in ApologyChannel.choices if (code in DIRECT_CHANNELS) == direct]
        cast(forms.ChoiceField, self.fields["channel"]).choices = [("", "—"), *choices]
        if direct:
            del self.fields["media_name"]


class UnitsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return f"{'　' * obj.depth}{obj.name}"


class IncidentForm(StyledForm):
    kind = forms.ChoiceField(label=_("情形"), choices=IncidentKind.choices, widget=forms.RadioSelect)
    occurred_on = forms.DateField(label=_("发生日期"), widget=DateInput(), required=False, initial=timezone.localdate)
    title = forms.CharField(label=_("事由"), max_length=200, required=False)
    source = forms.CharField(
        label=_("批评或曝光的机关、媒体"), max_length=120, required=False, help_text=_("如：省纪委监委通报、《临江日报》")
    )
    description = forms.CharField(label=_("情况说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    units = UnitsField(
        label=_("涉及单位"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("可多选；涉及多个单位的，由各单位主要负责人共同公开道歉"),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        from org.selectors import unit_choices

        super().__init__(*args, **kwargs)
        cast(UnitsField, self.fields["units"]).queryset = unit_choices(user, "org.unit.view")


class ReasonForm(StyledForm):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000)

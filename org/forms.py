"""Forms of the registry pages. They parse input; the services validate and write."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import DateTimeInput, FastSelect, StyledForm
from org.choices import StaffRole, UnitKind, WhereaboutsKind
from org.models import Staff, Unit, UnitCategory
from org.selectors import staff_choices, unit_choices


class UnitChoiceField(forms.ModelChoiceField):
    widget = FastSelect

    def label_from_instance(self, obj: Unit) -> str:
        return f"{'　' * obj.depth}{obj.name}"


class UnitForm(StyledForm):
    name = forms.CharField(label=_("名称"), max_length=100)
    short_name = forms.CharField(label=_("简称"), max_length=40, required=False)
    code = forms.CharField(label=_("编码"), max_length=30)
    kind = forms.ChoiceField(label=_("类型"), choices=UnitKind.choices)
    parent = UnitChoiceField(label=_("上级单位"), queryset=Unit.objects.none(), required=False, empty_label=_("（无，顶层单位）"))
    category = forms.ModelChoiceField(
        label=_("考评类别"), queryset=UnitCategory.objects.filter(is_active=True), required=False, help_text=_("部门必填")
    )
    location = forms.CharField(label=_("办公地点"), max_length=120, required=False)
    phone = forms.CharField(label=_("办公电话"), max_length=30, required=False)
    sort_order = forms.IntegerField(label=_("排序"), min_value=0, initial=0, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["parent"]).queryset = unit_choices(user, "org.unit.change")

    def clean_sort_order(self) -> int:
        return self.cleaned_data.get("sort_order") or 0


class CategoryForm(StyledForm):
    code = forms.SlugField(label=_("代码"), max_length=40)
    name = forms.CharField(label=_("名称"), max_length=60)
    description = forms.CharField(label=_("说明"), max_length=200, required=False)
    sort_order = forms.IntegerField(label=_("排序"), min_value=0, initial=0)


class StaffForm(StyledForm):
    name = forms.CharField(label=_("姓名"), max_length=40)
    unit = UnitChoiceField(label=_("单位"), queryset=Unit.objects.none())
    role_in_unit = forms.ChoiceField(label=_("职务类别"), choices=StaffRole.choices, initial=StaffRole.STAFF)
    title = forms.CharField(label=_("职务"), max_length=60, required=False)
    employee_no = forms.CharField(label=_("工号"), max_length=30, required=False)
    phone = forms.CharField(label=_("手机号码"), max_length=20, required=False)
    id_number = forms.CharField(label=_("身份证号"), max_length=18, required=False, help_text=_("加密存储，仅在需要时填写"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = unit_choices(user, "org.staff.change")


class PostForm(StyledForm):
    name = forms.CharField(label=_("岗位名称"), max_length=60)
    duties = forms.CharField(label=_("岗位职责"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    holder = forms.ModelChoiceField(label=_("A角（在岗人）"), queryset=Staff.objects.none(), required=False)
    backup = forms.ModelChoiceField(label=_("B角（替岗人）"), queryset=Staff.objects.none(), required=False)
    is_active = forms.BooleanField(label=_("在用（取消勾选即停用此岗位）"), required=False, initial=True)

    def __init__(self, *args: Any, user: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = staff_choices(user, unit=unit, perm="org.staff.view")
        cast(forms.ModelChoiceField, self.fields["holder"]).queryset = people
        cast(forms.ModelChoiceField, self.fields["backup"]).queryset = people


class WhereaboutsForm(StyledForm):
    staff = forms.ModelChoiceField(label=_("工作人员"), queryset=Staff.objects.none())
    kind = forms.ChoiceField(label=_("去向"), choices=WhereaboutsKind.choices)
    destination = forms.CharField(label=_("地点或事由"), max_length=120, required=False)
    start = forms.DateTimeField(label=_("离岗时间"), widget=DateTimeInput(), initial=timezone.now)
    expected_return = forms.DateTimeField(label=_("预计返回"), widget=DateTimeInput())

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["staff"]).queryset = staff_choices(user, perm="org.whereabouts.change")


class EnterpriseForm(StyledForm):
    name = forms.CharField(label=_("企业名称"), max_length=120)
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=18, min_length=18)
    legal_representative = forms.CharField(label=_("法定代表人"), max_length=40, required=False)
    industry = forms.CharField(label=_("行业"), max_length=60, required=False)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    contact_name = forms.CharField(label=_("联系人"), max_length=40, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)


class ImportForm(StyledForm):
    file = forms.FileField(label=_("Excel 文件（.xlsx）"))

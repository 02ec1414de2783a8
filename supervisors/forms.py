"""Forms of the roster pages."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.forms import DateInput, StyledForm
from core.permissions import Role
from org.forms import UnitChoiceField
from org.models import Unit
from supervisors.choices import SupervisorStatus


class SupervisorForm(StyledForm):
    code = forms.CharField(label=_("编号"), max_length=20)
    name = forms.CharField(label=_("姓名"), max_length=40)
    employer = UnitChoiceField(label=_("工作单位"), queryset=Unit.objects.filter(is_active=True))
    user = forms.ModelChoiceField(label=_("登录账号"), queryset=User.objects.filter(role=Role.SUPERVISOR, is_active=True), required=False)
    phone = forms.CharField(label=_("手机号码"), max_length=20, required=False)
    term_start = forms.DateField(label=_("任期开始"), widget=DateInput(), initial=timezone.localdate)
    term_end = forms.DateField(label=_("任期结束"), widget=DateInput(), initial=lambda: timezone.localdate() + timedelta(days=730))
    status = forms.ChoiceField(label=_("状态"), choices=SupervisorStatus.choices, initial=SupervisorStatus.ACTIVE)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

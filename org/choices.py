"""Kinds and statuses of the organisation registry."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    DEPARTMENT = "department", _("部门")
    DIVISION = "division", _("处室")
    WINDOW = "window", _("窗口")
    TOWNSHIP = "township", _("乡镇")
    STREET = "street", _("街道")


# Which kinds of unit may sit under which (None: at the top of the tree).
ALLOWED_PARENTS: dict[str, set[str | None]] = {
    UnitKind.DEPARTMENT: {None},
    UnitKind.TOWNSHIP: {None},
    UnitKind.STREET: {None},
    UnitKind.DIVISION: {UnitKind.DEPARTMENT, UnitKind.DIVISION, UnitKind.TOWNSHIP, UnitKind.STREET},
    UnitKind.WINDOW: {UnitKind.DEPARTMENT, UnitKind.DIVISION, UnitKind.TOWNSHIP, UnitKind.STREET},
}


class StaffRole(models.TextChoices):
    HEAD = "head", _("主要负责人")
    DEPUTY = "deputy", _("副职")
    DIVISION_HEAD = "division_head", _("处室负责人")
    STAFF = "staff", _("工作人员")


class WhereaboutsKind(models.TextChoices):
    MEETING = "meeting", _("开会")
    FIELD_WORK = "field_work", _("外出办事")
    BUSINESS_TRIP = "business_trip", _("出差")
    TRAINING = "training", _("培训学习")
    LEAVE = "leave", _("请假")
    OTHER = "other", _("其他")

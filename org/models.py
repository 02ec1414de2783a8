"""The organisation registry: units (a tree), assessment categories, staff, posts with
their AB backups, whereabouts notices and enterprises. Every other app refers to these.

Units carry a materialised ``path`` ("/0000012/0000040/", ids zero-padded so that the
path also sorts the tree) so that "this unit and everything below
it" is one indexed prefix query; ``org.services`` keeps it right when units move.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.fields import EncryptedCharField
from core.masking import mask_phone
from org.choices import StaffRole, UnitKind, WhereaboutsKind


class UnitCategory(models.Model):
    """An assessment category (党群部门 / 政府涉企涉民部门 / 中央、省驻单位 …); the
    assessment weights of each live in the policy, keyed by ``code``."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60, unique=True)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    gate_unit_field = None

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("考评类别")
        verbose_name_plural = _("考评类别")

    def __str__(self) -> str:
        return self.name


def _board_token() -> str:
    return secrets.token_urlsafe(24)


class Unit(models.Model):
    """A government body under supervision, or a part of one."""

    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    code = models.CharField(_("编码"), max_length=30, unique=True)
    kind = models.CharField(_("类型"), max_length=12, choices=UnitKind.choices)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("上级单位"))
    category = models.ForeignKey(
        UnitCategory, on_delete=models.PROTECT, null=True, blank=True, related_name="units", verbose_name=_("考评类别")
    )
    location = models.CharField(_("办公地点"), max_length=120, blank=True, help_text=_("如：市政务服务中心二楼"))
    phone = models.CharField(_("办公电话"), max_length=30, blank=True)
    path = models.CharField(max_length=255, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("在用"), default=True)
    board_token = models.CharField(max_length=40, unique=True, default=_board_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    gate_unit_field = ""

    class Meta:
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=UnitKind.DEPARTMENT) | Q(category__isnull=False),
                name="org_unit_department_has_category",
            ),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="org_unit_not_own_parent"),
        ]
        indexes = [
            models.Index(fields=["path"], name="org_unit_path_idx", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["kind", "is_active"], name="org_unit_kind_idx"),
            models.Index(fields=["parent", "sort_order"], name="org_unit_parent_idx"),
        ]
        verbose_name = _("单位")
        verbose_name_plural = _("单位")

    def __str__(self) -> str:
        return self.name

    def is_within(self, other: Unit) -> bool:
        """Whether this unit is ``other`` or lies below it."""
        return self.path.startswith(other.path)

    def top(self) -> Unit:
        """The department (or township/street) at the top of this unit's branch."""
        unit = self
        while unit.parent_id is not None:
            unit = unit.parent  # type: ignore[assignment]
        return unit


class Staff(models.Model):
    """A person working in a unit."""

    name = models.CharField(_("姓名"), max_length=40)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="staff", verbose_name=_("单位"))
    role_in_unit = models.CharField(_("职务类别"), max_length=16, choices=StaffRole.choices, default=StaffRole.STAFF)
    title = models.CharField(_("职务"), max_length=60, blank=True, help_text=_("如：副局长、科员"))
    employee_no = models.CharField(_("工号"), max_length=30, blank=True)
    phone = models.CharField(_("手机号码"), max_length=20, blank=True)
    id_number = EncryptedCharField(_("身份证号"), blank=True)
    is_active = models.BooleanField(_("在职"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    gate_unit_field = "unit"

    class Meta:
        ordering = ["unit__path", "name"]
        indexes = [models.Index(fields=["unit", "is_active"]), models.Index(fields=["name"])]
        verbose_name = _("工作人员")
        verbose_name_plural = _("工作人员")

    def __str__(self) -> str:
        return self.name

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)


class Post(models.Model):
    """A post in a unit, with its holder (A角) and named stand-in (B角, AB岗工作制)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="posts", verbose_name=_("单位"))
    name = models.CharField(_("岗位名称"), max_length=60)
    duties = models.TextField(_("岗位职责"), blank=True)
    holder = models.ForeignKey(
        Staff, on_delete=models.SET_NULL, null=True, blank=True, related_name="posts_held", verbose_name=_("A角（在岗人）")
    )
    backup = models.ForeignKey(
        Staff, on_delete=models.SET_NULL, null=True, blank=True, related_name="posts_backed", verbose_name=_("B角（替岗人）")
    )
    is_active = models.BooleanField(_("在用"), default=True)

    gate_unit_field = "unit"

    class Meta:
        ordering = ["unit__path", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="org_post_unique_name"),
            models.CheckConstraint(
                condition=Q(holder__isnull=True) | Q(backup__isnull=True) | ~Q(holder=models.F("backup")),
                name="org_post_backup_not_holder",
            ),
        ]
        verbose_name = _("岗位")
        verbose_name_plural = _("岗位")

    def __str__(self) -> str:
        return f"{self.unit.name} · {self.name}"


class WhereaboutsQuerySet(models.QuerySet):
    def current(self, at: object | None = None) -> WhereaboutsQuerySet:
        """Notices in force at ``at`` (now by default): started, not yet back."""
        moment = at or timezone.now()
        return self.filter(start__lte=moment, expected_return__gt=moment, ended_at__isnull=True)


class Whereabouts(models.Model):
    """A whereabouts notice (离岗告示): where an absent staff member is and until when."""

    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="whereabouts", verbose_name=_("工作人员"))
    kind = models.CharField(_("去向"), max_length=16, choices=WhereaboutsKind.choices)
    destination = models.CharField(_("地点或事由"), max_length=120, blank=True)
    start = models.DateTimeField(_("离岗时间"))
    expected_return = models.DateTimeField(_("预计返回"))
    ended_at = models.DateTimeField(_("实际返回"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WhereaboutsQuerySet.as_manager()
    gate_unit_field = "staff__unit"

    class Meta:
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(condition=Q(expected_return__gt=models.F("start")), name="org_whereabouts_return_after_start"),
        ]
        indexes = [models.Index(fields=["staff", "start"]), models.Index(fields=["expected_return", "ended_at"])]
        verbose_name = _("离岗告示")
        verbose_name_plural = _("离岗告示")

    def __str__(self) -> str:
        return f"{self.staff.name} {self.get_kind_display()}"


class Enterprise(models.Model):
    """An enterprise, identified by its unified social credit code."""

    name = models.CharField(_("企业名称"), max_length=120)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    legal_representative = models.CharField(_("法定代表人"), max_length=40, blank=True)
    industry = models.CharField(_("行业"), max_length=60, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=40, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    is_active = models.BooleanField(_("存续"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    gate_unit_field = None  # enterprises are not inside a unit; unit roles do not list them

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["name"])]
        verbose_name = _("企业")
        verbose_name_plural = _("企业")

    def __str__(self) -> str:
        return self.name

    @property
    def contact_phone_masked(self) -> str:
        return mask_phone(self.contact_phone)

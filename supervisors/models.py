"""The roster of efficiency supervisors (效能监督员): volunteers, each employed by some
unit (which they may never inspect — conflict of interest, RULES.md §1), serving a term."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.masking import mask_phone
from supervisors.choices import SupervisorStatus


class Supervisor(models.Model):
    code = models.CharField(_("编号"), max_length=20, unique=True)
    name = models.CharField(_("姓名"), max_length=40)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="supervisor", verbose_name=_("登录账号")
    )
    employer = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        related_name="supervisors_employed",
        verbose_name=_("工作单位"),
        help_text=_("回避：不得检查本单位及其上下级单位"),
    )
    phone = models.CharField(_("手机号码"), max_length=20, blank=True)
    term_start = models.DateField(_("任期开始"))
    term_end = models.DateField(_("任期结束"))
    status = models.CharField(_("状态"), max_length=12, choices=SupervisorStatus.choices, default=SupervisorStatus.ACTIVE)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    gate_unit_field = None  # never scoped by unit: a unit must not learn who supervises
    gate_own_q = staticmethod(lambda user: Q(user=user))

    class Meta:
        ordering = ["code"]
        constraints = [models.CheckConstraint(condition=Q(term_end__gt=models.F("term_start")), name="supervisors_term_order")]
        indexes = [models.Index(fields=["status", "term_end"])]
        verbose_name = _("效能监督员")
        verbose_name_plural = _("效能监督员")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    @property
    def in_term(self) -> bool:
        today = timezone.localdate()
        return self.status == SupervisorStatus.ACTIVE and self.term_start <= today <= self.term_end

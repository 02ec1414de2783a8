"""Statuses of supervisors."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SupervisorStatus(models.TextChoices):
    ACTIVE = "active", _("在任")
    SUSPENDED = "suspended", _("暂停")
    ENDED = "ended", _("已卸任")

"""Kinds and statuses of inspections (GLOSSARY.md "Inspections")."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RoundKind(models.TextChoices):
    REGULAR = "regular", _("常态暗访")
    SPECIAL = "special", _("专项暗访")


class RoundStatus(models.TextChoices):
    OPEN = "open", _("进行中")
    CLOSED = "closed", _("已结束")


class InspectionMode(models.TextChoices):
    OPEN = "open", _("明查")
    COVERT = "covert", _("暗访")
    WALKTHROUGH = "walkthrough", _("走流程")


class TaskStatus(models.TextChoices):
    PLANNED = "planned", _("待派发")
    DISPATCHED = "dispatched", _("已派发")
    CANCELLED = "cancelled", _("已取消")


class AssignmentStatus(models.TextChoices):
    PENDING = "pending", _("待确认")
    ACCEPTED = "accepted", _("已接受")
    DECLINED = "declined", _("已拒绝")
    ARRIVED = "arrived", _("已到达")
    REPORTED = "reported", _("已报告")


ATTENDED_STATUSES = (AssignmentStatus.ARRIVED, AssignmentStatus.REPORTED)


class AssignmentSource(models.TextChoices):
    AUTO = "auto", _("随机抽派")
    MANUAL = "manual", _("人工指定")


class FindingStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审核")
    RETURNED = "returned", _("退回补充证据")
    DISMISSED = "dismissed", _("不予采用")
    CONFIRMED = "confirmed", _("已确认，待反馈")
    FED_BACK = "fed_back", _("已反馈，待核查")
    DISPUTED = "disputed", _("单位称不属实，待审核")
    RECTIFYING = "rectifying", _("整改中")
    RECTIFIED = "rectified", _("整改待验收")
    CLOSED = "closed", _("已办结")
    UNTRUE = "untrue", _("经核不属实")


# statuses in which the unit has been told (反馈) and may see the finding
FED_BACK_STATUSES = (
    FindingStatus.FED_BACK,
    FindingStatus.DISPUTED,
    FindingStatus.RECTIFYING,
    FindingStatus.RECTIFIED,
    FindingStatus.CLOSED,
    FindingStatus.UNTRUE,
)
# statuses in which the supervisor may still change the finding
EDITABLE_STATUSES = (FindingStatus.DRAFT, FindingStatus.RETURNED)


class Verdict(models.TextChoices):
    TRUE = "true", _("属实")
    PARTLY_TRUE = "partly_true", _("部分属实")
    UNTRUE = "untrue", _("不属实")


TRUE_VERDICTS = (Verdict.TRUE, Verdict.PARTLY_TRUE)


class EvidenceStage(models.TextChoices):
    FINDING = "finding", _("现场证据")
    VERIFICATION = "verification", _("核查材料")
    RECTIFICATION = "rectification", _("整改材料")


class RectificationDecision(models.TextChoices):
    PENDING = "pending", _("待验收")
    ACCEPTED = "accepted", _("验收通过")
    REJECTED = "rejected", _("验收不通过")


class CircularStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已印发")

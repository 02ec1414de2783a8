"""Kinds, statuses and outcomes of cases (GLOSSARY.md "Cases")."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseKind(models.TextChoices):
    COMPLAINT = "complaint", _("投诉")
    REQUEST = "request", _("诉求")
    INQUIRY = "inquiry", _("咨询")
    SUGGESTION = "suggestion", _("建议")
    REPORT = "report", _("举报")
    PRAISE = "praise", _("表扬")


# Kinds that may be submitted without a name (RULES.md §2: anonymous reports are accepted).
ANONYMOUS_KINDS = frozenset({CaseKind.REPORT})
# Kinds that may be judged a valid complaint (有效投诉) after investigation.
JUDGEABLE_KINDS = frozenset({CaseKind.COMPLAINT, CaseKind.REPORT})


class CaseStatus(models.TextChoices):
    RECEIVED = "received", _("已受理")  # waiting for triage and dispatch
    DISPATCHED = "dispatched", _("待签收")
    RETURNED = "returned", _("退单待审")
    IN_PROGRESS = "in_progress", _("办理中")
    REPLIED = "replied", _("已答复待审核")
    FOLLOW_UP = "follow_up", _("已办结待回访")
    CLOSED = "closed", _("已结案")
    MERGED = "merged", _("已并单")


# Statuses in which a unit holds the case and its deadline runs.
OPEN_STATUSES = frozenset({CaseStatus.RECEIVED, CaseStatus.DISPATCHED, CaseStatus.RETURNED, CaseStatus.IN_PROGRESS})
# Statuses after the handling stage was closed (办结).
COMPLETED_STATUSES = frozenset({CaseStatus.FOLLOW_UP, CaseStatus.CLOSED})


class Triage(models.TextChoices):
    """Triage at intake (国办函〔2025〕66号)."""

    PENDING = "", _("待分诊")
    IN_SCOPE = "in_scope", _("受理办理")
    EMERGENCY = "emergency", _("紧急事项，已转应急热线")
    OTHER_ROUTE = "other_route", _("另有法定途径，已告知")
    OUT_OF_SCOPE = "out_of_scope", _("不属受理范围，已解释")


class ReturnReview(models.TextChoices):
    PENDING = "pending", _("待审核")
    ACCEPTED = "accepted", _("同意退单")
    REJECTED = "rejected", _("驳回退单")


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    GRANTED = "granted", _("已批准")
    REFUSED = "refused", _("不予批准")


class FollowUpOutcome(models.TextChoices):
    ANSWERED = "answered", _("已回访")
    UNREACHABLE = "unreachable", _("未接通")
    REFUSED = "refused", _("拒绝回访")


class FollowUpVia(models.TextChoices):
    PHONE = "phone", _("电话回访")
    PUBLIC = "public", _("群众网上评价")


class Verdict(models.TextChoices):
    NONE = "", _("未认定")
    VALID = "valid", _("有效投诉")
    INVALID = "invalid", _("非有效投诉")


class EventKind(models.TextChoices):
    """What happened to a case, for its timeline."""

    RECEIVED = "received", _("受理")
    TRIAGED = "triaged", _("分诊")
    DISPATCHED = "dispatched", _("派单")
    SIGNED = "signed", _("签收")
    CONTACTED = "contacted", _("联系诉求人")
    RETURNED = "returned", _("退单")
    RETURN_ACCEPTED = "return_accepted", _("同意退单")
    RETURN_REJECTED = "return_rejected", _("驳回退单")
    EXTENSION_REQUESTED = "extension_requested", _("申请延期")
    EXTENSION_GRANTED = "extension_granted", _("批准延期")
    EXTENSION_REFUSED = "extension_refused", _("不批准延期")
    REPLIED = "replied", _("答复")
    REPLY_APPROVED = "reply_approved", _("审核通过，办结")
    REPLY_SENT_BACK = "reply_sent_back", _("答复退回重办")
    FOLLOWED_UP = "followed_up", _("回访")
    RATED = "rated", _("群众评价")
    REOPENED = "reopened", _("重办")
    ESCALATED = "escalated", _("提级督办")
    CLOSED = "closed", _("结案")
    MERGED = "merged", _("并单")
    JUDGED = "judged", _("投诉认定")
    VERDICT_WITHDRAWN = "verdict_withdrawn", _("撤销认定")
    WARNED = "warned", _("临期预警")
    REMINDED = "reminded", _("逾期催办")
    ESCALATION_PROMPTED = "escalation_prompted", _("提请通报")
    DEADLINE_SET = "deadline_set", _("确定办理时限")


# Events the person who submitted the case sees on the public tracking page.
PUBLIC_EVENTS = frozenset(
    {
        EventKind.RECEIVED,
        EventKind.TRIAGED,
        EventKind.DISPATCHED,
        EventKind.SIGNED,
        EventKind.REPLY_APPROVED,
        EventKind.RATED,
        EventKind.REOPENED,
        EventKind.CLOSED,
        EventKind.MERGED,
    }
)

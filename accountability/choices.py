"""Kinds and statuses of accountability, and the measures with their Chinese names
(GLOSSARY.md "Accountability"). Which measure a rule proposes is the policy's business
(``AccountabilitySection``); what a measure is called and what it means is here."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Measure(models.TextChoices):
    ADMONITION_TALK = "admonition_talk", _("诫勉谈话")
    WRITTEN_SELF_CRITICISM = "written_self_criticism", _("书面检查")
    CIRCULATED_CRITICISM = "circulated_criticism", _("通报批评")
    EFFICIENCY_WARNING = "efficiency_warning", _("效能告诫")
    BARRED_FROM_EXCELLENT = "barred_from_excellent", _("年度考核不得评优")
    RATED_INCOMPETENT = "rated_incompetent", _("年度考核不称职")
    MANDATORY_TRAINING = "mandatory_training", _("强制性培训")
    TRANSFER_OFF_POST = "transfer_off_post", _("调离岗位")
    ADMINISTRATIVE_WARNING = "administrative_warning", _("行政警告处分")
    DISCIPLINARY_SANCTION = "disciplinary_sanction", _("视情节给予更重的纪律处分")
    DISMISSAL = "dismissal", _("辞退")
    GRASSROOTS_REASSIGNMENT = "grassroots_reassignment", _("基层再上岗")


# Measures that take effect in the annual rating: nothing to carry out, no deadline; the
# annual assessment reads them through ``selectors.rating_consequences``.
RATING_MEASURES = frozenset({Measure.BARRED_FROM_EXCELLENT, Measure.RATED_INCOMPETENT})
# Measures served over a term with a start and an end (the length is the policy's).
TERMED_MEASURES = frozenset({Measure.GRASSROOTS_REASSIGNMENT})

# The rules the seeds name for a measure, quoted in the sanction's basis (seed 002:
# 行政警告 and heavier sanctions "按《行政机关公务员处分条例》的有关条款", dismissal "按照
# 《公务员考核规定（试行）》的有关条款"). A measure without an entry rests on the policy alone.
MEASURE_BASIS: dict[str, str] = {
    Measure.ADMINISTRATIVE_WARNING: "《行政机关公务员处分条例》的有关条款",
    Measure.DISCIPLINARY_SANCTION: "《行政机关公务员处分条例》的有关条款",
    Measure.DISMISSAL: "《公务员考核规定（试行）》的有关条款",
}


def measure_label(code: str) -> str:
    """The Chinese name of a measure; an unknown code (a policy naming a measure this
    version of the platform does not know) is shown as it is, never dropped."""
    try:
        return str(Measure(code).label)
    except ValueError:
        return code


class ChargeSource(models.TextChoices):
    """Where a charge comes from. The last four are also the codes of the policy's
    ``public_apology_triggers``."""

    COMPLAINT = "complaint", _("有效投诉")
    INSPECTION = "inspection", _("明查暗访查实问题")
    SUPERIOR_CRITICISM = "superior_criticism", _("上级部门点名批评")
    MEDIA_EXPOSURE = "media_exposure", _("媒体曝光")
    ELECTRONIC_SUPERVISION = "electronic_supervision", _("电子监察发现违规")


class IncidentKind(models.TextChoices):
    """What the office records by hand (no other module reports it)."""

    SUPERIOR_CRITICISM = ChargeSource.SUPERIOR_CRITICISM.value, ChargeSource.SUPERIOR_CRITICISM.label
    MEDIA_EXPOSURE = ChargeSource.MEDIA_EXPOSURE.value, ChargeSource.MEDIA_EXPOSURE.label
    ELECTRONIC_SUPERVISION = ChargeSource.ELECTRONIC_SUPERVISION.value, ChargeSource.ELECTRONIC_SUPERVISION.label


class ChargeStatus(models.TextChoices):
    ACTIVE = "active", _("有效")
    WITHDRAWN = "withdrawn", _("已撤销")


class ProposalKind(models.TextChoices):
    SANCTION = "sanction", _("问责措施")
    APOLOGY = "apology", _("一把手道歉")


class Rule(models.TextChoices):
    """The rule of RULES.md §5 that produced a proposal."""

    LADDER = "ladder", _("首问责任追究阶梯")
    DISMISSAL = "dismissal", _("两年内累计有效投诉辞退")
    FINDING = "finding", _("明查暗访查实问题")
    APOLOGY_DIRECT = "apology_direct", _("一次有效投诉：直接道歉")
    APOLOGY_PUBLIC = "apology_public", _("公开道歉情形")
    APOLOGY_JOINT = "apology_joint", _("涉及多个单位：共同公开道歉")


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("待决定")
    DECIDED = "decided", _("已决定")
    WITHDRAWN = "withdrawn", _("已撤回")


class Outcome(models.TextChoices):
    ACCEPTED = "accepted", _("采纳")
    CHANGED = "changed", _("调整后采纳")
    REJECTED = "rejected", _("不予采纳")


class ReviewOutcome(models.TextChoices):
    OPEN = "", _("待复核")
    KEPT = "kept", _("维持")
    REVOKED = "revoked", _("撤销")


class ApologyKind(models.TextChoices):
    DIRECT = "direct", _("直接道歉")
    PUBLIC = "public", _("公开道歉")
    JOINT = "joint", _("共同公开道歉")


class ApologyChannel(models.TextChoices):
    """How an apology was made."""

    IN_PERSON = "in_person", _("当面道歉")
    PHONE = "phone", _("电话道歉")
    LETTER = "letter", _("书面致歉")
    NEWSPAPER = "newspaper", _("报刊")
    TELEVISION = "television", _("电视台")
    WEBSITE = "website", _("政务网站或新媒体")
    MEETING = "meeting", _("大会公开道歉")


DIRECT_CHANNELS = frozenset({ApologyChannel.IN_PERSON, ApologyChannel.PHONE, ApologyChannel.LETTER})
# public channels that must name the outlet (《××日报》, ××电视台, the website)
NAMED_MEDIA = frozenset({ApologyChannel.NEWSPAPER, ApologyChannel.TELEVISION, ApologyChannel.WEBSITE})


class ApologyStatus(models.TextChoices):
    PENDING = "pending", _("待道歉")
    DONE = "done", _("已道歉")
    REVOKED = "revoked", _("已撤销")


class SanctionStatus(models.TextChoices):
    IN_FORCE = "in_force", _("有效")
    REVOKED = "revoked", _("已撤销")

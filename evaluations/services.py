"""Writes of evaluations and service ratings. Pages, API, imports, tasks and the demo all
call these: each validates (messages in Chinese), runs in one transaction, changes state
with a conditional UPDATE that must hit exactly one row, and leaves an audit record.
Every number (levels and scores, minimum sample, thresholds, quotas, fraud limits,
deadlines) comes from the policy in force.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core import calendar
from core.audit import audit_record
from core.fields import keyed_digest
from core.notify import notify
from core.permissions import OFFICE_ROLES, UNIT_ROLES
from core.policy_schema import SatisfactionLevel
from core.queries import excluding
from core.selectors import policy_document
from evaluations import scoring
from evaluations.choices import (
    COUNTED_STATUSES,
    AppealStatus,
    CampaignKind,
    CampaignStatus,
    Channel,
    QuestionKind,
    QuestionnaireStatus,
    RatingStatus,
    Resolution,
    ResponseFlag,
    ResponseStatus,
    SampleStatus,
)
from evaluations.models import (
    Answer,
    Campaign,
    CampaignResult,
    CampaignTarget,
    HandledCase,
    Invitation,
    Question,
    Questionnaire,
    RaterGroup,
    Response,
    SampledCase,
    ServiceRating,
)
from org.choices import UnitKind
from org.models import Unit
from org.validators import normalise_phone, validate_mobile

PUBLIC_CHANNELS = (Channel.LINK, Channel.QR, Channel.API)
TARGET_KINDS = {
    CampaignKind.DIVISION_HEAD: {UnitKind.DIVISION},
    CampaignKind.WINDOW: {UnitKind.WINDOW},
    CampaignKind.HANDLED_CASES: {UnitKind.DEPARTMENT, UnitKind.TOWNSHIP, UnitKind.STREET, UnitKind.WINDOW, UnitKind.DIVISION},
    CampaignKind.DEPARTMENTS: {UnitKind.DEPARTMENT, UnitKind.TOWNSHIP, UnitKind.STREET},
}
MAX_TEXT = 1000


def device_digest(raw: str) -> str:
    """The keyed digest stored for a device cookie (the cookie itself is never stored)."""
    return keyed_digest(f"evaluations-device:{raw}") if raw else ""


def phone_digest(phone: str) -> str:
    return keyed_digest(f"evaluations-phone:{phone}") if phone else ""


def _levels(levels: Sequence[SatisfactionLevel]) -> dict[str, SatisfactionLevel]:
    return {level.code: level for level in levels}


def _clean_phone(phone: str, field: str = "phone") -> str:
    phone = normalise_phone((phone or "").strip())
    if phone:
        try:
            validate_mobile(phone)
        except ValidationError as exc:
            raise ValidationError({field: exc.messages[0]}) from exc
    return phone


def _one_row(updated: int, message: str) -> None:
    if updated != 1:
        raise ValidationError(message)


# --- questionnaires -------------------------------------------------------------------------
def _validate_questions(questions: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    if not questions:
        raise ValidationError({"questions": _("问卷至少要有一道题。")})
    cleaned: list[dict[str, Any]] = []
    problems: list[str] = []
    for number, raw in enumerate(questions, start=1):
        kind = raw.get("kind") or QuestionKind.SATISFACTION
        text = (raw.get("text") or "").strip()
        options = [str(o).strip() for o in (raw.get("options") or []) if str(o).strip()]
        if kind not in QuestionKind.values:
            problems.append(_("第%(n)s题：题型无效。") % {"n": number})
            continue
        if not text:
            problems.append(_("第%(n)s题：请填写题目。") % {"n": number})
        if len(text) > 200:
            problems.append(_("第%(n)s题：题目不能超过200字。") % {"n": number})
        if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            if len(options) < 2:
                problems.append(_("第%(n)s题：选择题至少要有两个选项。") % {"n": number})
            elif len(set(options)) != len(options):
                problems.append(_("第%(n)s题：选项不能重复。") % {"n": number})
        else:
            options = []
        cleaned.append({"kind": kind, "text": text, "options": options, "required": bool(raw.get("required", True))})
    if problems:
        raise ValidationError({"questions": problems})
    return cleaned


def questionnaire_create(*, actor: Any, title: str, questions: Sequence[Mapping[str, Any]], intro: str = "") -> Questionnaire:
    """A new draft questionnaire with its questions."""
    if not title.strip():
        raise ValidationError({"title": _("请填写问卷标题。")})
    cleaned = _validate_questions(questions)
    with transaction.atomic():
        questionnaire = Questionnaire.objects.create(title=title.strip(), intro=intro.strip(), created_by=actor)
        Question.objects.bulk_create([Question(questionnaire=questionnaire, position=i, **q) for i, q in enumerate(cleaned, start=1)])
        audit_record(action="evaluations.questionnaire.create", actor=actor, obj=questionnaire, detail={"questions": len(cleaned)})
    return questionnaire


def questionnaire_update(
    *, actor: Any, questionnaire: Questionnaire, title: str, questions: Sequence[Mapping[str, Any]], intro: str = ""
) -> Questionnaire:
    """Change a draft. A published questionnaire is frozen: make a new version instead."""
    if questionnaire.status != QuestionnaireStatus.DRAFT:
        raise ValidationError(_("已发布的问卷不能修改（已冻结）；如需调整，请“复制为新版本”。"))
    if not title.strip():
        raise ValidationError({"title": _("请填写问卷标题。")})
    cleaned = _validate_questions(questions)
    with transaction.atomic():
        updated = Questionnaire.objects.filter(pk=questionnaire.pk, status=QuestionnaireStatus.DRAFT).update(
            title=title.strip(), intro=intro.strip()
        )
        _one_row(updated, _("已发布的问卷不能修改（已冻结）；如需调整，请“复制为新版本”。"))
        Question.objects.filter(questionnaire=questionnaire).delete()
        Question.objects.bulk_create([Question(questionnaire=questionnaire, position=i, **q) for i, q in enumerate(cleaned, start=1)])
        questionnaire.refresh_from_db()
        audit_record(action="evaluations.questionnaire.update", actor=actor, obj=questionnaire, detail={"questions": len(cleaned)})
    return questionnaire


def questionnaire_publish(*, actor: Any, questionnaire: Questionnaire) -> Questionnaire:
    """Freeze the questionnaire so that campaigns can use it."""
    if not questionnaire.questions.exists():
        raise ValidationError(_("问卷至少要有一道题。"))
    with transaction.atomic():
        updated = Questionnaire.objects.filter(pk=questionnaire.pk, status=QuestionnaireStatus.DRAFT).update(
            status=QuestionnaireStatus.PUBLISHED, published_by=actor, published_at=timezone.now()
        )
        _one_row(updated, _("该问卷已经发布。"))
        questionnaire.refresh_from_db()
        audit_record(action="evaluations.questionnaire.publish", actor=actor, obj=questionnaire)
    return questionnaire


def questionnaire_new_version(*, actor: Any, source: Questionnaire) -> Questionnaire:
    """A draft copy of ``source`` as its next version (the way to change a published one)."""
    with transaction.atomic():
        copy = Questionnaire.objects.create(
            title=source.title, intro=source.intro, version=source.version + 1, based_on=source, created_by=actor
        )
        Question.objects.bulk_create(
            [
                Question(questionnaire=copy, position=q.position, kind=q.kind, text=q.text, options=q.options, required=q.required)
                for q in source.questions.all()
            ]
        )
        audit_record(action="evaluations.questionnaire.new_version", actor=actor, obj=copy, detail={"based_on": source.pk})
    return copy


# --- campaigns ------------------------------------------------------------------------------
CAMPAIGN_FIELDS = ("name", "kind", "year", "start", "end", "questionnaire", "weighted", "channels", "sample_per_unit", "description")


def _validate_campaign(fields: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    if not (fields.get("name") or "").strip():
        errors["name"] = _("请填写活动名称。")
    if fields.get("kind") not in CampaignKind.values:
        errors["kind"] = _("请选择评议类别。")
    start, end = fields.get("start"), fields.get("end")
    if start is None:
        errors["start"] = _("请填写开始日期。")
    if end is None:
        errors["end"] = _("请填写结束日期。")
    if start and end and end < start:
        errors["end"] = _("结束日期不能早于开始日期。")
    year = fields.get("year")
    if not year or not 2000 <= int(year) <= 2100:
        errors["year"] = _("请填写正确的年度。")
    questionnaire = fields.get("questionnaire")
    if questionnaire is not None and not questionnaire.is_published:
        errors["questionnaire"] = _("只能选用已发布（冻结）的问卷。")
    channels = list(fields.get("channels") or [])
    if any(c not in Channel.values for c in channels):
        errors["channels"] = _("渠道无效。")
    fields["channels"] = channels
    size = fields.get("sample_per_unit")
    if size is not None and not 1 <= int(size) <= 1000:
        errors["sample_per_unit"] = _("每单位抽样件数应在1到1000之间。")
    if errors:
        raise ValidationError(errors)
    fields["name"] = fields["name"].strip()
    return fields


def campaign_create(*, actor: Any, **fields: Any) -> Campaign:
    """A new campaign in preparation (筹备中)."""
    if set(fields) - set(CAMPAIGN_FIELDS):
        raise TypeError(f"unknown fields {set(fields) - set(CAMPAIGN_FIELDS)}")
    fields = _validate_campaign({"channels": [Channel.LINK, Channel.QR], "sample_per_unit": 10, **fields})
    with transaction.atomic():
        campaign = Campaign.objects.create(created_by=actor, **{k: v for k, v in fields.items() if v is not None})
        if campaign.kind != CampaignKind.HANDLED_CASES:
            RaterGroup.objects.create(campaign=campaign, code="public", name=_("群众"), weight=1, is_public=True)
        audit_record(action="evaluations.campaign.create", actor=actor, obj=campaign, detail={"kind": campaign.kind})
    return campaign


def campaign_update(*, actor: Any, campaign: Campaign, **fields: Any) -> Campaign:
    """Change a campaign in preparation; once open only its end date may move."""
    if set(fields) - set(CAMPAIGN_FIELDS):
        raise TypeError(f"unknown fields {set(fields) - set(CAMPAIGN_FIELDS)}")
    changed = {k for k, v in fields.items() if getattr(campaign, k) != v}
    if campaign.status != CampaignStatus.DRAFT and (campaign.status != CampaignStatus.OPEN or changed - {"end"}):
        raise ValidationError(_("活动已开始，除结束日期外不能再修改。"))
    merged = _validate_campaign({k: fields.get(k, getattr(campaign, k)) for k in CAMPAIGN_FIELDS})
    if campaign.status != CampaignStatus.DRAFT and merged["kind"] != campaign.kind:
        raise ValidationError({"kind": _("活动已开始，不能更改类别。")})
    changes = {k: {"from": str(getattr(campaign, k)), "to": str(merged[k])} for k in fields if getattr(campaign, k) != merged[k]}
    if not changes:
        return campaign
    with transaction.atomic():
        updated = Campaign.objects.filter(pk=campaign.pk, status=campaign.status).update(**{k: merged[k] for k in fields})
        _one_row(updated, _("活动状态已变化，请刷新后重试。"))
        campaign.refresh_from_db()
        audit_record(action="evaluations.campaign.update", actor=actor, obj=campaign, detail=changes)
    return campaign


def default_label(unit: Unit, kind: str) -> str:
    """A target's display name: a division's head by name, otherwise the unit's name."""
    if kind == CampaignKind.DIVISION_HEAD:
        from org.choices import StaffRole

        head = unit.staff.filter(role_in_unit=StaffRole.DIVISION_HEAD, is_active=True).order_by("pk").first()
        if head is not None:
            return f"{head.name}（{unit.name}）"
    return unit.name


def campaign_set_targets(*, actor: Any, campaign: Campaign, units: Iterable[Unit]) -> list[CampaignTarget]:
    """Choose the campaign's targets from the registry (replaces the previous choice)."""
    if campaign.status != CampaignStatus.DRAFT:
        raise ValidationError(_("活动已开始，不能再更改评议对象。"))
    chosen = list(dict.fromkeys(units))
    if not chosen:
        raise ValidationError({"units": _("请至少选择一个评议对象。")})
    allowed = TARGET_KINDS[CampaignKind(campaign.kind)]
    wrong = [u.name for u in chosen if u.kind not in allowed or not u.is_active]
    if wrong:
        raise ValidationError(
            {
                "units": _("以下单位不能作为“%(kind)s”的评议对象（类型不符或已停用）：%(names)s")
                % {"kind": CampaignKind(campaign.kind).label, "names": "、".join(wrong[:10])}
            }
        )
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if locked.status != CampaignStatus.DRAFT:
            raise ValidationError(_("活动已开始，不能再更改评议对象。"))
        existing = {t.unit_id: t for t in CampaignTarget.objects.filter(campaign=campaign)}
        keep = {u.pk for u in chosen}
        CampaignTarget.objects.filter(campaign=campaign).exclude(unit_id__in=keep).delete()
        new = [
            CampaignTarget(campaign=campaign, unit=u, label=default_label(u, campaign.kind), position=i)
            for i, u in enumerate(chosen, start=1)
            if u.pk not in existing
        ]
        CampaignTarget.objects.bulk_create(new)
        for i, u in enumerate(chosen, start=1):
            if u.pk in existing:
                CampaignTarget.objects.filter(pk=existing[u.pk].pk).update(position=i)
        audit_record(action="evaluations.campaign.targets", actor=actor, obj=campaign, detail={"targets": len(chosen)})
    return list(CampaignTarget.objects.filter(campaign=campaign).select_related("unit"))


def group_save(
    *, actor: Any, campaign: Campaign, code: str, name: str, weight: float, is_public: bool = False, group: RaterGroup | None = None
) -> RaterGroup:
    """Add or change a rater group and its weight (only while the campaign is prepared)."""
    if campaign.status != CampaignStatus.DRAFT:
        raise ValidationError(_("活动已开始，不能再更改评议群体和权重。"))
    errors: dict[str, str] = {}
    if not code.strip():
        errors["code"] = _("请填写代码。")
    if not name.strip():
        errors["name"] = _("请填写群体名称。")
    if weight is None or weight < 0:
        errors["weight"] = _("权重不能为负数。")
    if excluding(RaterGroup.objects.filter(campaign=campaign, code=code.strip()), group).exists():
        errors["code"] = _("代码“%(code)s”已被本活动的其他群体使用。") % {"code": code}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if is_public:
            excluding(RaterGroup.objects.filter(campaign=campaign), group).update(is_public=False)
        if group is None:
            position = RaterGroup.objects.filter(campaign=campaign).count() + 1
            group = RaterGroup.objects.create(
                campaign=campaign, code=code.strip(), name=name.strip(), weight=weight, is_public=is_public, position=position
            )
        else:
            RaterGroup.objects.filter(pk=group.pk).update(code=code.strip(), name=name.strip(), weight=weight, is_public=is_public)
            group.refresh_from_db()
        audit_record(action="evaluations.group.save", actor=actor, obj=group, detail={"weight": weight, "campaign": campaign.pk})
    return group


def invitation_create(*, actor: Any, campaign: Campaign, group: RaterGroup, name: str, user: Any = None) -> Invitation:
    """A personal link for an invited rater of ``group``."""
    if group.campaign_id != campaign.pk:
        raise ValidationError({"group": _("评议群体不属于本活动。")})
    if not name.strip():
        raise ValidationError({"name": _("请填写受邀人。")})
    if campaign.is_frozen:
        raise ValidationError(_("活动结果已确认，不能再邀请。"))
    with transaction.atomic():
        invitation = Invitation.objects.create(campaign=campaign, group=group, name=name.strip(), user=user)
        audit_record(action="evaluations.invitation.create", actor=actor, obj=invitation, detail={"group": group.code})
    return invitation


def invitation_revoke(*, actor: Any, invitation: Invitation) -> Invitation:
    with transaction.atomic():
        updated = Invitation.objects.filter(pk=invitation.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
        _one_row(updated, _("该邀请已经作废。"))
        invitation.refresh_from_db()
        audit_record(action="evaluations.invitation.revoke", actor=actor, obj=invitation)
    return invitation


def campaign_open(*, actor: Any, campaign: Campaign) -> Campaign:
    """Start taking answers."""
    errors = []
    if campaign.questionnaire is None or not campaign.questionnaire.is_published:
        errors.append(_("请先选用一份已发布的问卷。"))
    if not campaign.targets.exists():
        errors.append(_("请先选择评议对象。"))
    if campaign.weighted and not campaign.groups.filter(weight__gt=0).exists():
        errors.append(_("按群体加权的活动须至少有一个权重大于0的评议群体。"))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        updated = Campaign.objects.filter(pk=campaign.pk, status=CampaignStatus.DRAFT).update(status=CampaignStatus.OPEN)
        _one_row(updated, _("只有筹备中的活动可以开始。"))
        campaign.refresh_from_db()
        audit_record(action="evaluations.campaign.open", actor=actor, obj=campaign)
    return campaign


def campaign_close(*, actor: Any, campaign: Campaign) -> Campaign:
    """Stop taking answers."""
    with transaction.atomic():
        updated = Campaign.objects.filter(pk=campaign.pk, status=CampaignStatus.OPEN).update(status=CampaignStatus.CLOSED)
        _one_row(updated, _("只有进行中的活动可以结束。"))
        campaign.refresh_from_db()
        audit_record(action="evaluations.campaign.close", actor=actor, obj=campaign)
    return campaign


# --- scores ----------------------------------------------------------------------------------
def _previous_means(campaign: Campaign) -> dict[int, float]:
    """Last year's confirmed score of each unit in a campaign of the same kind."""
    previous = (
        Campaign.objects.filter(kind=campaign.kind, year=campaign.year - 1, status__in=[CampaignStatus.CONFIRMED, CampaignStatus.PUBLISHED])
        .order_by("-confirmed_at", "-id")
        .first()
    )
    if previous is None:
        return {}
    rows = CampaignResult.objects.filter(campaign=previous, mean__isnull=False).values_list("target__unit_id", "mean")
    return {unit_id: mean for unit_id, mean in rows if mean is not None}


def _compute(campaign: Campaign) -> int:
    """Recompute the campaign's results (inside the caller's transaction)."""
    version, doc = policy_document(on=campaign.end)
    policy = doc.evaluations
    weights = {g.code: g.weight for g in campaign.groups.all()} if campaign.weighted else None
    answered: dict[int, list[scoring.Answered]] = {}
    rows = Response.objects.filter(campaign=campaign, status__in=COUNTED_STATUSES, score__isnull=False).values_list(
        "target_id", "score", "group__code", "fully_satisfied", "submitted_at"
    )
    for target_id, score, group, full, submitted in rows:
        if score is not None:  # filtered above; the check is for the type checker
            answered.setdefault(target_id, []).append(scoring.Answered(score, group or "", full, submitted))
    targets = list(CampaignTarget.objects.filter(campaign=campaign).order_by("position", "id"))
    items = [
        scoring.Ranked(
            key=t,
            score=scoring.target_score(answered.get(t.pk, []), min_sample=policy.min_sample, confidence=policy.confidence, weights=weights),
            position=i,
        )
        for i, t in enumerate(targets)
    ]
    scoring.rank_and_award(
        items,
        threshold=policy.award_threshold,
        quota=policy.award_quota.get(campaign.kind, 0),
        tie_rule=policy.tie_break,
        min_sample=policy.min_sample,
        require_min_sample=policy.award_requires_min_sample,
    )
    previous = _previous_means(campaign)
    now = timezone.now()
    CampaignResult.objects.filter(campaign=campaign).delete()
    CampaignResult.objects.bulk_create(
        [
            CampaignResult(
                campaign=campaign,
                target=item.key,  # type: ignore[misc]
                n=item.score.n,
                mean=item.score.mean,
                ci_low=item.score.ci_low,
                ci_high=item.score.ci_high,
                weighted=item.score.weighted,
                below_min_sample=item.score.below_min_sample,
                fully_satisfied=item.score.fully_satisfied,
                rank=item.rank,
                awarded=item.awarded,
                previous_mean=previous.get(item.key.unit_id),  # type: ignore[attr-defined]
                policy_version=version,
                computed_at=now,
            )
            for item in items
        ]
    )
    Campaign.objects.filter(pk=campaign.pk).update(results_policy_version=version, results_computed_at=now)
    return version.pk


def campaign_compute(*, actor: Any, campaign: Campaign) -> Campaign:
    """Compute (or recompute) scores, intervals, ranks and proposed awards from the valid
    answers, with the policy in force on the campaign's last day."""
    if campaign.is_frozen:
        raise ValidationError(_("结果已确认并冻结，不能重新计算。"))
    if campaign.status == CampaignStatus.DRAFT:
        raise ValidationError(_("活动尚未开始，没有可计算的答卷。"))
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if locked.is_frozen:
            raise ValidationError(_("结果已确认并冻结，不能重新计算。"))
        version_id = _compute(locked)
        campaign.refresh_from_db()
        audit_record(action="evaluations.campaign.compute", actor=actor, obj=campaign, detail={"policy_version": version_id})
    return campaign


def campaign_confirm(*, actor: Any, campaign: Campaign) -> Campaign:
    """The office head confirms the results and awards: they are computed one last time
    and frozen. No flagged answer may still wait for review."""
    pending = Response.objects.filter(campaign=campaign, status=ResponseStatus.FLAGGED).count()
    if pending:
        raise ValidationError(_("还有 %(n)s 份被标记的答卷待复核，复核后才能确认结果。") % {"n": pending})
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if locked.status != CampaignStatus.CLOSED:
            raise ValidationError(_("只有已结束、尚未确认的活动可以确认结果。"))
        version_id = _compute(locked)
        updated = Campaign.objects.filter(pk=campaign.pk, status=CampaignStatus.CLOSED).update(
            status=CampaignStatus.CONFIRMED, confirmed_by=actor, confirmed_at=timezone.now()
        )
        _one_row(updated, _("只有已结束、尚未确认的活动可以确认结果。"))
        campaign.refresh_from_db()
        awarded = list(campaign.results.filter(awarded=True).values_list("target__label", flat=True))
        audit_record(
            action="evaluations.campaign.confirm",
            actor=actor,
            obj=campaign,
            detail={"policy_version": version_id, "awarded": awarded},
        )
    return campaign


def _unit_users(units: Iterable[Unit]) -> list[Any]:
    """Liaisons and heads whose scope covers any of ``units`` (their own unit or above)."""
    from accounts.models import User

    ancestor_ids: set[int] = set()
    for unit in units:
        ancestor_ids.update(int(pk) for pk in unit.path.strip("/").split("/") if pk)
    return list(User.objects.filter(role__in=sorted(UNIT_ROLES), unit_id__in=ancestor_ids, is_active=True))


def _office_users() -> list[Any]:
    from accounts.models import User

    return list(User.objects.filter(role__in=sorted(OFFICE_ROLES), is_active=True))


def campaign_publish(*, actor: Any, campaign: Campaign) -> Campaign:
    """Publish confirmed results: the rated units now see their own targets' results."""
    with transaction.atomic():
        updated = Campaign.objects.filter(pk=campaign.pk, status=CampaignStatus.CONFIRMED).update(
            status=CampaignStatus.PUBLISHED, published_at=timezone.now()
        )
        _one_row(updated, _("只有结果已确认的活动可以公布。"))
        campaign.refresh_from_db()
        audit_record(action="evaluations.campaign.publish", actor=actor, obj=campaign)
        units = [t.unit for t in campaign.targets.select_related("unit")]
        notify(
            recipients=_unit_users(units),
            kind="evaluations.campaign",
            title=_("“%(name)s”结果已公布") % {"name": campaign.name},
            url=f"/evaluations/campaigns/{campaign.pk}/results/",
        )
    return campaign


# --- responses -------------------------------------------------------------------------------
def _parse_answers(
    questions: Sequence[Question], answers: Mapping[Any, Any], levels: Mapping[str, SatisfactionLevel]
) -> list[dict[str, Any]]:
    parsed: list[dict[str, Any]] = []
    errors: dict[str, str] = {}
    for question in questions:
        raw = answers.get(question.pk, answers.get(str(question.pk)))
        key = f"q{question.pk}"
        if question.kind == QuestionKind.MULTIPLE:
            values = [raw] if isinstance(raw, str) else list(raw or [])
            values = [str(v) for v in values if str(v).strip()]
            if not values:
                if question.required:
                    errors[key] = _("第%(n)s题为必答题，请作答。") % {"n": question.position}
                continue
            if any(v not in question.options for v in values):
                errors[key] = _("第%(n)s题的选项无效。") % {"n": question.position}
                continue
            parsed.append({"question": question, "choices": values})
            continue
        if isinstance(raw, (list, tuple)):
            raw = raw[0] if raw else None
        value = "" if raw is None else str(raw).strip()
        if not value:
            if question.required:
                errors[key] = _("第%(n)s题为必答题，请作答。") % {"n": question.position}
            continue
        if question.kind == QuestionKind.SATISFACTION:
            level = levels.get(value)
            if level is None:
                errors[key] = _("第%(n)s题的评价等级无效。") % {"n": question.position}
                continue
            parsed.append({"question": question, "level": level.code, "score": level.score})
        elif question.kind == QuestionKind.SINGLE:
            if value not in question.options:
                errors[key] = _("第%(n)s题的选项无效。") % {"n": question.position}
                continue
            parsed.append({"question": question, "choices": [value]})
        else:
            if len(value) > MAX_TEXT:
                errors[key] = _("第%(n)s题的文字不能超过%(max)s字。") % {"n": question.position, "max": MAX_TEXT}
                continue
            parsed.append({"question": question, "text": value})
    if errors:
        raise ValidationError(errors)
    return parsed


def duplicate_message() -> str:
    return _("您已经评价过该对象，感谢您的参与！同一手机或设备在本期对同一对象只能评价一次。")


def response_submit(
    *,
    campaign: Campaign,
    target: CampaignTarget,
    answers: Mapping[Any, Any],
    channel: str,
    actor: Any = None,
    invitation: Invitation | None = None,
    group: RaterGroup | None = None,
    device: str = "",
    phone: str = "",
    ip: str | None = None,
    started_at: datetime | None = None,
    now: datetime | None = None,
) -> Response:
    """Record one rater's answers about one target, screened for fraud (RULES.md §2a/§3):
    one answer per phone or device per target per campaign (refused); answers faster than
    the minimum time, identical across all five-level questions, or part of a burst from
    one network address are kept but flagged — left out of scores until reviewed."""
    now = now or timezone.now()
    if target.campaign_id != campaign.pk:
        raise ValidationError({"target": _("评议对象不存在，请重新扫码或打开正确的链接。")})
    if channel not in Channel.values:
        raise ValidationError({"channel": _("渠道无效。")})
    if channel in PUBLIC_CHANNELS and not campaign.accepts_answers:
        if campaign.status == CampaignStatus.OPEN and timezone.localdate(now) < campaign.start:
            raise ValidationError(_("该评议活动尚未开始（%(start)s 开始）。") % {"start": campaign.start})
        raise ValidationError(_("该评议活动已结束，不再接受答卷。感谢您的关注！"))
    if campaign.status != CampaignStatus.OPEN:
        raise ValidationError(_("该评议活动已结束，不再接受答卷。感谢您的关注！"))
    if invitation is not None:
        if invitation.campaign_id != campaign.pk or invitation.revoked_at is not None:
            raise ValidationError(_("该邀请链接无效或已作废。"))
        group = invitation.group
    elif group is None and channel in PUBLIC_CHANNELS:
        group = campaign.groups.filter(is_public=True).first()
    if group is not None and group.campaign_id != campaign.pk:
        raise ValidationError({"group": _("评议群体不属于本活动。")})
    version, doc = policy_document(on=timezone.localdate(now))
    policy = doc.evaluations
    levels = _levels(policy.levels)
    questions = list(campaign.questionnaire.questions.all()) if campaign.questionnaire else []
    parsed = _parse_answers(questions, answers, levels)
    phone = _clean_phone(phone)
    device_key = device_digest(device) if policy.one_answer_per_device else ""
    phone_key = phone_digest(phone) if policy.one_answer_per_device else ""
    scored = [p["score"] for p in parsed if "score" in p]
    top = max(level.score for level in policy.levels)
    flags: list[str] = []
    duration = int((now - started_at).total_seconds()) if started_at is not None else None
    if channel in PUBLIC_CHANNELS:
        if duration is not None and duration < policy.min_answer_seconds:
            flags.append(ResponseFlag.FAST)
        scored_levels = [p["level"] for p in parsed if "level" in p]
        if len(scored_levels) >= policy.identical_min_questions and len(set(scored_levels)) == 1:
            flags.append(ResponseFlag.IDENTICAL)
        if ip:
            recent = Response.objects.filter(ip=ip, submitted_at__gte=now - timedelta(hours=1)).count()
            if recent + 1 > policy.burst_per_ip_per_hour:
                flags.append(ResponseFlag.BURST)
    duplicate = Q()
    if device_key:
        duplicate |= Q(device_key=device_key)
    if phone_key:
        duplicate |= Q(phone_key=phone_key)
    if invitation is not None:
        duplicate |= Q(invitation=invitation)
    if duplicate and Response.objects.filter(duplicate, campaign=campaign, target=target).exists():
        raise ValidationError(duplicate_message(), code="duplicate")
    try:
        with transaction.atomic():
            response = Response.objects.create(
                campaign=campaign,
                target=target,
                group=group,
                invitation=invitation,
                channel=channel,
                status=ResponseStatus.FLAGGED if flags else ResponseStatus.VALID,
                flags=flags,
                score=scoring.response_score(scored),
                fully_satisfied=bool(scored) and all(s >= top for s in scored),
                device_key=device_key,
                phone_key=phone_key,
                ip=ip,
                started_at=started_at,
                submitted_at=now,
                duration_seconds=max(duration, 0) if duration is not None else None,
                entered_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            Answer.objects.bulk_create(
                [
                    Answer(
                        response=response,
                        question=p["question"],
                        level=p.get("level", ""),
                        score=p.get("score"),
                        choices=p.get("choices", []),
                        text=p.get("text", ""),
                    )
                    for p in parsed
                ]
            )
            audit_record(
                action="evaluations.response.submit",
                actor=actor,
                obj=response,
                detail={"campaign": campaign.pk, "target": target.pk, "channel": channel, "flags": flags, "policy_version": version.pk},
            )
    except IntegrityError as exc:  # two submissions from one device at the same moment
        raise ValidationError(duplicate_message(), code="duplicate") from exc
    return response


def response_review(*, actor: Any, response: Response, accept: bool, note: str = "") -> Response:
    """The office's decision on a flagged answer: counted (复核有效) or left out (剔除)."""
    if response.campaign.is_frozen:
        raise ValidationError(_("活动结果已确认并冻结，不能再复核答卷。"))
    if not accept and not note.strip():
        raise ValidationError({"note": _("剔除答卷须写明理由。")})
    new = ResponseStatus.ACCEPTED if accept else ResponseStatus.REJECTED
    with transaction.atomic():
        updated = Response.objects.filter(pk=response.pk, status=ResponseStatus.FLAGGED).update(
            status=new, reviewed_by=actor, reviewed_at=timezone.now(), review_note=note.strip()[:200]
        )
        _one_row(updated, _("该答卷不在待复核状态。"))
        response.refresh_from_db()
        audit_record(action="evaluations.response.review", actor=actor, obj=response, detail={"status": new, "note": note})
    return response


# --- handled cases and sampling ------------------------------------------------------------------
def handled_case_upsert(*, unit: Unit, ref: str, summary: str, closed_at: datetime, **extra: Any) -> tuple[HandledCase, bool]:
    """Create or refresh one handled case by its reference (imports and the cases adapter)."""
    defaults = {"unit": unit, "summary": summary[:200], "closed_at": closed_at, **extra}
    case, created = HandledCase.objects.update_or_create(ref=ref, defaults=defaults)
    return case, created


def _sample_window(campaign: Campaign) -> tuple[date, date]:
    return campaign.sample_start or date(campaign.year, 1, 1), campaign.sample_end or date(campaign.year, 12, 31)


def handled_cases_pull(*, actor: Any, campaign: Campaign) -> int:
    """Pull the target units' closed cases from the cases app (where it is installed)."""
    from evaluations import adapters

    if not adapters.cases_available():
        raise ValidationError(_("本平台未启用诉求办理模块，请改用Excel导入办件。"))
    start, end = _sample_window(campaign)
    targets = list(campaign.targets.select_related("unit"))
    rows = adapters.handled_cases_for_sampling(unit_ids=[t.unit_id for t in targets], start=start, end=end)
    units = {u.pk: u for u in Unit.objects.filter(pk__in={r["unit_id"] for r in rows})}
    with transaction.atomic():
        count = 0
        for row in rows:
            unit = units.get(row["unit_id"])
            if unit is None:
                continue
            handled_case_upsert(
                unit=unit,
                ref=row["ref"],
                summary=row.get("summary") or "",
                closed_at=row["closed_at"],
                case_id=row.get("case_id"),
                contact_name=row.get("contact_name") or "",
                contact_phone=row.get("contact_phone") or "",
                source="cases",
            )
            count += 1
        audit_record(action="evaluations.handled_case.pull", actor=actor, obj=campaign, detail={"cases": count})
    return count


def draw_sample(population: Mapping[int, Sequence[str]], size: int, seed: int) -> dict[int, list[str]]:
    """A stratified random sample: ``size`` references from each stratum (unit), drawn
    with a generator seeded by (seed, stratum) over the references in sorted order — the
    same seed and population always give the same sample."""
    out: dict[int, list[str]] = {}
    for stratum in sorted(population):
        refs = sorted(population[stratum])
        rng = random.Random(f"{seed}:{stratum}")  # noqa: S311 (reproducible sampling, not security)
        out[stratum] = sorted(rng.sample(refs, min(size, len(refs))))
    return out


def sample_draw(*, actor: Any, campaign: Campaign, seed: int | None = None) -> list[SampledCase]:
    """Draw the follow-up sample of a handled-cases campaign: per target unit, the
    campaign's number of cases closed in the sampling window. The seed is recorded so
    anyone can redraw the same sample."""
    if campaign.kind != CampaignKind.HANDLED_CASES:
        raise ValidationError(_("只有“千项办件看效能”活动需要抽样。"))
    if campaign.status not in (CampaignStatus.DRAFT, CampaignStatus.OPEN):
        raise ValidationError(_("活动已结束，不能再抽样。"))
    seed = seed if seed is not None else secrets.randbits(48)
    start, end = _sample_window(campaign)
    tz = timezone.get_current_timezone()
    begin = datetime.combine(start, datetime.min.time(), tz)
    finish = datetime.combine(end + timedelta(days=1), datetime.min.time(), tz)
    targets = list(campaign.targets.select_related("unit"))
    population: dict[int, list[str]] = {}
    by_ref: dict[str, HandledCase] = {}
    for target in targets:
        cases = HandledCase.objects.filter(unit__path__startswith=target.unit.path, closed_at__gte=begin, closed_at__lt=finish)
        for case in cases:
            population.setdefault(target.pk, []).append(case.ref)
            by_ref[case.ref] = case
    if not population:
        raise ValidationError(_("抽样期内（%(start)s至%(end)s）评议对象没有已办结的办件，请先导入办件。") % {"start": start, "end": end})
    drawn = draw_sample(population, campaign.sample_per_unit, seed)
    with transaction.atomic():
        updated = Campaign.objects.filter(pk=campaign.pk, sampled_at__isnull=True).update(
            sample_seed=seed, sampled_at=timezone.now(), sample_start=start, sample_end=end
        )
        _one_row(updated, _("本活动已经抽样（种子 %(seed)s），不能重复抽样。") % {"seed": campaign.sample_seed})
        samples = SampledCase.objects.bulk_create(
            [SampledCase(campaign=campaign, case=by_ref[ref], target_id=target_id) for target_id, refs in drawn.items() for ref in refs]
        )
        campaign.refresh_from_db()
        audit_record(
            action="evaluations.sample.draw",
            actor=actor,
            obj=campaign,
            detail={"seed": seed, "per_unit": campaign.sample_per_unit, "drawn": len(samples), "units": len(drawn)},
        )
    return samples


def sample_callback(
    *, actor: Any, sample: SampledCase, reached: bool, answers: Mapping[Any, Any] | None = None, note: str = "", now: datetime | None = None
) -> SampledCase:
    """Record one follow-up call: the person's answers, or a call that did not get through
    (after the policy's number of tries the case is marked unreachable)."""
    now = now or timezone.now()
    campaign = sample.campaign
    if sample.status != SampleStatus.PENDING:
        raise ValidationError(_("该办件已回访完毕。"))
    if not reached:
        _version, doc = policy_document(on=timezone.localdate(now))
        attempts = sample.attempts + 1
        status = SampleStatus.UNREACHABLE if attempts >= doc.cases.follow_up_max_tries else SampleStatus.PENDING
        with transaction.atomic():
            updated = SampledCase.objects.filter(pk=sample.pk, status=SampleStatus.PENDING, attempts=sample.attempts).update(
                attempts=attempts, status=status, called_by=actor, called_at=now, note=note[:200]
            )
            _one_row(updated, _("该办件的回访记录已被他人更新，请刷新。"))
            sample.refresh_from_db()
            audit_record(action="evaluations.sample.no_answer", actor=actor, obj=sample, detail={"attempts": attempts})
        return sample
    with transaction.atomic():
        locked = SampledCase.objects.select_for_update().get(pk=sample.pk)
        if locked.status != SampleStatus.PENDING:
            raise ValidationError(_("该办件已回访完毕。"))
        response = response_submit(
            campaign=campaign, target=sample.target, answers=answers or {}, channel=Channel.PHONE, actor=actor, now=now
        )
        SampledCase.objects.filter(pk=sample.pk).update(
            status=SampleStatus.ANSWERED, response=response, attempts=locked.attempts + 1, called_by=actor, called_at=now, note=note[:200]
        )
        sample.refresh_from_db()
        audit_record(action="evaluations.sample.answered", actor=actor, obj=sample, detail={"response": response.pk})
    return sample


def sample_contact_view(*, actor: Any, sample: SampledCase) -> str:
    """The person's full phone number for the follow-up call; every view is audited."""
    audit_record(action="evaluations.sample.view_contact", actor=actor, obj=sample, detail={"case": sample.case.ref})
    return sample.case.contact_phone


# --- service ratings (好差评) -----------------------------------------------------------------------
def rating_submit(
    *,
    unit: Unit,
    level: str,
    comment: str = "",
    service: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    device: str = "",
    ip: str | None = None,
    channel: str = Channel.QR,
    now: datetime | None = None,
) -> ServiceRating:
    """An on-the-spot rating of a window or service (一次一评). A bad rating from a rater
    who left a phone number is queued for a call-back (the policy's share, 100% by
    default). Repeated ratings of the same unit from one phone, device or network address
    within the policy's period are flagged for the office."""
    now = now or timezone.now()
    if not unit.is_active:
        raise ValidationError(_("该窗口已停用，暂不接受评价。"))
    version, doc = policy_document(on=timezone.localdate(now))
    policy = doc.ratings
    levels = _levels(policy.levels)
    chosen = levels.get(level)
    errors: dict[str, str] = {}
    if chosen is None:
        errors["level"] = _("请选择一个评价等级。")
    if len(comment) > 500:
        errors["comment"] = _("意见不能超过500字。")
    if len(service) > 100:
        errors["service"] = _("办理事项不能超过100字。")
    if errors:
        raise ValidationError(errors)
    assert chosen is not None
    phone = _clean_phone(contact_phone, "contact_phone")
    device_key, phone_key = device_digest(device), phone_digest(phone)
    since = now - timedelta(hours=policy.repeat_hours)
    repeat = Q()
    for field, value in (("device_key", device_key), ("phone_key", phone_key), ("ip", ip)):
        if value:
            repeat |= Q(**{field: value})
    flags = ["repeat"] if repeat and ServiceRating.objects.filter(repeat, unit=unit, created_at__gte=since).exists() else []
    with transaction.atomic():
        rating = ServiceRating.objects.create(
            unit=unit,
            service=service.strip(),
            level=chosen.code,
            score=chosen.score,
            is_bad=chosen.is_bad,
            comment=comment.strip(),
            contact_name=contact_name.strip()[:40],
            contact_phone=phone,
            channel=channel,
            device_key=device_key,
            phone_key=phone_key,
            ip=ip,
            flags=flags,
            created_at=now,
            policy_version=version,
        )
        # the call-back share is policy; below 100% the choice is deterministic per rating
        queued = chosen.is_bad and bool(phone) and (policy.callback_ratio >= 1 or (rating.pk * 7919) % 1000 < policy.callback_ratio * 1000)
        if queued:
            ServiceRating.objects.filter(pk=rating.pk).update(status=RatingStatus.CALLBACK)
            rating.status = RatingStatus.CALLBACK
            notify(
                recipients=_office_users(),
                kind="evaluations.rating_bad",
                title=_("%(unit)s收到差评，请回访核实") % {"unit": unit.name},
                url=f"/evaluations/ratings/{rating.pk}/",
            )
        audit_record(action="evaluations.rating.submit", actor=None, obj=rating, detail={"level": chosen.code, "flags": flags})
    return rating


def _transition(rating: ServiceRating, old: Sequence[str], message: str, **changes: Any) -> None:
    updated = ServiceRating.objects.filter(pk=rating.pk, status__in=list(old)).update(**changes)
    _one_row(updated, message)
    rating.refresh_from_db()


def rating_callback(*, actor: Any, rating: ServiceRating, verified: bool, note: str, now: datetime | None = None) -> ServiceRating:
    """The office called the rater back. Verified (属实): the unit must act, and a fix is due
    within the policy's working days; not verified: closed."""
    now = now or timezone.now()
    if not note.strip():
        raise ValidationError({"note": _("请填写回访记录。")})
    with transaction.atomic():
        if verified:
            _version, doc = policy_document(on=timezone.localdate(now))
            due = calendar.add_working_days(timezone.localdate(now), doc.ratings.fix_days)
            _transition(
                rating,
                [RatingStatus.CALLBACK],
                _("该评价不在待回访状态。"),
                status=RatingStatus.VERIFIED,
                callback_at=now,
                callback_by=actor,
                callback_note=note.strip()[:300],
                due_date=due,
            )
            notify(
                recipients=_unit_users([rating.unit]),
                kind="evaluations.rating_action",
                title=_("差评经核实属实，请于%(due)s前处理") % {"due": due},
                url=f"/evaluations/ratings/{rating.pk}/",
            )
        else:
            _transition(
                rating,
                [RatingStatus.CALLBACK],
                _("该评价不在待回访状态。"),
                status=RatingStatus.CLOSED,
                callback_at=now,
                callback_by=actor,
                callback_note=note.strip()[:300],
                resolution=Resolution.NOT_VERIFIED,
            )
        audit_record(action="evaluations.rating.callback", actor=actor, obj=rating, detail={"verified": verified, "due": rating.due_date})
    return rating


def rating_resolve(*, actor: Any, rating: ServiceRating, resolution: str, note: str, now: datetime | None = None) -> ServiceRating:
    """The unit's answer to a verified bad rating: fixed at once, fixed by the deadline
    (then reported fixed later), or explained."""
    now = now or timezone.now()
    if resolution not in (Resolution.FIXED_NOW, Resolution.FIX_BY_DEADLINE, Resolution.EXPLAINED):
        raise ValidationError({"resolution": _("请选择处理方式。")})
    if not note.strip():
        raise ValidationError({"note": _("请填写处理情况。")})
    with transaction.atomic():
        if resolution == Resolution.FIX_BY_DEADLINE:
            _transition(
                rating,
                [RatingStatus.VERIFIED],
                _("该评价不在待处理状态。"),
                status=RatingStatus.FIXING,
                resolution=resolution,
                resolution_note=note.strip(),
                resolved_at=now,
                resolved_by=actor,
            )
        else:
            _transition(
                rating,
                [RatingStatus.VERIFIED],
                _("该评价不在待处理状态。"),
                status=RatingStatus.AWAITING_RATING,
                resolution=resolution,
                resolution_note=note.strip(),
                resolved_at=now,
                resolved_by=actor,
                fixed_at=now if resolution == Resolution.FIXED_NOW else None,
            )
        audit_record(action="evaluations.rating.resolve", actor=actor, obj=rating, detail={"resolution": resolution})
    return rating


def rating_fixed(*, actor: Any, rating: ServiceRating, note: str = "", now: datetime | None = None) -> ServiceRating:
    """The unit reports a deadline fix done; the rater is then asked to rate it."""
    now = now or timezone.now()
    with transaction.atomic():
        text = (rating.resolution_note + ("\n" + note.strip() if note.strip() else "")).strip()
        _transition(
            rating,
            [RatingStatus.FIXING],
            _("该评价不在限期整改状态。"),
            status=RatingStatus.AWAITING_RATING,
            fixed_at=now,
            resolution_note=text,
        )
        late = timezone.localdate(now) > rating.due_date if rating.due_date else False
        audit_record(action="evaluations.rating.fixed", actor=actor, obj=rating, detail={"late": late})
    return rating


def rating_fix_rate(*, actor: Any, rating: ServiceRating, level: str, now: datetime | None = None) -> ServiceRating:
    """The rater's rating of the fix (taken on a second call); closes the rating."""
    now = now or timezone.now()
    levels = _levels(policy_document(on=timezone.localdate(now))[1].ratings.levels)
    if level not in levels:
        raise ValidationError({"level": _("请选择一个评价等级。")})
    with transaction.atomic():
        _transition(
            rating,
            [RatingStatus.AWAITING_RATING],
            _("该评价不在待评价整改状态。"),
            status=RatingStatus.CLOSED,
            fix_level=level,
            fix_rated_at=now,
        )
        audit_record(action="evaluations.rating.fix_rated", actor=actor, obj=rating, detail={"level": level})
    return rating


def rating_appeal(*, actor: Any, rating: ServiceRating, reason: str, now: datetime | None = None) -> ServiceRating:
    """The unit appeals a bad rating it considers mistaken or malicious (申诉复核); the
    office decides. One appeal per rating."""
    now = now or timezone.now()
    if not rating.is_bad:
        raise ValidationError(_("只能对差评提出申诉。"))
    if rating.appeal_status != AppealStatus.NONE:
        raise ValidationError(_("该评价已经申诉过，不能重复申诉。"))
    if len(reason.strip()) < 10:
        raise ValidationError({"reason": _("请写明申诉理由（不少于10个字），如评价对象错误、恶意评价的依据。")})
    open_statuses = [RatingStatus.RECORDED, RatingStatus.CALLBACK, RatingStatus.VERIFIED, RatingStatus.FIXING, RatingStatus.AWAITING_RATING]
    with transaction.atomic():
        before = rating.status
        updated = ServiceRating.objects.filter(
            pk=rating.pk, status=before, status__in=open_statuses, appeal_status=AppealStatus.NONE
        ).update(
            status=RatingStatus.APPEALED,
            status_before_appeal=before,
            appeal_status=AppealStatus.PENDING,
            appeal_reason=reason.strip(),
            appealed_at=now,
            appealed_by=actor,
        )
        _one_row(updated, _("该评价当前不能申诉（已办结或已在复核中）。"))
        rating.refresh_from_db()
        notify(
            recipients=_office_users(),
            kind="evaluations.rating_appeal",
            title=_("%(unit)s对一条差评提出申诉") % {"unit": rating.unit.name},
            url=f"/evaluations/ratings/{rating.pk}/",
        )
        audit_record(action="evaluations.rating.appeal", actor=actor, obj=rating, detail={"reason": reason.strip()[:200]})
    return rating


def rating_appeal_decide(*, actor: Any, rating: ServiceRating, upheld: bool, note: str, now: datetime | None = None) -> ServiceRating:
    """The office's decision on an appeal: upheld — the rating no longer counts and is
    closed; rejected — it goes back to where it was."""
    now = now or timezone.now()
    if not note.strip():
        raise ValidationError({"note": _("请填写复核意见。")})
    with transaction.atomic():
        if upheld:
            _transition(
                rating,
                [RatingStatus.APPEALED],
                _("该评价不在申诉复核状态。"),
                status=RatingStatus.CLOSED,
                appeal_status=AppealStatus.UPHELD,
                excluded=True,
                appeal_decision_note=note.strip()[:300],
                appeal_decided_at=now,
                appeal_decided_by=actor,
            )
        else:
            _transition(
                rating,
                [RatingStatus.APPEALED],
                _("该评价不在申诉复核状态。"),
                status=rating.status_before_appeal or RatingStatus.RECORDED,
                appeal_status=AppealStatus.REJECTED,
                appeal_decision_note=note.strip()[:300],
                appeal_decided_at=now,
                appeal_decided_by=actor,
            )
        notify(
            recipients=_unit_users([rating.unit]),
            kind="evaluations.rating_appeal",
            title=_("申诉复核结果：%(result)s") % {"result": rating.get_appeal_status_display()},
            url=f"/evaluations/ratings/{rating.pk}/",
        )
        audit_record(action="evaluations.rating.appeal_decide", actor=actor, obj=rating, detail={"upheld": upheld})
    return rating


def rating_contact_reveal(*, actor: Any, rating: ServiceRating) -> str:
    """The rater's full phone number for the call-back; every reveal is audited."""
    audit_record(action="evaluations.rating.reveal_contact", actor=actor, obj=rating)
    return rating.contact_phone


def ratings_flag_overdue(*, today: date | None = None) -> int:
    """Remind the unit and the office of every deadline fix past its due date (once)."""
    today = today or timezone.localdate()
    count = 0
    overdue = ServiceRating.objects.filter(status=RatingStatus.FIXING, due_date__lt=today, overdue_notified_at__isnull=True).select_related(
        "unit"
    )
    office = _office_users()
    for rating in overdue:
        with transaction.atomic():
            updated = ServiceRating.objects.filter(pk=rating.pk, status=RatingStatus.FIXING, overdue_notified_at__isnull=True).update(
                overdue_notified_at=timezone.now()
            )
            if not updated:
                continue
            notify(
                recipients=[*_unit_users([rating.unit]), *office],
                kind="evaluations.rating_overdue",
                title=_("差评整改已逾期：%(unit)s，期限%(due)s") % {"unit": rating.unit.name, "due": rating.due_date},
                url=f"/evaluations/ratings/{rating.pk}/",
            )
            audit_record(action="evaluations.rating.overdue", actor=None, obj=rating, detail={"due": rating.due_date})
            count += 1
    return count

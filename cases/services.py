"""Writes of the cases module: the closed loop 受理 → 分诊 → 派单 → 签收/退单 → 办理 →
答复 → 审核办结 → 回访 → 结案 (or 重办), extensions, merging, and the valid-complaint
judgement. Pages, API, imports, tasks and the demo all call these.

Every service validates first (Chinese messages, nothing half-saved), changes state with
a conditional ``UPDATE … WHERE status = old`` that must touch exactly one row, writes an
audit record and a timeline event in the same transaction, and sends its messages through
``core.notify``. Deadlines come from the policy in force on the day the case was received
and are counted only by ``core.calendar``.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.choices import (
    ANONYMOUS_KINDS,
    JUDGEABLE_KINDS,
    CaseKind,
    CaseStatus,
    EventKind,
    ExtensionStatus,
    FollowUpOutcome,
    FollowUpVia,
    ReturnReview,
    Triage,
    Verdict,
)
from cases.models import Attachment, Case, CaseCoUnit, CaseEvent, Channel, Dispatch, Extension, FollowUp
from cases.notifications import office_users, unit_users
from core import calendar, events
from core import permissions as gate
from core.audit import audit_record
from core.notify import notify
from core.policy_schema import CasesSection, PolicyDocument
from core.queries import excluding
from core.selectors import policy_document
from core.uploads import CheckedFile
from org.models import Staff, Unit
from org.validators import normalise_phone, validate_phone

# Limits of what a person may type: long enough for any real case, short enough that a
# page or a pushed record cannot flood the database.
TITLE_MAX = 100
CONTENT_MIN = 5
CONTENT_MAX = 2000
REPLY_MAX = 5000
REASON_MIN = 2
MAX_ATTACHMENTS = 5
# Tracking codes and query passwords: an alphabet without look-alike characters (0/O, 1/I).
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10
PASSWORD_LENGTH = 6


@dataclass(frozen=True)
class Upload:
    """A file already checked by ``core.uploads.check_upload``."""

    file: Any
    checked: CheckedFile


# --- helpers -----------------------------------------------------------------------------
def _now() -> datetime:
    return timezone.now()


def _local_date(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def _policy(on: date) -> tuple[Any, PolicyDocument]:
    return policy_document(on=on)


def _event(case: Case, kind: str, actor: Any = None, note: str = "", unit: Unit | None = None, at: datetime | None = None) -> None:
    CaseEvent.objects.create(
        case=case,
        kind=kind,
        at=at or _now(),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        unit=unit,
        note=note[:500],
    )


def _transition(case: Case, old: Iterable[str], **changes: Any) -> None:
    """Move ``case`` from one of the ``old`` statuses; refuse if someone else moved it first."""
    updated = Case.objects.filter(pk=case.pk, status__in=list(old)).update(**changes, updated_at=_now())
    if updated != 1:
        raise ValidationError(_("该件的状态已被他人改变（当前：%(s)s），请刷新后再试。") % {"s": _current_status(case)})
    case.refresh_from_db()


def _current_status(case: Case) -> str:
    status = Case.objects.filter(pk=case.pk).values_list("status", flat=True).first()
    return str(CaseStatus(status).label) if status else "—"


def _require(value: str, field: str, message: str, minimum: int = REASON_MIN) -> str:
    text = (value or "").strip()
    if len(text) < minimum:
        raise ValidationError({field: message})
    return text


def _check_status(case: Case, allowed: Iterable[str], action: str) -> None:
    if case.status not in set(allowed):
        raise ValidationError(_("该件当前为“%(status)s”，不能%(action)s。") % {"status": CaseStatus(case.status).label, "action": action})


def _check_lead_unit(actor: Any, case: Case) -> None:
    """A unit role acts only on cases its own unit (or a unit below it) leads."""
    if gate.scope_of(actor, "cases.case.view") is gate.ALL:
        return
    unit = getattr(actor, "unit", None)
    if unit is None or case.unit is None or not case.unit.path.startswith(unit.path):
        raise ValidationError(_("本件不由您的单位承办，不能办理。"))


def _latest_dispatch(case: Case) -> Dispatch | None:
    return case.dispatches.order_by("-dispatched_at", "-id").first()


def new_tracking_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not Case.objects.filter(tracking_code=code).exists():
            return code


def new_query_password() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(PASSWORD_LENGTH))


# --- deadlines -------------------------------------------------------------------------------
def limit_days(policy: CasesSection, kind: str, is_urgent: bool) -> int:
    """The working-day limit of a case of this kind (RULES.md §2, from the policy)."""
    key = "emergency" if is_urgent else kind
    if key not in policy.deadline_days:
        raise ValidationError({"kind": _("政策中没有“%(k)s”类诉求的办理时限，请效能办在政策参数中补充。") % {"k": key}})
    return policy.deadline_days[key]


def compute_deadline(start: datetime | date, days: int) -> tuple[date | None, str]:
    """The deadline ``days`` working days after ``start`` (the day of receipt is not
    counted); or no deadline and the calendar's message when it does not know the year."""
    try:
        return calendar.add_working_days(start, days), ""
    except calendar.CalendarUnknownYear as exc:
        return None, str(exc)


def _tell_office_deadline_unknown(case: Case, problem: str) -> None:
    notify(
        recipients=office_users(),
        kind="cases.deadline_unknown",
        title=_("%(n)s 的办理期限无法计算") % {"n": case.number},
        body=problem,
        url=f"/cases/{case.pk}/",
    )


def case_deadline_recompute(*, actor: Any, case: Case) -> Case:
    """Try again to set the deadline of a case whose year the calendar did not know
    (after the office entered that year in the working-day calendar)."""
    if case.deadline is not None or case.deadline_days is None:
        return case
    deadline, problem = compute_deadline(case.deadline_from or case.received_at, case.deadline_days)
    if deadline is None:
        Case.objects.filter(pk=case.pk).update(deadline_problem=problem)
        return case
    with transaction.atomic():
        updated = Case.objects.filter(pk=case.pk, deadline__isnull=True).update(deadline=deadline, deadline_problem="")
        if updated:
            case.refresh_from_db()
            _event(case, EventKind.DEADLINE_SET, actor, _("办理期限：%(d)s") % {"d": deadline.isoformat()})
            audit_record(action="cases.case.deadline_set", actor=actor, obj=case, detail={"deadline": deadline})
    return case


# --- intake ----------------------------------------------------------------------------------
def _validate_intake(fields: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    kind = fields.get("kind")
    if kind not in CaseKind.values:
        errors["kind"] = _("请选择诉求类别。")
    content = (fields.get("content") or "").strip()
    if len(content) < CONTENT_MIN:
        errors["content"] = _("请填写诉求内容（至少%(n)s个字）。") % {"n": CONTENT_MIN}
    elif len(content) > CONTENT_MAX:
        errors["content"] = _("诉求内容不能超过%(max)s个字（现为%(n)s个字），请精简后再提交。") % {"max": CONTENT_MAX, "n": len(content)}
    fields["content"] = content
    title = (fields.get("title") or "").strip() or content[:30]
    if len(title) > TITLE_MAX:
        errors["title"] = _("标题不能超过%(max)s个字。") % {"max": TITLE_MAX}
    fields["title"] = title
    channel = fields.get("channel")
    if channel is None or not channel.is_active:
        errors["channel"] = _("请选择在用的渠道。")
    anonymous = bool(fields.get("anonymous"))
    if anonymous:
        if kind in CaseKind.values and kind not in ANONYMOUS_KINDS:
            errors["anonymous"] = _("只有举报可以匿名提交；其他诉求请留下姓名和电话，以便答复和回访。")
        fields.update(contact_name="", contact_phone="", contact_consent=False)
    else:
        name = (fields.get("contact_name") or "").strip()
        if not name:
            errors["contact_name"] = _("请填写姓名（或选择匿名举报）。")
        elif len(name) > 40:
            errors["contact_name"] = _("姓名不能超过40个字。")
        fields["contact_name"] = name
        phone = (fields.get("contact_phone") or "").strip()
        if not phone:
            errors["contact_phone"] = _("请填写联系电话，以便答复和回访。")
        else:
            try:
                validate_phone(phone)
                fields["contact_phone"] = normalise_phone(phone)
            except ValidationError as exc:
                errors["contact_phone"] = exc.messages[0]
    unit = fields.get("concerned_unit")
    if unit is not None and not unit.is_active:
        errors["concerned_unit"] = _("单位“%(u)s”已停用。") % {"u": unit.name}
    external_id = (fields.get("external_id") or "").strip()
    if len(external_id) > 64:
        errors["external_id"] = _("来源系统编号不能超过64个字符。")
    fields["external_id"] = external_id
    if len(fields.get("attachments") or ()) > MAX_ATTACHMENTS:
        errors["attachments"] = _("附件最多%(n)s个。") % {"n": MAX_ATTACHMENTS}
    received_at = fields.get("received_at")
    if received_at is not None and received_at > _now() + timedelta(minutes=5):
        errors["received_at"] = _("受理时间不能晚于现在。")
    if errors:
        raise ValidationError(errors)
    return fields


def _save_attachments(case: Case, uploads: Sequence[Upload], stage: str, actor: Any) -> None:
    for upload in uploads:
        attachment = Attachment(
            case=case,
            stage=stage,
            name=upload.checked.name[:200],
            content_type=upload.checked.content_type,
            size=upload.checked.size,
            sha256=upload.checked.sha256,
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        attachment.file.save(upload.checked.name, upload.file, save=False)
        attachment.save()


def case_create(
    *,
    actor: Any,
    channel: Channel,
    kind: str,
    content: str,
    title: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    anonymous: bool = False,
    contact_consent: bool = False,
    concerned_unit: Unit | None = None,
    is_urgent: bool = False,
    received_at: datetime | None = None,
    sender: Any = None,
    external_id: str = "",
    triage: str = Triage.PENDING,
    triage_note: str = "",
    attachments: Sequence[Upload] = (),
) -> tuple[Case, str]:
    """Receive a case (受理). Returns the case and its query password, which is shown to
    the person once and stored only as a hash.

    The deadline is set from the policy in force on the day of receipt. If the calendar
    does not know that year, the case is still accepted: its deadline stays empty, it is
    flagged with the calendar's message and the office is told."""
    fields = _validate_intake(
        {
            "channel": channel,
            "kind": kind,
            "content": content,
            "title": title,
            "contact_name": contact_name,
            "contact_phone": contact_phone,
            "anonymous": anonymous,
            "contact_consent": contact_consent,
            "concerned_unit": concerned_unit,
            "external_id": external_id,
            "attachments": attachments,
            "received_at": received_at,
        }
    )
    if triage not in Triage.values:
        raise ValidationError({"triage": _("请选择分诊结果。")})
    if triage not in (Triage.PENDING, Triage.IN_SCOPE):
        _require(triage_note, "triage_note", _("请写明转办去向、告知的途径或不予受理的解释。"))
    moment = received_at or _now()
    version, document = _policy(_local_date(moment))
    days = limit_days(document.cases, fields["kind"], is_urgent)
    deadline, problem = compute_deadline(moment, days)
    password = new_query_password()
    with transaction.atomic():
        case = Case.objects.create(
            channel=channel,
            kind=fields["kind"],
            is_urgent=is_urgent,
            title=fields["title"],
            content=fields["content"],
            concerned_unit=concerned_unit,
            anonymous=bool(anonymous),
            contact_name=fields["contact_name"],
            contact_phone=fields["contact_phone"],
            contact_consent=bool(fields["contact_consent"]),
            tracking_code=new_tracking_code(),
            query_password=make_password(password),
            sender=sender,
            external_id=fields["external_id"],
            received_at=moment,
            received_by=actor if getattr(actor, "is_authenticated", False) else None,
            deadline=deadline,
            deadline_from=moment,
            deadline_days=days,
            deadline_problem=problem,
            policy_version=version,
        )
        _save_attachments(case, attachments, "intake", actor)
        _event(case, EventKind.RECEIVED, actor, channel.name, at=moment)
        audit_record(
            action="cases.case.create",
            actor=actor,
            obj=case,
            detail={"channel": channel.code, "kind": case.kind, "external_id": case.external_id, "deadline": deadline},
        )
        if problem:
            _tell_office_deadline_unknown(case, problem)
        if triage != Triage.PENDING:
            case_triage(actor=actor, case=case, triage=triage, note=triage_note)
    return case, password


def case_push(*, actor: Any, external_id: str, **fields: Any) -> tuple[Case, bool, str]:
    """Intake from another system, idempotent on the sender's own case number: a retried
    push returns the case it created the first time (``created`` False, no password)."""
    key = (external_id or "").strip()
    if not key:
        raise ValidationError({"external_id": _("缺少来源系统编号（external_id）：推送必须带上本系统的工单编号，以免重复推送产生重复件。")})
    existing = Case.objects.filter(sender=actor, external_id=key).first()
    if existing is not None:
        return existing, False, ""
    try:
        with transaction.atomic():
            case, password = case_create(actor=actor, sender=actor, external_id=key, **fields)
    except IntegrityError:
        # two pushes of the same case raced: the other one won, return its case
        existing = Case.objects.filter(sender=actor, external_id=key).first()
        if existing is None:
            raise
        return existing, False, ""
    return case, True, password


def case_triage(*, actor: Any, case: Case, triage: str, note: str = "") -> Case:
    """Triage at intake: in scope → handle; emergency → transferred at once to the
    emergency line; another legal route → the person is told which; out of scope →
    explained. Anything but "in scope" closes the case with the note as its record."""
    if triage not in Triage.values or triage == Triage.PENDING:
        raise ValidationError({"triage": _("请选择分诊结果。")})
    _check_status(case, [CaseStatus.RECEIVED], _("分诊"))
    with transaction.atomic():
        if triage == Triage.IN_SCOPE:
            _transition(case, [CaseStatus.RECEIVED], triage=triage, triage_note=(note or "").strip()[:300])
        else:
            text = _require(note, "triage_note", _("请写明转办去向、告知的途径或不予受理的解释。"))[:300]
            now = _now()
            _transition(
                case,
                [CaseStatus.RECEIVED],
                triage=triage,
                triage_note=text,
                status=CaseStatus.CLOSED,
                completed_at=now,
                closed_at=now,
                close_note=Triage(triage).label,
            )
        _event(case, EventKind.TRIAGED, actor, f"{Triage(triage).label} {note or ''}".strip())
        audit_record(action="cases.case.triage", actor=actor, obj=case, detail={"triage": triage})
    return case


# --- dispatch, sign for, return ---------------------------------------------------------------
def sign_due_for(case: Case, moment: datetime, policy: PolicyDocument) -> datetime | None:
    """When the unit must have signed for a case dispatched at ``moment``: within the
    policy's working hours; an urgent case within the emergency response time."""
    if case.is_urgent:
        return moment + timedelta(hours=policy.cases.emergency_response_hours)
    try:
        return calendar.add_working_hours(moment, policy.cases.sign_within_hours, policy.calendar.working_hours)
    except calendar.CalendarUnknownYear:
        return None


def case_dispatch(*, actor: Any, case: Case, unit: Unit, co_units: Iterable[Unit] = (), note: str = "") -> Dispatch:
    """Dispatch (派单) to a lead unit and optional co-handling units."""
    _check_status(case, [CaseStatus.RECEIVED], _("派单"))
    co = [u for u in co_units if u.pk != unit.pk]
    errors: dict[str, str] = {}
    if unit is None or not unit.is_active:
        errors["unit"] = _("请选择在用的承办单位。")
    if any(not u.is_active for u in co):
        errors["co_units"] = _("协办单位中有已停用的单位。")
    if case.triage not in (Triage.PENDING, Triage.IN_SCOPE):
        errors["unit"] = _("该件已分诊为“%(t)s”，不再派单。") % {"t": Triage(case.triage).label}
    if errors:
        raise ValidationError(errors)
    moment = _now()
    _version, document = _policy(_local_date(moment))
    with transaction.atomic():
        _transition(case, [CaseStatus.RECEIVED], status=CaseStatus.DISPATCHED, unit=unit, triage=Triage.IN_SCOPE)
        CaseCoUnit.objects.filter(case=case).delete()
        CaseCoUnit.objects.bulk_create([CaseCoUnit(case=case, unit=u) for u in co])
        dispatch = Dispatch.objects.create(
            case=case,
            unit=unit,
            dispatched_at=moment,
            dispatched_by=actor,
            note=(note or "").strip()[:300],
            sign_due=sign_due_for(case, moment, document),
        )
        names = "、".join(u.name for u in co)
        _event(case, EventKind.DISPATCHED, actor, note or "", unit=unit)
        audit_record(
            action="cases.case.dispatch", actor=actor, obj=case, detail={"unit": unit.pk, "co_units": [u.pk for u in co], "note": note}
        )
        notify(
            recipients=unit_users(unit),
            kind="cases.dispatched",
            title=_("新派诉求件 %(n)s 请在 %(due)s 前签收")
            % {"n": case.number, "due": timezone.localtime(dispatch.sign_due).strftime("%m-%d %H:%M") if dispatch.sign_due else "—"},
            body=case.title + (_("（协办：%(u)s）") % {"u": names} if names else ""),
            url=f"/cases/{case.pk}/",
        )
        for co_unit in co:
            notify(
                recipients=unit_users(co_unit),
                kind="cases.dispatched",
                title=_("诉求件 %(n)s 请协办") % {"n": case.number},
                body=case.title,
                url=f"/cases/{case.pk}/",
            )
    return dispatch


def _responded(dispatch: Dispatch, case: Case, policy: PolicyDocument) -> bool | None:
    """Response (响应): signed for on time and — where the person agreed to be contacted
    by the unit — contacted within the policy's working days after signing."""
    if dispatch.signed_on_time is None:
        return None
    if not dispatch.signed_on_time:
        return False
    if not (case.contact_consent and case.contact_phone):
        return True
    if dispatch.contacted_at is None:
        return None
    try:
        limit = calendar.add_working_days(dispatch.signed_at, policy.cases.contact_within_days)  # type: ignore[arg-type]
    except calendar.CalendarUnknownYear:
        return None
    return _local_date(dispatch.contacted_at) <= limit


def case_sign(*, actor: Any, case: Case, first_responsible: Staff | None = None) -> Dispatch:
    """The unit signs for the case (签收), naming its first-responsible staff member."""
    _check_lead_unit(actor, case)
    _check_status(case, [CaseStatus.DISPATCHED], _("签收"))
    if first_responsible is not None and not first_responsible.unit.path.startswith(case.unit.path):  # type: ignore[union-attr]
        raise ValidationError({"first_responsible": _("首办责任人须是承办单位（或其下级单位）的工作人员。")})
    dispatch = _latest_dispatch(case)
    if dispatch is None:
        raise ValidationError(_("该件没有派单记录。"))
    moment = _now()
    _version, document = _policy(_local_date(moment))
    with transaction.atomic():
        changes: dict[str, Any] = {"status": CaseStatus.IN_PROGRESS}
        if first_responsible is not None:
            changes["first_responsible"] = first_responsible
        _transition(case, [CaseStatus.DISPATCHED], **changes)
        dispatch.signed_at = moment
        dispatch.signed_by = actor
        dispatch.signed_on_time = None if dispatch.sign_due is None else moment <= dispatch.sign_due
        dispatch.responded_in_time = _responded(dispatch, case, document)
        dispatch.save(update_fields=["signed_at", "signed_by", "signed_on_time", "responded_in_time"])
        _event(case, EventKind.SIGNED, actor, unit=case.unit)
        audit_record(
            action="cases.case.sign",
            actor=actor,
            obj=case,
            detail={"on_time": dispatch.signed_on_time, "first_responsible": getattr(first_responsible, "pk", None)},
        )
    return dispatch


def case_contact_record(*, actor: Any, case: Case, at: datetime | None = None) -> Dispatch:
    """The unit records that it contacted the person (counts toward the response rate)."""
    _check_lead_unit(actor, case)
    _check_status(case, [CaseStatus.IN_PROGRESS], _("登记联系情况"))
    if not (case.contact_consent and case.contact_phone):
        raise ValidationError(_("诉求人未同意承办单位直接联系，请通过效能办沟通。"))
    dispatch = _latest_dispatch(case)
    if dispatch is None or dispatch.signed_at is None:
        raise ValidationError(_("请先签收。"))
    moment = at or _now()
    if moment > _now() + timedelta(minutes=5) or moment < dispatch.signed_at - timedelta(days=1):
        raise ValidationError({"at": _("联系时间应在签收之后、现在之前。")})
    _version, document = _policy(_local_date(moment))
    with transaction.atomic():
        updated = Dispatch.objects.filter(pk=dispatch.pk, contacted_at__isnull=True).update(contacted_at=moment)
        if updated != 1:
            raise ValidationError(_("已登记过联系情况。"))
        dispatch.contacted_at = moment
        dispatch.responded_in_time = _responded(dispatch, case, document)
        Dispatch.objects.filter(pk=dispatch.pk).update(responded_in_time=dispatch.responded_in_time)
        _event(case, EventKind.CONTACTED, actor, unit=case.unit, at=moment)
        audit_record(action="cases.case.contact", actor=actor, obj=case, detail={"in_time": dispatch.responded_in_time})
    return dispatch


def case_return(*, actor: Any, case: Case, reason: str) -> Dispatch:
    """The unit returns the case (退单) with a reason; the office reviews it."""
    _check_lead_unit(actor, case)
    _check_status(case, [CaseStatus.DISPATCHED, CaseStatus.IN_PROGRESS], _("退单"))
    text = _require(reason, "reason", _("退单须写明理由（至少%(n)s个字），例如：不属本单位职责，应由某单位办理。") % {"n": REASON_MIN})
    dispatch = _latest_dispatch(case)
    if dispatch is None:
        raise ValidationError(_("该件没有派单记录。"))
    with transaction.atomic():
        _transition(case, [CaseStatus.DISPATCHED, CaseStatus.IN_PROGRESS], status=CaseStatus.RETURNED)
        Dispatch.objects.filter(pk=dispatch.pk).update(
            returned_at=_now(), returned_by=actor, return_reason=text[:300], review=ReturnReview.PENDING
        )
        _event(case, EventKind.RETURNED, actor, text, unit=case.unit)
        audit_record(action="cases.case.return", actor=actor, obj=case, detail={"reason": text})
        notify(
            recipients=office_users(),
            kind="cases.returned",
            title=_("%(u)s 退回诉求件 %(n)s") % {"u": case.unit.name, "n": case.number},  # type: ignore[union-attr]
            body=text,
            url=f"/cases/{case.pk}/",
        )
    dispatch.refresh_from_db()
    return dispatch


def case_return_review(*, actor: Any, case: Case, accept: bool, note: str = "") -> Case:
    """The office reviews a return: accepted → the case waits for a new dispatch;
    rejected (with a reason) → back to the same unit."""
    _check_status(case, [CaseStatus.RETURNED], _("审核退单"))
    dispatch = _latest_dispatch(case)
    if dispatch is None or dispatch.review != ReturnReview.PENDING:
        raise ValidationError(_("没有待审核的退单。"))
    if not accept:
        note = _require(note, "note", _("驳回退单须写明理由。"))
    with transaction.atomic():
        if accept:
            _transition(case, [CaseStatus.RETURNED], status=CaseStatus.RECEIVED, unit=None, first_responsible=None)
            CaseCoUnit.objects.filter(case=case).delete()
        else:
            back = CaseStatus.IN_PROGRESS if dispatch.signed_at else CaseStatus.DISPATCHED
            _transition(case, [CaseStatus.RETURNED], status=back)
        Dispatch.objects.filter(pk=dispatch.pk, review=ReturnReview.PENDING).update(
            review=ReturnReview.ACCEPTED if accept else ReturnReview.REJECTED,
            review_note=(note or "").strip()[:300],
            reviewed_by=actor,
            reviewed_at=_now(),
        )
        _event(case, EventKind.RETURN_ACCEPTED if accept else EventKind.RETURN_REJECTED, actor, note or "")
        audit_record(action="cases.case.review_return", actor=actor, obj=case, detail={"accept": accept, "note": note})
        if not accept:
            notify(
                recipients=unit_users(dispatch.unit),
                kind="cases.returned",
                title=_("诉求件 %(n)s 的退单被驳回，请继续办理") % {"n": case.number},
                body=note,
                url=f"/cases/{case.pk}/",
            )
    return case


# --- extension -----------------------------------------------------------------------------
def extension_request(*, actor: Any, case: Case, reason: str) -> Extension:
    """A unit asks for more time — only before the deadline (RULES.md §2)."""
    _check_lead_unit(actor, case)
    _check_status(case, [CaseStatus.DISPATCHED, CaseStatus.IN_PROGRESS], _("申请延期"))
    text = _require(reason, "reason", _("请写明延期理由（至少%(n)s个字）。") % {"n": REASON_MIN})
    if case.deadline is None:
        raise ValidationError(_("该件的办理期限尚未确定，暂不能申请延期。"))
    today = timezone.localdate()
    if today > case.deadline:
        raise ValidationError(_("延期须在办理期限（%(d)s）届满前申请；该件已逾期，不能再申请延期。") % {"d": case.deadline.isoformat()})
    if case.extended:
        raise ValidationError(_("该件已延期过一次，不能再次延期。"))
    if case.extensions.filter(status=ExtensionStatus.PENDING).exists():
        raise ValidationError(_("已有待审批的延期申请。"))
    with transaction.atomic():
        try:
            with transaction.atomic():
                extension = Extension.objects.create(
                    case=case, reason=text[:500], old_deadline=case.deadline, requested_by=actor, requested_at=_now()
                )
        except IntegrityError as exc:
            raise ValidationError(_("已有待审批的延期申请。")) from exc
        _event(case, EventKind.EXTENSION_REQUESTED, actor, text, unit=case.unit)
        audit_record(action="cases.extension.request", actor=actor, obj=case, detail={"reason": text})
        notify(
            recipients=office_users(),
            kind="cases.extension",
            title=_("诉求件 %(n)s 申请延期") % {"n": case.number},
            body=text,
            url=f"/cases/{case.pk}/",
        )
    return extension


def extension_decide(*, actor: Any, extension: Extension, grant: bool, note: str = "") -> Extension:
    """The office grants an extension (the complex-case limit, counted from receipt) or
    refuses it with a reason."""
    case = extension.case
    if not grant:
        note = _require(note, "note", _("不批准延期须写明理由。"))
    new_deadline = None
    if grant:
        _version, document = _policy(_local_date(case.received_at))
        new_deadline, problem = compute_deadline(case.deadline_from or case.received_at, document.cases.complex_days)
        if new_deadline is None:
            raise ValidationError(problem)
        if new_deadline <= extension.old_deadline:
            raise ValidationError(
                _("按复杂件时限（%(n)s个工作日）计算的期限 %(d)s 不晚于原期限，无需延期。")
                % {"n": document.cases.complex_days, "d": new_deadline.isoformat()}
            )
    with transaction.atomic():
        updated = Extension.objects.filter(pk=extension.pk, status=ExtensionStatus.PENDING).update(
            status=ExtensionStatus.GRANTED if grant else ExtensionStatus.REFUSED,
            new_deadline=new_deadline,
            decided_by=actor,
            decided_at=_now(),
            decision_note=(note or "").strip()[:300],
        )
        if updated != 1:
            raise ValidationError(_("该延期申请已审批过。"))
        if grant:
            Case.objects.filter(pk=case.pk).update(
                deadline=new_deadline,
                deadline_days=document.cases.complex_days,
                extended=True,
                warned_at=None,
                reminded_at=None,
                escalation_prompted_at=None,
            )
        extension.refresh_from_db()
        case.refresh_from_db()
        _event(
            case,
            EventKind.EXTENSION_GRANTED if grant else EventKind.EXTENSION_REFUSED,
            actor,
            _("新期限：%(d)s") % {"d": new_deadline.isoformat()} if new_deadline else note,
        )
        audit_record(
            action="cases.extension.decide", actor=actor, obj=case, detail={"grant": grant, "deadline": new_deadline, "note": note}
        )
        notify(
            recipients=unit_users(case.unit),
            kind="cases.extension",
            title=(
                _("诉求件 %(n)s 延期已批准，新期限 %(d)s") % {"n": case.number, "d": new_deadline}
                if grant
                else _("诉求件 %(n)s 延期未获批准") % {"n": case.number}
            ),
            body=note,
            url=f"/cases/{case.pk}/",
        )
    return extension


# --- reply and its check ---------------------------------------------------------------------
def case_reply(*, actor: Any, case: Case, text: str, attachments: Sequence[Upload] = ()) -> Case:
    """The lead unit replies (答复); the office checks the reply."""
    _check_lead_unit(actor, case)
    _check_status(case, [CaseStatus.IN_PROGRESS], _("答复"))
    body = _require(text, "reply", _("请填写答复内容（至少%(n)s个字）。") % {"n": CONTENT_MIN}, minimum=CONTENT_MIN)
    if len(body) > REPLY_MAX:
        raise ValidationError({"reply": _("答复内容不能超过%(max)s个字（现为%(n)s个字）。") % {"max": REPLY_MAX, "n": len(body)}})
    if len(attachments) > MAX_ATTACHMENTS:
        raise ValidationError({"attachments": _("附件最多%(n)s个。") % {"n": MAX_ATTACHMENTS}})
    with transaction.atomic():
        _transition(case, [CaseStatus.IN_PROGRESS], status=CaseStatus.REPLIED, reply=body, replied_at=_now(), replied_by=actor)
        _save_attachments(case, attachments, "reply", actor)
        _event(case, EventKind.REPLIED, actor, unit=case.unit)
        audit_record(action="cases.case.reply", actor=actor, obj=case, detail={"length": len(body), "attachments": len(attachments)})
        notify(
            recipients=office_users(),
            kind="cases.replied",
            title=_("%(u)s 已答复诉求件 %(n)s，请审核") % {"u": case.unit.name, "n": case.number},  # type: ignore[union-attr]
            url=f"/cases/{case.pk}/",
        )
    return case


def case_reply_check(*, actor: Any, case: Case, approve: bool, note: str = "") -> Case:
    """The office checks the reply: approved → the handling stage is closed (办结) and the
    case waits for its follow-up; sent back (with a reason) → the unit handles it again."""
    _check_status(case, [CaseStatus.REPLIED], _("审核答复"))
    if not approve:
        note = _require(note, "note", _("退回答复须写明理由。"))
    with transaction.atomic():
        if approve:
            now = _now()
            on_time = None if case.deadline is None else _local_date(case.replied_at or now) <= case.deadline
            _transition(case, [CaseStatus.REPLIED], status=CaseStatus.FOLLOW_UP, completed_at=now, handled_on_time=on_time)
            _event(case, EventKind.REPLY_APPROVED, actor, note or "")
        else:
            _transition(case, [CaseStatus.REPLIED], status=CaseStatus.IN_PROGRESS)
            _event(case, EventKind.REPLY_SENT_BACK, actor, note)
            notify(
                recipients=unit_users(case.unit),
                kind="cases.replied",
                title=_("诉求件 %(n)s 的答复被退回，请重新办理") % {"n": case.number},
                body=note,
                url=f"/cases/{case.pk}/",
            )
        audit_record(action="cases.case.check_reply", actor=actor, obj=case, detail={"approve": approve, "note": note})
    return case


# --- follow-up, reopen, close ------------------------------------------------------------------
def _level_codes(document: PolicyDocument) -> tuple[set[str], set[str]]:
    levels = document.ratings.levels
    return {lv.code for lv in levels}, {lv.code for lv in levels if lv.is_bad}


def case_follow_up(
    *,
    actor: Any,
    case: Case,
    outcome: str,
    satisfaction: str = "",
    resolved: bool | None = None,
    note: str = "",
    via: str = FollowUpVia.PHONE,
) -> FollowUp:
    """Record one follow-up (回访). Satisfied → closed. Dissatisfied → waits for the
    office to reopen it or close it with a reason. Unreachable after the policy's number
    of tries, or refused → closed without a satisfaction (not counted in the rate)."""
    _check_status(case, [CaseStatus.FOLLOW_UP], _("回访"))
    if case.satisfaction:
        raise ValidationError(_("该件已有回访结果，请决定重办或结案。"))
    version, document = _policy(timezone.localdate())
    codes, bad = _level_codes(document)
    errors: dict[str, str] = {}
    if outcome not in FollowUpOutcome.values:
        errors["outcome"] = _("请选择回访结果。")
    if outcome == FollowUpOutcome.ANSWERED:
        if satisfaction not in codes:
            errors["satisfaction"] = _("请选择满意度。")
        if resolved is None:
            errors["resolved"] = _("请选择问题是否解决。")
    if len(note or "") > 500:
        errors["note"] = _("回访记录不能超过500字。")
    if errors:
        raise ValidationError(errors)
    now = _now()
    with transaction.atomic():
        tries = case.follow_up_tries + (1 if via == FollowUpVia.PHONE else 0)
        changes: dict[str, Any] = {"follow_up_tries": tries}
        close_note = ""
        if outcome == FollowUpOutcome.ANSWERED:
            changes.update(satisfaction=satisfaction, resolved=resolved, followed_up_at=now)
            if satisfaction not in bad:
                close_note = _("回访满意")
        elif outcome == FollowUpOutcome.REFUSED:
            close_note = _("诉求人拒绝回访")
        elif tries >= document.cases.follow_up_max_tries:
            close_note = _("回访%(n)s次未接通") % {"n": tries}
        if close_note:
            changes.update(status=CaseStatus.CLOSED, closed_at=now, close_note=close_note)
        updated = Case.objects.filter(
            pk=case.pk, status=CaseStatus.FOLLOW_UP, satisfaction="", follow_up_tries=case.follow_up_tries
        ).update(**changes, updated_at=now)
        if updated != 1:
            raise ValidationError(_("该件的回访已被他人记录，请刷新后再看。"))
        case.refresh_from_db()
        follow_up = FollowUp.objects.create(
            case=case,
            via=via,
            outcome=outcome,
            satisfaction=satisfaction if outcome == FollowUpOutcome.ANSWERED else "",
            resolved=resolved if outcome == FollowUpOutcome.ANSWERED else None,
            note=(note or "").strip(),
            recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
            recorded_at=now,
        )
        label = next((lv.label for lv in document.ratings.levels if lv.code == satisfaction), str(FollowUpOutcome(outcome).label))
        _event(case, EventKind.RATED if via == FollowUpVia.PUBLIC else EventKind.FOLLOWED_UP, actor, label)
        if close_note:
            _event(case, EventKind.CLOSED, actor, close_note)
        audit_record(
            action="cases.case.follow_up",
            actor=actor,
            obj=case,
            detail={"via": via, "outcome": outcome, "satisfaction": satisfaction, "resolved": resolved, "policy": version.pk},
            actor_label="" if actor else _("公众"),
        )
    return follow_up


def case_rate(*, case: Case, satisfaction: str, resolved: bool | None, comment: str = "") -> FollowUp:
    """The person rates the reply on the public tracking page; it counts as a follow-up."""
    if case.status != CaseStatus.FOLLOW_UP or case.satisfaction:
        raise ValidationError(_("该件目前不能评价（尚未办结，或已经评价/回访过）。"))
    return case_follow_up(
        actor=None,
        case=case,
        outcome=FollowUpOutcome.ANSWERED,
        satisfaction=satisfaction,
        resolved=resolved,
        note=(comment or "").strip()[:500],
        via=FollowUpVia.PUBLIC,
    )


def case_reopen(*, actor: Any, case: Case, reason: str) -> Case:
    """Reopen (重办) after a dissatisfied follow-up: back to the same unit with a new
    deadline. The policy's number of reopenings flags the case for escalation (提级督办)."""
    _check_status(case, [CaseStatus.FOLLOW_UP], _("重办"))
    version, document = _policy(timezone.localdate())
    _codes, bad = _level_codes(document)
    if case.satisfaction not in bad:
        raise ValidationError(_("只有回访不满意的件才能重办。"))
    text = _require(reason, "reason", _("请写明重办要求。"))
    now = _now()
    days = limit_days(document.cases, case.kind, case.is_urgent)
    deadline, problem = compute_deadline(now, days)
    count = case.reopen_count + 1
    escalate = count >= document.cases.reopen_escalation_count
    with transaction.atomic():
        _transition(
            case,
            [CaseStatus.FOLLOW_UP],
            status=CaseStatus.IN_PROGRESS,
            reopen_count=count,
            escalated=case.escalated or escalate,
            deadline=deadline,
            deadline_from=now,
            deadline_days=days,
            deadline_problem=problem,
            policy_version=version,
            extended=False,
            completed_at=None,
            handled_on_time=None,
            satisfaction="",
            resolved=None,
            follow_up_tries=0,
            followed_up_at=None,
            warned_at=None,
            reminded_at=None,
            escalation_prompted_at=None,
        )
        _event(case, EventKind.REOPENED, actor, _("第%(n)s次重办：%(r)s") % {"n": count, "r": text}, unit=case.unit)
        audit_record(action="cases.case.reopen", actor=actor, obj=case, detail={"count": count, "reason": text, "deadline": deadline})
        recipients = list(unit_users(case.unit))
        if escalate:
            _event(case, EventKind.ESCALATED, actor, _("重办%(n)s次，提级督办") % {"n": count})
            audit_record(action="cases.case.escalate", actor=actor, obj=case, detail={"reopen_count": count})
            recipients += list(office_users(head_only=True))
        notify(
            recipients=recipients,
            kind="cases.reopened",
            title=_("诉求件 %(n)s 第%(c)s次重办%(e)s") % {"n": case.number, "c": count, "e": _("，已提级督办") if escalate else ""},
            body=text,
            url=f"/cases/{case.pk}/",
        )
        if problem:
            _tell_office_deadline_unknown(case, problem)
    return case


def case_close(*, actor: Any, case: Case, reason: str) -> Case:
    """Close a case waiting for follow-up with a reason (e.g. dissatisfied but the demand
    has no legal basis; no way to reach an anonymous reporter)."""
    _check_status(case, [CaseStatus.FOLLOW_UP], _("结案"))
    text = _require(reason, "reason", _("请写明结案说明。"))
    with transaction.atomic():
        _transition(case, [CaseStatus.FOLLOW_UP], status=CaseStatus.CLOSED, closed_at=_now(), close_note=text[:300])
        _event(case, EventKind.CLOSED, actor, text)
        audit_record(action="cases.case.close", actor=actor, obj=case, detail={"reason": text})
    return case


# --- duplicates -------------------------------------------------------------------------------
def case_merge(*, actor: Any, case: Case, into: Case, note: str = "") -> Case:
    """Merge a duplicate (并单) into the case that will be handled. The duplicate keeps its
    own record, content and person; it is counted once, through the case it joined."""
    if case.pk == into.pk:
        raise ValidationError({"into": _("不能并入自己。")})
    _check_status(case, [CaseStatus.RECEIVED], _("并单"))
    if into.status in (CaseStatus.MERGED, CaseStatus.CLOSED) or into.merged_into_id:
        raise ValidationError({"into": _("目标件已结案或已并入其他件，不能并入。")})
    with transaction.atomic():
        _transition(case, [CaseStatus.RECEIVED], status=CaseStatus.MERGED, merged_into=into, closed_at=_now())
        _event(case, EventKind.MERGED, actor, _("并入 %(n)s %(note)s") % {"n": into.number, "note": note or ""})
        _event(into, EventKind.MERGED, actor, _("并入重复件 %(n)s") % {"n": case.number})
        audit_record(action="cases.case.merge", actor=actor, obj=case, detail={"into": into.pk, "note": note})
    return case


def case_mark_repeat(*, actor: Any, case: Case, of: Case | None) -> Case:
    """Mark (or unmark) a case as a repeat (回诉) of an earlier one by the same person."""
    if of is not None and (of.pk == case.pk or of.received_at > case.received_at):
        raise ValidationError({"of": _("重复件只能指向更早受理的件。")})
    with transaction.atomic():
        Case.objects.filter(pk=case.pk).update(repeat_of=of, updated_at=_now())
        case.repeat_of = of
        audit_record(action="cases.case.repeat", actor=actor, obj=case, detail={"of": getattr(of, "pk", None)})
    return case


# --- valid-complaint judgement ------------------------------------------------------------------
def complaint_judge(*, actor: Any, case: Case, valid: bool, reason: str, first_responsible: Staff | None = None) -> Case:
    """Judge a complaint after investigation (有效投诉认定). A valid complaint is charged
    to the first-responsible staff member and their unit, and the accountability module
    is told (event ``cases.complaint.valid``)."""
    if case.kind not in JUDGEABLE_KINDS:
        raise ValidationError(_("只有投诉、举报件需要认定是否为有效投诉。"))
    _check_status(case, [CaseStatus.REPLIED, CaseStatus.FOLLOW_UP, CaseStatus.CLOSED], _("认定（须在单位答复之后）"))
    text = _require(reason, "verdict_reason", _("请写明认定理由。"))
    person = first_responsible or case.first_responsible
    if valid:
        if person is None:
            raise ValidationError({"first_responsible": _("有效投诉须计入首办责任人，请选择。")})
        if case.unit is not None and not person.unit.path.startswith(case.unit.path):
            raise ValidationError({"first_responsible": _("首办责任人须是承办单位（或其下级单位）的工作人员。")})
    with transaction.atomic():
        changes: dict[str, Any] = {
            "verdict": Verdict.VALID if valid else Verdict.INVALID,
            "verdict_reason": text[:500],
            "verdict_at": _now(),
            "verdict_by": actor,
        }
        if valid:
            changes.update(first_responsible=person, charged_unit=person.unit)  # type: ignore[union-attr]
        updated = Case.objects.filter(pk=case.pk, verdict=Verdict.NONE).update(**changes, updated_at=_now())
        if updated != 1:
            raise ValidationError(_("该件已认定过；如需改变，请先由效能办负责人撤销原认定。"))
        case.refresh_from_db()
        _event(case, EventKind.JUDGED, actor, f"{Verdict(case.verdict).label}：{text}")
        audit_record(
            action="cases.complaint.judge",
            actor=actor,
            obj=case,
            detail={"verdict": case.verdict, "first_responsible": case.first_responsible_id, "charged_unit": case.charged_unit_id},
        )
        if valid:
            events.publish("cases.complaint.valid", case=case)
    return case


def complaint_verdict_withdraw(*, actor: Any, case: Case, reason: str) -> Case:
    """Withdraw a judgement (e.g. reversed on review). Withdrawing a valid complaint tells
    the accountability module (event ``cases.complaint.invalidated``)."""
    text = _require(reason, "reason", _("请写明撤销理由。"))
    old = case.verdict
    if old == Verdict.NONE:
        raise ValidationError(_("该件尚未认定，无需撤销。"))
    with transaction.atomic():
        updated = Case.objects.filter(pk=case.pk, verdict=old).update(
            verdict=Verdict.NONE, verdict_reason="", verdict_at=None, verdict_by=None, charged_unit=None, updated_at=_now()
        )
        if updated != 1:
            raise ValidationError(_("认定已被他人改变，请刷新后再试。"))
        case.refresh_from_db()
        _event(case, EventKind.VERDICT_WITHDRAWN, actor, text)
        audit_record(action="cases.complaint.withdraw", actor=actor, obj=case, detail={"was": old, "reason": text})
        if old == Verdict.VALID:
            events.publish("cases.complaint.invalidated", case=case)
    return case


# --- personal data -------------------------------------------------------------------------------
def case_phone_reveal(*, actor: Any, case: Case) -> str:
    """The full phone number for someone allowed to see who the person is; audited."""
    from cases.selectors import identity_visible

    if not case.contact_phone or not identity_visible(actor, case) or not gate.allows(actor, "cases.identity.reveal", case):
        audit_record(action="cases.case.reveal_phone", actor=actor, obj=case, success=False)
        raise ValidationError(_("您无权查看该诉求人的联系电话。"))
    audit_record(action="cases.case.reveal_phone", actor=actor, obj=case)
    return case.contact_phone


# --- channels -------------------------------------------------------------------------------------
def channel_save(
    *, actor: Any, channel: Channel | None, code: str, name: str, is_platform: bool = False, sort_order: int = 0, is_active: bool = True
) -> Channel:
    """Add or change a channel (the office edits the list)."""
    errors: dict[str, str] = {}
    if not (name or "").strip():
        errors["name"] = _("请填写渠道名称。")
    elif excluding(Channel.objects.filter(name=name.strip()), channel).exists():
        errors["name"] = _("已有同名渠道。")
    if not (code or "").strip():
        errors["code"] = _("请填写代码。")
    elif excluding(Channel.objects.filter(code=code.strip()), channel).exists():
        errors["code"] = _("代码已被使用。")
    if errors:
        raise ValidationError(errors)
    values = {"code": code.strip(), "name": name.strip(), "is_platform": is_platform, "sort_order": sort_order or 0, "is_active": is_active}
    with transaction.atomic():
        if channel is None:
            channel = Channel.objects.create(**values)
            action = "cases.channel.create"
        else:
            Channel.objects.filter(pk=channel.pk).update(**values)
            channel.refresh_from_db()
            action = "cases.channel.update"
        audit_record(action=action, actor=actor, obj=channel, detail=values)
    return channel


# --- deadline monitoring (the periodic task) -----------------------------------------------------
@dataclass
class ScanResult:
    warned: int = 0
    reminded: int = 0
    prompted: int = 0
    deadlines_set: int = 0


def deadline_scan(*, today: date | None = None) -> ScanResult:
    """Warn before deadlines, remind units the day after a missed deadline, prompt the
    office to circulate criticism when still overdue later (policy numbers), and retry
    deadlines the calendar could not count before. Each message goes out once."""
    day = today or timezone.localdate()
    _version, document = _policy(day)
    policy = document.cases
    result = ScanResult()
    running = [CaseStatus.DISPATCHED, CaseStatus.IN_PROGRESS, CaseStatus.RETURNED]
    for case in (
        Case.objects.filter(deadline__isnull=True, deadline_days__isnull=False)
        .exclude(deadline_problem="")
        .filter(status__in=running + [CaseStatus.RECEIVED])
    ):
        if case_deadline_recompute(actor=None, case=case).deadline is not None:
            result.deadlines_set += 1
    open_cases = Case.objects.filter(status__in=running, deadline__isnull=False).select_related("unit")
    thresholds: dict[date, tuple[int | None, date | None, date | None]] = {}

    def marks(deadline: date) -> tuple[int | None, date | None, date | None]:
        if deadline not in thresholds:
            try:
                left = calendar.working_days_between(day, deadline) if deadline >= day else None
                remind_on = calendar.add_working_days(deadline, policy.reminder_after_days)
                prompt_on = calendar.add_working_days(deadline, policy.escalate_after_days)
            except calendar.CalendarUnknownYear:
                left, remind_on, prompt_on = None, None, None
            thresholds[deadline] = (left, remind_on, prompt_on)
        return thresholds[deadline]

    now = _now()
    for case in open_cases.filter(warned_at__isnull=True, deadline__gte=day):
        left, _r, _p = marks(case.deadline)  # type: ignore[arg-type]
        if left is not None and left <= policy.warning_days_before:
            with transaction.atomic():
                if Case.objects.filter(pk=case.pk, warned_at__isnull=True).update(warned_at=now):
                    result.warned += 1
                    _event(case, EventKind.WARNED, None, _("期限 %(d)s") % {"d": case.deadline})
                    audit_record(action="cases.case.warn", obj=case, detail={"deadline": case.deadline}, actor_label="system")
                    notify(
                        recipients=unit_users(case.unit),
                        kind="cases.deadline_warning",
                        title=_("诉求件 %(n)s 将于 %(d)s 到期") % {"n": case.number, "d": case.deadline},
                        url=f"/cases/{case.pk}/",
                    )
    for case in open_cases.filter(deadline__lt=day).filter(reminded_at__isnull=True):
        _left, remind_on, _p = marks(case.deadline)  # type: ignore[arg-type]
        if remind_on is not None and day >= remind_on:
            with transaction.atomic():
                if Case.objects.filter(pk=case.pk, reminded_at__isnull=True).update(reminded_at=now):
                    result.reminded += 1
                    _event(case, EventKind.REMINDED, None, _("已逾期（期限 %(d)s）") % {"d": case.deadline})
                    audit_record(action="cases.case.remind", obj=case, detail={"deadline": case.deadline}, actor_label="system")
                    notify(
                        recipients=unit_users(case.unit),
                        kind="cases.overdue_reminder",
                        title=_("催办：诉求件 %(n)s 已超过办理期限 %(d)s") % {"n": case.number, "d": case.deadline},
                        url=f"/cases/{case.pk}/",
                    )
    for case in open_cases.filter(deadline__lt=day).filter(escalation_prompted_at__isnull=True):
        _left, _r, prompt_on = marks(case.deadline)  # type: ignore[arg-type]
        if prompt_on is not None and day >= prompt_on:
            with transaction.atomic():
                if Case.objects.filter(pk=case.pk, escalation_prompted_at__isnull=True).update(escalation_prompted_at=now):
                    result.prompted += 1
                    _event(case, EventKind.ESCALATION_PROMPTED, None, _("逾期%(n)s个工作日仍未办结") % {"n": policy.escalate_after_days})
                    audit_record(action="cases.case.escalation_prompt", obj=case, detail={"deadline": case.deadline}, actor_label="system")
                    notify(
                        recipients=office_users(),
                        kind="cases.escalation_prompt",
                        title=_("请考虑通报批评：%(u)s 的诉求件 %(n)s 逾期%(d)s个工作日仍未办结")
                        % {"u": case.unit.name if case.unit else "—", "n": case.number, "d": policy.escalate_after_days},
                        url=f"/cases/{case.pk}/",
                    )
    return result

"""Reads of the cases module, always through the gate — plus the two interfaces other
modules call (``valid_complaints`` for accountability, ``handled_cases_for_sampling`` for
evaluations), which are not user-scoped: the calling module scopes its own pages.

Who the person behind a case is (name, phone, tracking code) is decided here, in one
place: ``identity_for``.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth.hashers import check_password, make_password
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.choices import PUBLIC_EVENTS, CaseStatus, ExtensionStatus, ReturnReview, Verdict
from cases.models import Case, CaseCoUnit, CaseEvent, Channel, Dispatch, Extension, FollowUp
from core import permissions as gate
from core.masking import mask_name, mask_phone
from core.selectors import policy_document

# A hash to check against when a tracking code does not exist, so that a wrong code and a
# wrong password take the same time and give the same answer.
_DUMMY_HASH = make_password("not-a-real-password")


def case_list(user: Any) -> QuerySet[Case]:
    return gate.restrict(
        Case.objects.select_related("channel", "unit", "concerned_unit"),
        user,
        "cases.case.view",
    )


def case_get(user: Any, pk: int, perm: str = "cases.case.view") -> Case:
    """The case if ``user`` may use ``perm`` on it (403 for the role, 404 outside scope)."""
    qs = Case.objects.select_related(
        "channel", "unit", "concerned_unit", "first_responsible", "first_responsible__unit", "charged_unit", "merged_into", "repeat_of"
    )
    return gate.get_object(user, perm, qs, pk=pk)


def case_detail(user: Any, case: Case) -> dict[str, Any]:
    """What the case page shows, each part only to whom it belongs."""
    co_units = [link.unit for link in CaseCoUnit.objects.filter(case=case).select_related("unit")]
    dispatches = list(case.dispatches.select_related("unit", "dispatched_by", "signed_by", "returned_by", "reviewed_by"))
    extensions = list(case.extensions.select_related("requested_by", "decided_by"))
    events = list(case.events.select_related("actor", "unit"))
    follow_ups = list(case.follow_ups.select_related("recorded_by")) if gate.can(user, "cases.followup.view") else []
    _version, document = policy_document()
    levels = {lv.code: lv.label for lv in document.ratings.levels}
    return {
        "co_units": co_units,
        "dispatches": dispatches,
        "dispatch": dispatches[0] if dispatches else None,
        "extensions": extensions,
        "pending_extension": next((e for e in extensions if e.status == ExtensionStatus.PENDING), None),
        "events": events,
        "follow_ups": follow_ups,
        "identity": identity_for(user, case),
        "attachments": list(case.attachments.all()),
        "merged": list(case.merged.all()) if gate.can(user, "cases.case.merge") else [],
        "levels": levels,
        "satisfaction_label": levels.get(case.satisfaction, ""),
        "overdue": is_overdue(case),
    }


def is_overdue(case: Case, today: date | None = None) -> bool:
    return case.is_open and case.deadline is not None and case.deadline < (today or timezone.localdate())


# --- who the person is ---------------------------------------------------------------------
def identity_visible(user: Any, case: Case) -> bool:
    """Whether ``user`` may know who the person is. Anonymous reports: nobody. The office:
    always. A unit: only on its own cases, and only if the person agreed to be contacted
    by the unit (RULES.md §2 and §9; 信访工作条例)."""
    if case.anonymous:
        return False
    if gate.can(user, "cases.identity.view") and gate.allows(user, "cases.identity.view", case):
        return True
    return (
        case.contact_consent
        and gate.can(user, "cases.identity.view_consented")
        and gate.allows(user, "cases.identity.view_consented", case)
    )


def identity_for(user: Any, case: Case) -> dict[str, Any]:
    """Name, masked phone and tracking code as ``user`` may see them."""
    if case.anonymous:
        return {"visible": False, "anonymous": True, "name": _("匿名"), "phone": "", "tracking_code": "", "can_reveal": False}
    if not identity_visible(user, case):
        return {
            "visible": False,
            "anonymous": False,
            "name": _("（诉求人信息保密）"),
            "phone": "",
            "tracking_code": "",
            "can_reveal": False,
        }
    return {
        "visible": True,
        "anonymous": False,
        "name": case.contact_name,
        "phone": mask_phone(case.contact_phone),
        "tracking_code": case.tracking_code,
        "can_reveal": bool(case.contact_phone) and gate.allows(user, "cases.identity.reveal", case),
        "consent": case.contact_consent,
    }


def identity_label(user: Any, case: Case) -> str:
    """How a list shows the person: the masked name to the office, nothing to a unit."""
    if case.anonymous:
        return _("匿名")
    if not identity_visible(user, case):
        return "—"
    return mask_name(case.contact_name)


# --- duplicates ------------------------------------------------------------------------------
def _bigrams(text: str) -> set[str]:
    clean = "".join(ch for ch in text if not ch.isspace() and ch not in "，。！？、；：,.!?;:（）()“”\"'")
    return {clean[i : i + 2] for i in range(len(clean) - 1)} or ({clean} if clean else set())


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of the character bigrams of two texts (0–1); Chinese needs no
    word segmentation for this."""
    x, y = _bigrams(a), _bigrams(b)
    if not x or not y:
        return 0.0
    return len(x & y) / len(x | y)


def possible_duplicates(case: Case, limit: int = 10) -> list[dict[str, Any]]:
    """Cases that may be the same matter: the same phone, or very similar content about
    the same unit, within the policy's period (RULES.md §2, 并单)."""
    _version, document = policy_document(on=timezone.localtime(case.received_at).date())
    window = timedelta(days=document.cases.duplicate_window_days)
    threshold = document.cases.duplicate_similarity
    around = Case.objects.filter(received_at__gte=case.received_at - window, received_at__lte=case.received_at + window).exclude(pk=case.pk)
    around = around.exclude(status=CaseStatus.MERGED).select_related("unit", "channel")
    found: dict[int, dict[str, Any]] = {}
    if case.contact_phone:
        for other in around.filter(contact_phone=case.contact_phone).order_by("-received_at")[:limit]:
            found[other.pk] = {"case": other, "reason": _("同一来电号码"), "score": 1.0}
    unit_ids = [u for u in (case.concerned_unit_id, case.unit_id) if u]
    scope = Q(concerned_unit_id__in=unit_ids) | Q(unit_id__in=unit_ids) if unit_ids else Q()
    for other in around.filter(scope).order_by("-received_at")[:300]:
        if other.pk in found:
            continue
        score = similarity(case.content, other.content)
        if score >= threshold:
            found[other.pk] = {"case": other, "reason": _("内容相似（%(p).0f%%）") % {"p": score * 100}, "score": score}
    return sorted(found.values(), key=lambda row: (-row["score"], -row["case"].received_at.timestamp()))[:limit]


# --- queues ----------------------------------------------------------------------------------
def follow_up_queue(user: Any) -> QuerySet[Case]:
    """Cases whose handling stage is closed and that wait for a call back — the
    dissatisfied ones (waiting for reopen or close) first."""
    gate.check(user, "cases.followup.view")
    qs = gate.restrict(Case.objects.filter(status=CaseStatus.FOLLOW_UP), user, "cases.followup.view")
    return qs.select_related("channel", "unit").order_by("-satisfaction", "completed_at")


def work_counts(user: Any) -> dict[str, int]:
    """Counts for the home page: what waits for this user."""
    qs = case_list(user)
    today = timezone.localdate()
    counts = {
        "to_dispatch": qs.filter(status=CaseStatus.RECEIVED).count(),
        "to_sign": qs.filter(status=CaseStatus.DISPATCHED).count(),
        "returned": qs.filter(status=CaseStatus.RETURNED).count(),
        "in_progress": qs.filter(status=CaseStatus.IN_PROGRESS).count(),
        "replied": qs.filter(status=CaseStatus.REPLIED).count(),
        "follow_up": qs.filter(status=CaseStatus.FOLLOW_UP).count(),
        "overdue": qs.filter(status__in=[CaseStatus.DISPATCHED, CaseStatus.IN_PROGRESS, CaseStatus.RETURNED], deadline__lt=today).count(),
        "due_soon": qs.filter(
            status__in=[CaseStatus.DISPATCHED, CaseStatus.IN_PROGRESS], deadline__gte=today, warned_at__isnull=False
        ).count(),
        "no_deadline": qs.exclude(deadline_problem="")
        .filter(deadline__isnull=True)
        .exclude(status__in=[CaseStatus.CLOSED, CaseStatus.MERGED])
        .count(),
        "escalated": qs.filter(escalated=True).exclude(status=CaseStatus.CLOSED).count(),
        "extensions": gate.restrict(Extension.objects.filter(status=ExtensionStatus.PENDING), user, "cases.case.view").count(),
    }
    return counts


def deadline_problems(user: Any) -> list[Case]:
    """Cases accepted without a deadline because the calendar did not know the year."""
    return list(case_list(user).exclude(deadline_problem="").filter(deadline__isnull=True).order_by("received_at")[:10])


def pending_returns(user: Any) -> QuerySet[Dispatch]:
    return gate.restrict(Dispatch.objects.filter(review=ReturnReview.PENDING), user, "cases.case.review_return").select_related(
        "case", "unit"
    )


# --- public tracking --------------------------------------------------------------------------
def case_track(code: str, password: str) -> Case | None:
    """The case with this tracking code and query password, or None — the same answer,
    in the same time, whether the code exists or not."""
    normalised = (code or "").strip().upper().replace(" ", "")
    case = Case.objects.filter(tracking_code=normalised).select_related("unit", "channel").first() if normalised else None
    valid = check_password(password or "", case.query_password if case is not None and case.query_password else _DUMMY_HASH)
    if case is None or not valid:
        return None
    return case


def public_view(case: Case) -> dict[str, Any]:
    """What the person sees on the tracking page: no staff names, no internal notes."""
    events = CaseEvent.objects.filter(case=case, kind__in=sorted(PUBLIC_EVENTS)).order_by("at", "id")
    _version, document = policy_document()
    return {
        "case": case,
        "events": [{"at": e.at, "label": e.get_kind_display()} for e in events],
        "unit_name": case.unit.name if case.unit and case.status not in (CaseStatus.RECEIVED, CaseStatus.MERGED) else "",
        "reply": case.reply if case.status in (CaseStatus.FOLLOW_UP, CaseStatus.CLOSED) else "",
        "can_rate": case.status == CaseStatus.FOLLOW_UP and not case.satisfaction,
        "levels": document.ratings.levels,
        "rating_label": next((lv.label for lv in document.ratings.levels if lv.code == case.satisfaction), ""),
        "merged_into": case.merged_into,
    }


# --- interfaces for other modules -------------------------------------------------------------------
def _day_bounds(start: date | None, end: date | None) -> Q:
    tz = timezone.get_current_timezone()
    q = Q()
    if start is not None:
        q &= Q(verdict_at__gte=datetime.combine(start, time.min, tz))
    if end is not None:
        q &= Q(verdict_at__lt=datetime.combine(end + timedelta(days=1), time.min, tz))
    return q


def valid_complaints(
    *, start: date | None = None, end: date | None = None, staff_ids: list[int] | None = None, unit_ids: list[int] | None = None
) -> QuerySet[Case]:
    """Valid complaints (有效投诉) judged in [start, end] (local dates, inclusive), with
    their first-responsible staff member and the unit charged — for the accountability
    module's ladder and apologies. Filter by staff members and/or charged units."""
    qs = Case.objects.filter(verdict=Verdict.VALID).filter(_day_bounds(start, end))
    if staff_ids is not None:
        qs = qs.filter(first_responsible_id__in=staff_ids)
    if unit_ids is not None:
        qs = qs.filter(charged_unit_id__in=unit_ids)
    return qs.select_related("first_responsible", "first_responsible__unit", "charged_unit", "channel").order_by("verdict_at", "pk")


def handled_cases_for_sampling(*, unit_ids: list[int], start: date, end: date) -> list[dict[str, Any]]:
    """Closed cases of these units closed in [start, end] whose person can be called back
    (not anonymous, a phone given) — for the evaluations module's sampled follow-ups."""
    tz = timezone.get_current_timezone()
    qs = (
        Case.objects.filter(
            status=CaseStatus.CLOSED,
            unit_id__in=unit_ids,
            anonymous=False,
            closed_at__gte=datetime.combine(start, time.min, tz),
            closed_at__lt=datetime.combine(end + timedelta(days=1), time.min, tz),
        )
        .exclude(contact_phone="")
        .order_by("closed_at", "pk")
    )
    return [
        {
            "ref": row.tracking_code,
            "case_id": row.pk,
            "unit_id": row.unit_id,
            "summary": row.title,
            "contact_name": row.contact_name,
            "contact_phone": row.contact_phone,
            "closed_at": row.closed_at,
        }
        for row in qs.only("pk", "tracking_code", "unit_id", "title", "contact_name", "contact_phone", "closed_at")
    ]


# --- channels ---------------------------------------------------------------------------------
def channel_list(user: Any) -> QuerySet[Channel]:
    return gate.restrict(Channel.objects.all(), user, "cases.channel.view")


def active_channels() -> QuerySet[Channel]:
    return Channel.objects.filter(is_active=True)


def follow_ups_of(user: Any, case: Case) -> QuerySet[FollowUp]:
    return gate.restrict(FollowUp.objects.filter(case=case), user, "cases.followup.view")

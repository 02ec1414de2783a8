"""Reads of accountability, always through the gate (core.permissions): each selector
takes the user and returns only what that user may see. ``rating_consequences`` is the
one read for another module (the annual assessment) and is not scoped by a user.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from accountability.choices import (
    RATING_MEASURES,
    TERMED_MEASURES,
    ApologyKind,
    ApologyStatus,
    ChargeSource,
    ChargeStatus,
    Measure,
    Outcome,
    ProposalKind,
    ProposalStatus,
    Rule,
    SanctionStatus,
    measure_label,
)
from accountability.ladder import assessment_year, ladder_for, window_start, year_bounds
from accountability.models import (
    Apology,
    ApologyUnit,
    Charge,
    Decision,
    Incident,
    PersonRecord,
    Proposal,
    Sanction,
)
from core import permissions as gate
from core.selectors import policy_document
from org.models import Unit


def current_year(on: date | None = None) -> int:
    """The assessment year of ``on`` (today by default) under the policy in force."""
    day = on or timezone.localdate()
    _version, document = policy_document(on=day)
    return assessment_year(day, document.accountability.year_start_month)


# --- charges and incidents ------------------------------------------------------------------
def charge_list(user: Any) -> QuerySet[Charge]:
    qs = Charge.objects.select_related("staff", "unit", "head_unit", "incident")
    return gate.restrict(qs, user, "accountability.charge.view")


def incident_get(user: Any, pk: int, perm: str = "accountability.charge.view") -> Incident:
    return gate.get_object(user, perm, Incident.objects.select_related("recorded_by").prefetch_related("units"), pk=pk)


def incident_detail(incident: Incident) -> dict[str, Any]:
    charges = list(incident.charges.select_related("unit", "head_unit").order_by("unit__path"))
    proposals = list(Proposal.objects.filter(charges__incident=incident).distinct().select_related("unit").order_by("pk"))
    return {"charges": charges, "proposals": proposals, "active": any(c.is_active for c in charges)}


# --- proposals and decisions ----------------------------------------------------------------
def proposal_list(user: Any) -> QuerySet[Proposal]:
    qs = Proposal.objects.select_related("staff", "unit", "trigger", "decision", "decision__decided_by").prefetch_related("units")
    return gate.restrict(qs, user, "accountability.proposal.view")


def proposal_get(user: Any, pk: int, perm: str = "accountability.proposal.view") -> Proposal:
    qs = Proposal.objects.select_related("staff", "staff__unit", "unit", "trigger", "policy_version__policy")
    return gate.get_object(user, perm, qs, pk=pk)


def proposal_detail(user: Any, proposal: Proposal) -> dict[str, Any]:
    """What the proposal page shows: the evidence counted, the heads named, the decision
    and what it put in force, reviews, and the alternatives the policy offers."""
    from accountability.services import heads_of

    decision = Decision.objects.filter(proposal=proposal).select_related("decided_by", "staff").first()
    units = list(proposal.units.order_by("path")) or ([proposal.unit] if proposal.kind == ProposalKind.APOLOGY else [])
    version = proposal.policy_version
    from core.selectors import parse_document

    policy = parse_document(version).accountability
    return {
        "charges": list(proposal.charges.select_related("staff", "unit").order_by("occurred_at", "pk")),
        "heads": heads_of(units),
        "decision": decision,
        "sanctions": list(decision.sanctions.select_related("staff", "unit")) if decision else [],
        "apologies": list(decision.apologies.prefetch_related("unit_links")) if decision else [],
        "reviews": list(decision.reviews.select_related("reviewed_by")) if decision else [],
        "open_review": decision.reviews.filter(outcome="").first() if decision else None,
        "serious_measures": list(policy.serious_finding_measures) if proposal.rule == Rule.FINDING else [],
        "termed_measures": sorted(TERMED_MEASURES),
        "can_decide": proposal.status == ProposalStatus.PENDING and gate.can(user, "accountability.proposal.decide"),
        "can_review": decision is not None and decision.under_review and gate.can(user, "accountability.decision.review"),
    }


def decision_list(user: Any) -> QuerySet[Decision]:
    qs = Decision.objects.select_related("proposal", "proposal__unit", "proposal__staff", "decided_by", "staff")
    return gate.restrict(qs, user, "accountability.proposal.view")


def decision_of(proposal: Proposal) -> int:
    """The id of a proposal's decision (0 if it has none: the lookup then finds nothing)."""
    return Decision.objects.filter(proposal=proposal).values_list("pk", flat=True).first() or 0


def decision_get(user: Any, pk: int, perm: str = "accountability.proposal.view") -> Decision:
    return gate.get_object(user, perm, Decision.objects.select_related("proposal", "decided_by"), pk=pk)


# --- sanctions and apologies ----------------------------------------------------------------
def sanction_list(user: Any) -> QuerySet[Sanction]:
    qs = Sanction.objects.select_related("staff", "unit", "decision", "decision__proposal", "decision__decided_by")
    return gate.restrict(qs, user, "accountability.sanction.view")


def sanction_get(user: Any, pk: int, perm: str = "accountability.sanction.view") -> Sanction:
    qs = Sanction.objects.select_related(
        "staff", "staff__unit", "unit", "decision", "decision__proposal", "decision__decided_by", "executed_by"
    )
    return gate.get_object(user, perm, qs, pk=pk)


def evidence_of(decision: Decision) -> list[Charge]:
    """The charges a decision rests on (its proposal's evidence)."""
    return list(decision.proposal.charges.select_related("staff", "unit").order_by("occurred_at", "pk"))


def apology_list(user: Any) -> QuerySet[Apology]:
    links = Prefetch("unit_links", ApologyUnit.objects.select_related("unit", "head"))
    qs = Apology.objects.select_related("unit", "decision", "decision__decided_by").prefetch_related(links)
    return gate.restrict(qs, user, "accountability.apology.view")


def apology_get(user: Any, pk: int, perm: str = "accountability.apology.view") -> Apology:
    links = Prefetch("unit_links", ApologyUnit.objects.select_related("unit", "head"))
    qs = Apology.objects.select_related("unit", "decision", "decision__proposal", "decision__decided_by", "recorded_by").prefetch_related(
        links
    )
    return gate.get_object(user, perm, qs, pk=pk)


# --- counts ---------------------------------------------------------------------------------
@dataclass
class LadderCounts:
    """A person's valid complaints as the ladder counts them on a day."""

    on: date
    year: int
    year_count: int
    window_start: date
    window_count: int
    dismissal_count: int
    step_measures: list[str]
    rule: str

    @property
    def step_labels(self) -> list[str]:
        return [measure_label(code) for code in self.step_measures]


def ladder_counts(staff: Any, on: date | None = None) -> LadderCounts:
    on = on or timezone.localdate()
    version, document = policy_document(on=on)
    policy = document.accountability
    year = assessment_year(on, policy.year_start_month)
    start = window_start(on, policy.dismissal_window_months)
    active = Charge.objects.filter(staff=staff, source=ChargeSource.COMPLAINT, status=ChargeStatus.ACTIVE, occurred_at__date__lte=on)
    year_count = active.filter(year=year).count()
    window_count = active.filter(occurred_at__date__gte=start).count()
    result = ladder_for(policy, year_count, window_count)
    return LadderCounts(
        on=on,
        year=year,
        year_count=year_count,
        window_start=start,
        window_count=window_count,
        dismissal_count=policy.dismissal_count,
        step_measures=result.measures if result else [],
        rule=result.rule if result else "",
    )


def unit_counts(unit: Unit, year: int) -> dict[str, int]:
    """What the apology rule counts for the head of ``unit`` (a top unit) in a year."""
    rows = Charge.objects.filter(head_unit=unit, year=year, status=ChargeStatus.ACTIVE).values("source").annotate(n=Count("id"))
    counts = dict.fromkeys(ChargeSource.values, 0)
    for row in rows:
        counts[row["source"]] = row["n"]
    return counts


# --- a person's record, a unit's page ----------------------------------------------------------
def person_get(user: Any, pk: int) -> PersonRecord:
    return gate.get_object(user, "accountability.record.view", PersonRecord.objects.select_related("unit"), pk=pk)


def person_record(user: Any, person: PersonRecord) -> dict[str, Any]:
    """Everything charged to a person, with its basis; the counts each proposal used; the
    ladder's counts today; and the annual-rating consequences of each year."""
    # charged to them, or a finding that named nobody until the decision named them
    named = Q(staff_id=person.pk) | Q(proposals__decision__staff_id=person.pk)
    charges = list(Charge.objects.filter(named).distinct().select_related("unit").order_by("-occurred_at", "-pk"))
    sanctions = list(
        Sanction.objects.filter(staff_id=person.pk).select_related("unit", "decision", "decision__proposal").order_by("-decided_on", "-pk")
    )
    proposals: list[Proposal] = []
    if gate.can(user, "accountability.proposal.view"):
        proposals = list(
            gate.restrict(Proposal.objects.filter(staff_id=person.pk), user, "accountability.proposal.view")
            .select_related("decision")
            .order_by("-created_at", "-pk")
        )
    years = sorted({c.year for c in charges} | {s.year for s in sanctions}, reverse=True)
    consequences = {year: rating_consequences(year).get(person.pk) for year in years}
    return {
        "charges": charges,
        "sanctions": sanctions,
        "proposals": proposals,
        "counts": ladder_counts(person),
        "consequences": [(year, consequences[year]) for year in years if consequences[year]],
    }


def unit_get(user: Any, pk: int) -> Unit:
    return gate.get_object(user, "accountability.unit.view", Unit.objects.select_related("parent"), pk=pk)


def unit_record(user: Any, unit: Unit, year: int) -> dict[str, Any]:
    """A unit's page: its apologies and sanctions (and those of the units below it), and
    what the apology rule counted for its head in the year."""
    within = Q(unit__path__startswith=unit.path)
    apologies = apology_list(user).filter(Apology.gate_unit_q(unit), year=year).order_by("-decided_on", "-pk")
    sanctions = sanction_list(user).filter(within, year=year).order_by("-decided_on", "-pk")
    charges = Charge.objects.filter(within, year=year).select_related("staff", "unit").order_by("-occurred_at", "-pk")
    pending: QuerySet[Proposal] = Proposal.objects.none()
    if gate.can(user, "accountability.proposal.view"):
        pending = proposal_list(user).filter(Proposal.gate_unit_q(unit), status=ProposalStatus.PENDING)
    is_head_unit = unit.parent_id is None
    return {
        "apologies": list(apologies),
        "sanctions": list(sanctions),
        "charges": list(charges),
        "pending": list(pending),
        "counts": unit_counts(unit, year) if is_head_unit else None,
        "is_head_unit": is_head_unit,
    }


@dataclass
class UnitRow:
    unit: Unit
    complaints: int = 0
    findings: int = 0
    incidents: int = 0
    sanctions: int = 0
    apologies: int = 0
    apologies_pending: int = 0


def _top_id(path: str) -> int:
    return int(path.strip("/").split("/")[0])


def unit_overview(user: Any, year: int) -> list[UnitRow]:
    """The units with accountability in a year, each counted at the top of its branch,
    most charged first. The office sees every unit; a unit user, their own branch."""
    gate.check(user, "accountability.unit.view")
    if gate.scope_of(user, "accountability.unit.view") is gate.ALL:
        return unit_overview_all(year)
    unit = getattr(user, "unit", None)
    if unit is None:
        return []
    within = Q(unit__path__startswith=unit.path)
    charges = Counter(Charge.objects.filter(within, year=year, status=ChargeStatus.ACTIVE).values_list("source", flat=True))
    apologies = apology_list(user).filter(year=year).exclude(status=ApologyStatus.REVOKED)
    return [
        UnitRow(
            unit=unit,
            complaints=charges.get(ChargeSource.COMPLAINT, 0),
            findings=charges.get(ChargeSource.INSPECTION, 0),
            incidents=sum(n for source, n in charges.items() if source not in (ChargeSource.COMPLAINT, ChargeSource.INSPECTION)),
            sanctions=sanction_list(user).filter(year=year, status=SanctionStatus.IN_FORCE).count(),
            apologies=apologies.count(),
            apologies_pending=apologies.filter(status=ApologyStatus.PENDING).count(),
        )
    ]


# --- the annual assessment reads this --------------------------------------------------------
def rating_consequences(year: int) -> dict[int, dict[str, bool]]:
    """The annual-rating consequences of the sanctions in force for an assessment year, for
    the annual assessment: ``{staff_id: {"barred_from_excellent": bool, "incompetent":
    bool, "under_review": bool}}`` — only people with at least one such measure. A person
    rated incompetent is barred from "excellent" as well. ``under_review`` says a measure
    rests on a decision flagged for review after a withdrawal (it stands until a person
    revokes it). Revoked sanctions count for nothing."""
    out: dict[int, dict[str, bool]] = {}
    rows = (
        Sanction.objects.filter(year=year, status=SanctionStatus.IN_FORCE, measure__in=sorted(RATING_MEASURES), staff__isnull=False)
        .values_list("staff_id", "measure", "decision__under_review")
        .order_by("staff_id")
    )
    for staff_id, measure, under_review in rows:
        entry = out.setdefault(staff_id, {"barred_from_excellent": False, "incompetent": False, "under_review": False})
        if measure == Measure.RATED_INCOMPETENT:
            entry["incompetent"] = True
        entry["barred_from_excellent"] = True
        entry["under_review"] = entry["under_review"] or bool(under_review)
    return out


# --- follow-through ---------------------------------------------------------------------------
def overdue_apologies(user: Any, today: date | None = None) -> QuerySet[Apology]:
    today = today or timezone.localdate()
    return apology_list(user).filter(status=ApologyStatus.PENDING, due__lt=today).order_by("due", "pk")


def overdue_sanctions(user: Any, today: date | None = None) -> QuerySet[Sanction]:
    today = today or timezone.localdate()
    return sanction_list(user).filter(status=SanctionStatus.IN_FORCE, executed_on__isnull=True, due__lt=today).order_by("due", "pk")


def open_reviews(user: Any) -> QuerySet[Decision]:
    return decision_list(user).filter(under_review=True).order_by("decided_at")


# --- figures (aggregated: no person's name) ------------------------------------------------------
@dataclass
class Figures:
    year: int
    proposals: int = 0
    pending: int = 0
    withdrawn: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    ladder_steps: dict[int, int] = field(default_factory=dict)  # decided ladder proposals by the year's count
    dismissals: int = 0
    measures: list[tuple[str, str, int, int]] = field(default_factory=list)  # code, label, in force, revoked
    people: int = 0
    apologies: list[tuple[str, str, int, int, int]] = field(default_factory=list)  # kind, label, total, done, overdue
    joint_heads: list[int] = field(default_factory=list)  # heads per joint apology
    reassignments: int = 0
    reassignment_months: list[int] = field(default_factory=list)

    @property
    def reassignment_terms(self) -> list[tuple[int, int]]:
        """(months, people) for each length of term."""
        return sorted(Counter(self.reassignment_months).items())

    charges: dict[str, int] = field(default_factory=dict)
    units: list[UnitRow] = field(default_factory=list)


def figures(user: Any, year: int) -> Figures:
    """Counts of a year — proposals and outcomes, ladder steps, measures, apologies, terms
    of grassroots reassignment, charges by source and unit — computed from the records."""
    gate.check(user, "accountability.figures.view")
    from accountability.ladder import months_before

    result = Figures(year=year)
    proposals = Proposal.objects.filter(year=year)
    result.proposals = proposals.count()
    result.pending = proposals.filter(status=ProposalStatus.PENDING).count()
    result.withdrawn = proposals.filter(status=ProposalStatus.WITHDRAWN).count()
    outcomes = Counter(Decision.objects.filter(proposal__year=year).values_list("outcome", flat=True))
    result.outcomes = {code: outcomes.get(code, 0) for code in Outcome.values}
    decided = proposals.filter(status=ProposalStatus.DECIDED, kind=ProposalKind.SANCTION).exclude(decision__outcome=Outcome.REJECTED)
    result.ladder_steps = dict(sorted(Counter(decided.filter(rule=Rule.LADDER).values_list("year_count", flat=True)).items()))
    result.dismissals = decided.filter(rule=Rule.DISMISSAL).count()
    sanctions = Sanction.objects.filter(year=year)
    by_measure: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for measure, status in sanctions.values_list("measure", "status"):
        by_measure[measure][0 if status == SanctionStatus.IN_FORCE else 1] += 1
    result.measures = [
        (code, str(label), by_measure[code][0], by_measure[code][1]) for code, label in Measure.choices if code in by_measure
    ]
    result.people = sanctions.filter(status=SanctionStatus.IN_FORCE, staff__isnull=False).values("staff").distinct().count()
    today = timezone.localdate()
    apologies = Apology.objects.filter(year=year).exclude(status=ApologyStatus.REVOKED)
    for kind, label in ApologyKind.choices:
        of_kind = apologies.filter(kind=kind)
        result.apologies.append(
            (
                kind,
                str(label),
                of_kind.count(),
                of_kind.filter(status=ApologyStatus.DONE).count(),
                of_kind.filter(status=ApologyStatus.PENDING, due__lt=today).count(),
            )
        )
    result.joint_heads = list(
        apologies.filter(kind=ApologyKind.JOINT).annotate(n=Count("unit_links")).order_by("decided_on", "pk").values_list("n", flat=True)
    )
    terms = sanctions.filter(measure=Measure.GRASSROOTS_REASSIGNMENT, status=SanctionStatus.IN_FORCE).values_list("term_start", "term_end")
    result.reassignments = len(terms)
    for start, end in terms:
        if start is None or end is None:  # pragma: no cover - a termed measure always has its term
            continue
        months = 0
        while months_before(end, months + 1) >= start:
            months += 1
        result.reassignment_months.append(months)
    charges = Counter(Charge.objects.filter(year=year, status=ChargeStatus.ACTIVE).values_list("source", flat=True))
    result.charges = {code: charges.get(code, 0) for code in ChargeSource.values}
    result.units = unit_overview_all(year)
    return result


def unit_overview_all(year: int) -> list[UnitRow]:
    """Every unit's counts of a year (for the figures: units are not personal data)."""
    rows: dict[int, UnitRow] = {}
    tops = {u.pk: u for u in Unit.objects.filter(parent__isnull=True)}

    def row(top_id: int) -> UnitRow:
        if top_id not in rows:
            rows[top_id] = UnitRow(tops[top_id])
        return rows[top_id]

    for head_id, source in Charge.objects.filter(year=year, status=ChargeStatus.ACTIVE).values_list("head_unit_id", "source"):
        target = row(head_id)
        if source == ChargeSource.COMPLAINT:
            target.complaints += 1
        elif source == ChargeSource.INSPECTION:
            target.findings += 1
        else:
            target.incidents += 1
    for path in Sanction.objects.filter(year=year, status=SanctionStatus.IN_FORCE).values_list("unit__path", flat=True):
        row(_top_id(path)).sanctions += 1
    for unit_id, status in (
        ApologyUnit.objects.filter(apology__year=year)
        .exclude(apology__status=ApologyStatus.REVOKED)
        .values_list("unit_id", "apology__status")
    ):
        if unit_id in tops:
            row(unit_id).apologies += 1
            row(unit_id).apologies_pending += status == ApologyStatus.PENDING
    return sorted(rows.values(), key=lambda r: (-(r.complaints + r.findings + r.incidents + r.sanctions + r.apologies), r.unit.path))


def year_range(year: int) -> tuple[date, date]:
    _version, document = policy_document()
    return year_bounds(year, document.accountability.year_start_month)


# --- home panels ---------------------------------------------------------------------------------
def office_panel(user: Any) -> dict[str, Any]:
    pending = proposal_list(user).filter(status=ProposalStatus.PENDING).order_by("created_at", "pk")
    apologies = overdue_apologies(user)
    sanctions = overdue_sanctions(user)
    return {
        "pending": list(pending[:6]),
        "pending_count": pending.count(),
        "reviews": open_reviews(user).count(),
        "overdue_apologies": list(apologies[:5]),
        "overdue_apologies_count": apologies.count(),
        "overdue_sanctions": list(sanctions[:5]),
        "overdue_sanctions_count": sanctions.count(),
        "can_decide": gate.can(user, "accountability.proposal.decide"),
    }


def unit_panel(user: Any) -> dict[str, Any] | None:
    apologies = apology_list(user).filter(status=ApologyStatus.PENDING).order_by("due", "pk")
    sanctions = (
        sanction_list(user).filter(status=SanctionStatus.IN_FORCE, executed_on__isnull=True, due__isnull=False).order_by("due", "pk")
    )
    if not apologies.exists() and not sanctions.exists():
        return None
    today = timezone.localdate()
    return {
        "apologies": list(apologies[:5]),
        "sanctions": list(sanctions[:5]),
        "apologies_count": apologies.count(),
        "sanctions_count": sanctions.count(),
        "overdue": apologies.filter(due__lt=today).count() + sanctions.filter(due__lt=today).count(),
        "unit": getattr(user, "unit", None),
        "today": today,
    }


def person_panel(user: Any) -> dict[str, Any] | None:
    """A user linked to a staff member with anything on record sees a link to it."""
    staff_id = getattr(user, "staff_id", None)
    if not staff_id or not gate.can(user, "accountability.record.view"):
        return None
    if not Charge.objects.filter(staff_id=staff_id).exists() and not Sanction.objects.filter(staff_id=staff_id).exists():
        return None
    return {"staff_id": staff_id, "sanctions": Sanction.objects.filter(staff_id=staff_id, status=SanctionStatus.IN_FORCE).count()}

"""Figures of the cases module (RULES.md §2), as aggregate queries over indexed columns —
no per-case loops — and their .xlsx export:

* per unit, channel, kind or month of a year: received, dispatched, signed for on time,
  returned, completion, on-time, satisfaction with the five-level breakdown, reopened;
* the monthly "three rates" ranking of units (response, resolution, satisfaction) with
  the policy's weights and red and black lists, frozen each month with its policy version.

Definitions (each rate is None when its denominator is 0):
- received: cases received in the period, merged duplicates not counted again;
- completion = completed (handling stage closed, 办结) ÷ received;
- on-time = completed within the deadline ÷ completed;
- satisfaction = (satisfied levels, i.e. every level the policy does not mark bad) ÷
  followed up with an answer; unreachable and refused calls are not in the denominator;
- reopened = completed cases reopened at least once ÷ completed;
- signed on time = dispatches signed for within the limit ÷ dispatches;
- returned = dispatches returned ÷ dispatches;
- response = dispatches signed on time with the person contacted in time ÷ dispatches;
- resolution = follow-ups answering "resolved" ÷ follow-ups answered.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.choices import CaseKind, CaseStatus, FollowUpOutcome
from cases.models import Case, Channel, Dispatch, FollowUp, RankingSnapshot
from core import permissions as gate
from core.selectors import policy_document
from core.xlsx import build_workbook
from org.models import Unit

DIMENSIONS = {"unit": gettext_lazy("单位"), "channel": gettext_lazy("渠道"), "kind": gettext_lazy("类别"), "month": gettext_lazy("月份")}


def period_bounds(year: int, month: int | None = None) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    if month:
        start = date(year, month, 1)
        end = date(year + (month == 12), month % 12 + 1, 1)
    else:
        start, end = date(year, 1, 1), date(year + 1, 1, 1)
    return datetime.combine(start, time.min, tz), datetime.combine(end, time.min, tz)


def _rate(numerator: int, denominator: int) -> float | None:
    return round(100 * numerator / denominator, 1) if denominator else None


@dataclass
class FigureRow:
    key: Any
    label: str
    received: int = 0
    completed: int = 0
    on_time: int = 0
    followed: int = 0
    satisfied: int = 0
    reopened: int = 0
    levels: dict[str, int] = field(default_factory=dict)
    dispatched: int = 0
    signed_on_time: int = 0
    returned: int = 0

    @property
    def completion_rate(self) -> float | None:
        return _rate(self.completed, self.received)

    @property
    def on_time_rate(self) -> float | None:
        return _rate(self.on_time, self.completed)

    @property
    def satisfaction_rate(self) -> float | None:
        return _rate(self.satisfied, self.followed)

    @property
    def reopened_rate(self) -> float | None:
        return _rate(self.reopened, self.completed)

    @property
    def signed_on_time_rate(self) -> float | None:
        return _rate(self.signed_on_time, self.dispatched)

    @property
    def returned_rate(self) -> float | None:
        return _rate(self.returned, self.dispatched)

    def add(self, other: FigureRow) -> None:
        for name in ("received", "completed", "on_time", "followed", "satisfied", "reopened", "dispatched", "signed_on_time", "returned"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for code, n in other.levels.items():
            self.levels[code] = self.levels.get(code, 0) + n


def _group(dimension: str, prefix: str = "") -> str:
    return {"unit": f"{prefix}unit", "channel": f"{prefix}channel", "kind": f"{prefix}kind", "month": "month"}[dimension]


def _labels(dimension: str, keys: Iterable[Any]) -> dict[Any, str]:
    keys = [k for k in keys if k is not None]
    if dimension == "unit":
        return dict(Unit.objects.filter(pk__in=keys).values_list("pk", "name"))
    if dimension == "channel":
        return dict(Channel.objects.filter(pk__in=keys).values_list("pk", "name"))
    if dimension == "kind":
        return {k: str(CaseKind(k).label) for k in keys if k in CaseKind.values}
    return {k: f"{timezone.localtime(k):%Y-%m}" if isinstance(k, datetime) else f"{k:%Y-%m}" for k in keys}


def _month_key(value: Any) -> Any:
    if isinstance(value, datetime):
        return timezone.localtime(value).date().replace(day=1) if timezone.is_aware(value) else value.date().replace(day=1)
    return value


@dataclass
class Figures:
    dimension: str
    year: int
    month: int | None
    rows: list[FigureRow]
    total: FigureRow
    levels: list[Any]
    policy_version: Any


def case_figures(
    user: Any,
    *,
    dimension: str,
    year: int,
    month: int | None = None,
    unit: Unit | None = None,
    channel: Channel | None = None,
    kind: str | None = None,
) -> Figures:
    """The figures of one year (or month), grouped by ``dimension``, over the cases the
    user may see."""
    if dimension not in DIMENSIONS:
        raise ValueError(dimension)
    start, end = period_bounds(year, month)
    version, document = policy_document(on=min(end.date() - timedelta(days=1), timezone.localdate()))
    good = [lv.code for lv in document.ratings.levels if not lv.is_bad]
    level_codes = [lv.code for lv in document.ratings.levels]

    cases = gate.restrict(Case.objects.all(), user, "cases.figures.view").exclude(status=CaseStatus.MERGED)
    cases = cases.filter(received_at__gte=start, received_at__lt=end)
    dispatches = gate.restrict(Dispatch.objects.all(), user, "cases.figures.view").filter(dispatched_at__gte=start, dispatched_at__lt=end)
    if unit is not None:
        cases = cases.filter(unit__path__startswith=unit.path)
        dispatches = dispatches.filter(unit__path__startswith=unit.path)
    if channel is not None:
        cases = cases.filter(channel=channel)
        dispatches = dispatches.filter(case__channel=channel)
    if kind:
        cases = cases.filter(kind=kind)
        dispatches = dispatches.filter(case__kind=kind)
    completed = Q(status__in=sorted(s.value for s in (CaseStatus.FOLLOW_UP, CaseStatus.CLOSED)), completed_at__isnull=False)
    case_aggregates = {
        "received": Count("pk"),
        "completed": Count("pk", filter=completed),
        "on_time": Count("pk", filter=completed & Q(handled_on_time=True)),
        "followed": Count("pk", filter=~Q(satisfaction="")),
        "satisfied": Count("pk", filter=Q(satisfaction__in=good)),
        "reopened": Count("pk", filter=completed & Q(reopen_count__gt=0)),
        **{f"level_{code}": Count("pk", filter=Q(satisfaction=code)) for code in level_codes},
    }
    group = _group(dimension)
    if dimension == "month":
        cases = cases.annotate(month=TruncMonth("received_at"))
        dispatches = dispatches.annotate(month=TruncMonth("dispatched_at"))
    rows: dict[Any, FigureRow] = {}
    for record in cases.values(group).annotate(**case_aggregates).order_by():
        key = _month_key(record[group])
        row = rows.setdefault(key, FigureRow(key=key, label=""))
        for name in ("received", "completed", "on_time", "followed", "satisfied", "reopened"):
            setattr(row, name, getattr(row, name) + record[name])
        for code in level_codes:
            row.levels[code] = row.levels.get(code, 0) + record[f"level_{code}"]
    dispatch_group = _group(dimension, "" if dimension == "unit" else "case__")
    if dimension == "month":
        dispatch_group = "month"
    for record in (
        dispatches.values(dispatch_group)
        .annotate(
            dispatched=Count("pk"),
            signed_on_time=Count("pk", filter=Q(signed_on_time=True)),
            returned=Count("pk", filter=Q(returned_at__isnull=False)),
        )
        .order_by()
    ):
        key = _month_key(record[dispatch_group])
        row = rows.setdefault(key, FigureRow(key=key, label=""))
        row.dispatched += record["dispatched"]
        row.signed_on_time += record["signed_on_time"]
        row.returned += record["returned"]
    labels = _labels(dimension, rows.keys())
    for key, row in rows.items():
        row.label = labels.get(key, _("（未派单）") if dimension == "unit" else str(key))
        for code in level_codes:
            row.levels.setdefault(code, 0)
    ordered = sorted(rows.values(), key=lambda r: (r.key is None, str(r.key) if dimension == "month" else -r.received, r.label))
    total = FigureRow(key=None, label=_("合计"), levels=dict.fromkeys(level_codes, 0))
    for row in ordered:
        total.add(row)
    return Figures(dimension, year, month, ordered, total, list(document.ratings.levels), version)


def figures_workbook(figures: Figures) -> bytes:
    """The figures as a real .xlsx (one sheet)."""
    levels = figures.levels
    headers = [
        str(DIMENSIONS[figures.dimension]),
        _("受理量"),
        _("派单量"),
        _("按时签收率(%)"),
        _("退单率(%)"),
        _("办结量"),
        _("办结率(%)"),
        _("按时办结率(%)"),
        _("回访量"),
        _("满意率(%)"),
        *[lv.label for lv in levels],
        _("重办率(%)"),
    ]

    def line(row: FigureRow) -> list[Any]:
        return [
            row.label,
            row.received,
            row.dispatched,
            row.signed_on_time_rate,
            row.returned_rate,
            row.completed,
            row.completion_rate,
            row.on_time_rate,
            row.followed,
            row.satisfaction_rate,
            *[row.levels.get(lv.code, 0) for lv in levels],
            row.reopened_rate,
        ]

    period = f"{figures.year}" + (f"-{figures.month:02d}" if figures.month else "")
    title = _("诉求统计%(p)s按%(d)s") % {"p": period, "d": DIMENSIONS[figures.dimension]}
    return build_workbook([(title, headers, [line(r) for r in [*figures.rows, figures.total]])])


# --- the monthly "three rates" ranking ----------------------------------------------------------
@dataclass
class RankRow:
    unit_id: int
    unit: str
    dispatched: int
    responded: int
    answered: int
    resolved: int
    satisfied: int
    response_rate: float | None
    resolution_rate: float | None
    satisfaction_rate: float | None
    score: float | None
    rank: int | None = None
    list: str = ""  # "red", "black" or ""

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def three_rates(month: date) -> tuple[list[RankRow], Any]:
    """Rank every unit that had dispatches and answered follow-ups in ``month`` by the
    weighted "three rates" (weights from the policy in force at the month's end); the top
    and bottom of the policy's list size form the red and black lists."""
    start, end = period_bounds(month.year, month.month)
    version, document = policy_document(on=min(end.date() - timedelta(days=1), timezone.localdate()))
    weights = document.cases.three_rates_weights
    size = document.cases.red_black_list_size
    good = [lv.code for lv in document.ratings.levels if not lv.is_bad]
    dispatch_rows = {
        r["unit"]: r
        for r in Dispatch.objects.filter(dispatched_at__gte=start, dispatched_at__lt=end)
        .values("unit")
        .annotate(dispatched=Count("pk"), responded=Count("pk", filter=Q(responded_in_time=True)))
        .order_by()
    }
    follow_rows = {
        r["case__unit"]: r
        for r in FollowUp.objects.filter(recorded_at__gte=start, recorded_at__lt=end, outcome=FollowUpOutcome.ANSWERED)
        .values("case__unit")
        .annotate(
            answered=Count("pk"),
            resolved=Count("pk", filter=Q(resolved=True)),
            satisfied=Count("pk", filter=Q(satisfaction__in=good)),
        )
        .order_by()
    }
    names = dict(Unit.objects.filter(pk__in=[k for k in set(dispatch_rows) | set(follow_rows) if k]).values_list("pk", "name"))
    rows: list[RankRow] = []
    for unit_id in names:
        d = dispatch_rows.get(unit_id, {"dispatched": 0, "responded": 0})
        f = follow_rows.get(unit_id, {"answered": 0, "resolved": 0, "satisfied": 0})
        response, resolution, satisfaction = (
            _rate(d["responded"], d["dispatched"]),
            _rate(f["resolved"], f["answered"]),
            _rate(f["satisfied"], f["answered"]),
        )
        score = None
        if response is not None and resolution is not None and satisfaction is not None:
            score = round(
                (weights["response"] * response + weights["resolution"] * resolution + weights["satisfaction"] * satisfaction) / 100,
                2,
            )
        rows.append(
            RankRow(
                unit_id=unit_id,
                unit=names[unit_id],
                dispatched=d["dispatched"],
                responded=d["responded"],
                answered=f["answered"],
                resolved=f["resolved"],
                satisfied=f["satisfied"],
                response_rate=response,
                resolution_rate=resolution,
                satisfaction_rate=satisfaction,
                score=score,
            )
        )
    scores = {r.unit_id: r.score for r in rows if r.score is not None}  # one row per unit
    ranked = sorted((r for r in rows if r.unit_id in scores), key=lambda r: (-scores[r.unit_id], -r.dispatched, r.unit))
    # equal scores share a rank (1, 1, 3 …), so a tie at the edge of a list takes both
    ranks = {r.unit_id: 1 + sum(1 for other in scores.values() if other > scores[r.unit_id]) for r in ranked}
    for row in ranked:
        row.rank = ranks[row.unit_id]
    red = [r for r in ranked if ranks[r.unit_id] <= size]
    for row in red:
        row.list = "red"
    # the black list: the bottom of those scoring below every unit on the red list
    floor = min((scores[r.unit_id] for r in red), default=None)
    below = [r for r in ranked if floor is None or scores[r.unit_id] < floor]
    if below:
        cutoff = scores[below[-min(size, len(below))].unit_id]
        for row in below:
            if scores[row.unit_id] <= cutoff:
                row.list = "black"
    unranked = sorted((r for r in rows if r.score is None), key=lambda r: r.unit)
    return ranked + unranked, version


def ranking_for(month: date) -> dict[str, Any]:
    """The frozen ranking of a finished month if there is one, else computed now."""
    month = first_of_month(month)
    snapshot = RankingSnapshot.objects.select_related("policy_version").filter(month=month).first()
    if snapshot is not None:
        rows = [RankRow(**row) for row in snapshot.rows]
        return {"rows": rows, "policy_version": snapshot.policy_version, "frozen_at": snapshot.computed_at, "month": month}
    rows, version = three_rates(month)
    return {"rows": rows, "policy_version": version, "frozen_at": None, "month": month}


def ranking_freeze(month: date) -> RankingSnapshot:
    """Freeze a finished month's ranking with the policy version that made it."""
    from django.db import transaction

    from core.audit import audit_record

    month = first_of_month(month)
    rows, version = three_rates(month)
    with transaction.atomic():
        snapshot, _created = RankingSnapshot.objects.update_or_create(
            month=month, defaults={"rows": [r.as_dict() for r in rows], "policy_version": version, "computed_at": timezone.now()}
        )
        audit_record(action="cases.ranking.freeze", obj=snapshot, detail={"units": len(rows), "policy": version.pk}, actor_label="system")
    return snapshot


def ranking_freeze_last_month(today: date | None = None) -> RankingSnapshot | None:
    day = today or timezone.localdate()
    last = first_of_month(first_of_month(day) - timedelta(days=1))
    if RankingSnapshot.objects.filter(month=last).exists():
        return None
    return ranking_freeze(last)


def ranking_workbook(ranking: dict[str, Any]) -> bytes:
    headers = [
        _("名次"),
        _("单位"),
        _("派单量"),
        _("响应率(%)"),
        _("回访量"),
        _("解决率(%)"),
        _("满意率(%)"),
        _("综合得分"),
        _("榜单"),
    ]
    labels = {"red": _("红榜"), "black": _("黑榜"), "": ""}
    rows = [
        [r.rank, r.unit, r.dispatched, r.response_rate, r.answered, r.resolution_rate, r.satisfaction_rate, r.score, labels[r.list]]
        for r in ranking["rows"]
    ]
    return build_workbook([(_("三率排名%(m)s") % {"m": f"{ranking['month']:%Y-%m}"}, headers, rows)])


def cases_for_figure(qs: QuerySet[Case], figure: str) -> QuerySet[Case]:
    """The cases behind one figure (the links of the figures page)."""
    completed = Q(status__in=[CaseStatus.FOLLOW_UP, CaseStatus.CLOSED], completed_at__isnull=False)
    if figure == "completed":
        return qs.filter(completed)
    if figure == "not_completed":
        return qs.exclude(completed)
    if figure == "on_time":
        return qs.filter(completed, handled_on_time=True)
    if figure == "late":
        return qs.filter(completed).exclude(handled_on_time=True)
    if figure == "followed":
        return qs.exclude(satisfaction="")
    if figure.startswith("level_"):
        return qs.filter(satisfaction=figure.removeprefix("level_"))
    if figure == "reopened":
        return qs.filter(completed, reopen_count__gt=0)
    if figure == "returned":
        return qs.filter(dispatches__returned_at__isnull=False).distinct()
    if figure == "signed_late":
        return qs.filter(dispatches__signed_on_time=False).distinct()
    return qs

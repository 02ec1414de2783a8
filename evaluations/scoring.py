"""The arithmetic of evaluation scores (RULES.md §3), free of the database so that every
rule can be tested with its numbers.

* A response's score is the mean of its five-level answers' scores (levels from the
  policy, default 100/80/60/40/0).
* A target's score is the mean of its valid responses' scores, with n and a confidence
  interval (the policy's level, default 95%). The interval is **Student's t**:
  mean ± t(1-α/2, n-1)·s/√n, with s the sample standard deviation. The t quantile is
  found by bisection on the exact t distribution function for integer degrees of
  freedom (Abramowitz & Stegun 26.7.3/26.7.4), so small samples get the wider interval
  they need and large ones converge to the normal one — no SciPy.
* Weighted by rater group (where the campaign says so): the weighted mean of the groups'
  means, Σ wᵍ·x̄ᵍ / Σ wᵍ over the groups that answered (a group with no answers drops out
  and the others' weights are renormalised). Its interval uses the stratified variance
  Σ (wᵍ/W)²·sᵍ²/nᵍ with t at n − (number of groups) degrees of freedom.
* A target with fewer valid answers than the minimum sample is flagged.
* Awards: targets at or above the threshold, best first, within the quota of the kind;
  equal scores are ordered by the policy's tie rule, then by the target's position so
  that the list is always the same.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from statistics import NormalDist


# --- Student's t ---------------------------------------------------------------------------
def t_two_sided_probability(t: float, df: int) -> float:
    """P(|T| ≤ t) for Student's t with ``df`` degrees of freedom (A&S 26.7.3/26.7.4)."""
    if df < 1:
        raise ValueError("df must be at least 1")
    if t <= 0:
        return 0.0
    theta = math.atan(t / math.sqrt(df))
    s, c = math.sin(theta), math.cos(theta)
    c2 = c * c
    if df % 2 == 1:
        total, term = 0.0, 1.0
        if df > 1:
            total = 1.0
            for k in range(1, (df - 3) // 2 + 1):
                term *= c2 * (2 * k) / (2 * k + 1)
                total += term
            total *= s * c
        return min(1.0, 2 / math.pi * (theta + total))
    total, term = 1.0, 1.0
    for k in range(1, (df - 2) // 2 + 1):
        term *= c2 * (2 * k - 1) / (2 * k)
        total += term
    return min(1.0, s * total)


def t_quantile(confidence: float, df: int) -> float:
    """The t with P(|T| ≤ t) = ``confidence`` (e.g. 0.95, df=9 → 2.262)."""
    if not 0 < confidence < 1:
        raise ValueError("confidence must lie between 0 and 1")
    if df > 10000:  # the series gets long; the normal quantile is exact to 4 decimals here
        return NormalDist().inv_cdf(0.5 + confidence / 2)
    low, high = 0.0, 1.0
    while t_two_sided_probability(high, df) < confidence:
        high *= 2
    for _ in range(100):
        mid = (low + high) / 2
        if t_two_sided_probability(mid, df) < confidence:
            low = mid
        else:
            high = mid
    return (low + high) / 2


# --- one target -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Answered:
    """One valid response as scoring sees it."""

    score: float
    group: str = ""
    fully_satisfied: bool = False
    submitted_at: datetime | None = None


@dataclass
class TargetScore:
    n: int
    mean: float | None
    ci_low: float | None
    ci_high: float | None
    weighted: bool
    below_min_sample: bool
    fully_satisfied: int
    last_answer: datetime | None = None

    @property
    def top_share(self) -> float:
        return self.fully_satisfied / self.n if self.n else 0.0


def _mean_var(values: Sequence[float]) -> tuple[float, float]:
    n = len(values)
    mean = sum(values) / n
    var = sum((v - mean) ** 2 for v in values) / (n - 1) if n > 1 else 0.0
    return mean, var


def _clip(value: float) -> float:
    return max(0.0, min(100.0, value))


def target_score(
    answers: Sequence[Answered],
    *,
    min_sample: int,
    confidence: float,
    weights: dict[str, float] | None = None,
) -> TargetScore:
    """Score of one target from its valid responses. ``weights`` (group code → weight)
    makes it the weighted mean of the groups' means; responses of a group without a
    weight (or weight 0) do not count then."""
    n = len(answers)
    full = sum(1 for a in answers if a.fully_satisfied)
    last = max((a.submitted_at for a in answers if a.submitted_at), default=None)
    if n == 0:
        return TargetScore(0, None, None, None, bool(weights), True, 0, None)
    if not weights:
        mean, var = _mean_var([a.score for a in answers])
        half = t_quantile(confidence, n - 1) * math.sqrt(var / n) if n > 1 else None
        return TargetScore(
            n,
            mean,
            _clip(mean - half) if half is not None else None,
            _clip(mean + half) if half is not None else None,
            False,
            n < min_sample,
            full,
            last,
        )
    by_group: dict[str, list[float]] = {}
    for a in answers:
        if weights.get(a.group, 0) > 0:
            by_group.setdefault(a.group, []).append(a.score)
    counted = sum(len(v) for v in by_group.values())
    if not by_group:
        return TargetScore(0, None, None, None, True, True, 0, last)
    total_weight = sum(weights[g] for g in by_group)
    mean = sum(weights[g] * _mean_var(v)[0] for g, v in by_group.items()) / total_weight
    variance = sum((weights[g] / total_weight) ** 2 * _mean_var(v)[1] / len(v) for g, v in by_group.items())
    df = counted - len(by_group)
    half = t_quantile(confidence, df) * math.sqrt(variance) if df >= 1 else None
    return TargetScore(
        counted,
        mean,
        _clip(mean - half) if half is not None else None,
        _clip(mean + half) if half is not None else None,
        True,
        counted < min_sample,
        sum(1 for a in answers if a.fully_satisfied and weights.get(a.group, 0) > 0),
        last,
    )


def response_score(level_scores: Iterable[float]) -> float | None:
    """A response's score: the mean of its five-level answers (None if it has none)."""
    values = list(level_scores)
    return sum(values) / len(values) if values else None


def kind_average(means: Iterable[float | None]) -> float | None:
    """The average of a campaign: each scored target counts once."""
    values = [m for m in means if m is not None]
    return sum(values) / len(values) if values else None


# --- awards -----------------------------------------------------------------------------------
@dataclass
class Ranked:
    key: object
    score: TargetScore
    position: int = 0
    rank: int | None = None
    awarded: bool = False
    tie_note: str = field(default="")


def _tie_key(item: Ranked, rule: str) -> tuple:
    s = item.score
    if rule == "more_answers":
        secondary: tuple = (-s.n,)
    elif rule == "higher_top_share":
        secondary = (-s.top_share,)
    elif rule == "earlier_last_answer":
        secondary = (s.last_answer.timestamp() if s.last_answer else math.inf,)
    else:
        raise ValueError(f"unknown tie rule {rule}")
    # scores are compared at the precision they are published with (two decimals)
    return (-round(s.mean or 0.0, 2), *secondary, item.position)


def rank_and_award(
    items: Sequence[Ranked], *, threshold: float, quota: int, tie_rule: str, min_sample: int = 0, require_min_sample: bool = False
) -> list[Ranked]:
    """Rank the scored targets (best first, ties by ``tie_rule`` then position) and mark
    the awards: score ≥ threshold (at two decimals), within ``quota``."""
    scored = [i for i in items if i.score.mean is not None]
    ordered = sorted(scored, key=lambda i: _tie_key(i, tie_rule))
    awarded = 0
    for rank, item in enumerate(ordered, start=1):
        item.rank = rank
        eligible = round(item.score.mean or 0.0, 2) >= threshold and (not require_min_sample or item.score.n >= min_sample)
        if eligible and awarded < quota:
            item.awarded = True
            awarded += 1
    return ordered

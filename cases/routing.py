"""The routing classifier: suggests the lead unit of a new case from the office's own
history of dispatches.

Chinese needs no word segmenter here: the text becomes TF-IDF weights of character
1- and 2-grams, and a multinomial logistic regression (a linear model) gives a
probability for each unit; the page shows the top three with their confidence. The
model is trained by a periodic task (and on demand by the office), stored in the
database with its size, accuracy on held-out cases and training time; the newest row
is the one in use. With too little history (policy: ``routing_min_samples`` overall,
``routing_min_per_unit`` per unit) it says so instead of guessing.
"""

from __future__ import annotations

import pickle  # noqa: S403  (the model is written and read only by this module, from our own database)
import threading
import zlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.choices import CaseStatus
from cases.models import Case, RoutingModel
from core.audit import audit_record
from core.selectors import policy_document
from org.models import Unit

# The newest dispatches are the office's current practice; older ones add little and
# cost training time.
MAX_TRAINING_CASES = 20000
# Share of the history held out to measure accuracy (only when every unit has enough).
HOLDOUT = 0.2
HANDLED = [CaseStatus.IN_PROGRESS, CaseStatus.REPLIED, CaseStatus.FOLLOW_UP, CaseStatus.CLOSED]

_loaded: dict[int, Any] = {}
_lock = threading.Lock()


def _text(title: str, content: str) -> str:
    return f"{title} {content}".strip()


def training_rows() -> list[tuple[str, int]]:
    """(text, unit) of cases the office dispatched and the unit accepted."""
    return [(text, unit) for text, unit, _kind in _history()]


def _history() -> list[tuple[str, int, str]]:
    qs = Case.objects.filter(status__in=HANDLED, unit__isnull=False).order_by("-received_at")[:MAX_TRAINING_CASES]
    return [
        (_text(title, content), unit_id, kind) for title, content, unit_id, kind in qs.values_list("title", "content", "unit_id", "kind")
    ]


@dataclass
class TrainOutcome:
    model: RoutingModel | None
    message: str


def _pipeline() -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    return make_pipeline(
        TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True, min_df=2, max_features=30000),
        LogisticRegression(C=10, max_iter=500),
    )


def _top3_hits(pipeline: Any, texts: list[str], labels: list[int]) -> float:
    probabilities = pipeline.predict_proba(texts)
    classes = list(pipeline.classes_)
    hits = 0
    for row, label in zip(probabilities, labels, strict=True):
        best = sorted(range(len(classes)), key=lambda i: -row[i])[:3]
        hits += label in {classes[i] for i in best}
    return hits / len(labels) if labels else 0.0


def routing_train(*, actor: Any) -> TrainOutcome:
    """Train a new model on the dispatch history, or say why there is too little of it."""
    _version, document = policy_document()
    minimum, per_unit = document.cases.routing_min_samples, document.cases.routing_min_per_unit
    history = _history()
    counts = Counter(unit for _text_, unit, _kind in history)
    kept_units = {unit for unit, n in counts.items() if n >= per_unit}
    rows = [(text, unit) for text, unit, _kind in history if unit in kept_units]
    if len(rows) < minimum or len(kept_units) < 2:
        return TrainOutcome(
            None,
            _("历史派单不足，暂不训练：需要至少%(min)s件、且至少2个单位各有%(per)s件以上，现有%(n)s件（%(u)s个单位达标）。")
            % {"min": minimum, "per": per_unit, "n": len(rows), "u": len(kept_units)},
        )
    texts = [text for text, _unit in rows]
    labels = [unit for _text_, unit in rows]
    accuracy = top3 = None
    if min(counts[u] for u in kept_units) >= 2 and len(rows) * HOLDOUT >= len(kept_units):
        from sklearn.model_selection import train_test_split

        x_train, x_test, y_train, y_test = train_test_split(texts, labels, test_size=HOLDOUT, random_state=0, stratify=labels)
        probe = _pipeline().fit(x_train, y_train)
        accuracy = float((probe.predict(x_test) == y_test).mean())
        top3 = _top3_hits(probe, list(x_test), list(y_test))
    pipeline = _pipeline().fit(texts, labels)
    # the category (kind) of a case is suggested too, from the same history
    kinds = Counter(kind for _t, _u, kind in history)
    kind_rows = [(text, kind) for text, _u, kind in history if kinds[kind] >= per_unit]
    kind_pipeline = (
        _pipeline().fit([t for t, _k in kind_rows], [k for _t, k in kind_rows]) if len({k for _t, k in kind_rows}) >= 2 else None
    )
    blob = zlib.compress(pickle.dumps({"unit": pipeline, "kind": kind_pipeline}, protocol=pickle.HIGHEST_PROTOCOL))
    with transaction.atomic():
        model = RoutingModel.objects.create(
            trained_at=timezone.now(),
            samples=len(rows),
            units=len(kept_units),
            accuracy=accuracy,
            top3_accuracy=top3,
            blob=blob,
        )
        audit_record(
            action="cases.routing.train",
            actor=actor,
            obj=model,
            detail={"samples": len(rows), "units": len(kept_units), "accuracy": accuracy},
            actor_label="" if actor else "system",
        )
        # older models are no longer used; keep the last few for comparison
        RoutingModel.objects.filter(
            pk__in=list(RoutingModel.objects.order_by("-trained_at", "-id").values_list("pk", flat=True)[5:])
        ).delete()
    return TrainOutcome(
        model,
        _("已用%(n)s件历史派单训练（%(u)s个单位）%(acc)s。")
        % {
            "n": len(rows),
            "u": len(kept_units),
            "acc": _("，留出集准确率%(a).0f%%") % {"a": accuracy * 100} if accuracy is not None else "",
        },
    )


def _load(model: RoutingModel) -> Any:
    with _lock:
        pipeline = _loaded.get(model.pk)
    if pipeline is None:
        pipeline = pickle.loads(zlib.decompress(bytes(model.blob)))  # noqa: S301  (our own model, from our own database)
        with _lock:
            _loaded.clear()
            _loaded[model.pk] = pipeline
    return pipeline


@dataclass
class Suggestion:
    ok: bool
    message: str
    items: list[tuple[Unit, float]] = field(default_factory=list)
    model: RoutingModel | None = None
    kinds: list[tuple[str, float]] = field(default_factory=list)  # (kind label, probability)


def routing_suggest(title: str, content: str, top: int = 3) -> Suggestion:
    """The ``top`` most likely lead units for this text, with their probability."""
    model = RoutingModel.objects.defer("blob").order_by("-trained_at", "-id").first()
    if model is None:
        _version, document = policy_document()
        return Suggestion(
            False,
            _("暂无智能派单建议：历史派单不足（至少需要%(min)s件、每个单位%(per)s件）或模型尚未训练。")
            % {"min": document.cases.routing_min_samples, "per": document.cases.routing_min_per_unit},
        )
    model = RoutingModel.objects.get(pk=model.pk)
    pipelines = _load(model)
    if not isinstance(pipelines, dict):  # a model stored before kinds were suggested
        pipelines = {"unit": pipelines, "kind": None}
    text = _text(title, content)
    pipeline = pipelines["unit"]
    probabilities = pipeline.predict_proba([text])[0]
    ranked = sorted(zip(pipeline.classes_, probabilities, strict=True), key=lambda pair: -pair[1])[:top]
    units = Unit.objects.in_bulk([int(unit_id) for unit_id, _p in ranked])
    items = [(units[int(unit_id)], float(p)) for unit_id, p in ranked if int(unit_id) in units and units[int(unit_id)].is_active]
    kinds: list[tuple[str, float]] = []
    if pipelines.get("kind") is not None:
        from cases.choices import CaseKind

        kind_pipeline = pipelines["kind"]
        scored = zip(kind_pipeline.classes_, kind_pipeline.predict_proba([text])[0], strict=True)
        kinds = [(str(CaseKind(k).label), float(p)) for k, p in sorted(scored, key=lambda pair: -pair[1])[:2] if k in CaseKind.values]
    return Suggestion(True, "", items, model, kinds)


def routing_status() -> dict[str, Any]:
    """For the office's routing page: the model in use and what the history holds."""
    _version, document = policy_document()
    rows = training_rows()
    counts = Counter(unit for _t, unit in rows)
    return {
        "model": RoutingModel.objects.defer("blob").order_by("-trained_at", "-id").first(),
        "history": len(rows),
        "units_ready": sum(1 for n in counts.values() if n >= document.cases.routing_min_per_unit),
        "min_samples": document.cases.routing_min_samples,
        "min_per_unit": document.cases.routing_min_per_unit,
    }

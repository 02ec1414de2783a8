"""Domain events between apps, so that arrows stay one-way (ARCHITECTURE.md): an app
publishes what happened; another subscribes without the first knowing it.

Subscribers run synchronously inside the publisher's transaction, so that what they
write (e.g. a sanction proposal for a valid complaint) commits or rolls back with the
change that caused it. Subscribe in ``AppConfig.ready``.

Events in use (name: keyword arguments):
- ``cases.complaint.valid``: case — a complaint was judged valid (有效投诉)
- ``cases.complaint.invalidated``: case — a valid judgement was withdrawn or reversed
- ``inspections.finding.verified_true``: finding — a unit's verification said true / partly true
- ``inspections.finding.untrue_on_review``: finding — a finding was later judged untrue
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

_subscribers: dict[str, list[Callable[..., None]]] = defaultdict(list)


def subscribe(name: str, handler: Callable[..., None]) -> None:
    if handler not in _subscribers[name]:
        _subscribers[name].append(handler)


def publish(name: str, **payload: Any) -> None:
    for handler in list(_subscribers.get(name, ())):
        handler(**payload)

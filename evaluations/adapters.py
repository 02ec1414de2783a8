"""The seam to the cases app (built separately): where it is installed, its selector
``cases.selectors.handled_cases_for_sampling`` supplies the closed cases that the
handled-cases follow-up samples. Nothing here imports the cases app at module level, so
this app works (with .xlsx imports) where that app is absent.

Each item is a dict with ``ref``, ``case_id``, ``unit_id``, ``summary``,
``contact_name``, ``contact_phone`` and ``closed_at`` (an aware datetime).
"""

from __future__ import annotations

from datetime import date
from importlib import import_module
from typing import Any

from django.apps import apps

REQUIRED_KEYS = ("ref", "unit_id", "closed_at")


def cases_available() -> bool:
    return apps.is_installed("cases")


def handled_cases_for_sampling(*, unit_ids: list[int], start: date, end: date) -> list[dict[str, Any]]:
    """Closed cases of ``unit_ids`` (and their sub-units) closed between ``start`` and
    ``end``, from the cases app; an item missing a required key is skipped."""
    if not cases_available():
        return []
    selectors = import_module("cases.selectors")
    rows = selectors.handled_cases_for_sampling(unit_ids=unit_ids, start=start, end=end)
    return [dict(row) for row in rows if all(row.get(key) for key in REQUIRED_KEYS)]

"""Pieces every app's services share for plain edits: the fields a service accepts, what
changed, and an audited update of the changed fields only (never a full-row save that
could overwrite another writer's change)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.db import models, transaction
from django.utils import timezone

from core.audit import audit_record

M = TypeVar("M", bound=models.Model)


def require_known(fields: dict[str, Any], allowed: Iterable[str]) -> None:
    """A programming error (not a user's): a service was called with a field it does not take."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")


def diff(obj: models.Model, fields: dict[str, Any], secret: Iterable[str] = ()) -> dict[str, Any]:
    """{field: {"from": old, "to": new}} for the fields whose value changes; secret fields
    are recorded as changed without their values."""
    hidden = set(secret)
    out: dict[str, Any] = {}
    for name, new in fields.items():
        old = getattr(obj, name)
        if old == new:
            continue
        if name in hidden:
            out[name] = {"from": "***", "to": "***"}
        else:
            out[name] = {"from": None if old is None else str(old), "to": None if new is None else str(new)}
    return out


def update_audited(*, actor: Any, obj: M, fields: dict[str, Any], action: str, secret: Iterable[str] = ()) -> M:
    """Write the changed fields with one UPDATE, record the change, return the fresh object."""
    changes = diff(obj, fields, secret)
    if not changes:
        return obj
    values = {name: fields[name] for name in changes}
    if any(f.name == "updated_at" for f in obj._meta.get_fields()):
        values["updated_at"] = timezone.now()
    with transaction.atomic():
        type(obj)._default_manager.filter(pk=obj.pk).update(**values)
        obj.refresh_from_db()
        audit_record(action=action, actor=actor, obj=obj, detail=changes)
    return obj


def set_active_audited(*, actor: Any, obj: M, active: bool, action_prefix: str) -> M:
    """Activate or deactivate (records are deactivated, never deleted)."""
    with transaction.atomic():
        type(obj)._default_manager.filter(pk=obj.pk).update(is_active=active)
        obj.is_active = active  # type: ignore[attr-defined]
        audit_record(action=f"{action_prefix}.{'activate' if active else 'deactivate'}", actor=actor, obj=obj)
    return obj

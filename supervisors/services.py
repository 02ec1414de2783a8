"""Writes of the roster."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.permissions import Role
from core.queries import excluding
from core.writes import require_known, update_audited
from org.validators import clean_phone_field
from supervisors.models import Supervisor

FIELDS = ("code", "name", "user", "employer", "phone", "term_start", "term_end", "status", "note")


def _validate(fields: dict[str, Any], supervisor: Supervisor | None) -> dict[str, Any]:
    errors: dict[str, str] = {}
    if not (fields.get("code") or "").strip():
        errors["code"] = _("请填写编号。")
    elif excluding(Supervisor.objects.filter(code=fields["code"]), supervisor).exists():
        errors["code"] = _("编号已被使用。")
    if fields.get("employer") is None:
        errors["employer"] = _("请选择工作单位（用于回避）。")
    start, end = fields.get("term_start"), fields.get("term_end")
    if start and end and end <= start:
        errors["term_end"] = _("任期结束须晚于任期开始。")
    user = fields.get("user")
    if user is not None:
        if user.role != Role.SUPERVISOR:
            errors["user"] = _("登录账号的角色必须是“效能监督员”。")
        elif excluding(Supervisor.objects.filter(user=user), supervisor).exists():
            errors["user"] = _("该账号已对应另一名监督员。")
    clean_phone_field(fields, "phone", errors, mobile_only=True)
    if errors:
        raise ValidationError(errors)
    return fields


def supervisor_create(*, actor: Any, audit: bool = True, **fields: Any) -> Supervisor:
    require_known(fields, FIELDS)
    fields = _validate(dict(fields), None)
    with transaction.atomic():
        supervisor = Supervisor.objects.create(**fields)
        if audit:
            audit_record(action="supervisors.supervisor.create", actor=actor, obj=supervisor)
    return supervisor


def supervisor_update(*, actor: Any, supervisor: Supervisor, **fields: Any) -> Supervisor:
    require_known(fields, FIELDS)
    merged = _validate({k: fields.get(k, getattr(supervisor, k)) for k in FIELDS}, supervisor)
    return update_audited(actor=actor, obj=supervisor, fields={k: merged[k] for k in fields}, action="supervisors.supervisor.update")

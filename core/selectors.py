"""Reads of the core app: the policy in force, notifications, jobs, the audit trail."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from core import permissions as gate
from core.models import AuditRecord, Job, Notification, Policy, PolicyStatus, PolicyVersion
from core.policy_schema import PolicyDocument


class NoPolicy(Exception):
    def __init__(self, on: date) -> None:
        super().__init__(f"{on} 没有生效的政策版本：请效能办在“政策参数”中发布一个版本。")


def policy_version_for(on: date | None = None) -> PolicyVersion:
    """The version of the current policy in force on ``on`` (today by default)."""
    on = on or timezone.localdate()
    version = (
        PolicyVersion.objects.select_related("policy")
        .filter(policy__is_current=True, status=PolicyStatus.PUBLISHED, effective_from__lte=on)
        .order_by("-effective_from", "-version")
        .first()
    )
    if version is None:
        raise NoPolicy(on)
    return version


@lru_cache(maxsize=32)
def _parsed(version_id: int, document_key: str) -> PolicyDocument:
    return PolicyDocument.model_validate_json(document_key)


def parse_document(version: PolicyVersion) -> PolicyDocument:
    import json

    return _parsed(version.pk, json.dumps(version.document, sort_keys=True, ensure_ascii=False))


def policy_document(on: date | None = None) -> tuple[PolicyVersion, PolicyDocument]:
    """The version in force and its validated parameters. Results record the version."""
    version = policy_version_for(on)
    return version, parse_document(version)


def policy_list(user: Any) -> QuerySet[Policy]:
    gate.check(user, "core.policy.view")
    return Policy.objects.prefetch_related("versions")


def audit_search(
    user: Any,
    *,
    q: str = "",
    action: str = "",
    actor: str = "",
    success: bool | None = None,
    start: date | None = None,
    end: date | None = None,
) -> QuerySet[AuditRecord]:
    qs = gate.restrict(AuditRecord.objects.all(), user, "core.audit.view")
    if q:
        qs = qs.filter(Q(object_repr__icontains=q) | Q(object_id=q) | Q(actor_label__icontains=q))
    if action:
        qs = qs.filter(action__startswith=action)
    if actor:
        qs = qs.filter(actor_label__icontains=actor)
    if success is not None:
        qs = qs.filter(success=success)
    if start:
        qs = qs.filter(created_at__date__gte=start)
    if end:
        qs = qs.filter(created_at__date__lte=end)
    return qs.order_by("-id")


def notification_list(user: Any, *, unread_only: bool = False) -> QuerySet[Notification]:
    qs = gate.restrict(Notification.objects.all(), user, "core.notification.view")
    return qs.filter(read_at__isnull=True) if unread_only else qs


def job_get(user: Any, job_id: int) -> Job:
    from core.jobs import job_live

    return job_live(gate.get_object(user, "core.job.view", Job, pk=job_id))

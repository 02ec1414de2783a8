"""The audit trail: who did what, when, from where, with what result (RULES.md §9).

``audit_record`` appends one record to a hash chain: each record carries an HMAC over its
content and its predecessor's hash, so that an edited, inserted or deleted record breaks
the chain (``manage.py audit_verify``). Appends are serialised by locking the single
``AuditChainHead`` row inside the caller's transaction; the audit record therefore commits
or rolls back together with the change it describes.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction

from core.context import current_ip
from core.models import AuditChainHead, AuditRecord


def _key() -> bytes:
    explicit = getattr(settings, "XN_AUDIT_KEY", "") or ""
    material = explicit or f"audit-chain:{settings.SECRET_KEY}"
    return hashlib.sha256(material.encode()).digest()


def audit_record(
    *,
    action: str,
    actor: Any = None,
    obj: models.Model | None = None,
    detail: dict[str, Any] | None = None,
    success: bool = True,
    ip: str | None = None,
    actor_label: str = "",
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
) -> AuditRecord:
    """Append one record. Call it inside the service's transaction."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    label = actor_label or (actor.get_username() if actor is not None else "")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        record = AuditRecord(
            actor=actor,
            actor_label=label[:150],
            action=action,
            object_type=object_type,
            object_id=object_id,
            object_repr=object_repr[:200],
            # normalised to what the database gives back, so the hash can be recomputed
            detail=json.loads(json.dumps(detail or {}, cls=DjangoJSONEncoder)),
            ip=ip if ip is not None else current_ip.get(),
            success=success,
            prev_hash=head.last_hash,
        )
        record.hash = record.compute_hash(_key())
        record.save()
        AuditChainHead.objects.filter(pk=1).update(last_hash=record.hash, count=models.F("count") + 1)
    return record


@dataclass
class VerifyResult:
    checked: int
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def audit_verify(batch: int = 5000) -> VerifyResult:
    """Walk the whole chain and report every broken link or altered record."""
    key = _key()
    problems: list[str] = []
    previous = "0" * 64
    checked = 0
    last_id = 0
    while True:
        rows = list(AuditRecord.objects.filter(id__gt=last_id).order_by("id")[:batch])
        if not rows:
            break
        for record in rows:
            checked += 1
            if record.prev_hash != previous:
                problems.append(f"#{record.id}: 链接断开（前一条记录被删除、插入或修改）")
            if record.compute_hash(key) != record.hash:
                problems.append(f"#{record.id}: 内容与校验值不符（记录被修改）")
            previous = record.hash
            last_id = record.id
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None:
        if head.last_hash != previous:
            problems.append("链尾与最后一条记录不符（末尾记录被删除）")
        if head.count != checked:
            problems.append(f"记录数不符：应有 {head.count} 条，实有 {checked} 条")
    elif checked:
        problems.append("缺少链头记录")
    return VerifyResult(checked=checked, problems=problems)

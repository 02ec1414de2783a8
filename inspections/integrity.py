"""Integrity of stored files: every evidence file and every published circular is
re-read and hashed; a missing file or a changed byte is reported (``evidence_verify``)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from inspections.choices import CircularStatus
from inspections.models import Circular, Evidence


@dataclass
class VerifyResult:
    checked: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _digest(fieldfile: Any) -> str:
    digest = hashlib.sha256()
    with fieldfile.storage.open(fieldfile.name, "rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _check(result: VerifyResult, label: str, fieldfile: Any, expected: str) -> None:
    result.checked += 1
    if not fieldfile.name or not fieldfile.storage.exists(fieldfile.name):
        result.problems.append(f"{label}：文件缺失（{fieldfile.name or '未登记'}）")
        return
    actual = _digest(fieldfile)
    if actual != expected:
        result.problems.append(f"{label}：内容被改动（登记 {expected[:16]}…，实际 {actual[:16]}…）")


def verify_files() -> VerifyResult:
    result = VerifyResult()
    for evidence in Evidence.objects.order_by("pk").iterator():
        _check(result, f"证据 #{evidence.pk}（问题线索 {evidence.finding_id}）", evidence.file, evidence.sha256)
    for circular in Circular.objects.filter(status=CircularStatus.PUBLISHED).order_by("pk"):
        _check(result, f"通报 {circular.number} Word", circular.docx, circular.docx_sha256)
        _check(result, f"通报 {circular.number} PDF", circular.pdf, circular.pdf_sha256)
    return result

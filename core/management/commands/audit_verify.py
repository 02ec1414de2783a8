"""Prove that no audit record was edited, inserted or deleted (exit 1 if one was)."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand

from core.audit import audit_verify


class Command(BaseCommand):
    help = "Verify the hash chain of the audit trail."

    def handle(self, *args: Any, **options: Any) -> None:
        result = audit_verify()
        if result.ok:
            self.stdout.write(self.style.SUCCESS(f"审计日志完整：共 {result.checked} 条记录，校验链无断点。"))
            return
        self.stderr.write(self.style.ERROR(f"审计日志被篡改：发现 {len(result.problems)} 处问题"))
        for problem in result.problems[:200]:
            self.stderr.write(f"  {problem}")
        sys.exit(1)

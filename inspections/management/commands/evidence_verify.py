"""Prove that every stored evidence file and every published circular still matches the
SHA-256 recorded when it was stored (exit 1, listing each problem, if one does not)."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand

from inspections.integrity import verify_files


class Command(BaseCommand):
    help = "Verify the SHA-256 of every evidence file and published circular."

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify_files()
        if result.ok:
            self.stdout.write(self.style.SUCCESS(f"证据文件完整：共核验 {result.checked} 个文件，全部与登记的 SHA-256 一致。"))
            return
        self.stderr.write(self.style.ERROR(f"发现 {len(result.problems)} 个文件与登记不符："))
        for problem in result.problems[:500]:
            self.stderr.write(f"  {problem}")
        sys.exit(1)

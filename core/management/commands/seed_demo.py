"""Build the demo city (deterministic for a seed, idempotent, any database).

Each installed app may have a ``demo`` module with ``build(ctx)``; they run in the order
of INSTALLED_APPS, so the registry comes before the accounts that refer to it, and the
domain apps after both. Prints the demo accounts at the end.
"""

from __future__ import annotations

import logging
import random
import time
from importlib import import_module
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import module_has_submodule

from core.demo import DEMO_PASSWORD, DemoContext


class Command(BaseCommand):
    help = "Build the demo city: 94 departments, divisions, windows, staff, supervisors, enterprises, one login per role."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--seed", type=int, default=2023)
        parser.add_argument("--quiet", action="store_true", help="do not print the demo accounts")

    def handle(self, *args: Any, seed: int, quiet: bool, **options: Any) -> None:
        # the demo's own notifications would flood the terminal through the log channel
        logging.getLogger("core.notify").setLevel(logging.WARNING)
        started = time.monotonic()
        rng = random.Random(seed)  # noqa: S311 (demo data, reproducible by design)
        ctx = DemoContext(seed=seed, rng=rng, write=lambda line: self.stdout.write(line))
        for config in apps.get_app_configs():
            if config.name.startswith("django") or not module_has_submodule(config.module, "demo"):
                continue
            module = import_module(f"{config.name}.demo")
            if not hasattr(module, "build"):
                continue
            step = time.monotonic()
            with transaction.atomic():
                module.build(ctx)
            self.stdout.write(f"  {config.name}: {time.monotonic() - step:.1f}s")
        self.stdout.write(self.style.SUCCESS(f"演示数据就绪（seed={seed}，{time.monotonic() - started:.1f}s）"))
        if not quiet:
            self.stdout.write("")
            self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
            for username, role, where in ctx.data.get("accounts", []):
                self.stdout.write(f"  {username:<12} {role:<14} {where}")

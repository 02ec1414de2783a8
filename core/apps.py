"""Core app configuration: collects every app's permission rules at start-up."""

import os

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("公共基础")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from importlib import import_module

        from django.apps import apps
        from django.conf import settings
        from django.utils.module_loading import module_has_submodule

        from core import periodic, permissions

        for config in apps.get_app_configs():
            if module_has_submodule(config.module, "rules"):
                permissions.register(import_module(f"{config.name}.rules").RULES)
        periodic.register("core-deliver-pending", "core.tasks.deliver_pending", minutes=5)
        periodic.register("core-purge-old-jobs", "core.tasks.purge_old_jobs", minutes=24 * 60)
        from core import ui  # noqa: F401  (registers navigation and home panels)

        if settings.XN_TASKS == "inprocess" and os.environ.get("XN_SCHEDULER") == "1":
            from core.inprocess import start_scheduler

            start_scheduler()

"""The cases app: cases from every channel, routing, deadlines, replies, follow-ups,
valid-complaint judgement and public tracking."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("诉求办理")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from cases import notifications, transfer, ui  # noqa: F401  (notification kinds, job handlers, navigation)
        from core import periodic

        transfer.register()
        periodic.register("cases-deadline-scan", "cases.tasks.deadline_scan", minutes=60)
        periodic.register("cases-routing-retrain", "cases.tasks.routing_retrain", minutes=24 * 60)
        periodic.register("cases-ranking-snapshot", "cases.tasks.ranking_snapshot", minutes=24 * 60)

"""The inspections app (明查暗访): rounds, batches, tasks for supervisor teams, findings
with evidence, feedback, verification, rectification, circulars and their figures."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = _("明查暗访")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from core import periodic
        from inspections import notifications, ui  # noqa: F401  (notification kinds, navigation, home panels)

        periodic.register("inspections-deadlines", "inspections.tasks.check_deadlines", minutes=60)

"""The accountability app: charges from valid complaints, verified findings and recorded
criticisms, the proposals the policy's rules make, the decisions people take, and the
sanctions and apologies those decisions put in force."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountabilityConfig(AppConfig):
    name = "accountability"
    verbose_name = _("问责")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from accountability import handlers, notifications, ui  # noqa: F401  (events, notification kinds, navigation)
        from core import periodic

        handlers.subscribe()
        periodic.register("accountability-follow-through", "accountability.tasks.follow_through_scan", minutes=24 * 60)
        periodic.register("accountability-sync", "accountability.tasks.charges_sync", minutes=24 * 60)

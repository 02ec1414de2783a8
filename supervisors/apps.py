"""The supervisors app: the roster of efficiency supervisors."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisorsConfig(AppConfig):
    name = "supervisors"
    verbose_name = _("效能监督员")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from supervisors import ui  # noqa: F401

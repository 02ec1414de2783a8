"""The organisation registry app."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "org"
    verbose_name = _("组织机构")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from org import transfer, ui  # noqa: F401  (navigation, home panels, job handlers)

        transfer.register()

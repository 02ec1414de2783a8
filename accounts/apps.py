"""Accounts app: users, roles, login security, API tokens."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("账号与权限")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from accounts import api_auth, signals, ui  # noqa: F401  (signal receivers, schema, navigation)

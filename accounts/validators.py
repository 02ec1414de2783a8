"""Password rules of RULES.md §9: at least 8 characters from 4 classes; not a recent one."""

from __future__ import annotations

import string
from typing import Any

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassesValidator:
    """Upper case, lower case, digits and symbols: ``classes`` of the four at least."""

    def __init__(self, classes: int = 4) -> None:
        self.classes = classes

    def validate(self, password: str, user: Any = None) -> None:
        found = sum(
            [
                any(c in string.ascii_uppercase for c in password),
                any(c in string.ascii_lowercase for c in password),
                any(c.isdigit() for c in password),
                any(not c.isalnum() for c in password),
            ]
        )
        if found < self.classes:
            raise ValidationError(
                _("密码须同时包含大写字母、小写字母、数字和符号（至少%(n)s类）。") % {"n": self.classes}, code="password_classes"
            )

    def get_help_text(self) -> str:
        return _("须同时包含大写字母、小写字母、数字和符号。")


class NotReusedValidator:
    """A new password may not repeat any of the last ``count`` passwords."""

    def __init__(self, count: int = 5) -> None:
        self.count = count

    def validate(self, password: str, user: Any = None) -> None:
        if user is None or not getattr(user, "pk", None):
            return
        recent = list(user.password_history.values_list("password", flat=True)[: self.count])
        if user.password:
            recent.append(user.password)
        if any(check_password(password, old) for old in recent):
            raise ValidationError(_("不能使用最近用过的%(n)s个密码。") % {"n": self.count}, code="password_reused")

    def get_help_text(self) -> str:
        return _("不能与最近用过的密码相同。")

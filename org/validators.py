"""Validators of the registry: the unified social credit code (GB 32100-2015) and
Chinese phone numbers."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# GB 32100-2015: 31 characters (no I, O, S, V, Z); weights of positions 1-17.
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_CHARSET.index(ch) * w for ch, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def validate_uscc(value: str) -> None:
    code = (value or "").strip().upper()
    if len(code) != 18:
        raise ValidationError(_("统一社会信用代码应为18位，现为%(n)s位。") % {"n": len(code)}, code="length")
    bad = [ch for ch in code if ch not in USCC_CHARSET]
    if bad:
        raise ValidationError(_("统一社会信用代码含有不允许的字符“%(ch)s”（不使用 I、O、S、V、Z）。") % {"ch": bad[0]}, code="charset")
    if not code[2:8].isdigit():
        raise ValidationError(_("统一社会信用代码第3至8位应为行政区划代码（数字）。"), code="region")
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        raise ValidationError(_("统一社会信用代码校验位错误：第18位应为“%(exp)s”，请核对是否抄错。") % {"exp": expected}, code="check")


MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")


def normalise_phone(value: str) -> str:
    return re.sub(r"[\s()（）]", "", value or "").removeprefix("+86").removeprefix("86-")


def validate_phone(value: str) -> None:
    phone = normalise_phone(value)
    if not (MOBILE.match(phone) or LANDLINE.match(phone)):
        raise ValidationError(_("“%(v)s”不是有效的电话号码（手机11位，或带区号的固定电话）。") % {"v": value}, code="phone")


def validate_mobile(value: str) -> None:
    if not MOBILE.match(normalise_phone(value)):
        raise ValidationError(_("“%(v)s”不是有效的手机号码（11位，以1开头）。") % {"v": value}, code="mobile")


def clean_phone_field(fields: dict, key: str, errors: dict, *, mobile_only: bool = False) -> None:
    """Validate and normalise ``fields[key]`` in place (if given); a problem goes to ``errors``."""
    phone = fields.get(key) or ""
    if not phone:
        return
    try:
        (validate_mobile if mobile_only else validate_phone)(phone)
    except ValidationError as exc:
        errors[key] = exc.messages[0]
        return
    fields[key] = normalise_phone(phone)

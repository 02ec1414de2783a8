"""Writes of the organisation registry. Every change is validated here (not in forms),
runs in a transaction and leaves an audit record; pages, API and imports call these."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.queries import excluding
from core.writes import diff, require_known, set_active_audited, update_audited
from org.choices import ALLOWED_PARENTS, UnitKind
from org.models import Enterprise, Post, Staff, Unit, UnitCategory, Whereabouts
from org.validators import clean_phone_field, validate_uscc

UNIT_FIELDS = ("name", "short_name", "code", "kind", "parent", "category", "location", "phone", "sort_order")


# --- units --------------------------------------------------------------------------------
def _validate_unit(*, unit: Unit | None, name: str, code: str, kind: str, parent: Unit | None, category: UnitCategory | None) -> None:
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("请填写单位名称。")
    if not code.strip():
        errors["code"] = _("请填写单位编码。")
    elif excluding(Unit.objects.filter(code=code), unit).exists():
        errors["code"] = _("编码“%(code)s”已被其他单位使用。") % {"code": code}
    if kind not in UnitKind.values:
        errors["kind"] = _("请选择单位类型。")
    else:
        allowed = ALLOWED_PARENTS[kind]
        parent_kind = parent.kind if parent else None
        if parent_kind not in allowed:
            if parent is None:
                errors["parent"] = _("%(kind)s必须有上级单位。") % {"kind": UnitKind(kind).label}
            else:
                errors["parent"] = _("%(kind)s不能设在%(pkind)s“%(parent)s”之下。") % {
                    "kind": UnitKind(kind).label,
                    "pkind": UnitKind(parent.kind).label,
                    "parent": parent.name,
                }
    if kind == UnitKind.DEPARTMENT and category is None:
        errors["category"] = _("部门必须属于一个考评类别。")
    if parent is not None and not parent.is_active:
        errors["parent"] = _("上级单位“%(parent)s”已停用。") % {"parent": parent.name}
    if unit is not None and parent is not None and unit.pk and parent.path.startswith(unit.path):
        errors["parent"] = _("不能把单位移到它自己或它的下级单位之下。")
    if errors:
        raise ValidationError(errors)


def _set_path(unit: Unit) -> None:
    parent_path = unit.parent.path if unit.parent is not None else "/"
    unit.path = f"{parent_path}{unit.pk:07d}/"
    unit.depth = unit.path.count("/") - 2
    Unit.objects.filter(pk=unit.pk).update(path=unit.path, depth=unit.depth)


def unit_create(
    *,
    actor: Any,
    name: str,
    code: str,
    kind: str,
    parent: Unit | None = None,
    category: UnitCategory | None = None,
    short_name: str = "",
    location: str = "",
    phone: str = "",
    sort_order: int = 0,
    audit: bool = True,
) -> Unit:
    _validate_unit(unit=None, name=name, code=code, kind=kind, parent=parent, category=category)
    with transaction.atomic():
        unit = Unit.objects.create(
            name=name.strip(),
            code=code.strip(),
            kind=kind,
            parent=parent,
            category=category,
            short_name=short_name,
            location=location,
            phone=phone,
            sort_order=sort_order,
        )
        _set_path(unit)
        if audit:
            audit_record(action="org.unit.create", actor=actor, obj=unit, detail={"code": unit.code, "kind": kind})
    return unit


def unit_update(*, actor: Any, unit: Unit, **fields: Any) -> Unit:
    """Change a unit; moving it (a new parent) moves its whole branch."""
    require_known(fields, UNIT_FIELDS)
    merged = {name: fields.get(name, getattr(unit, name)) for name in UNIT_FIELDS}
    _validate_unit(
        unit=unit, name=merged["name"], code=merged["code"], kind=merged["kind"], parent=merged["parent"], category=merged["category"]
    )
    changes = diff(unit, dict(fields))
    if not changes:
        return unit
    with transaction.atomic():
        locked = Unit.objects.select_for_update().get(pk=unit.pk)
        old_path = locked.path
        Unit.objects.filter(pk=unit.pk).update(**fields, updated_at=timezone.now())
        unit.refresh_from_db()
        if "parent" in changes:
            _set_path(unit)
            # move the branch: replace the old prefix in every descendant's path
            Unit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk).update(
                path=Concat(Value(unit.path), Substr("path", len(old_path) + 1))
            )
            for child in Unit.objects.filter(path__startswith=unit.path).exclude(pk=unit.pk):
                Unit.objects.filter(pk=child.pk).update(depth=child.path.count("/") - 2)
        audit_record(action="org.unit.update", actor=actor, obj=unit, detail=changes)
    return unit


def unit_set_active(*, actor: Any, unit: Unit, active: bool) -> Unit:
    if not active and Unit.objects.filter(parent=unit, is_active=True).exists():
        raise ValidationError(_("“%(name)s”还有在用的下级单位，请先停用它们。") % {"name": unit.name})
    if active and unit.parent_id and not unit.parent.is_active:  # type: ignore[union-attr]
        raise ValidationError(_("上级单位已停用，不能启用此单位。"))
    with transaction.atomic():
        Unit.objects.filter(pk=unit.pk).update(is_active=active)
        unit.is_active = active
        audit_record(action="org.unit.activate" if active else "org.unit.deactivate", actor=actor, obj=unit)
    return unit


def unit_board_token_reset(*, actor: Any, unit: Unit) -> Unit:
    """A new address for the unit's whereabouts board; the old one stops working."""
    from org.models import _board_token

    with transaction.atomic():
        unit.board_token = _board_token()
        Unit.objects.filter(pk=unit.pk).update(board_token=unit.board_token)
        audit_record(action="org.unit.board_reset", actor=actor, obj=unit)
    return unit


def category_save(
    *, actor: Any, category: UnitCategory | None, code: str, name: str, description: str = "", sort_order: int = 0
) -> UnitCategory:
    try:
        with transaction.atomic():
            if category is None:
                category = UnitCategory.objects.create(code=code, name=name, description=description, sort_order=sort_order)
                action = "org.category.create"
            else:
                UnitCategory.objects.filter(pk=category.pk).update(code=code, name=name, description=description, sort_order=sort_order)
                category.refresh_from_db()
                action = "org.category.update"
            audit_record(action=action, actor=actor, obj=category)
    except IntegrityError as exc:
        raise ValidationError(_("代码或名称已被其他类别使用。")) from exc
    return category


# --- staff --------------------------------------------------------------------------------
STAFF_FIELDS = ("name", "unit", "role_in_unit", "title", "employee_no", "phone", "id_number")


def _validate_staff(fields: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    if not (fields.get("name") or "").strip():
        errors["name"] = _("请填写姓名。")
    unit = fields.get("unit")
    if unit is None:
        errors["unit"] = _("请选择单位。")
    elif not unit.is_active:
        errors["unit"] = _("单位“%(name)s”已停用。") % {"name": unit.name}
    clean_phone_field(fields, "phone", errors)
    id_number = (fields.get("id_number") or "").strip().upper()
    if id_number:
        if not _valid_id_number(id_number):
            errors["id_number"] = _("身份证号码无效（18位，末位校验码不符）。")
        fields["id_number"] = id_number
    if errors:
        raise ValidationError(errors)
    return fields


def _valid_id_number(value: str) -> bool:
    """GB 11643-1999 check digit of an 18-digit resident ID number."""
    if len(value) != 18 or not value[:17].isdigit():
        return False
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    check = "10X98765432"[sum(int(d) * w for d, w in zip(value[:17], weights, strict=True)) % 11]
    return value[17] == check


def staff_create(*, actor: Any, audit: bool = True, **fields: Any) -> Staff:
    require_known(fields, STAFF_FIELDS)
    fields = _validate_staff(dict(fields))
    with transaction.atomic():
        staff = Staff.objects.create(**fields)
        if audit:
            audit_record(action="org.staff.create", actor=actor, obj=staff, detail={"unit": staff.unit_id})
    return staff


def staff_update(*, actor: Any, staff: Staff, **fields: Any) -> Staff:
    require_known(fields, STAFF_FIELDS)
    merged = _validate_staff({name: fields.get(name, getattr(staff, name)) for name in STAFF_FIELDS})
    fields = {k: merged[k] for k in fields}
    if "unit" in fields and fields["unit"] != staff.unit and (staff.posts_held.exists() or staff.posts_backed.exists()):
        raise ValidationError({"unit": _("此人仍在本单位的岗位上（A角或B角），调动前请先调整岗位。")})
    return update_audited(actor=actor, obj=staff, fields=fields, action="org.staff.update", secret=("id_number",))


def staff_set_active(*, actor: Any, staff: Staff, active: bool) -> Staff:
    with transaction.atomic():
        if not active:
            # a person who leaves leaves their posts: the office sees the gaps on the unit page
            Post.objects.filter(holder=staff).update(holder=None)
            Post.objects.filter(backup=staff).update(backup=None)
        return set_active_audited(actor=actor, obj=staff, active=active, action_prefix="org.staff")


def staff_phone_reveal(*, actor: Any, staff: Staff) -> str:
    """The full phone number, for a role allowed to see it; every reveal is audited."""
    audit_record(action="org.staff.reveal_phone", actor=actor, obj=staff)
    return staff.phone


# --- posts (AB backup) ----------------------------------------------------------------------
def _validate_post(*, unit: Unit, name: str, holder: Staff | None, backup: Staff | None, post: Post | None) -> None:
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("请填写岗位名称。")
    elif excluding(Post.objects.filter(unit=unit, name=name.strip()), post).exists():
        errors["name"] = _("本单位已有名为“%(name)s”的岗位。") % {"name": name}
    for field, person in (("holder", holder), ("backup", backup)):
        if person is None:
            continue
        if person.unit_id != unit.pk:
            errors[field] = _("%(name)s不是本单位（%(unit)s）的工作人员。") % {"name": person.name, "unit": unit.name}
        elif not person.is_active:
            errors[field] = _("%(name)s已不在职。") % {"name": person.name}
    if holder is not None and backup is not None and holder.pk == backup.pk:
        errors["backup"] = _("B角必须是A角以外的另一名工作人员。")
    if errors:
        raise ValidationError(errors)


def post_create(
    *, actor: Any, unit: Unit, name: str, duties: str = "", holder: Staff | None = None, backup: Staff | None = None, audit: bool = True
) -> Post:
    _validate_post(unit=unit, name=name, holder=holder, backup=backup, post=None)
    with transaction.atomic():
        post = Post.objects.create(unit=unit, name=name.strip(), duties=duties, holder=holder, backup=backup)
        if audit:
            audit_record(action="org.post.create", actor=actor, obj=post)
    return post


def post_update(*, actor: Any, post: Post, **fields: Any) -> Post:
    require_known(fields, {"name", "duties", "holder", "backup", "is_active"})
    merged = {k: fields.get(k, getattr(post, k)) for k in ("name", "holder", "backup")}
    _validate_post(unit=post.unit, post=post, **merged)
    return update_audited(actor=actor, obj=post, fields=fields, action="org.post.update")


# --- whereabouts ------------------------------------------------------------------------------
def _days(start: datetime, end: datetime) -> set[Any]:
    first = timezone.localtime(start).date()
    last = timezone.localtime(end - timedelta(microseconds=1)).date()
    return {first + timedelta(days=i) for i in range((last - first).days + 1)}


def _ab_partners(staff: Staff) -> list[tuple[Post, Staff]]:
    partners: list[tuple[Post, Staff]] = []
    for post in Post.objects.filter(Q(holder=staff) | Q(backup=staff), is_active=True).select_related("holder", "backup"):
        other = post.backup if post.holder_id == staff.pk else post.holder
        if other is not None:
            partners.append((post, other))
    return partners


def whereabouts_create(
    *, actor: Any, staff: Staff, kind: str, start: datetime, expected_return: datetime, destination: str = ""
) -> Whereabouts:
    """Post a whereabouts notice. A and B of one post are never away on the same day."""
    errors: dict[str, str] = {}
    if expected_return <= start:
        errors["expected_return"] = _("预计返回时间必须晚于离岗时间。")
    if not staff.is_active:
        errors["staff"] = _("%(name)s已不在职。") % {"name": staff.name}
    if errors:
        raise ValidationError(errors)
    days = _days(start, expected_return)
    with transaction.atomic():
        # lock the people involved so that A and B cannot both be marked away concurrently
        partners = _ab_partners(staff)
        ids = sorted({staff.pk, *(other.pk for _post, other in partners)})
        list(Staff.objects.select_for_update().filter(pk__in=ids))
        own = Whereabouts.objects.filter(staff=staff, ended_at__isnull=True, start__lt=expected_return, expected_return__gt=start)
        if own.exists():
            raise ValidationError({"start": _("%(name)s在这段时间已有离岗登记。") % {"name": staff.name}})
        tz = timezone.get_current_timezone()
        window_start = datetime.combine(min(days), datetime.min.time(), tz)
        window_end = datetime.combine(max(days) + timedelta(days=1), datetime.min.time(), tz)
        for post, other in partners:
            for notice in Whereabouts.objects.filter(staff=other, start__lt=window_end, expected_return__gt=window_start):
                if days & _days(notice.start, notice.ended_at or notice.expected_return):
                    role = _("B角") if post.holder_id == staff.pk else _("A角")
                    raise ValidationError(
                        {
                            "start": _(
                                "AB岗不能同一天同时离岗：岗位“%(post)s”的%(role)s%(other)s当天已登记离岗（%(kind)s，%(from)s至%(to)s）。"
                            )
                            % {
                                "post": post.name,
                                "role": role,
                                "other": other.name,
                                "kind": notice.get_kind_display(),
                                "from": timezone.localtime(notice.start).strftime("%m-%d %H:%M"),
                                "to": timezone.localtime(notice.expected_return).strftime("%m-%d %H:%M"),
                            }
                        }
                    )
        notice = Whereabouts.objects.create(
            staff=staff, kind=kind, destination=destination, start=start, expected_return=expected_return, created_by=actor
        )
        audit_record(action="org.whereabouts.create", actor=actor, obj=notice, detail={"staff": staff.pk, "kind": kind})
    return notice


def whereabouts_end(*, actor: Any, notice: Whereabouts, at: datetime | None = None) -> Whereabouts:
    """The staff member is back."""
    moment = at or timezone.now()
    with transaction.atomic():
        updated = Whereabouts.objects.filter(pk=notice.pk, ended_at__isnull=True).update(ended_at=max(moment, notice.start))
        if not updated:
            raise ValidationError(_("该离岗登记已经结束。"))
        notice.refresh_from_db()
        audit_record(action="org.whereabouts.end", actor=actor, obj=notice)
    return notice


# --- enterprises ----------------------------------------------------------------------------
ENTERPRISE_FIELDS = ("name", "credit_code", "legal_representative", "industry", "address", "contact_name", "contact_phone")


def _validate_enterprise(fields: dict[str, Any], enterprise: Enterprise | None) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    if not (fields.get("name") or "").strip():
        errors["name"] = _("请填写企业名称。")
    code = (fields.get("credit_code") or "").strip().upper()
    try:
        validate_uscc(code)
        if excluding(Enterprise.objects.filter(credit_code=code), enterprise).exists():
            errors["credit_code"] = _("统一社会信用代码%(code)s已登记。") % {"code": code}
    except ValidationError as exc:
        errors["credit_code"] = exc.messages[0]
    fields["credit_code"] = code
    clean_phone_field(fields, "contact_phone", errors)
    if errors:
        raise ValidationError(errors)
    return fields


def enterprise_create(*, actor: Any, audit: bool = True, **fields: Any) -> Enterprise:
    require_known(fields, ENTERPRISE_FIELDS)
    fields = _validate_enterprise(dict(fields), None)
    with transaction.atomic():
        enterprise = Enterprise.objects.create(**fields)
        if audit:
            audit_record(action="org.enterprise.create", actor=actor, obj=enterprise)
    return enterprise


def enterprise_update(*, actor: Any, enterprise: Enterprise, **fields: Any) -> Enterprise:
    require_known(fields, ENTERPRISE_FIELDS)
    merged = _validate_enterprise({k: fields.get(k, getattr(enterprise, k)) for k in ENTERPRISE_FIELDS}, enterprise)
    return update_audited(actor=actor, obj=enterprise, fields={k: merged[k] for k in fields}, action="org.enterprise.update")


def enterprise_set_active(*, actor: Any, enterprise: Enterprise, active: bool) -> Enterprise:
    return set_active_audited(actor=actor, obj=enterprise, active=active, action_prefix="org.enterprise")

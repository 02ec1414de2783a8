"""Demo logins, one per role (plus a liaison of a second unit, to show scoping)."""

from __future__ import annotations

from django.utils import timezone

from accounts.models import User
from core.demo import DEMO_PASSWORD, DemoContext
from core.permissions import Role
from org.models import Unit

# username, role, full name, unit code (None: office-wide)
ACCOUNTS = [
    ("office", Role.OFFICE_STAFF, "林晓燕", None),
    ("officehead", Role.OFFICE_HEAD, "陈建国", None),
    ("supervisor", Role.SUPERVISOR, "周立新", None),
    ("liaison", Role.UNIT_LIAISON, "黄丽娟", "G10"),
    ("liaison2", Role.UNIT_LIAISON, "吴海波", "G24"),
    ("unithead", Role.UNIT_HEAD, "郑志强", "G10"),
    ("rater", Role.RATER, "梁春梅", None),
    ("viewer", Role.VIEWER, "何卫东", None),
    ("admin", Role.ACCOUNT_ADMIN, "许文辉", None),
]


def build(ctx: DemoContext) -> None:
    rows = []
    for username, role, full_name, unit_code in ACCOUNTS:
        unit = Unit.objects.get(code=unit_code) if unit_code else None
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, role=role, full_name=full_name, unit=unit, email=f"{username}@demo.invalid")
            user.set_password(DEMO_PASSWORD)
            user.password_changed_at = timezone.now()
            user.save()
        rows.append((username, user.get_role_display(), unit.name if unit else ""))
    ctx.data["accounts"] = rows

"""Demo roster: 45 supervisors, each employed by some unit of the demo city and each with
a login (the first is the demo account ``supervisor``)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from accounts.models import User
from core.demo import DEMO_PASSWORD, DemoContext
from core.permissions import Role
from org.choices import UnitKind
from org.models import Unit
from supervisors.models import Supervisor

COUNT = 45


def build(ctx: DemoContext) -> None:
    if Supervisor.objects.exists():
        return
    employers = list(Unit.objects.filter(kind__in=[UnitKind.DEPARTMENT, UnitKind.DIVISION]).order_by("code"))
    password_user = User(username="_")
    password_user.set_password(DEMO_PASSWORD)
    hashed = password_user.password
    now = timezone.now()
    first = User.objects.get(username="supervisor")
    users = [first]
    new_users = []
    for i in range(2, COUNT + 1):
        new_users.append(
            User(
                username=f"sup{i:02d}",
                role=Role.SUPERVISOR,
                full_name=ctx.name(),
                password=hashed,
                password_changed_at=now,
                email=f"sup{i:02d}@demo.invalid",
            )
        )
    User.objects.bulk_create(new_users)
    users += list(User.objects.filter(username__in=[u.username for u in new_users]).order_by("username"))
    rows = []
    for i, user in enumerate(users, start=1):
        rows.append(
            Supervisor(
                code=f"JD{i:03d}",
                name=user.full_name,
                user=user,
                employer=ctx.rng.choice(employers),
                phone=ctx.mobile(),
                term_start=date(2023, 1, 1),
                term_end=date(2027, 12, 31),
            )
        )
    Supervisor.objects.bulk_create(rows)
    ctx.write(f"  监督员 {len(rows)}")

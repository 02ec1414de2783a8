"""Test support for inspections: a fixed clock, supervisors, a round with a dispatched
task, findings at each step (all made through the services), and real files."""

from __future__ import annotations

import io
import itertools
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from core.permissions import Role
from core.testing import World, make_user
from inspections import services
from inspections.choices import InspectionMode, RoundKind
from inspections.models import Finding, InspectionBatch, InspectionRound, InspectionTask
from org.models import Unit
from supervisors.models import Supervisor

SH = ZoneInfo("Asia/Shanghai")
_codes = itertools.count(100)


def at(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SH)


class Clock:
    """What ``timezone.now()`` returns in a test (set by the ``clock`` fixture)."""

    def __init__(self, moment: datetime) -> None:
        self.now = moment

    def set(self, moment: datetime) -> None:
        self.now = moment

    def advance(self, **delta: float) -> None:
        self.now = self.now + timedelta(**delta)

    def day(self, value: date, hour: int = 9) -> None:
        self.now = datetime(value.year, value.month, value.day, hour, tzinfo=SH)


def make_supervisor(employer: Unit, user: User | None = None, *, code: str | None = None, name: str | None = None) -> Supervisor:
    return Supervisor.objects.create(
        code=code or f"T{next(_codes)}",
        name=name or (user.full_name if user else f"监督员{next(_codes)}"),
        user=user,
        employer=employer,
        term_start=date(2024, 1, 1),
        term_end=date(2028, 12, 31),
    )


def jpeg(name: str = "photo.jpg", size: tuple[int, int] = (64, 48)) -> SimpleUploadedFile:
    from PIL import Image  # reportlab's own dependency: always installed

    out = io.BytesIO()
    Image.new("RGB", size, (180, 40, 40)).save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def png(name: str = "screen.png") -> SimpleUploadedFile:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (32, 32), (20, 90, 200)).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def mp4(name: str = "clip.mp4", padding: int = 2048) -> SimpleUploadedFile:
    head = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00\x00\x00\x08free"
    return SimpleUploadedFile(name, head + b"\x00" * padding, content_type="video/mp4")


def pdf(name: str = "核查报告.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf")


@dataclass
class Insp:
    """The world plus: supervisors (sup1 = the ``supervisor`` persona, sup2 with their own
    login, sup3 employed by unit A's division), a March 2026 round over units A and B, its
    first batch, and a task on unit A's window dispatched to sup1 and sup2."""

    world: World
    clock: Clock
    sup1: Supervisor
    sup2: Supervisor
    sup3: Supervisor
    round: InspectionRound
    batch: InspectionBatch
    task: InspectionTask

    @property
    def office(self) -> User:
        return self.world.office


def build(world: World, clock: Clock) -> Insp:
    sup1 = make_supervisor(world.unit_b, world.supervisor, code="S001", name="周立新")
    sup2_user = make_user(Role.SUPERVISOR, username="sup2", full_name="吴海波")
    sup2 = make_supervisor(world.unit_b, sup2_user, code="S002", name="吴海波")
    sup3 = make_supervisor(world.division_a, make_user(Role.SUPERVISOR, username="sup3", full_name="郑家明"), code="S003", name="郑家明")
    clock.set(at(2026, 3, 2, 9))  # Monday
    round_ = services.round_create(actor=world.office, kind=RoundKind.REGULAR, month=date(2026, 3, 1), scope=[world.unit_a, world.unit_b])
    batch = services.batch_create(actor=world.office, round_=round_, start_date=date(2026, 3, 2), end_date=date(2026, 3, 6))
    task = services.task_create(
        actor=world.office,
        batch=batch,
        units=[world.window_a],
        mode=InspectionMode.COVERT,
        window_start=at(2026, 3, 3, 9),
        window_end=at(2026, 3, 3, 11, 30),
    )
    services.task_team_set(actor=world.office, task=task, supervisors=[sup1, sup2], reason="测试指定")
    services.task_dispatch(actor=world.office, task=task)
    clock.set(at(2026, 3, 3, 9, 20))  # on the spot
    return Insp(world=world, clock=clock, sup1=sup1, sup2=sup2, sup3=sup3, round=round_, batch=batch, task=task)


def submitted_finding(insp: Insp, *, description: str = "窗口工作人员上班时间玩手机游戏，群众排队等候。", files: int = 1) -> Finding:
    user = insp.world.supervisor
    finding = services.finding_start(actor=user, task=insp.task)
    services.finding_update(
        actor=user,
        finding=finding,
        unit=insp.world.window_a,
        item_code="conduct",
        observed_at=insp.clock.now - timedelta(minutes=5),
        description=description,
        place="二楼3号窗口",
        staff_hint="工牌A-103",
    )
    for i in range(files):
        services.evidence_add(actor=user, finding=finding, upload=jpeg(f"IMG_{i}.jpg"), client_key=f"key-{finding.pk}-{i}")
    return services.finding_submit(actor=user, finding=finding)


def fed_back_finding(insp: Insp, **kwargs: Any) -> Finding:
    finding = submitted_finding(insp, **kwargs)
    services.finding_confirm(actor=insp.office, finding=finding)
    return services.finding_feed_back(actor=insp.office, finding=finding)

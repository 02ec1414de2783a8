"""Test support for accountability: a fixed clock, staff of units A and B (with their
heads), and the records the rules count — valid complaints judged through the cases
services, findings verified true through the inspections services, incidents — at any
moment the test chooses."""

from __future__ import annotations

import io
import itertools
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile

from accountability import services
from accountability.models import Proposal
from cases import services as case_services
from cases.models import Case, Channel
from core.testing import World, make_staff
from org.choices import StaffRole
from org.models import Staff

SH = ZoneInfo("Asia/Shanghai")
_titles = itertools.count(1)


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SH)


class Clock:
    """What ``timezone.now()`` returns in a test (set by the ``clock`` fixture)."""

    def __init__(self, moment: datetime) -> None:
        self.now = moment

    def set(self, moment: datetime) -> None:
        self.now = moment

    def day(self, value: date, hour: int = 10) -> None:
        self.now = datetime(value.year, value.month, value.day, hour, tzinfo=SH)


@dataclass
class Acc:
    """The world plus: a clerk in unit A's window (李明, linked to liaison A's account so
    that the liaison is "the person"), a clerk in unit A's division, a clerk of unit B,
    and the heads (一把手) of A and B."""

    world: World
    clock: Clock
    clerk: Staff
    clerk2: Staff
    clerk_b: Staff
    head_a: Staff
    head_b: Staff
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def office(self) -> Any:
        return self.world.office

    @property
    def head(self) -> Any:
        return self.world.office_head


def build(world: World, clock: Clock) -> Acc:
    clerk = make_staff(world.window_a, name="李明")
    clerk2 = make_staff(world.division_a, name="王芳")
    clerk_b = make_staff(world.unit_b, name="赵强")
    head_a = make_staff(world.unit_a, name="甲局长", role_in_unit=StaffRole.HEAD)
    head_b = make_staff(world.unit_b, name="乙局长", role_in_unit=StaffRole.HEAD)
    world.liaison_a.staff = clerk
    world.liaison_a.save(update_fields=["staff"])
    return Acc(world=world, clock=clock, clerk=clerk, clerk2=clerk2, clerk_b=clerk_b, head_a=head_a, head_b=head_b)


def valid_complaint(acc: Acc, person: Staff, when: datetime) -> Case:
    """A complaint received, dispatched to the person's department, signed for naming
    them first-responsible, replied to, and judged valid by the office at ``when`` — all
    through the cases services, so that the event reaches accountability as in life."""
    world = acc.world
    department = person.unit.top()
    liaison = world.liaison_a if department == world.unit_a else world.liaison_b
    acc.clock.set(when - timedelta(hours=3))
    case, _password = case_services.case_create(
        actor=world.office,
        channel=Channel.objects.get(code="hotline_12345"),
        kind="complaint",
        title=f"窗口推诿{next(_titles)}",
        content="到窗口办理业务，工作人员推诿扯皮，让我来回跑了三次。",
        contact_name="王小明",
        contact_phone="13812345678",
    )
    case_services.case_dispatch(actor=world.office, case=case, unit=department)
    case_services.case_sign(actor=liaison, case=case, first_responsible=person)
    case_services.case_reply(actor=liaison, case=case, text="经调查，投诉属实，已对当事人批评教育并向投诉人说明。")
    case.refresh_from_db()
    acc.clock.set(when)
    case_services.complaint_judge(actor=world.office, case=case, valid=True, reason="调查属实：推诿扯皮")
    case.refresh_from_db()
    return case


def withdraw_complaint(acc: Acc, case: Case, when: datetime | None = None) -> None:
    if when is not None:
        acc.clock.set(when)
    case_services.complaint_verdict_withdraw(actor=acc.head, case=case, reason="复核认定不属实")


def pending(**filters: Any) -> list[Proposal]:
    return list(Proposal.objects.filter(status="pending", **filters).order_by("pk"))


def sanction_proposals(person: Staff, **filters: Any) -> list[Proposal]:
    return list(Proposal.objects.filter(kind="sanction", staff=person, **filters).order_by("pk"))


def png(name: str = "见报版面.png") -> SimpleUploadedFile:
    from PIL import Image  # reportlab's own dependency: always installed

    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def pdf_bytes(text: str = "致歉声明") -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    page.setFont("STSong-Light", 14)
    page.drawString(72, 760, text)
    page.save()
    return out.getvalue()


def decide(acc: Acc, proposal: Proposal, outcome: str = "accepted", **kwargs: Any) -> Any:
    return services.proposal_decide(actor=acc.head, proposal=proposal, outcome=outcome, **kwargs)

"""The demo city's accountability: a year of proposals and decisions (2025) and this year up
to today, built from the demo's own records through the services.

* The cases demo's valid complaints and the inspections demo's findings verified true are
  charged month by month (``services.charges_sync`` reads them through those modules'
  selectors), in the order they happened; the office head (``officehead``) decides what
  each month brought at its end — mostly accepting, sometimes changing or rejecting with
  a reason — and units carry the measures out and make their apologies, with proof.
* Seed 002: the heads of seven departments exposed by the city's inspections apologise
  jointly (at the mobilisation meeting, and the next day in 《临江日报》).
* Seed 004: eight staff whose violations were verified are sent to the grassroots for three
  months (the policy's term) — seven from 10 July, one from 30 July.
* This month, complaints judged through the cases services reach every step of the ladder:
  a window clerk of 人社局 (the demo liaison's unit) reaches the fourth step, and a person
  with three valid complaints last year reaches five within two years (dismissal, left
  for the office head to decide). The office head's home page has proposals waiting; an
  apology and a reassignment term are overdue.

Every figure the demo prints is computed by ``selectors.figures`` from these records.
"""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count
from django.utils import timezone

from accountability import selectors, services
from accountability.choices import ApologyKind, ChargeSource, Measure, ProposalKind, ProposalStatus, Rule
from accountability.models import Apology, Charge, Incident, Proposal
from core import calendar
from core.demo import DemoContext
from core.models import Notification
from core.selectors import policy_document
from org.choices import StaffRole, UnitKind
from org.models import Staff, Unit

YEAR = 2025
JOINT_TITLE = "作风建设年活动动员大会通报明察暗访曝光的七个部门推诿扯皮、上班炒股聊天等问题"
JOINT_DAY = date(YEAR, 5, 20)
REASSIGN_STARTS = [date(YEAR, 7, 10)] * 7 + [date(YEAR, 7, 30)]
MEDIA = ["《临江日报》", "临江电视台《效能直通车》", "临江政务网"]


def _at(day: date, hour: int = 16) -> datetime:
    return datetime.combine(day, time(hour, 30), timezone.get_current_timezone())


def _last_working_day(year: int, month: int) -> date:
    return calendar.working_days_in(year, month)[-1]


def _proof(ctx: DemoContext, title: str, line: str) -> SimpleUploadedFile:
    """A one-page PDF: the apology statement as published, or the record of it."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    page.setFont("STSong-Light", 18)
    page.drawString(72, 760, title)
    page.setFont("STSong-Light", 11)
    page.drawString(72, 730, line[:60])
    page.save()
    return SimpleUploadedFile(f"{title}.pdf", out.getvalue(), content_type="application/pdf")


def build(ctx: DemoContext) -> None:
    if Incident.objects.filter(title=JOINT_TITLE).exists():
        _report(ctx)
        return
    from accounts.models import User

    head = User.objects.filter(username="officehead").first()
    office = User.objects.filter(username="office").first()
    if head is None or office is None or not Unit.objects.filter(code="G10").exists():
        return  # not the demo city
    today = timezone.localdate()
    demo = _Demo(ctx, head, office, today)
    demo.history(YEAR)
    if today.year > YEAR:
        demo.history(today.year)
    demo.this_month()
    # the inbox keeps what still waits; the history's messages were read long ago
    waiting = [
        f"/accountability/proposals/{pk}/" for pk in Proposal.objects.filter(status=ProposalStatus.PENDING).values_list("pk", flat=True)
    ]
    Notification.objects.filter(kind__startswith="accountability.", read_at__isnull=True).exclude(url__in=waiting).update(
        read_at=timezone.now()
    )
    _report(ctx)


class _Demo:
    def __init__(self, ctx: DemoContext, head: Any, office: Any, today: date) -> None:
        self.ctx = ctx
        self.rng = ctx.rng
        self.head = head
        self.office = office
        self.today = today
        self.special: set[int] = set()  # proposals decided on their own dates, not at the month's end
        self.pending_from = today - timedelta(days=30)  # what happened since stays for the office head

    # --- a year, month by month ---------------------------------------------------------------
    def history(self, year: int) -> None:
        for month in range(1, 13):
            first = date(year, month, 1)
            last = (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)
            if first > self.today:
                break
            recent = _last_working_day(year, month) > self.pending_from
            # the last weeks are charged up to today and left for the office head to decide
            services.charges_sync(start=first, end=self.today if recent else last)
            self._backdate()
            if year == YEAR and month == JOINT_DAY.month:
                self._joint_apology()
            if year == YEAR and month == 7:
                self._reassignments()
            if year == YEAR and month == 9:
                self._other_incidents(date(year, 9, 16))
            end = _last_working_day(year, month)
            if end > self.pending_from:
                break
            # the apologies decided in the last month before the weeks left pending are not made yet
            following = _last_working_day(year + month // 12, month % 12 + 1)
            self._decide_month(first, last, end, late=following > self.pending_from and year == self.today.year)

    def _backdate(self) -> None:
        """A proposal made by the rules is dated when its charge was judged."""
        for proposal in Proposal.objects.filter(created_at__date=timezone.localdate(timezone.now())).select_related("trigger"):
            if proposal.trigger.occurred_at < proposal.created_at - timedelta(days=1):
                Proposal.objects.filter(pk=proposal.pk).update(created_at=proposal.trigger.occurred_at)
                Charge.objects.filter(pk=proposal.trigger_id).update(recorded_at=proposal.trigger.occurred_at)

    def _decide_month(self, first: date, last: date, end: date, late: bool = False) -> None:
        proposals = (
            Proposal.objects.filter(status=ProposalStatus.PENDING, created_at__date__lte=last)
            .exclude(pk__in=self.special)
            .select_related("trigger", "unit", "staff")
            .order_by("created_at", "pk")
        )
        for proposal in proposals:
            self._decide(proposal, end, late)

    def _decide(self, proposal: Proposal, day: date, late: bool = False) -> None:
        rng, at = self.rng, _at(day)
        if proposal.kind == ProposalKind.SANCTION:
            if proposal.rule in (Rule.LADDER, Rule.DISMISSAL):
                roll = rng.random()
                if roll < 0.08 and proposal.measures != [Measure.ADMONITION_TALK]:
                    lighter = [m for m in proposal.measures if m != Measure.MANDATORY_TRAINING and m != Measure.BARRED_FROM_EXCELLENT]
                    if lighter and lighter != proposal.measures:
                        decision = services.proposal_decide(
                            actor=self.head,
                            proposal=proposal,
                            outcome="changed",
                            reason="当事人已主动向投诉人致歉并纠正，情节较轻，经领导小组研究从轻处理。",
                            measures=lighter,
                            at=at,
                        )
                        return self._carry_out(decision, day)
                if roll > 0.95:
                    services.proposal_decide(
                        actor=self.head,
                        proposal=proposal,
                        outcome="rejected",
                        reason="经复核，投诉事项系政策规定所致，不属首办责任人过错。",
                        at=at,
                    )
                    return None
                decision = services.proposal_decide(actor=self.head, proposal=proposal, outcome="accepted", at=at)
            else:  # a finding verified true
                unit_staff = list(Staff.objects.filter(unit=proposal.unit, is_active=True).order_by("pk"))
                if proposal.staff is None and unit_staff and rng.random() < 0.3:
                    decision = services.proposal_decide(
                        actor=self.head,
                        proposal=proposal,
                        outcome="changed",
                        reason="单位核查确认了当事人，责令其本人书面检查并在本系统通报批评。",
                        staff=rng.choice(unit_staff),
                        at=at,
                    )
                else:
                    decision = services.proposal_decide(actor=self.head, proposal=proposal, outcome="accepted", at=at)
            return self._carry_out(decision, day)
        minor = proposal.rule == Rule.APOLOGY_PUBLIC and not proposal.year_count  # findings only, no complaints
        if minor and rng.random() < 0.85:
            services.proposal_decide(
                actor=self.head,
                proposal=proposal,
                outcome="rejected",
                reason="问题情节轻微，已责令书面检查、通报批评并整改到位，不另行公开道歉。",
                at=at,
            )
            return None
        if proposal.rule == Rule.APOLOGY_DIRECT and rng.random() < 0.1:
            services.proposal_decide(
                actor=self.head, proposal=proposal, outcome="rejected", reason="投诉人表示问题已解决，明确不需要当面道歉。", at=at
            )
            return None
        decision = services.proposal_decide(actor=self.head, proposal=proposal, outcome="accepted", at=at)
        return self._carry_out(decision, day, late=late)

    def _carry_out(self, decision: Any, day: date, *, late: bool = False) -> None:
        rng = self.rng
        for sanction in decision.sanctions.all():
            if sanction.due is None:
                continue
            done = sanction.term_start or day + timedelta(days=rng.randint(1, 9))
            if done <= self.today:
                services.sanction_execute(
                    actor=self.office, sanction=sanction, executed_on=done, note_text=_EXECUTED.get(sanction.measure, "")
                )
        for apology in decision.apologies.all():
            done = day + timedelta(days=rng.randint(1, 6))
            if late or done > self.today:
                continue
            self._apologise(apology, done)

    def _apologise(self, apology: Apology, done: date) -> None:
        heads = "、".join(f"{link.unit.name}{link.head_name}" for link in apology.unit_links.select_related("unit")) or apology.unit.name
        if apology.kind == ApologyKind.DIRECT:
            channel, media = self.rng.choice(["in_person", "in_person", "phone", "letter"]), ""
            proof = _proof(self.ctx, "致歉记录", f"{heads}向{apology.to_whom}道歉")
        else:
            channel, media = "newspaper", self.rng.choice(MEDIA)
            if media.startswith("临江电视台"):
                channel = "television"
            elif media == "临江政务网":
                channel = "website"
            proof = _proof(self.ctx, "公开道歉声明", f"{heads}就{apology.year}年度作风问题向社会公开道歉")
        services.apology_record(actor=self.office, apology=apology, done_on=done, channel=channel, media_name=media, proof=proof)
        Apology.objects.filter(pk=apology.pk).update(recorded_at=_at(done, 10))

    # --- seed 002: seven heads apologise together -------------------------------------------------
    def _joint_apology(self) -> None:
        exposed = list(
            Charge.objects.filter(
                source=ChargeSource.INSPECTION, occurred_at__date__lt=JOINT_DAY, year=YEAR, head_unit__kind=UnitKind.DEPARTMENT
            )
            .values("head_unit")
            .annotate(n=Count("id"))
            .order_by("-n", "head_unit")
            .values_list("head_unit", flat=True)[:7]
        )
        units = list(Unit.objects.filter(pk__in=exposed).order_by("path"))
        if len(units) < 7:
            units += list(
                Unit.objects.filter(kind=UnitKind.DEPARTMENT, code__startswith="G")
                .exclude(pk__in=exposed)
                .order_by("path")[: 7 - len(units)]
            )
        incident = services.incident_record(
            actor=self.office,
            kind="superior_criticism",
            occurred_on=JOINT_DAY,
            title=JOINT_TITLE,
            units=units,
            source="市委、市政府作风建设年活动动员大会",
            description="市明察暗访曝光：工作人员行政不作为、搁置推诿，上班时间炒股、QQ聊天。七个部门主要负责人在会上公开道歉，次日在《临江日报》及临江政务网向社会公开道歉。",
        )
        Incident.objects.filter(pk=incident.pk).update(recorded_at=_at(JOINT_DAY, 11))
        joint = Proposal.objects.filter(rule=Rule.APOLOGY_JOINT, charges__incident=incident).distinct().get()
        Proposal.objects.filter(pk=joint.pk).update(created_at=_at(JOINT_DAY, 11))
        decision = services.proposal_decide(
            actor=self.head,
            proposal=joint,
            outcome="accepted",
            at=_at(JOINT_DAY, 15),
            to_whom="社会公众（作风建设年活动动员大会及《临江日报》）",
        )
        apology = decision.apologies.get()
        heads = "、".join(f"{link.unit.name}{link.head_name}" for link in apology.unit_links.select_related("unit"))
        services.apology_record(
            actor=self.office,
            apology=apology,
            done_on=JOINT_DAY + timedelta(days=1),
            channel="newspaper",
            media_name="《临江日报》、临江政务网",
            note_text="会上当场公开道歉，次日见报。",
            proof=_proof(self.ctx, "七部门一把手公开道歉", heads),
        )

    # --- seed 004: eight staff to the grassroots for three months -----------------------------------
    def _reassignments(self) -> None:
        candidates = list(
            Proposal.objects.filter(
                kind=ProposalKind.SANCTION,
                rule=Rule.FINDING,
                status=ProposalStatus.PENDING,
                trigger__occurred_at__date__gte=date(YEAR, 6, 1),
                trigger__occurred_at__date__lt=date(YEAR, 7, 30),
            ).order_by("trigger__occurred_at", "pk")
        )
        _version, document = policy_document(on=date(YEAR, 7, 1))
        serious = list(dict.fromkeys([*document.accountability.finding_measures, Measure.GRASSROOTS_REASSIGNMENT]))
        for proposal, start in zip(candidates, REASSIGN_STARTS, strict=False):
            people = list(
                Staff.objects.filter(unit__path__startswith=proposal.unit.path, is_active=True)
                .exclude(role_in_unit=StaffRole.HEAD)
                .order_by("pk")
            )
            if not people:
                continue
            decided = start - timedelta(days=2)
            while not calendar.is_working_day(decided):
                decided -= timedelta(days=1)
            decision = services.proposal_decide(
                actor=self.head,
                proposal=proposal,
                outcome="changed",
                reason="上班时间严重违反效能纪律，经领导小组研究，安排到基层协助交警维护交通秩序三个月，在一线接受教育。",
                measures=serious,
                staff=self.rng.choice(people),
                term_start=start,
                at=_at(decided),
            )
            self.special.add(proposal.pk)
            self._carry_out(decision, decided)

    def _other_incidents(self, day: date) -> None:
        """An exposure in the media and a violation found by electronic supervision."""
        for kind, title, code, source in (
            ("media_exposure", "《临江日报》“记者走流程”栏目曝光不动产登记窗口推诿", "G37", "《临江日报》"),
            ("electronic_supervision", "电子监察发现施工许可审批超期且未说明理由", "G13", "市电子监察系统"),
        ):
            unit = Unit.objects.filter(code=code).first()
            if unit is not None:
                services.incident_record(actor=self.office, kind=kind, occurred_on=day, title=title, units=[unit], source=source)
        self._backdate_incidents(day)

    def _backdate_incidents(self, day: date) -> None:
        for proposal in Proposal.objects.filter(trigger__incident__occurred_on=day).select_related("trigger"):
            Proposal.objects.filter(pk=proposal.pk).update(created_at=proposal.trigger.occurred_at)

    # --- this month ----------------------------------------------------------------------------------
    def this_month(self) -> None:
        from accounts.models import User

        liaison = User.objects.filter(username="liaison").first()
        clerk = Staff.objects.filter(unit__code="G10-W1", is_active=True).order_by("pk").first()
        if clerk is None:
            return
        # a window clerk of 人社局 reaches every step of the ladder this year
        this_year = Charge.objects.filter(staff=clerk, source=ChargeSource.COMPLAINT, status="active", year=self.today.year).count()
        for _ in range(max(0, 4 - this_year)):
            self._complaint(clerk, liaison)
        due = self._due()
        for proposal in Proposal.objects.filter(staff=clerk, kind=ProposalKind.SANCTION, status=ProposalStatus.PENDING).order_by("pk"):
            decision = services.proposal_decide(actor=self.head, proposal=proposal, outcome="accepted", due=due)
            self._carry_out(decision, self.today - timedelta(days=1), late=True)
        direct = Proposal.objects.filter(unit__code="G10", rule=Rule.APOLOGY_DIRECT, status=ProposalStatus.PENDING).first()
        if direct is not None:
            services.proposal_decide(actor=self.head, proposal=direct, outcome="accepted", due=due)  # the unit has an apology to make
        # someone with three valid complaints last year reaches five within two years: dismissal waits for a decision
        repeat = (
            Charge.objects.filter(source=ChargeSource.COMPLAINT, status="active", year=self.today.year - 1)
            .values("staff")
            .annotate(n=Count("id"))
            .filter(n__gte=3)
            .order_by("-n", "staff")
            .values_list("staff", flat=True)
            .first()
        )
        person = Staff.objects.filter(pk=repeat).first() if repeat else None
        if person is not None:
            counts = selectors.ladder_counts(person, on=self.today)
            for _ in range(max(0, counts.dismissal_count - counts.window_count)):
                self._complaint(person, None)
        self._overdue()

    def _due(self) -> date:
        _version, document = policy_document()
        try:
            return calendar.add_working_days(self.today, document.accountability.follow_through_days)
        except calendar.CalendarUnknownYear:  # late December: next year's holidays are not yet known
            return self.today + timedelta(days=14)

    def _complaint(self, person: Staff, liaison: Any) -> None:
        from cases import services as case_services
        from cases.models import Channel

        department = person.unit.top()
        case, _password = case_services.case_create(
            actor=self.office,
            channel=Channel.objects.get(code="hotline_12345"),
            kind="complaint",
            title="窗口推诿，让群众来回跑",
            content="到窗口办理社保业务，工作人员以材料不全为由推诿，却不一次性告知所缺材料，让我来回跑了三次。",
            contact_name=self.ctx.name(),
            contact_phone=self.ctx.mobile(),
        )
        signer = liaison if liaison is not None and liaison.unit_id == department.pk else self.office
        case_services.case_dispatch(actor=self.office, case=case, unit=department, note="请按时办理")
        case_services.case_sign(actor=signer, case=case, first_responsible=person)
        case_services.case_reply(actor=signer, case=case, text="经调查，投诉属实，已对当事人批评教育，并向投诉人说明所需材料。")
        case.refresh_from_db()
        case_services.complaint_judge(
            actor=self.office, case=case, valid=True, reason="经调查核实，工作人员未履行一次性告知义务，投诉属实。"
        )

    def _overdue(self) -> None:
        """A reassignment term that should have begun a week ago, for the office's home page
        (the apologies decided in the last month decided are overdue as well)."""
        finding = (
            Proposal.objects.filter(kind=ProposalKind.SANCTION, rule=Rule.FINDING, status=ProposalStatus.PENDING)
            .order_by("created_at", "pk")
            .first()
        )
        if finding is None:
            return
        start = self.today - timedelta(days=7)
        people = list(
            Staff.objects.filter(unit__path__startswith=finding.unit.path, is_active=True)
            .exclude(role_in_unit=StaffRole.HEAD)
            .order_by("pk")
        )
        if not people:
            return
        decided = start - timedelta(days=5)
        services.proposal_decide(
            actor=self.head,
            proposal=finding,
            outcome="changed",
            reason="上班时间玩游戏，经提醒仍不改正，安排基层再上岗。",
            measures=[Measure.WRITTEN_SELF_CRITICISM, Measure.GRASSROOTS_REASSIGNMENT],
            staff=self.rng.choice(people),
            term_start=start,
            at=_at(decided),
        )


_EXECUTED = {
    Measure.ADMONITION_TALK: "已由单位主要负责人进行诫勉谈话，谈话记录存档。",
    Measure.MANDATORY_TRAINING: "已参加市效能办组织的强制性培训。",
    Measure.TRANSFER_OFF_POST: "已调离窗口岗位。",
    Measure.ADMINISTRATIVE_WARNING: "处分决定已印发。",
    Measure.DISCIPLINARY_SANCTION: "已移送纪检监察机关，处分决定已印发。",
    Measure.WRITTEN_SELF_CRITICISM: "书面检查已交效能办存档。",
    Measure.CIRCULATED_CRITICISM: "已在本系统通报批评。",
    Measure.EFFICIENCY_WARNING: "效能告诫书已送达。",
    Measure.GRASSROOTS_REASSIGNMENT: "已到市交警支队报到，协助维护交通秩序。",
}


def _report(ctx: DemoContext) -> None:
    """Print the seed figures as the figures selector counts them from the records."""
    from accounts.models import User

    office = User.objects.filter(username="office").first()
    if office is None:
        return
    today = timezone.localdate()
    for year in sorted({YEAR, today.year}):
        f = selectors.figures(office, year)
        if not f.proposals:
            continue
        steps = "、".join(f"第{step}档{n}" for step, n in f.ladder_steps.items())
        apologies = "，".join(f"{label}{total}（已道歉{done}）" for _kind, label, total, done, _late in f.apologies)
        ctx.write(
            f"  {year}年问责：建议{f.proposals}件（采纳{f.outcomes['accepted']}、调整{f.outcomes['changed']}、不予采纳{f.outcomes['rejected']}、"
            f"撤回{f.withdrawn}、待决定{f.pending}）；阶梯{steps or '—'}，辞退{f.dismissals}；被问责{f.people}人；道歉：{apologies}"
        )
        seed = year == YEAR
        if f.joint_heads:
            note = "（种子002：7个部门一把手公开道歉）" if seed else ""
            ctx.write(f"  {year}年 共同公开道歉：{'、'.join(str(n) for n in f.joint_heads)}个部门一把手{note}")
        if f.reassignments:
            months = "、".join(str(m) for m in sorted(set(f.reassignment_months)))
            note = "（种子004：首批7人、又1人，三个月）" if seed else ""
            ctx.write(f"  {year}年 基层再上岗：{f.reassignments}人，期限{months}个月{note}")
    pending = Proposal.objects.filter(status=ProposalStatus.PENDING).count()
    dismissal = Proposal.objects.filter(status=ProposalStatus.PENDING, rule=Rule.DISMISSAL).count()
    late = len(selectors.overdue_apologies(office)) + len(selectors.overdue_sanctions(office))
    ctx.write(f"  officehead 待决定问责建议 {pending} 件（其中辞退建议 {dismissal} 件），逾期未落实 {late} 项")
